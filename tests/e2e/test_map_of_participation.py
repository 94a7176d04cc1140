"""A practitioner presents a case on the map of participation, an editor approves it, and it appears on the map.

A member of the demo network (an individual membership) signs in on a phone, writes a case through the form (a
click on the map fills the point), submits it; the network's administrator reviews and publishes it on a desktop;
back on the map page the case's marker is there (clustered with the demo's 25 cases until the filters single it
out), its popup links to the case page. Every page on the way, and the map, list, case, form and review pages in
cs, pl and en at 360 and 1280 px, pass the audit: one h1, no sideways scrolling, axe-core clean, no console errors
or CSP violations.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import check_page, submit_form

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
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


class Journey:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def audit(self, page: Any, step: str, *, language: str, width: int) -> None:
        found = check_page(page, language=language, width=width) + page.console_watch.take()
        if found:
            path = urlsplit(page.url).path
            self.problems.append(f"{step} ({path}, {language}, {width} px):\n  " + "\n  ".join(found))

    def assert_clean(self) -> None:
        assert not self.problems, "pages on the map journey failed the audit:\n\n" + "\n\n".join(self.problems)


def open_page(new_page: Any, *, language: str, width: int) -> Any:
    return new_page(language=language, width=width)  # tiles are answered by the fixture (tests/e2e/conftest.py)


def sign_in(page: Any, email: str, password: str, language: str) -> None:
    page.goto(f"/{language}/accounts/login/")
    submit_form(page, "form:has(input[name=password])", {"login": email, "password": password})
    assert "/accounts/login/" not in page.url, f"sign-in as {email} failed"


def wait_for_markers(page: Any) -> int:
    map_box = page.locator("[data-cases-map]")
    expect(map_box).to_have_attribute("data-map-markers", re.compile(r"^\d+$"))
    return int(map_box.get_attribute("data-map-markers"))


def test_member_presents_a_case_an_editor_approves_it_and_it_is_on_the_map(new_page, member) -> None:
    from veche.cases.models import Case
    from veche.core.demo import DEMO_PASSWORD

    journey = Journey()

    # The member writes the case on a phone.
    phone = open_page(new_page, language="en", width=360)
    sign_in(phone, member.email, PASSWORD, "en")
    phone.goto("/en/map/")
    wait_for_markers(phone)
    journey.audit(phone, "the map", language="en", width=360)
    phone.get_by_role("link", name="Present a case").click()
    phone.wait_for_url("**/map/new/")
    journey.audit(phone, "the empty form", language="en", width=360)
    form = phone.locator("form.form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=summary]").fill("Neighbours designed a small park on an empty corner plot with the town.")
    form.locator("[name=municipality]").fill("Kolín")
    form.locator("[name=country]").select_option("CZ")
    phone.locator("[data-map]").click()  # the click fills latitude and longitude
    expect(form.locator("[name=latitude]")).not_to_have_value("")
    form.locator("[name=latitude]").fill("50.0262")
    form.locator("[name=longitude]").fill("15.2001")
    form.locator("[name=started_on]").fill("2024-04-01")
    form.locator("[name=ended_on]").fill("2024-09-30")
    form.locator("input[name=methods][value=planning_workshop]").check()
    form.locator("input[name=topics][value=public_space]").check()
    form.locator("[name=organiser]").fill("Town of Kolín and the Husova neighbours")
    form.locator("[name=participants]").fill("85")
    form.locator("[name=lessons]").fill("Meet on the plot itself, on a Saturday morning.")
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    case = Case.objects.get(title=TITLE)
    assert phone.url.endswith(f"/en/map/{case.pk}/")
    journey.audit(phone, "the draft", language="en", width=360)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Submit for review").click()
    expect(phone.locator(".badge")).to_have_text("Waiting for review")
    journey.audit(phone, "the submitted case", language="en", width=360)

    # The network's administrator reviews it on a desktop.
    desk = open_page(new_page, language="en", width=1280)
    sign_in(desk, "admin@demo.veche.eu", DEMO_PASSWORD, "en")
    desk.goto("/en/map/review/")
    journey.audit(desk, "the review queue", language="en", width=1280)
    desk.get_by_role("link", name=TITLE).click()
    desk.wait_for_url(f"**/map/{case.pk}/review/")
    journey.audit(desk, "the review page", language="en", width=1280)
    desk.get_by_label("Publish").check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Decide").click()
    case.refresh_from_db()
    assert case.status == "published"

    # On the map: the filters single the case out; its marker and popup are there.
    phone.goto("/en/map/?municipality=Kol%C3%ADn&method=planning_workshop")
    assert wait_for_markers(phone) == 1
    marker = phone.locator(f".leaflet-marker-icon[title='{TITLE}']")
    expect(marker).to_be_visible()
    marker.click()
    expect(phone.locator(".leaflet-popup-content a")).to_have_text(TITLE)
    journey.audit(phone, "the map with the new case", language="en", width=360)
    desk.goto("/en/map/")
    assert wait_for_markers(desk) == Case.objects.filter(status="published").count() == 26
    journey.audit(desk, "the whole map", language="en", width=1280)
    journey.assert_clean()


def test_map_pages_pass_the_audit_in_every_language_and_width(new_page, member) -> None:
    from veche.cases.models import Case
    from veche.core.demo import DEMO_PASSWORD

    journey = Journey()
    published = Case.objects.filter(status="published").order_by("pk").first()
    waiting = Case.objects.filter(status="submitted").order_by("pk").first()
    for language in ("cs", "pl", "en"):
        for width in (360, 1280):
            page = open_page(new_page, language=language, width=width)
            for path in (f"/{language}/map/", f"/{language}/map/cases/", f"/{language}/map/{published.pk}/"):
                page.goto(path)
                if path.endswith("/map/"):
                    assert wait_for_markers(page) == 25
                journey.audit(page, "public page", language=language, width=width)
            sign_in(page, member.email, PASSWORD, language)
            page.goto(f"/{language}/map/new/")
            journey.audit(page, "the form", language=language, width=width)
            editor = open_page(new_page, language=language, width=width)
            sign_in(editor, "admin@demo.veche.eu", DEMO_PASSWORD, language)
            for path in (
                f"/{language}/map/review/",
                f"/{language}/map/{waiting.pk}/review/",
                f"/{language}/map/{waiting.pk}/",
            ):
                editor.goto(path)
                journey.audit(editor, "editor's page", language=language, width=width)
    journey.assert_clean()
