"""Demo cases on the map of participation: 25 published cases over Czech and Polish municipalities (one made in one
step from Wieliczka's finished participatory budget), one case waiting for review and one published case with
changes waiting for review. Everything goes through the services; a case is looked up by its title first, so running
the demo again changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation

from veche.cases import services
from veche.cases.choices import CaseStatus, Decision
from veche.cases.models import Case
from veche.core.demo import DemoContext, register

HUB = "cee-participation-hub"

# (municipality, region, country, latitude, longitude, language, title, summary, methods, topics, started, ended,
#  participants, budget, currency, organiser)
CASES: list[tuple[Any, ...]] = [
    (
        "Praha 7",
        "Hlavní město Praha",
        "CZ",
        "50.103500",
        "14.430000",
        "cs",
        "Participativní rozpočet Prahy 7",
        "Obyvatelé Holešovic, Bubnů a Letné navrhli a vybrali projekty pro svou čtvrť.",
        ("participatory_budgeting",),
        ("public_space", "youth"),
        "2019-02-01",
        "2019-11-30",
        2870,
        "5000000",
        "CZK",
        "Městská část Praha 7",
    ),
    (
        "Brno",
        "Jihomoravský kraj",
        "CZ",
        "49.195100",
        "16.606800",
        "cs",
        "Dáme na vás: participativní rozpočet Brna",
        "Brňané podali přes 200 návrhů; o vítězích rozhodlo hlasování s plusovými a minusovými hlasy.",
        ("participatory_budgeting",),
        ("public_space", "culture"),
        "2022-01-15",
        "2022-10-31",
        15400,
        "30000000",
        "CZK",
        "Statutární město Brno",
    ),
    (
        "Ostrava",
        "Moravskoslezský kraj",
        "CZ",
        "49.820900",
        "18.262500",
        "cs",
        "Veřejné projednání Strategie Ostrava 2030",
        "Město představilo návrh strategie na veřejných setkáních v obvodech a sbíralo připomínky online.",
        ("consultation", "public_meeting"),
        ("urban_planning", "economy"),
        "2021-04-01",
        "2021-06-30",
        640,
        None,
        "",
        "Statutární město Ostrava",
    ),
    (
        "Plzeň",
        "Plzeňský kraj",
        "CZ",
        "49.738400",
        "13.373600",
        "cs",
        "Plánovací dílny k náměstí Republiky",
        "Tři dílny s obyvateli, obchodníky a památkáři nad podobou náměstí bez aut.",
        ("planning_workshop",),
        ("urban_planning", "transport"),
        "2020-09-10",
        "2020-11-20",
        180,
        None,
        "",
        "Útvar koncepce a rozvoje města Plzně",
    ),
    (
        "Liberec",
        "Liberecký kraj",
        "CZ",
        "50.766300",
        "15.054300",
        "cs",
        "Dětské zastupitelstvo Liberce",
        "Žáci základních škol volí své zástupce, kteří radě města předkládají návrhy.",
        ("youth_participation",),
        ("youth", "education"),
        "2018-09-01",
        "2023-06-30",
        90,
        "200000",
        "CZK",
        "Statutární město Liberec",
    ),
    (
        "Olomouc",
        "Olomoucký kraj",
        "CZ",
        "49.593800",
        "17.250900",
        "cs",
        "Pocitová mapa a procházky po sídlišti Lazce",
        "Obyvatelé zakreslili místa, kde se cítí dobře a kde ne, a s architekty je prošli.",
        ("consultation_walk", "survey"),
        ("public_space", "safety"),
        "2021-05-01",
        "2021-07-15",
        420,
        None,
        "",
        "Statutární město Olomouc",
    ),
    (
        "České Budějovice",
        "Jihočeský kraj",
        "CZ",
        "48.974500",
        "14.474300",
        "cs",
        "Revitalizace Sokolského ostrova",
        "Participativní plánování parku s veřejnými setkáními, anketou a komentovanými vycházkami.",
        ("planning_workshop", "survey"),
        ("revitalisation", "public_space"),
        "2019-03-01",
        "2019-09-30",
        1250,
        None,
        "",
        "Statutární město České Budějovice",
    ),
    (
        "Hradec Králové",
        "Královéhradecký kraj",
        "CZ",
        "50.209200",
        "15.832800",
        "cs",
        "Anketa o mobilitě v Hradci Králové",
        "Dotazník o tom, jak se lidé pohybují po městě, byl podkladem plánu udržitelné mobility.",
        ("survey",),
        ("transport", "climate"),
        "2020-02-01",
        "2020-04-30",
        3900,
        None,
        "",
        "Statutární město Hradec Králové",
    ),
    (
        "Kolín",
        "Středočeský kraj",
        "CZ",
        "50.028100",
        "15.200600",
        "cs",
        "Kolínský participativní rozpočet 2023",
        "Obyvatelé navrhli 46 projektů; hlasovalo se online i na radnici.",
        ("participatory_budgeting",),
        ("public_space", "sport"),
        "2023-02-01",
        "2023-10-31",
        2100,
        "2000000",
        "CZK",
        "Město Kolín",
    ),
    (
        "Jihlava",
        "Kraj Vysočina",
        "CZ",
        "49.396100",
        "15.591200",
        "cs",
        "Občanský panel o adaptaci na změnu klimatu",
        "Třicet losem vybraných obyvatel se čtyři víkendy učilo a diskutovalo a předalo městu doporučení.",
        ("citizens_panel",),
        ("climate",),
        "2022-09-01",
        "2022-11-30",
        30,
        "450000",
        "CZK",
        "Statutární město Jihlava",
    ),
    (
        "Třebíč",
        "Kraj Vysočina",
        "CZ",
        "49.214800",
        "15.881700",
        "cs",
        "Participativní plánování sídliště Borovina",
        "Sousedské dílny nad obnovou vnitrobloků a parkování.",
        ("planning_workshop", "public_meeting"),
        ("urban_planning", "housing"),
        "2022-03-01",
        "2022-06-30",
        260,
        None,
        "",
        "Město Třebíč",
    ),
    (
        "Litomyšl",
        "Pardubický kraj",
        "CZ",
        "49.872100",
        "16.310600",
        "en",
        "Schoolyard designed with pupils",
        "Pupils, teachers and parents designed a new schoolyard in workshops with landscape architects.",
        ("planning_workshop", "youth_participation"),
        ("education", "youth"),
        "2021-01-10",
        "2021-05-31",
        150,
        "1200000",
        "CZK",
        "Town of Litomyšl",
    ),
    (
        "Zlín",
        "Zlínský kraj",
        "CZ",
        "49.226500",
        "17.670700",
        "cs",
        "Konzultace k novému jízdnímu řádu MHD",
        "Cestující se k návrhu linek vyjádřili online a na zastávkách; dopravce upravil tři linky.",
        ("consultation", "survey"),
        ("transport",),
        "2023-05-01",
        "2023-06-15",
        1800,
        None,
        "",
        "Statutární město Zlín",
    ),
    (
        "Gdańsk",
        "Pomorskie",
        "PL",
        "54.352000",
        "18.646600",
        "pl",
        "Panel obywatelski o ulewach",
        "Sześćdziesięcioro losowo wybranych mieszkańców zdecydowało, jak miasto ma się przygotować na ulewne deszcze.",
        ("citizens_panel",),
        ("climate", "safety"),
        "2016-06-01",
        "2016-09-30",
        60,
        "150000",
        "PLN",
        "Miasto Gdańsk",
    ),
    (
        "Kraków",
        "Małopolskie",
        "PL",
        "50.064700",
        "19.945000",
        "pl",
        "Budżet obywatelski Krakowa",
        "Projekty ogólnomiejskie i dzielnicowe; głosować mogli wszyscy mieszkańcy, także dzieci.",
        ("participatory_budgeting",),
        ("public_space", "culture"),
        "2022-03-01",
        "2022-10-31",
        58000,
        "40000000",
        "PLN",
        "Urząd Miasta Krakowa",
    ),
    (
        "Wrocław",
        "Dolnośląskie",
        "PL",
        "51.107900",
        "17.038500",
        "pl",
        "Wrocławski Budżet Obywatelski",
        "Mieszkańcy zgłosili ponad tysiąc pomysłów; wybrane projekty zrealizowano w osiedlach.",
        ("participatory_budgeting",),
        ("public_space", "sport"),
        "2021-03-01",
        "2021-11-30",
        71000,
        "25000000",
        "PLN",
        "Gmina Wrocław",
    ),
    (
        "Łódź",
        "Łódzkie",
        "PL",
        "51.759200",
        "19.456000",
        "pl",
        "Łódzki budżet obywatelski: zielone podwórka",
        "Mieszkańcy kamienic wspólnie zaprojektowali zieleń na podwórkach w śródmieściu.",
        ("participatory_budgeting", "planning_workshop"),
        ("public_space", "revitalisation"),
        "2020-02-01",
        "2020-10-31",
        9200,
        "3000000",
        "PLN",
        "Urząd Miasta Łodzi",
    ),
    (
        "Lublin",
        "Lubelskie",
        "PL",
        "51.246500",
        "22.568400",
        "pl",
        "Panel obywatelski o zieleni w Lublinie",
        "Losowo wybrani mieszkańcy wypracowali rekomendacje dotyczące ochrony drzew i terenów zielonych.",
        ("citizens_panel",),
        ("climate", "public_space"),
        "2020-10-01",
        "2020-12-15",
        60,
        "200000",
        "PLN",
        "Urząd Miasta Lublin",
    ),
    (
        "Poznań",
        "Wielkopolskie",
        "PL",
        "52.406400",
        "16.925200",
        "pl",
        "Konsultacje polityki parkingowej",
        "Spotkania w dzielnicach, ankieta i dyżury ekspertów przed zmianą strefy płatnego parkowania.",
        ("consultation", "public_meeting", "survey"),
        ("transport",),
        "2021-09-01",
        "2021-11-30",
        5600,
        None,
        "",
        "Miasto Poznań",
    ),
    (
        "Gdynia",
        "Pomorskie",
        "PL",
        "54.518900",
        "18.530500",
        "pl",
        "Konsultacje planu dla Śródmieścia Gdyni",
        "Mieszkańcy komentowali projekt planu miejscowego na mapie i podczas spaceru badawczego.",
        ("consultation", "consultation_walk"),
        ("urban_planning",),
        "2022-04-01",
        "2022-06-30",
        780,
        None,
        "",
        "Miasto Gdynia",
    ),
    (
        "Sopot",
        "Pomorskie",
        "PL",
        "54.441800",
        "18.560100",
        "pl",
        "Młodzieżowa Rada Miasta Sopotu",
        "Uczniowie sopockich szkół doradzają radzie miasta w sprawach młodzieży i prowadzą własny mały budżet.",
        ("youth_participation",),
        ("youth",),
        "2019-10-01",
        "2023-06-30",
        25,
        "50000",
        "PLN",
        "Urząd Miasta Sopotu",
    ),
    (
        "Sianów",
        "Zachodniopomorskie",
        "PL",
        "54.226000",
        "16.287000",
        "pl",
        "Fundusz sołecki w gminie Sianów",
        "Zebrania wiejskie w sołectwach zdecydowały o świetlicach, placach zabaw i festynach.",
        ("village_fund", "public_meeting"),
        ("culture", "sport"),
        "2022-07-01",
        "2022-09-30",
        540,
        "820000",
        "PLN",
        "Gmina Sianów",
    ),
    (
        "Rzeszów",
        "Podkarpackie",
        "PL",
        "50.041200",
        "21.999100",
        "pl",
        "Spacery badawcze po Osiedlu Baranówka",
        "Seniorzy i rodzice z dziećmi wskazali bariery na chodnikach i przejściach.",
        ("consultation_walk",),
        ("seniors", "transport"),
        "2023-04-15",
        "2023-05-31",
        120,
        None,
        "",
        "Miasto Rzeszów",
    ),
    (
        "Toruń",
        "Kujawsko-pomorskie",
        "PL",
        "53.013800",
        "18.598400",
        "en",
        "Citizens' resolution initiative on school streets",
        "Residents collected 1,100 signatures to bring a resolution on car-free streets at schools to the city "
        "council.",
        ("citizens_initiative",),
        ("transport", "education"),
        "2022-01-10",
        "2022-05-20",
        1100,
        None,
        "",
        "Parents' association of Toruń",
    ),
]

SUBMITTED = (
    "Opava",
    "Moravskoslezský kraj",
    "CZ",
    "49.938700",
    "17.902600",
    "cs",
    "Participativní rozpočet Opavy 2024",
    "První ročník participativního rozpočtu ve městě: 34 návrhů a hlasování online.",
    ("participatory_budgeting",),
    ("public_space",),
    "2024-02-01",
    "2024-10-31",
    1600,
    "3000000",
    "CZK",
    "Statutární město Opava",
)

TEXTS = {
    "cs": {
        "results": "Výsledky byly zveřejněny na webu města a představeny na veřejném setkání.",
        "changes": "Město zapracovalo návrhy obyvatel do rozpočtu a plánů na další rok.",
        "lessons": "Začít dřív, mluvit jednoduše a vysvětlit, co se s návrhy stane. Zapojit školy a seniory zvlášť.",
    },
    "pl": {
        "results": "Wyniki opublikowano na stronie miasta i omówiono na otwartym spotkaniu.",
        "changes": "Miasto uwzględniło propozycje mieszkańców w budżecie i planach na kolejny rok.",
        "lessons": (
            "Zacząć wcześniej, mówić prostym językiem i wyjaśnić, co stanie się z propozycjami. "
            "Osobno zaprosić młodzież i seniorów."
        ),
    },
    "en": {
        "results": "The results were published on the town's website and presented at an open meeting.",
        "changes": "The town took the residents' proposals into its budget and plans for the next year.",
        "lessons": (
            "Start early, use plain words and explain what will happen with the proposals. "
            "Invite young people and seniors separately."
        ),
    },
}


def _input(spec: tuple[Any, ...]) -> services.CaseInput:
    (
        municipality,
        region,
        country,
        lat,
        lon,
        language,
        title,
        summary,
        methods,
        topics,
        started,
        ended,
        participants,
        budget,
        currency,
        organiser,
    ) = spec
    texts = TEXTS[language]
    return services.CaseInput(
        title=title,
        summary=summary,
        language=language,
        municipality=municipality,
        region=region,
        country=country,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        started_on=dt.date.fromisoformat(started),
        ended_on=dt.date.fromisoformat(ended),
        methods=tuple(methods),
        topics=tuple(topics),
        organiser=organiser,
        participants=participants,
        budget=Decimal(budget) if budget else None,
        currency=currency,
        results=texts["results"],
        changes=texts["changes"],
        lessons=texts["lessons"],
        links=((organiser, "https://example.org/" + municipality.lower().replace(" ", "-")),),
    )


def _author_for(language: str, context: DemoContext) -> Any:
    """Members of the hub through their organisations: Kolín's coordinator writes in Czech, Wieliczka's in Polish,
    the hub's expert in English."""
    return context.people[{"cs": "coordinator", "pl": "koordynator", "en": "expert"}[language]]


