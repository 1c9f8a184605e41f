"""The map and the timeline as one standalone HTML file that opens with no server.

Plotly.js is inlined, and so is the world outline (the one the map's frame
needs): plotly.js looks for its
TopoJSON in ``window.PlotlyGeoAssets`` before fetching it, so setting that
before the library loads makes the file draw its basemap with no network.
Everything the user's data contributes goes in as JSON inside ``<script>``
with ``<``, ``>`` and ``&`` escaped, and as text in the page, escaped: an
event note cannot break out into markup.
"""

from __future__ import annotations

import html
from functools import lru_cache

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from viz.dashboard.basemap import STATIC_DIR


def _script_safe(text: str) -> str:
    """JSON text made safe inside a <script> element: ``<``, ``>`` and ``&``
    (which JSON holds only inside strings) and the two JavaScript line
    separators become escapes, the same characters to a JSON reader."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@lru_cache(maxsize=2)
def _topojson(name: str) -> str:
    return (STATIC_DIR / f"{name}.json").read_text(encoding="utf-8")


def _fig_json(fig: go.Figure) -> str:
    return _script_safe(fig.to_json())  # plotly's encoder handles NumPy arrays and dates


def standalone_html(map_fig: go.Figure, timeline_fig: go.Figure, *, title: str, caption: str = "") -> str:
    """One HTML document holding both figures, plotly.js and the basemap:
    the finer outline (1.1 MB) where the map shows a region, the coarse one
    (0.14 MB) for a wide frame, as the app chooses."""
    map_fig = go.Figure(map_fig)
    resolution = 50 if map_fig.layout.geo is not None and map_fig.layout.geo.resolution == 50 else 110
    if map_fig.layout.geo is not None:
        map_fig.update_geos(resolution=resolution)
    topo = f"world_{resolution}m"
    animated = bool(map_fig.frames)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;margin:1em 2em}} .chart{{width:100%}}</style>
<script>window.PlotlyGeoAssets = {{topojson: {{"{topo}": {_topojson(topo)}}}}};</script>
<script>{get_plotlyjs()}</script>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(caption)}</p>
<div id="map" class="chart"></div>
<div id="timeline" class="chart"></div>
<script>
(function () {{
  var config = {{displaylogo: false, responsive: true}};
  var m = {_fig_json(map_fig)};
  var t = {_fig_json(timeline_fig)};
  Plotly.newPlot("map", m.data, m.layout, config).then(function (gd) {{
    {"if (m.frames) { Plotly.addFrames(gd, m.frames); }" if animated else ""}
  }});
  Plotly.newPlot("timeline", t.data, t.layout, config);
}})();
</script>
</body>
</html>
"""
