"""The map's area filter: what a box or lasso on the map selected, as a polygon.

Plotly reports a box or lasso on a geo map to Streamlit as the points it
caught (with their lon/lat), not as the drawn shape.  The area kept in the
view is the convex hull of those points, widened by a small margin
(``PAD`` degrees) so points on its edge stay inside: for a box this is the
box's content; for a lasso around a concave shape it also takes in what lies
in the hollows.  It is a plain list of lon/lat vertices (kepler.gl's
``polygon`` filter), so it fits in a link (``area=lon lat,lon lat,...``),
survives reruns and applies to any data.  Polygons are taken on the plane of
lon/lat; an area across the antimeridian is not supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

PAD = 0.02  # degrees (~2 km): points on the hull's edge stay inside
MAX_VERTICES = 64

Polygon = tuple[tuple[float, float], ...]  # (lon, lat) vertices, not closed


def selection_points(selection: Any) -> list[dict]:
    """The points of the value ``st.plotly_chart(..., on_select=...)`` keeps
    (a dict, or the attribute-style object Streamlit returns), or []."""
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        try:
            points = selection.selection.points
        except AttributeError:
            return []
    return list(points or [])


def selected_points(selection: Any) -> list[tuple[float, float]]:
    """The (lon, lat) of the points a map selection caught: the map
    component's ``select`` trigger (``{"points": [[lon, lat], ...]}``), or
    the value ``st.plotly_chart`` keeps."""
    if isinstance(selection, dict) and isinstance(selection.get("points"), list):
        pairs = [p for p in selection["points"] if isinstance(p, list | tuple) and len(p) == 2]
        return [
            (float(x), float(y))
            for x, y in pairs
            if isinstance(x, int | float) and isinstance(y, int | float) and -180 <= x <= 180 and -90 <= y <= 90
        ]
    out = []
    for p in selection_points(selection):
        lon, lat = p.get("lon"), p.get("lat")
        if isinstance(lon, int | float) and isinstance(lat, int | float):
            out.append((float(lon), float(lat)))
    return out


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (Andrew's monotone chain), counter-clockwise, no repeat."""
    pts = np.unique(points, axis=0)
    if len(pts) <= 2:
        return pts

    def cross(o: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
        return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))

    lower: list[np.ndarray] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[np.ndarray] = []
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def from_points(points: Sequence[tuple[float, float]], pad: float = PAD) -> Polygon | None:
    """The area around selected points: their hull, widened by ``pad``
    (a single point or a line becomes a small box or band)."""
    if not points:
        return None
    arr = np.asarray(points, dtype=float)
    # Widen every point into a small square, then take the hull: a padded hull
    # for any number of points, including one or two.
    offsets = np.array([[-pad, -pad], [pad, -pad], [pad, pad], [-pad, pad]])
    grown = (arr[:, None, :] + offsets[None, :, :]).reshape(-1, 2)
    grown[:, 0] = grown[:, 0].clip(-180, 180)
    grown[:, 1] = grown[:, 1].clip(-90, 90)
    hull = _hull(np.round(grown, 4))
    if len(hull) > MAX_VERTICES:  # keep links short: the bounding box of a very detailed hull
        lo, hi = hull.min(axis=0), hull.max(axis=0)
        hull = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
    return tuple((float(x), float(y)) for x, y in hull)


def contains(polygon: Polygon, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points lie inside ``polygon`` (even-odd rule, vectorised);
    missing coordinates are outside."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    inside = np.zeros(len(lon), dtype=bool)
    if len(polygon) < 3:
        return inside
    poly = np.asarray(polygon, dtype=float)
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    cand = np.flatnonzero((lon >= lo[0]) & (lon <= hi[0]) & (lat >= lo[1]) & (lat <= hi[1]))
    if not len(cand):
        return inside
    x, y = lon[cand], lat[cand]
    res = np.zeros(len(cand), dtype=bool)
    xj, yj = poly[-1]
    for xi, yi in poly:
        crosses = (yi > y) != (yj > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = (xj - xi) * (y - yi) / (yj - yi) + xi
        res ^= crosses & (x < at)
        xj, yj = xi, yi
    inside[cand] = res
    return inside


def encode(polygon: Polygon) -> str:
    return ",".join(f"{_num(x)} {_num(y)}" for x, y in polygon)


def decode(text: str) -> Polygon:
    """Vertices from ``lon lat,lon lat,...``; raises ValueError when malformed."""
    out = []
    for part in text.split(","):
        bits = part.split()
        if len(bits) != 2:
            raise ValueError(f"not a 'lon lat' pair: {part!r}")
        x, y = float(bits[0]), float(bits[1])
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            raise ValueError(f"not a point on the globe: {part!r}")
        out.append((x, y))
    if not 3 <= len(out) <= MAX_VERTICES:
        raise ValueError(f"an area needs 3 to {MAX_VERTICES} vertices, not {len(out)}")
    return tuple(out)


def _num(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")
