"""A coordinator sets up and publishes a consultation on a phone (360 × 740) in Chromium, in Czech, Polish and English.

The test makes its own data: an organisation and its coordinator. Signed in through the real form, the coordinator
opens the organisation's consultations, starts a new one (the readability indicator answers while typing, through
htmx), sets a timeline shorter than the standard (refused until confirmed), adds a public meeting, draws the area on
the map, and publishes. Every page on the way passes the audit: the page's language, one h1, no sideways scrolling,
axe-core clean, no console errors or CSP violations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import check_page, submit_form

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
WIDTH, HEIGHT = 360, 740
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
SUMMARIES = {
    "cs": (
        "Město chce opravit park u řeky. Řekněte nám, co v parku chybí. Implementace multidisciplinárních "
        "participativních mechanismů v kontextu komplexní revitalizace veřejného prostranství vyžaduje "
        "koordinovaný přístup všech relevantních aktérů a dotčených subjektů veřejné správy v celém území."
    ),
    "pl": (
        "Miasto chce odnowić park nad rzeką. Powiedz nam, czego w parku brakuje. Implementacja "
        "multidyscyplinarnych mechanizmów partycypacyjnych w kontekście kompleksowej rewitalizacji przestrzeni "
        "publicznej wymaga skoordynowanego podejścia wszystkich zainteresowanych interesariuszy oraz właściwych "
        "podmiotów administracji publicznej na całym obszarze miasta."
    ),
    "en": (
        "The town wants to renew the park by the river. Tell us what the park is missing. The implementation of "
        "multidisciplinary participatory mechanisms in the context of a comprehensive revitalisation of public "
        "space requires a coordinated approach by all relevant stakeholders and affected public administration bodies."
    ),
}


@pytest.fixture
def coordinator(site: Any, settings: Any) -> Any:
    from veche.consultations.models import StandardSet
    from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory

    settings.VECHE_REQUIRE_STAFF_2FA = False  # the account journey tests the two-factor set-up
    # The live server's database is emptied after each test, migrations' seed rows included: bring the default back.
    StandardSet.objects.get_or_create(organisation=None, defaults={"name": "Default standard", "min_open_days": 21})
    organisation = OrganisationFactory(slug="riverside", name="Riverside")
    return RoleFactory(organisation=organisation, kind="coordinator", user=UserFactory(email="coord@example.org")).user


class Journey:
    def __init__(self, page: Any, language: str) -> None:
        self.page, self.language = page, language
        self.problems: list[str] = []

    def audit(self, step: str) -> None:
        found = check_page(self.page, language=self.language, width=WIDTH) + self.page.console_watch.take()
        if found:
            self.problems.append(f"{step} ({urlsplit(self.page.url).path}):\n  " + "\n  ".join(found))

    def assert_clean(self) -> None:
        assert not self.problems, "pages on the set-up journey failed the audit:\n\n" + "\n\n".join(self.problems)


def submit(page: Any, selector: str = "main form.form") -> None:
    with page.expect_navigation():
        page.locator(selector).locator("button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["cs", "pl", "en"])
def test_coordinator_sets_up_and_publishes_a_consultation_on_a_phone(new_page, coordinator, language) -> None:
    from veche.consultations.models import Consultation

    page = new_page(language=language, width=WIDTH)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda r: r.fulfill(body=TILE, content_type="image/png")
    )
    journey = Journey(page, language)

    page.goto(f"/{language}/accounts/login/")
    submit_form(page, "form:has(input[name=password])", {"login": coordinator.email, "password": PASSWORD})
    assert "/accounts/login/" not in page.url

    page.goto(f"/{language}/consultations/riverside/")
    journey.audit("the organisation's consultations (empty)")
    with page.expect_navigation():
        page.locator('main a[href$="/consultations/new/riverside/"]').first.click()
    journey.audit("new consultation")

    # The readability indicator answers while typing (htmx): the long sentence and rare words are flagged.
    page.locator("[name=subject]").fill("Park")
    page.locator("main [name=language]").select_option(language)
    page.locator("[name=summary]").fill(SUMMARIES[language])
    expect(page.locator("#readability .badge--warning")).to_be_visible(timeout=20_000)
    expect(page.locator("#readability li")).to_have_count(1)
    journey.audit("new consultation with the readability indicator")
    submit(page)
    consultation = Consultation.objects.get(organisation__slug="riverside")
    assert urlsplit(page.url).path == f"/{language}/consultations/riverside/{consultation.slug}/timeline/"
    journey.audit("timeline")

    # Seven days open: the standard asks for 21, so the coordinator must confirm.
    from django.utils import timezone

    opens = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=8, minute=0)
    closes = opens + dt.timedelta(days=7)
    page.locator("[name=opens_at]").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[name=closes_at]").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[name=report_due]").fill((closes + dt.timedelta(days=20)).strftime("%Y-%m-%d"))
    submit(page)
    confirm = page.locator("input[type=checkbox][name=confirm_short_period]")
    expect(confirm).to_be_visible()
    journey.audit("timeline asking for the confirmation")
    confirm.check()
    submit(page)
    consultation.refresh_from_db()
    assert consultation.short_period_confirmed and consultation.open_days == 7

    page.goto(f"/{language}/consultations/riverside/{consultation.slug}/methods/")
    page.locator("[name=methods-0-kind]").select_option("public_meeting")
    page.locator("[name=methods-0-place]").fill("Town hall")
    page.locator("[name=methods-0-starts_at]").fill((opens + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    journey.audit("methods")
    submit(page)
    assert list(consultation.methods.values_list("kind", flat=True)) == ["public_meeting"]

    # The area: three clicks on the map draw a triangle, written into the field as GeoJSON.
    page.goto(f"/{language}/consultations/riverside/{consultation.slug}/area/")
    editor = page.locator("[data-area-editor]")
    expect(editor).to_be_visible()
    for x, y in ((80, 80), (220, 90), (150, 200)):
        editor.click(position={"x": x, "y": y})
    drawn = json.loads(page.locator("[name=area]").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
    journey.audit("area drawn on the map")
    submit(page)
    consultation.refresh_from_db()
    assert consultation.area["type"] == "Polygon" and consultation.latitude is not None

    page.goto(consultation.get_absolute_url().replace("/en/", f"/{language}/"))
    journey.audit("consultation page before publishing")
    with page.expect_navigation():
        page.locator('form[action$="/publish/"] button[type=submit]').click()
    consultation = Consultation.objects.select_related("module__process").get(pk=consultation.pk)
    assert consultation.module.process.is_published
    expect(page.locator(".leaflet-container")).to_be_visible()
    journey.audit("published consultation page")

    page.goto(f"/{language}/consultations/?q=park")
    expect(page.locator("main .card")).to_have_count(1)
    journey.audit("the list, searched")
    page.goto(f"/{language}/consultations/map/")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    journey.audit("the map of consultations")
    journey.assert_clean()
