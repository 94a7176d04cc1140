"""The map of participation at scale: 5,000 published cases over Czech and Polish municipalities, and the map's
GeoJSON (cold and cached cache, site and API), the map page and the list measured on them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veche .venv/bin/python benchmarks/map_cases.py \
        [--cases 5000] [--runs 60]

PostgreSQL only (without a PostgreSQL DATABASE_URL it prints a note and exits 0); like the test runner it creates
`test_<name>`, migrates, seeds, measures and drops it, never touching the database DATABASE_URL names. Each row is a
page requested through Django's test client, --runs times after three warm-up requests; "cold cache" rows retire the
cached GeoJSON before every request, so they measure building it. Target (issue #5): p95 under 150 ms with a fixed
number of queries.

SEEDERS and MEASUREMENTS have the shape of benchmarks/network_pages.py's lists, which add them to its table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Context = dict[str, Any]
CASES = 5_000
PLACES = [
    ("Praha", "CZ", 50.08, 14.43),
    ("Brno", "CZ", 49.19, 16.61),
    ("Ostrava", "CZ", 49.82, 18.26),
    ("Plzeň", "CZ", 49.74, 13.37),
    ("Kolín", "CZ", 50.03, 15.20),
    ("Kraków", "PL", 50.06, 19.94),
    ("Gdańsk", "PL", 54.35, 18.65),
    ("Wrocław", "PL", 51.11, 17.04),
    ("Lublin", "PL", 51.25, 22.57),
    ("Wieliczka", "PL", 49.99, 20.07),
]


def seed_cases(context: Context) -> None:
    """context["cases"] published cases (default 5,000) in two networks, 1–3 methods and 1–2 topics each, in bulk."""
    from django.utils import timezone

    from veche.cases.choices import CaseStatus
    from veche.cases.models import Case
    from veche.core.models import Method, Topic
    from veche.organisations.choices import Country, OrganisationKind
    from veche.organisations.models import Organisation

    rng = random.Random(14)
    count = context.get("cases", CASES)
    networks = [
        Organisation.objects.get_or_create(
            slug=f"bench-map-{index}",
            defaults={
                "kind": OrganisationKind.NETWORK,
                "name": f"Map {index}",
                "name_en": f"Map {index}",
                "country": Country.PL,
            },
        )[0]
        for index in range(2)
    ]
    methods, topics = list(Method.objects.all()), list(Topic.objects.all())
    now = timezone.now()
    rows = []
    for index in range(count):
        name, country, lat, lon = rng.choice(PLACES)
        started = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        rows.append(
            Case(
                network=rng.choice(networks),
                status=CaseStatus.PUBLISHED,
                language="cs" if country == "CZ" else "pl",
                title=f"{name}: participatory process {index}",
                summary="Residents and the municipality decided together.",
                municipality=f"{name} {index % 40}",
                country=country,
                latitude=Decimal(f"{lat + rng.uniform(-0.6, 0.6):.6f}"),
                longitude=Decimal(f"{lon + rng.uniform(-0.9, 0.9):.6f}"),
                started_on=started,
                ended_on=started + timedelta(days=rng.randrange(30, 300)),
                year=started.year,
                organiser=f"Town of {name}",
                participants=rng.randrange(20, 20_000),
                published_at=now - timedelta(minutes=index),
            )
        )
    cases = Case.objects.bulk_create(rows, batch_size=1000)
    through_methods, through_topics = Case.methods.through, Case.topics.through
    through_methods.objects.bulk_create(
        [through_methods(case=case, method=m) for case in cases for m in rng.sample(methods, rng.randint(1, 3))],
        batch_size=5000,
    )
    through_topics.objects.bulk_create(
        [through_topics(case=case, topic=t) for case in cases for t in rng.sample(topics, rng.randint(1, 2))],
        batch_size=5000,
    )
    context.update(case_networks=networks)


class ColdClient:
    """A test client whose every request finds the map's cache retired (a GeoJSON built from the database)."""

    def __init__(self) -> None:
        from django.test import Client

        self.client = Client()

    def get(self, url: str) -> Any:
        from veche.cases.geojson import retire_cached_map

        retire_cached_map()
        return self.client.get(url)


def page(name: str, params: str = "", *, cold: bool = False) -> Callable[[Context], tuple[Any, str]]:
    def build(context: Context) -> tuple[Any, str]:
        from django.test import Client
        from django.urls import reverse

        url = name if name.startswith("/") else reverse(name)
        return (ColdClient() if cold else Client()), url + (f"?{params}" if params else "")

    return build


SEEDERS: list[tuple[str, Callable[[Context], None]]] = [("map cases", seed_cases)]
MEASUREMENTS: list[tuple[str, Callable[[Context], tuple[Any, str]]]] = [
    ("map GeoJSON, all 5,000 cases, cold cache", page("cases:geojson", cold=True)),
    ("map GeoJSON, all 5,000 cases, cached", page("cases:geojson")),
    ("map GeoJSON, country + method, cold cache", page("cases:geojson", "country=PL&method=citizens_panel", cold=True)),
    ("API GeoJSON, all cases, cold cache", page("/api/v1/cases/geojson", cold=True)),
    ("map page (filters + 10 cases)", page("cases:map")),
    ("cases list, page 100", page("cases:list", "page=100")),
]


def measure(client: Any, url: str, runs: int) -> tuple[int, list[float], list[float]]:
    """Query count of one request; wall times and SQL times (sum of the queries' own times) in ms per run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times, sql_times, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries = len(captured)
        sql_times.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    return queries, times, sql_times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("map_cases: skipped — set DATABASE_URL to a PostgreSQL server (the numbers are PostgreSQL's)")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        context: Context = {"cases": args.cases}
        for name, seed in SEEDERS:
            started = time.perf_counter()
            seed(context)
            print(f"seeded {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        version = connection.cursor().connection.info.server_version
        print(f"PostgreSQL {version}, {args.cases} published cases, {args.runs} runs each")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
        print("| page | queries | p50 ms | p95 ms | max ms | SQL p50 ms | SQL p95 ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, build in MEASUREMENTS:
            client, url = build(context)
            queries, times, sql = measure(client, url, args.runs)
            print(
                f"| {name} | {queries} | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | "
                f"{max(times):.1f} | {statistics.median(sql):.1f} | {percentile(sql, 0.95):.1f} |",
                flush=True,
            )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
