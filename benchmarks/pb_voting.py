"""Voting under load: gunicorn + PostgreSQL, 50 concurrent voters casting 5-project knapsack ballots for 30 s.

    .venv/bin/python benchmarks/pb_voting.py [--seconds 30] [--clients 50] [--workers 4] [--voters 20000]

Needs a PostgreSQL server (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/veche_bench_voting — the
database is dropped and created afresh; the script stops with a note and exit code 0 when the server is unreachable)
and pgbench on PATH. Steps:

1. migrate a fresh database; create an edition in its voting phase with a 300-project knapsack pool and --voters
   accounts with verified emails, each already signed in (a session row made directly, its cookie kept here);
2. start gunicorn (sync workers, development settings with DEBUG off) on a free port;
3. for --seconds, --clients threads each take the next voter and POST their ballot (5 random projects that fit the
   budget) to the real cast endpoint `budgeting:vote_pool` (action=cast, project=<id>…, CSRF cookie + field), as
   the voting page does — every request is a real first cast (302 to the receipt page);
4. the same clients hit /healthz (one database query and a cache round trip) for a third of that time;
5. pgbench runs a one-row INSERT script with as many clients for the same third;
6. read each gunicorn worker's resident memory (/proc), check the box (ballots == register == 302s), print a table.

Targets (issue #3): p95 under 150 ms, ballots/s at least half the trivial view's requests/s, no worker past 250 MB.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/veche_bench_voting"
PROJECTS = 300
CHOICES = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long voters cast ballots")
    parser.add_argument("--clients", type=int, default=50, help="concurrent voters (threads)")
    parser.add_argument("--workers", type=int, default=max(2, 2 * (os.cpu_count() or 1) + 1), help="gunicorn workers")
    parser.add_argument("--voters", type=int, default=20_000, help="accounts created (each casts one ballot)")
    return parser.parse_args()


def database_parts(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    env = {
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
    }
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return name, env


def psql(env: dict[str, str], database: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-v", "ON_ERROR_STOP=1", "-qAt", "-d", database, "-c", sql],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def fresh_database(url: str) -> dict[str, str]:
    name, env = database_parts(url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to drop a database with an unusual name: {name!r}")
    psql(env, "postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(env, "postgres", f"CREATE DATABASE {name}")
    return env


def server_reachable(url: str) -> bool:
    _name, env = database_parts(url)
    if shutil.which("psql") is None or shutil.which("pgbench") is None:
        return False
    result = subprocess.run(
        ["psql", "-qAt", "-d", "postgres", "-c", "SELECT 1"], env={**os.environ, **env}, capture_output=True
    )
    return result.returncode == 0


# Data ----------------------------------------------------------------------------------------------------------------


def set_up(voters: int) -> dict:
    """Edition, pool, 300 projects, voters with sessions. Runs in this process with Django set up on the bench DB."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from veche.budgeting.choices import BallotType
    from veche.budgeting.models import Proposal
    from veche.budgeting.tests.factories import make_edition

    random.seed(2027)
    edition = make_edition(phase="voting", ballot_type=BallotType.KNAPSACK)
    pool = edition.pools.get()
    pool.budget = 10_000_000
    pool.save()
    Proposal.objects.bulk_create(
        Proposal(
            edition=edition,
            pool=pool,
            number=number,
            title=f"Project {number}",
            description="A bench and a tree by the school.",
            cost_estimate=random.randrange(10_000, 1_000_000, 1_000),
            status="accepted",
        )
        for number in range(1, PROJECTS + 1)
    )
    project_ids = list(Proposal.objects.filter(pool=pool).values_list("id", flat=True))

    user_model = get_user_model()
    password = make_password(None)
    users = user_model.objects.bulk_create(
        (
            user_model(email=f"voter{n}@bench.invalid", display_name=f"Voter {n}", password=password)
            for n in range(voters)
        ),
        batch_size=5000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users), batch_size=5000
    )
    backend = "django.contrib.auth.backends.ModelBackend"
    from django.conf import settings

    if backend not in settings.AUTHENTICATION_BACKENDS:
        backend = settings.AUTHENTICATION_BACKENDS[0]
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions = []
    for user in users:
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=secrets.token_hex(16), session_data=store.encode(data), expire_date=expires)
        )
    Session.objects.bulk_create(sessions, batch_size=5000)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_one_row (id bigserial PRIMARY KEY, value integer NOT NULL)")
        cursor.execute("ANALYZE")
    connection.close()
    from django.urls import reverse

    return {
        "edition": edition.pk,
        "pool": pool.pk,
        "budget": 10_000_000,
        "costs": dict(Proposal.objects.filter(pool=pool).values_list("id", "cost_estimate")),
        "projects": project_ids,
        "sessions": [session.session_key for session in sessions],
        "path": reverse("budgeting:vote_pool", kwargs={"edition_id": edition.pk, "pool_id": pool.pk}),
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


# Load ----------------------------------------------------------------------------------------------------------------


class Load:
    """Threads that each run `request` until the deadline; latencies and statuses are collected."""

    def __init__(self, port: int, clients: int) -> None:
        self.port = port
        self.clients = clients
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}

    def run(self, seconds: float, request) -> float:
        deadline = time.perf_counter() + seconds
        start = threading.Barrier(self.clients + 1)

        def client() -> None:
            start.wait()
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                status = request()
                if status is None:
                    return
                elapsed = time.perf_counter() - began
                with self.lock:
                    self.latencies.append(elapsed)
                    self.statuses[status] = self.statuses.get(status, 0) + 1

        threads = [threading.Thread(target=client) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        return time.perf_counter() - began

    def send(self, method: str, path: str, body: str = "", headers: dict | None = None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers or {})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


def ballot(data: dict, rng: random.Random) -> list[int]:
    while True:
        chosen = rng.sample(data["projects"], CHOICES)
        if sum(data["costs"][pk] for pk in chosen) <= data["budget"]:
            return chosen


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def worker_rss(master: int) -> list[float]:
    """Resident memory (MB) of each child of the gunicorn master."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def pgbench(env: dict[str, str], database: str, clients: int, seconds: float) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("\\set value random(1, 1000000)\nINSERT INTO bench_one_row (value) VALUES (:value);\n")
    try:
        result = subprocess.run(
            [
                "pgbench",
                "-n",
                "-c",
                str(clients),
                "-j",
                str(min(clients, os.cpu_count() or 1)),
                "-T",
                str(max(1, round(seconds))),
                "-f",
                script.name,
                database,
            ],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script.name)
    match = re.search(r"tps = ([0-9.]+)", result.stdout)
    return float(match.group(1)) if match else float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def main() -> int:
    args = parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not server_reachable(url):
        print(f"pb_voting: skipped — no PostgreSQL at {url} (or psql/pgbench missing); set BENCH_DATABASE_URL")
        return 0
    database, pg_env = database_parts(url)
    pg_env = fresh_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VECHE_WRITE_RATE": "1000/s",
        "CONN_MAX_AGE": "600",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    subprocess.run([str(BIN / "veche"), "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    data = set_up(args.voters)
    print(f"set-up: {PROJECTS} projects, {args.voters} signed-in voters in {time.perf_counter() - started:.1f} s")

    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(port)
        results = run_load(args, data, port, database, pg_env)
        rss = worker_rss(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(args, results, rss)
    return 0


def run_load(args: argparse.Namespace, data: dict, port: int, database: str, pg_env: dict[str, str]) -> dict:
    sessions = iter(data["sessions"])
    take = threading.Lock()
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret; Django accepts it unmasked in the form field
    vote = Load(port, args.clients)
    rngs = threading.local()

    def cast() -> int | None:
        with take:
            session = next(sessions, None)
        if session is None:
            return None  # out of voters
        rng = getattr(rngs, "rng", None) or random.Random(session)
        rngs.rng = rng
        fields = [("csrfmiddlewaretoken", csrf), ("action", "cast")]
        fields += [("project", str(pk)) for pk in ballot(data, rng)]
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{data['cookie_name']}={session}; {data['csrf_cookie']}={csrf}",
            "Host": "127.0.0.1",
        }
        return vote.send("POST", data["path"], urlencode(fields), headers)

    # Warm each worker (imports, connections) before measuring.
    warm = Load(port, args.clients)
    warm.run(2, lambda: warm.send("GET", "/healthz"))

    vote_seconds = vote.run(args.seconds, cast)
    trivial = Load(port, args.clients)
    trivial_seconds = trivial.run(args.seconds / 3, lambda: trivial.send("GET", "/healthz"))
    tps = pgbench(pg_env, database, args.clients, args.seconds / 3)

    import django  # noqa: F401 - set up by set_up()
    from django.db import connection

    from veche.budgeting.models import Ballot, VoterRecord

    connection.close()
    return {
        "vote": vote,
        "vote_seconds": vote_seconds,
        "trivial": trivial,
        "trivial_seconds": trivial_seconds,
        "tps": tps,
        "ballots": Ballot.objects.filter(pool_id=data["pool"]).count(),
        "register": VoterRecord.objects.filter(pool_id=data["pool"]).count(),
        "voters_left": sum(1 for _ in sessions),
    }


def report(args: argparse.Namespace, results: dict, rss: list[float]) -> None:
    vote, trivial = results["vote"], results["trivial"]
    cast = vote.statuses.get(302, 0)
    ballots_per_s = cast / results["vote_seconds"]
    trivial_per_s = sum(trivial.statuses.values()) / results["trivial_seconds"]
    p50, p95 = percentile(vote.latencies, 0.50) * 1000, percentile(vote.latencies, 0.95) * 1000
    rows = [
        ("gunicorn workers / clients", f"{args.workers} / {args.clients}", ""),
        (
            "ballots cast (302)",
            f"{cast}",
            f"other statuses: {dict(sorted((k, v) for k, v in vote.statuses.items() if k != 302)) or 'none'}",
        ),
        ("ballots in the box / register", f"{results['ballots']} / {results['register']}", "both must equal the 302s"),
        ("ballots per second", f"{ballots_per_s:.0f}", f"over {results['vote_seconds']:.1f} s"),
        ("cast latency p50 / p95 (ms)", f"{p50:.0f} / {p95:.0f}", "target p95 < 150 ms"),
        (
            "trivial view /healthz (req/s)",
            f"{trivial_per_s:.0f}",
            f"ballots/s ÷ this = {ballots_per_s / trivial_per_s:.2f} (target ≥ 0.5)",
        ),
        (
            "trivial view p50 / p95 (ms)",
            f"{percentile(trivial.latencies, 0.5) * 1000:.0f} / {percentile(trivial.latencies, 0.95) * 1000:.0f}",
            "",
        ),
        ("pgbench one-row INSERT (TPS)", f"{results['tps']:.0f}", f"{args.clients} clients"),
        ("worker RSS after the run (MB)", ", ".join(f"{size:.0f}" for size in rss), "target each < 250 MB"),
    ]
    if results["voters_left"] == 0:
        rows.append(("note", "ran out of voters", "raise --voters for a full-length run"))
    width = max(len(label) for label, _value, _note in rows)
    value_width = max(len(value) for _label, value, _note in rows)
    print()
    print(f"{'measure'.ljust(width)}  {'value'.ljust(value_width)}  note")
    print(f"{'-' * width}  {'-' * value_width}  ----")
    for label, value, note in rows:
        print(f"{label.ljust(width)}  {value.ljust(value_width)}  {note}")
    ok = cast == results["ballots"] == results["register"]
    if not ok:
        print("ERROR: the box, the register and the successful casts disagree")
        raise SystemExit(1)


if __name__ == "__main__":
    sys.exit(main())
