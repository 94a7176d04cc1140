"""Keyboard use: the skip link comes first and lands in the main content, focus is always visible, and the language
switcher works by keyboard with JavaScript switched off."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

FOCUSED_JS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute("href"), name: el.getAttribute("name"),
        text: (el.innerText || el.value || "").trim().slice(0, 40),
        inMain: Boolean(el.closest("main")),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
        visible: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0 && box.left < innerWidth,
    };
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED_JS)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(new_page, demo, width: int) -> None:
    page = new_page(language="en", width=width)
    page.goto("/en/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main", f"the first Tab stop is {first}, not the skip link"
    assert first["visible"], "the skip link stays invisible when focused"

    page.keyboard.press("Enter")
    after = focused(page)
    if after["id"] != "main":
        page.keyboard.press("Tab")
        after = focused(page)
    assert after["id"] == "main" or after["inMain"], f"after the skip link, focus is on {after}, not in <main>"


def test_every_tab_stop_in_the_page_shows_where_focus_is(new_page, demo) -> None:
    page = new_page(language="en", width=1280)
    page.goto("/en/accounts/login/")
    invisible = []
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        element = focused(page)
        key = (element["tag"], element["id"], element["href"], element["name"], element["text"])
        if element["tag"] == "body" or key in seen:
            break
        seen.add(key)
        if not (element["outline"] or element["shadow"]):
            invisible.append(element)
    assert len(seen) >= 5, f"only {len(seen)} elements reachable by Tab"
    assert not invisible, "focus is not visible (no outline or box-shadow) on:\n" + "\n".join(map(str, invisible))


@pytest.mark.parametrize("width", [360, 1280])
def test_the_language_switcher_works_by_keyboard_without_javascript(new_page, demo, width: int) -> None:
    page = new_page(language="en", width=width, javascript=False)
    page.goto("/en/accounts/login/?next=/en/me/")
    assert page.evaluate("document.documentElement.lang") == "en"

    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["name"] == "language":
            break
    else:
        pytest.fail("the language choice cannot be reached with Tab")
    page.locator("select[name=language]").select_option("cs")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == "/cs/accounts/login/", f"the switcher took us to {page.url}"
    assert page.evaluate("document.documentElement.lang") == "cs"
    assert page.locator("select[name=language]").input_value() == "cs"
