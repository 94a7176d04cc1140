"""Sections that other apps add to a network's home page (latest cases on the map, upcoming events, …).

The network app does not import the apps that stand on it; they register a section from their AppConfig.ready():

    from veche.network.home_sections import HomeSection, register_home_section

    register_home_section(HomeSection(
        key="cases.latest",
        template_name="cases/_latest_for_network.html",
        context=lambda request, network: {"cases": ..., "network": network} or None,  # None leaves it out
        order=20,
    ))

The home page renders every section whose context() returns a dict, in (order, key) order. Each section's
template is rendered with the request, so it may use {% url %}, {% translate %} and the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

SectionContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class HomeSection:
    key: str
    template_name: str
    context: SectionContext
    order: int = 100


_sections: dict[str, HomeSection] = {}


def register_home_section(section: HomeSection) -> None:
    """Add (or replace, by key) a section of the network home page."""
    _sections[section.key] = section


def unregister_home_section(key: str) -> None:
    _sections.pop(key, None)


def home_sections() -> list[HomeSection]:
    return sorted(_sections.values(), key=lambda item: (item.order, item.key))


def render_home_sections(request: HttpRequest, network: Any) -> list[SafeString]:
    rendered = []
    for section in home_sections():
        context = section.context(request, network)
        if context is not None:
            rendered.append(render_to_string(section.template_name, context, request=request))
    return rendered
