"""Demo participatory budgets.

* Kolín (CZ): "Participativní rozpočet 2026" in the voting phase — a citywide pool and two district pools, 25
  proposals on the ballot with Czech titles, costs and places around Kolín, three rejected ones with the office's
  justifications (through the review service), and a few ballots cast through the voting service. The demo
  resident has not voted, so the voting pages can be tried with that account.
* Wieliczka (PL): "Budżet obywatelski 2025", finished — about 200 generated ballots counted with the Method of Equal
  Shares (add-one completion), results published, the funded projects' implementation in different states with
  updates (one cancelled with its reason).

Staff actions go through the services (the audit log shows them); bulk rows (proposals, generated ballots) are
created directly. Idempotent: an edition whose process already exists is left as it is.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from veche.budgeting.choices import (
    BallotType,
    Completion,
    CountingRule,
    ImplementationStatus,
    PoolKind,
    ProposalStatus,
    VoteChannel,
)
from veche.budgeting.models import (
    Ballot,
    Category,
    Edition,
    Implementation,
    PaperBatch,
    Pool,
    Proposal,
    VoterRecord,
    VotingCode,
)
from veche.budgeting.module import BUDGETING
from veche.core.demo import DemoContext, register
from veche.participation import services as participation
from veche.participation.models import Process

KOLIN = (50.028, 15.200)

# (pool key, category, title, cost in CZK, latitude offset, longitude offset)
KOLIN_PROJECTS: list[tuple[str, str, str, int, float, float]] = [
    ("city", "Zeleň", "Nové stromy v Husově ulici", 320_000, 0.001, 0.002),
    ("city", "Zeleň", "Květnatá louka u Labe", 180_000, -0.004, 0.006),
    ("city", "Sport", "Workoutové hřiště v Borkách", 450_000, 0.006, -0.010),
    ("city", "Doprava", "Stojany na kola u nádraží", 150_000, -0.006, 0.012),
    ("city", "Kultura", "Letní kino na Karlově náměstí", 260_000, 0.000, 0.000),
    ("city", "Doprava", "Bezpečný přechod u ZŠ Mnichovická", 380_000, 0.008, 0.004),
    ("city", "Zeleň", "Komunitní zahrada za poliklinikou", 240_000, 0.003, -0.006),
    ("city", "Sport", "Veřejná pétanque u hradeb", 90_000, 0.002, 0.003),
    ("city", "Kultura", "Knihobudky v městských parcích", 60_000, -0.002, -0.003),
    ("city", "Voda", "Pítka na náměstí a v parku", 210_000, 0.001, 0.001),
    ("city", "Doprava", "Lavičky podél cyklostezky k Veltrubům", 140_000, 0.015, -0.020),
    ("city", "Kultura", "Oprava altánu v Městském parku", 330_000, -0.001, 0.004),
    ("city", "Zeleň", "Hmyzí hotely a ptačí budky", 45_000, 0.004, 0.008),
    ("zalabi", "Sport", "Hřiště pro nejmenší na Zálabí", 280_000, 0.010, 0.004),
    ("zalabi", "Zeleň", "Alej podél Ovčárecké", 190_000, 0.013, 0.010),
    ("zalabi", "Doprava", "Osvětlení lávky přes Labe", 220_000, 0.006, 0.002),
    ("zalabi", "Kultura", "Sousedská slavnost na Zálabí", 40_000, 0.011, 0.006),
    ("zalabi", "Voda", "Dešťová zahrada u školy", 150_000, 0.009, 0.008),
    ("zalabi", "Sport", "Basketbalový koš u sokolovny", 70_000, 0.012, 0.001),
    ("stitary", "Zeleň", "Obnova rybníčku ve Štítarech", 300_000, -0.012, -0.012),
    ("stitary", "Sport", "Dětské hřiště u hasičárny", 250_000, -0.014, -0.010),
    ("stitary", "Doprava", "Chodník ke Zengrovce", 350_000, -0.010, -0.015),
    ("stitary", "Kultura", "Venkovní učebna u MŠ", 120_000, -0.013, -0.008),
    ("stitary", "Zeleň", "Ovocný sad na návsi", 80_000, -0.015, -0.013),
    ("stitary", "Voda", "Studánka v lesoparku", 60_000, -0.018, -0.009),
]
KOLIN_REJECTED: list[tuple[str, str, int, str]] = [
    (
        "city",
        "Aquapark na Kmochově ostrově",
        9_000_000,
        "Náklady mnohonásobně převyšují rozpočet celoměstské části a ostrov leží v záplavovém území.",
    ),
    (
        "zalabi",
        "Parkovací dům u nádraží",
        4_500_000,
        "Pozemek nepatří městu a stavba parkovacího domu nespadá do participativního rozpočtu.",
    ),
    (
        "stitary",
        "Oprava soukromé příjezdové cesty",
        150_000,
        "Cesta je soukromá; z rozpočtu města lze financovat jen projekty na veřejných pozemcích.",
    ),
]

WIELICZKA = (49.987, 20.065)
# (category, title, cost in PLN, popularity)
WIELICZKA_PROJECTS: list[tuple[str, str, int, float]] = [
    ("Zieleń", "Park kieszonkowy przy ul. Słowackiego", 180_000, 1.0),
    ("Sport", "Siłownia plenerowa na Os. Asnyka", 120_000, 0.9),
    ("Edukacja", "Pracownia robotyki w SP nr 4", 90_000, 0.8),
    ("Kultura", "Letnie koncerty na Rynku Górnym", 60_000, 0.7),
    ("Transport", "Stojaki rowerowe przy dworcu", 40_000, 0.6),
    ("Zieleń", "Łąka kwietna na Zadorach", 70_000, 0.6),
    ("Sport", "Boisko wielofunkcyjne w Krzyszkowicach", 350_000, 0.55),
    ("Transport", "Bezpieczne przejście przy ul. Dembowskiego", 210_000, 0.5),
    ("Kultura", "Kino plenerowe w Parku Mickiewicza", 50_000, 0.45),
    ("Edukacja", "Ogród sensoryczny przy przedszkolu", 110_000, 0.4),
    ("Zieleń", "Nasadzenia drzew wzdłuż ul. Reformackiej", 150_000, 0.35),
    ("Sport", "Skatepark przy Parku Solnym", 300_000, 0.3),
    ("Kultura", "Mural o historii kopalni", 45_000, 0.25),
    ("Transport", "Wiata przystankowa na Lednicy", 35_000, 0.2),
    ("Zieleń", "Poidełka w parkach miejskich", 80_000, 0.2),
    ("Edukacja", "Warsztaty kodowania dla seniorów", 25_000, 0.15),
]
IMPLEMENTATION_STORY = [
    (ImplementationStatus.COMPLETED, 100, "Projekt zrealizowany i oddany mieszkańcom."),
    (ImplementationStatus.IN_PROGRESS, 60, "Trwają prace budowlane; zakończenie planowane na jesień."),
    (ImplementationStatus.TENDER, 20, "Ogłoszono przetarg na wykonawcę."),
    (ImplementationStatus.DESIGN, 10, "Projektant przygotowuje dokumentację."),
    (ImplementationStatus.CANCELLED, 0, ""),
]


def _new_process(
    context: DemoContext, organisation_key: str, slug: str, actor: Any, title: dict[str, str], summary: dict[str, str]
) -> Process | None:
    organisation = context.organisations[organisation_key]
    if Process.objects.filter(organisation=organisation, slug=slug).exists():
        return None
    process = participation.create_process(
        actor=actor, organisation=organisation, title=title, summary=summary, slug=slug
    )
    participation.publish_process(actor=actor, process=process)
    return process


def _schedule(edition: Edition, active: str, *, now: Any, last_days: int = 30) -> None:
    """Phases back to back, each `last_days` long, with `active` running now (the last one runs for a year)."""
    phases = list(edition.module.phases.order_by("weight"))
    keys = [phase.phase_type for phase in phases]
    index = keys.index(active)
    for position, phase in enumerate(phases):
        start = now + timedelta(days=last_days * (position - index) - last_days // 2)
        end = start + timedelta(days=365 if position == len(phases) - 1 else last_days)
        phase.starts_at, phase.ends_at = start, end
        phase.save(update_fields=["starts_at", "ends_at"])
    if hasattr(edition.module, "_prefetched_objects_cache"):
        edition.module._prefetched_objects_cache.clear()


def _categories(edition: Edition, names: list[str]) -> dict[str, Category]:
    return {
        name: Category.objects.get_or_create(edition=edition, name=name, defaults={"weight": index})[0]
        for index, name in enumerate(dict.fromkeys(names))
    }


@register(order=60)
def load_kolin_budget(context: DemoContext) -> None:
    from veche.budgeting.services import review, voting

    coordinator = context.people["coordinator"]
    process = _new_process(
        context,
        "kolin",
        "participativni-rozpocet-2026",
        coordinator,
        title={
            "cs": "Participativní rozpočet 2026",
            "en": "Participatory budget 2026",
            "pl": "Budżet partycypacyjny 2026",
        },
        summary={
            "cs": "Obyvatelé Kolína rozhodují, na které projekty půjdou 3 miliony korun z městského rozpočtu.",
            "en": "Residents of Kolín decide which projects get 3 million crowns of the town's budget.",
            "pl": "Mieszkańcy Kolína decydują, które projekty otrzymają 3 miliony koron z budżetu miasta.",
        },
    )
    if process is None:
        return
    module = participation.add_module(
        actor=coordinator,
        process=process,
        module_type=BUDGETING.key,
        title={"cs": "Participativní rozpočet 2026", "en": "Participatory budget 2026", "pl": "Budżet 2026"},
    )
    edition = Edition.objects.with_timeline().get(module=module)
    Edition.objects.filter(pk=edition.pk).update(
        total_budget=Decimal(3_000_000),
        currency="CZK",
        ballot_type=BallotType.KNAPSACK,
        counting_rule=CountingRule.GREEDY,
        secret_ballot=True,
        allow_voting_codes=True,
        allow_paper=True,
        rules_text="Každý obyvatel Kolína starší 15 let může hlasovat v celoměstské části a v jedné městské části. "
        "Vybírejte projekty, dokud se jejich cena vejde do rozpočtu.",
    )
    pools = {
        "city": Pool.objects.create(edition=edition, name="Celé město", kind=PoolKind.CITYWIDE, budget=2_000_000),
        "zalabi": Pool.objects.create(edition=edition, name="Zálabí", kind=PoolKind.DISTRICT, budget=500_000, weight=1),
        "stitary": Pool.objects.create(
            edition=edition, name="Štítary", kind=PoolKind.DISTRICT, budget=500_000, weight=2
        ),
    }
    categories = _categories(edition, [row[1] for row in KOLIN_PROJECTS])
    now = timezone.now()
    author = context.people.get("resident")
    rows = [
        Proposal(
            edition=edition,
            pool=pools[pool],
            category=categories[category],
            number=number,
            title=title,
            summary=title,
            description=f"{title}. Návrh obyvatel, kteří chtějí zlepšit své okolí.",
            cost_estimate=Decimal(cost),
            latitude=Decimal(str(round(KOLIN[0] + dlat, 6))),
            longitude=Decimal(str(round(KOLIN[1] + dlng, 6))),
            status=ProposalStatus.SUBMITTED,
            author=author if number % 4 == 1 else None,
            submitted_at=now - timedelta(days=80),
        )
        for number, (pool, category, title, cost, dlat, dlng) in enumerate(KOLIN_PROJECTS, start=1)
    ]
    rows += [
        Proposal(
            edition=edition,
            pool=pools[pool],
            number=len(KOLIN_PROJECTS) + index,
            title=title,
            description=title,
            cost_estimate=Decimal(cost),
            status=ProposalStatus.SUBMITTED,
            submitted_at=now - timedelta(days=80),
        )
        for index, (pool, title, cost, _why) in enumerate(KOLIN_REJECTED, start=1)
    ]
    Proposal.objects.bulk_create(rows)
    # The office reviews during verification (through the review service), then voting opens.
    _schedule(edition, "verification", now=now)
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    reasons = {title: why for _pool, title, _cost, why in KOLIN_REJECTED}
    for proposal in Proposal.objects.with_edition().filter(edition=edition).order_by("number"):
        review.decide(actor=coordinator, proposal=proposal, to_status=ProposalStatus.UNDER_REVIEW)
        if proposal.title in reasons:
            review.decide(
                actor=coordinator,
                proposal=proposal,
                to_status=ProposalStatus.REJECTED,
                justification=reasons[proposal.title],
            )
        else:
            review.decide(
                actor=coordinator,
                proposal=proposal,
                to_status=ProposalStatus.ACCEPTED,
                justification="Návrh je proveditelný a cena odpovídá odhadu odboru investic.",
            )
    _schedule(edition, "voting", now=now)
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    accepted = {
        key: list(Proposal.objects.filter(pool=pool, status=ProposalStatus.ACCEPTED).order_by("number"))
        for key, pool in pools.items()
    }
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    for index in range(12):
        code = VotingCode.objects.create(
            edition=edition, code_hash=voting.code_hash(edition, f"DEMO{index:04d}KOLIN"), batch="Dopisy – ukázka"
        )
        voter = voting.Voter(key=f"c:{code.pk}", channel=VoteChannel.CODE)
        for key in ("city", "zalabi" if index % 2 else "stitary"):
            pool = pools[key]
            chosen: list[int] = []
            total = Decimal(0)
            for proposal in rng.sample(accepted[key], len(accepted[key])):
                if total + proposal.cost <= pool.budget and len(chosen) < 5:
                    chosen.append(proposal.pk)
                    total += proposal.cost
            voting.cast_ballot(voter=voter, pool=pool, projects=chosen)
    PaperBatch.objects.create(edition=edition, label="Radnice, urna 1", sheets=50, entered_by=coordinator)
    context.log.append(f"Kolín: budget edition {edition.pk} in the voting phase")


@register(order=61)
def load_wieliczka_budget(context: DemoContext) -> None:
    from veche.budgeting.services import implementation, results

    coordinator = context.people["koordynator"]
    process = _new_process(
        context,
        "wieliczka",
        "budzet-obywatelski-2025",
        coordinator,
        title={
            "pl": "Budżet obywatelski 2025",
            "en": "Participatory budget 2025",
            "cs": "Participativní rozpočet 2025",
        },
        summary={
            "pl": "Wyniki głosowania i realizacja projektów wybranych przez mieszkańców Wieliczki.",
            "en": "The results of the vote and the implementation of the projects Wieliczka's residents chose.",
            "cs": "Výsledky hlasování a realizace projektů, které vybrali obyvatelé Wieliczky.",
        },
    )
    if process is None:
        return
    module = participation.add_module(
        actor=coordinator,
        process=process,
        module_type=BUDGETING.key,
        title={"pl": "Budżet obywatelski 2025", "en": "Participatory budget 2025", "cs": "Rozpočet 2025"},
    )
    edition = Edition.objects.get(module=module)
    Edition.objects.filter(pk=edition.pk).update(
        total_budget=Decimal(1_000_000),
        currency="PLN",
        ballot_type=BallotType.APPROVAL,
        max_choices=5,
        counting_rule=CountingRule.MES,
        completion=Completion.ADD1,
        secret_ballot=True,
        rules_text="Każdy mieszkaniec mógł wybrać do pięciu projektów. Głosy policzono metodą równych udziałów.",
    )
    pool = Pool.objects.create(edition=edition, name="Cała gmina", kind=PoolKind.CITYWIDE, budget=1_000_000)
    categories = _categories(edition, [row[0] for row in WIELICZKA_PROJECTS])
    rng = random.Random(2025)  # noqa: S311 — demo data, not security
    Proposal.objects.bulk_create(
        [
            Proposal(
                edition=edition,
                pool=pool,
                category=categories[category],
                number=number,
                title=title,
                summary=title,
                description=f"{title}. Projekt zgłoszony przez mieszkańców.",
                cost_estimate=Decimal(cost),
                verified_cost=Decimal(cost),
                latitude=Decimal(str(round(WIELICZKA[0] + rng.uniform(-0.015, 0.015), 6))),
                longitude=Decimal(str(round(WIELICZKA[1] + rng.uniform(-0.025, 0.025), 6))),
                status=ProposalStatus.ACCEPTED,
            )
            for number, (category, title, cost, _popularity) in enumerate(WIELICZKA_PROJECTS, start=1)
        ]
    )
    ids = list(Proposal.objects.filter(edition=edition).order_by("number").values_list("pk", flat=True))
    weights = [popularity for *_rest, popularity in WIELICZKA_PROJECTS]
    ballots, register_rows = [], []
    today = timezone.localdate() - timedelta(days=70)
    for _index in range(200):
        chosen: set[int] = set()
        for _pick in range(rng.randint(1, 5)):
            chosen.add(rng.choices(ids, weights=weights)[0])
        ballots.append(
            Ballot(
                pool=pool,
                receipt=_receipt(rng),
                channel=VoteChannel.ONLINE,
                projects=sorted(chosen),
            )
        )
        register_rows.append(
            VoterRecord(
                edition=edition,
                pool=pool,
                pool_kind=PoolKind.CITYWIDE,
                voter_key=f"p:{uuid.UUID(int=rng.getrandbits(128))}",
                channel=VoteChannel.ONLINE,
                voted_on=today,
            )
        )
    Ballot.objects.bulk_create(ballots)
    VoterRecord.objects.bulk_create(register_rows)
    _schedule(edition, "implementation", now=timezone.now())
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    results.count_pool(actor=coordinator, pool=pool)
    edition = results.publish_results(actor=coordinator, edition=edition)
    edition = results.set_ballots_published(actor=coordinator, edition=edition, published=True)
    edition = Edition.objects.with_timeline().get(pk=edition.pk)
    records = list(Implementation.objects.filter(proposal__edition=edition).select_related("proposal"))
    records.sort(key=lambda record: record.proposal.number)
    for record, (status, progress, text) in zip(records, IMPLEMENTATION_STORY, strict=False):
        record.proposal.edition = edition
        implementation.post_update(
            actor=coordinator,
            implementation=record,
            status=ImplementationStatus.DESIGN if status != ImplementationStatus.CANCELLED else status,
            progress=min(progress, 10),
            text="Rozpoczęto przygotowania." if status != ImplementationStatus.CANCELLED else "",
            cancel_reason="Właściciel działki wycofał zgodę na realizację projektu."
            if status == ImplementationStatus.CANCELLED
            else "",
        )
        if status not in (ImplementationStatus.DESIGN, ImplementationStatus.CANCELLED):
            implementation.post_update(
                actor=coordinator, implementation=record, status=status, progress=progress, text=text
            )
    resident = context.people.get("resident")
    if resident is not None and records:
        records[0].followers.add(resident)
    context.log.append(f"Wieliczka: budget edition {edition.pk} with published results and implementation")


def _receipt(rng: random.Random) -> str:
    from veche.budgeting import ballot_rules

    bare = "".join(rng.choice(ballot_rules.RECEIPT_ALPHABET) for _index in range(10))
    return ballot_rules.group_code(bare, 5)
