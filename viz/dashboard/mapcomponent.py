"""The events map as a Streamlit component of our own (components v2); the
timeline and the other pages' maps are drawn by it too, so the page loads one
plotly.js (and not Streamlit's own copy as well).

``st.plotly_chart`` cannot tell Python where the user zoomed or panned
(streamlit#8655), and it redraws the map at the figure's own frame on every
rerun.  This component draws the same Plotly figure with the plotly.js of
the plotly package, served by the app (``static/plotly.min.js``, copied there
by :func:`ensure_plotly_js`, never from a CDN), through ``Plotly.react`` with a
constant ``layout.uirevision``: a rerun with new data keeps the user's frame.
It sends back (``mapcomponent.js``):

* state ``view``: ``{lat, lon, zoom}`` where the user left the map, debounced;
  the app writes it into the view and the link, and a link's frame opens the map;
* trigger ``select``: ``{points: [[lon, lat], ...]}`` that a box or lasso caught;
* trigger ``click``: ``{lon, lat, id, location, trace}`` of a point, a cell or a
  country clicked;
* trigger ``pick``: ``{lon, lat}`` where a click fell on the globe (with
  ``pick=True``: the review page places a name by a click);
* trigger ``brush``: ``{x: [from, to]}``, the range a box selected on a chart
  of time (``chart=True``: the timeline, drawn at its figure's height);
* trigger ``drawn``: ``true`` once a mount has drawn its first figure (asked
  for with ``tell_drawn``: the page then sends what it held back).

In play mode it is also given the events to step through
(:func:`viz.dashboard.animate.play_data`) and plays them in the browser.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

NAME = "viz_events_map"
JS_FILE = Path(__file__).with_name("mapcomponent.js")
STATIC = Path(__file__).resolve().parents[2] / "static"
PLOTLY_JS = STATIC / "plotly.min.js"
PARTIAL_JS = STATIC / "plotly-viz.min.js"  # built by `make` from BUNDLE_DIR, not committed
BUNDLE_DIR = Path(__file__).resolve().parents[2] / "js" / "plotly-bundle"
CSS = """
.viz-map { width: 100%; }
.viz-play { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; padding: .25rem 0; font-size: .85rem; }
.viz-play[hidden] { display: none; }
.viz-play-slider { flex: 1 1 12rem; min-width: 8rem; }
.viz-play-btn, .viz-play-speed { font: inherit; padding: .15rem .5rem; }
"""
_renderer: Any = None


def plotly_js_source() -> Path:
    """The plotly.js bundled in the installed plotly wheel."""
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_js_version() -> str:
    """The version of the plotly.js the plotly wheel carries."""
    from plotly.offline import get_plotlyjs_version

    return str(get_plotlyjs_version())


@functools.lru_cache(maxsize=1)
def _pinned_version() -> str | None:
    try:
        return str(
            json.loads((BUNDLE_DIR / "package.json").read_text(encoding="utf-8"))["devDependencies"]["plotly.js"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def bundle() -> str:
    """Which plotly.js the browser loads first: ``"partial"``, the dashboard's
    own build of the traces it draws offline (``make`` builds it from
    ``js/plotly-bundle``), when it is there and pinned to the plotly.js the
    wheel carries (figures and plotly.js must agree); else ``"full"``, the
    wheel's.  A figure with another trace is drawn by the full one either way."""
    return "partial" if PARTIAL_JS.exists() and _pinned_version() == plotly_js_version() else "full"


def ensure_plotly_js(dest: Path = PLOTLY_JS) -> Path:
    """Put the plotly wheel's plotly.js where the app serves it (``make`` does
    this too; the file is not committed).  Copied again when the installed
    plotly changes."""
    src = plotly_js_source()
    if not dest.exists() or dest.stat().st_size != src.stat().st_size:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    return dest


def renderer() -> Any:
    """The component's mount command, registered once per process."""
    global _renderer
    if _renderer is None:
        import streamlit as st

        ensure_plotly_js()
        _renderer = st.components.v2.component(
            NAME, js=JS_FILE.read_text(encoding="utf-8"), css=CSS, isolate_styles=False
        )
    return _renderer


def frame_of(state: Any) -> tuple[tuple[float, float], float] | None:
    """The centre and zoom of the ``view`` state the component sent, checked
    (anything else, or numbers off the globe, is None)."""
    if not isinstance(state, dict):
        return None
    try:
        lat, lon, zoom = (float(state[k]) for k in ("lat", "lon", "zoom"))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)) or not -90 <= lat <= 90:
        return None
    lon = (lon + 180) % 360 - 180  # a pan round the world comes back as lon 200
    return (round(lat, 4), round(lon, 4)), round(min(max(zoom, 0.0), 12.0), 3)


def show(
    fig: go.Figure,
    *,
    key: str,
    revision: str,
    config: dict[str, Any],
    height: int = 620,
    play: dict[str, Any] | None = None,
    pick: bool = False,
    chart: bool = False,
    on_view: Callable[[], None] | None = None,
    on_select: Callable[[], None] | None = None,
    on_click: Callable[[], None] | None = None,
    on_pick: Callable[[], None] | None = None,
    on_brush: Callable[[], None] | None = None,
    on_drawn: Callable[[], None] | None = None,
    tell_drawn: bool = False,
    args: tuple[Any, ...] = (),
) -> Any:
    """Mount the map (as high as the width asks, up to ``height`` px).  ``revision`` changes only when the map must take the
    figure's own frame again (a reset, another basemap); otherwise the user's
    frame is kept across reruns.  With ``tell_drawn``, ``on_drawn`` is
    called (in a rerun) once the browser has drawn this mount's first figure;
    give a mount the same callbacks on every run (another set mounts it anew)."""
    data: dict[str, Any] = {
        "figure": fig.to_json(),
        "revision": revision,
        "config": config,
        "height": height,
        "bundle": bundle(),
    }
    if play is not None:
        data["play"] = play
    if pick:
        data["pick"] = True
    if chart:  # a chart of its own height (the timeline), not a map
        data["kind"] = "chart"
    if tell_drawn:
        data["tell_drawn"] = True
    if args:  # the callbacks' arguments
        on_view, on_select, on_click, on_pick, on_brush = (
            (lambda f=f: f(*args)) if f is not None else None for f in (on_view, on_select, on_click, on_pick, on_brush)
        )
    return renderer()(
        key=key,
        data=data,
        on_view_change=on_view or _ignore,
        on_select_change=on_select or _ignore,
        on_click_change=on_click or _ignore,
        on_pick_change=on_pick or _ignore,
        on_brush_change=on_brush or _ignore,
        on_drawn_change=on_drawn or _ignore,
    )


PRELOAD_KEY = "plotly_preload"
PRELOAD_CSS = f".st-key-{PRELOAD_KEY} {{ display: none; }}"


def preload(*, full: bool = False) -> None:
    """Mount an invisible instance first (the app: at the top of the sidebar,
    which the browser builds before the main area), so the browser fetches
    and evaluates plotly.js while the script still builds the sidebar and the
    figures (the maps and the timeline then find it loaded); ``full`` when
    the page will draw traces of the full build only (the tile basemap).
    Hidden by :data:`PRELOAD_CSS`."""
    renderer()(key=PRELOAD_KEY, data={"preload": True, "bundle": "full" if full else bundle()})


def lonlat_of(value: Any) -> tuple[float, float] | None:
    """The (lon, lat) of a ``pick`` or ``click`` trigger, checked."""
    if not isinstance(value, dict):
        return None
    try:
        lon, lat = float(value["lon"]), float(value["lat"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


def _ignore() -> None:
    return None


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=6).hexdigest()
