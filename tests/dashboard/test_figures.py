import pandas as pd

from viz.dashboard.figures import TYPE_COLOURS, events_map
from viz.events import schema


def test_hover_text_is_inert_and_colours_are_fixed():
    df = schema.conform(
        pd.DataFrame(
            {
                "event_id": ["a", "b"],
                "date": ["2022-01-01", "2022-01-02"],
                "event_type": ["riot", "battle"],
                "actors": ["<script>alert(1)</script>", "X & <b>Y</b>"],
                "place": ["P", "Q"],
                "place_name": ["P", "Q"],
                "lat": [1.0, 2.0],
                "lon": [3.0, 4.0],
                "country_code": ["SY", "SY"],
                "fatalities": [None, 4],
            }
        )
    )
    fig = events_map(df)
    texts = [t for trace in fig.data for t in trace.hovertext]
    assert all("<script" not in t and "<b>" not in t and "&" not in t for t in texts)
    colours = {trace.name: trace.marker.color for trace in fig.data}
    assert colours == {"battle": TYPE_COLOURS["battle"], "riot": TYPE_COLOURS["riot"]}
    assert [trace.name for trace in fig.data] == ["battle", "riot"]  # schema order, not data order
    assert {c for trace in fig.data for c in trace.customdata} == {"a", "b"}


def test_colour_by_actor_is_fixed_by_name_and_size_by_count():
    from viz.dashboard.figures import actor_colour

    df = schema.conform(
        pd.DataFrame(
            {
                "event_id": ["a", "b", "c"],
                "date": ["2022-01-01"] * 3,
                "event_type": ["battle"] * 3,
                "actor1": ["Russia", "Ukraine", "Russia"],
                "actors": ["Russia", "Ukraine", "Russia"],
                "place": ["P", "P", "Q"],
                "place_name": ["P", "P", "Q"],
                "lat": [1.0, 1.0, 2.0],
                "lon": [3.0, 3.0, 4.0],
                "country_code": ["UA"] * 3,
            }
        )
    )
    fig = events_map(df, color_by="actor", size_by="count")
    by_name = {t.name: t for t in fig.data}
    assert by_name["Russia"].marker.color == actor_colour("Russia") == actor_colour("Russia")
    reversed_fig = events_map(df.iloc[::-1], color_by="actor")
    assert {t.name: t.marker.color for t in reversed_fig.data} == {t.name: t.marker.color for t in fig.data}
    sizes = dict(zip(by_name["Russia"].customdata, by_name["Russia"].marker.size, strict=True))
    assert sizes["a"] > sizes["c"]  # two events at a's point, one at c's
