"""Points and areas of cases on the map, as plain GeoJSON. No Django import: the forms, the API, the demo and the
benchmark use it directly, and hypothesis tests it (tests/test_geo.py).

An area is a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude order, given as a bare geometry, a Feature
or a FeatureCollection with exactly one feature. parse_area() returns the normalised geometry (a dict with "type" and
"coordinates", coordinates rounded to six decimals, about 10 cm) or raises AreaError with a code and the
parameters the message needs; the form turns that into a translated message.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 200_000  # characters of GeoJSON accepted at all
MAX_POSITIONS = 5_000  # vertices over all rings: a municipality's outline, not a cadastral map
MAX_RINGS = 100
DECIMALS = 6


@dataclass
class AreaError(ValueError):
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code


def valid_point(latitude: float, longitude: float) -> bool:
    return math.isfinite(latitude) and math.isfinite(longitude) and -90 <= latitude <= 90 and -180 <= longitude <= 180


def parse_area(text: str) -> dict[str, Any] | None:
    """The area in text as a normalised Polygon/MultiPolygon geometry, None for blank text; AreaError otherwise."""
    if text is None or not text.strip():
        return None
    if len(text) > MAX_TEXT:
        raise AreaError("too_long", {"limit": MAX_TEXT})
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise AreaError("not_json") from error
    return normalise_geometry(_geometry_of(data))


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON, and not a coordinate


def _geometry_of(data: Any) -> Any:
    if not isinstance(data, dict):
        raise AreaError("not_geometry")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise AreaError("one_feature")
        return _geometry_of(features[0])
    if kind == "Feature":
        return _geometry_of(data.get("geometry"))
    return data


def normalise_geometry(geometry: Any) -> dict[str, Any]:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        raise AreaError("not_polygon", {"type": str(kind)[:40] if kind else ""})
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [coordinates]
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise AreaError("bad_coordinates")
        polygons = coordinates
    counter = [0, 0]  # positions, rings
    normalised = [_polygon(polygon, counter) for polygon in polygons]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": normalised[0]}
    return {"type": "MultiPolygon", "coordinates": normalised}


def _polygon(rings: Any, counter: list[int]) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise AreaError("bad_coordinates")
    return [_ring(ring, counter) for ring in rings]


def _ring(ring: Any, counter: list[int]) -> list[list[float]]:
    counter[1] += 1
    if counter[1] > MAX_RINGS:
        raise AreaError("too_many_rings", {"limit": MAX_RINGS})
    if not isinstance(ring, list):
        raise AreaError("bad_coordinates")
    positions = [_position(position) for position in ring]
    counter[0] += len(positions)
    if counter[0] > MAX_POSITIONS:
        raise AreaError("too_many_points", {"limit": MAX_POSITIONS})
    if len(positions) < 4:
        raise AreaError("ring_too_short")
    if positions[0] != positions[-1]:
        raise AreaError("ring_not_closed")
    if len({tuple(position) for position in positions}) < 3:
        raise AreaError("ring_too_short")
    return positions


def _position(position: Any) -> list[float]:
    if not isinstance(position, list) or len(position) not in (2, 3):
        raise AreaError("bad_coordinates")
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in position):
        raise AreaError("bad_coordinates")
    try:
        longitude, latitude = float(position[0]), float(position[1])
    except OverflowError as error:
        raise AreaError("out_of_range") from error
    if not valid_point(latitude, longitude):
        raise AreaError("out_of_range")
    return [round(longitude, DECIMALS), round(latitude, DECIMALS)]


def outer_rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point for the marker of an area: the middle of its bounding box (latitude, longitude)."""
    south, west, north, east = bounds(geometry)
    return round((south + north) / 2, DECIMALS), round((west + east) / 2, DECIMALS)


def bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the outer rings."""
    positions = [position for ring in outer_rings(geometry) for position in ring]
    longitudes = [position[0] for position in positions]
    latitudes = [position[1] for position in positions]
    return min(latitudes), min(longitudes), max(latitudes), max(longitudes)


def dumps(geometry: dict[str, Any] | None) -> str:
    """Compact JSON of a normalised geometry (what the form shows back)."""
    return json.dumps(geometry, separators=(",", ":")) if geometry else ""
