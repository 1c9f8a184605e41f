"""The play control: a moving window stepped through time, animating the map.

Built as Plotly animation frames, so it plays in the browser with no round
trip to the server (and in the standalone HTML export).  Frame ``k`` shows
the events that overlap ``[start + k*step, start + k*step + window)``;
``step`` is chosen so there are at most ``MAX_FRAMES`` frames.  When the
frames together would hold more than ``MAX_FRAME_POINTS`` points, each frame
is drawn as a grid of counts instead (see :mod:`viz.dashboard.aggregate`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.aggregate import cell_size, grid
from viz.dashboard.basemap import geo_layout
from viz.dashboard.figures import TYPE_COLOURS, fits, located
from viz.events.schema import EVENT_TYPES

MAX_FRAMES = 60
MAX_FRAME_POINTS = 150_000


def windows(start: pd.Timestamp, end: pd.Timestamp, window_days: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    total = max((end - start).days + 1, 1)
    step = max(1, math.ceil(max(total - window_days, 0) / (MAX_FRAMES - 1))) if total > window_days else 1
    out = []
    t = start
    while True:
        out.append((t, t + pd.Timedelta(days=window_days)))
        if t + pd.Timedelta(days=window_days) > end or len(out) >= MAX_FRAMES:
            break
        t = t + pd.Timedelta(days=step)
    return out


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
    colours = pts["event_type"].astype(str).map(TYPE_COLOURS).fillna("#7f7f7f").to_numpy()
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
    if not as_grid:  # a legend of the type colours (these traces stay as they are in every frame)
        for t in EVENT_TYPES:
            fig.add_trace(
                go.Scattergeo(lat=[None], lon=[None], mode="markers", marker={"color": TYPE_COLOURS[t]}, name=t)
            )
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
