"""Server time of the busiest consultation pages: p50/p95 over repeated requests, with the queries each one makes.

    .venv/bin/python benchmarks/consultation_pages.py [--consultations 300] [--repeat 40]

Runs in-process through Django's test client (no network, no browser: what is measured is the time Django takes
to answer) on a throw-away test database: PostgreSQL when DATABASE_URL points at one (its test_<name> database is
created and dropped), SQLite otherwise. Seeds --consultations consultations across 30 organisations (topics,
target groups, methods, areas), then times each page in PAGES --repeat times after two warm-up requests.

Target (issue #4): every consultation page under 200 ms server time on PostgreSQL.

Other parts add their pages: write a seed function that returns the paths to time (see seed_setup), append it to
SEEDS, and its rows appear in the table (the documents part adds the page with 2,000 comments on a 300-paragraph
document). A path may come with a user as a third item: it is then requested signed in as that user.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 200.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--consultations", type=int, default=300, help="consultations to seed")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per page")
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("VECHE_REQUIRE_STAFF_2FA", "0")
    import django

    django.setup()


def seed_setup(count: int) -> list[tuple[str, str]]:
    """The set-up part's pages: lists, search, map, feeds, the consultation page and the API."""
    from django.utils import timezone

    from veche.consultations.choices import MethodKind, TargetGroup
    from veche.consultations.models import ConsultationMethod, ConsultationTargetGroup
    from veche.consultations.tests.factories import consultation_in
    from veche.core.models import Topic
    from veche.core.testing.factories import OrganisationFactory

    organisations = [OrganisationFactory(slug=f"town-{index}", name=f"Town {index}") for index in range(30)]
    topics = list(Topic.objects.all())
    phases = ["announcement", "open", "analysis", "finished"]
    now = timezone.now()
    busy = None
    for index in range(count):
        consultation = consultation_in(
            organisations[index % len(organisations)],
            phase=phases[index % len(phases)],
            subject=f"Park and square number {index}",
            summary="We plan a new park by the river with benches, trees and a playground. Tell us what you need.",
            decision="The council approves the design.",
            latitude=50.0 + (index % 50) / 100,
            longitude=15.0 + (index % 70) / 100,
            area={"type": "Point", "coordinates": [15.0 + (index % 70) / 100, 50.0 + (index % 50) / 100]},
            contact_name="Coordinator",
            contact_email="coordinator@example.org",
        )
        consultation.topics.set(topics[index % len(topics) : index % len(topics) + 3])
        ConsultationTargetGroup.objects.bulk_create(
            ConsultationTargetGroup(consultation=consultation, group=group)
            for group in list(TargetGroup.values)[index % 4 : index % 4 + 3]
        )
        ConsultationMethod.objects.bulk_create(
            ConsultationMethod(
                consultation=consultation,
                kind=kind,
                description="Come and talk.",
                place="Town hall",
                starts_at=now + timedelta(days=3),
                ends_at=now + timedelta(days=3, hours=2),
                weight=weight,
            )
            for weight, kind in enumerate([MethodKind.ONLINE_COMMENTS, MethodKind.PUBLIC_MEETING, MethodKind.WALK])
        )
        if index == 1:
            busy = consultation
    assert busy is not None
    return [
        ("list, whole site", "/en/consultations/"),
        ("list, page 5", "/en/consultations/?page=5"),
        ("list, filtered + search", "/en/consultations/?state=open&q=park+square&topic=" + topics[1].slug),
        ("list, one organisation", f"/en/consultations/{organisations[3].slug}/"),
        ("map", "/en/consultations/map/"),
        ("consultation page", busy.get_absolute_url()),
        ("RSS feed", "/en/consultations/feeds/rss/"),
        ("Atom feed", "/en/consultations/feeds/atom/"),
        ("iCalendar feed", "/en/consultations/feeds/calendar.ics"),
        ("API list", "/api/v1/consultations?limit=50"),
        ("API detail", f"/api/v1/consultations/{busy.pk}"),
    ]


def seed_documents(count: int) -> list[tuple[Any, ...]]:
    """The documents part's pages on the scale case: a consultation whose 300-paragraph document has 2,000 comments
    and wordings (a quarter on one paragraph), replies, supports and hidden ones (factories.busy_document). The
    busiest paragraph also signed in, as a participant sees it (a reply form under every thread)."""
    from django.urls import reverse

    from veche.consultations.models import Participant
    from veche.consultations.tests.factories import busy_document, consultation_in
    from veche.core.testing.factories import OrganisationFactory, UserFactory

    consultation = consultation_in(OrganisationFactory(slug="busy-town", name="Busy town"), subject="Riverside plan")
    document, busiest = busy_document(consultation)
    resident = UserFactory(email="busy-resident@example.org")
    Participant.objects.create(consultation=consultation, user=resident)
    kwargs = {"org_slug": consultation.organisation.slug, "slug": consultation.slug, "document_id": document.pk}
    api = f"/api/v1/consultations/{consultation.pk}"
    return [
        ("2,000 comments: consultation", consultation.get_absolute_url()),
        ("document, 300 paragraphs", reverse("consultations:document", kwargs=kwargs)),
        ("busiest paragraph", reverse("consultations:paragraph", kwargs={**kwargs, "number": busiest.number})),
        (
            "busiest paragraph, signed in",
            reverse("consultations:paragraph", kwargs={**kwargs, "number": busiest.number}),
            resident,
        ),
        ("API document", f"{api}/documents/{document.pk}"),
        ("API contributions (100)", f"{api}/contributions?document={document.pk}&limit=100"),
    ]


# Each seed function takes the number of consultations and returns (label, path) pairs to time.
SEEDS: list[Callable[[int], list[tuple[Any, ...]]]] = [seed_setup, seed_documents]


def time_page(client: Any, path: str, repeat: int) -> tuple[float, float, float, int, int]:
    """p50 and p95 wall time, p50 CPU time of this process (ms; the CPU time is what the page costs whatever else
    runs on the machine — with SQLite it includes the database's work), queries and bytes of one request."""
    from django.db import connection

    for _ in range(2):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    samples, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} while being timed")
    samples.sort()
    p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95, statistics.median(cpu), len(queries), len(response.content)


def main() -> int:
    args = parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Not setup_test_environment(): it instruments every template render (a context copy and a signal each), which
    # would be measured too. The test client only needs its host allowed.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.VECHE_API_RATE = "1000000/m"  # the API's rate limit would answer 429 to the repeated requests
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        paths: list[tuple[Any, ...]] = []
        for seed in SEEDS:
            paths.extend(seed(args.consultations))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum does to tables this fresh; plans assume empty ones before
        client = Client()
        print(
            f"Consultation pages on {connection.vendor} ({test_name}), {args.consultations} consultations, "
            f"{args.repeat} requests each (server time in ms; target p95 < {TARGET_MS:.0f} ms)"
        )
        print(f"{'page':<28} {'p50':>8} {'p95':>8} {'cpu p50':>8} {'queries':>8} {'kB':>7}  ok")
        failed = False
        for label, path, *user in paths:
            page_client = client
            if user:
                page_client = Client()
                page_client.force_login(user[0])
            p50, p95, cpu, queries, size = time_page(page_client, path, args.repeat)
            ok = p95 < TARGET_MS
            failed = failed or not ok
            print(
                f"{label:<28} {p50:8.1f} {p95:8.1f} {cpu:8.1f} {queries:8d} {size / 1024:7.1f}  {'yes' if ok else 'NO'}"
            )
        print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if failed and connection.vendor == "postgresql" else 0


if __name__ == "__main__":
    sys.exit(main())
