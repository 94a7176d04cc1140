"""Sanitise user-written HTML with nh3: a short allow-list of formatting tags, links forced to be safe."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "blockquote", "h2", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def clean_html(value: str) -> str:
    """Return value with every tag, attribute and URL scheme outside the allow-list removed."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
