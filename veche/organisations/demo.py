"""Demo organisations and people: a network, three member municipalities (one Czech, two Polish), an NGO, and one
person in every role. Everything is looked up by slug or email first, so running it again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from veche.core.demo import DEMO_PASSWORD, DemoContext, register
from veche.organisations.choices import Country, OrganisationKind, RoleKind
from veche.organisations.models import Affiliation, Organisation, Role

ORGANISATIONS = [
    {
        "slug": "cee-participation-hub",
        "kind": OrganisationKind.NETWORK,
        "country": Country.PL,
        "region": "Mazowieckie",
        "region_code": "PL911",
        "website": "https://example.org/hub",
        "name": {
            "en": "CEE Participation Hub",
            "cs": "Participační síť střední a východní Evropy",
            "pl": "Sieć Partycypacji Europy Środkowo-Wschodniej",
        },
        "description": {
            "en": "A network of participation practitioners and the municipalities they work with.",
            "cs": "Síť praktiků participace a obcí, se kterými pracují.",
            "pl": "Sieć praktyków partycypacji i samorządów, z którymi współpracują.",
        },
    },
    {
        "slug": "kolin",
        "kind": OrganisationKind.MUNICIPALITY,
        "country": Country.CZ,
        "region": "Středočeský kraj",
        "region_code": "CZ020",
        "population": 33_500,
        "name": {"en": "Town of Kolín", "cs": "Město Kolín", "pl": "Miasto Kolín"},
        "description": {
            "en": "A town in Central Bohemia that runs a participatory budget every year.",
            "cs": "Město ve Středních Čechách, které každý rok pořádá participativní rozpočet.",
            "pl": "Miasto w Czechach Środkowych, które co roku prowadzi budżet obywatelski.",
        },
    },
    {
        "slug": "wieliczka",
        "kind": OrganisationKind.MUNICIPALITY,
        "country": Country.PL,
        "region": "Małopolskie",
        "region_code": "PL214",
        "population": 62_000,
        "name": {"en": "Municipality of Wieliczka", "cs": "Obec Wieliczka", "pl": "Gmina Wieliczka"},
        "description": {
            "en": "A municipality near Kraków known for counting its participatory budget with equal shares.",
            "cs": "Obec u Krakova, která sčítá participativní rozpočet metodou rovných podílů.",
            "pl": "Gmina pod Krakowem, która liczy budżet obywatelski metodą równych udziałów.",
        },
    },
    {
        "slug": "gdynia",
        "kind": OrganisationKind.MUNICIPALITY,
        "country": Country.PL,
        "region": "Pomorskie",
        "region_code": "PL633",
        "population": 243_000,
        "name": {"en": "City of Gdynia", "cs": "Město Gdyně", "pl": "Miasto Gdynia"},
        "description": {
            "en": "A port city that consults its residents on plans for each district.",
            "cs": "Přístavní město, které s obyvateli projednává plány pro každou čtvrť.",
            "pl": "Miasto portowe, które konsultuje z mieszkańcami plany dla każdej dzielnicy.",
        },
    },
    {
        "slug": "fundacja-dialog",
        "kind": OrganisationKind.NGO,
        "country": Country.PL,
        "region": "Dolnośląskie",
        "region_code": "PL514",
        "name": {"en": "Dialogue Foundation", "cs": "Nadace Dialog", "pl": "Fundacja Dialog"},
        "description": {
            "en": "An NGO that facilitates public dialogue and citizens' panels.",
            "cs": "Nezisková organizace, která vede veřejný dialog a občanské panely.",
            "pl": "Organizacja pozarządowa, która prowadzi dialog publiczny i panele obywatelskie.",
        },
    },
]

# (email, display name, [(organisation slug, role)], superuser)
PEOPLE = [
    ("admin@demo.veche.eu", "Anna Nowak", [("cee-participation-hub", RoleKind.ADMINISTRATOR)], False),
    ("coordinator@demo.veche.eu", "Jana Dvořáková", [("kolin", RoleKind.COORDINATOR)], False),
    (
        "koordynator@demo.veche.eu",
        "Piotr Zieliński",
        [("wieliczka", RoleKind.COORDINATOR), ("wieliczka", RoleKind.ADMINISTRATOR)],
        False,
    ),
    ("moderator@demo.veche.eu", "Marta Wiśniewska", [("gdynia", RoleKind.MODERATOR)], False),
    ("expert@demo.veche.eu", "Tomáš Novák", [("cee-participation-hub", RoleKind.EXPERT)], False),
    ("member@demo.veche.eu", "Ewa Kowalczyk", [("fundacja-dialog", RoleKind.MEMBER)], False),
    ("resident@demo.veche.eu", "Karel Svoboda", [], False),
    ("root@demo.veche.eu", "Platform Administrator", [], True),
]


@register(order=10)
def load_organisations(context: DemoContext) -> None:
    for spec in ORGANISATIONS:
        values = {
            key: spec[key]
            for key in ("kind", "country", "region", "region_code", "population", "website")
            if key in spec
        }
        for language, text in spec["name"].items():
            values[f"name_{language}"] = text
        for language, text in spec["description"].items():
            values[f"description_{language}"] = text
        values["name"] = spec["name"]["en"]
        organisation, _created = Organisation.objects.update_or_create(slug=spec["slug"], defaults=values)
        context.organisations[spec["slug"]] = organisation

    hub = context.organisations["cee-participation-hub"]
    for index, slug in enumerate(("kolin", "wieliczka", "gdynia", "fundacja-dialog")):
        Affiliation.objects.get_or_create(
            network=hub,
            organisation=context.organisations[slug],
            left_on=None,
            defaults={"joined_on": dt.date(2024, 3, 1) + dt.timedelta(days=45 * index)},
        )


@register(order=20)
def load_people(context: DemoContext) -> None:
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    for email, display_name, roles, superuser in PEOPLE:
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=display_name,
                is_staff=superuser,
                is_superuser=superuser,
            )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for slug, kind in roles:
            Role.objects.get_or_create(user=user, organisation=context.organisations[slug], kind=kind)
        context.people[email.split("@", 1)[0]] = user
        label = ", ".join(f"{kind.label} — {context.organisations[slug].name}" for slug, kind in roles)
        if superuser:
            label = "superuser"
        context.log.append(f"{email:<30} {label or 'resident, no role'}")
