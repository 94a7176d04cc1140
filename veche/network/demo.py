"""Demo data of the network app: two networks — a regional Czech one (Central Bohemia) and the international CEE &
Balkans hub — with member organisations placed on the map, 40 practitioners spread over Czechia and Poland with
varied methods, languages and visibility, and applications waiting for the coordinators. Everything is looked up by
a natural key first (slug, email), so running the demo again changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from veche.core.demo import DEMO_PASSWORD, DemoContext, register
from veche.core.models import Method, Topic
from veche.network import access, services
from veche.network.choices import MemberListVisibility, MembershipState, Visibility
from veche.network.models import ContactMessage, Membership, MembershipEvent, PractitionerProfile
from veche.organisations.choices import Country, OrganisationKind, RoleKind
from veche.organisations.models import Affiliation, Organisation, Role

HUB = "cee-participation-hub"
REGIONAL = "sit-participace-stredni-cechy"

REGIONAL_NETWORK = {
    "slug": REGIONAL,
    "kind": OrganisationKind.NETWORK,
    "country": Country.CZ,
    "region": "Středočeský kraj",
    "region_code": "CZ020",
    "latitude": 50.0755,
    "longitude": 14.4378,
    "name": {
        "cs": "Síť participace Středních Čech",
        "en": "Central Bohemia Participation Network",
        "pl": "Sieć Partycypacji Czech Środkowych",
    },
    "description": {
        "cs": "Obce, neziskové organizace a praktici ze Středních Čech, kteří si pomáhají s participativními "
        "rozpočty, plánováním veřejných prostranství a zapojováním mladých lidí.",
        "en": "Municipalities, NGOs and practitioners in Central Bohemia who help each other with participatory "
        "budgets, planning public spaces and involving young people.",
        "pl": "Gminy, organizacje pozarządowe i praktycy z Czech Środkowych, którzy pomagają sobie w budżetach "
        "obywatelskich, planowaniu przestrzeni publicznych i angażowaniu młodzieży.",
    },
}

# Where the demo organisations sit (for the members map).
LOCATIONS = {
    HUB: (52.2297, 21.0122),
    "kolin": (50.0281, 15.2006),
    "wieliczka": (49.9871, 20.0650),
    "gdynia": (54.5189, 18.5305),
    "fundacja-dialog": (51.1079, 17.0385),
}

# (first name, last name, country, region, role, languages)
PEOPLE = [
    ("Lucie", "Horáková", "CZ", "Středočeský kraj", "official", ["cs", "en"]),
    ("Martin", "Kučera", "CZ", "Středočeský kraj", "facilitator", ["cs", "en", "de"]),
    ("Veronika", "Marková", "CZ", "Praha", "ngo", ["cs", "en"]),
    ("Ondřej", "Pokorný", "CZ", "Praha", "researcher", ["cs", "en", "sk"]),
    ("Barbora", "Veselá", "CZ", "Jihomoravský kraj", "facilitator", ["cs", "sk"]),
    ("Jakub", "Král", "CZ", "Jihomoravský kraj", "official", ["cs"]),
    ("Tereza", "Němcová", "CZ", "Olomoucký kraj", "local_leader", ["cs", "pl"]),
    ("Filip", "Růžička", "CZ", "Moravskoslezský kraj", "consultant", ["cs", "pl", "en"]),
    ("Kateřina", "Benešová", "CZ", "Plzeňský kraj", "trainer", ["cs", "de"]),
    ("David", "Fiala", "CZ", "Liberecký kraj", "ngo", ["cs", "en"]),
    ("Petra", "Sedláčková", "CZ", "Vysočina", "official", ["cs"]),
    ("Michal", "Doležal", "CZ", "Ústecký kraj", "politician", ["cs", "de"]),
    ("Alena", "Zemanová", "CZ", "Jihočeský kraj", "researcher", ["cs", "en"]),
    ("Radek", "Kolář", "CZ", "Královéhradecký kraj", "facilitator", ["cs", "en", "pl"]),
    ("Simona", "Navrátilová", "CZ", "Pardubický kraj", "student", ["cs", "en"]),
    ("Tomáš", "Čermák", "CZ", "Zlínský kraj", "local_leader", ["cs", "sk"]),
    ("Hana", "Urbanová", "CZ", "Karlovarský kraj", "official", ["cs", "de"]),
    ("Jiří", "Blažek", "CZ", "Středočeský kraj", "consultant", ["cs", "en"]),
    ("Eliška", "Procházková", "CZ", "Praha", "trainer", ["cs", "en", "fr"]),
    ("Vojtěch", "Holub", "CZ", "Jihomoravský kraj", "ngo", ["cs", "en", "uk"]),
    ("Agnieszka", "Wójcik", "PL", "Małopolskie", "official", ["pl", "en"]),
    ("Krzysztof", "Kamiński", "PL", "Małopolskie", "facilitator", ["pl", "en", "de"]),
    ("Magdalena", "Lewandowska", "PL", "Mazowieckie", "ngo", ["pl", "en"]),
    ("Paweł", "Dąbrowski", "PL", "Mazowieckie", "researcher", ["pl", "en", "ru"]),
    ("Katarzyna", "Kozłowska", "PL", "Pomorskie", "official", ["pl"]),
    ("Tomasz", "Jankowski", "PL", "Pomorskie", "consultant", ["pl", "en"]),
    ("Joanna", "Mazur", "PL", "Dolnośląskie", "facilitator", ["pl", "cs", "en"]),
    ("Michał", "Krawczyk", "PL", "Dolnośląskie", "local_leader", ["pl"]),
    ("Aleksandra", "Piotrowska", "PL", "Wielkopolskie", "trainer", ["pl", "en"]),
    ("Marcin", "Grabowski", "PL", "Wielkopolskie", "politician", ["pl", "de"]),
    ("Natalia", "Pawłowska", "PL", "Łódzkie", "student", ["pl", "en", "uk"]),
    ("Łukasz", "Michalski", "PL", "Śląskie", "ngo", ["pl", "cs"]),
    ("Monika", "Król", "PL", "Śląskie", "official", ["pl", "en"]),
    ("Grzegorz", "Wieczorek", "PL", "Lubelskie", "researcher", ["pl", "uk", "en"]),
    ("Dorota", "Jabłońska", "PL", "Podkarpackie", "facilitator", ["pl", "sk"]),
    ("Rafał", "Wróbel", "PL", "Zachodniopomorskie", "consultant", ["pl", "de", "en"]),
    ("Justyna", "Nowakowska", "PL", "Kujawsko-pomorskie", "local_leader", ["pl"]),
    ("Bartosz", "Majewski", "PL", "Warmińsko-mazurskie", "trainer", ["pl", "lt", "en"]),
    ("Ewelina", "Olszewska", "PL", "Podlaskie", "ngo", ["pl", "en"]),
    ("Sebastian", "Stępień", "PL", "Opolskie", "official", ["pl", "cs", "de"]),
]

BIOS = {
    "cs": "Připravuji a vedu participativní procesy ve městech a obcích: od prvního setkání s vedením obce po "
    "vyhodnocení. Nejraději pracuji s lidmi, kteří se zatím do veřejného dění nezapojovali.",
    "pl": "Przygotowuję i prowadzę procesy partycypacyjne w miastach i gminach: od pierwszego spotkania z władzami "
    "po ewaluację. Najchętniej pracuję z osobami, które dotąd nie angażowały się w sprawy publiczne.",
}
PROCESSES = {
    "cs": ["Participativní rozpočet %(place)s", "Plánování náměstí v %(place)s", "Dětské zastupitelstvo %(place)s"],
    "pl": ["Budżet obywatelski: %(place)s", "Konsultacje parku: %(place)s", "Młodzieżowa rada: %(place)s"],
}


def _place(network: dict[str, Any]) -> Organisation:
    values = {key: network[key] for key in ("kind", "country", "region", "region_code", "latitude", "longitude")}
    for language, text in network["name"].items():
        values[f"name_{language}"] = text
    for language, text in network["description"].items():
        values[f"description_{language}"] = text
    values["name"] = network["name"]["en"]
    organisation, _created = Organisation.objects.update_or_create(slug=network["slug"], defaults=values)
    return organisation


def _membership(
    network: Organisation,
    *,
    user: Any = None,
    organisation: Any = None,
    state: str,
    actor: Any,
    region: str,
    joined: dt.datetime,
) -> None:
    member = {"user": user} if user is not None else {"organisation": organisation}
    if Membership.objects.filter(network=network, state__in=["applied", "active"], **member).exists():
        return
    membership = Membership.objects.create(
        network=network,
        **member,
        state=state,
        motivation="Chceme sdílet zkušenosti s participací."
        if network.country == "CZ"
        else "We want to share what we learn about participation.",
        region=region,
        experience="Participativní rozpočet, veřejná projednání."
        if network.country == "CZ"
        else "Participatory budgeting, consultations, workshops.",
        applied_by=user or actor,
        decided_by=actor if state == MembershipState.ACTIVE else None,
        decided_at=joined if state == MembershipState.ACTIVE else None,
        joined_at=joined if state == MembershipState.ACTIVE else None,
    )
    MembershipEvent.objects.create(membership=membership, state=MembershipState.APPLIED, actor=user or actor)
    if state == MembershipState.ACTIVE:
        MembershipEvent.objects.create(membership=membership, state=state, actor=actor, message="Vítejte! / Welcome!")


@register(order=40)
def load_networks(context: DemoContext) -> None:
    hub = context.organisations.get(HUB)
    if hub is None:
        return
    regional = _place(REGIONAL_NETWORK)
    context.organisations[REGIONAL] = regional
    for slug, (latitude, longitude) in LOCATIONS.items():
        Organisation.objects.filter(slug=slug, latitude__isnull=True).update(latitude=latitude, longitude=longitude)
    hub_admin = context.people["admin"]
    regional_coordinator = context.people["coordinator"]  # Jana Dvořáková, also Kolín's coordinator
    Role.objects.get_or_create(user=regional_coordinator, organisation=regional, kind=RoleKind.COORDINATOR)
    Role.objects.get_or_create(user=regional_coordinator, organisation=regional, kind=RoleKind.ADMINISTRATOR)
    access.forget(regional_coordinator)  # earlier loaders may have cached her roles
    services.network_settings(hub)
    regional_settings = services.network_settings(regional)
    if regional_settings.member_list_visibility != MemberListVisibility.MEMBERS:
        services.update_network_settings(
            actor=regional_coordinator,
            network=regional,
            changes={
                "member_list_visibility": MemberListVisibility.MEMBERS,
                "application_intro": "Přijímáme obce, neziskové organizace a praktiky ze Středočeského kraje.",
            },
        )
    kolin = context.organisations["kolin"]
    Affiliation.objects.get_or_create(
        network=regional, organisation=kolin, left_on=None, defaults={"joined_on": dt.date(2025, 1, 15)}
    )
    _membership(
        regional,
        organisation=kolin,
        state=MembershipState.ACTIVE,
        actor=regional_coordinator,
        region="Středočeský kraj",
        joined=timezone.now() - dt.timedelta(days=300),
    )

    rng = random.Random(2026)  # noqa: S311 — repeatable demo data, not security
    methods = list(Method.objects.all())
    topics = list(Topic.objects.all())
    user_model = get_user_model()
    for index, (first, last, country, region, role, languages) in enumerate(PEOPLE, start=1):
        email = f"practitioner{index:02d}@demo.veche.eu"
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(
                email=email, password=DEMO_PASSWORD, display_name=f"{first} {last}", language=country.lower()
            )
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        context.people[f"practitioner{index:02d}"] = user
        joined = timezone.now() - dt.timedelta(days=30 + 11 * index)
        # Most people are in the hub; Czechs from Central Bohemia and Prague also in the regional network; the
        # last few have applied and wait.
        if index <= 36:
            _membership(hub, user=user, state=MembershipState.ACTIVE, actor=hub_admin, region=region, joined=joined)
        if country == "CZ" and region in ("Středočeský kraj", "Praha"):
            state = MembershipState.APPLIED if index == 19 else MembershipState.ACTIVE
            _membership(regional, user=user, state=state, actor=regional_coordinator, region=region, joined=joined)
        if index > 36:
            _membership(hub, user=user, state=MembershipState.APPLIED, actor=hub_admin, region=region, joined=joined)
        if PractitionerProfile.objects.filter(user=user).exists():
            continue
        language = "cs" if country == "CZ" else "pl"
        place = region.replace(" kraj", "")
        visibility = {
            "photo_visibility": Visibility.MEMBERS,
            "organisation_visibility": rng.choice([Visibility.PUBLIC, Visibility.PUBLIC, Visibility.MEMBERS]),
            "experience_visibility": rng.choice([Visibility.PUBLIC, Visibility.MEMBERS, Visibility.COORDINATORS]),
            "bio_visibility": Visibility.MEMBERS if index % 7 == 0 else Visibility.PUBLIC,
            "availability_visibility": Visibility.COORDINATORS if index % 9 == 0 else Visibility.PUBLIC,
            "languages_visibility": Visibility.HIDDEN if index % 13 == 0 else Visibility.PUBLIC,
        }
        services.save_profile(
            actor=user,
            changes={
                "is_published": index % 10 != 0,  # a few keep their profile to themselves
                "name": f"{first} {last}",
                "organisation_name": rng.choice(
                    ["Agora CE", "Pražské fórum", "Fundacja Stocznia", "Pracownia Miejska", "Město Kolín", ""]
                ),
                "role": role,
                "region": region,
                "country": country,
                "languages": languages,
                "bio": BIOS[language],
                "years_of_experience": rng.randrange(2, 25),
                "processes": [
                    {"title": title % {"place": place}, "url": ""} for title in rng.sample(PROCESSES[language], 2)
                ],
                "available_as_mentor": rng.random() < 0.4,
                "available_as_facilitator": role in ("facilitator", "consultant") or rng.random() < 0.2,
                "available_as_trainer": role == "trainer" or rng.random() < 0.2,
                "available_as_advisor": rng.random() < 0.35,
                **visibility,
            },
            methods=rng.sample(methods, rng.randrange(2, 5)),
            topics=rng.sample(topics, rng.randrange(1, 4)),
        )
    recipient = PractitionerProfile.objects.filter(user=context.people["practitioner01"]).first()
    sender = context.people["practitioner21"]
    if recipient is not None and not ContactMessage.objects.filter(profile=recipient).exists():
        services.send_message(
            sender=sender,
            profile=recipient,
            subject="Participatory budget in a small town",
            body="Hello, we are preparing our first participatory budget in Małopolska and would like to hear how "
            "you ran yours in Central Bohemia. Could we talk for half an hour next week?",
        )
    waiting = Membership.objects.filter(state=MembershipState.APPLIED, network__in=[hub, regional]).count()
    listed = PractitionerProfile.objects.published().count()
    context.log.append(
        f"Networks: {hub.name} and {regional.name}; {listed} practitioners listed, {waiting} applications waiting "
        f"(practitioner01…40@demo.veche.eu)"
    )
