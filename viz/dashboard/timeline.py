"""The timeline: events over time, stacked by type, bins chosen from the range.

Bins are days for up to three months, weeks (from Monday) for up to three
years, months beyond.  Events dated to the day are counted in their bin;
events dated only to a week, a month or a year (ACLED's time precision 2
and 3, UCDP's date_prec) are spread over the bins their span covers, in
proportion to the days of it in each, and drawn lighter: a month-precision
event on a weekly timeline shows as a faint quarter in each of the month's
weeks, not as a sharp spike on the 1st.  Episodes with an end date are
drawn as ranges under the bars.  The
figure is built for range selection (``dragmode="select"``,
``selectdirection="h"``).  The selected range lives in the view (and the
link), not in the chart: the figure shades it, and a rerun that redraws the
chart does not lose it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.basemap import inert
from viz.dashboard.figures import MAX_ACTOR_TRACES, OTHER_ACTORS, TYPE_COLOURS, TYPES_DRAWN, actor_colour, type_of


def bin_for(start: pd.Timestamp, end: pd.Timestamp) -> str:
    days = (end - start).days
    if days <= 92:
        return "D"
    if days <= 3 * 366:
        return "W"
    return "M"


def _starts(days: np.ndarray, freq: str) -> np.ndarray:
    if freq == "W":
        # 1970-01-01 was a Thursday (3 days after a Monday)
        return days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
    if freq == "M":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    if freq == "Y":
        return days.astype("datetime64[Y]").astype("datetime64[D]")
    return days


def _next(starts: np.ndarray, freq: str) -> np.ndarray:
    """The start of the bin after each bin start."""
    if freq == "W":
        return starts + np.timedelta64(7, "D")
    if freq == "M":
        return (starts.astype("datetime64[M]") + 1).astype("datetime64[D]")
    if freq == "Y":
        return (starts.astype("datetime64[Y]") + 1).astype("datetime64[D]")
    return starts + np.timedelta64(1, "D")


def bin_starts(dates: pd.Series, freq: str) -> pd.Series:
    """The start of each date's bin: its day, its week's Monday, its month's
    (or year's) first day."""
    days = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return pd.Series(_starts(days, freq).astype("datetime64[ns]"), index=dates.index)


SPAN = {"week": "W", "month": "M", "year": "Y"}  # a vague date's precision -> the span it stands for
VAGUE = tuple(SPAN)


def bin_label(start: pd.Timestamp, freq: str) -> str:
    """A bin as people name it: "3 Feb 2020", "week of 3 Feb 2020", "Feb 2020"."""
    if freq == "M":
        return f"{start:%b %Y}"
    day = f"{start.day} {start:%b %Y}"
    return f"week of {day}" if freq == "W" else day


def order_columns(table: pd.DataFrame, stack_by: str) -> pd.DataFrame:
    """The stacks in a fixed order: the schema's types; actors by name, the rest last."""
    if stack_by == "actor":
        return table[sorted(table.columns, key=lambda a: (a == OTHER_ACTORS, a))]
    return table[[t for t in TYPES_DRAWN if t in table.columns]]


def spread_spans(spans: pd.DataFrame, freq: str, stack_by: str = "event_type") -> pd.DataFrame:
    """Events dated only to a span, spread over the bins of ``freq``.

    ``spans`` has one row per (``precision``, ``date``, ``key``) with ``n``
    events; each event's span is the week, month or year its date lies in,
    and each bin it overlaps gets the share of the span's days inside it.
    The result is bins x keys, in fractions of events (each event's shares
    add up to one)."""
    if spans is None or spans.empty:
        return pd.DataFrame()
    rows: list[tuple[np.datetime64, str, float]] = []
    for prec, d, key, n in spans[["precision", "date", "key", "n"]].itertuples(index=False):
        unit = SPAN.get(str(prec))
        if unit is None:
            continue
        day = np.datetime64(pd.Timestamp(d).date(), "D")
        a = _starts(np.array([day]), unit)[0]
        b = _next(np.array([a]), unit)[0]
        total = float((b - a).astype(int))
        start = _starts(np.array([a]), freq)[0]
        while start < b:
            end = _next(np.array([start]), freq)[0]
            days = float((min(end, b) - max(start, a)).astype(int))
            if days > 0:
                rows.append((start, str(key), float(n) * days / total))
            start = end
    if not rows:
        return pd.DataFrame()
    long = pd.DataFrame(rows, columns=["bin", "key", "n"])
    long["bin"] = long["bin"].astype("datetime64[ns]")
    table = long.pivot_table(index="bin", columns="key", values="n", fill_value=0.0, aggfunc="sum").sort_index()
    table.columns = [str(c) for c in table.columns]
    table.index.name = "bin"
    return order_columns(table, stack_by)


def _vague(frame: pd.DataFrame) -> np.ndarray:
    if "date_precision" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame["date_precision"].astype(object).isin(VAGUE).to_numpy(dtype=bool)


def spread(frame: pd.DataFrame, freq: str, stack_by: str = "event_type") -> pd.DataFrame:
    """:func:`spread_spans` of the frame's events dated only to a week, month or year."""
    df = frame[frame["date"].notna().to_numpy(dtype=bool)]
    df = df[_vague(df)]
    if df.empty:
        return pd.DataFrame()
    spans = (
        pd.DataFrame(
            {"precision": df["date_precision"].astype(str), "date": df["date"], "key": stack_key(df, stack_by)}
        )
        .groupby(["precision", "date", "key"], observed=True)
        .size()
        .rename("n")
        .reset_index()
    )
    return spread_spans(spans, freq, stack_by)


def stack_key(frame: pd.DataFrame, stack_by: str) -> pd.Series:
    """What the bars are stacked by: the event type, or the main actor (the
    most frequent ones, the rest as one group, as on the map)."""
    if stack_by == "actor":
        actor = frame["actor1"].fillna("(no actor named)").astype(str)
        top = set(actor.value_counts().index[:MAX_ACTOR_TRACES])
        return actor.where(actor.isin(top), OTHER_ACTORS)
    return type_of(frame)


def counts(frame: pd.DataFrame, freq: str, stack_by: str = "event_type") -> pd.DataFrame:
    """Events dated to the day per bin (rows) and type or actor (columns),
    bins by start date (the others: :func:`spread`)."""
    df = frame[frame["date"].notna().to_numpy(dtype=bool)]
    df = df[~_vague(df)]
    if df.empty:
        return pd.DataFrame()
    bins = bin_starts(df["date"], freq)
    key = stack_key(df, stack_by)
    table = pd.DataFrame({"bin": bins, "key": key}).groupby(["bin", "key"], observed=True).size().unstack(fill_value=0)
    table.columns = [str(c) for c in table.columns]
    return order_columns(table, stack_by)


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
        [c for c in ("date", "date_end", "date_precision", "event_type", "actor1") if c in frame.columns]
    ]  # no copy of the rest
    dated = dated[dated["date"].notna().to_numpy(dtype=bool)]
    if dated.empty:
        return empty_timeline(go.Figure())
    freq = bin_for(dated["date"].min(), dated["date"].max())
    if "date_end" not in dated.columns:
        dated = dated.assign(date_end=pd.NaT)
    episodes = dated[dated["date_end"].notna() & (dated["date_end"] > dated["date"])]
    return bars_figure(
        counts(dated, freq, stack_by),
        freq,
        episodes,
        spread(dated, freq, stack_by),
        stack_by=stack_by,
        selected=selected,
    )


