"""The "processes you ran" list of a practitioner's profile, typed as lines of text (no Django import).

Each line is a title, optionally followed by an address: "Participatory budget of Kolín 2024 | https://…" or
"Participatory budget of Kolín 2024 https://…". Addresses are http(s) or a path on this site (a case on the map,
a process on veche: "/en/processes/…"). Blank lines are skipped; at most MAX_PROCESSES lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PROCESSES = 30
MAX_TITLE = 200
MAX_URL = 500
_URL_AT_END = re.compile(r"(?:^|\s|\|)\s*((?:https?://|/)[^\s|]*)\s*$", re.IGNORECASE)
_SAFE_URL = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|/[^\s/][^\s]*|/)$", re.IGNORECASE)


@dataclass(frozen=True)
class ProcessLineError(ValueError):
    line: int
    reason: str  # "too_many", "title_too_long", "url_too_long", "bad_url", "no_title"


def parse_processes(text: str) -> list[dict[str, str]]:
    """Parse the lines into [{"title": …, "url": …}] (url may be ""). Raises ProcessLineError for a bad line."""
    items: list[dict[str, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(items) == MAX_PROCESSES:
            raise ProcessLineError(number, "too_many")
        url = ""
        match = _URL_AT_END.search(line)
        if match:
            url = match.group(1)
            line = line[: match.start(1)].rstrip(" |").strip()
        if not line:
            raise ProcessLineError(number, "no_title")
        if len(line) > MAX_TITLE:
            raise ProcessLineError(number, "title_too_long")
        if len(url) > MAX_URL:
            raise ProcessLineError(number, "url_too_long")
        if url and not _SAFE_URL.match(url):
            raise ProcessLineError(number, "bad_url")
        items.append({"title": line, "url": url})
    return items


def format_processes(items: list[dict[str, str]]) -> str:
    """The inverse of parse_processes, for the edit form."""
    return "\n".join(f"{item['title']} | {item['url']}" if item.get("url") else item["title"] for item in items)
