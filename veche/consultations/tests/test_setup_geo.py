"""The area of a consultation: GeoJSON checked server-side, and its centre."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.consultations.geo import MAX_POSITIONS, AreaError, centre, clean_geometry, parse_area

SQUARE = {"type": "Polygon", "coordinates": [[[15.0, 50.0], [15.2, 50.0], [15.2, 50.2], [15.0, 50.2], [15.0, 50.0]]]}


def test_a_point_typed_as_lat_lon_with_comma_or_dot():
    area = parse_area("50,028; 15,2")
    assert area.geometry == {"type": "Point", "coordinates": [15.2, 50.028]}
    assert (area.latitude, area.longitude) == (50.028, 15.2)
    assert parse_area("50.028, 15.200").latitude == 50.028


def test_a_polygon_feature_and_its_centroid():
    area = parse_area(json.dumps({"type": "Feature", "properties": {"x": "<script>"}, "geometry": SQUARE}))
    assert area.geometry == SQUARE
    assert (area.latitude, area.longitude) == (50.1, 15.1)


def test_an_open_ring_is_closed():
    ring = SQUARE["coordinates"][0][:-1]
    assert clean_geometry({"type": "Polygon", "coordinates": [ring]}) == SQUARE


def test_empty_is_no_area():
    assert parse_area("  ") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "not_json"),
        ("[1, 2", "not_json"),
        ('{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}', "bad_type"),
        ('{"type": "Point", "coordinates": [200, 10]}', "bad_position"),
        ('{"type": "Point", "coordinates": [true, 10]}', "bad_position"),
        ('{"type": "Point", "coordinates": ["15", "50"]}', "bad_position"),
        ('{"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]}', "bad_ring"),
        ('{"type": "Polygon", "coordinates": []}', "bad_ring"),
        ('{"type": "Polygon"}', "not_geometry"),
        ('{"type": "FeatureCollection", "features": []}', "not_geometry"),
        ("95, 10", "bad_position"),
        ("[" * 5000 + "]" * 5000, "not_json"),
    ],
)
def test_bad_areas_are_refused_with_a_code(text, code):
    with pytest.raises(AreaError) as caught:
        parse_area(text)
    assert caught.value.code == code


def test_too_many_corners():
    ring = [[15 + i / 10000, 50 + (i % 2) / 1000] for i in range(MAX_POSITIONS + 1)]
    with pytest.raises(AreaError) as caught:
        clean_geometry({"type": "Polygon", "coordinates": [ring]})
    assert caught.value.code == "too_many_positions"


lon = st.floats(min_value=-180, max_value=180, allow_nan=False)
lat = st.floats(min_value=-90, max_value=90, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=5)
            | st.dictionaries(st.sampled_from(["type", "coordinates", "geometry", "features"]), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_any_json_is_either_a_clean_geometry_or_an_area_error(value):
    try:
        geometry = clean_geometry(value)
    except AreaError as error:
        assert error.code in AreaError.CODES
    else:
        assert set(geometry) == {"type", "coordinates"}
        json.dumps(geometry, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(lon, lat), min_size=3, max_size=20, unique=True))
def test_a_valid_polygon_has_its_centre_within_its_bounding_box(points):
    try:
        geometry = clean_geometry({"type": "Polygon", "coordinates": [[list(point) for point in points]]})
    except AreaError as error:
        assert error.code == "bad_ring"
        return
    latitude, longitude = centre(geometry)
    ring = geometry["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    assert min(lats) - 1e-6 <= latitude <= max(lats) + 1e-6
    assert min(lons) - 1e-6 <= longitude <= max(lons) + 1e-6
