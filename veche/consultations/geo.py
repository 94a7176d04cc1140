"""The area a consultation concerns: a GeoJSON point or polygon, checked before it is stored, and its centre.

Pure Python (no Django import). What the map on the set-up page sends, or what a coordinator types, is parsed by
`parse_area`: a GeoJSON geometry (Point, Polygon or MultiPolygon), a Feature holding one, or a plain "lat, lon".
Anything else raises AreaError with a code the form turns into a message.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

MAX_POSITIONS = 2_000  # vertices in all rings together: a drawn area, not a cadastral export
MAX_TEXT = 200_000  # characters of GeoJSON accepted at all
GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")

_LAT_LON = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")


class AreaError(ValueError):
    """The area is not one we can store; code says why (see AreaError.CODES)."""

    CODES = ("not_json", "too_long", "not_geometry", "bad_type", "bad_position", "bad_ring", "too_many_positions")

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Area:
    geometry: dict[str, Any]
    latitude: float
    longitude: float


def _position(value: Any) -> list[float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise AreaError("bad_position")
    if not all(isinstance(number, int | float) and not isinstance(number, bool) for number in value):
        raise AreaError("bad_position")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise AreaError("bad_position")
    return [round(lon, 7), round(lat, 7)]


def _ring(value: Any) -> list[list[float]]:
    if not isinstance(value, list | tuple):
        raise AreaError("bad_ring")
    positions = [_position(item) for item in value]
    if len(positions) >= 3 and positions[0] != positions[-1]:
        positions.append(list(positions[0]))  # close a ring drawn without repeating the first vertex
    if len(positions) < 4 or len({tuple(position) for position in positions}) < 3:
        raise AreaError("bad_ring")
    return positions


def _polygon(value: Any) -> list[list[list[float]]]:
    if not isinstance(value, list | tuple) or not value:
        raise AreaError("bad_ring")
    return [_ring(ring) for ring in value]


def _count(geometry: dict[str, Any]) -> int:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return 1
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    return sum(len(ring) for polygon in polygons for ring in polygon)


def clean_geometry(value: Any) -> dict[str, Any]:
    """A clean copy of a GeoJSON geometry (or of the geometry of a Feature): only type and coordinates, rings
    closed, coordinates rounded to about a centimetre. Raises AreaError."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise AreaError("not_geometry")
        return clean_geometry(features[0])
    if not isinstance(value, dict) or "type" not in value or "coordinates" not in value:
        raise AreaError("not_geometry")
    kind = value["type"]
    if kind not in GEOMETRY_TYPES:
        raise AreaError("bad_type")
    coordinates = value["coordinates"]
    if kind == "Point":
        cleaned: Any = _position(coordinates)
    elif kind == "Polygon":
        cleaned = _polygon(coordinates)
    else:
        if not isinstance(coordinates, list | tuple) or not coordinates:
            raise AreaError("bad_ring")
        cleaned = [_polygon(polygon) for polygon in coordinates]
    geometry = {"type": kind, "coordinates": cleaned}
    if _count(geometry) > MAX_POSITIONS:
        raise AreaError("too_many_positions")
    return geometry


def centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """(latitude, longitude) of the geometry's centre: the point itself, or the area-weighted centroid of the outer
    rings (the middle of the bounding box for degenerate or self-crossing rings). Good enough for a map marker."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return coordinates[1], coordinates[0]
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    total = cx = cy = 0.0
    vertices: list[list[float]] = []
    for polygon in polygons:
        ring = polygon[0]
        vertices.extend(ring[:-1])
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    lons, lats = [vertex[0] for vertex in vertices], [vertex[1] for vertex in vertices]
    if abs(total) >= 1e-12:
        lat, lon = cy / (3 * total), cx / (3 * total)
        if min(lats) <= lat <= max(lats) and min(lons) <= lon <= max(lons):
            return round(lat, 7), round(lon, 7)
    # A degenerate or self-crossing drawing: the middle of its bounding box.
    return round((min(lats) + max(lats)) / 2, 7), round((min(lons) + max(lons)) / 2, 7)


def parse_area(text: str) -> Area | None:
    """The area in text (GeoJSON, or "lat, lon" with a dot or comma as decimal mark), or None for empty text."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise AreaError("too_long")
    point = _LAT_LON.match(text)
    if point and not text.startswith(("{", "[")):
        lat, lon = (float(part.replace(",", ".")) for part in point.groups())
        geometry = clean_geometry({"type": "Point", "coordinates": [lon, lat]})
    else:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise AreaError("not_json") from None
        geometry = clean_geometry(value)
    latitude, longitude = centre(geometry)
    return Area(geometry=geometry, latitude=latitude, longitude=longitude)
