"""What the browser journeys share: signing people in (staff with a computed two-factor code), auditing the pages on
the way and reporting every problem together at the end, and the map of participation's case form and markers.

A journey walks pages as several people in their own browser contexts; `Journey.check` audits the page now shown,
`Journey.audit` the same address in every language at phone and desktop width (as the person who sees it).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tests.e2e.browser import LANGUAGES, check_page, submit_form
from tests.e2e.totp import fresh_totp

PASSWORD = "correct horse battery"  # veche.core.testing.factories.UserFactory's
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — test-only authenticator secret
PHONE, DESKTOP = 360, 1280
HEIGHT = 740


class Journey:
    """Walks pages as several people and collects every audit problem, reported together by assert_clean()."""

    def __init__(self, name: str = "the journey") -> None:
        self.name = name
        self.problems: list[str] = []
        self.codes: set[str] = set()

    def sign_in(
        self,
        page: Any,
        email: str,
        *,
        two_factor: bool = False,
        password: str = PASSWORD,
        secret: str = SECRET,
        language: str = "en",
    ) -> Any:
        """Through the real sign-in form; staff answer the two-factor step with a code not used before."""
        page.goto(f"/{language}/accounts/login/")
        submit_form(page, "form:has(input[name=password])", {"login": email, "password": password})
        if two_factor:
            assert "/accounts/2fa/authenticate/" in page.url, f"expected the two-factor step, got {page.url}"
            code = fresh_totp(secret, not_=self.codes)
            submit_form(page, "form:has(input[name=code])", {"code": code})
            self.codes.add(code)
        assert "/accounts/login/" not in page.url, f"sign-in as {email} failed; still on {page.url}"
        return page

    def check(self, page: Any, step: str, *, language: str = "en") -> None:
        """Audit the page now shown, at the page's own width."""
        width = page.viewport_size["width"]
        found = check_page(page, language=language, width=width) + page.console_watch.take()
        if found:
            path = urlsplit(page.url).path
            self.problems.append(f"{step} ({path}, {language}, {width} px):\n  " + "\n  ".join(found))

    def audit(self, page: Any, step: str, *, widths: tuple[int, ...] = (PHONE, DESKTOP)) -> None:
        """The page now shown, then the same address in every language at each width; back where it was (at
        phone width)."""
        path = urlsplit(page.url).path
        fragment = urlsplit(page.url).fragment
        query = urlsplit(page.url).query
        rest = path.split("/", 2)[2] + (f"?{query}" if query else "")
        for language in LANGUAGES:
            for width in widths:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                response = page.goto(f"/{language}/{rest}")
                found = [] if response and response.status == 200 else [f"HTTP {response and response.status}"]
                found += check_page(page, language=language, width=width)
                found += page.console_watch.take()
                if found:
                    where = f"{step} ({language}, {width} px, /{language}/{rest})"
                    self.problems.append(where + ":\n  " + "\n  ".join(found))
        page.set_viewport_size({"width": PHONE, "height": HEIGHT})
        page.goto(path + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else ""))

    def assert_clean(self) -> None:
        assert not self.problems, f"pages on {self.name} failed the audit:\n\n" + "\n\n".join(self.problems)


def wait_for_markers(page: Any) -> int:
    """Wait until the map of participation has placed its markers; return how many."""
    from playwright.sync_api import expect

    map_box = page.locator("[data-cases-map]")
    expect(map_box).to_have_attribute("data-map-markers", re.compile(r"^\d+$"))
    return int(map_box.get_attribute("data-map-markers"))


def open_the_case_on_the_map(page: Any, path: str, title: str) -> None:
    """Go to the map at path, which must show exactly one marker: the case's; open its popup, which links to it."""
    from playwright.sync_api import expect

    page.goto(path)
    assert wait_for_markers(page) == 1
    marker = page.locator(f".leaflet-marker-icon[title='{title}']")
    expect(marker).to_be_visible()
    marker.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text(title)


def write_case(page: Any, *, title: str, municipality: str, latitude: str, longitude: str) -> None:
    """Fill the case form now shown (a click on the map first fills the point, then the exact one is typed) and
    save the draft."""
    from playwright.sync_api import expect

    form = page.locator("form.form")
    form.locator("[name=title]").fill(title)
    form.locator("[name=summary]").fill("Neighbours designed a small park on an empty corner plot with the town.")
    form.locator("[name=municipality]").fill(municipality)
    form.locator("[name=country]").select_option("CZ")
    page.locator("[data-map]").click()  # the click fills latitude and longitude
    expect(form.locator("[name=latitude]")).not_to_have_value("")
    form.locator("[name=latitude]").fill(latitude)
    form.locator("[name=longitude]").fill(longitude)
    form.locator("[name=started_on]").fill("2024-04-01")
    form.locator("[name=ended_on]").fill("2024-09-30")
    form.locator("input[name=methods][value=planning_workshop]").check()
    form.locator("input[name=topics][value=public_space]").check()
    form.locator("[name=organiser]").fill(f"Town of {municipality} and the neighbours")
    form.locator("[name=participants]").fill("85")
    form.locator("[name=lessons]").fill("Meet on the plot itself, on a Saturday morning.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def publish_case(page: Any) -> None:
    """On a case's review page, publish it."""
    page.get_by_label("Publish").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Decide").click()
