"""The play control: a moving window stepped through time, animating the map.

Frame ``k`` shows the events that overlap ``[start + k*step, start + k*step +
window)`` (days).  The step never exceeds the window (half of it, or more
when that would make over ``MAX_FRAMES`` frames, but never more than the
window), so every event falls in some frame: an event starting on day ``a``
lies in the frame whose start is the last one at or before ``a``.

In the app the frames are stepped in the browser by the map component
(:func:`play_data` gives it the events; ``mapcomponent.js`` applies the same
rule); the standalone HTML export carries them as Plotly animation frames
(:func:`play_figure`).  When those frames together would hold more than
``MAX_FRAME_POINTS`` points, each is drawn as a grid of counts instead (see
:mod:`viz.dashboard.aggregate`).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.aggregate import cell_size, grid
from viz.dashboard.basemap import geo_layout
from viz.dashboard.figures import (
    NO_TYPE,
    TYPE_COLOURS,
    colours,
    fits,
    frame_figure,
    hover,
    legend_traces,
    located,
    sizes,
    type_of,
)

MAX_FRAMES = 600  # frames wanted at most; more where the window is short beside the span
MAX_FRAME_POINTS = 150_000
FRAME_MS = 500  # one frame at speed 1x


def step_and_frames(total_days: int, window_days: int) -> tuple[int, int]:
    """The step (days) between frames and how many frames cover ``total_days``
    days with a ``window_days`` window: the step is half the window, or more
    to stay under ``MAX_FRAMES``, never more than the window."""
    window_days = max(int(window_days), 1)
    total_days = max(int(total_days), 1)
    step = max(1, math.ceil(window_days / 2), math.ceil(max(total_days - window_days, 0) / MAX_FRAMES))
    step = min(step, window_days)
    frames = 1 if total_days <= window_days else math.ceil((total_days - window_days) / step) + 1
    return step, frames


def windows(start: pd.Timestamp, end: pd.Timestamp, window_days: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The frames' ``[from, to)`` for events from ``start`` to ``end`` (days)."""
    step, frames = step_and_frames((end - start).days + 1, window_days)
    return [
        (start + pd.Timedelta(days=k * step), start + pd.Timedelta(days=k * step + window_days)) for k in range(frames)
    ]


def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64")


def play_data(df: pd.DataFrame, *, window_days: int, color_by: str = "event_type") -> dict | None:
    """The events the map component steps through, as arrays (days since
    1970 for the dates), with the frames' rule; None when nothing is dated
    and located."""
    pts = located(df)
    pts = pts[pts["date"].notna().to_numpy(dtype=bool)]
    if pts.empty:
        return None
    t0 = _days(pts["date"])
    t1 = np.maximum(_days(pts["date_end"].fillna(pts["date"])), t0)
    start, end = int(t0.min()), int(t1.max())
    step, frames = step_and_frames(end - start + 1, window_days)
    ids = pts["event_id"].astype(str).tolist()
    return {
        "key": hashlib.blake2b(("|".join(ids) + f"/{window_days}/{color_by}").encode(), digest_size=8).hexdigest(),
        "start": start,
        "end": end,
        "window": int(window_days),
        "step": step,
        "frames": frames,
        "frame_ms": FRAME_MS,
        "t0": t0.tolist(),
        "t1": t1.tolist(),
        "lat": pts["lat"].to_numpy(dtype=float).round(5).tolist(),
        "lon": pts["lon"].to_numpy(dtype=float).round(5).tolist(),
        "color": colours(pts, color_by).tolist(),
        "size": sizes(pts, "fatalities").round(1).tolist(),
        "hover": hover(pts),
        "ids": ids,
    }


def frame_members(data: dict, k: int) -> np.ndarray:
    """The indices of the events frame ``k`` of :func:`play_data` shows (the
    rule ``mapcomponent.js`` applies)."""
    a = data["start"] + k * data["step"]
    b = a + data["window"]
    t0, t1 = np.asarray(data["t0"]), np.asarray(data["t1"])
    return np.flatnonzero((t1 >= a) & (t0 < b))


