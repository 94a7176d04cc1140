"""Sections that apps higher up the dependency graph add to an organisation's page (processes, the audit log link …).

The organisations app must not import the apps that stand on it, so they register a section renderer here from their
AppConfig.ready(); the detail view renders every section that returns something, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from veche.organisations.models import Organisation

SectionContext = Callable[[HttpRequest, "Organisation"], dict[str, Any] | None]


@dataclass(frozen=True)
class PageSection:
    key: str
    template_name: str
    context: SectionContext
    order: int = 100


_sections: dict[str, PageSection] = {}


def register_page_section(section: PageSection) -> None:
    """Add (or replace, by key) a section. context() returns None to leave the section out for this visitor."""
    _sections[section.key] = section


def unregister_page_section(key: str) -> None:
    _sections.pop(key, None)


def render_sections(request: HttpRequest, organisation: Organisation) -> list[SafeString]:
    rendered = []
    for section in sorted(_sections.values(), key=lambda item: (item.order, item.key)):
        context = section.context(request, organisation)
        if context is not None:
            rendered.append(render_to_string(section.template_name, context, request=request))
    return rendered
