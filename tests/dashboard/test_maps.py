"""Aggregated maps, the play control, the mode chosen for a view, the HTML export."""

import json
import re

import numpy as np
import pandas as pd

from viz.dashboard import aggregate, animate, mapview
from viz.dashboard.htmlexport import standalone_html
from viz.dashboard.timeline import timeline_figure
from viz.dashboard.viewstate import View
from viz.events import schema


def events(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lat = np.r_[rng.normal(36, 0.3, n // 2), rng.normal(50, 0.3, n - n // 2)]
    lon = np.r_[rng.normal(37, 0.3, n // 2), rng.normal(36, 0.3, n - n // 2)]
    return schema.conform(
        pd.DataFrame(
            {
                "event_id": [f"e{i}" for i in range(n)],
                "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
                "event_type": rng.choice(["battle", "protest"], n),
                "actor1": rng.choice(["A", "B <b>"], n),
                "lat": lat,
                "lon": lon,
                "country_code": np.where(np.arange(n) < n // 2, "SY", "UA"),
                "admin1": np.where(np.arange(n) < n // 2, "Idlib", "Kharkiv"),
                "fatalities": rng.integers(0, 5, n),
                "geo_precision": "city",
            }
        )
    )


def test_grid_keeps_every_event_and_fatality():
    df = events(5000)
    cells = aggregate.grid(df, 0.5)
    assert cells["events"].sum() == 5000
    assert cells["fatalities"].sum() == int(df["fatalities"].sum())
    # every event is in the cell whose centre is within half a cell of it
    i = np.floor((df["lat"].to_numpy(float) + 90) / 0.5)
    assert set(-90 + (i + 0.5) * 0.5) == set(cells["lat"])


def test_cell_size_follows_the_extent():
    assert aggregate.cell_size(np.array([35.0, 36.0]), np.array([36.0, 37.0])) == 0.1
    assert aggregate.cell_size(np.array([-50.0, 70.0]), np.array([-170.0, 170.0])) == 2.0


def test_density_spreads_mass_without_losing_it():
    cells = aggregate.grid(events(2000), 0.25)
    dens = aggregate.smooth(cells, 0.25, "events")
    assert abs(dens["density"].sum() - 2000) / 2000 < 0.02  # only the faint fringe is cut
    assert len(dens) > len(cells)


def test_choropleth_by_country_and_region():
    df = events(1000)
    fig = aggregate.choropleth_figure(df, metric="count")
    ch = fig.data[0]
    assert sorted(ch.locations) == ["SYR", "UKR"] and sorted(ch.z) == [500, 500]
    assert fig.data[1].name == "regions" and len(fig.data[1].lat) == 2
    assert fig.layout.geo.fitbounds == "locations"


def test_mode_falls_back_to_a_grid_above_the_threshold():
    df = events(3000)
    small = mapview.draw(df, View(), points_max=5000)
    big = mapview.draw(df, View(), points_max=1000)
    assert small.mode == "points" and sum(len(t.lat) for t in small.figure.data) == 3000
    assert big.mode == "grid" and big.cell > 0 and "3,000 located events" in big.note
    assert sum(len(t.lat) for t in big.figure.data) < 300  # cells, not points
    assert big.selectable == ("points", "box", "lasso")
    assert mapview.draw(df, View(mode="choropleth")).selectable == ("points",)


def test_precision_is_visible_on_the_points_map():
    df = events(4)
    df["geo_precision"] = pd.Categorical(["city", "admin1", "country", "exact"], categories=schema.GEO_PRECISIONS)
    fig = mapview.draw(df, View(color="actor")).figure
    symbols = {s for t in fig.data for s in t.marker.symbol}
    assert {"circle", "diamond-open", "star-open"} <= symbols
    assert all("<b>" not in t.name for t in fig.data)  # actor names are inert


def test_online_tiles_only_when_asked():
    df = events(50)
    offline = mapview.draw(df, View()).figure
    tiles = mapview.draw(df, View(basemap="tiles"), tiles_style="open-street-map").figure
    assert {t.type for t in offline.data} == {"scattergeo"}
    assert {t.type for t in tiles.data} == {"scattermap"} and tiles.layout.map.style == "open-street-map"


def test_play_frames_step_a_window():
    df = events(400)
    fig = animate.play_figure(df, window_days=30)
    assert 2 <= len(fig.frames) <= animate.MAX_FRAMES
    first, last = fig.frames[0], fig.frames[-1]
    d = df["date"]
    lo = d.min().normalize()
    want = int(((d >= lo) & (d < lo + pd.Timedelta(days=30))).sum())
    assert len(first.data[0].lat) == want
    assert pd.Timestamp(last.name.split(" – ")[1]) >= d.max().normalize()  # the last window reaches the end
    assert fig.layout.updatemenus[0].buttons[0].method == "animate"
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)


def test_windows_cover_the_range_in_at_most_max_frames():
    s, e = pd.Timestamp("2010-01-01"), pd.Timestamp("2024-12-31")
    w = animate.windows(s, e, 30)
    assert len(w) <= animate.MAX_FRAMES and w[0][0] == s and w[-1][1] > e


def test_standalone_html_carries_the_basemap_and_keeps_text_inert():
    df = events(200)
    df.loc[0, "actors"] = "</script><script>alert(1)</script>"
    df.loc[0, "text"] = "<img src=x onerror=alert(2)>"
    m = mapview.draw(df, View()).figure
    page = standalone_html(m, timeline_figure(df), title="A <title>", caption="x & <y>")
    assert "window.PlotlyGeoAssets" in page
    assert page.count("<script>") == 3  # assets, plotly.js, our figures: nothing injected
    assert "<img" not in page and "A &lt;title&gt;" in page
    assert not re.search(r"https?://(?!www\.w3\.org|plot\.ly|github\.com)[a-z]", page[-200_000:].split("<script>")[-1])
    fig_json = page.split("var m = ")[1].split(";\n")[0]
    assert (
        json.loads(fig_json)["layout"]["geo"]["resolution"] == 50 and '"world_50m"' in page
    )  # a region: the finer outline
    world = events(200)
    world.loc[:99, "lon"] = -100.0  # the Americas and Asia: a world frame, the coarse outline
    wide = standalone_html(mapview.draw(world, View()).figure, timeline_figure(world), title="t")
    assert '"world_110m"' in wide and '"world_50m"' not in wide


def test_world_wide_data_show_the_world_not_a_pacific_frame():
    df = events(200)
    df.loc[:99, "lon"] = -100.0  # half in the Americas, half in Asia
    df.loc[100:, "lon"] = 120.0
    df.loc[:99, "country_code"] = "US"
    for fig in (
        mapview.draw(df, View()).figure,
        aggregate.choropleth_figure(df),
        animate.play_figure(df),
    ):
        assert fig.layout.geo.fitbounds in (False, None)
    assert mapview.draw(events(200), View()).figure.layout.geo.fitbounds == "locations"  # a region: framed


def test_candidates_close_together_are_framed_with_their_region():
    """A town and its province a few kilometres apart are shown with the land
    around them (as one place is), not zoomed onto a blank square between
    them; candidates far apart are fitted."""
    from viz.dashboard.basemap import places_figure

    def row(lat, lon, feature="city"):
        return {"lat": lat, "lon": lon, "feature": feature, "name": "x", "country_code": "SY", "score": 0.5}

    near = places_figure([row(35.93, 36.63), row(35.83, 36.60, "admin1")]).layout.geo
    assert near.fitbounds is False and near.projection.scale == 5
    assert abs(near.center.lat - 35.88) < 0.01 and abs(near.center.lon - 36.615) < 0.01
    far = places_figure([row(35.9, 36.6), row(38.9, -77.0)]).layout.geo
    assert far.fitbounds == "locations"
    one = places_figure([row(35.93, 36.63)]).layout.geo
    assert one.projection.scale == 5 and one.center.lat == 35.93


def test_place_label_names_the_country_only_where_there_is_one():
    from viz.dashboard.basemap import place_label

    assert place_label({"name": "Idlib", "country_code": "SY"}) == "Idlib (SY)"
    assert (
        place_label({"name": "Latin America and the Caribbean", "country_code": ""})
        == "Latin America and the Caribbean"
    )
