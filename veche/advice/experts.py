"""Experts for a request, from the practitioners' database: who may be assigned, and who to suggest first.

Only published profiles of people in the request's network who offer themselves as advisors or mentors count, and
only what they made visible to the network's coordinators is used — a hidden field neither matches nor shows
(matching.Candidate gets None). The ranking itself is veche.advice.matching (pure). Three queries whatever the
number of candidates: profiles, their methods, and how many requests each is working on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from veche.advice import matching
from veche.advice.models import AdviceRequest
from veche.network.access import people_in_networks_q
from veche.network.choices import Visibility
from veche.network.models import PractitionerProfile

# A field counts when its owner let the network's coordinators see it (they are in the same network).
COORDINATOR_CLEARANCE = Visibility.COORDINATORS


def _visible(level: int) -> bool:
    return level <= COORDINATOR_CLEARANCE


def eligible_profiles(network: Any) -> QuerySet[PractitionerProfile]:
    """Published profiles of the network's people who show coordinators that they advise or mentor."""
    return (
        PractitionerProfile.objects.filter(is_published=True, availability_visibility__lte=COORDINATOR_CLEARANCE)
        .filter(Q(available_as_advisor=True) | Q(available_as_mentor=True))
        .filter(people_in_networks_q([network.pk]))
        .filter(user__is_active=True, user__erased_at__isnull=True)
    )


@dataclass(frozen=True)
class ExpertOption:
    """One suggestion as the assign page shows it: only fields visible to coordinators."""

    user_id: int
    profile_id: int
    suggestion: matching.Suggestion
    name: str
    methods: list[str]
    languages: list[str]
    place: str
    open_requests: int


# What the ranking reads of each profile: no model instances, no long texts (bio, search documents).
PROFILE_FIELDS = (
    "pk",
    "user_id",
    "name",
    "name_visibility",
    "methods_visibility",
    "languages",
    "languages_visibility",
    "country",
    "region",
    "location_visibility",
    "user__display_name",
    "user__email",
)


def need_of(request: AdviceRequest) -> matching.Need:
    methods = {request.method} if request.method else set()
    if request.stage == "evaluating":
        methods.add("evaluation")
    return matching.Need(
        methods=frozenset(methods),
        language=request.preferred_language,
        country=request.country,
        region=request.region,
    )


def _method_slugs(profile_ids: list[int]) -> dict[int, frozenset[str]]:
    through = PractitionerProfile.methods.through
    collected: dict[int, set[str]] = {pk: set() for pk in profile_ids}
    rows = through.objects.filter(practitionerprofile_id__in=list(collected)).values_list(
        "practitionerprofile_id", "method__slug"
    )
    for profile_id, slug in rows:
        collected[profile_id].add(slug)
    return {key: frozenset(value) for key, value in collected.items()}


def candidate_of(profile: dict[str, Any], methods: frozenset[str], open_requests: int) -> matching.Candidate:
    """A profile (a row of PROFILE_FIELDS) as the ranking sees it: None for every field hidden from coordinators."""
    shows_location = _visible(profile["location_visibility"])
    return matching.Candidate(
        id=profile["pk"],
        methods=methods if _visible(profile["methods_visibility"]) else None,
        languages=frozenset(profile["languages"] or []) if _visible(profile["languages_visibility"]) else None,
        country=(profile["country"] or None) if shows_location else None,
        region=(profile["region"] or None) if shows_location else None,
        open_requests=open_requests,
    )


def suggestions(request: AdviceRequest, *, limit: int | None = 10) -> list[ExpertOption]:
    """Eligible experts for the request, best match first (the requester never advises themself)."""
    from veche.core.vocabulary import MethodChoices
    from veche.network.choices import LanguageChoices
    from veche.organisations.choices import Country

    profiles = list(eligible_profiles(request.network).exclude(user_id=request.requested_by_id).values(*PROFILE_FIELDS))
    methods = _method_slugs([profile["pk"] for profile in profiles])
    workload = AdviceRequest.objects.working_on([profile["user_id"] for profile in profiles])
    by_id = {profile["pk"]: profile for profile in profiles}
    candidates = [
        candidate_of(profile, methods[profile["pk"]], workload.get(profile["user_id"], 0)) for profile in profiles
    ]
    method_choices, language_choices = MethodChoices.choices, LanguageChoices.choices
    options = []
    for suggestion in matching.rank(need_of(request), candidates, limit=limit):
        profile = by_id[suggestion.candidate.id]
        candidate = suggestion.candidate
        country = str(Country(candidate.country).label) if candidate.country in Country.values else ""
        place = ", ".join(part for part in (candidate.region or "", country) if part)
        if _visible(profile["name_visibility"]) and profile["name"]:
            name = profile["name"]
        else:  # the name people see next to what the person writes on the site (User.public_name)
            name = profile["user__display_name"] or (profile["user__email"] or "").split("@", 1)[0]
        options.append(
            ExpertOption(
                user_id=profile["user_id"],
                profile_id=profile["pk"],
                suggestion=suggestion,
                name=name,
                methods=[str(label) for key, label in method_choices if key in (candidate.methods or ())],
                languages=[str(label) for key, label in language_choices if key in (candidate.languages or ())],
                place=place,
                open_requests=candidate.open_requests,
            )
        )
    return options


def is_eligible(request: AdviceRequest, user: Any) -> bool:
    return (
        user is not None
        and user.pk != request.requested_by_id
        and eligible_profiles(request.network).filter(user_id=user.pk).exists()
    )
