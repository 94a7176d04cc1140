"""Which roles a person holds where, loaded once per user object so that permission checks cost one query in all."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from veche.organisations.choices import STAFF_ROLES

_CACHE_ATTR = "_veche_roles_by_organisation"


def roles_by_organisation(user: Any) -> dict[int, frozenset[str]]:
    """Map organisation id → the role kinds the user holds there. Cached on the user instance."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from veche.organisations.models import Role

        collected: dict[int, set[str]] = defaultdict(set)
        for organisation_id, kind in Role.objects.filter(user_id=user.pk).values_list("organisation_id", "kind"):
            collected[organisation_id].add(kind)
        cached = {key: frozenset(value) for key, value in collected.items()}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_in(user: Any, organisation_id: int | None) -> frozenset[str]:
    if organisation_id is None:
        return frozenset()
    return roles_by_organisation(user).get(organisation_id, frozenset())


def holds_staff_role(user: Any) -> bool:
    """True when the user is platform staff or holds a staff role anywhere (and so must use two-factor sign-in)."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return any(kinds & STAFF_ROLES for kinds in roles_by_organisation(user).values())


def forget_roles(user: Any) -> None:
    """Drop the cache after roles change within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
