import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from viz.dashboard import area, filters
from viz.dashboard.viewstate import Filters
from viz.events import schema


def test_points_of_a_selection_and_their_padded_hull():
    sel = {"selection": {"points": [{"lon": 36.0, "lat": 35.0, "customdata": "a"}, {"lon": 37.0, "lat": 36.0}]}}
    pts = area.selected_points(sel)
    assert pts == [(36.0, 35.0), (37.0, 36.0)]
    poly = area.from_points(pts)
    assert len(poly) >= 4  # two points: a padded band, not a line
    inside = area.contains(poly, np.array([36.0, 37.0, 36.5, 36.0, 38.0]), np.array([35.0, 36.0, 35.5, 36.0, 36.0]))
    # both selected points and the middle of the band are in; off-band corners are out
    assert inside.tolist() == [True, True, True, False, False]
    assert area.selected_points({"selection": {"points": []}}) == [] and area.from_points([]) is None
    assert area.selected_points(None) == []


def test_missing_coordinates_are_outside():
    poly = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    assert area.contains(poly, np.array([5.0, np.nan]), np.array([np.nan, 5.0])).tolist() == [False, False]


@given(st.lists(st.tuples(st.floats(-170, 170), st.floats(-80, 80)), min_size=1, max_size=40))
def test_every_selected_point_is_inside_its_area(points):
    poly = area.from_points(points)
    arr = np.array(points)
    assert area.contains(poly, arr[:, 0], arr[:, 1]).all()
    # and the area survives the link: decoded, it still holds every point
    back = area.decode(area.encode(poly))
    assert area.contains(back, arr[:, 0], arr[:, 1]).all()


def test_concave_polygon_even_odd():
    u = ((0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (2.0, 3.0), (2.0, 1.0), (1.0, 1.0), (1.0, 3.0), (0.0, 3.0))
    got = area.contains(u, np.array([0.5, 1.5, 2.5, 1.5]), np.array([2.0, 2.0, 2.0, 0.5]))
    assert got.tolist() == [True, False, True, True]


def test_area_filter_on_the_frame():
    df = schema.conform(
        pd.DataFrame(
            {
                "event_id": ["in", "out", "none"],
                "date": ["2022-01-01"] * 3,
                "lat": [35.0, 10.0, None],
                "lon": [36.0, 10.0, None],
            }
        )
    )
    poly = area.from_points([(36.0, 35.0)])
    got = filters.apply(df, Filters(area=poly))
    assert got["event_id"].tolist() == ["in"]
    assert len(filters.apply(df, Filters(area=poly), area=False)) == 3


def test_the_map_components_selection_is_read_and_checked():
    sel = {"points": [[36.5, 33.5], [37.0, 34.0], ["x", 1], [500, 0], [1, 2, 3]]}
    assert area.selected_points(sel) == [(36.5, 33.5), (37.0, 34.0)]
    assert area.selected_points({"points": []}) == []
