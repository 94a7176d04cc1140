"""Search over practitioners' profiles that never looks at a field its owner hid from the viewer.

Each profile stores three documents (search_public, search_members, search_coordinators): the folded text of the
fields visible at that level (names, organisation, bio, region, the processes they ran and the names of their
methods and topics in every language). A query matches the document of the viewer's clearance for each profile.

On PostgreSQL the documents are matched with full-text search (their stored tsvectors, built with the 'simple'
configuration, @@ a prefix tsquery), served by the GIN indexes of migration 0004; elsewhere (SQLite in development
and tests) every word must appear in the same document (contains). Both fold case and diacritics the same way
(textsearch.fold).
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, Value
from django.utils import translation

from veche.network.choices import PractitionerRole, Visibility
from veche.network.textsearch import document, prefix_tsquery, terms
from veche.network.visibility import visibility_of

LEVELS = (
    ("search_public", Visibility.PUBLIC),
    ("search_members", Visibility.MEMBERS),
    ("search_coordinators", Visibility.COORDINATORS),
)
# On PostgreSQL each document is also stored as a tsvector (vector_<level>), so matching reads it instead of
# parsing the text again for every candidate row.
VECTORS = {column: column.replace("search_", "vector_") for column, _level in LEVELS}
SEARCH_CONFIG = "simple"


@functools.cache
def _label_variants(choices: Any, key: str) -> tuple[str, ...]:
    """The label of one vocabulary key in every site language (the catalogues do not change while we run)."""
    labels = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.append(str(choices(key).label))
    return tuple(dict.fromkeys(labels))


def _labels_in_every_language(choices: Any, keys: list[str]) -> list[str]:
    return [label for key in keys if key in choices.values for label in _label_variants(choices, key)]


def documents_for(profile: Any, *, method_slugs: list[str], topic_slugs: list[str]) -> dict[str, str]:
    """The three search documents of a profile (no query: the caller passes its methods and topics)."""
    from veche.core.vocabulary import MethodChoices, TopicChoices

    groups: dict[str, list[str]] = {
        "name": [profile.name],
        "organisation": [profile.organisation_name],
        "role": _labels_in_every_language(PractitionerRole, [profile.role]) if profile.role else [],
        "location": [profile.region],
        "bio": [profile.bio],
        "processes": [item.get("title", "") for item in profile.processes or []],
        "methods": _labels_in_every_language(MethodChoices, method_slugs),
        "topics": _labels_in_every_language(TopicChoices, topic_slugs),
    }
    result = {}
    for column, level in LEVELS:
        parts: list[str] = []
        for group, texts in groups.items():
            if visibility_of(profile, group) <= level:
                parts += texts
        result[column] = document(parts)
    return result


def refresh_search_documents(profile: Any) -> None:
    """Recompute and save the profile's search documents (two queries for its methods and topics, one update)."""
    method_slugs = list(profile.methods.values_list("slug", flat=True))
    topic_slugs = list(profile.topics.values_list("slug", flat=True))
    docs = documents_for(profile, method_slugs=method_slugs, topic_slugs=topic_slugs)
    rows = type(profile).objects.filter(pk=profile.pk)
    rows.update(**docs)
    if connection.vendor == "postgresql":
        refresh_vectors(rows)
    for column, value in docs.items():
        setattr(profile, column, value)


def refresh_vectors(queryset: Any) -> int:
    """Recompute the stored tsvectors of the profiles in queryset from their documents (PostgreSQL only)."""
    return queryset.update(**{vector: SearchVector(column, config=SEARCH_CONFIG) for column, vector in VECTORS.items()})


def _matches(column: str, words: list[str], tsquery: SearchQuery | None) -> Q:
    if tsquery is not None:
        return Q(**{VECTORS[column]: tsquery})
    condition = Q()
    for word in words:
        condition &= Q(**{f"{column}__contains": word})
    return condition


def _column_for(clearance: int) -> str:
    """The document a viewer with this clearance searches (the same choice as the conditions of search_profiles)."""
    if clearance < Visibility.MEMBERS:
        return LEVELS[0][0]
    if clearance == Visibility.MEMBERS:
        return LEVELS[1][0]
    return LEVELS[2][0]


def search_profiles(queryset: Any, query: str) -> Any:
    """Narrow a queryset annotated with_clearance() to the profiles whose document at the viewer's clearance
    contains every word of query (as a prefix on PostgreSQL, anywhere on SQLite). An empty query changes nothing."""
    words = terms(query)
    if not words:
        return queryset
    tsquery = None
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(prefix_tsquery(words), config=SEARCH_CONFIG, search_type="raw")
    public, members, coordinators = (column for column, _level in LEVELS)
    clearance = queryset.query.annotations.get("clearance")
    if isinstance(clearance, Value):
        # The same clearance for every row (anonymous visitors): match that level's document
        # alone — one index scan, no per-row choice of level, no second tsvector to read per candidate.
        return queryset.filter(_matches(_column_for(int(clearance.value)), words, tsquery))
    if tsquery is not None:
        # Each level's document contains the one below it, so a match anywhere implies a match in the widest one:
        # this one GIN index scan finds the candidates, the per-level conditions then check them.
        queryset = queryset.filter(_matches(coordinators, words, tsquery))
    return queryset.filter(
        (Q(clearance__lt=Visibility.MEMBERS) & _matches(public, words, tsquery))
        | (Q(clearance=Visibility.MEMBERS) & _matches(members, words, tsquery))
        | (Q(clearance__gte=Visibility.COORDINATORS) & _matches(coordinators, words, tsquery))
    )


def visible_filter(group: str, condition: Q) -> Q:
    """A filter on a field group that only matches where the viewer may see the group (queryset with clearance)."""
    return Q(**{f"{group}_visibility__lte": F("clearance")}) & condition
