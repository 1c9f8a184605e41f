"""Figures of the event frame, built from plain arrays (fast to serialise).

Colours are fixed per event type, not taken from data order, so a type keeps
its colour whatever is filtered.  Hover text is plain text with angle
brackets neutralised: event notes and actor names are untrusted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.basemap import geo_layout, inert
from viz.schema import EVENT_TYPES

TYPE_COLOURS = dict(
    zip(
        EVENT_TYPES,
        ["#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#1f77b4", "#17becf", "#7f7f7f", "#bcbd22"],
        strict=True,
    )
)


def hover(df: pd.DataFrame) -> list[str]:
    out = []
    for row in df.itertuples(index=False):
        date = row.date.strftime("%Y-%m-%d") if pd.notna(row.date) else "?"
        lines = [
            f"{date} · {inert(row.event_type)}",
            inert(row.actors) or "(no actor named)",
            f"{inert(row.place)} → {inert(row.place_name)} ({inert(row.country_code)})",
        ]
        if pd.notna(row.fatalities):
            lines.append(f"fatalities: {int(row.fatalities)}")
        out.append("<br>".join(lines))
    return out


def events_map(df: pd.DataFrame) -> go.Figure:
    """Events with coordinates, one trace per event type, sized by fatalities."""
    fig = go.Figure()
    located = df[df["lat"].notna() & df["lon"].notna()]
    for etype in EVENT_TYPES:
        part = located[located["event_type"] == etype]
        if part.empty:
            continue
        fat = part["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float)
        fig.add_trace(
            go.Scattergeo(
                lat=part["lat"].to_numpy(dtype=float),
                lon=part["lon"].to_numpy(dtype=float),
                mode="markers",
                name=etype,
                marker={
                    "size": (6 + 2.5 * np.sqrt(fat)).clip(6, 40),
                    "color": TYPE_COLOURS[etype],
                    "opacity": 0.75,
                    "line": {"width": 0.5, "color": "white"},
                },
                hovertext=hover(part),
                hoverinfo="text",
                customdata=part["event_id"].astype(str).tolist(),
            )
        )
    return geo_layout(fig, fit=len(located) > 1)
