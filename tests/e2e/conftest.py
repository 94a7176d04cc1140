"""Browser-test harness: Debian's Chromium driven by Playwright against pytest-django's live server.

- Skips every browser test when Chromium (or axe-core) is missing, and fails instead under VECHE_REQUIRE_BROWSER=1.
- One browser per session; a fresh context and page per test (`new_page` makes more, e.g. one per language/width).
- The live server runs in this process on the transactional test database (SQLite or PostgreSQL), so tests read
  django.core.mail.outbox and load demo data directly.
- Console errors, uncaught exceptions and CSP violations fail the test; a failing test leaves screenshots of its open
  pages in test-results/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.browser import (
    CHROMIUM_ARGS,
    HEIGHT,
    ConsoleWatch,
    browser_required,
    chromium_missing,
    chromium_path,
    screenshot,
    submit_form,
)
from tests.e2e.site_map import audit_data
from tests.e2e.totp import fresh_totp

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Remember each phase's report so fixtures can tell, at teardown, whether the test failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = chromium_missing()
    if reason:
        if browser_required():
            pytest.fail(f"VECHE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; the ORM calls the tests make in between (demo data,
    # reading users) are ordinary synchronous code, so Django's async-safety guard must not refuse them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path()),
            args=CHROMIUM_ARGS,
            headless=not os.environ.get("VECHE_HEADED"),  # VECHE_HEADED=1 shows the browser when debugging locally
            slow_mo=int(os.environ.get("VECHE_SLOW_MO", "0")),
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server: Any) -> Any:
    """The live server with a clean cache: rate-limit counters and used TOTP codes must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    return live_server


@pytest.fixture
def demo(site: Any) -> Iterator[Any]:
    """The `veche demo` data (organisations, people in every role, each app's demo objects) in the test database,
    with a module on the demo process (see site_map.audit_data)."""
    with audit_data() as context:
        yield context


NewPage = Callable[..., Any]

# A transparent 1×1 PNG: map tiles come from a tile server on the internet, which the tests do not reach.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def serve_blank_map_tiles(context: Any) -> None:
    """Answer every request to the configured tile server with a blank tile, so maps render offline and no
    failed request reaches the console watch."""
    from django.conf import settings

    pattern = settings.VECHE_MAP_TILES.split("{", 1)[0] + "**"
    context.route(pattern, lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE))


@pytest.fixture
def new_page(browser: Any, site: Any, request: pytest.FixtureRequest) -> Iterator[NewPage]:
    """Make a page in its own context: `new_page(language="en", width=1280, javascript=True, color_scheme="light")`.

    The context sends Accept-Language for the language (the URL prefix still decides) and keeps the site's CSP.
    """
    opened: list[tuple[Any, Any, ConsoleWatch]] = []

    def make(*, language: str = "en", width: int = 1280, javascript: bool = True, color_scheme: str = "light") -> Any:
        context = browser.new_context(
            base_url=site.url,
            viewport={"width": width, "height": HEIGHT},
            locale=language,
            java_script_enabled=javascript,
            color_scheme=color_scheme,
        )
        context.set_default_timeout(15_000)
        serve_blank_map_tiles(context)
        page = context.new_page()
        page.console_watch = ConsoleWatch()
        page.console_watch.attach(page)
        opened.append((context, page, page.console_watch))
        return page

    yield make

    reports = request.node.stash.get(_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    problems: list[str] = []
    for index, (context, page, console) in enumerate(opened):
        problems += console.take()
        if failed or problems:
            path = screenshot(page, f"{request.node.nodeid}-{index}")
            if path:
                print(f"screenshot: {path}")  # noqa: T201 — shown with the failure report
        context.close()
    if problems and not failed:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: NewPage) -> Any:
    """An English page at desktop width."""
    return new_page()


@pytest.fixture
def sign_in(demo: Any) -> Callable[..., Any]:
    """Sign a demo user in through the real sign-in form: `sign_in(page, "member@demo.veche.eu", language="en")`.

    With `totp_secret`, also answers the two-factor step with a computed code (`used_codes` are avoided).
    """
    from veche.core.demo import DEMO_PASSWORD

    def submit(
        page: Any,
        email: str,
        *,
        password: str = DEMO_PASSWORD,
        language: str = "en",
        totp_secret: str | None = None,
        used_codes: set[str] | None = None,
    ) -> Any:
        page.goto(f"/{language}/accounts/login/")
        submit_form(page, "form:has(input[name=password])", {"login": email, "password": password})
        if totp_secret:
            assert "/accounts/2fa/authenticate/" in page.url, f"expected the two-factor step, got {page.url}"
            code = fresh_totp(totp_secret, not_=used_codes or set())
            submit_form(page, "form:has(input[name=code])", {"code": code})
            if used_codes is not None:
                used_codes.add(code)
        assert "/accounts/login/" not in page.url, f"sign-in as {email} failed; still on {page.url}"
        return page

    return submit
