"""The organisation services carry the rules: who may change what, the last administrator, audit, atomicity."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory
from veche.organisations import services
from veche.organisations.choices import OrganisationKind, RoleKind
from veche.organisations.models import Organisation, Role
from veche.organisations.roles import roles_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["resident", "member", "coordinator", "other_administrator"])
def test_only_administrators_grant_roles(persona, personas):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=personas.get(persona), organisation=personas.organisation, user=personas.resident, kind="member"
        )
    assert not Role.objects.filter(user=personas.resident).exists()


def test_grant_role_records_and_refreshes_the_cached_roles(personas):
    newcomer = UserFactory()
    assert roles_in(newcomer, personas.organisation.pk) == frozenset()
    role = services.grant_role(
        actor=personas.administrator, organisation=personas.organisation, user=newcomer, kind=RoleKind.EXPERT
    )
    assert role.kind == RoleKind.EXPERT
    assert roles_in(newcomer, personas.organisation.pk) == {RoleKind.EXPERT}
    entry = AuditEntry.objects.get(action="organisations.role_granted")
    assert entry.organisation_id == personas.organisation.pk
    assert entry.data == {"user": newcomer.pk, "role": "expert"}


def test_grant_role_refuses_unknown_kinds_and_duplicates(personas):
    with pytest.raises(ValidationError) as unknown:
        services.grant_role(
            actor=personas.administrator, organisation=personas.organisation, user=personas.resident, kind="king"
        )
    assert unknown.value.code == "unknown_role"
    with pytest.raises(ValidationError) as duplicate:
        services.grant_role(
            actor=personas.administrator, organisation=personas.organisation, user=personas.member, kind="member"
        )
    assert duplicate.value.code == "duplicate_role"
    assert Role.objects.filter(user=personas.member).count() == 1
    assert not AuditEntry.objects.exists()


def test_revoke_role_keeps_the_last_administrator(personas):
    only_admin = Role.objects.get(user=personas.administrator)
    with pytest.raises(ValidationError) as refused:
        services.revoke_role(actor=personas.administrator, role=only_admin)
    assert refused.value.code == "last_administrator"
    assert Role.objects.filter(pk=only_admin.pk).exists()
    assert not AuditEntry.objects.exists()


def test_revoke_role_by_another_organisations_administrator_is_denied(personas):
    role = Role.objects.get(user=personas.member)
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=personas.other_administrator, role=role)
    assert Role.objects.filter(pk=role.pk).exists()


def test_revoke_role_removes_and_audits(personas):
    role = Role.objects.get(user=personas.coordinator)
    services.revoke_role(actor=personas.administrator, role=role)
    assert not Role.objects.filter(pk=role.pk).exists()
    entry = AuditEntry.objects.get(action="organisations.role_revoked")
    assert entry.data == {"user": personas.coordinator.pk, "role": "coordinator"}


def test_an_administrator_may_step_down_when_another_remains(personas):
    RoleFactory(organisation=personas.organisation, kind=RoleKind.ADMINISTRATOR)
    services.revoke_role(actor=personas.administrator, role=Role.objects.get(user=personas.administrator))
    assert not Role.objects.filter(user=personas.administrator).exists()


def test_update_organisation_audits_the_changed_fields(personas):
    organisation = personas.organisation
    services.update_organisation(
        actor=personas.administrator,
        organisation=organisation,
        changes={"name_pl": "Miasto Domowe", "country": organisation.country},
    )
    organisation.refresh_from_db()
    assert organisation.name_pl == "Miasto Domowe"
    assert AuditEntry.objects.get(action="organisations.updated").data == {"fields": ["name_pl"]}


def test_update_organisation_is_denied_to_others(personas):
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            actor=personas.coordinator, organisation=personas.organisation, changes={"name_en": "Mine"}
        )


def test_update_organisation_saves_nothing_when_the_result_is_invalid(personas):
    ngo = OrganisationFactory(kind=OrganisationKind.NGO, region="Before")
    admin = RoleFactory(organisation=ngo, kind=RoleKind.ADMINISTRATOR).user
    with pytest.raises(ValidationError):
        services.update_organisation(actor=admin, organisation=ngo, changes={"region": "After", "population": 5})
    stored = Organisation.objects.get(pk=ngo.pk)
    assert stored.region == "Before"
    assert stored.population is None
    assert not AuditEntry.objects.exists()
