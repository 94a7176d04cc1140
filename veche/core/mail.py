"""Queue email for sending after the current transaction commits, so nothing is sent for a change that rolled back."""

from __future__ import annotations

from django.db import transaction

from veche.core.tasks import send_email_task


def send_email_later(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email_task.enqueue(subject=subject, body=body, to=recipients, html_body=html_body)
    )
