"""Place labels for the map, from the offline gazetteer: country names at
world scale, capitals and then ever smaller towns as the map zooms in.

Which labels a frame gets: the places inside the visible box (from the
frame's centre and zoom, or the data's extent), in order of precedence
(countries, then capitals while the frame is wide; capitals, then countries
once zoomed in to a region; then towns by population, the smallest allowed
shrinking with each zoom step), at most one per cell of a grid laid over the
frame, so labels do not pile on one another.
Drawn as a text trace with a halo, above the points, answering no hover or
click (the events under it still do).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import plotly.graph_objects as go

from viz.geo.cldr import country_name
from viz.geo.features import CITY, COUNTRY
from viz.geo.gazetteer import Gazetteer

GRID = (7, 5)  # cells across and down the frame, one label each at most
MAX_LABELS = 30
COUNTRY_MAX_ZOOM = 4.5  # country names until this zoom
FIRST_TOWN_ZOOM = 1.5  # towns from this zoom
CAPITAL_ZOOM = 2.0  # capitals from this zoom
REGIONAL_ZOOM = 3.0  # from this zoom, capitals are named before countries
# Points closer together than this (degrees) are framed at CLOSE_ZOOM round
# their middle, not fitted (which would zoom onto a blank square); the map's
# framing (viz.dashboard.figures.frame_figure) and its labels share the rule.
CLOSE_SPAN = 1.0
CLOSE_ZOOM = 4.0


def country_min_population(zoom: float) -> int:
    """The smallest country named at ``zoom``: 15M for the whole world, a
    tenth of that per zoom step (small islands only once close)."""
    return int(15_000_000 / 10 ** max(zoom, 0))


def min_population(zoom: float) -> int:
    """The smallest town labelled at ``zoom``: 2M at 1.5, a third less each
    step after, never under 5,000."""
    return max(5_000, int(2_000_000 / 3 ** max(zoom - FIRST_TOWN_ZOOM, 0)))


@dataclass(frozen=True)
class Frame:
    """The visible box, in degrees, and the zoom (0 is the whole world)."""

    lat0: float
    lat1: float
    lon0: float
    lon1: float
    zoom: float

    @classmethod
    def around(cls, center: tuple[float, float], zoom: float) -> Frame:
        """The box a natural-earth map of about 2:1 shows at ``zoom``."""
        half_lon, half_lat = 180 / 2**zoom, 90 / 2**zoom
        lat, lon = center
        return cls(max(lat - half_lat, -90), min(lat + half_lat, 90), lon - half_lon, lon + half_lon, zoom)

    @classmethod
    def fitting(cls, lat: np.ndarray, lon: np.ndarray) -> Frame:
        """The box of a map fitted to these points (the world when they are
        spread round it), with the zoom that shows it."""
        if len(lat) == 0:
            return cls(-90, 90, -180, 180, 0.0)
        la0, la1, lo0, lo1 = float(np.min(lat)), float(np.max(lat)), float(np.min(lon)), float(np.max(lon))
        if max(la1 - la0, (lo1 - lo0) / 2) < CLOSE_SPAN:
            return cls.around((float(np.mean(lat)), float(np.mean(lon))), CLOSE_ZOOM)
        span = max(la1 - la0, (lo1 - lo0) / 2)
        zoom = float(np.clip(np.log2(180 / (span * 1.1)), 0, 12))
        return cls.around(((la0 + la1) / 2, (lo0 + lo1) / 2), zoom)


class Labels:
    """The gazetteer's countries and towns, sorted once by precedence."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.g = gazetteer

    @cached_property
    def _countries(self) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
        feat = np.asarray(self.g.feature)
        i = np.flatnonzero(feat == COUNTRY)
        i = i[np.argsort(-np.asarray(self.g.pop)[i], kind="stable")]
        names = [country_name(self.g.country_code(int(k))) for k in i]
        lat, lon = np.asarray(self.g.lat)[i].astype(float), np.asarray(self.g.lon)[i].astype(float)
        return lat, lon, names, np.asarray(self.g.pop)[i]

    @cached_property
    def _towns(self) -> tuple[np.ndarray, ...]:
        feat = np.asarray(self.g.feature)
        pop = np.asarray(self.g.pop)
        i = np.flatnonzero((feat == CITY) & (pop >= 5_000))
        capital = np.asarray(self.g.capital)[i].astype(bool)
        order = np.lexsort((-pop[i], ~capital))  # capitals first, then by population
        i = i[order]
        return (
            i,
            np.asarray(self.g.lat)[i].astype(float),
            np.asarray(self.g.lon)[i].astype(float),
            pop[i],
            capital[order],
        )

    def pick(self, frame: Frame) -> list[tuple[float, float, str, str]]:
        """(lat, lon, text, kind) of the labels for ``frame``; kind is
        ``country``, ``capital`` or ``town``."""
        cells: set[tuple[int, int]] = set()
        out: list[tuple[float, float, str, str]] = []
        w = max(frame.lon1 - frame.lon0, 1e-6) / GRID[0]
        h = max(frame.lat1 - frame.lat0, 1e-6) / GRID[1]

        def inside(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
            lon = np.where(lon < frame.lon0, lon + 360, np.where(lon > frame.lon1, lon - 360, lon))
            return (lat >= frame.lat0) & (lat <= frame.lat1) & (lon >= frame.lon0) & (lon <= frame.lon1)

        def take(lat: float, lon: float, text: str, kind: str) -> None:
            x = (lon - frame.lon0) % 360 if lon < frame.lon0 else lon - frame.lon0
            cell = (int(x // w), int((lat - frame.lat0) // h))
            if cell in cells or len(out) >= MAX_LABELS:
                return
            cells.add(cell)
            out.append((lat, lon, text, kind))

        idx, lat, lon, pop, capital = self._towns
        seen = inside(lat, lon)
        none = np.zeros(0, dtype=np.int64)
        towns = (
            np.flatnonzero(seen & (pop >= min_population(frame.zoom)) & ~capital)
            if frame.zoom >= FIRST_TOWN_ZOOM
            else none
        )
        capitals = np.flatnonzero(seen & capital) if frame.zoom >= CAPITAL_ZOOM else none

        def countries() -> None:
            if frame.zoom < COUNTRY_MAX_ZOOM:
                clat, clon, names, cpop = self._countries
                for k in np.flatnonzero(inside(clat, clon) & (cpop >= country_min_population(frame.zoom))):
                    take(float(clat[k]), float(clon[k]), names[k], "country")

        if frame.zoom < REGIONAL_ZOOM:
            countries()
        for k in capitals:  # zoomed in to a region, its capitals come before the countries' names
            take(float(lat[k]), float(lon[k]), self.g.names[int(idx[k])], "capital")
        if frame.zoom >= REGIONAL_ZOOM:
            countries()
        for k in towns[: MAX_LABELS * 20]:
            take(float(lat[k]), float(lon[k]), self.g.names[int(idx[k])], "town")
        return out


def label_trace(labels: list[tuple[float, float, str, str]], *, dark: bool = False) -> go.Scattergeo:
    """The labels as text over the map: countries in capitals of grey, towns
    smaller, each with a halo so it reads over points and outlines."""
    ink = "#e8e8e8" if dark else "#3a3a3a"
    text = [t.upper() if kind == "country" else t for _, _, t, kind in labels]
    return go.Scattergeo(
        lat=[a for a, _, _, _ in labels],
        lon=[b for _, b, _, _ in labels],
        text=text,
        mode="text",
        textposition=["middle center" if k == "country" else "top center" for *_, k in labels],
        textfont={
            "size": [10 if k == "country" else 11 for *_, k in labels],
            "color": ink,
            "shadow": "auto",
        },
        hoverinfo="skip",
        showlegend=False,
        name="labels",
        meta={"labels": len(labels)},
    )
