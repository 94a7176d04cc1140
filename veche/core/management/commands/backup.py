"""`veche backup [--output PATH]`: a consistent copy of the database while the site keeps running.

SQLite is copied with SQLite's online backup API; PostgreSQL is dumped with pg_dump in its custom format (restore
with `veche restore`). Media files (uploaded logos) are not in the database: back MEDIA_ROOT up alongside.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from veche.core.management.commands._database import EXTENSIONS, client_tool, engine_of, run_client_tool


def default_output(engine: str) -> Path:
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"veche-{stamp}.{EXTENSIONS[engine]}"


class Command(BaseCommand):
    help = "Back the database up to a file (SQLite: online copy; PostgreSQL: pg_dump custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help="File to write (default: var/backups/veche-<UTC time>.sqlite3|dump)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args: Any, output: Path | None, database: str, **options: Any) -> None:
        engine = engine_of(database)
        target = (output or default_output(engine)).resolve()
        if target.exists():
            raise CommandError(f"{target} already exists; choose another --output.")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written under a temporary name and renamed, so a file with the final name is always a complete backup.
        partial = target.with_name(f".{target.name}.partial")
        partial.unlink(missing_ok=True)
        try:
            partial.touch(mode=0o600)  # it holds personal data
            if engine == "sqlite":
                self._backup_sqlite(database, partial)
            else:
                self._backup_postgresql(database, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"] > 0:
            size = target.stat().st_size
            self.stdout.write(self.style.SUCCESS(f"Backed up to {target} ({size:,} bytes)."))

    def _backup_sqlite(self, alias: str, partial: Path) -> None:
        connection = connections[alias]
        connection.ensure_connection()
        destination = sqlite3.connect(partial)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()

    def _backup_postgresql(self, alias: str, partial: Path) -> None:
        settings_dict = connections[alias].settings_dict
        run_client_tool(
            [client_tool("pg_dump"), "--format=custom", "--no-password", f"--file={partial}"], settings_dict
        )
