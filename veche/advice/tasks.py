"""Background tasks of advice on request (django-tasks): each calls the service that does the work."""

from __future__ import annotations

from django_tasks import task


@task()
def send_advice_reminders_task() -> dict[str, int]:
    """send_reminders in the worker (idempotent; see veche.advice.services.send_reminders)."""
    from veche.advice.services import send_reminders

    sent = send_reminders()
    return {"coordinators": sent.coordinators, "experts": sent.experts}
