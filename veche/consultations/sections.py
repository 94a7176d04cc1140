"""Sections of the consultation page. Each part of the app (documents, survey, report …) registers the section it
shows, so the page grows without one view knowing every part. A section's context function gets the request and
the consultation (loaded with ConsultationQuerySet.for_detail_page) and returns the template context, or None to
leave the section out for this visitor. It must cost a fixed number of queries whatever the consultation's size
(the page's query-count test sums them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

SectionContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class DetailSection:
    key: str
    template_name: str
    context: SectionContext
    order: int = 100


_sections: dict[str, DetailSection] = {}


def register_detail_section(section: DetailSection) -> None:
    """Add (or replace, by key) a section of the consultation page."""
    _sections[section.key] = section


def unregister_detail_section(key: str) -> None:
    _sections.pop(key, None)


def render_detail_sections(request: HttpRequest, consultation: Any) -> list[SafeString]:
    rendered = []
    for section in sorted(_sections.values(), key=lambda item: (item.order, item.key)):
        context = section.context(request, consultation)
        if context is not None:
            context.setdefault("consultation", consultation)
            rendered.append(render_to_string(section.template_name, context, request=request))
    return rendered
