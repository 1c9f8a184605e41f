"""The offline basemap and the map figures drawn on it.

Plotly's geo maps fetch their world outline from a CDN at draw time and draw
nothing without it.  The project ships the same TopoJSON files in
``static/topojson/`` (served by Streamlit's static file serving) and points
Plotly at them, so the map draws with no network.  Figures are built from
plain arrays (no ``plotly.express`` hover frames, which are slow to serialise).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

STATIC_DIR = Path(__file__).resolve().parents[2] / "static" / "topojson"
# Relative to the page, which Streamlit serves at its root: /app/static/...
TOPOJSON_URL = "app/static/topojson/"
FEATURE_COLOURS = {
    "country": "#7b3294",
    "admin1": "#c2a5cf",
    "admin2": "#d8c3e0",
    "city": "#008837",
    "continent": "#a6dba0",
    "region": "#a6dba0",
    "online": "#e66101",
}


# Candidates spread less than this many degrees share one place's frame (the
# region around it, about 70 degrees of longitude across)
REGION_SPAN = 40.0


def place_label(raw: dict[str, Any]) -> str:
    """A result's name with its country code: "Idlib (SY)"; a world region
    or continent has no country: "Latin America and the Caribbean"."""
    return f"{raw['name']} ({raw['country_code']})" if raw.get("country_code") else str(raw["name"])


def plot_config(**extra: Any) -> dict[str, Any]:
    """The ``config`` for ``st.plotly_chart``: the local basemap, no logo."""
    return {"topojsonURL": TOPOJSON_URL, "displaylogo": False, **extra}


def basemap_files() -> list[Path]:
    return sorted(STATIC_DIR.glob("world_*m.json"))


def geo_layout(
    fig: go.Figure,
    *,
    fit: bool = False,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    resolution: int = 50,
) -> go.Figure:
    """The basemap's look, framed on the figure's points (``fit``), on a
    region around ``center`` (at ``zoom``: 0 is the whole world, each step
    doubles the scale), or on the whole world."""
    if not any(t.type in ("scattergeo", "choropleth") for t in fig.data):
        # nothing to draw: an empty layer still makes Plotly draw the basemap, not blank x/y axes
        fig.add_trace(go.Scattergeo(lat=[], lon=[], mode="markers", hoverinfo="skip", showlegend=False, name=""))
    frame: dict[str, Any] = {"fitbounds": False}
    if center is not None:
        scale = 2**zoom if zoom is not None else 5
        frame = {"fitbounds": False, "center": {"lat": center[0], "lon": center[1]}, "projection_scale": scale}
    elif fit:
        frame = {"fitbounds": "locations"}
    fig.update_geos(
        projection_type="natural earth",
        resolution=resolution,
        showcountries=True,
        countrycolor="#9a9a9a",
        showland=True,
        landcolor="#f2efe9",
        showocean=True,
        oceancolor="#dde8f0",
        showlakes=False,
        showframe=False,
        **frame,
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=480, showlegend=True)
    return fig


def tiles_layout(
    fig: go.Figure,
    *,
    style: str,
    lat: Sequence[float] = (),
    lon: Sequence[float] = (),
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> go.Figure:
    """The opt-in online basemap (MapLibre tiles; they come from the internet),
    framed on ``center``/``zoom`` or on the points given."""
    if center is None:
        if len(lat):
            la0, la1, lo0, lo1 = min(lat), max(lat), min(lon), max(lon)
            center = ((la0 + la1) / 2, (lo0 + lo1) / 2)
            span = max(la1 - la0, (lo1 - lo0) / 2, 0.05)
            zoom = max(0.0, min(12.0, math.log2(180 / span)))
        else:
            center, zoom = (20.0, 20.0), 1.0
    fig.update_layout(
        map={"style": style, "center": {"lat": center[0], "lon": center[1]}, "zoom": zoom if zoom is not None else 4},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=480,
    )
    return fig


def places_figure(rows: Sequence[dict[str, Any]], *, picked: tuple[float, float] | None = None) -> go.Figure:
    """Candidates of a geocoding query on the offline map, one trace a kind of
    feature, the best first and largest; ``picked`` (lat, lon), a point the
    user chose, as a cross."""
    fig = go.Figure()
    if picked is not None:
        fig.add_trace(
            go.Scattergeo(
                lat=[picked[0]],
                lon=[picked[1]],
                mode="markers",
                name="your point",
                marker={"symbol": "x", "size": 14, "color": "#111111", "line": {"width": 2, "color": "white"}},
                hovertext=[f"your point: {picked[0]:.5f}, {picked[1]:.5f}"],
                hoverinfo="text",
            )
        )
    by_feature: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for rank, r in enumerate(rows):
        by_feature.setdefault(r["feature"], []).append((rank, r))
    for feature, items in by_feature.items():
        fig.add_trace(
            go.Scattergeo(
                lat=[r["lat"] for _, r in items],
                lon=[r["lon"] for _, r in items],
                mode="markers",
                name=feature,
                marker={
                    "size": [22 if rank == 0 else 11 for rank, _ in items],
                    "color": FEATURE_COLOURS.get(feature, "#444444"),
                    "line": {"width": 1, "color": "white"},
                },
                # Plain text, never HTML: Plotly renders hovertext as text when
                # it holds no tags, and we strip angle brackets to be sure.
                hovertext=[inert(f"{rank + 1}. {place_label(r)} score {r['score']}") for rank, r in items],
                hoverinfo="text",
                customdata=[rank for rank, _ in items],
            )
        )
    if not rows and picked is None:
        return geo_layout(fig)
    lats = [r["lat"] for r in rows] + ([picked[0]] if picked else [])
    lons = [r["lon"] for r in rows] + ([picked[1]] if picked else [])
    if max(max(lats) - min(lats), max(lons) - min(lons)) <= REGION_SPAN:
        # One place, or candidates close together (a town and its province):
        # framed with their region around them, not zoomed onto a blank
        # square of land between two points a few kilometres apart.
        centre = ((max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2)
        return geo_layout(fig, center=centre)
    return geo_layout(fig, fit=True)


def inert(text: object, limit: int = 160) -> str:
    """Untrusted text made safe for Plotly's hover labels (which read a
    little HTML): no angle brackets, no ampersand entities, bounded length."""
    s = "" if text is None or text is pd.NA or (isinstance(text, float) and text != text) else str(text)
    s = s.replace("&", "＆").replace("<", "‹").replace(">", "›")
    return s if len(s) <= limit else s[: limit - 1] + "…"
