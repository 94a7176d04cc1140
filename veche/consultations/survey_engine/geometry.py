"""Is a point in the consultation's area? The area is a GeoJSON geometry (Point, Polygon or MultiPolygon, positions
as [longitude, latitude]); only polygons bound the answers, a point area bounds nothing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs
Polygon = tuple[Ring, ...]  # outer ring, then holes


@dataclass(frozen=True)
class Area:
    polygons: tuple[Polygon, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) of the outer rings."""
        lons = [lon for polygon in self.polygons for lon, _ in polygon[0]]
        lats = [lat for polygon in self.polygons for _, lat in polygon[0]]
        return min(lats), min(lons), max(lats), max(lons)

    def contains(self, lat: float, lon: float) -> bool:
        return any(_in_polygon(polygon, lat, lon) for polygon in self.polygons)


def _ring(positions: Any) -> Ring:
    ring = tuple((float(position[0]), float(position[1])) for position in positions)
    if len(ring) < 3:
        raise ValueError("ring")
    return ring


def area_from_geojson(geometry: Any) -> Area | None:
    """The polygons of a GeoJSON geometry (or Feature), or None when it bounds nothing (a point, or unreadable)."""
    if not isinstance(geometry, dict):
        return None
    if geometry.get("type") == "Feature":
        return area_from_geojson(geometry.get("geometry"))
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    try:
        if kind == "Polygon":
            polygons: tuple[Polygon, ...] = (tuple(_ring(ring) for ring in coordinates),)
        elif kind == "MultiPolygon":
            polygons = tuple(tuple(_ring(ring) for ring in polygon) for polygon in coordinates)
        else:
            return None
    except (TypeError, ValueError, IndexError):
        return None
    return Area(polygons) if polygons and all(polygons) else None


def _in_ring(ring: Sequence[tuple[float, float]], lat: float, lon: float) -> bool:
    """Even-odd rule: count crossings of a ray going east from the point."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index]
        x2, y2 = ring[(index + 1) % count]
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
    return inside


def _in_polygon(polygon: Polygon, lat: float, lon: float) -> bool:
    return _in_ring(polygon[0], lat, lon) and not any(_in_ring(hole, lat, lon) for hole in polygon[1:])


def valid_position(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