@register(order=70)
def load_cases(context: DemoContext) -> None:
    hub = context.organisations.get(HUB)
    if hub is None:
        return
    editor = context.people["admin"]
    published = 0
    for spec in CASES:
        if Case.objects.filter(network=hub, title=spec[6]).exists():
            continue
        author = _author_for(spec[5], context)
        case = services.create_case(actor=author, network=hub, data=_input(spec))
        services.submit_case(actor=author, case=case)
        services.decide_case(actor=editor, case=case, decision=Decision.PUBLISH, note="")
        published += 1
    published += _case_from_finished_budget(context, hub, editor)
    if not Case.objects.filter(network=hub, title=SUBMITTED[6]).exists():
        author = context.people["coordinator"]
        case = services.create_case(actor=author, network=hub, data=_input(SUBMITTED))
        services.submit_case(actor=author, case=case)
    changed = Case.objects.filter(network=hub, title="Konsultacje polityki parkingowej").first()
    if changed is not None and services.pending_changes(changed) is None and changed.version < 4:
        data = services.CaseInput.from_case(changed)
        data = services.CaseInput(
            **{
                **data.__dict__,
                "participants": 6100,
                "changes": "Strefę płatnego parkowania rozszerzono dopiero po drugiej turze konsultacji; "
                "mieszkańcy dostali abonamenty.",
            }
        )
        services.update_case(actor=changed.author, case=changed, data=data, note="Poprawiona liczba uczestników.")
    total = Case.objects.filter(network=hub, status=CaseStatus.PUBLISHED).count()
    context.log.append(f"Map of participation: {total} published cases ({published} new), 2 waiting for review")