def play_base(
    df: pd.DataFrame,
    *,
    color_by: str = "event_type",
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> go.Figure:
    """The map the component plays on: one trace it restyles frame by frame,
    and a legend of the colours in the data."""
    pts = located(df)
    fig = go.Figure()
    fig.add_trace(
        go.Scattergeo(
            lat=[],
            lon=[],
            mode="markers",
            marker={"opacity": 0.8, "line": {"width": 0.5, "color": "white"}},
            hoverinfo="text",
            name="events",
            showlegend=False,
        )
    )
    for t in legend_traces(pts, color_by):
        fig.add_trace(t)
    lat, lon = pts["lat"].to_numpy(dtype=float), pts["lon"].to_numpy(dtype=float)
    # the coarse outline for a wide frame, the finer one zoomed in (as the points map)
    return frame_figure(fig, lat, lon, kind="geo", center=center, zoom=zoom, tiles_style="")


def play_figure(
    df: pd.DataFrame,
    *,
    window_days: int = 30,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> go.Figure:
    pts = located(df)
    pts = pts[pts["date"].notna()]
    fig = go.Figure()
    if pts.empty:
        return geo_layout(fig)
    start, end = pts["date"].min().normalize(), pts["date"].max().normalize()
    spans = windows(start, end, window_days)
    first = pts["date"].to_numpy()
    last = pts["date_end"].fillna(pts["date"]).to_numpy()
    masks = [(last >= np.datetime64(a)) & (first < np.datetime64(b)) for a, b in spans]
    total = int(sum(m.sum() for m in masks))
    lat, lon = pts["lat"].to_numpy(dtype=float), pts["lon"].to_numpy(dtype=float)
    as_grid = total > MAX_FRAME_POINTS
    cell = cell_size(lat, lon) if as_grid else 0.0
    colours = type_of(pts).map(TYPE_COLOURS).fillna(TYPE_COLOURS[NO_TYPE]).to_numpy()
    fat = pts["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float)

    def trace(m: np.ndarray) -> go.Scattergeo:
        if as_grid:
            cells = grid(pts[m], cell)
            return go.Scattergeo(
                lat=cells["lat"].to_numpy(),
                lon=cells["lon"].to_numpy(),
                mode="markers",
                marker={
                    "symbol": "square",
                    "size": 8,
                    "color": np.log10(1 + cells["events"].to_numpy(dtype=float)),
                    "colorscale": "Viridis",
                    "cmin": 0,
                    "cmax": 4,
                },
                hovertext=[f"{e} events" for e in cells["events"]],
                hoverinfo="text",
                name="events",
                showlegend=False,
            )
        return go.Scattergeo(
            lat=lat[m],
            lon=lon[m],
            mode="markers",
            marker={"size": (6 + 2.5 * np.sqrt(fat[m])).clip(6, 40), "color": colours[m], "opacity": 0.8},
            hoverinfo="skip",
            name="events",
            showlegend=False,
        )

    labels = [f"{a:%Y-%m-%d} – {(b - pd.Timedelta(days=1)):%Y-%m-%d}" for a, b in spans]
    fig.add_trace(trace(masks[0]))
    if not as_grid:  # a legend of the type colours present (these traces stay as they are in every frame)
        for t in legend_traces(pts, "event_type"):
            fig.add_trace(t)
    fig.frames = [go.Frame(data=[trace(m)], traces=[0], name=label) for m, label in zip(masks, labels, strict=True)]
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0.0,
                "y": 0.0,
                "xanchor": "left",
                "yanchor": "top",
                "direction": "left",
                "buttons": [
                    {
                        "label": "▶ Play",
                        "method": "animate",
                        "args": [None, {"frame": {"duration": 600, "redraw": True}, "fromcurrent": True}],
                    },
                    {
                        "label": "❚❚ Pause",
                        "method": "animate",
                        "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": 0,
                "x": 0.15,
                "len": 0.85,
                "y": 0.0,
                "currentvalue": {"prefix": f"{window_days}-day window: "},
                "steps": [
                    {
                        "label": label,
                        "method": "animate",
                        "args": [[label], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
                    }
                    for label in labels
                ],
            }
        ],
    )
    fig = geo_layout(fig, fit=center is None and fits(lat, lon), center=center, zoom=zoom)
    fig.update_layout(height=540, margin={"l": 0, "r": 0, "t": 0, "b": 60})
    return fig
