"""`veche notify_consultation_openings`: tell followers about consultations that have opened. Run it every few
minutes from a timer (docs/howto/operations.md); running it twice, or on two machines, notifies nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Notify the followers of consultations that opened since the last run (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the task worker instead of doing it now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from veche.consultations.tasks import notify_consultation_openings_task

            notify_consultation_openings_task.enqueue()
            self.stdout.write("Queued.")
            return
        from veche.consultations.services.following import notify_openings

        announced = notify_openings()
        self.stdout.write(f"Consultations announced: {len(announced)}")
