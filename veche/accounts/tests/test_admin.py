"""The admin for people and tokens goes through the same services as the site."""

from __future__ import annotations

import pytest

from veche.accounts import services
from veche.accounts.models import ApiToken, User
from veche.accounts.tests.helpers import activate_totp
from veche.audit.models import AuditEntry
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, personas):
    activate_totp(personas.superuser)
    client.force_login(personas.superuser)
    return client


def test_user_pages_work_without_a_username(admin_client, personas):
    assert admin_client.get("/en/admin/accounts/user/").status_code == 200
    assert admin_client.get("/en/admin/accounts/user/?q=resident").status_code == 200
    assert admin_client.get(f"/en/admin/accounts/user/{personas.resident.pk}/change/").status_code == 200
    assert admin_client.get("/en/admin/accounts/user/add/").status_code == 200


def test_adding_a_user_by_email(admin_client):
    response = admin_client.post(
        "/en/admin/accounts/user/add/",
        {
            "email": "new.official@example.org",
            "usable_password": "true",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="new.official@example.org").check_password("a long unusual passphrase")


def test_users_are_erased_not_deleted(admin_client, personas):
    response = admin_client.post(
        "/en/admin/accounts/user/",
        {"action": "erase_accounts", "_selected_action": [personas.member.pk, personas.administrator.pk]},
    )
    assert response.status_code == 302
    personas.member.refresh_from_db()
    personas.administrator.refresh_from_db()
    assert personas.member.erased_at is not None
    assert personas.administrator.erased_at is None, "the only administrator of Home Town stays"
    entry = AuditEntry.objects.get(action="accounts.erased")
    assert entry.actor_id == personas.superuser.pk
    assert admin_client.get(f"/en/admin/accounts/user/{personas.member.pk}/delete/").status_code == 403


def test_tokens_are_read_only_and_revocable(admin_client, personas):
    token, raw = services.create_api_token(user=personas.resident, name="resident's script")
    assert admin_client.get("/en/admin/accounts/apitoken/").status_code == 200
    page = admin_client.get(f"/en/admin/accounts/apitoken/{token.pk}/change/")
    assert page.status_code == 200
    assert token.key_hash not in page.content.decode()
    assert admin_client.get("/en/admin/accounts/apitoken/add/").status_code == 403
    response = admin_client.post(
        "/en/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert ApiToken.objects.find(raw) is None


def test_staff_without_superuser_cannot_erase(client):
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    client.force_login(staff)
    assert client.get("/en/admin/accounts/user/").status_code == 403
