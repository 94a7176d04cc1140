"""allauth's emails go through the task queue after commit, in the reader's language, named after the site."""

from __future__ import annotations

import pytest
from django.db import transaction

from veche.accounts.adapter import AccountAdapter
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send_reset(email: str) -> None:
    AccountAdapter().send_mail(
        "account/email/password_reset_key",
        email,
        {"user": UserFactory.build(email=email), "password_reset_url": "https://example.org/reset/"},
    )


def test_email_waits_for_the_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send_reset("someone@example.org")
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["someone@example.org"]
    assert mailoutbox[0].subject.startswith("[veche] ")
    assert "https://example.org/reset/" in mailoutbox[0].body
    assert "example.com" not in mailoutbox[0].body


def test_no_email_for_a_rolled_back_change(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _send_reset("someone@example.org")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.parametrize("language", ["cs", "pl"])
def test_without_a_request_the_preferred_language_is_used(mailoutbox, django_capture_on_commit_callbacks, language):
    UserFactory(email="reader@example.org", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        _send_reset("reader@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _send_reset("someone-else@example.org")
    translated, english = mailoutbox
    assert translated.subject != english.subject
    assert "Password Reset" in english.subject
