"""Region outlines from the basemap's TopoJSON, at build time: where a
first-level region's outline is known, it is placed at its centroid."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from viz.geo.features import OUTLINES_FILE
from viz.geo.sources import Place


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """A TopoJSON topology's arcs as (lon, lat) points."""
    scale, shift = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # quantised and delta-encoded
            x, y = x + dx, y + dy
            pts.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
        arcs.append(pts)
    return arcs


def _rings(arcs: list[list[tuple[float, float]]], geometry: dict) -> list[list[tuple[float, float]]]:
    """The rings (lon, lat) of a TopoJSON polygon or multipolygon."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for polygon in polygons:
        for ring in polygon:
            pts: list[tuple[float, float]] = []
            for i in ring:
                part = arcs[i] if i >= 0 else arcs[~i][::-1]
                pts.extend(part if not pts else part[1:])
            out.append(pts)
    return out


def _inside(rings: list[list[tuple[float, float]]], lon: Any, lat: Any) -> Any:
    """Which points lie inside the rings (even-odd rule, holes included)."""
    import numpy as np

    inside = np.zeros(len(lon), dtype=bool)
    for ring in rings:
        xy = np.asarray(ring)
        x0, y0 = xy[:-1, 0][:, None], xy[:-1, 1][:, None]
        x1, y1 = xy[1:, 0][:, None], xy[1:, 1][:, None]
        crosses = (y0 > lat[None, :]) != (y1 > lat[None, :])
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x0 + (lat[None, :] - y0) * (x1 - x0) / (y1 - y0)
        inside ^= (crosses & (lon[None, :] < at)).sum(axis=0) % 2 == 1
    return inside


def place_by_outlines(regions: list[Place], members: dict[tuple[str, str], list[Place]]) -> None:
    """Put a first-level region at the centroid of its outline where the
    basemap has one (Natural Earth's states and provinces of the United
    States, Canada, Australia and Brazil, as ``world_50m.json`` carries them
    with their centroid): the centre of the land, where towns only say where
    people live (Ontario's towns crowd its south).  An outline is the region
    most of whose towns lie inside it, and that region's only outline."""
    import numpy as np
    import pycountry

    if not OUTLINES_FILE.exists():
        return
    topo = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    by_key = {(r.cc, r.admin1): r for r in regions}
    codes_of: dict[str, list[str]] = defaultdict(list)  # per country: each town's admin1 code, lon, lat
    lons_of: dict[str, list[float]] = defaultdict(list)
    lats_of: dict[str, list[float]] = defaultdict(list)
    for (c, code), mem in members.items():
        codes_of[c].extend(code for _ in mem)
        lons_of[c].extend(m.lon for m in mem)
        lats_of[c].extend(m.lat for m in mem)
    points = {c: (np.array(lons_of[c]), np.array(lats_of[c])) for c in codes_of}
    claims: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for geometry in topo["objects"]["subunits"]["geometries"]:
        props = geometry.get("properties") or {}
        country = pycountry.countries.get(alpha_3=props.get("gu", ""))
        centroid = props.get("ct")
        if country is None or not centroid or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        cc = country.alpha_2
        if cc not in points:
            continue
        lon, lat = points[cc]
        rings = _rings(arcs, geometry)
        box = np.array([p for ring in rings for p in ring])
        near = np.flatnonzero(
            (lon >= box[:, 0].min()) & (lon <= box[:, 0].max()) & (lat >= box[:, 1].min()) & (lat <= box[:, 1].max())
        )
        inside = near[_inside(rings, lon[near], lat[near])]
        votes = Counter(codes_of[cc][i] for i in inside.tolist())
        if votes:
            code, n = votes.most_common(1)[0]
            if n >= 0.5 * sum(votes.values()):
                claims[(cc, code)].append((float(centroid[1]), float(centroid[0])))
    for key, centroids in claims.items():
        region = by_key.get(key)
        if region is not None and len(centroids) == 1:
            region.lat, region.lon = centroids[0]
