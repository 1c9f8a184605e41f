"""Figures of the event frame, built from plain arrays (fast to serialise).

Colours are fixed per event type, not taken from data order, so a type keeps
its colour whatever is filtered.  Hover text is plain text with angle
brackets neutralised: event notes and actor names are untrusted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.area import Polygon
from viz.dashboard.basemap import geo_layout, inert, tiles_layout
from viz.events.schema import EVENT_TYPES

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
            f"placed at {inert(row.geo_precision) or '?'} level",
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


PRECISION_STYLE = {  # symbol on the offline map, opacity on both maps
    "exact": ("circle", 0.8),
    "city": ("circle", 0.8),
    "admin2": ("diamond-open", 0.65),
    "admin1": ("diamond-open", 0.6),
    "country": ("star-open", 0.45),
}
PRECISION_NOTE = "● town or exact point  ◇ region only  ☆ country only"


def located(df: pd.DataFrame) -> pd.DataFrame:
    return df[(df["lat"].notna() & df["lon"].notna()).to_numpy(dtype=bool)]


def area_trace(area: Polygon, kind: str) -> go.Scattergeo | go.Scattermap:
    ring = list(area) + [area[0]]
    cls = go.Scattergeo if kind == "geo" else go.Scattermap
    return cls(
        lon=[p[0] for p in ring],
        lat=[p[1] for p in ring],
        mode="lines",
        name="selected area",
        line={"width": 2, "color": "#222222"},
        hoverinfo="skip",
    )


def fits(lat: np.ndarray, lon: np.ndarray) -> bool:
    """Whether to frame the map on these points: more than one, and not
    spread round the world (Plotly would then centre on the Pacific, or on
    whichever way round is shorter); the whole world is shown instead."""
    return len(lat) > 1 and float(np.ptp(lon)) <= 180 and float(np.ptp(lat)) <= 100


def frame_figure(
    fig: go.Figure,
    lat: np.ndarray,
    lon: np.ndarray,
    *,
    kind: str,
    center: tuple[float, float] | None,
    zoom: float | None,
    tiles_style: str,
) -> go.Figure:
    """Basemap and framing: the view's centre and zoom when it has them, else
    the points (or the world when there are none)."""
    if kind == "tiles":
        return tiles_layout(fig, style=tiles_style, lat=list(lat), lon=list(lon), center=center, zoom=zoom)
    # The finer outline (1.1 MB) only where it shows: a regional frame or a zoomed-in centre;
    # the world or a continent gets the 110m one (0.14 MB).
    span = max(float(np.ptp(lat)), float(np.ptp(lon)) / 2) if len(lat) > 1 else (0.0 if len(lat) else 180.0)
    if center is None and len(lat) and span < 1.0:
        # one place (or a few close together): fitting to it would zoom onto a
        # blank square; frame the region around it instead
        center, zoom = (float(np.mean(lat)), float(np.mean(lon))), 4.0
    if center is not None:
        fine = (zoom or 0) >= 2
    else:
        fine = span < 40
    return geo_layout(
        fig, fit=center is None and fits(lat, lon), center=center, zoom=zoom, resolution=50 if fine else 110
    )


def events_map(
    df: pd.DataFrame,
    *,
    color_by: str = "event_type",
    size_by: str = "fatalities",
    kind: str = "geo",
    area: Polygon | None = None,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    tiles_style: str = "open-street-map",
) -> go.Figure:
    """Events with coordinates, one trace per event type (or per main actor,
    the most frequent ones, the rest together), sized by fatalities or by the
    number of events at the same point; events placed only at region or
    country level drawn open and fainter."""
    fig = go.Figure()
    pts = located(df)
    counts = pts.groupby([pts["lat"].round(4), pts["lon"].round(4)])["event_id"].transform("size")
    if color_by == "actor":
        actor = pts["actor1"].fillna("(no actor named)").astype(str)
        top = list(actor.value_counts().index[:MAX_ACTOR_TRACES])
        groups = [(a, actor == a, actor_colour(a)) for a in sorted(top)]
        rest = ~actor.isin(top)
        if rest.any():
            groups.append((OTHER_ACTORS, rest, "#9e9e9e"))
    else:
        etype = pts["event_type"].astype(str)
        groups = [(t, etype == t, TYPE_COLOURS[t]) for t in EVENT_TYPES]
    for name, sel, colour in groups:
        part = pts[sel.to_numpy(dtype=bool)]
        if part.empty:
            continue
        prec = part["geo_precision"].astype(object).fillna("exact").to_numpy()
        style = [PRECISION_STYLE.get(p, PRECISION_STYLE["exact"]) for p in prec]
        marker = {
            "size": _sizes(part, size_by, counts),
            "color": colour,
            "opacity": [o for _, o in style],
        }
        common = {
            "lat": part["lat"].to_numpy(dtype=float),
            "lon": part["lon"].to_numpy(dtype=float),
            "mode": "markers",
            "name": inert(name, 40),
            "hovertext": hover(part),
            "hoverinfo": "text",
            "customdata": part["event_id"].astype(str).tolist(),
        }
        if kind == "tiles":
            fig.add_trace(go.Scattermap(marker=marker, **common))
        else:
            marker["symbol"] = [s for s, _ in style]
            marker["line"] = {"width": 0.5, "color": "white"}
            fig.add_trace(go.Scattergeo(marker=marker, **common))
    if area:
        fig.add_trace(area_trace(area, kind))
    fig.update_layout(clickmode="event+select")
    return frame_figure(
        fig,
        pts["lat"].to_numpy(dtype=float),
        pts["lon"].to_numpy(dtype=float),
        kind=kind,
        center=center,
        zoom=zoom,
        tiles_style=tiles_style,
    )
