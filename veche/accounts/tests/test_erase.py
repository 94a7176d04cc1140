"""Delete my account: personal data gone, the row kept and anonymised, audited, and refused for a last administrator."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from veche.accounts import personal_data, services
from veche.accounts.models import ApiToken, User
from veche.accounts.tests.helpers import activate_totp
from veche.audit.models import AuditEntry
from veche.core.testing.factories import RoleFactory, UserFactory
from veche.organisations.models import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def person():
    user = UserFactory(email="leaving@example.org", display_name="Leaving Person", language="cs")
    RoleFactory(user=user, kind="member")
    services.create_api_token(user=user, name="script")
    activate_totp(user)
    return user


def test_erase_account_removes_personal_data_and_keeps_the_row(person):
    services.erase_account(user=person)

    person = User.objects.get(pk=person.pk)
    assert person.email is None
    assert person.display_name == ""
    assert person.language == ""
    assert not person.has_usable_password()
    assert person.is_active is False
    assert person.erased_at is not None
    assert person.public_name == "Deleted account"
    assert str(person) == "Deleted account"
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not ApiToken.objects.filter(user=person).exists()
    assert not Role.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action="accounts.erased")
    assert entry.actor_id == person.pk
    assert entry.target_id == str(person.pk)
    assert "Leaving" not in entry.target_repr
    assert entry.data["by"] == "self"


def test_other_devices_are_signed_out_on_their_next_request(person):
    other_device = Client()
    other_device.force_login(person)
    assert other_device.get("/en/me/").status_code == 200

    services.erase_account(user=person)

    response = other_device.get("/en/me/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert response.wsgi_request.user.is_anonymous
    # The stale session row cannot sign anyone in again, even if an administrator reactivated the account: the
    # unusable password changed the session auth hash, so Django flushes the session.
    User.objects.filter(pk=person.pk).update(is_active=True)
    response = other_device.get("/en/me/")
    assert response.status_code == 302
    assert "_auth_user_id" not in other_device.session


def test_erasing_twice_changes_nothing(person):
    services.erase_account(user=person)
    services.erase_account(user=person)
    assert AuditEntry.objects.filter(action="accounts.erased").count() == 1


def test_registered_erasers_run_inside_the_transaction(person):
    seen: list[int] = []
    personal_data.register_eraser("test_app", lambda user: seen.append(user.pk))
    try:
        services.erase_account(user=person)
    finally:
        personal_data.unregister("test_app")
    assert seen == [person.pk]
    assert "test_app" in AuditEntry.objects.get(action="accounts.erased").data["erasers"]


def test_a_failing_eraser_aborts_the_whole_erasure(person):
    def broken(user: User) -> None:
        raise RuntimeError("storage unavailable")

    personal_data.register_eraser("test_broken", broken)
    try:
        with pytest.raises(RuntimeError):
            services.erase_account(user=person)
    finally:
        personal_data.unregister("test_broken")
    person.refresh_from_db()
    assert person.email == "leaving@example.org"
    assert person.erased_at is None
    assert ApiToken.objects.filter(user=person).exists()
    assert not AuditEntry.objects.filter(action="accounts.erased").exists()


def test_the_last_administrator_cannot_leave(personas):
    with pytest.raises(ValidationError) as caught:
        services.erase_account(user=personas.administrator)
    assert caught.value.code == "last_administrator"
    assert "Home Town" in caught.value.messages[0]
    personas.administrator.refresh_from_db()
    assert personas.administrator.erased_at is None
    assert Role.objects.filter(user=personas.administrator).exists()


def test_an_administrator_with_a_colleague_can_leave(personas):
    RoleFactory(user=UserFactory(), organisation=personas.organisation, kind="administrator")
    services.erase_account(user=personas.administrator)
    personas.administrator.refresh_from_db()
    assert personas.administrator.erased_at is not None


def test_an_inactive_colleague_does_not_count(personas):
    RoleFactory(user=UserFactory(is_active=False), organisation=personas.organisation, kind="administrator")
    with pytest.raises(ValidationError):
        services.erase_account(user=personas.administrator)


def test_only_the_person_or_a_superuser_may_erase(personas):
    with pytest.raises(PermissionDenied):
        services.erase_account(user=personas.member, actor=personas.resident)
    services.erase_account(user=personas.member, actor=personas.superuser)
    entry = AuditEntry.objects.get(action="accounts.erased")
    assert entry.actor_id == personas.superuser.pk
    assert entry.data["by"] == "superuser"


# --- the page -------------------------------------------------------------------------------------------------------


def test_delete_page_asks_for_password_and_confirmation(client, person):
    client.force_login(person)
    page = client.get("/en/me/delete/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="password"' in content
    assert 'name="confirm"' in content

    wrong = client.post("/en/me/delete/", {"password": "not it", "confirm": "on"})
    assert wrong.status_code == 200
    assert 'id="id_password_error"' in wrong.content.decode()
    unconfirmed = client.post("/en/me/delete/", {"password": PASSWORD})
    assert unconfirmed.status_code == 200
    assert 'id="id_confirm_error"' in unconfirmed.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None


def test_deleting_signs_out_and_closes_the_account(client, person):
    client.force_login(person)
    response = client.post("/en/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.erased_at is not None
    assert client.get("/en/me/").status_code == 302

    response = client.post("/en/accounts/login/", {"login": "leaving@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_page_explains_the_last_administrator_refusal(client, personas):
    activate_totp(personas.administrator)
    client.force_login(personas.administrator)
    response = client.post("/en/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "You are the only administrator of Home Town" in response.content.decode()
    personas.administrator.refresh_from_db()
    assert personas.administrator.is_active


def test_password_guessing_on_the_delete_page_is_rate_limited(client, person):
    client.force_login(person)
    for _attempt in range(10):
        client.post("/en/me/delete/", {"password": "guess", "confirm": "on"})
    response = client.post("/en/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 429
    person.refresh_from_db()
    assert person.erased_at is None
