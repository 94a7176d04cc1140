"""The colour tokens of static/css/veche.css meet WCAG 2.1 AA contrast in light and in dark mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[3] / "static" / "css" / "veche.css").read_text(encoding="utf-8")
TOKEN = re.compile(r"--(color-[a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;")

# (foreground, background, minimum ratio): 4.5 for text, 3 for control borders and the focus ring (WCAG 1.4.11).
PAIRS = [
    ("color-text", "color-bg", 4.5),
    ("color-text", "color-surface", 4.5),
    ("color-text-muted", "color-bg", 4.5),
    ("color-text-muted", "color-surface", 4.5),
    ("color-link", "color-bg", 4.5),
    ("color-link", "color-surface", 4.5),
    ("color-on-primary", "color-primary", 4.5),
    ("color-primary", "color-bg", 4.5),
    ("color-on-danger", "color-danger", 4.5),
    ("color-danger", "color-bg", 4.5),
    ("color-neutral-text", "color-neutral-bg", 4.5),
    ("color-info-text", "color-info-bg", 4.5),
    ("color-success-text", "color-success-bg", 4.5),
    ("color-warning-text", "color-warning-bg", 4.5),
    ("color-danger-text", "color-danger-bg", 4.5),
    ("color-border-strong", "color-bg", 3.0),
    ("color-focus", "color-bg", 3.0),
    ("color-focus", "color-surface", 3.0),
]


def block(start: str) -> dict[str, str]:
    """The colour tokens declared in the first `{...}` that follows start."""
    index = CSS.index(start)
    body = CSS[CSS.index("{", CSS.index(":root", index)) : CSS.index("}", index)]
    return dict(TOKEN.findall(body))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = block(":root")
DARK = {**LIGHT, **block("@media (prefers-color-scheme: dark)")}


def test_contrast_helper_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_dark_mode_redefines_every_colour():
    assert set(block("@media (prefers-color-scheme: dark)")) == set(LIGHT)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS, ids=lambda value: str(value))
def test_pair_meets_wcag_aa(scheme, foreground, background, minimum):
    tokens = LIGHT if scheme == "light" else DARK
    ratio = contrast(tokens[foreground], tokens[background])
    assert ratio >= minimum, f"{scheme}: {foreground} on {background} is {ratio:.2f}:1"


def test_focus_is_visible_and_motion_can_be_reduced_and_pages_print():
    assert ":focus-visible" in CSS
    assert "outline: var(--focus-ring)" in CSS
    assert "@media (prefers-reduced-motion: reduce)" in CSS
    assert "@media print" in CSS
    assert 'content: " (" attr(href) ")"' in CSS
