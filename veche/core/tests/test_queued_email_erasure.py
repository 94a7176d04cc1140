"""Erasing an account also forgets the email tasks queued for the person (django-tasks-db keeps their arguments)."""

from __future__ import annotations

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from veche.accounts import services
from veche.core.mail import send_email_later
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}


def queue(django_capture_on_commit_callbacks, address: str, body: str) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_email_later(subject="Hello", body=body, to=[address])


def test_erasure_deletes_the_persons_queued_email_and_keeps_others(database_tasks, django_capture_on_commit_callbacks):
    leaving = UserFactory(email="leaving@example.org")
    staying = UserFactory(email="staying@example.org")
    queue(django_capture_on_commit_callbacks, "Leaving@Example.org", "Secret for the leaver")
    queue(django_capture_on_commit_callbacks, staying.email, "For the one who stays")
    assert DBTaskResult.objects.count() == 2

    services.erase_account(user=leaving)

    remaining = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert [row["kwargs"]["to"] for row in remaining] == [["staying@example.org"]]


def test_a_running_email_task_keeps_its_row_but_loses_its_arguments(database_tasks, django_capture_on_commit_callbacks):
    leaving = UserFactory(email="leaving@example.org")
    queue(django_capture_on_commit_callbacks, leaving.email, "Secret for the leaver")
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)

    services.erase_account(user=leaving)

    row = DBTaskResult.objects.get()
    assert "leaving@example.org" not in str(row.args_kwargs)
    assert "Secret" not in str(row.args_kwargs)
