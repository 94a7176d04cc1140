"""The area parser (veche/cases/geo.py): what it accepts it returns normalised and stable; anything else is an
AreaError with a known code, never another exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.cases import geo
from veche.cases.forms import AREA_MESSAGES

longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
positions = st.tuples(longitudes, latitudes).map(list)


@st.composite
def rings(draw):
    points = draw(st.lists(positions, min_size=3, max_size=30, unique_by=lambda p: (round(p[0], 6), round(p[1], 6))))
    return [*points, points[0]]


polygons = st.lists(rings(), min_size=1, max_size=3)
geometries = st.one_of(
    polygons.map(lambda rings: {"type": "Polygon", "coordinates": rings}),
    st.lists(polygons, min_size=1, max_size=3).map(lambda polys: {"type": "MultiPolygon", "coordinates": polys}),
)
wrappers = st.sampled_from(
    [
        lambda g: g,
        lambda g: {"type": "Feature", "properties": {}, "geometry": g},
        lambda g: {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": g}]},
    ]
)


@settings(max_examples=150, deadline=None)
@given(geometries, wrappers)
def test_valid_areas_parse_to_a_stable_normal_form(geometry, wrap):
    parsed = geo.parse_area(json.dumps(wrap(geometry)))
    assert parsed["type"] == geometry["type"]
    assert geo.parse_area(geo.dumps(parsed)) == parsed  # idempotent
    south, west, north, east = geo.bounds(parsed)
    latitude, longitude = geo.centre(parsed)
    assert south - 1e-6 <= latitude <= north + 1e-6 and west - 1e-6 <= longitude <= east + 1e-6


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=40,
)
near_geojson = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Polygon", "MultiPolygon", "Feature", "FeatureCollection", "Point"])}
    ),
    st.builds(
        lambda kind, coordinates: {"type": kind, "coordinates": coordinates},
        st.sampled_from(["Polygon", "MultiPolygon"]),
        json_values,
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(near_geojson.map(json.dumps), st.text(max_size=200)))
def test_anything_else_is_an_area_error_with_a_message(text):
    try:
        parsed = geo.parse_area(text)
    except geo.AreaError as error:
        assert error.code in AREA_MESSAGES
    else:
        assert parsed is None or parsed["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{", "not_json"),
        ('{"type": "Point", "coordinates": [1, 2]}', "not_polygon"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}', "ring_too_short"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}', "ring_not_closed"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 95], [0, 0]]]}', "out_of_range"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, NaN], [0, 0]]]}', "not_json"),
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1e400], [0, 0]]]}', "out_of_range"),
        ('{"type": "FeatureCollection", "features": []}', "one_feature"),
        ("[]", "not_geometry"),
    ],
)
def test_known_mistakes_have_their_code(text, code):
    with pytest.raises(geo.AreaError) as error:
        geo.parse_area(text)
    assert error.value.code == code


def test_huge_areas_are_refused():
    ring = [[i / 10_000, 0.0] for i in range(geo.MAX_POSITIONS)] + [[0.0, 1.0], [0.0, 0.0]]
    with pytest.raises(geo.AreaError) as error:
        geo.parse_area(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert error.value.code == "too_many_points"
    assert geo.parse_area("   ") is None
