"""Survey results at scale: the aggregate results, the demographics, the CSV export and the survey's pages, and the
pure engine on its own.

    .venv/bin/python benchmarks/survey_results.py [--responses 5000] [--repeat 20]

Runs in-process on a throw-away test database (PostgreSQL when DATABASE_URL points at one, SQLite otherwise). Seeds
one open consultation with a survey of every question kind and --responses responses (rows written in bulk, the way
the service writes them), then times each operation --repeat times after a warm-up. The engine rows time
survey_engine.results on synthetic answers without a database.

Target: the results page and survey_results() under 200 ms p95 on PostgreSQL with 5,000 responses.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 200.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=5000, help="responses to seed")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per row")
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("VECHE_REQUIRE_STAFF_2FA", "0")
    import django

    django.setup()


def seed(responses: int) -> Any:
    from django.utils import timezone

    from veche.consultations.choices import Channel, ContributionKind
    from veche.consultations.models import Contribution, Participant, SurveyAnswer, SurveyResponse
    from veche.consultations.models.surveys import QuestionKind
    from veche.consultations.tests.factories import make_consultation
    from veche.consultations.tests.surveys_factories import make_survey

    rng = random.Random(1)  # noqa: S311 — benchmark data
    consultation = make_consultation(slug="survey-bench")
    survey = make_survey(consultation, ask_demographics=True, districts=["North", "South", "East", "West"])
    questions = list(survey.questions.prefetch_related("options"))
    now = timezone.now()
    people = Participant.objects.bulk_create(
        Participant(
            consultation=consultation,
            email=f"p{index}@example.org",
            age_band=rng.choice(["18_29", "30_44", "45_64", "65_plus"]),
            gender=rng.choice(["woman", "man"]),
            district=rng.choice(["North", "South", "East", "West"]),
            demographics_answered_at=now,
        )
        for index in range(responses)
    )
    rows = SurveyResponse.objects.bulk_create(SurveyResponse(survey=survey, participant=person) for person in people)
    answers, contributions = [], []
    for response in rows:
        for question in questions:
            options = [option.pk for option in question.options.all()]
            answer = SurveyAnswer(response=response, question=question)
            if question.kind == QuestionKind.SINGLE:
                answer.choices = [rng.choice(options)]
            elif question.kind == QuestionKind.MULTIPLE:
                answer.choices = rng.sample(options, 2)
            elif question.kind == QuestionKind.RANKING:
                answer.choices = rng.sample(options, len(options))
            elif question.kind == QuestionKind.SCALE:
                answer.number = rng.randint(1, 5)
            elif question.kind == QuestionKind.MAP_POINT:
                answer.latitude, answer.longitude = 50.08 + rng.random() / 100, 14.42 + rng.random() / 100
            else:
                answer.text = "More trees, please."
                contributions.append(
                    Contribution(
                        consultation=consultation,
                        kind=ContributionKind.SURVEY_ANSWER,
                        channel=Channel.ONLINE,
                        participant=response.participant,
                        text=answer.text,
                    )
                )
            answers.append(answer)
    Contribution.objects.bulk_create(contributions, batch_size=2000)
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    return consultation


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    from django.db import connection

    run()
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)], len(queries)


def engine_rows(responses: int, repeat: int) -> list[tuple[str, Callable[[], Any]]]:
    from veche.consultations.survey_engine import results

    rng = random.Random(2)  # noqa: S311 — benchmark data
    options = list(range(1, 9))
    choices = [[rng.choice(options)] for _ in range(responses * 20)]
    orders = [rng.sample(options, len(options)) for _ in range(responses * 20)]
    values = [rng.randint(0, 10) for _ in range(responses * 20)]
    label = f"{responses * 20:,}"
    return [
        (f"engine: choices ×{label}", lambda: results.choice_counts(options, choices)),
        (f"engine: rankings ×{label}", lambda: results.ranking_summary(options, orders)),
        (f"engine: scale ×{label}", lambda: results.scale_summary(0, 10, values)),
    ]


def main() -> int:
    args = parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    failed = False
    try:
        from veche.consultations.models import Survey
        from veche.consultations.models.surveys import ResultsVisibility
        from veche.consultations.services import surveys

        started = time.perf_counter()
        consultation = seed(args.responses)
        seeded = time.perf_counter() - started
        Survey.objects.filter(consultation=consultation).update(results_visibility=ResultsVisibility.LIVE)
        survey = Survey.objects.get(consultation=consultation)
        base = f"/en/consultations/{consultation.organisation.slug}/{consultation.slug}"
        client = Client()
        rows: list[tuple[str, Callable[[], Any], bool]] = [
            ("survey_results()", lambda: surveys.survey_results(consultation), True),
            ("demographics_summary()", lambda: surveys.demographics_summary(consultation), True),
            ("choice_answers_table()", lambda: surveys.choice_answers_table(survey), False),
            ("results page", lambda: client.get(f"{base}/survey/results/"), True),
            ("consultation page", lambda: client.get(f"{base}/"), True),
            ("API results", lambda: client.get(f"/api/v1/consultations/{consultation.pk}/survey/results"), True),
        ]
        rows += [(label, run, False) for label, run in engine_rows(args.responses, args.repeat)]
        print(
            f"Survey results on {connection.vendor} ({test_name}), {args.responses:,} responses × 7 questions "
            f"(seeded in {seeded:.1f} s), {args.repeat} runs each (ms; target p95 < {TARGET_MS:.0f} ms where marked)"
        )
        print(f"{'operation':<32} {'p50':>8} {'p95':>8} {'queries':>8}  target")
        for label, run, targeted in rows:
            p50, p95, queries = timed(run, args.repeat)
            ok = p95 < TARGET_MS
            failed = failed or (targeted and not ok)
            mark = ("yes" if ok else "NO") if targeted else "—"
            print(f"{label:<32} {p50:8.1f} {p95:8.1f} {queries:8d}  {mark}")
        print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if failed and connection.vendor == "postgresql" else 0


if __name__ == "__main__":
    raise SystemExit(main())