MIN_BINS = {"D": 15, "W": 10, "M": 8}  # the least the axis spans, in bins: one event is one bar, not a block


def bars_figure(
    table: pd.DataFrame,
    freq: str,
    episodes: pd.DataFrame,
    spread_table: pd.DataFrame | None = None,
    *,
    stack_by: str = "event_type",
    selected: tuple[date, date] | None = None,
) -> go.Figure:
    """The timeline from its table of counts (:func:`counts`, or the same
    counted by the engine), the vague dates spread (:func:`spread`, drawn
    lighter) and the episodes (``date``, ``date_end``) to draw."""
    fig = go.Figure()
    vague = spread_table if spread_table is not None else pd.DataFrame()
    if table.empty and vague.empty:
        return empty_timeline(fig)
    width_ms = {"D": 86_400_000, "W": 7 * 86_400_000, "M": 30 * 86_400_000}[freq]
    for part, faint in ((table, False), (vague, True)):
        for name in part.columns:
            starts = pd.DatetimeIndex(part.index)
            fig.add_trace(
                go.Bar(
                    x=starts,
                    y=part[name].to_numpy(),
                    name=inert(name, 40) + (" (date known to the week, month or year)" if faint else ""),
                    marker_color=_colour(name, stack_by),
                    marker_opacity=0.35 if faint else 1.0,
                    width=width_ms * 0.9,
                    offset=0,
                    customdata=[bin_label(t, freq) for t in starts],
                    hovertemplate=(
                        "%{customdata}: %{y:.1f} %{fullData.name}<extra></extra>"
                        if faint
                        else "%{customdata}: %{y} %{fullData.name}<extra></extra>"
                    ),
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
    fig.update_xaxes(type="date", range=_x_range(table, vague, freq))
    highest = float(pd.concat([table.sum(axis=1), vague.sum(axis=1)], axis=1, sort=True).fillna(0).sum(axis=1).max())
    # counts are whole: no 0.5 ticks (a few events get a tick each)
    fig.update_yaxes(tickformat=",d", rangemode="tozero", **({"dtick": 1} if highest <= 5 else {}))
    return fig


def _x_range(table: pd.DataFrame, vague: pd.DataFrame, freq: str) -> list[pd.Timestamp]:
    """The axis's range: the bins drawn, widened to at least ``MIN_BINS`` bins around them."""
    idx = pd.DatetimeIndex(list(table.index) + list(vague.index))
    lo, hi = idx.min(), idx.max()
    unit = {"D": pd.Timedelta(days=1), "W": pd.Timedelta(days=7), "M": pd.Timedelta(days=30.44)}[freq]
    span = hi + unit - lo
    want = unit * MIN_BINS[freq]
    pad = max((want - span) / 2, unit * 0.5)
    return [lo - pad, hi + unit + pad]


def empty_timeline(fig: go.Figure) -> go.Figure:
    """No events: a blank strip saying so, not a pair of empty axes."""
    fig.update_layout(
        height=120,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": "no dated events in this selection", "showarrow": False, "font": {"color": "#888"}}],
    )
    return fig


def selected_range(selection: object) -> tuple[date, date] | None:
    """The date range of a box selection on the timeline: the map
    component's ``brush`` trigger (``{"x": [from, to]}``), or the value
    ``st.plotly_chart(..., on_select="rerun")`` keeps; None otherwise."""
    if isinstance(selection, dict) and "x" in selection:
        boxes = [selection]
    else:
        try:
            boxes = selection["selection"]["box"]  # type: ignore[index]
        except (KeyError, TypeError):
            try:
                boxes = selection.selection.box  # type: ignore[attr-defined]
            except AttributeError:
                return None
    if not boxes or not isinstance(boxes[0], dict):
        return None
    xs = boxes[0].get("x") or []
    if len(xs) < 2:
        return None
    try:
        a, b = sorted(pd.Timestamp(x) for x in xs[:2])
    except (ValueError, TypeError):
        return None
    return a.date(), b.date()
