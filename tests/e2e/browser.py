"""What every browser test needs besides fixtures: finding Chromium and axe-core, watching the console, running axe.

Chromium is Debian's (never a Playwright download); axe-core comes from the npm package (`make install` runs npm ci).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LANGUAGES = ("cs", "pl", "en")
WIDTHS = (360, 1280)
HEIGHT = 800
RESULTS_DIR = Path(settings.BASE_DIR) / "test-results"


def browser_required() -> bool:
    """CI sets VECHE_REQUIRE_BROWSER=1 so that a missing Chromium fails the run instead of skipping the audit."""
    return os.environ.get("VECHE_REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


def chromium_path() -> Path:
    return Path(os.environ.get("VECHE_CHROMIUM") or "/usr/bin/chromium")


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    path = chromium_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        return f"Chromium not found at {path} (apt install chromium, or set VECHE_CHROMIUM)"
    if not axe_path().is_file():
        return f"axe-core not found at {axe_path()} (run `make install`, which runs npm ci)"
    return None


def axe_path() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class ConsoleWatch:
    """Console errors, uncaught exceptions and CSP violations seen by one page; any of them fails the test.

    `allow(text)` tolerates messages containing `text` (the 404 page's own "Failed to load resource" line).
    """

    problems: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", lambda message: self._on_console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))

    def _on_console(self, page: Any, message: Any) -> None:
        text = message.text
        csp = "Content Security Policy" in text or "Refused to" in text
        if (message.type == "error" or csp) and not any(allowed in text for allowed in self.allowed):
            kind = "CSP violation" if csp else f"console {message.type}"
            self.problems.append(f"{kind} on {page.url}: {text}")

    def allow(self, text: str) -> None:
        self.allowed.append(text)

    def take(self) -> list[str]:
        """Return and forget what was seen so far (the audit checks after every page)."""
        problems, self.problems = self.problems, []
        return problems


def inject_axe(page: Any) -> None:
    """Evaluate axe's source in the page through the DevTools protocol, so the site's strict CSP stays active."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())


_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(axe_path().read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current document with the WCAG 2.0/2.1 A and AA rules and best practices."""
    inject_axe(page)
    return page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            const results = await axe.run(document, options);
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.map(String), summary: n.failureSummary || ""})),
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict[str, Any]], *, url: str, language: str, width: int) -> str:
    """A report a template author can act on: rule, impact, the elements (CSS selectors) and what to fix."""
    lines = [f"axe-core: {len(violations)} violation(s) on {url} (language {language}, {width} px wide)"]
    for violation in violations:
        lines.append(f"  {violation['id']} [{violation['impact']}] {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    - {' '.join(node['target'])}: {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:150]


def screenshot(page: Any, name: str) -> Path | None:
    """Save a full-page screenshot into test-results/ (kept by CI as an artefact); never hide the real failure."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{safe_name(name)}.png"
    try:
        page.screenshot(path=str(path), full_page=True, timeout=10_000)
    except Exception:  # noqa: BLE001 — a closed or crashed page must not mask the test's own error
        return None
    return path


PAGE_FACTS_JS = """() => ({
    lang: document.documentElement.getAttribute("lang") || "",
    h1: document.querySelectorAll("h1").length,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
})"""


def check_page(page: Any, *, language: str, width: int) -> list[str]:
    """The audit's checks for the page now shown: lang, one h1, no horizontal scroll at phone width, axe-core clean."""
    problems = []
    facts = page.evaluate(PAGE_FACTS_JS)
    if facts["lang"] != language:
        problems.append(f'<html lang="{facts["lang"]}">, expected "{language}"')
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} <h1> elements, expected exactly one")
    if width <= 400 and facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(
            f"scrolls sideways at {width} px: document is {facts['scrollWidth']} px wide "
            f"(widest elements: {', '.join(widest_elements(page))})"
        )
    violations = run_axe(page)
    if violations:
        problems.append(format_violations(violations, url=page.url, language=language, width=width))
    return problems


def widest_elements(page: Any) -> list[str]:
    """Name the elements sticking out past the viewport, so a horizontal-scroll failure says where to look."""
    return page.evaluate(
        """() => {
            const clipped = (el) => {
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    const scrolls = getComputedStyle(up).overflowX !== "visible";
                    if (scrolls && up.getBoundingClientRect().right <= window.innerWidth + 1) return true;
                }
                return false;
            };
            const out = [];
            for (const el of document.body.querySelectorAll("*")) {
                const r = el.getBoundingClientRect();
                if (r.right > window.innerWidth + 1 && !clipped(el)) {
                    const id = el.id ? "#" + el.id : "";
                    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
                    out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)} px)`);
                }
                if (out.length >= 5) break;
            }
            return out;
        }"""
    )


def audit(page: Any, visits: list[tuple[str, str, int]], *, language: str, width: int, variant: str = "") -> list[str]:
    """Visit each (label, path, expected status) in turn and return every problem found, each naming its page.

    Checks all pages before failing, so one run lists everything to fix; failing pages leave a screenshot.
    """
    failures = []
    for label, path, status in visits:
        allowed = f"status of {status}" if status != 200 else None
        if allowed:
            page.console_watch.allow(allowed)
        response = page.goto(path)
        problems = []
        if response is None or response.status != status:
            problems.append(f"HTTP {response.status if response else 'no response'}, expected {status}")
        problems += check_page(page, language=language, width=width)
        problems += page.console_watch.take()
        if allowed:
            page.console_watch.allowed.remove(allowed)
        if problems:
            where = ", ".join(filter(None, (language, f"{width} px", variant)))
            shot = screenshot(page, f"audit-{language}-{width}-{variant}-{label}")
            header = f"{label} — {path} ({where})" + (f", screenshot {shot}" if shot else "")
            failures.append(header + "\n" + "\n".join(f"  {line}" for line in problems))
    return failures


def submit_form(page: Any, form_selector: str, values: dict[str, str]) -> None:
    """Fill the named fields of the form and press its (first) submit button, waiting for the next page."""
    form = page.locator(form_selector)
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
