"""`veche demo`: create (or bring up to date) the demo data and print the demo sign-ins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from veche.core.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Create the demo network, municipalities, people and each module's demo data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load demo accounts even in production (they have a known password)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.VECHE_ENV == "production" and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with a published password in production; use --force to insist."
            )
        context = load_all()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at /en/accounts/login/ with:"))
        for line in context.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
