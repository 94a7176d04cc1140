"""The map's data: published cases as a GeoJSON FeatureCollection of points, built with two queries (the cases'
columns with values(), then their method keys) whatever the number of cases, serialised once and kept in the cache
(Redis in production) per language and filter set. Publishing, editing, taking off or deleting a published case
bumps a generation number, which retires every cached answer at once (docs/adr/0014-map-geojson-cache.md).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from veche.cases.querysets import CaseFilters
from veche.core.vocabulary import MethodChoices

GENERATION_KEY = "cases:geojson:generation"
TIMEOUT = 60 * 60 * 6  # a safety net: invalidation, not expiry, keeps the map current
# A per-process cache (no Redis) cannot hear another worker's invalidation, so its answers live one minute only.
LOCAL_TIMEOUT = 60


def _timeout() -> int:
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return LOCAL_TIMEOUT if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")) else TIMEOUT


def invalidate_map() -> None:
    """Retire every cached GeoJSON answer (call on commit of anything that changes what the map shows)."""
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
    body = json.dumps(build_feature_collection(filters, base=base), ensure_ascii=False, separators=(",", ":")).encode()
    cache.set(key, body, _timeout())
    return body


def build_feature_collection(filters: CaseFilters, *, base: str = "") -> dict[str, Any]:
    """Two queries for any number of cases. Properties: id, title, url (the case page in the active language),
    text (municipality · year · methods, for the popup), municipality, country, year, network, methods, language."""
    from veche.cases.models import Case

    cases = Case.objects.published().filtered(filters).exclude(latitude__isnull=True)
    rows = list(
        cases.order_by("-published_at", "-id").values(
            "id", "title", "latitude", "longitude", "municipality", "country", "year", "language", "network__slug"
        )
    )
    methods: dict[int, list[str]] = defaultdict(list)
    through = Case.methods.through.objects.filter(case_id__in=cases.values("pk")).order_by("method__weight")
    for case_id, slug in through.values_list("case_id", "method__slug"):
        methods[case_id].append(slug)
    labels = {choice.value: str(choice.label) for choice in MethodChoices}
    detail = base + reverse("cases:detail", kwargs={"pk": 0}).removesuffix("0/")
    features = []
    for row in rows:
        keys = methods.get(row["id"], [])
        names = [labels.get(key, key) for key in keys]
        text = " · ".join(str(part) for part in (row["municipality"], row["year"], ", ".join(names)) if part)
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": {
                    "id": row["id"],
                    "title": row["title"],
                    "url": f"{detail}{row['id']}/",
                    "text": text,
                    "municipality": row["municipality"],
                    "country": row["country"],
                    "year": row["year"],
                    "network": row["network__slug"],
                    "methods": keys,
                    "language": row["language"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
