"""The admin goes through the services: edits and role changes are audited and keep the same rules."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from veche.audit.models import AuditEntry
from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory
from veche.core.tests.imaging import image_bytes, upload
from veche.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"admin:organisations_{name}", args=args)


def organisation_post(organisation: Organisation, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "slug": organisation.slug,
        "kind": organisation.kind,
        "name_cs": organisation.name_cs or "",
        "name_pl": organisation.name_pl or "",
        "name_en": organisation.name_en or "",
        "description_cs": "",
        "description_pl": "",
        "description_en": "",
        "country": organisation.country,
        "region": "",
        "region_code": "",
        "population": "",
        "website": "",
        "is_published": "on",
    }
    for prefix in ("affiliations", "network_affiliations"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def operator(client, personas):
    client.force_login(personas.superuser)
    return client


def test_changelists_and_forms_render(operator, personas):
    role = Role.objects.get(user=personas.member)
    for url in (
        admin_url("organisation_changelist"),
        admin_url("organisation_change", personas.organisation.pk),
        admin_url("organisation_add"),
        admin_url("role_changelist"),
        admin_url("role_add"),
        admin_url("role_change", role.pk),
    ):
        assert operator.get(url).status_code == 200, url


def test_editing_an_organisation_in_the_admin_goes_through_the_service(operator, personas):
    organisation = personas.organisation
    response = operator.post(
        admin_url("organisation_change", organisation.pk),
        organisation_post(organisation, name_pl="Miasto Domowe", region_code="CZ020", population="1200"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    organisation.refresh_from_db()
    assert organisation.name_pl == "Miasto Domowe"
    assert organisation.population == 1200
    entry = AuditEntry.objects.get(action="organisations.updated")
    assert entry.actor == personas.superuser
    assert set(entry.data["fields"]) >= {"name_pl", "region_code", "population"}


def test_the_admin_validates_the_model_rules(operator, personas):
    response = operator.post(
        admin_url("organisation_change", personas.organisation.pk),
        organisation_post(personas.organisation, kind="ngo", population="10"),
    )
    assert response.status_code == 200
    assert "population" in response.context["adminform"].form.errors


def test_an_admin_logo_upload_is_reencoded(operator, personas):
    data = organisation_post(personas.organisation, logo=upload(b"not an image at all", "x.png"))
    response = operator.post(admin_url("organisation_change", personas.organisation.pk), data)
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    data = organisation_post(personas.organisation, logo=upload(image_bytes("JPEG", gps=True), "x.jpg", "image/jpeg"))
    assert operator.post(admin_url("organisation_change", personas.organisation.pk), data).status_code == 302
    personas.organisation.refresh_from_db()
    assert personas.organisation.logo.name.endswith(".jpg")


def test_creating_an_organisation_in_the_admin_is_audited(operator):
    blank = Organisation(slug="new-town", kind="municipality", country="CZ", name_en="New Town")
    response = operator.post(admin_url("organisation_add"), organisation_post(blank))
    assert response.status_code == 302
    created = Organisation.objects.get(slug="new-town")
    assert AuditEntry.objects.filter(action="organisations.created", target_id=str(created.pk)).exists()


def test_granting_a_role_in_the_admin_goes_through_the_service(operator, personas):
    person = UserFactory()
    response = operator.post(
        admin_url("role_add"), {"user": person.pk, "organisation": personas.organisation.pk, "kind": "moderator"}
    )
    assert response.status_code == 302
    assert Role.objects.filter(user=person, kind="moderator").exists()
    assert AuditEntry.objects.filter(action="organisations.role_granted").count() == 1


def test_roles_are_read_only_in_the_admin(operator, personas):
    role = Role.objects.get(user=personas.member)
    operator.post(
        admin_url("role_change", role.pk),
        {"user": role.user_id, "organisation": role.organisation_id, "kind": "administrator"},
    )
    role.refresh_from_db()
    assert role.kind == "member"
    assert "delete_selected" not in operator.get(admin_url("role_changelist")).content.decode()


def test_deleting_a_role_in_the_admin_revokes_it_through_the_service(operator, personas):
    role = Role.objects.get(user=personas.moderator)
    response = operator.post(admin_url("role_delete", role.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action="organisations.role_revoked").count() == 1


def test_the_admin_cannot_remove_the_last_administrator(operator, personas):
    role = Role.objects.get(user=personas.administrator)
    response = operator.post(admin_url("role_delete", role.pk), {"post": "yes"}, follow=True)
    assert Role.objects.filter(pk=role.pk).exists()
    assert "needs at least one administrator" in response.content.decode()


def test_organisation_administrators_without_platform_permissions_do_not_get_the_admin(client):
    role = RoleFactory(kind="administrator", user=UserFactory(is_staff=True))
    client.force_login(role.user)
    assert client.get(admin_url("organisation_changelist")).status_code == 403
    assert OrganisationFactory.build().pk is None
