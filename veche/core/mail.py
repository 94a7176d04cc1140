"""Queue email for sending after the current transaction commits, so nothing is sent for a change that rolled back."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from veche.core.tasks import send_email_task


def send_email_later(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email_task.enqueue(subject=subject, body=body, to=recipients, html_body=html_body)
    )


def erase_queued_email(user: Any) -> None:
    """Account-erasure hook: forget the queued and finished email tasks addressed to the person.

    django-tasks-db keeps each task's arguments (recipient, subject, body) in its result row until the table is
    pruned. Rows are matched in Python because JSON containment lookups differ between SQLite and PostgreSQL; the
    table only holds recent tasks. A task a worker is running right now keeps its row (the worker updates it when
    done) but loses its arguments.
    """
    from allauth.account.models import EmailAddress
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    addresses = {
        address.casefold() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    if user.email:
        addresses.add(user.email.casefold())
    if not addresses:
        return
    doomed, running = [], []
    candidates = DBTaskResult.objects.filter(task_path=send_email_task.module_path).only("pk", "status", "args_kwargs")
    for row in candidates.iterator():
        kwargs = (row.args_kwargs or {}).get("kwargs") or {}
        recipients = {str(address).casefold() for address in kwargs.get("to") or []}
        if recipients & addresses:
            (running if row.status == TaskResultStatus.RUNNING else doomed).append(row.pk)
    DBTaskResult.objects.filter(pk__in=doomed).delete()
    DBTaskResult.objects.filter(pk__in=running).update(args_kwargs={"args": [], "kwargs": {}})
