"""A resident votes in a participatory budget on a phone (360 × 740) in Chromium.

The test makes its own data: an edition in the voting phase with 30 projects in three categories (a third of them on
the map) and a verified resident. Signed in through the real form, the resident opens the ballot, searches and filters
(instantly, by JavaScript), chooses projects while the budget meter runs, goes over the budget and sees the warning,
reviews (the server lists the problem), changes the choices with the selection kept, reviews again, casts, reads the
receipt code and looks it up. Every page on the way passes the audit: one h1, no sideways scrolling, axe-core clean,
no console errors or CSP violations.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import check_page, submit_form

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
WIDTH, HEIGHT = 360, 740
# A transparent 1×1 PNG: map tiles come from the tile server on the internet, which the test does not reach.
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
THEMES = ("Trees on", "Benches in", "Playground at", "Lights along", "Fountain on", "Bike racks at")
STREETS = ("Husova", "Náměstí Míru", "Lipová", "Školní", "Nádražní")


@pytest.fixture
def voting_edition(site: Any) -> Any:
    from veche.budgeting.choices import BallotType
    from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition

    edition = make_edition(phase="voting", ballot_type=BallotType.KNAPSACK)
    names = ("Parks", "Streets", "Schools")
    categories = [CategoryFactory(edition=edition, name=name, weight=index) for index, name in enumerate(names)]
    for index in range(30):
        ProposalFactory(
            edition=edition,
            number=index + 1,
            title=f"{THEMES[index % len(THEMES)]} {STREETS[index % len(STREETS)]} {index + 1}",
            summary="A short description of what the project builds and for whom.",
            category=categories[index % 3],
            cost_estimate=Decimal(5_000 + 5_000 * (index % 6)),
            latitude=Decimal("50.08") + Decimal(index) / 1000 if index % 3 == 0 else None,
            longitude=Decimal("14.42") + Decimal(index) / 1000 if index % 3 == 0 else None,
        )
    # One project costs more than the whole pool, to show the over-budget warning.
    ProposalFactory(
        edition=edition,
        number=31,
        title="New sports hall",
        category=categories[2],
        cost_estimate=Decimal(150_000),
        summary="A hall for the schools.",
    )
    return edition


@pytest.fixture
def resident(site: Any) -> Any:
    from veche.core.testing.factories import UserFactory

    return UserFactory(email="voter@example.org")


class Journey:
    """Walks pages and collects every page's audit problems, reported together at the end."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []

    def audit(self, step: str) -> None:
        path = urlsplit(self.page.url).path
        found = check_page(self.page, language="en", width=WIDTH)
        found += self.page.console_watch.take()
        if found:
            self.problems.append(f"{step} ({path}):\n  " + "\n  ".join(found))

    def assert_clean(self) -> None:
        assert not self.problems, "pages on the voting journey failed the audit:\n\n" + "\n\n".join(self.problems)


def visible_rows(page: Any) -> int:
    return page.locator("[data-project]:visible").count()


def meter_text(page: Any) -> str:
    return page.locator("[data-ballot-status]").inner_text()


def row_input(page: Any, title: str) -> Any:
    return page.locator("[data-project]", has=page.get_by_text(title, exact=False)).locator("input[type=checkbox]")


