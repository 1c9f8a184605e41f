"""The engine's answers are the pandas modules' answers, on the demo data:
each filter, the timeline's table, the grid, the countries and regions, the
options, the table's page, and the corrections joined in."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from viz.dashboard import aggregate, appdata, filters, timeline
from viz.dashboard.query import Events
from viz.dashboard.viewstate import Filters
from viz.events import dataset
from viz.events.corrections import Correction
from viz.events.corrections import apply as apply_corrections
from viz.events.schema import EVENT_TYPES

AREA = ((35.0, 34.0), (38.0, 34.0), (38.0, 37.5), (35.0, 37.5))  # (lon, lat): northern Syria
CASES = [
    Filters(),
    Filters(actors=("Wagner Group",)),
    Filters(types=("protest",), countries=("RU",)),
    Filters(date_from=date(2022, 2, 24), date_to=date(2022, 2, 28)),
    Filters(min_fatalities=100),
    Filters(text="kerch BRIDGE"),
    Filters(text="idlib"),
    Filters(precisions=("city",)),
    Filters(area=AREA),
    Filters(countries=("UA", "SY"), text="the"),
]


@pytest.fixture(scope="module")
def demo(geocoder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "events"
    dataset.ingest([appdata.DEMO_DIR], folder, geocoder=geocoder)
    frame = dataset.read(folder)
    events = Events(dataset.parts(folder))
    yield frame, events
    events.close()


@pytest.mark.parametrize("f", CASES, ids=lambda f: repr(f)[8:60])
def test_filters_select_the_same_events(demo, f):
    frame, events = demo
    keep = filters.mask(frame, f)
    w = events.where(f)
    assert events.count(w) == int(keep.sum())
    got = events.rows(w)
    assert sorted(got["event_id"]) == sorted(frame.loc[keep, "event_id"])
    assert len(got) == 0 or set(got.columns) == set(frame.columns)


def test_time_range_and_linked_views(demo):
    frame, events = demo
    f, time = Filters(countries=("UA",)), (date(2023, 1, 1), date(2023, 12, 31))
    assert events.count(events.where(f, time)) == int(filters.mask(frame, f, time).sum()) > 0
    with_area = Filters(area=AREA)
    assert events.count(events.where(with_area, area=False)) == len(frame)


@pytest.mark.parametrize("stack_by", ["event_type", "actor"])
def test_timeline_table(demo, stack_by):
    frame, events = demo
    f = Filters(countries=("UA", "RU"))
    table, freq, episodes, vague = events.timeline(events.where(f), stack_by)
    part = filters.apply(frame, f)
    assert freq == timeline.bin_for(part["date"].min(), part["date"].max())
    expected = timeline.counts(part, freq, stack_by)
    pd.testing.assert_frame_equal(table, expected, check_names=False, check_freq=False, check_index_type=False)
    assert len(episodes) == int(((part["date_end"] > part["date"]) & part["date_end"].notna()).sum())
    fig = timeline.bars_figure(table, freq, episodes, stack_by=stack_by)
    assert [t.name for t in fig.data if t.type == "bar"] == list(table.columns)


def test_grid_countries_and_regions(demo):
    frame, events = demo
    w = events.where(Filters())
    lat, lon = events.extent(w)
    pts = frame[frame["lat"].notna()]
    assert (lat.min(), lat.max(), lon.min(), lon.max()) == (
        pts["lat"].min(),
        pts["lat"].max(),
        pts["lon"].min(),
        pts["lon"].max(),
    )
    cell = aggregate.grid_cell(lat, lon)
    assert cell == aggregate.grid_cell(pts["lat"].to_numpy(float), pts["lon"].to_numpy(float))
    pd.testing.assert_frame_equal(events.grid(w, cell), aggregate.grid(frame, cell), check_dtype=False)
    pd.testing.assert_frame_equal(
        events.by_country(w).reset_index(drop=True), aggregate.by_country(frame), check_dtype=False
    )
    pd.testing.assert_frame_equal(events.by_region(w), aggregate.by_region(frame), check_dtype=False, rtol=1e-9)


def test_options_page_and_one_event(demo):
    frame, events = demo
    actors = sorted({a for combo in frame["actors"].dropna() for a in combo.split("; ")} - {""})
    countries = sorted(set(frame["country_code"].dropna()) - {""})
    types = [t for t in EVENT_TYPES if t in set(frame["event_type"].dropna())]
    assert events.options() == (actors, countries, types)
    page = events.rows(events.where(Filters()), limit=50, newest_first=True)
    assert list(page["date"]) == sorted(frame["date"], reverse=True)[:50]
    ev = frame["event_id"].iloc[7]
    assert events.has_event(ev) and not events.has_event("nope")
    assert events.event(ev)["event_id"].tolist() == [ev]


def test_corrections_are_joined_in(demo, tmp_path):
    frame, _ = demo
    placed = frame[(frame["geo_source"] == "gazetteer") & frame["place"].notna()].iloc[0]
    fix = Correction(
        placed["place"],
        placed["country_code"] or "",
        name="Fixed",
        lat=1.5,
        lon=2.5,
        country_code="XX",
        precision="exact",
    )
    folder = tmp_path / "events"
    dataset.write_frame(frame, folder, tag="mem")
    events = Events(dataset.parts(folder), [fix])
    try:
        expected, n = apply_corrections(frame, [fix])
        assert events.corrected == n > 0
        got = events.rows(events.where(Filters(countries=("XX",))))
        assert sorted(got["event_id"]) == sorted(expected.loc[expected["country_code"] == "XX", "event_id"])
        assert set(got["geo_source"]) == {"correction"} and set(got["lat"]) == {1.5}
    finally:
        events.close()


def test_a_dataset_with_no_events_answers_empty():
    events = Events([], [Correction("Homs", "SY", name="Homs", lat=34.7, lon=36.7, country_code="SY")])
    try:
        w = events.where(Filters(text="anything", actors=("A",)))
        assert events.total == events.count(w) == events.located_count() == 0 and not events
        assert events.date_bounds() is None and events.options() == ([], [], [])
        table, _, episodes, _ = events.timeline(w, "event_type")
        assert table.empty and episodes.empty and events.rows(w).empty
        assert events.extent(w)[0].size == 0 and events.grid(w, 1.0).empty
    finally:
        events.close()


def test_a_selection_too_big_to_copy_is_counted_from_the_files(demo, monkeypatch):
    from viz.dashboard import query

    frame, events = demo
    monkeypatch.setattr(query, "SEL_MAX", 5)
    f = Filters(types=("battle", "protest"))  # far more than 5 events
    w = events.where(f)
    assert events._sel(w) == ("ev", w)
    assert events.count(w) == int(filters.mask(frame, f).sum()) > 5
    table, freq, _, _ = events.timeline(w, "event_type")
    assert int(table.to_numpy().sum()) == events.count(w)
    assert len(events.rows(w, limit=3, newest_first=True)) == 3


def test_each_option_with_its_number_of_events(demo):
    frame, events = demo
    counts = events.option_counts()
    wagner = int(frame["actors"].fillna("").str.split("; ").map(lambda xs: "Wagner Group" in xs).sum())
    assert counts["actors"]["Wagner Group"] == wagner > 0
    assert counts["countries"] == frame["country_code"].dropna().loc[lambda s: s != ""].value_counts().to_dict()
    assert counts["types"] == {str(k): int(v) for k, v in frame["event_type"].value_counts().items() if v}
    assert set(counts["actors"]) == set(events.options()[0])


def test_vague_dates_are_spread_by_the_engine_as_by_pandas(demo, tmp_path):
    frame, _ = demo
    vague = frame.copy()
    vague["date_precision"] = pd.Categorical(
        [("month", "week", "year", "day")[i % 4] for i in range(len(vague))],
        categories=vague["date_precision"].cat.categories,
    )
    folder = tmp_path / "vague"
    folder.mkdir()
    dataset.write_frame(vague, folder, tag="vague")
    events = Events(dataset.parts(folder))
    try:
        table, freq, _, spread = events.timeline(events.where(Filters()), "event_type")
        pd.testing.assert_frame_equal(
            table, timeline.counts(vague, freq), check_names=False, check_freq=False, check_index_type=False
        )
        expected = timeline.spread(vague, freq)
        pd.testing.assert_frame_equal(spread, expected, check_names=False, check_freq=False, check_index_type=False)
        assert abs(table.to_numpy().sum() + spread.to_numpy().sum() - len(vague)) < 1e-6  # each event once
    finally:
        events.close()


def test_events_with_no_type_are_counted_and_drawn(tmp_path, geocoder):
    """A source that gives no type: its events are a group of their own on
    the timeline (the engine and pandas alike) and on the map, not left out."""
    from viz.dashboard.figures import NO_TYPE, events_map

    src = tmp_path / "untyped.csv"
    src.write_text(
        "date,place,lat,lon,event_type\n2024-05-01,A,10,10,\n2024-05-02,B,11,11,\n2024-05-03,C,12,12,battle\n"
    )
    folder = tmp_path / "events"
    dataset.ingest([src], folder, geocoder=geocoder)
    frame = dataset.read(folder)
    events = Events(dataset.parts(folder))
    try:
        table, freq, _, _ = events.timeline(events.where(Filters()), "event_type")
    finally:
        events.close()
    assert list(table.columns) == ["battle", NO_TYPE] and int(table.to_numpy().sum()) == 3
    expected = timeline.counts(frame, freq)
    pd.testing.assert_frame_equal(table, expected, check_names=False, check_freq=False, check_index_type=False)
    fig = events_map(frame)
    drawn = {t.name: len(t.lat) for t in fig.data if t.type == "scattergeo" and t.customdata is not None}
    assert drawn == {"battle": 1, NO_TYPE: 2}


def test_a_selection_read_a_batch_at_a_time_is_the_selection(demo):
    frame, events = demo
    w = events.where(Filters(countries=("UA", "SY")))
    whole = events.rows(w)
    parts = list(events.batches(w, rows=37))
    assert len(parts) == -(-len(whole) // 37) > 2 and all(len(p) <= 37 for p in parts)
    got = pd.concat(parts, ignore_index=True)
    assert sorted(got["event_id"]) == sorted(whole["event_id"])
    key = ["event_id"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True), whole.sort_values(key).reset_index(drop=True)
    )
