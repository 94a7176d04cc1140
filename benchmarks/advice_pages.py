"""Advice on request at scale: expert suggestions over many practitioners, the coordinators' queue and the request
page with a long thread — time (p50/p95) and queries, in one process on a throw-away database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veche_bench_advice .venv/bin/python benchmarks/advice_pages.py
    .venv/bin/python benchmarks/advice_pages.py --experts 2000 --requests 2000 --runs 30

Without DATABASE_URL it runs on SQLite (in memory). The database is created from the migrations and dropped at the
end. Pages are requested through Django's test client (no web server), signed in as the network's coordinator.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=2000, help="practitioners who offer advice in the network")
    parser.add_argument("--requests", type=int, default=2000, help="requests in the network's queue")
    parser.add_argument("--messages", type=int, default=200, help="messages in the thread of the measured request")
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args()


def populate(experts: int, requests: int, messages: int):  # noqa: ANN201
    import random

    from django.contrib.auth import get_user_model

    from veche.advice.choices import AdviceStatus
    from veche.advice.models import AdviceMessage, AdviceRequest
    from veche.core.models import Method
    from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory, RoleFactory
    from veche.network.choices import MembershipState
    from veche.network.models import Membership, PractitionerProfile

    rng = random.Random(5)
    user_model = get_user_model()
    network = NetworkFactory(slug="bench-network")
    municipality = OrganisationFactory(slug="bench-town", region="Středočeský kraj")
    AffiliationFactory(network=network, organisation=municipality)
    coordinator = RoleFactory(organisation=network, kind="coordinator").user
    requester = RoleFactory(organisation=municipality, kind="coordinator").user
    users = user_model.objects.bulk_create(
        user_model(email=f"expert{index}@bench.example", display_name=f"Expert {index}") for index in range(experts)
    )
    Membership.objects.bulk_create(
        Membership(network=network, user=user, state=MembershipState.ACTIVE, motivation="-", region="-", experience="-")
        for user in users
    )
    regions = ["Středočeský kraj", "Praha", "Jihomoravský kraj", "Małopolskie", "Pomorskie"]
    profiles = PractitionerProfile.objects.bulk_create(
        PractitionerProfile(
            user=user,
            name=user.display_name,
            is_published=True,
            available_as_advisor=rng.random() < 0.7,
            available_as_mentor=rng.random() < 0.5,
            languages=rng.sample(["cs", "pl", "en", "sk", "de"], rng.randrange(1, 4)),
            country=rng.choice(["CZ", "PL"]),
            region=rng.choice(regions),
            methods_visibility=rng.choice([10, 20, 30, 40]),
        )
        for user in users
    )
    methods = list(Method.objects.all())
    through = PractitionerProfile.methods.through
    through.objects.bulk_create(
        through(practitionerprofile_id=profile.pk, method_id=method.pk)
        for profile in profiles
        for method in rng.sample(methods, rng.randrange(1, 5))
    )
    statuses = [AdviceStatus.NEW, AdviceStatus.ASSIGNED, AdviceStatus.IN_PROGRESS, AdviceStatus.CLOSED]
    AdviceRequest.objects.bulk_create(
        AdviceRequest(
            network=network,
            requester_organisation=municipality,
            requested_by=requester,
            title=f"Request {index}",
            stage="planning",
            method=rng.choice(methods).slug,
            description="A request.",
            preferred_language=rng.choice(["cs", "pl"]),
            status=(status := rng.choice(statuses)),
            expert=rng.choice(users) if status != AdviceStatus.NEW else None,
        )
        for index in range(requests)
    )
    measured = AdviceRequest.objects.create(
        network=network,
        requester_organisation=municipality,
        requested_by=requester,
        title="Measured",
        stage="evaluating",
        method="consultation",
        description="The measured request.",
        preferred_language="cs",
        country="CZ",
        region="Středočeský kraj",
        status=AdviceStatus.IN_PROGRESS,
        expert=users[0],
    )
    AdviceMessage.objects.bulk_create(
        AdviceMessage(request=measured, author=rng.choice([users[0], requester]), body=f"Message {index}")
        for index in range(messages)
    )
    return network, coordinator, measured


def measure(label: str, action, runs: int) -> tuple[str, float, float, int]:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()  # warm up
    timings = []
    for _run in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            action()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
    return label, statistics.median(timings), p95, len(queries)


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.VECHE_REQUIRE_STAFF_2FA = False
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from veche.advice import experts

        start = time.perf_counter()
        network, coordinator, measured = populate(args.experts, args.requests, args.messages)
        print(f"populated in {time.perf_counter() - start:.1f} s on {connection.vendor}")  # noqa: T201
        eligible = experts.eligible_profiles(network).count()
        client = Client()
        client.force_login(coordinator)

        def page(url: str):  # noqa: ANN202
            def get() -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return get

        assign_url = f"/en/advice/requests/{measured.pk}/assign/"
        rows = [
            measure(f"suggestions (top 10 of {eligible} eligible)", lambda: experts.suggestions(measured), args.runs),
            measure(f"assign page, all {eligible} ranked, first 25", page(f"{assign_url}?all=1"), 5),
            measure(f"queue page ({args.requests} requests)", page("/en/advice/bench-network/queue/"), args.runs),
            measure("queue page, status=all, page 40", page("/en/advice/bench-network/queue/?status=all&page=40"), 10),
            measure(f"request page ({args.messages} messages)", page(f"/en/advice/requests/{measured.pk}/"), args.runs),
            measure("API list (20 of them)", page("/api/v1/advice/requests?limit=20"), args.runs),
        ]
        print(f"\n{'what':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")  # noqa: T201
        for label, p50, p95, queries in rows:
            print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {queries:>8}")  # noqa: T201
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
