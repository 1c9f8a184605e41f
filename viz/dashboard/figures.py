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
from viz.dashboard.labels import CLOSE_SPAN, CLOSE_ZOOM
from viz.events.schema import EVENT_TYPES
from viz.geo.cldr import country_name

# Events whose source gives no type are drawn too, as a group of their own.
NO_TYPE = "type not given"
TYPES_DRAWN = (*EVENT_TYPES, NO_TYPE)
TYPE_COLOURS = dict(
    zip(
        TYPES_DRAWN,
        ["#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#1f77b4", "#17becf", "#7f7f7f", "#bcbd22", "#4d4d4d"],
        strict=True,
    )
)


def type_of(df: pd.DataFrame) -> pd.Series:
    """Each event's type as drawn: the frame's, or :data:`NO_TYPE`."""
    return df["event_type"].astype(object).where(df["event_type"].notna(), NO_TYPE).astype(str)


def hover(df: pd.DataFrame) -> list[str]:
    out = []
    for row in df.itertuples(index=False):
        date = row.date.strftime("%Y-%m-%d") if pd.notna(row.date) else "?"
        lines = [
            f"{date} · {inert(row.event_type)}",
            inert(row.actors) or "(no actor named)",
            f"{inert(row.place)} → {inert(row.place_name)}, {inert(country_name(row.country_code))}",
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


def fatality_size(fatalities: np.ndarray) -> np.ndarray:
    """Marker diameter (px) for a number of fatalities: the size key uses it too."""
    return (6 + 2.5 * np.sqrt(np.asarray(fatalities, dtype=float))).clip(6, 40)


def count_size(n: np.ndarray) -> np.ndarray:
    return (5 + 3 * np.sqrt(np.asarray(n, dtype=float))).clip(6, 40)


def sizes(part: pd.DataFrame, size_by: str, counts: pd.Series | None = None) -> np.ndarray:
    if size_by == "count" and counts is not None:
        return count_size(counts.loc[part.index].to_numpy(dtype=float))
    return fatality_size(part["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float))


def main_actor(pts: pd.DataFrame) -> pd.Series:
    return pts["actor1"].fillna("(no actor named)").astype(str)


def colours(pts: pd.DataFrame, color_by: str) -> np.ndarray:
    """Each event's colour: its type's, or its main actor's (the most frequent
    ones; the rest grey), as the map's traces colour them."""
    if color_by == "actor":
        actor = main_actor(pts)
        top = set(actor.value_counts().index[:MAX_ACTOR_TRACES])
        return np.array([actor_colour(a) if a in top else "#9e9e9e" for a in actor], dtype=object)
    return type_of(pts).map(TYPE_COLOURS).fillna(TYPE_COLOURS[NO_TYPE]).to_numpy(dtype=object)


def legend_traces(pts: pd.DataFrame, color_by: str) -> list[go.Scattergeo]:
    """Legend entries for the colours of the events given (none for a type
    not in them), drawing nothing on the map."""
    if color_by == "actor":
        actor = main_actor(pts)
        top = sorted(actor.value_counts().index[:MAX_ACTOR_TRACES])
        items = [(a, actor_colour(a)) for a in top]
        if (~actor.isin(top)).any():
            items.append((OTHER_ACTORS, "#9e9e9e"))
    else:
        present = set(type_of(pts))
        items = [(t, TYPE_COLOURS[t]) for t in TYPES_DRAWN if t in present]
    return [
        go.Scattergeo(lat=[None], lon=[None], mode="markers", marker={"color": c, "size": 10}, name=inert(n, 40))
        for n, c in items
    ]


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
    if center is None and len(lat) and span < CLOSE_SPAN:
        # one place (or a few close together): fitting to it would zoom onto a
        # blank square; frame the region around it instead (as its labels are)
        center, zoom = (float(np.mean(lat)), float(np.mean(lon))), CLOSE_ZOOM
    if center is not None:
        fine = (zoom or 0) >= 2
    else:
        fine = span < 40
    return geo_layout(
        fig, fit=center is None and fits(lat, lon), center=center, zoom=zoom, resolution=50 if fine else 110
    )


def stack_trace(pts: pd.DataFrame) -> go.Scattergeo | None:
    """The number of events at each point holding more than one (a stack):
    written on the point; a click there lists them all."""
    key = pd.DataFrame({"lat": pts["lat"].round(4), "lon": pts["lon"].round(4)})
    n = key.groupby(["lat", "lon"]).size()
    n = n[n > 1]
    if n.empty:
        return None
    lat = n.index.get_level_values(0).to_numpy(dtype=float)
    lon = n.index.get_level_values(1).to_numpy(dtype=float)
    return go.Scattergeo(
        lat=lat,
        lon=lon,
        text=[str(int(v)) for v in n.to_numpy()],
        mode="text",
        textfont={"size": 10, "color": "#111111", "shadow": "0 0 2px #ffffff"},
        hovertext=[f"{int(v)} events at this point: click to list them" for v in n.to_numpy()],
        hoverinfo="text",
        showlegend=False,
        name="stacks",
    )


SIZE_KEY = (1, 10, 100)  # fatalities shown in the size key


def size_key(fig: go.Figure) -> go.Figure:
    """The size key drawn in the map's lower right corner: circles of the
    diameters 1, 10 and 100 fatalities get (pixel-sized shapes, so they match
    the markers at any zoom), each with its number."""
    x = -312.0
    for f in SIZE_KEY:
        d = float(fatality_size(np.array([f]))[0])
        fig.add_shape(
            type="circle",
            xref="paper",
            yref="paper",
            xsizemode="pixel",
            ysizemode="pixel",
            xanchor=1,
            yanchor=0,
            x0=x,
            x1=x + d,
            y0=6,
            y1=6 + d,
            fillcolor="rgba(120,120,120,0.45)",
            line={"color": "white", "width": 0.5},
        )
        text = f"{f} fatalit{'y' if f == 1 else 'ies'}"
        fig.add_annotation(
            x=1,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="middle",
            xshift=x + d + 3,
            yshift=6 + d / 2,
            text=text,
            showarrow=False,
            font={"size": 10},
            bgcolor="rgba(255,255,255,0.6)",
        )
        x += d + 3 + 6.0 * len(text) + 8
    return fig


def legends(fig: go.Figure) -> go.Figure:
    """The colours' legend under the map, in rows, clear of the modebar (top right)."""
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "y": -0.01,
            "xanchor": "left",
            "yanchor": "top",
            "itemsizing": "constant",
            "font": {"size": 11},
        },
    )
    return fig


def highlight_trace(row: pd.Series, kind: str) -> go.Scattergeo | go.Scattermap:
    """A ring round the open event."""
    cls = go.Scattergeo if kind == "geo" else go.Scattermap
    marker = {"size": 26, "color": "rgba(0,0,0,0)", "line": {"width": 3, "color": "#111111"}}
    if kind != "geo":
        marker = {"size": 24, "color": "rgba(17,17,17,0.35)"}
    return cls(
        lat=[float(row["lat"])],
        lon=[float(row["lon"])],
        mode="markers",
        marker=marker,
        name="open event",
        hoverinfo="skip",
        showlegend=False,
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
    opened: pd.Series | None = None,
) -> go.Figure:
    """Events with coordinates, one trace per event type (or per main actor,
    the most frequent ones, the rest together), sized by fatalities or by the
    number of events at the same point; events placed only at region or
    country level drawn open and fainter; points holding several events
    show their number; the open event ringed."""
    fig = go.Figure()
    pts = located(df)
    counts = pts.groupby([pts["lat"].round(4), pts["lon"].round(4)])["event_id"].transform("size")
    if color_by == "actor":
        actor = main_actor(pts)
        top = list(actor.value_counts().index[:MAX_ACTOR_TRACES])
        groups = [(a, actor == a, actor_colour(a)) for a in sorted(top)]
        rest = ~actor.isin(top)
        if rest.any():
            groups.append((OTHER_ACTORS, rest, "#9e9e9e"))
    else:
        etype = type_of(pts)
        groups = [(t, etype == t, TYPE_COLOURS[t]) for t in TYPES_DRAWN]
    for name, sel, colour in groups:
        part = pts[sel.to_numpy(dtype=bool)]
        if part.empty:
            continue
        prec = part["geo_precision"].astype(object).fillna("exact").to_numpy()
        style = [PRECISION_STYLE.get(p, PRECISION_STYLE["exact"]) for p in prec]
        marker = {
            "size": sizes(part, size_by, counts),
            "color": colour,
            "opacity": [o for _, o in style],
        }
        n_here = counts.loc[part.index].to_numpy()
        texts = hover(part)
        common = {
            "lat": part["lat"].to_numpy(dtype=float),
            "lon": part["lon"].to_numpy(dtype=float),
            "mode": "markers",
            "name": inert(name, 40),
            "hovertext": [
                t + (f"<br>{n} events at this point: click to list them" if n > 1 else "")
                for t, n in zip(texts, n_here, strict=True)
            ],
            "hoverinfo": "text",
            "customdata": part["event_id"].astype(str).tolist(),
        }
        if kind == "tiles":
            fig.add_trace(go.Scattermap(marker=marker, **common))
        else:
            marker["symbol"] = [s for s, _ in style]
            marker["line"] = {"width": 0.5, "color": "white"}
            fig.add_trace(go.Scattergeo(marker=marker, **common))
    if kind == "geo" and len(pts):
        stacks = stack_trace(pts)
        if stacks is not None:
            fig.add_trace(stacks)
    if opened is not None and pd.notna(opened.get("lat")) and pd.notna(opened.get("lon")):
        fig.add_trace(highlight_trace(opened, kind))
    if area:
        fig.add_trace(area_trace(area, kind))
    if size_by == "fatalities" and len(pts):
        size_key(fig)
    fig.update_layout(clickmode="event")
    fig = frame_figure(
        fig,
        pts["lat"].to_numpy(dtype=float),
        pts["lon"].to_numpy(dtype=float),
        kind=kind,
        center=center,
        zoom=zoom,
        tiles_style=tiles_style,
    )
    return legends(fig)
