"""Which map to draw for a view: the mode asked for, unless the data are too
many points for the browser, and the note that says what is shown.

Pure: the app passes the events that pass every filter but the map's own
area, and the view (its map mode, colour, size, play window, basemap,
centre and zoom); it gets the figure, the mode drawn and,
for grids, the cell size (a click or box on a cell selects the whole cell).
The events come as a :class:`Source`: a pandas frame (:class:`FrameSource`)
or a query of the engine (:meth:`viz.dashboard.query.Events.source`), which
answers only what the mode drawn needs (the points up to the threshold, the
grid's cells, the countries' counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard import aggregate
from viz.dashboard.aggregate import cells_figure, countries_figure, grid_cell
from viz.dashboard.animate import play_base, play_data, play_figure
from viz.dashboard.area import Polygon
from viz.dashboard.figures import PRECISION_NOTE, events_map, located
from viz.dashboard.labels import Frame, Labels, label_trace
from viz.dashboard.viewstate import View


@dataclass(frozen=True)
class DrawnMap:
    figure: go.Figure
    mode: str
    note: str
    cell: float = 0.0  # grid cell size in degrees, 0 when not a grid
    play: dict | None = None  # the events the map component plays through (play mode)

    @property
    def selectable(self) -> tuple[str, ...]:
        """Selection tools: box and lasso where points or cells can be caught."""
        return ("points", "box", "lasso") if self.mode in ("points", "grid", "density") else ("points",)


PLAY_MAX = 200_000  # located events a play-through steps over; beyond, the grid is drawn


class Source(Protocol):
    """What the map asks of the events it draws."""

    def located_count(self) -> int: ...
    def points(self, limit: int) -> pd.DataFrame: ...
    def extent(self) -> tuple[np.ndarray, np.ndarray]: ...
    def grid(self, cell: float) -> pd.DataFrame: ...
    def by_country(self) -> pd.DataFrame: ...
    def by_region(self) -> pd.DataFrame: ...


class FrameSource:
    """The answers of :class:`Source` from a pandas frame."""

    def __init__(self, events: pd.DataFrame) -> None:
        self.events = events
        self._located = located(events)

    def located_count(self) -> int:
        return len(self._located)

    def points(self, limit: int) -> pd.DataFrame:
        return self._located.iloc[:limit]

    def extent(self) -> tuple[np.ndarray, np.ndarray]:
        return self._located["lat"].to_numpy(dtype=float), self._located["lon"].to_numpy(dtype=float)

    def grid(self, cell: float) -> pd.DataFrame:
        return aggregate.grid(self._located, cell)

    def by_country(self) -> pd.DataFrame:
        return aggregate.by_country(self.events)

    def by_region(self) -> pd.DataFrame:
        return aggregate.by_region(self.events)


def draw(
    events: pd.DataFrame | Source,
    c: View,
    *,
    area: Polygon | None = None,
    points_max: int = 20_000,
    tiles_style: str = "open-street-map",
    labels: Labels | None = None,
    opened: pd.Series | None = None,
) -> DrawnMap:
    """The map for the view ``c``; with ``labels``, place names for its frame
    are drawn over the offline basemap; ``opened`` is ringed."""
    drawn = _draw(events, c, area=area, points_max=points_max, tiles_style=tiles_style, opened=opened)
    fig = drawn.figure
    tiles = c.basemap == "tiles" and drawn.mode in ("points", "grid", "density")
    if labels is not None and not tiles:  # the tiles carry their own labels
        src: Source = FrameSource(events) if isinstance(events, pd.DataFrame) else events
        if c.center is not None:
            frame = Frame.around(c.center, c.zoom or 0.0)
        else:
            lat, lon = src.extent()
            frame = Frame.fitting(lat, lon)
        fig.add_trace(label_trace(labels.pick(frame)))
    return drawn


def _draw(
    events: pd.DataFrame | Source,
    c: View,
    *,
    area: Polygon | None,
    points_max: int,
    tiles_style: str,
    opened: pd.Series | None,
) -> DrawnMap:
    src: Source = FrameSource(events) if isinstance(events, pd.DataFrame) else events
    n = src.located_count()
    mode, note = c.mode, ""
    if mode == "play" and n > PLAY_MAX:
        mode = "grid"
        note = f"{n:,} located events: too many to play through (up to {PLAY_MAX:,}); drawn as a grid. "
    if mode == "points" and n > points_max:
        mode = "grid"
        note = (
            f"{n:,} located events: drawn as a grid of counts (points are drawn up to "
            f"{points_max:,}; narrow the filters to see them). "
        )
    kind = "tiles" if c.basemap == "tiles" and mode in ("points", "grid", "density") else "geo"
    if mode == "points":
        fig = events_map(
            src.points(points_max),
            color_by=c.color,
            size_by=c.size,
            kind=kind,
            area=area,
            center=c.center,
            zoom=c.zoom,
            tiles_style=tiles_style,
            opened=opened,
        )
        return DrawnMap(fig, mode, PRECISION_NOTE)
    if mode in ("grid", "density"):
        lat, lon = src.extent()
        cell = grid_cell(lat, lon, density=mode == "density")
        fig = cells_figure(
            src.grid(cell),
            cell,
            lat,
            lon,
            metric=c.size,
            density=mode == "density",
            kind=kind,
            area=area,
            center=c.center,
            zoom=c.zoom,
            tiles_style=tiles_style,
        )
        return DrawnMap(fig, mode, note + f"{cell}° cells; click a cell or draw a box to select its area.", cell)
    if mode == "choropleth":
        lat, lon = src.extent()
        fig = countries_figure(src.by_country(), src.by_region(), lat, lon, metric=c.size, center=c.center, zoom=c.zoom)
        missing = (fig.layout.meta or {}).get("unmatched_countries")
        what = "fatalities" if c.size == "fatalities" else "events"
        note = f"Countries shaded by {what}; circles: regions named in the data."
        if missing:
            note += f" Not drawn (no shape on the basemap): {', '.join(missing)}."
        return DrawnMap(fig, mode, note)
    pts = src.points(PLAY_MAX)
    fig = play_base(pts, color_by=c.color, center=c.center, zoom=c.zoom)
    data = play_data(pts, window_days=c.window, color_by=c.color)
    if data is None:
        return DrawnMap(fig, "play", "No dated events with coordinates to play through.")
    note = (
        f"Press ▶ to step a {c.window}-day window through the {len(data['ids']):,} located events, "
        f"{data['step']} days a step ({data['frames']:,} frames); the band on the timeline is the window."
    )
    return DrawnMap(fig, "play", note, play=data)


def for_export(drawn: DrawnMap, events: pd.DataFrame | Source, c: View) -> go.Figure:
    """The map for the standalone HTML file: the figure drawn, or, for play
    (which the app's component steps through in the browser), the same
    frames as Plotly animation frames, which play in the file with no server."""
    if drawn.mode != "play" or drawn.play is None:
        return drawn.figure
    src: Source = FrameSource(events) if isinstance(events, pd.DataFrame) else events
    return play_figure(src.points(PLAY_MAX), window_days=c.window, center=c.center, zoom=c.zoom)
