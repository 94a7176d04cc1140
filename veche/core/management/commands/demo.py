"""`veche demo`: create (or bring up to date) the demo data and print the demo sign-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from veche.core.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Create the demo network, municipalities, people and each module's demo data. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        context = load_all()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at /en/accounts/login/ with:"))
        for line in context.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
