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


PALETTE = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#cab2d6",
    "#6a3d9a",
    "#b15928",
    "#33a02c",
    "#ff7f00",
    "#a6cee3",
]
OTHER_ACTORS = "other actors"
MAX_ACTOR_TRACES = 12


def actor_colour(name: str) -> str:
    """A colour for an actor fixed by its name (a stable hash), not by the
    order actors appear in: the same actor keeps its colour in every view."""
    import hashlib

    return PALETTE[hashlib.blake2b(name.encode("utf-8"), digest_size=2).digest()[0] % len(PALETTE)]


def _sizes(part: pd.DataFrame, size_by: str, counts: pd.Series) -> np.ndarray:
    if size_by == "count":
        n = counts.loc[part.index].to_numpy(dtype=float)
        return (5 + 3 * np.sqrt(n)).clip(6, 40)
    fat = part["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float)
    return (6 + 2.5 * np.sqrt(fat)).clip(6, 40)


def events_map(df: pd.DataFrame, *, color_by: str = "event_type", size_by: str = "fatalities") -> go.Figure:
    """Events with coordinates, one trace per event type (or per main actor,
    the most frequent ones, the rest together), sized by fatalities or by the
    number of events at the same point."""
    fig = go.Figure()
    located = df[df["lat"].notna() & df["lon"].notna()]
    counts = located.groupby([located["lat"].round(4), located["lon"].round(4)])["event_id"].transform("size")
    if color_by == "actor":
        actor = located["actor1"].fillna("(no actor named)").astype(str)
        top = list(actor.value_counts().index[:MAX_ACTOR_TRACES])
        groups = [(a, actor == a, actor_colour(a)) for a in sorted(top)]
        rest = ~actor.isin(top)
        if rest.any():
            groups.append((OTHER_ACTORS, rest, "#9e9e9e"))
    else:
        etype = located["event_type"].astype(str)
        groups = [(t, etype == t, TYPE_COLOURS[t]) for t in EVENT_TYPES]
    for name, sel, colour in groups:
        part = located[sel.to_numpy(dtype=bool)]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattergeo(
                lat=part["lat"].to_numpy(dtype=float),
                lon=part["lon"].to_numpy(dtype=float),
                mode="markers",
                name=inert(name, 40),
                marker={
                    "size": _sizes(part, size_by, counts),
                    "color": colour,
                    "opacity": 0.75,
                    "line": {"width": 0.5, "color": "white"},
                },
                hovertext=hover(part),
                hoverinfo="text",
                customdata=part["event_id"].astype(str).tolist(),
            )
        )
    return geo_layout(fig, fit=len(located) > 1)
