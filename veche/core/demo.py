"""The demo data framework: `veche demo` runs the core loader, then every app's demo.py loader, idempotently.

An app contributes demo data by defining `veche/<app>/demo.py` with a function decorated by `@register(order=N)`
that takes the DemoContext. Loaders must be idempotent: look objects up by a natural key (slug, email) first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

Loader = Callable[["DemoContext"], None]
_loaders: list[tuple[int, str, Loader]] = []

DEMO_PASSWORD = "demo-veche-2026"  # noqa: S105 — documented demo credential, local demo only


@dataclass
class DemoContext:
    """What loaders share: organisations and people by key, and the lines `veche demo` prints at the end."""

    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def register(*, order: int = 100) -> Callable[[Loader], Loader]:
    def decorator(loader: Loader) -> Loader:
        key = f"{loader.__module__}.{loader.__qualname__}"
        if all(existing != key for _order, existing, _fn in _loaders):
            _loaders.append((order, key, loader))
        return loader

    return decorator


def ensure_vocabulary() -> None:
    """Put back the topic and method rows that migrations seed. A database emptied after migrating (`flush`, or a
    test database after a transactional test) has lost them, and loaders that tag objects with them need them."""
    from veche.core.models import Method, Topic
    from veche.core.vocabulary import MethodChoices, TopicChoices

    for model, choices in ((Method, MethodChoices), (Topic, TopicChoices)):
        for index, slug in enumerate(choices.values):
            model.objects.get_or_create(slug=slug, defaults={"weight": index})


def load_all() -> DemoContext:
    """Put back the seeded vocabulary, then run every registered loader in order inside one transaction."""
    from django.db import transaction

    autodiscover_modules("demo")
    context = DemoContext()
    with transaction.atomic():
        ensure_vocabulary()
        for _order, _key, loader in sorted(_loaders, key=lambda item: (item[0], item[1])):
            loader(context)
    return context
