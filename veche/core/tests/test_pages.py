"""The site chrome (base.html), the home page and the error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation

from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER_OR_STYLE = re.compile(r"\s(on[a-z]+|style)=", re.IGNORECASE)


@pytest.mark.parametrize("language", ["cs", "pl", "en"])
def test_home_page_renders_in_every_language(language, client):
    network = NetworkFactory(**{"name_en": "Hub", f"name_{language}": f"Hub {language}"})
    AffiliationFactory(network=network)
    OrganisationFactory(**{"name_en": "Town", f"name_{language}": f"Town {language}"})
    response = client.get(f"/{language}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert f"Hub {language}" in page
    assert f"Town {language}" in page
    assert page.count("<h1") == 1


def test_home_page_empty_states(client):
    page = client.get("/en/").content.decode()
    assert "No networks yet" in page
    assert "No organisations yet" in page


def test_home_page_does_not_list_unpublished_organisations(client):
    OrganisationFactory(name_en="Secret Town", is_published=False)
    assert "Secret Town" not in client.get("/en/").content.decode()


def test_home_page_counts_network_members(client):
    network = NetworkFactory()
    AffiliationFactory(network=network)
    AffiliationFactory(network=network)
    assert "2 member organisations" in client.get("/en/").content.decode()


def test_base_layout_for_anonymous_visitors(client):
    page = client.get("/en/organisations/").content.decode()
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert 'href="/en/accounts/login/?next=/en/organisations/"' in page
    assert 'href="/en/accounts/signup/"' in page
    assert 'href="/en/organisations/" aria-current="page"' in page
    assert '<form class="language-switcher" method="post" action="/i18n/setlang/">' in page
    assert '<label for="language-select">' in page
    assert 'role="status" aria-live="polite"' in page
    assert 'src="/static/vendor/htmx/htmx.min.js" defer' in page
    assert '"allowEval":false' in page
    assert "agpl-3.0" in page


def test_no_inline_scripts_handlers_or_styles(client):
    OrganisationFactory(name_en="Town")
    for path in ("/en/", "/cs/organisations/", "/pl/organisations/org-0/"):
        page = client.get(path).content.decode()
        assert not INLINE_SCRIPT.search(page), path
        assert not HANDLER_OR_STYLE.search(page), path


def test_base_layout_for_signed_in_people(client):
    client.force_login(UserFactory())
    page = client.get("/en/").content.decode()
    assert 'action="/en/accounts/logout/"' in page
    assert "Sign out" in page
    assert "/accounts/login/" not in page


def test_unread_notifications_count_is_shown_when_provided():
    request = RequestFactory().get("/en/")
    request.user = UserFactory()
    with translation.override("en"):
        html = (
            engines["django"]
            .from_string('{% extends "base.html" %}{% block content %}x{% endblock %}')
            .render({"unread_notifications": 3, "user": request.user}, request)
        )
    assert '<a href="/en/notifications/" >Notifications' in html
    assert "3 unread" in html


def test_language_switcher_changes_language_and_stays_on_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/en/organisations/"})
    assert response.status_code == 302
    assert response["Location"] == "/pl/organisations/"


def test_messages_are_shown_in_the_live_region(client, settings):
    settings.VECHE_REQUIRE_STAFF_2FA = False
    from veche.core.testing.factories import RoleFactory

    role = RoleFactory(kind="administrator")
    client.force_login(role.user)
    response = client.post(
        f"/en/organisations/{role.organisation.slug}/people/", {"email": role.user.email, "kind": "member"}, follow=True
    )
    page = response.content.decode()
    assert re.search(r'role="status" aria-live="polite"><p class="message message--success">', page)


def test_404_page_is_translated_and_in_the_layout(client):
    response = client.get("/cs/organisations/no-such-place/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="cs">' in page
    assert '<main id="main"' in page


@override_settings(DEBUG=False)
def test_error_templates_render():
    request = RequestFactory().get("/en/")
    request.user = AnonymousUser()
    for status in (400, 403, 404, 429):
        html = render_to_string(f"errors/{status}.html", {}, request)
        assert "<h1>" in html, status


def test_500_page_needs_no_request_context_processors_or_database(django_assert_num_queries):
    with translation.override("pl"), django_assert_num_queries(0):
        html = render_to_string("errors/500.html")
    assert '<html lang="pl">' in html
    assert "<h1>" in html
    assert "{%" not in html


def test_rate_limited_page_answers_429(rf):
    from veche.core.views import rate_limited

    request = rf.get("/en/")
    request.user = AnonymousUser()
    response = rate_limited(request)
    assert response.status_code == 429


def test_csrf_failure_page_explains_and_keeps_the_layout():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "pl"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form has expired" in page
    assert '<main id="main"' in page


def test_500_handler_runs_no_context_processor(rf, settings, django_assert_num_queries):
    """The real handler must not run context processors (they touch the session and database, which may be down)."""
    from veche.core.views import error_500

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": ["veche.core.tests.test_pages.exploding_processor"],
            },
        }
    ]
    request = rf.get("/en/broken/")
    with django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    assert "<h1>" in response.content.decode()


def exploding_processor(request):
    raise AssertionError("the 500 page ran a context processor")
