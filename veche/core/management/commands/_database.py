"""What `veche backup` and `veche restore` share: which engine a database uses, how its backups look, and how to
run the PostgreSQL client tools without putting the password on a command line. (Django skips modules whose name
starts with an underscore when it looks for commands.)"""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 — the PostgreSQL client tools are the documented way to dump and restore
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}


def engine_of(alias: str) -> str:
    """'sqlite' or 'postgresql'; anything else cannot be backed up by veche."""
    vendor = connections[alias].vendor
    if vendor not in EXTENSIONS:
        raise CommandError(f"veche backs up SQLite and PostgreSQL databases, not {vendor}.")
    return vendor


def format_of(path: Path) -> str | None:
    """'sqlite' for an SQLite database file, 'postgresql' for a pg_dump custom-format archive, None otherwise."""
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    return None


def client_tool(name: str) -> str:
    """Full path of pg_dump or pg_restore, or a clear error saying what to install."""
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's major version "
            "(Debian/Ubuntu: apt install postgresql-client)."
        )
    return found


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection as libpq environment variables: the password never appears in the process list."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST") or options.get("host"),
        "PGPORT": settings_dict.get("PORT") or options.get("port"),
        "PGUSER": settings_dict.get("USER") or options.get("user"),
        "PGPASSWORD": settings_dict.get("PASSWORD") or options.get("password"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGAPPNAME": "veche-backup",
    }
    # Like Django's own connection, fall back to PG* variables already in the environment for anything unset.
    environment = dict(os.environ)
    environment.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return environment


def run_client_tool(arguments: list[str], settings_dict: dict[str, Any]) -> None:
    """Run pg_dump/pg_restore; on failure show what the tool said."""
    completed = subprocess.run(  # noqa: S603 — fixed executable, arguments built here, no shell
        arguments, env=libpq_environment(settings_dict), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        tool = Path(arguments[0]).name
        raise CommandError(f"{tool} failed (exit {completed.returncode}):\n{completed.stderr.strip()}")
