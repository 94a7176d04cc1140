"""A practitioner presents a case on the map of participation, an editor approves it, and it appears on the map.

A member of the demo network (an individual membership) signs in on a phone, writes a case through the form (a
click on the map fills the point), submits it; the network's administrator reviews and publishes it on a desktop;
back on the map page the case's marker is there (clustered with the demo's 25 cases until the filters single it
out), its popup links to the case page. Every page on the way, and the map, list, case, form and review pages in
cs, pl and en at 360 and 1280 px, pass the audit: one h1, no sideways scrolling, axe-core clean, no console errors
or CSP violations.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import (
    DESKTOP,
    PHONE,
    Journey,
    open_the_case_on_the_map,
    publish_case,
    wait_for_markers,
    write_case,
)

pytestmark = pytest.mark.browser

TITLE = "Pocket park on Husova street"


@pytest.fixture
def member(demo: Any, settings: Any) -> Any:
    """A practitioner with an individual membership of the demo hub (no role anywhere)."""
    from django.utils import timezone

    from veche.core.testing.factories import UserFactory
    from veche.network.choices import MembershipState
    from veche.network.models import Membership
    from veche.organisations.models import Organisation

    settings.VECHE_REQUIRE_STAFF_2FA = False  # the editor signs in with a password only; 2FA has its own journey
    user = UserFactory(email="practitioner@example.org", display_name="Lenka Horáková")
    Membership.objects.create(
        network=Organisation.objects.get(slug="cee-participation-hub"),
        user=user,
        state=MembershipState.ACTIVE,
        motivation="Sharing what we did in Kolín.",
        region="Středočeský kraj",
        experience="Participatory budgets since 2019.",
        joined_at=timezone.now(),
    )
    return user


def test_member_presents_a_case_an_editor_approves_it_and_it_is_on_the_map(new_page, member) -> None:
    from veche.cases.models import Case
    from veche.core.demo import DEMO_PASSWORD

    journey = Journey("the map journey")

    # The member writes the case on a phone.
    phone = new_page(width=PHONE)
    journey.sign_in(phone, member.email)
    phone.goto("/en/map/")
    wait_for_markers(phone)
    journey.check(phone, "the map")
    phone.get_by_role("link", name="Present a case").click()
    phone.wait_for_url("**/map/new/")
    journey.check(phone, "the empty form")
    write_case(phone, title=TITLE, municipality="Kolín", latitude="50.0262", longitude="15.2001")
    case = Case.objects.get(title=TITLE)
    assert phone.url.endswith(f"/en/map/{case.pk}/")
    journey.check(phone, "the draft")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Submit for review").click()
    expect(phone.locator(".badge")).to_have_text("Waiting for review")
    journey.check(phone, "the submitted case")

    # The network's administrator reviews it on a desktop.
    desk = new_page(width=DESKTOP)
    journey.sign_in(desk, "admin@demo.veche.eu", password=DEMO_PASSWORD)
    desk.goto("/en/map/review/")
    journey.check(desk, "the review queue")
    desk.get_by_role("link", name=TITLE).click()
    desk.wait_for_url(f"**/map/{case.pk}/review/")
    journey.check(desk, "the review page")
    publish_case(desk)
    case.refresh_from_db()
    assert case.status == "published"

    # On the map: the filters single the case out; its marker and popup are there.
    open_the_case_on_the_map(phone, "/en/map/?municipality=Kol%C3%ADn&method=planning_workshop", TITLE)
    journey.check(phone, "the map with the new case")
    desk.goto("/en/map/")
    assert wait_for_markers(desk) == Case.objects.filter(status="published").count() == 26
    journey.check(desk, "the whole map")
    journey.assert_clean()


def test_map_pages_pass_the_audit_in_every_language_and_width(new_page, member) -> None:
    from veche.cases.models import Case
    from veche.core.demo import DEMO_PASSWORD

    journey = Journey("the map journey")
    published = Case.objects.filter(status="published").order_by("pk").first()
    waiting = Case.objects.filter(status="submitted").order_by("pk").first()
    for language in ("cs", "pl", "en"):
        for width in (PHONE, DESKTOP):
            page = new_page(language=language, width=width)
            for path in (f"/{language}/map/", f"/{language}/map/cases/", f"/{language}/map/{published.pk}/"):
                page.goto(path)
                if path.endswith("/map/"):
                    assert wait_for_markers(page) == 25
                journey.check(page, "public page", language=language)
            journey.sign_in(page, member.email, language=language)
            page.goto(f"/{language}/map/new/")
            journey.check(page, "the form", language=language)
            editor = new_page(language=language, width=width)
            journey.sign_in(editor, "admin@demo.veche.eu", password=DEMO_PASSWORD, language=language)
            for path in (
                f"/{language}/map/review/",
                f"/{language}/map/{waiting.pk}/review/",
                f"/{language}/map/{waiting.pk}/",
            ):
                editor.goto(path)
                journey.check(editor, "editor's page", language=language)
    journey.assert_clean()
