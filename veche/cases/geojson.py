"""The map's data: published cases as a GeoJSON FeatureCollection of points, whatever the number of cases built in one
query by PostgreSQL (json_agg) or in two with values() elsewhere, serialised once and kept in the cache (Redis in
production) per language and filter set. Publishing, editing, taking off or deleting a published case
bumps a generation number, which retires every cached answer at once (docs/adr/0014-map-geojson-cache.md).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import translation

from veche.cases.querysets import CaseFilters

GENERATION_KEY = "cases:geojson:generation"
TIMEOUT = 60 * 60 * 6  # a safety net: invalidation, not expiry, keeps the map current
# A per-process cache (no Redis) cannot hear another worker's invalidation, so its answers live one minute only.
LOCAL_TIMEOUT = 60


def _timeout() -> int:
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return LOCAL_TIMEOUT if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")) else TIMEOUT


def invalidate_map() -> None:
    """Retire every cached GeoJSON answer and have the unfiltered map built again in the background (call on commit
    of anything that changes what the map shows)."""
    from veche.cases.tasks import warm_map_task

    retire_cached_map()
    warm_map_task.enqueue()


def retire_cached_map() -> None:
    """Retire every cached GeoJSON answer: the next request builds its own."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def cache_key(filters: CaseFilters, language: str, base: str = "") -> str:
    digest = hashlib.sha256(f"{base}|{filters.as_key()}".encode()).hexdigest()[:24]
    return f"cases:geojson:{_generation()}:{language}:{digest}"


def feature_collection_bytes(filters: CaseFilters, *, base: str = "") -> bytes:
    """The GeoJSON of the published cases matching filters, in the active language, from the cache when there.
    base ("https://host") makes the case pages' addresses absolute (the API); the site's map uses paths."""
    language = translation.get_language() or "en"
    key = cache_key(filters, language, base)
    cached = cache.get(key)
    if cached is not None:
        return cached
    if connection.vendor == "postgresql":
        body = build_on_postgresql(filters, base=base)
    else:
        body = json.dumps(build_feature_collection(filters, base=base), ensure_ascii=False, separators=(",", ":"))
    encoded = body.encode()
    cache.set(key, encoded, _timeout())
    return encoded


def _published(filters: CaseFilters) -> Any:
    from veche.cases.models import Case

    return Case.objects.published().filtered(filters).exclude(latitude__isnull=True)


def _detail_prefix(base: str) -> str:
    return base + reverse("cases:detail", kwargs={"pk": 0}).removesuffix("0/")


def build_feature_collection(filters: CaseFilters, *, base: str = "") -> dict[str, Any]:
    """The FeatureCollection in Python from values(): two queries for any number of cases (SQLite, and the
    reference the PostgreSQL query is tested against). Each feature is a point; properties: id, title, url (the
    case page in the active language), municipality, country, year, network (slug), methods (keys, in the
    vocabulary's order), language (of the case's text)."""
    from veche.cases.models import Case

    cases = _published(filters)
    rows = list(
        cases.order_by("-published_at", "-id").values(
            "id", "title", "latitude", "longitude", "municipality", "country", "year", "language", "network__slug"
        )
    )
    methods: dict[int, list[str]] = defaultdict(list)
    through = Case.methods.through.objects.filter(case_id__in=cases.values("pk"))
    for case_id, slug in through.order_by("method__weight", "method__slug").values_list("case_id", "method__slug"):
        methods[case_id].append(slug)
    detail = _detail_prefix(base)
    features = [
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
            "properties": {
                "id": row["id"],
                "title": row["title"],
                "url": f"{detail}{row['id']}/",
                "municipality": row["municipality"],
                "country": row["country"],
                "year": row["year"],
                "network": row["network__slug"],
                "methods": methods.get(row["id"], []),
                "language": row["language"],
            },
        }
        for row in rows
    ]
    return {"type": "FeatureCollection", "features": features}


FEATURES_SQL = """
WITH selected AS ({selected}),
method_keys AS (
    SELECT cm.case_id, json_agg(m.slug ORDER BY m.weight, m.slug) AS keys
    FROM {methods} cm JOIN {method} m ON m.id = cm.method_id
    WHERE cm.case_id IN (SELECT * FROM selected)
    GROUP BY cm.case_id
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', COALESCE(
        json_agg(
            json_build_object(
                'type', 'Feature',
                'id', c.id,
                'geometry', json_build_object(
                    'type', 'Point', 'coordinates', json_build_array(c.longitude::float8, c.latitude::float8)
                ),
                'properties', json_build_object(
                    'id', c.id,
                    'title', c.title,
                    'url', %s::text || c.id::text || '/',
                    'municipality', c.municipality,
                    'country', c.country,
                    'year', c.year,
                    'network', n.slug,
                    'methods', COALESCE(k.keys, '[]'::json),
                    'language', c.language
                )
            )
            ORDER BY c.published_at DESC, c.id DESC
        ),
        '[]'::json
    )
)::text
FROM {case} c
JOIN {organisation} n ON n.id = c.network_id
LEFT JOIN method_keys k ON k.case_id = c.id
WHERE c.id IN (SELECT * FROM selected)
"""


def build_on_postgresql(filters: CaseFilters, *, base: str = "") -> str:
    """The same FeatureCollection as build_feature_collection, built by PostgreSQL in one query (json_build_object
    and json_agg): Python never sees the rows, only the finished text."""
    from veche.cases.models import Case
    from veche.core.models import Method
    from veche.organisations.models import Organisation

    selected, params = _published(filters).order_by().values("pk").query.sql_with_params()
    sql = FEATURES_SQL.format(
        methods=connection.ops.quote_name(Case.methods.through._meta.db_table),
        method=connection.ops.quote_name(Method._meta.db_table),
        case=connection.ops.quote_name(Case._meta.db_table),
        organisation=connection.ops.quote_name(Organisation._meta.db_table),
        selected=selected,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _detail_prefix(base)])
        return cursor.fetchone()[0]
