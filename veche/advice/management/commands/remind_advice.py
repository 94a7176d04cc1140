"""`veche remind_advice`: remind coordinators of advice requests waiting for an expert and experts of requests
without activity. Run it daily from a timer (docs/howto/operations.md); running it twice reminds nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Remind coordinators and experts of advice requests that wait (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the task worker instead of doing it now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from veche.advice.tasks import send_advice_reminders_task

            send_advice_reminders_task.enqueue()
            self.stdout.write("Queued.")
            return
        from veche.advice.services import send_reminders

        sent = send_reminders()
        self.stdout.write(f"Reminded: coordinators of {sent.coordinators} requests, experts of {sent.experts}.")
