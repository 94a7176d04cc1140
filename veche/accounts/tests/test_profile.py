"""The profile page: showing and editing the public name and language, the links, the roles, and its query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veche.accounts.tests.helpers import activate_totp
from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/en/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/me/")


def test_profile_shows_the_person_and_links_to_everything(client):
    user = UserFactory(email="jana@example.org", display_name="Jana")
    client.force_login(user)
    content = client.get("/en/me/").content.decode()
    assert "jana@example.org" in content
    assert 'value="Jana"' in content
    for url in (
        "/en/accounts/email/",
        "/en/accounts/password/change/",
        "/en/accounts/2fa/totp/activate/",
        "/en/me/tokens/",
        "/en/me/export/",
        "/en/me/delete/",
    ):
        assert f'href="{url}"' in content, url
    assert "You hold no role in an organisation." in content


def test_two_factor_status_is_shown(client):
    user = UserFactory()
    activate_totp(user)
    client.force_login(user)
    content = client.get("/en/me/").content.decode()
    assert 'href="/en/accounts/2fa/"' in content
    assert "badge--success" in content


def test_profile_lists_roles(client, personas):
    activate_totp(personas.administrator)
    RoleFactory(user=personas.administrator, organisation=personas.other_organisation, kind="expert")
    client.force_login(personas.administrator)
    content = client.get("/en/me/").content.decode()
    assert "Home Town" in content
    assert "Other Town" in content
    assert "Administrator" in content
    assert "Expert / reviewer" in content
    assert 'role="region" aria-labelledby="profile-roles-table-caption"' in content
    # The region is named by the caption, which differs from the section's heading (axe landmark-unique).
    assert '<caption id="profile-roles-table-caption" class="visually-hidden">Organisations and your role in each' in (
        content
    )
    assert f'<a href="{personas.other_organisation.get_absolute_url()}">Other Town</a>' in content


def test_saving_the_profile(client):
    user = UserFactory(display_name="Old", language="en")
    client.force_login(user)
    response = client.post("/en/me/", {"display_name": "  Jana   Nováková ", "language": "cs"})
    assert response.status_code == 302
    assert response["Location"] == "/cs/me/", "the page follows the newly chosen language"
    assert response.cookies["django_language"].value == "cs"
    user.refresh_from_db()
    assert user.display_name == "Jana Nováková"
    assert user.language == "cs"


def test_no_language_preference_is_allowed(client):
    user = UserFactory(language="pl")
    client.force_login(user)
    response = client.post("/en/me/", {"display_name": "Someone", "language": ""})
    assert response["Location"] == "/en/me/"
    user.refresh_from_db()
    assert user.language == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"display_name": "jana@example.org", "language": "en"}, "display_name"),
        ({"display_name": "Jana\u0000", "language": "en"}, "display_name"),
        ({"display_name": "!!! ???", "language": "en"}, "display_name"),
        ({"display_name": "x" * 81, "language": "en"}, "display_name"),
        ({"display_name": "Jana", "language": "de"}, "language"),
    ],
)
def test_invalid_profile_is_refused_with_field_errors(client, data, field):
    user = UserFactory(display_name="Before", language="en")
    client.force_login(user)
    response = client.post("/en/me/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert 'aria-invalid="true"' in content
    user.refresh_from_db()
    assert (user.display_name, user.language) == ("Before", "en")


def test_errors_come_in_the_language_of_the_page(client):
    client.force_login(UserFactory())
    response = client.post("/cs/me/", {"display_name": "", "language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" not in response.content.decode()


def test_notifications_link_appears_only_when_that_page_exists(client):
    from django.urls import NoReverseMatch, reverse

    client.force_login(UserFactory())
    content = client.get("/en/me/").content.decode()
    try:
        url = reverse("notifications:list")
    except NoReverseMatch:
        assert "See your notifications" not in content
    else:
        assert f'href="{url}"' in content


def _profile_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/me/")
    assert response.status_code == 200
    return len(queries)


def test_profile_query_count_does_not_grow_with_roles(client, django_assert_max_num_queries):
    one = UserFactory()
    RoleFactory(user=one, kind="member")
    many = UserFactory()
    for _index in range(8):
        RoleFactory(user=many, organisation=OrganisationFactory(), kind="member")
    baseline = _profile_queries(client, one)
    assert _profile_queries(client, many) == baseline
    # session, user, roles (middleware), roles with organisations (page), authenticator
    with django_assert_max_num_queries(6):
        client.get("/en/me/")
