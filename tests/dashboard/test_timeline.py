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
