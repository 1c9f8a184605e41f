from datetime import date

import pandas as pd

from viz.dashboard import timeline


def frame(dates, types, ends=None):
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "date_end": pd.to_datetime(ends or [None] * len(dates)),
            "event_type": types,
        }
    )


def test_bins_follow_the_range():
    ts = pd.Timestamp
    assert timeline.bin_for(ts("2020-01-01"), ts("2020-02-15")) == "D"
    assert timeline.bin_for(ts("2020-01-01"), ts("2021-06-01")) == "W"
    assert timeline.bin_for(ts("2017-01-01"), ts("2025-01-01")) == "M"


def test_counts_stack_by_type_in_fixed_order():
    f = frame(["2022-02-24", "2022-02-24", "2022-02-25", "2022-03-02"], ["protest", "battle", "battle", "riot"])
    c = timeline.counts(f, "W")
    assert list(c.columns) == ["battle", "protest", "riot"]  # the schema's order, not data order
    assert c.loc[pd.Timestamp("2022-02-21"), "battle"] == 2 and c.loc[pd.Timestamp("2022-02-28"), "riot"] == 1
    assert int(c.to_numpy().sum()) == 4


def test_figure_is_a_horizontal_range_selector_with_episodes():
    f = frame(["2023-04-15", "2023-05-01"], ["battle", "battle"], ["2023-04-30", None])
    fig = timeline.timeline_figure(f)
    assert fig.layout.dragmode == "select" and fig.layout.selectdirection == "h"
    assert [t.name for t in fig.data] == ["battle", "episodes"]


def test_selected_range_from_streamlit_state():
    state = {"selection": {"box": [{"x": ["2022-03-01 00:00", "2022-02-01"]}], "points": []}}
    assert timeline.selected_range(state) == (date(2022, 2, 1), date(2022, 3, 1))
    assert timeline.selected_range({"selection": {"box": [], "points": []}}) is None
    assert timeline.selected_range(None) is None


def test_vague_dates_are_spread_over_their_span_and_drawn_lighter():
    f = frame(["2022-03-15", "2022-03-09", "2022-03-01"], ["battle", "battle", "riot"]).assign(
        date_precision=["month", "day", "week"]
    )
    certain = timeline.counts(f, "W")
    assert int(certain.to_numpy().sum()) == 1  # only the event dated to the day is counted sharp
    vague = timeline.spread(f, "W")
    # the March battle: 31 days over the weeks from 28 Feb to 28 Mar; the riot's week is 28 Feb - 6 Mar
    assert abs(vague["battle"].sum() - 1) < 1e-9 and abs(vague["riot"].sum() - 1) < 1e-9
    assert vague.loc[pd.Timestamp("2022-02-28"), "battle"] == 6 / 31  # 1-6 March
    assert vague.loc[pd.Timestamp("2022-03-28"), "battle"] == 4 / 31  # 28-31 March
    assert vague.loc[pd.Timestamp("2022-02-28"), "riot"] == 1.0
    fig = timeline.timeline_figure(f)
    faint = [t for t in fig.data if t.type == "bar" and t.marker.opacity < 1]
    assert faint and all("week, month or year" in t.name for t in faint)
    assert abs(sum(sum(t.y) for t in fig.data if t.type == "bar") - 3) < 1e-9  # every event, once


def test_one_event_is_one_bar_with_whole_ticks_and_named_bins():
    fig = timeline.timeline_figure(frame(["2020-01-15"], ["battle"]))
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert (hi - lo).days >= 14  # a bar among days, not one block across the chart with hour ticks
    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.tickformat == ",d"
    assert fig.data[0].customdata[0] == "15 Jan 2020"
    weekly = timeline.timeline_figure(frame(["2020-02-04", "2021-01-01"], ["battle", "riot"]))
    assert weekly.data[0].customdata[0] == "week of 3 Feb 2020"
    monthly = timeline.timeline_figure(frame(["2017-01-04", "2021-01-01"], ["battle", "riot"]))
    assert monthly.data[0].customdata[0] == "Jan 2017"


def test_no_events_draw_a_note_not_empty_axes():
    fig = timeline.timeline_figure(frame([None], ["battle"]))
    assert fig.layout.xaxis.visible is False and "no dated events" in fig.layout.annotations[0].text
