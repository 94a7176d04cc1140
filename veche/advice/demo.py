"""Demo advice requests: two requests of a member municipality to the regional Czech network, one being worked on
(an expert assigned, a few messages) and one closed with a summary and a rating. Made through the services, after
the network's demo (members and practitioners); looked up by title first, so running it again changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from veche.advice import experts, services
from veche.advice.models import AdviceRequest
from veche.core.demo import DemoContext, register
from veche.organisations.choices import Country, OrganisationKind, RoleKind
from veche.organisations.models import Affiliation, Organisation, Role

HUB = "cee-participation-hub"

REQUESTS = [
    {
        "title": "Evaluating our first participatory budget",
        "stage": "evaluating",
        "method": "participatory_budgeting",
        "description": (
            "Our town ran its first participatory budget this year: 41 proposals, 2,300 votes.\n\n"
            "Before the next edition we want to evaluate it properly: who voted and who did not, what residents "
            "thought of the rules, and whether the projects are delivered on time. How do other towns do it?"
        ),
        "messages": [
            (
                "expert",
                "Thank you for the figures. Start with two questions: who did not vote, and why? "
                "I attach the short questionnaire we used in Brno; it takes residents five minutes.",
            ),
            ("requester", "That helps. Could we also compare the turnout per district with the population?"),
            (
                "expert",
                "Yes — divide the votes in each district by its adult population and map the result. "
                "Districts far below the average are where to hold a meeting next year.",
            ),
        ],
        "age_days": 9,
        "idle_days": 2,
        "close": None,
    },
    {
        "title": "Planning a consultation walk in the town centre",
        "stage": "planning",
        "method": "consultation_walk",
        "description": (
            "We are preparing a new plan for the square and want to start with a walk through the centre with "
            "residents. How many people can one walk take, and how do we record what they say?"
        ),
        "messages": [
            (
                "expert",
                "Keep a walk to about 20 people with two facilitators; plan five stops of ten minutes and "
                "give everyone a map to draw on. Photograph the maps at the end.",
            ),
            ("requester", "We did two walks with 18 and 22 people. The maps worked very well."),
        ],
        "age_days": 40,
        "idle_days": 20,
        "close": (
            "Two walks of about 20 people with two facilitators, five stops each; residents drew on printed maps, "
            "which the office photographed and summarised for the design brief.",
            5,
            "Practical and quick — the walks were the best-attended event of the consultation.",
        ),
    },
]


def _regional_network() -> Organisation | None:
    """The regional Czech network from the network app's demo; the international hub if there is none."""
    networks = Organisation.objects.filter(kind=OrganisationKind.NETWORK)
    regional = networks.filter(country=Country.CZ).exclude(slug=HUB).order_by("slug").first()
    return regional or networks.filter(slug=HUB).first()


def _asking_side(network: Organisation) -> tuple[Organisation, Any] | None:
    """A member municipality of the network and a person who administers or coordinates it (the Czech one first)."""
    members = Affiliation.objects.filter(network=network, left_on__isnull=True).values("organisation_id")
    role = (
        Role.objects.filter(
            organisation_id__in=members,
            organisation__kind=OrganisationKind.MUNICIPALITY,
            kind__in=[RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR],
            user__is_active=True,
        )
        .select_related("organisation", "user")
        # Czech municipalities first ("CZ" sorts before "PL"), coordinators before administrators.
        .order_by("organisation__country", "-kind", "organisation__slug", "user_id")
        .first()
    )
    return (role.organisation, role.user) if role else None


def _coordinator(network: Organisation) -> Any:
    role = (
        Role.objects.filter(organisation=network, kind__in=[RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR])
        .select_related("user")
        .order_by("kind", "user_id")
        .first()
    )
    return role.user if role else None


def _ensure_an_expert(network: Organisation, context: DemoContext) -> None:
    """The network's demo publishes practitioners; should none offer advice, the demo expert does."""
    if experts.eligible_profiles(network).exists():
        return
    from veche.core.models import Method
    from veche.network.models import PractitionerProfile

    user = context.people.get("expert")
    if user is None:
        return
    profile, _created = PractitionerProfile.objects.get_or_create(
        user=user,
        defaults={
            "name": user.public_name,
            "is_published": True,
            "available_as_advisor": True,
            "languages": ["cs", "en"],
            "country": Country.CZ,
            "region": "Jihomoravský kraj",
        },
    )
    if not profile.available_as_advisor or not profile.is_published:
        profile.available_as_advisor = profile.is_published = True
        profile.save(update_fields=["available_as_advisor", "is_published"])
    profile.methods.add(*Method.objects.filter(slug__in=["participatory_budgeting", "consultation_walk", "evaluation"]))


def _backdate(request: AdviceRequest, *, age_days: int, idle_days: int) -> None:
    now = timezone.now()
    created = now - dt.timedelta(days=age_days)
    AdviceRequest.objects.filter(pk=request.pk).update(
        created_at=created,
        last_activity_at=now - dt.timedelta(days=idle_days),
        assigned_at=created + dt.timedelta(days=1),
    )
    for index, message in enumerate(request.messages.order_by("id")):
        moment = created + dt.timedelta(days=2 + index * max(1, (age_days - idle_days - 2) // 3))
        type(message).objects.filter(pk=message.pk).update(created_at=min(moment, now))


@register(order=90)
def load_advice(context: DemoContext) -> None:
    network = _regional_network()
    if network is None:
        return
    asking = _asking_side(network)
    coordinator = _coordinator(network)
    if asking is None or coordinator is None:
        return
    organisation, requester = asking
    _ensure_an_expert(network, context)
    for spec in REQUESTS:
        if AdviceRequest.objects.filter(network=network, title=spec["title"]).exists():
            continue
        request = services.submit_request(
            actor=requester,
            network=network,
            organisation=organisation,
            data=services.RequestInput(
                title=spec["title"],
                stage=spec["stage"],
                method=spec["method"],
                description=spec["description"],
                preferred_language="cs",
                deadline=timezone.localdate() + dt.timedelta(days=60),
            ),
        )
        options = experts.suggestions(request, limit=1)
        if not options:
            continue
        expert = get_user_model().objects.get(pk=options[0].user_id)
        services.assign_expert(actor=coordinator, request=request, expert=expert, expected_expert_id=None)
        for who, body in spec["messages"]:
            services.post_message(actor=expert if who == "expert" else requester, request=request, body=body)
        if spec["close"]:
            summary, rating, comment = spec["close"]
            services.close_request(actor=expert, request=request, summary=summary)
            services.rate_request(actor=requester, request=request, rating=rating, comment=comment)
        _backdate(request, age_days=spec["age_days"], idle_days=spec["idle_days"])
        context.log.append(f"advice request: {request.title} ({request.get_status_display()}) — {network.name}")
