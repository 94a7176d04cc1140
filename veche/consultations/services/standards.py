"""Which consultation standard applies to an organisation."""

from __future__ import annotations

from typing import Any

from veche.consultations.models import StandardSet


def standard_set_for(organisation: Any) -> StandardSet | None:
    """The organisation's own standard if it keeps one, else the platform's default (the set without organisation).

    Networks that keep a standard for their members can be consulted by callers that know the membership; this
    function only reads consultations' own tables.
    """
    own = StandardSet.objects.filter(organisation=organisation).order_by("id").first()
    if own is not None:
        return own
    return StandardSet.objects.filter(organisation__isnull=True).order_by("id").first()
