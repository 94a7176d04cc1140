"""Granting or removing platform access in the admin is audited; only superusers may do it."""

import pytest
from django.core.exceptions import PermissionDenied

from veche.accounts.access import access_flags, save_with_access_audit
from veche.audit.models import AuditEntry
from veche.core.testing.factories import UserFactory


@pytest.mark.django_db
def test_admin_change_of_staff_flag_is_audited(client, personas):
    from veche.accounts.models import User

    person = UserFactory(email="newstaff@example.org")
    before = access_flags(User.objects.get(pk=person.pk))
    person.is_staff = True
    save_with_access_audit(actor=personas.superuser, user=person, before=before)
    entry = AuditEntry.objects.get(action="accounts.access_changed")
    assert entry.actor_id == personas.superuser.pk
    assert entry.data == {"changed": {"is_staff": True}}
    assert User.objects.get(pk=person.pk).is_staff


@pytest.mark.django_db
def test_non_superusers_cannot_change_access(personas):
    person = UserFactory()
    before = access_flags(person)
    person.is_superuser = True
    with pytest.raises(PermissionDenied):
        save_with_access_audit(actor=personas.administrator, user=person, before=before)


@pytest.mark.django_db
def test_other_edits_write_no_entry(personas):
    person = UserFactory()
    before = access_flags(person)
    person.display_name = "New name"
    save_with_access_audit(actor=personas.superuser, user=person, before=before)
    assert not AuditEntry.objects.filter(action="accounts.access_changed").exists()


@pytest.mark.django_db
def test_the_admin_form_goes_through_the_service(client, personas):
    from django.test import override_settings

    person = UserFactory(email="promote@example.org")
    client.force_login(personas.superuser)
    with override_settings(VECHE_REQUIRE_STAFF_2FA=False):
        page = client.get(f"/en/admin/accounts/user/{person.pk}/change/")
        assert page.status_code == 200
        form = page.context["adminform"].form
        data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
        data.update(
            {
                "email": person.email,
                "is_staff": "on",
                "is_active": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "10:00:00",
                "groups": [],
                "user_permissions": [],
            }
        )
        response = client.post(f"/en/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEntry.objects.filter(action="accounts.access_changed", target_id=str(person.pk)).exists()
