"""`veche restore PATH [--yes]`: replace the whole database with a backup made by `veche backup`.

Stop the web and worker processes first, restore, then run `veche migrate` (a backup from an older version is
brought up to date that way). Without --yes the command asks on a terminal and refuses otherwise, so that a script
cannot wipe a database by accident.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from veche.core.management.commands._database import client_tool, engine_of, format_of, run_client_tool

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class Command(BaseCommand):
    help = "Replace the database with a backup made by `veche backup` (asks for confirmation unless --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A .sqlite3 or .dump file made by `veche backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask; needed when not run from a terminal.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args: Any, path: Path, yes: bool, database: str, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        engine = engine_of(database)
        found = format_of(path)
        if found is None:
            raise CommandError(f"{path} is neither an SQLite database nor a pg_dump custom-format archive.")
        if found != engine:
            raise CommandError(
                f"{path} is a {ENGINE_NAMES[found]} backup, but this installation uses {ENGINE_NAMES[engine]}. "
                "Restore it into a database of the same kind."
            )
        target = connections[database].settings_dict["NAME"]
        if not yes:
            self._confirm(target)
        if engine == "sqlite":
            self._restore_sqlite(database, path)
        else:
            self._restore_postgresql(database, path)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Restored {path} into {target}. Now run `veche migrate`."))

    def _confirm(self, target: str) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                "Restoring replaces everything in the database. Standard input is not a terminal, so nobody can "
                "confirm: pass --yes to restore anyway."
            )
        answer = input(f"This replaces everything in the database {target}. Type 'yes' to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")

    def _restore_sqlite(self, alias: str, path: Path) -> None:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            try:
                tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            except sqlite3.DatabaseError as error:
                raise CommandError(f"{path} is not a readable SQLite database: {error}") from error
            if "django_migrations" not in tables:
                raise CommandError(f"{path} is an SQLite database, but not a veche backup (no django_migrations).")
            connection = connections[alias]
            connection.close()
            connection.ensure_connection()
            # The backup API copies page by page into the open database: one step, under SQLite's own lock.
            source.backup(connection.connection)
        finally:
            source.close()

    def _restore_postgresql(self, alias: str, path: Path) -> None:
        connection = connections[alias]
        connection.close()  # our own session must not hold locks on what pg_restore drops
        run_client_tool(
            [
                client_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            connection.settings_dict,
        )
