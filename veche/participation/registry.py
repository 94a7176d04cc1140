"""The module-type registry: each module app (consultations, budgeting …) declares what its modules are made of.

A module app defines one ModuleType in its module.py and registers it from its AppConfig.ready(); the core never
imports a module app. See docs/howto/adding-a-module.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class DuplicateModuleTypeError(ValueError):
    """Two module types claim the same key."""


class UnknownModuleTypeError(LookupError):
    """No module type with this key is registered (its app is not installed, or was removed)."""


@dataclass(frozen=True)
class PhaseType:
    """One phase a module type goes through, and the features (things people can do) it switches on."""

    key: str
    name: str | Promise
    features: frozenset[str] = frozenset()
    description: str | Promise = ""

    def __post_init__(self) -> None:
        if not KEY.match(self.key):
            raise ValueError(f"Phase type key {self.key!r} must be lower case letters, digits and underscores.")
        object.__setattr__(self, "features", frozenset(self.features))


@dataclass(frozen=True)
class CaseSummary:
    """What a finished module tells the network's map of participation, so that a coordinator can publish it as a
    case in one step with its real figures. Plain data: the network app never imports the module's models.

    methods are keys of veche.core.vocabulary.MethodChoices and topics of TopicChoices; url is the module's page on
    this site; links are further (label, url) pairs such as a report PDF or a results page.
    """

    title: str
    summary: str
    organisation_id: int
    methods: tuple[str, ...]
    url: str
    topics: tuple[str, ...] = ()
    started_on: date | None = None
    ended_on: date | None = None
    participants: int | None = None
    participants_note: str = ""
    budget: Decimal | None = None
    currency: str = ""
    results: str = ""
    latitude: float | None = None
    longitude: float | None = None
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ModuleType:
    """What a module app declares: its phases in order, its features, and optional hooks the core and other apps call.

    features lists every feature the module knows (defaults to the union of its phases' features). The hooks take a
    Module and return plain data: settings_schema describes the module's settings form, exports lists the open-data
    files it publishes, stats returns headline numbers (used by the network's map of participation, for instance).
    on_module_added(module=…, actor=…) runs inside add_module's transaction, so that a module's own settings row
    (a budget edition, say) exists exactly when the module does. entry_url(module) returns the address of the
    module's own page (a budget edition's page), which the process page links to. case_summary(module) returns a
    CaseSummary once the module is finished (a consultation with its report, a budget with published results), or
    None while there is nothing to present yet. schedule_url(module) returns the module's own page for setting its
    dates when the generic phase page must not be used (a consultation checks its standard's minimum length there);
    the generic page then sends coordinators to it. publishing_problems(module) returns what must be done before
    the module's process may be published (messages for the coordinator, empty when ready): publish_process refuses
    while any module has some, whichever page, admin action or command publishes.
    """

    key: str
    name: str | Promise
    phases: tuple[PhaseType, ...]
    description: str | Promise = ""
    features: frozenset[str] = frozenset()
    settings_schema: Callable[..., Any] | None = None
    exports: Callable[..., Any] | None = None
    stats: Callable[..., Any] | None = None
    on_module_added: Callable[..., Any] | None = None
    entry_url: Callable[[Any], str] | None = None
    case_summary: Callable[[Any], CaseSummary | None] | None = None
    schedule_url: Callable[[Any], str] | None = None
    publishing_problems: Callable[[Any], list[str]] | None = None

    def __post_init__(self) -> None:
        if not KEY.match(self.key):
            raise ValueError(f"Module type key {self.key!r} must be lower case letters, digits and underscores.")
        phases = tuple(self.phases)
        if not phases:
            raise ValueError(f"Module type {self.key!r} declares no phases.")
        keys = [phase.key for phase in phases]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Module type {self.key!r} declares a phase key twice: {keys}.")
        declared = frozenset().union(*(phase.features for phase in phases))
        features = frozenset(self.features) or declared
        if not declared <= features:
            raise ValueError(f"Module type {self.key!r}: phases use undeclared features {sorted(declared - features)}.")
        object.__setattr__(self, "phases", phases)
        object.__setattr__(self, "features", features)

    @property
    def features_by_phase(self) -> dict[str, frozenset[str]]:
        return {phase.key: phase.features for phase in self.phases}

    def phase_type(self, key: str) -> PhaseType | None:
        return next((phase for phase in self.phases if phase.key == key), None)


_registry: dict[str, ModuleType] = {}


def register_module_type(module_type: ModuleType) -> ModuleType:
    """Add module_type to the registry. Registering the very same object again is a no-op; another type with the
    same key raises DuplicateModuleTypeError."""
    existing = _registry.get(module_type.key)
    if existing is module_type:
        return module_type
    if existing is not None:
        raise DuplicateModuleTypeError(f"A module type with the key {module_type.key!r} is already registered.")
    _registry[module_type.key] = module_type
    return module_type


def unregister_module_type(key: str) -> None:
    """Remove a module type; meant for tests (use registered_for_test)."""
    _registry.pop(key, None)


def get_module_type(key: str) -> ModuleType:
    try:
        return _registry[key]
    except KeyError:
        raise UnknownModuleTypeError(key) from None


def find_module_type(key: str) -> ModuleType | None:
    """Like get_module_type, but None for a key whose app is gone, so that pages can still show such a module."""
    return _registry.get(key)


def module_types() -> tuple[ModuleType, ...]:
    """All registered module types, in registration order."""
    return tuple(_registry.values())


@contextmanager
def registered_for_test(*types: ModuleType) -> Iterator[tuple[ModuleType, ...]]:
    """Register types for the duration of a test, and remove them afterwards even when the test fails."""
    added: list[str] = []
    try:
        for module_type in types:
            if _registry.get(module_type.key) is not module_type:
                register_module_type(module_type)
                added.append(module_type.key)
        yield types
    finally:
        for key in added:
            unregister_module_type(key)
