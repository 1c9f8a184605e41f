"""The timeline: events over time, stacked by type, bins chosen from the range.

Bins are days for up to three months, weeks for up to three years, months
beyond.  Episodes with an end date are drawn as ranges under the bars.  The
figure is built for range selection (``dragmode="select"``,
``selectdirection="h"``).  The selected range lives in the view (and the
link), not in the chart: the figure shades it, and a rerun that redraws the
chart does not lose it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.basemap import inert
from viz.dashboard.figures import MAX_ACTOR_TRACES, OTHER_ACTORS, TYPE_COLOURS, actor_colour
from viz.events.schema import EVENT_TYPES


def bin_for(start: pd.Timestamp, end: pd.Timestamp) -> str:
    days = (end - start).days
    if days <= 92:
        return "D"
    if days <= 3 * 366:
        return "W"
    return "M"


def bin_starts(dates: pd.Series, freq: str) -> pd.Series:
    """The start of each date's bin: its day, its week's Monday, its month's first day."""
    days = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if freq == "W":
        # 1970-01-01 was a Thursday (3 days after a Monday)
        days = days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
    elif freq == "M":
        days = days.astype("datetime64[M]").astype("datetime64[D]")
    return pd.Series(days.astype("datetime64[ns]"), index=dates.index)


def stack_key(frame: pd.DataFrame, stack_by: str) -> pd.Series:
    """What the bars are stacked by: the event type, or the main actor (the
    most frequent ones, the rest as one group, as on the map)."""
    if stack_by == "actor":
        actor = frame["actor1"].fillna("(no actor named)").astype(str)
        top = set(actor.value_counts().index[:MAX_ACTOR_TRACES])
        return actor.where(actor.isin(top), OTHER_ACTORS)
    return frame["event_type"]  # categorical: grouped by its codes


def counts(frame: pd.DataFrame, freq: str, stack_by: str = "event_type") -> pd.DataFrame:
    """Events per bin (rows) and type or actor (columns), bins by start date."""
    df = frame[frame["date"].notna()]
    if df.empty:
        return pd.DataFrame()
    bins = bin_starts(df["date"], freq)
    key = stack_key(df, stack_by)
    table = pd.DataFrame({"bin": bins, "key": key}).groupby(["bin", "key"], observed=True).size().unstack(fill_value=0)
    table.columns = [str(c) for c in table.columns]
    if stack_by == "actor":
        return table[sorted(table.columns, key=lambda a: (a == OTHER_ACTORS, a))]
    return table[[t for t in EVENT_TYPES if t in table.columns]]


def _colour(name: str, stack_by: str) -> str:
    if stack_by == "actor":
        return "#9e9e9e" if name == OTHER_ACTORS else actor_colour(name)
    return TYPE_COLOURS[name]


def timeline_figure(
    frame: pd.DataFrame, *, stack_by: str = "event_type", selected: tuple[date, date] | None = None
) -> go.Figure:
    """Stacked bars per bin, episodes as ranges; the selected range (kept in
    the view, not in the chart) shaded."""
    dated = frame[
        [c for c in ("date", "date_end", "event_type", "actor1") if c in frame.columns]
    ]  # no copy of the rest
    dated = dated[dated["date"].notna().to_numpy(dtype=bool)]
    if dated.empty:
        return go.Figure()
    freq = bin_for(dated["date"].min(), dated["date"].max())
    if "date_end" not in dated.columns:
        dated = dated.assign(date_end=pd.NaT)
    episodes = dated[dated["date_end"].notna() & (dated["date_end"] > dated["date"])]
    return bars_figure(counts(dated, freq, stack_by), freq, episodes, stack_by=stack_by, selected=selected)


def bars_figure(
    table: pd.DataFrame,
    freq: str,
    episodes: pd.DataFrame,
    *,
    stack_by: str = "event_type",
    selected: tuple[date, date] | None = None,
) -> go.Figure:
    """The timeline from its table of counts (:func:`counts`, or the same
    counted by the engine) and the episodes (``date``, ``date_end``) to draw."""
    fig = go.Figure()
    if table.empty:
        return fig
    width_ms = {"D": 86_400_000, "W": 7 * 86_400_000, "M": 30 * 86_400_000}[freq]
    for name in table.columns:
        fig.add_trace(
            go.Bar(
                x=table.index,
                y=table[name].to_numpy(),
                name=inert(name, 40),
                marker_color=_colour(name, stack_by),
                width=width_ms * 0.9,
                offset=0,
                hovertemplate="%{x|%Y-%m-%d}: %{y} %{fullData.name}<extra></extra>",
            )
        )
    if selected is not None:
        fig.add_vrect(
            x0=pd.Timestamp(selected[0]),
            x1=pd.Timestamp(selected[1]) + pd.Timedelta(days=1),
            fillcolor="rgba(30,30,30,0.12)",
            line_width=1,
            line_color="#333333",
            layer="below",
        )
    if len(episodes):
        xs: list = []
        for s, e in zip(episodes["date"], episodes["date_end"], strict=True):
            xs += [s, e, None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[0, 0, None] * len(episodes),
                mode="lines",
                name="episodes",
                line={"width": 6, "color": "rgba(60,60,60,0.5)"},
                hoverinfo="skip",
            )
        )
    label = {"D": "day", "W": "week", "M": "month"}[freq]
    fig.update_layout(
        barmode="stack",
        dragmode="select",
        selectdirection="h",
        height=240,
        margin={"l": 40, "r": 10, "t": 10, "b": 30},
        yaxis_title=f"events per {label}",
        legend={"orientation": "h", "y": -0.25},
        showlegend=False,
    )
    fig.update_xaxes(type="date")
    return fig


def selected_range(selection: object) -> tuple[date, date] | None:
    """The date range of a box selection on the timeline, from the value
    ``st.plotly_chart(..., on_select="rerun")`` keeps, or None."""
    try:
        boxes = selection["selection"]["box"]  # type: ignore[index]
    except (KeyError, TypeError):
        try:
            boxes = selection.selection.box  # type: ignore[attr-defined]
        except AttributeError:
            return None
    if not boxes:
        return None
    xs = boxes[0].get("x") or []
    if len(xs) < 2:
        return None
    try:
        a, b = sorted(pd.Timestamp(x) for x in xs[:2])
    except (ValueError, TypeError):
        return None
    return a.date(), b.date()
