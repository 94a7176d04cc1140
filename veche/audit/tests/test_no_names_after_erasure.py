"""The audit log outlives account erasure, so it must not keep the erased person's name in its texts."""

import pytest

from veche.accounts.services import erase_account
from veche.audit.models import AuditEntry
from veche.core.testing.factories import UserFactory
from veche.organisations.services import grant_role, revoke_role


@pytest.mark.django_db
def test_role_entries_name_no_person(personas):
    person = UserFactory(display_name="Jana Nováková", email="jana.novakova@example.org")
    role = grant_role(actor=personas.administrator, organisation=personas.organisation, user=person, kind="member")
    revoke_role(actor=personas.administrator, role=role)
    erase_account(user=person)
    texts = " ".join(
        f"{entry.target_repr} {entry.data}" for entry in AuditEntry.objects.filter(action__startswith="organisations.")
    )
    assert "Nováková" not in texts
    assert "jana.novakova" not in texts
    assert "Home Town" in texts


@pytest.mark.django_db
def test_an_inactive_administrator_does_not_count_as_the_remaining_one(personas):
    from django.core.exceptions import ValidationError

    from veche.organisations.models import Role

    dormant = UserFactory(is_active=False)
    Role.objects.create(user=dormant, organisation=personas.organisation, kind="administrator")
    role = Role.objects.get(user=personas.administrator, organisation=personas.organisation, kind="administrator")
    with pytest.raises(ValidationError):
        revoke_role(actor=personas.superuser, role=role)
