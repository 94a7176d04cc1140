"""The harness must bite: a CSP violation and an accessibility violation are both caught."""

from __future__ import annotations

import pytest

from tests.e2e.browser import run_axe

pytestmark = pytest.mark.browser

BREAK_PAGE = """() => {
    const image = document.createElement("img");
    image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    document.querySelector("main").append(image);
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true;";
    document.body.append(script);
}"""


def test_inline_script_is_blocked_and_reported_and_axe_finds_a_missing_alt(page, demo) -> None:
    page.goto("/en/")
    page.evaluate(BREAK_PAGE)
    page.wait_for_function("() => true")

    assert page.evaluate("window.inlineRan === undefined"), "the Content-Security-Policy did not block inline script"
    problems = page.console_watch.take()
    assert any(problem.startswith("CSP violation") for problem in problems), problems
    assert "image-alt" in {violation["id"] for violation in run_axe(page)}
