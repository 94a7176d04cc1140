"""Consultation report build times: the snapshot (every contribution with its response, demographics, sections,
themes), the CSV and XLSX of all contributions, and the PDF report with its annex, for 1,000 and 5,000
contributions.

    .venv/bin/python benchmarks/consultation_report.py [--sizes 1000 5000] [--repeat 1]

Runs on PostgreSQL when BENCH_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/veche_bench_report;
a test database "test_<name>" is created and dropped), else on a temporary SQLite file. For each size: one
consultation with a 300-paragraph document in 20 sections, contributions from every channel (comments, proposed
wordings, survey text answers, offline input), a tenth of them hidden, 30 themes answering half of them, own
responses for the rest, and half as many participants with demographics against population figures. The times are
what the build task spends (services/report.py runs the same functions); the PDF is also counted in pages.

Target (issue #4): the report for 5,000 contributions is built in a task with progress shown — minutes at most.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="contributions per consultation")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per size (the median is printed)")
    return parser.parse_args()


def setup_django() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection.vendor


def make_consultation(size: int, seed: int = 4):
    from django.utils import timezone

    from veche.consultations.choices import AgeBand, Channel, ContributionKind, ContributionStatus, Gender
    from veche.consultations.models import (
        Contribution,
        OfficialResponse,
        Participant,
        PopulationFigure,
        ResponseOutcome,
        Theme,
        ThemeMember,
    )
    from veche.consultations.services.report import report_for
    from veche.consultations.tests.factories import consultation_in, document_for
    from veche.core.testing.factories import OrganisationFactory

    rng = random.Random(seed)
    organisation = OrganisationFactory()
    consultation = consultation_in(organisation, phase="analysis", language="cs", subject=f"Park u řeky ({size})")
    document = document_for(consultation, sections=20, paragraphs=15)
    paragraphs = list(document.paragraphs.all())
    districts = ["Centrum", "Zálabí", "Štítary", "Koutky", "Sendražice"]
    people = Participant.objects.bulk_create(
        Participant(
            consultation=consultation,
            email=f"p{index}@example.org",
            email_verified_at=timezone.now(),
            age_band=rng.choice(AgeBand.values),
            gender=rng.choice(Gender.values),
            district=rng.choice(districts),
            demographics_answered_at=timezone.now(),
        )
        for index in range(size // 2)
    )
    figures = [("age_band", key, rng.randint(500, 3000)) for key in AgeBand.values if key != "undisclosed"]
    figures += [("gender", "woman", 5200), ("gender", "man", 4800)] + [("district", d, 2000) for d in districts]
    PopulationFigure.objects.bulk_create(
        PopulationFigure(organisation=organisation, dimension=d, group=g, residents=n) for d, g, n in figures
    )
    kinds = [ContributionKind.COMMENT] * 5 + [ContributionKind.WORDING, ContributionKind.SURVEY_ANSWER] * 2
    kinds += [ContributionKind.OFFLINE]
    text = "Prosíme o více stínu a laviček u hřiště; żółw i gęś też chcą odpocząć. " * 3
    rows = []
    for index in range(size):
        kind = rng.choice(kinds)
        offline = kind == ContributionKind.OFFLINE
        rows.append(
            Contribution(
                consultation=consultation,
                kind=kind,
                channel=rng.choice([Channel.MEETING, Channel.PAPER, Channel.WALK]) if offline else Channel.ONLINE,
                participant=None if offline else rng.choice(people),
                author_label="Veřejné setkání" if offline else "",
                paragraph=rng.choice(paragraphs)
                if kind in (ContributionKind.COMMENT, ContributionKind.WORDING)
                else None,
                text=f"{index}: {text}",
                proposed_text="Nové znění odstavce." if kind == ContributionKind.WORDING else "",
                status=ContributionStatus.HIDDEN if index % 10 == 9 else ContributionStatus.PUBLISHED,
                moderation_reason="Urážky" if index % 10 == 9 else "",
            )
        )
    contributions = Contribution.objects.bulk_create(rows, batch_size=1000)
    themes = Theme.objects.bulk_create(
        Theme(consultation=consultation, title=f"Téma {index}", description="Stín a lavičky") for index in range(30)
    )
    outcomes = ResponseOutcome.values
    members, responses = [], []
    for index, item in enumerate(contributions):
        if item.status == ContributionStatus.HIDDEN:
            continue
        if index % 2:
            members.append(ThemeMember(theme=themes[index % 30], contribution=item))
        else:
            responses.append(
                OfficialResponse(
                    consultation=consultation,
                    contribution=item,
                    outcome=outcomes[index % 4],
                    justification="Zapracujeme do návrhu: vysadíme 40 stromů podél řeky.",
                )
            )
    ThemeMember.objects.bulk_create(members, batch_size=1000)
    responses += [
        OfficialResponse(consultation=consultation, theme=theme, outcome=outcomes[i % 4], justification="Přijato.")
        for i, theme in enumerate(themes)
    ]
    OfficialResponse.objects.bulk_create(responses, batch_size=1000)
    report = report_for(consultation)
    report.outcome = "Park bude mít 40 nových stromů a 20 laviček. " * 5
    report.save()
    return consultation


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    args = parse_args()
    vendor = setup_django()
    import io
    import logging

    from django.urls import reverse
    from django.utils import translation
    from pypdf import PdfReader

    from veche.consultations.report_exports import contributions_csv, contributions_xlsx, report_pdf
    from veche.consultations.report_snapshot import build_snapshot

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    reverse("home")  # load the URL configuration before timing (the snapshot reverses the consultation's address)
    print(f"Consultation report build ({vendor}); median of {args.repeat} run(s), seconds")
    header = (
        f"{'contributions':>13} {'snapshot':>9} {'CSV':>7} {'XLSX':>7} {'PDF':>8} {'total':>8} "
        f"{'PDF pages':>9} {'PDF MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        consultation = make_consultation(size)
        results: dict[str, list[float]] = {"snapshot": [], "csv": [], "xlsx": [], "pdf": []}
        pdf = b""
        with translation.override("cs"):
            for _ in range(args.repeat):
                seconds, snapshot = timed(build_snapshot, consultation)
                results["snapshot"].append(seconds)
                results["csv"].append(timed(contributions_csv, snapshot)[0])
                results["xlsx"].append(timed(contributions_xlsx, snapshot)[0])
                seconds, pdf = timed(report_pdf, snapshot)
                results["pdf"].append(seconds)
        medians = {key: statistics.median(values) for key, values in results.items()}
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{size:>13,} {medians['snapshot']:>9.2f} {medians['csv']:>7.2f} {medians['xlsx']:>7.2f} "
            f"{medians['pdf']:>8.2f} {sum(medians.values()):>8.2f} {pages:>9} {len(pdf) / 1e6:>7.1f}"
        )


if __name__ == "__main__":
    main()
