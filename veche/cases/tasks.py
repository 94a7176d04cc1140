"""Background work of the map of participation: building the map's GeoJSON again after it changed, so that visitors
find it in the cache instead of waiting for it to be built (docs/adr/0014-map-geojson-cache.md)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def warm_map_task() -> int:
    """Build and cache the unfiltered map data in every language; returns its size in bytes (of the last one)."""
    from veche.cases.geojson import feature_collection_bytes
    from veche.cases.querysets import CaseFilters

    size = 0
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            size = len(feature_collection_bytes(CaseFilters()))
    return size
