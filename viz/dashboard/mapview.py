"""Which map to draw for a view: the mode asked for, unless the data are too
many points for the browser, and the note that says what is shown.

Pure: the app passes the events that pass every filter but the map's own
area, and the view (its map mode, colour, size, play window, basemap,
centre and zoom); it gets the figure, the mode drawn and,
for grids, the cell size (a click or box on a cell selects the whole cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.aggregate import choropleth_figure, grid_figure
from viz.dashboard.animate import play_figure
from viz.dashboard.area import Polygon
from viz.dashboard.figures import PRECISION_NOTE, events_map, located
from viz.dashboard.viewstate import View


@dataclass(frozen=True)
class DrawnMap:
    figure: go.Figure
    mode: str
    note: str
    cell: float = 0.0  # grid cell size in degrees, 0 when not a grid

    @property
    def selectable(self) -> tuple[str, ...]:
        """Selection tools: box and lasso where points or cells can be caught."""
        return ("points", "box", "lasso") if self.mode in ("points", "grid", "density") else ("points",)


def draw(
    events: pd.DataFrame,
    c: View,
    *,
    area: Polygon | None = None,
    points_max: int = 20_000,
    tiles_style: str = "open-street-map",
) -> DrawnMap:
    n = int(located(events).shape[0])
    mode, note = c.mode, ""
    if mode == "points" and n > points_max:
        mode = "grid"
        note = (
            f"{n:,} located events: drawn as a grid of counts (points are drawn up to "
            f"{points_max:,}; narrow the filters to see them). "
        )
    kind = "tiles" if c.basemap == "tiles" and mode in ("points", "grid", "density") else "geo"
    if mode == "points":
        fig = events_map(
            events,
            color_by=c.color,
            size_by=c.size,
            kind=kind,
            area=area,
            center=c.center,
            zoom=c.zoom,
            tiles_style=tiles_style,
        )
        return DrawnMap(fig, mode, PRECISION_NOTE)
    if mode in ("grid", "density"):
        fig, cell = grid_figure(
            events,
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
        fig = choropleth_figure(events, metric=c.size, center=c.center, zoom=c.zoom)
        missing = (fig.layout.meta or {}).get("unmatched_countries")
        what = "fatalities" if c.size == "fatalities" else "events"
        note = f"Countries shaded by {what}; circles: regions named in the data."
        if missing:
            note += f" Not drawn (no shape on the basemap): {', '.join(missing)}."
        return DrawnMap(fig, mode, note)
    fig = play_figure(events, window_days=c.window, center=c.center, zoom=c.zoom)
    return DrawnMap(fig, "play", f"Press ▶ to step a {c.window}-day window through the filtered events.")
