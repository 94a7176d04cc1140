"""Full-text search of consultations.

On PostgreSQL: a text-search vector of the subject (weight A), summary (B) and decision (C) with the 'simple'
configuration — no stemming, which suits Czech and Polish that PostgreSQL has no dictionaries for — and a query in
which every word matches as a prefix ("park" finds "parku", "parkiem"), ranked. Accents are ignored when the unaccent
extension is installed (migration 0004 installs it where the database allows; "namesti" then finds "náměstí").
On other databases (SQLite in development): every word must occur in one of the fields (icontains).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connections, models

_TERM = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TERMS = 8
_unaccent_available: dict[str, bool] = {}


def terms_of(text: str) -> list[str]:
    """The words to search for: letters and digits only (tsquery operators and quotes are dropped), at most 8."""
    return _TERM.findall(text or "")[:MAX_TERMS]


def has_unaccent(alias: str = "default") -> bool:
    """Whether the database has the unaccent extension (asked once per process and database)."""
    if alias not in _unaccent_available:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            _unaccent_available[alias] = False
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent')")
                _unaccent_available[alias] = bool(cursor.fetchone()[0])
    return _unaccent_available[alias]


def _unaccented(expression: Any) -> Any:
    return models.Func(expression, function="unaccent", output_field=models.TextField())


def search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """queryset narrowed to consultations matching text; on PostgreSQL ordered by rank, best first."""
    terms = terms_of(text)
    if not terms:
        return queryset
    alias = queryset.db
    if connections[alias].vendor != "postgresql":
        for term in terms:
            queryset = queryset.filter(
                models.Q(subject__icontains=term)
                | models.Q(summary__icontains=term)
                | models.Q(decision__icontains=term)
            )
        return queryset
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    unaccent = has_unaccent(alias)

    def field(name: str) -> Any:
        return _unaccented(models.F(name)) if unaccent else models.F(name)

    vector = (
        SearchVector(field("subject"), weight="A", config="simple")
        + SearchVector(field("summary"), weight="B", config="simple")
        + SearchVector(field("decision"), weight="C", config="simple")
    )
    raw = " & ".join(f"{term.lower()}:*" for term in terms)
    value: Any = models.Value(raw)
    if unaccent:
        value = _unaccented(value)
    query = SearchQuery(value, config="simple", search_type="raw")
    return (
        queryset.annotate(search_document=vector)
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(vector, query))
        .order_by("-search_rank", *(queryset.query.order_by or ("-opens_at", "-id")))
    )
