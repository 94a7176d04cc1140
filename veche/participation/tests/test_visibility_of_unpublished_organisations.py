"""A published process must not reveal an unpublished organisation: not in the list, not on its page."""

import pytest

from veche.participation.models import Process


@pytest.fixture
def hidden_process(personas):
    personas.organisation.is_published = False
    personas.organisation.save()
    return Process.objects.create(
        organisation=personas.organisation,
        slug="secret",
        title="Secret plan",
        title_en="Secret plan",
        is_published=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "other_administrator"])
def test_outsiders_see_nothing(client, personas, hidden_process, persona):
    user = personas.get(persona)
    if user.is_authenticated:
        client.force_login(user)
    assert "Secret plan" not in client.get("/en/processes/").content.decode()
    assert client.get(f"/en/processes/{personas.organisation.slug}/secret/").status_code == 404
    assert Process.objects.visible_to(user).filter(pk=hidden_process.pk).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["moderator", "coordinator", "administrator", "superuser"])
def test_staff_of_the_organisation_still_see_it(client, personas, hidden_process, persona):
    user = personas.get(persona)
    client.force_login(user)
    assert "Secret plan" in client.get("/en/processes/").content.decode()
    assert client.get(f"/en/processes/{personas.organisation.slug}/secret/").status_code == 200