def test_resident_votes_on_a_phone(new_page, voting_edition, resident) -> None:
    from veche.budgeting.models import Ballot

    edition = voting_edition
    page = new_page(language="en", width=WIDTH)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    elsewhere = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")
    page.route(elsewhere, lambda route: route.fulfill(body=TILE, content_type="image/png"))
    journey = Journey(page)

    page.goto("/en/accounts/login/")
    submit_form(page, "form:has(input[name=password])", {"login": resident.email, "password": PASSWORD})
    assert "/accounts/login/" not in page.url, "the resident could not sign in"

    # The pools page: one citywide pool.
    page.goto(f"/en/budgets/{edition.pk}/vote/")
    journey.audit("choose a pool")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Vote here")).first.click()
    assert urlsplit(page.url).path == f"/en/budgets/{edition.pk}/vote/{edition.pools.get().pk}/"
    assert visible_rows(page) == 31
    assert meter_text(page) == "Spent 0 CZK of 100,000 CZK. Left: 100,000 CZK."
    assert page.locator("[data-ballot-filter-button]").is_hidden(), "instant filtering should hide the filter button"
    assert page.locator(".leaflet-marker-icon").count() == 10, "the map shows the located projects"
    journey.audit("ballot")

    # Search ignores accents and case: "namesti" finds the five projects on Náměstí Míru.
    page.get_by_label("Search the projects").fill("namesti")
    expect(page.locator("[data-project]:visible")).to_have_count(6)
    expect(page.locator("[data-ballot-shown]")).to_contain_text("6 of 31")
    row_input(page, "Fountain on Náměstí Míru 17").check()
    assert meter_text(page) == "Spent 25,000 CZK of 100,000 CZK. Left: 75,000 CZK."
    row_input(page, "Benches in Náměstí Míru 2").check()
    assert meter_text(page) == "Spent 35,000 CZK of 100,000 CZK. Left: 65,000 CZK."

    # A category instead: the search cleared, only the schools' projects show; the earlier choices stay chosen.
    page.get_by_label("Search the projects").fill("")
    page.get_by_label("Category").select_option(label="Schools")
    expect(page.locator("[data-project]:visible")).to_have_count(11)
    row_input(page, "New sports hall").check()
    assert meter_text(page).startswith("Over the budget by 85,000 CZK")
    assert "ballot-meter--over" in (page.locator("[data-ballot-meter-box]").get_attribute("class") or "")
    journey.audit("ballot over the budget")

    # The meter stays on screen while scrolling down the list.
    page.locator("[data-project]:visible").last.scroll_into_view_if_needed()
    box = page.locator("[data-ballot-meter-box]").bounding_box()
    assert box is not None and 0 <= box["y"] <= 2, f"the budget meter scrolled away ({box})"

    # Review refuses the ballot and says why; going back keeps all three choices.
    with page.expect_navigation():
        page.locator("[data-ballot-meter-box] button[value=review]").click()
    assert "more than this pool's budget" in page.locator(".form-errors").inner_text()
    focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert focused, "the error summary is not focused"
    assert page.get_by_role("button", name="Cast my vote").count() == 0
    journey.audit("review with a problem")
    with page.expect_navigation():
        page.get_by_role("button", name="Change my choices").click()
    assert page.locator("input[type=checkbox]:checked").count() == 3
    journey.audit("ballot after changing")

    page.get_by_label("Show only my choices").check()
    expect(page.locator("[data-project]:visible")).to_have_count(3)
    row_input(page, "New sports hall").uncheck()
    assert meter_text(page) == "Spent 35,000 CZK of 100,000 CZK. Left: 65,000 CZK."

    with page.expect_navigation():
        page.locator("[data-ballot-meter-box] button[value=review]").click()
    main = page.locator("main").inner_text()
    assert "Fountain on Náměstí Míru 17" in main and "Benches in Náměstí Míru 2" in main and "35,000 CZK" in main
    journey.audit("review")

    with page.expect_navigation():
        page.get_by_role("button", name="Cast my vote").click()
    receipt = page.locator("[data-receipt]").inner_text().strip()
    ballot = Ballot.objects.get()
    assert receipt == ballot.receipt
    assert sorted(ballot.projects) == sorted(edition.proposals.filter(number__in=(2, 17)).values_list("pk", flat=True))
    journey.audit("confirmation with the receipt")

    with page.expect_navigation():
        page.get_by_role("link", name="Check a receipt code").click()
    journey.audit("receipt lookup")
    submit_form(page, "main form", {"receipt": receipt.lower()})
    assert f"Ballot {receipt}" in page.locator("main").inner_text()
    journey.audit("receipt found")

    page.goto(f"/en/budgets/{edition.pk}/vote/")
    assert "Done: you have voted here" in page.locator("main").inner_text()
    journey.audit("pools after voting")
    journey.assert_clean()


def test_ballot_works_without_javascript(new_page, voting_edition, resident) -> None:
    """Without JavaScript the filter reloads the ballot from the server, and what was ticked stays ticked."""
    from veche.budgeting.models import Ballot

    edition = voting_edition
    page = new_page(language="en", width=WIDTH, javascript=False)
    page.goto("/en/accounts/login/")
    submit_form(page, "form:has(input[name=password])", {"login": resident.email, "password": PASSWORD})
    page.goto(f"/en/budgets/{edition.pk}/vote/{edition.pools.get().pk}/")

    row_input(page, "Trees on Husova 1").check()
    page.get_by_label("Search the projects").fill("namesti")
    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()
    assert visible_rows(page) == 6
    assert page.locator("input[type=checkbox]:checked").count() == 1, "the choice hidden by the filter was lost"
    row_input(page, "Benches in Náměstí Míru 2").check()

    with page.expect_navigation():
        page.locator("[data-ballot-meter-box] button[value=review]").click()
    main = page.locator("main").inner_text()
    assert "Trees on Husova 1" in main and "Benches in Náměstí Míru 2" in main
    with page.expect_navigation():
        page.get_by_role("button", name="Cast my vote").click()
    assert page.locator("[data-receipt]").inner_text().strip() == Ballot.objects.get().receipt
