"""The map's parts without a browser: the frame the component reports, the
playback frames' rule, labels, stacks, the size key and legend, an empty map,
countries by name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.dashboard.test_maps import events
from viz.dashboard import animate, mapcomponent, mapview
from viz.dashboard.aggregate import countries_figure
from viz.dashboard.basemap import places_figure
from viz.dashboard.figures import SIZE_KEY, events_map, fatality_size
from viz.dashboard.labels import GRID, Frame, Labels, min_population
from viz.dashboard.viewstate import View
from viz.geo.cldr import country_label, country_name


def test_the_frame_sent_back_is_checked_and_normalised():
    assert mapcomponent.frame_of({"lat": 34.123456, "lon": 37.2, "zoom": 3.14159}) == ((34.1235, 37.2), 3.142)
    assert mapcomponent.frame_of({"lat": 10, "lon": 200, "zoom": 1})[0] == (10, -160)  # panned round the world
    assert mapcomponent.frame_of({"lat": 10, "lon": 0, "zoom": 40})[1] == 12.0
    for bad in (None, "x", {"lat": 95, "lon": 0, "zoom": 1}, {"lat": "nan", "lon": 0, "zoom": 1}, {"lat": 1}):
        assert mapcomponent.frame_of(bad) is None
    assert mapcomponent.lonlat_of({"lon": 36.5, "lat": 33.5}) == (36.5, 33.5)
    assert mapcomponent.lonlat_of({"lon": 360, "lat": 0}) is None and mapcomponent.lonlat_of([1, 2]) is None


def test_plotly_js_is_copied_from_the_installed_wheel(tmp_path):
    dest = mapcomponent.ensure_plotly_js(tmp_path / "static" / "plotly.min.js")
    assert dest.read_bytes()[:200] == mapcomponent.plotly_js_source().read_bytes()[:200]
    assert "cdn" not in mapcomponent.JS_FILE.read_text().lower()


@pytest.mark.parametrize("window", [1, 7, 14, 30, 90, 365])
@pytest.mark.parametrize("days", [1, 6, 200, 2700, 40_000])
def test_the_step_never_exceeds_the_window(window, days):
    step, frames = animate.step_and_frames(days, window)
    assert 1 <= step <= window
    assert (frames - 1) * step + window >= days  # the last frame reaches the last day


def test_every_located_event_is_in_some_frame():
    df = events(400)
    df.loc[:9, "date_end"] = df.loc[:9, "date"] + pd.Timedelta(days=40)  # some episodes
    for window in (7, 30, 365):
        data = animate.play_data(df, window_days=window)
        shown = set()
        for k in range(data["frames"]):
            shown |= set(animate.frame_members(data, k).tolist())
        assert shown == set(range(len(data["ids"]))) and len(data["ids"]) == 400
        assert data["step"] <= window


def test_play_draws_a_legend_only_of_the_types_present():
    drawn = mapview.draw(events(50), View(mode="play", window=14))
    names = {t.name for t in drawn.figure.data if t.showlegend is not False}
    assert names == {"battle", "protest"}
    assert drawn.play is not None and drawn.play["window"] == 14


@pytest.fixture(scope="module")
def labels(geocoder):
    return Labels(geocoder.gazetteer)


def test_labels_name_big_countries_at_world_scale_and_capitals_closer(labels):
    world = labels.pick(Frame.around((20, 0), 0))
    assert {"China", "India", "Brazil", "United States"} <= {t for *_, t, _ in world}
    assert all(k == "country" for *_, k in world)  # no town at world scale
    levant = labels.pick(Frame.around((34, 37), 5))
    names = {t for *_, t, _ in levant}
    assert {"Damascus", "Beirut"} <= names and "China" not in names
    lat0, lat1 = 34 - 90 / 32, 34 + 90 / 32
    assert all(lat0 <= la <= lat1 for la, *_ in levant)


def test_labels_do_not_pile_up(labels):
    frame = Frame.around((48, 10), 4)
    picked = labels.pick(frame)
    w, h = (frame.lon1 - frame.lon0) / GRID[0], (frame.lat1 - frame.lat0) / GRID[1]
    cells = [(int((lon - frame.lon0) // w), int((lat - frame.lat0) // h)) for lat, lon, _, _ in picked]
    assert len(cells) == len(set(cells)) > 5
    assert [min_population(z) for z in (1.5, 3, 6)] == sorted([min_population(z) for z in (1.5, 3, 6)], reverse=True)


def test_labels_follow_the_data_when_the_map_fits_them(labels):
    df = events(100)  # Syria and Ukraine
    drawn = mapview.draw(df, View(), labels=labels)
    text = [t for t in drawn.figure.data if t.name == "labels"][0].text
    assert "SYRIA" in text or "UKRAINE" in text


def test_a_stack_shows_its_count_and_every_point_still_answers():
    df = events(20)
    df.loc[:8, ["lat", "lon"]] = (35.93, 36.63)  # nine events at one point
    fig = events_map(df)
    stacks = [t for t in fig.data if t.name == "stacks"][0]
    assert list(stacks.text) == ["9"] and (stacks.lat[0], stacks.lon[0]) == (35.93, 36.63)
    ids = [i for t in fig.data if t.type == "scattergeo" and t.customdata is not None for i in t.customdata]
    assert len(ids) == 20  # hover and click reach each event
    hovers = [h for t in fig.data if t.name in ("battle", "protest") for h in t.hovertext]
    assert sum("9 events at this point" in h for h in hovers) == 9


def test_the_size_key_matches_the_markers_and_the_legend_clears_the_modebar():
    fig = events_map(events(30))
    circles = [s for s in fig.layout.shapes if s.type == "circle"]
    assert [round(c.x1 - c.x0, 3) for c in circles] == [
        round(float(fatality_size(np.array([f]))[0]), 3) for f in SIZE_KEY
    ]
    assert {c.xsizemode for c in circles} == {"pixel"}
    assert fig.layout.legend.y <= 0 and fig.layout.legend.yanchor == "top"  # under the map, the modebar is at the top


def test_the_open_event_is_ringed():
    df = events(10)
    fig = events_map(df, opened=df.iloc[3])
    ring = [t for t in fig.data if t.name == "open event"][0]
    assert (ring.lat[0], ring.lon[0]) == (df.iloc[3]["lat"], df.iloc[3]["lon"])


def test_an_empty_map_still_draws_the_basemap():
    for fig in (places_figure([]), events_map(events(5).iloc[:0])):
        assert any(t.type == "scattergeo" for t in fig.data) and fig.layout.geo.showland


def test_countries_by_name_and_clicks_carry_the_code():
    assert country_name("SY") == "Syria" and country_label("SD") == "Sudan (SD)"
    assert country_name("ZZ") == "ZZ" and country_label(None) == ""
    assert country_label(float("nan")) == "" and country_label(pd.NA) == ""  # a table's empty cell
    counts = pd.DataFrame({"country_code": ["SD"], "iso3": ["SDN"], "events": [24], "fatalities": [3]})
    regions = pd.DataFrame(columns=["admin1", "country_code", "lat", "lon", "events", "fatalities"])
    fig = countries_figure(counts, regions, np.array([15.0]), np.array([30.0]))
    assert fig.data[0].hovertext[0].startswith("Sudan: 24 events") and list(fig.data[0].customdata) == ["SD"]


def test_the_html_export_of_play_carries_its_frames():
    df = events(200)
    view = View(mode="play", window=30)
    drawn = mapview.draw(df, view)
    fig = mapview.for_export(drawn, df, view)
    assert len(fig.frames) == drawn.play["frames"]  # the same frames as the app's, animated in the file
    assert {t.name for t in fig.data if t.showlegend is not False and t.name != "events"} == {"battle", "protest"}
    points = mapview.draw(df, View())
    assert mapview.for_export(points, df, View()) is points.figure


def test_the_own_plotly_build_is_pinned_to_the_plotly_js_of_the_wheel(monkeypatch, tmp_path):
    """Figures are made by the plotly wheel: the dashboard's own build must be
    of the same plotly.js, or the app falls back to the wheel's full one."""
    import json

    from viz.dashboard import mapcomponent

    pkg = json.loads((mapcomponent.BUNDLE_DIR / "package.json").read_text())
    assert pkg["devDependencies"]["plotly.js"] == mapcomponent.plotly_js_version()
    lock = json.loads((mapcomponent.BUNDLE_DIR / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == mapcomponent.plotly_js_version()
    assert all(p.get("integrity") for k, p in lock["packages"].items() if k)  # every package hashed
    built = tmp_path / "plotly-viz.min.js"
    built.write_text("/* a build */")
    monkeypatch.setattr(mapcomponent, "PARTIAL_JS", built)
    assert mapcomponent.bundle() == "partial"
    monkeypatch.setattr(mapcomponent, "PARTIAL_JS", tmp_path / "missing.js")
    assert mapcomponent.bundle() == "full"
    monkeypatch.setattr(mapcomponent, "PARTIAL_JS", built)
    monkeypatch.setattr(mapcomponent, "plotly_js_version", lambda: "9.9.9")
    assert mapcomponent.bundle() == "full"


def test_points_close_together_are_framed_and_labelled_alike():
    """Two events a degree apart: the map frames the region round them, and
    its labels are picked for that frame, not for a box a degree wide (they
    piled up on one another at the middle of the map)."""
    import numpy as np
    import plotly.graph_objects as go

    from viz.dashboard.figures import frame_figure
    from viz.dashboard.labels import CLOSE_ZOOM

    lat, lon = np.array([49.99, 49.71]), np.array([36.23, 37.61])
    fig = frame_figure(go.Figure(), lat, lon, kind="geo", center=None, zoom=None, tiles_style="")
    geo = fig.layout.geo
    assert (geo.center.lat, geo.center.lon) == (float(lat.mean()), float(lon.mean()))
    assert geo.projection.scale == 2**CLOSE_ZOOM
    assert Frame.fitting(lat, lon) == Frame.around((float(lat.mean()), float(lon.mean())), CLOSE_ZOOM)
    wide = Frame.fitting(np.array([20.0, 50.0]), np.array([20.0, 70.0]))
    assert wide.zoom < CLOSE_ZOOM and wide.lat0 <= 20 and wide.lat1 >= 50  # spread points are still fitted
