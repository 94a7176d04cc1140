"""Latency of the network's pages at scale: the practitioners' directory over 10,000 profiles (and, as the map of
participation lands, its GeoJSON over 5,000 cases — add a seeder and measurements below).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veche .venv/bin/python benchmarks/network_pages.py \
        [--profiles 10000] [--runs 60]

Runs on PostgreSQL only (the numbers that matter): without DATABASE_URL, or with one that is not PostgreSQL, it
prints a note and exits 0. It never touches the database DATABASE_URL names: like the test runner it creates
`test_<name>`, migrates it, seeds it, measures, and drops it.

Each measurement is a page requested through Django's test client (URL resolution, middleware, the view, template
rendering — no network, and no test instrumentation of templates), repeated --runs times after three warm-up
requests; the table gives the number of SQL queries of one request, the p50 / p95 / max wall time, and the time
spent in SQL. Target (issue #5): p95 under 150 ms, a fixed query count. The load average is printed because the
machine may be shared.

Structure, for other apps adding rows:
    SEEDERS: list of (name, fn(context) -> None) that fill the database (context is a dict they share), and
    REUSERS: name -> fn(context) that finds the same objects again in a database kept with --keep (--reuse);
    MEASUREMENTS: list of (name, fn(context) -> (client, url)) — what to request and as whom.
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

FIRST_NAMES = ["Jana", "Petr", "Eva", "Tomáš", "Anna", "Piotr", "Marta", "Ewa", "Karel", "Agnieszka", "Jakub", "Zofia"]
LAST_NAMES = ["Nováková", "Dvořák", "Kowalska", "Zieliński", "Svoboda", "Wiśniewska", "Černý", "Nowak", "Krejčí"]
REGIONS = [("CZ", "Jihomoravský kraj"), ("CZ", "Praha"), ("CZ", "Vysočina"), ("PL", "Małopolskie"), ("PL", "Pomorskie")]
# Bios: a few domain words among many others, so that a domain word matches a few per cent of the profiles and a
# rare word almost none — roughly how people write.
WORDS = ["participatory", "budget", "workshop", "youth", "climate", "panel", "school", "park", "dialogue", "river"]
SYLLABLES = ["ka", "lo", "mi", "ne", "po", "ru", "sa", "te", "vi", "zo", "dra", "ple", "sto", "kri", "wen"]
FILLER = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:6]})

Context = dict[str, Any]


def seed_practitioners(context: Context) -> None:
    """--profiles practitioners with varied visibility; 70 % members of one of two networks, each with a
    coordinator; methods and topics linked in bulk."""
    from django.contrib.auth import get_user_model

    from veche.core.models import Method, Topic
    from veche.network.choices import Availability, LanguageChoices, MembershipState, Visibility
    from veche.network.models import Membership, PractitionerProfile
    from veche.network.search import documents_for
    from veche.organisations.choices import Country, OrganisationKind
    from veche.organisations.models import Organisation, Role

    rng = random.Random(5)
    count = context["profiles"]
    user_model = get_user_model()
    networks = [
        Organisation.objects.create(
            slug=f"bench-net-{index}",
            kind=OrganisationKind.NETWORK,
            name=f"Net {index}",
            name_en=f"Net {index}",
            country=Country.CZ,
        )
        for index in range(2)
    ]
    users = user_model.objects.bulk_create(
        [
            user_model(email=f"p{index}@bench.example", display_name=f"P {index}", password="!")
            for index in range(count)
        ],
        batch_size=2000,
    )
    coordinator = user_model.objects.create(email="coordinator@bench.example", password="!")
    Role.objects.create(user=coordinator, organisation=networks[0], kind="coordinator")
    methods = list(Method.objects.all())
    topics = list(Topic.objects.all())
    levels = [Visibility.PUBLIC] * 6 + [Visibility.MEMBERS, Visibility.COORDINATORS, Visibility.HIDDEN]
    profiles, chosen = [], []
    for index, user in enumerate(users):
        country, region = rng.choice(REGIONS)
        profile = PractitionerProfile(
            user=user,
            is_published=rng.random() < 0.95,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {index}",
            organisation_name=f"Organisation {rng.randrange(400)}",
            role=rng.choice(["official", "ngo", "facilitator", "researcher"]),
            region=region,
            country=country,
            languages=rng.sample(LanguageChoices.values[:6], 2),
            bio=" ".join([*rng.sample(FILLER, 40), *rng.sample(WORDS, 1)]),
            years_of_experience=rng.randrange(1, 30),
            processes=[{"title": f"{rng.choice(WORDS)} process {index}", "url": ""}],
            **{f"available_as_{key}": rng.random() < 0.3 for key in Availability.values},
            **{
                f"{group}_visibility": rng.choice(levels)
                for group in (
                    "name",
                    "photo",
                    "organisation",
                    "role",
                    "location",
                    "languages",
                    "methods",
                    "topics",
                    "bio",
                    "experience",
                    "processes",
                    "availability",
                )
            },
        )
        picked = (rng.sample(methods, 3), rng.sample(topics, 2))
        docs = documents_for(profile, method_slugs=[m.slug for m in picked[0]], topic_slugs=[t.slug for t in picked[1]])
        for column, value in docs.items():
            setattr(profile, column, value)
        profiles.append(profile)
        chosen.append(picked)
    PractitionerProfile.objects.bulk_create(profiles, batch_size=1000)
    profile_methods, profile_topics = PractitionerProfile.methods.through, PractitionerProfile.topics.through
    profile_methods.objects.bulk_create(
        [
            profile_methods(practitionerprofile=p, method=m)
            for p, (ms, _ts) in zip(profiles, chosen, strict=True)
            for m in ms
        ],
        batch_size=5000,
    )
    profile_topics.objects.bulk_create(
        [
            profile_topics(practitionerprofile=p, topic=t)
            for p, (_ms, ts) in zip(profiles, chosen, strict=True)
            for t in ts
        ],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                network=rng.choice(networks),
                user=user,
                state=MembershipState.ACTIVE,
                motivation="m",
                region="r",
                experience="e",
            )
            for user in users
            if rng.random() < 0.7
        ],
        batch_size=2000,
    )
    from veche.network.search import refresh_vectors

    refresh_vectors(PractitionerProfile.objects.all())
    member = Membership.objects.filter(network=networks[0]).select_related("user").first().user
    context.update(networks=networks, coordinator=coordinator, member=member)


def _client(user: Any = None) -> Any:
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def directory(params: str = "", who: str | None = None) -> Callable[[Context], tuple[Any, str]]:
    def build(context: Context) -> tuple[Any, str]:
        from django.urls import reverse

        return _client(context[who] if who else None), reverse("network:directory") + (f"?{params}" if params else "")

    return build


def reuse_practitioners(context: Context) -> None:
    """What seed_practitioners puts in the context, found again in a kept database."""
    from django.contrib.auth import get_user_model

    from veche.network.models import Membership
    from veche.organisations.models import Organisation

    context["networks"] = list(Organisation.objects.filter(slug__startswith="bench-net-").order_by("slug"))
    context["coordinator"] = get_user_model().objects.get(email="coordinator@bench.example")
    context["member"] = Membership.objects.filter(network=context["networks"][0]).select_related("user").first().user


def healthz(context: Context) -> tuple[Any, str]:
    return _client(), "/healthz"


def organisations_list(context: Context) -> tuple[Any, str]:
    return _client(), "/en/organisations/"


SEEDERS: list[tuple[str, Callable[[Context], None]]] = [("practitioners", seed_practitioners)]
REUSERS: dict[str, Callable[[Context], None]] = {"practitioners": reuse_practitioners}
MEASUREMENTS: list[tuple[str, Callable[[Context], tuple[Any, str]]]] = [
    # Two pages that do almost nothing, to read the others against the machine's speed at the time.
    ("baseline: /healthz", healthz),
    ("baseline: organisations list (2 organisations)", organisations_list),
    ("directory, anonymous, first page", directory()),
    ("directory, anonymous, search 'workshop'", directory("q=workshop")),
    ("directory, anonymous, search 'nov' (prefix)", directory("q=nov")),
    ("directory, anonymous, page 200", directory("page=200")),
    ("directory, member, search + method", directory("q=climate+panel&method=citizens_panel", "member")),
    ("directory, member, language + availability", directory("language=pl&availability=mentor", "member")),
    ("directory, coordinator, network + search", directory("network=bench-net-0&q=budget", "coordinator")),
    ("directory, coordinator, country + topic", directory("country=PL&topic=climate", "coordinator")),
]


def measure(client: Any, url: str, runs: int) -> tuple[int, list[float], list[float]]:
    """Query count of one request; wall times and SQL times (sum of the queries' own times) in ms per run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
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
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database (test_<name>) for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure the database a --keep run left")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("network_pages: skipped — set DATABASE_URL to a PostgreSQL server (the numbers are PostgreSQL's)")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.VECHE_REQUIRE_STAFF_2FA = False  # coordinators are staff; the benchmark signs them in without TOTP
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse)
    try:
        context: Context = {"profiles": args.profiles}
        for name, seed in SEEDERS:
            started = time.perf_counter()
            if args.reuse:
                REUSERS[name](context)
            else:
                seed(context)
            print(f"seeded {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            # VACUUM as well: the seeder's bulk update of the tsvectors leaves a dead copy of every row, which a live
            # database's autovacuum removes; without it every scan reads twice the pages of a steady-state table.
            cursor.execute("VACUUM ANALYZE")
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version}, {args.profiles} profiles, "
            f"{args.runs} runs each\n"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
        print("| page | queries | p50 ms | p95 ms | max ms | SQL p50 ms | SQL p95 ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, build in MEASUREMENTS:
            client, page_url = build(context)
            queries, times, sql = measure(client, page_url, args.runs)
            print(
                f"| {name} | {queries} | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | "
                f"{max(times):.1f} | {statistics.median(sql):.1f} | {percentile(sql, 0.95):.1f} |",
                flush=True,
            )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
