"""The timeline: events over time, stacked by type, bins chosen from the range.

Bins are days for up to three months, weeks for up to three years, months
beyond.  Episodes with an end date are drawn as ranges under the bars.  The
figure is built for range selection (``dragmode="select"``,
``selectdirection="h"``); it does not depend on the selection itself, so the
selection survives Streamlit's rerun.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from viz.figures import TYPE_COLOURS
from viz.schema import EVENT_TYPES


def bin_for(start: pd.Timestamp, end: pd.Timestamp) -> str:
    days = (end - start).days
    if days <= 92:
        return "D"
    if days <= 3 * 366:
        return "W"
    return "M"


def bin_starts(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "D":
        return dates.dt.normalize()
    if freq == "W":
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    return dates.dt.to_period("M").dt.start_time


def counts(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Events per bin (rows) and type (columns), bins by start date."""
    df = frame[frame["date"].notna()]
    if df.empty:
        return pd.DataFrame()
    bins = bin_starts(df["date"], freq)
    table = pd.crosstab(bins, df["event_type"].astype(str))
    return table[[t for t in EVENT_TYPES if t in table.columns]]


def timeline_figure(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    dated = frame[frame["date"].notna()]
    if dated.empty:
        return fig
    freq = bin_for(dated["date"].min(), dated["date"].max())
    table = counts(dated, freq)
    width_ms = {"D": 86_400_000, "W": 7 * 86_400_000, "M": 30 * 86_400_000}[freq]
    for etype in table.columns:
        fig.add_trace(
            go.Bar(
                x=table.index,
                y=table[etype].to_numpy(),
                name=etype,
                marker_color=TYPE_COLOURS[etype],
                width=width_ms * 0.9,
                offset=0,
                hovertemplate="%{x|%Y-%m-%d}: %{y} " + etype + "<extra></extra>",
            )
        )
    episodes = dated[dated["date_end"].notna() & (dated["date_end"] > dated["date"])]
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
