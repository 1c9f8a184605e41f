"""Aggregated maps, for data too large to draw one point per event.

A browser tab handles a Plotly map of some tens of thousands of points; one
trace of a million points crashes it.  Above ``map_points_max`` located
events (a setting) the app draws these instead, whose size depends on the
area covered, not on the number of events:

* ``grid``: square cells (size chosen from the extent, from 0.1 to 5
  degrees, at most ~100 cells across), coloured by events or fatalities;
* ``density``: a finer grid smoothed with a small Gaussian kernel, drawn as
  a heat layer;
* ``choropleth``: countries shaded by events or fatalities (the shapes come
  from the bundled TopoJSON), with regions (first-level, where the data
  name them) as circles at the mean of their events.

Everything is built from NumPy arrays, with plain-text hover.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.area import Polygon
from viz.dashboard.basemap import inert
from viz.dashboard.figures import area_trace, fits, frame_figure, located
from viz.geo.cldr import country_name

CELL_SIZES = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
MAX_CELLS_ACROSS = 100
MAX_REGIONS = 600


def cell_size(lat: np.ndarray, lon: np.ndarray, across: int = MAX_CELLS_ACROSS) -> float:
    """The smallest standard cell that keeps the extent within ``across`` cells."""
    if len(lat) == 0:
        return CELL_SIZES[-1]
    span = max(float(np.nanmax(lat) - np.nanmin(lat)), float(np.nanmax(lon) - np.nanmin(lon)) / 2, 0.0)
    for c in CELL_SIZES:
        if span / c <= across:
            return c
    return CELL_SIZES[-1]


def grid(df: pd.DataFrame, cell: float) -> pd.DataFrame:
    """Located events counted in ``cell``-degree squares: one row a non-empty
    cell with its centre, events and fatalities (a missing figure counts 0)."""
    pts = located(df)
    lat = pts["lat"].to_numpy(dtype=float)
    lon = pts["lon"].to_numpy(dtype=float)
    i = np.floor((lat + 90) / cell).astype(np.int64)
    j = np.floor((lon + 180) / cell).astype(np.int64)
    key = i * 100_000 + j
    uniq, inverse, events = np.unique(key, return_inverse=True, return_counts=True)
    fat = np.bincount(inverse, weights=pts["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float))
    ui, uj = uniq // 100_000, uniq % 100_000
    return pd.DataFrame(
        {
            "lat": -90 + (ui + 0.5) * cell,
            "lon": -180 + (uj + 0.5) * cell,
            "events": events,
            "fatalities": fat.astype(np.int64),
        }
    )


def smooth(cells: pd.DataFrame, cell: float, value: str, sigma_cells: float = 1.0) -> pd.DataFrame:
    """Cells spread with a Gaussian kernel (radius 2 cells): a density surface
    over the cells near the events."""
    if cells.empty:
        return cells.assign(density=[])
    i = np.round((cells["lat"].to_numpy() + 90) / cell - 0.5).astype(np.int64)
    j = np.round((cells["lon"].to_numpy() + 180) / cell - 0.5).astype(np.int64)
    v = cells[value].to_numpy(dtype=float)
    r = 2
    offs = [(di, dj) for di in range(-r, r + 1) for dj in range(-r, r + 1)]
    w = np.array([math.exp(-(di * di + dj * dj) / (2 * sigma_cells**2)) for di, dj in offs])
    w /= w.sum()
    ii = (i[:, None] + np.array([o[0] for o in offs])[None, :]).ravel()
    jj = (j[:, None] + np.array([o[1] for o in offs])[None, :]).ravel()
    vv = (v[:, None] * w[None, :]).ravel()
    key = ii * 100_000 + jj
    uniq, inverse = np.unique(key, return_inverse=True)
    dens = np.bincount(inverse, weights=vv)
    ui, uj = uniq // 100_000, uniq % 100_000
    out = pd.DataFrame({"lat": -90 + (ui + 0.5) * cell, "lon": -180 + (uj + 0.5) * cell, "density": dens})
    out = out[(out["lat"].abs() < 90) & (out["density"] > dens.max() * 0.01)]
    return out.reset_index(drop=True)


def _marker_px(cell: float, lat: np.ndarray, lon: np.ndarray) -> float:
    """A square marker about the size of a cell on a map framed on the data."""
    span = max(float(np.ptp(lat)) if len(lat) else 0.0, float(np.ptp(lon)) / 2 if len(lon) else 0.0, cell)
    return float(np.clip(480 * cell / (span * 1.3), 4, 30))


def grid_cell(lat: np.ndarray, lon: np.ndarray, *, density: bool = False) -> float:
    """The cell of the grid (finer for the density surface) over these points."""
    return cell_size(lat, lon, across=MAX_CELLS_ACROSS * (2 if density else 1))


def cells_figure(
    cells: pd.DataFrame,
    cell: float,
    lat_all: np.ndarray,
    lon_all: np.ndarray,
    *,
    metric: str = "count",
    density: bool = False,
    kind: str = "geo",
    area: Polygon | None = None,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    tiles_style: str = "open-street-map",
) -> go.Figure:
    """The grid (or density) map from its cells (:func:`grid`, or the same
    counted by the engine); ``lat_all``/``lon_all``: the points' extent, for
    framing and marker size."""
    value = "fatalities" if metric == "fatalities" else "events"
    fig = go.Figure()
    if density:
        shown = smooth(cells, cell, value)
        z = shown["density"].to_numpy()
        text = [f"density of {value}: {x:.2f} per cell" for x in z]
        colorscale, opacity = "YlOrRd", 0.55
    else:
        shown = cells[cells[value] > 0] if value == "fatalities" else cells
        z = shown[value].to_numpy(dtype=float)
        text = [
            f"{e} events, {f} fatalities<br>cell {cell}° at {la:.2f}, {lo:.2f}"
            for e, f, la, lo in zip(shown["events"], shown["fatalities"], shown["lat"], shown["lon"], strict=True)
        ]
        colorscale, opacity = "Viridis", 0.8
    colour = np.log10(1 + z) if len(z) else z
    tickvals = [v for v in (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000) if len(z) and v <= max(z.max(), 1)]
    marker = {
        "size": _marker_px(cell, lat_all, lon_all),
        "color": colour,
        "colorscale": colorscale,
        "opacity": opacity,
        "colorbar": {
            "title": {"text": value if not density else "density"},
            "tickvals": [math.log10(1 + v) for v in tickvals],
            "ticktext": [f"{v:,}" for v in tickvals],
            "thickness": 12,
        },
    }
    common = {
        "lat": shown["lat"].to_numpy(dtype=float),
        "lon": shown["lon"].to_numpy(dtype=float),
        "mode": "markers",
        "name": "density" if density else f"{cell}° cells",
        "hovertext": text,
        "hoverinfo": "text",
    }
    if kind == "tiles":
        fig.add_trace(go.Scattermap(marker=marker, **common))
    else:
        marker["symbol"] = "square"
        fig.add_trace(go.Scattergeo(marker=marker, **common))
    if area:
        fig.add_trace(area_trace(area, kind))
    fig.update_layout(showlegend=False, clickmode="event")
    return frame_figure(fig, lat_all, lon_all, kind=kind, center=center, zoom=zoom, tiles_style=tiles_style)


def iso3(codes: pd.Series) -> pd.Series:
    import pycountry

    table = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    table["XK"] = "XKX"  # Kosovo: user-assigned, as the bundled TopoJSON names it
    return codes.map(table)


def by_country(df: pd.DataFrame) -> pd.DataFrame:
    d = df[df["country_code"].notna() & (df["country_code"] != "")]
    out = (
        d.groupby("country_code", observed=True)
        .agg(events=("event_id", "size"), fatalities=("fatalities", "sum"))
        .reset_index()
    )
    out["fatalities"] = out["fatalities"].fillna(0).astype("int64")
    out["iso3"] = iso3(out["country_code"])
    return out


def by_region(df: pd.DataFrame) -> pd.DataFrame:
    pts = located(df)
    d = pts[pts["admin1"].notna() & (pts["admin1"] != "")]
    out = (
        d.groupby(["country_code", "admin1"], observed=True)
        .agg(
            events=("event_id", "size"),
            fatalities=("fatalities", "sum"),
            lat=("lat", "mean"),
            lon=("lon", "mean"),
        )
        .reset_index()
    )
    out["fatalities"] = out["fatalities"].fillna(0).astype("int64")
    return out


def choropleth_figure(
    df: pd.DataFrame,
    *,
    metric: str = "count",
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> go.Figure:
    """Countries shaded by events (or fatalities); regions named in the data
    as circles sized the same way.  On the offline basemap only (the shapes
    are the bundled TopoJSON's)."""
    pts = located(df)
    return countries_figure(
        by_country(df),
        by_region(df),
        pts["lat"].to_numpy(dtype=float),
        pts["lon"].to_numpy(dtype=float),
        metric=metric,
        center=center,
        zoom=zoom,
    )


def countries_figure(
    countries: pd.DataFrame,
    regions: pd.DataFrame,
    lat_all: np.ndarray,
    lon_all: np.ndarray,
    *,
    metric: str = "count",
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> go.Figure:
    """The choropleth from its counts (:func:`by_country`, :func:`by_region`,
    or the same counted by the engine) and the located points' extent."""
    value = "fatalities" if metric == "fatalities" else "events"

    unmatched = countries[countries["iso3"].isna()]
    countries = countries[countries["iso3"].notna()]
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=countries["iso3"].tolist(),
            z=countries[value].to_numpy(dtype=float),
            locationmode="ISO-3",
            colorscale="Reds",
            marker={"line": {"color": "white", "width": 0.5}},
            colorbar={
                "title": {"text": value, "side": "right"},
                "thickness": 12,
                "len": 0.6,
                "x": 1,
                "xanchor": "right",
            },
            hovertext=[
                f"{inert(country_name(cc))}: {e} events, {f} fatalities; click to filter to it"
                for cc, e, f in zip(
                    countries["country_code"], countries["events"], countries["fatalities"], strict=True
                )
            ],
            customdata=countries["country_code"].astype(str).tolist(),
            hoverinfo="text",
            name="countries",
        )
    )
    if 0 < len(regions) <= MAX_REGIONS:
        v = regions[value].to_numpy(dtype=float)
        fig.add_trace(
            go.Scattergeo(
                lat=regions["lat"].to_numpy(dtype=float),
                lon=regions["lon"].to_numpy(dtype=float),
                mode="markers",
                name="regions",
                marker={
                    "size": (4 + 4 * np.sqrt(v / max(v.max(), 1)) * 6).clip(4, 28),
                    "color": "rgba(40,40,40,0.35)",
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=[
                    f"{inert(a)}, {inert(country_name(cc))}: {e} events, {f} fatalities"
                    for a, cc, e, f in zip(
                        regions["admin1"],
                        regions["country_code"],
                        regions["events"],
                        regions["fatalities"],
                        strict=True,
                    )
                ],
                customdata=regions["country_code"].astype(str).tolist(),  # a click filters to its country
                hoverinfo="text",
            )
        )
    fig.update_layout(showlegend=False)
    fig = frame_figure(fig, lat_all, lon_all, kind="geo", center=center, zoom=zoom, tiles_style="")
    if center is None and len(countries) and fits(lat_all, lon_all):
        fig.update_geos(fitbounds="locations")  # the shapes too, not only the points
    fig.layout.meta = {"unmatched_countries": unmatched["country_code"].tolist()}
    return fig