def _case_from_finished_budget(context: DemoContext, hub: Any, editor: Any) -> int:
    """Wieliczka's finished budget, presented in one step by its coordinator (if the budgeting demo ran)."""
    from veche.participation.models import Module

    module = (
        Module.objects.filter(process__slug="budzet-obywatelski-2025", module_type="budgeting")
        .select_related("process__organisation")
        .first()
    )
    if module is None or Case.objects.filter(network=hub, source_module=module).exists():
        return 0
    coordinator = context.people["koordynator"]
    if services.module_case_summary(module) is None:
        return 0
    with translation.override("pl"):
        case = services.draft_case_from_module(actor=coordinator, module=module, network=hub)
    data = services.CaseInput.from_case(case)
    if data.latitude is None:  # no funded project had a point: the town's centre
        data = services.CaseInput(
            **{**data.__dict__, "latitude": Decimal("49.987200"), "longitude": Decimal("20.065000")}
        )
    data = services.CaseInput(
        **{
            **data.__dict__,
            "topics": ("public_space", "finance"),
            "lessons": "Liczenie metodą równych udziałów trzeba mieszkańcom wytłumaczyć przed głosowaniem.",
        }
    )
    services.update_case(actor=coordinator, case=case, data=data)
    services.submit_case(actor=coordinator, case=case)
    services.decide_case(actor=editor, case=case, decision=Decision.PUBLISH, note="")
    return 1
