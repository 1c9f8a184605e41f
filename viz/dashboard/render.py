"""Pictures and films of the view, rendered offline.

Plotly's static export (Kaleido 1.x) drives Debian's Chromium (the
``chromium`` setting, ``VIZ_CHROMIUM``, default ``/usr/bin/chromium``;
Kaleido downloads no browser here) with the plotly.js the app serves (``static/plotly.min.js``)
and the bundled outlines (``static/topojson/``, as a ``file://`` folder), so
nothing is fetched.  One Kaleido session renders every frame (two tabs);
``imageio`` encodes them, MP4 through the ffmpeg inside the
``imageio-ffmpeg`` wheel, GIF through Pillow.

A film is the playback of the view (:func:`viz.dashboard.animate.play_data`:
the same frames as the app's ▶, every event in some frame), one picture a
frame, each with its window's dates and the caption that names the dataset,
the filters and the date range (:func:`caption`).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz.dashboard.animate import frame_members, play_base, play_data
from viz.dashboard.basemap import STATIC_DIR
from viz.dashboard.mapcomponent import ensure_plotly_js
from viz.dashboard.viewstate import View, encode
from viz.errors import VizError

FORMATS = ("mp4", "gif", "png", "svg")
Progress = Callable[[float, str], None]


class RenderError(VizError, RuntimeError):
    """A picture or film could not be rendered (no Chromium, no frames)."""


def caption(view: View, *, events: int, first: object = None, last: object = None) -> str:
    """What a picture or film shows, in one line: the dataset, the filters
    (as the link's parameters) and the date range."""
    params = encode(view)
    skip = {"v", "ds", "mode", "win", "color", "size", "lat", "lon", "z", "ev", "gq", "gcc", "gctx", "page", "bm"}
    filters = "; ".join(f"{k}={','.join(v)}" for k, v in params.items() if k not in skip)
    span = f"{_day(first)} to {_day(last)}" if first is not None and last is not None else "no dates"
    return f"dataset {view.dataset or '?'} · {filters or 'no filters'} · {span} · {events:,} events"


def _day(x: object) -> str:
    return pd.Timestamp(x).strftime("%Y-%m-%d") if x is not None and pd.notna(x) else "?"


def captioned(fig: go.Figure, text: str, *, title: str | None = None) -> go.Figure:
    """The figure with the caption along its foot (and a title at its top left)."""
    out = go.Figure(fig)
    if not text and not title:
        return out
    margin = dict(out.layout.margin.to_plotly_json()) if out.layout.margin else {}
    out.update_layout(
        margin={
            **margin,
            "b": max(int(margin.get("b") or 0), 34 if text else 0),
            "t": max(int(margin.get("t") or 0), 40 if title else 0),
            "l": max(int(margin.get("l") or 0), 10),
            "r": max(int(margin.get("r") or 0), 10),
        }
    )
    if text:
        out.add_annotation(
            text=text, x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-4,
            showarrow=False, font={"size": 12, "color": "#333"}, align="left",
        )  # fmt: skip
    if title:
        out.add_annotation(
            text=f"<b>{title}</b>", x=0, y=1, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
            yshift=6, showarrow=False, font={"size": 18, "color": "#111"},
        )  # fmt: skip
    return out


def story_figures(points: pd.DataFrame, view: View, text: str) -> list[tuple[go.Figure, str]]:
    """One figure a frame of the view's playback, with its window's dates:
    (figure, window label)."""
    data = play_data(points, window_days=view.window, color_by=view.color)
    if data is None:
        raise RenderError("no dated events with coordinates in this view: nothing to play")
    base = play_base(points, color_by=view.color, center=view.center, zoom=view.zoom)
    base.update_layout(
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.7)"}
    )
    day = np.timedelta64(1, "D")
    out = []
    for k in range(data["frames"]):
        idx = frame_members(data, k)
        a = np.datetime64(int(data["start"] + k * data["step"]), "D")
        b = a + np.timedelta64(int(data["window"]), "D") - day
        label = f"{a} – {b} · {len(idx)} events"
        fig = go.Figure(base)
        pick = lambda key, idx=idx: [data[key][i] for i in idx]  # noqa: E731
        fig.update_traces(
            lat=pick("lat"), lon=pick("lon"), marker={"color": pick("color"), "size": pick("size")},
            selector={"name": "events"},
        )  # fmt: skip
        out.append((captioned(fig, text, title=label), label))
    return out


def chromium() -> str:
    from viz import settings

    path = settings.load().chromium
    if not (os.path.exists(path) and os.access(path, os.X_OK)):
        raise RenderError(f"Chromium is not at {path}: install Debian's chromium (make browser) or set VIZ_CHROMIUM")
    return path


def render_images(
    figs: Sequence[go.Figure], folder: Path, *, fmt: str = "png", width: int = 1280, height: int = 720,
    progress: Progress | None = None,
) -> list[Path]:  # fmt: skip
    """Each figure as ``folder/frame_00000.<fmt>``, in one Kaleido session."""
    import kaleido

    os.environ["BROWSER_PATH"] = chromium()
    plotlyjs = ensure_plotly_js()
    topojson = STATIC_DIR.as_uri() + "/"
    paths = [folder / f"frame_{i:05d}.{fmt}" for i in range(len(figs))]
    done = [0]

    def specs() -> Any:
        for fig, path in zip(figs, paths, strict=True):
            yield {
                "fig": fig,
                "path": str(path),
                "opts": {"format": fmt, "width": width, "height": height},
                "topojson": topojson,
            }
            done[0] += 1
            if progress:
                progress(done[0] / max(len(figs), 1), f"rendered {done[0]} of {len(figs)} frames")

    async def run() -> None:
        async with kaleido.Kaleido(n=2, plotlyjs=str(plotlyjs), mathjax=False) as k:
            await k.write_fig_from_object(specs(), cancel_on_error=True)

    try:
        asyncio.run(run())
    except RenderError:
        raise
    except Exception as exc:  # noqa: BLE001 - Kaleido's and Chromium's errors, said in one line
        raise RenderError(f"the pictures could not be rendered: {type(exc).__name__}: {exc}") from exc
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise RenderError(f"{len(missing)} of {len(paths)} frames were not rendered")
    return paths


def encode_film(frames: Sequence[Path], out: Path, *, fps: float = 4.0) -> Path:
    """The frames as an MP4 (H.264, ffmpeg from imageio-ffmpeg) or a GIF (looping)."""
    import imageio.v2 as imageio

    fmt = out.suffix.lower().lstrip(".")
    if fmt == "mp4":
        with imageio.get_writer(out, format="FFMPEG", fps=fps, codec="libx264", quality=7, pixelformat="yuv420p", macro_block_size=8) as w:  # fmt: skip
            for f in frames:
                w.append_data(imageio.imread(f)[..., :3])  # type: ignore[attr-defined]
    elif fmt == "gif":
        from PIL import Image

        images = [Image.open(f).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT) for f in frames]
        images[0].save(out, save_all=True, append_images=images[1:], duration=int(1000 / fps), loop=0, optimize=True)
    else:
        raise RenderError(f"not a film format: {out.suffix} (mp4 or gif)")
    return out


def story(
    points: pd.DataFrame, view: View, out: Path, *, text: str, width: int = 1280, height: int = 720,
    fps: float = 4.0, progress: Progress | None = None,
) -> Path:  # fmt: skip
    """The view's playback as a film at ``out`` (.mp4 or .gif)."""
    figs = [f for f, _ in story_figures(points, view, text)]
    with tempfile.TemporaryDirectory(prefix="viz-render-") as tmp:
        frames = render_images(figs, Path(tmp), width=width, height=height, progress=progress)
        if progress:
            progress(1.0, f"encoding {len(frames)} frames")
        return encode_film(frames, out, fps=fps)


def picture(
    fig: go.Figure, out: Path, *, text: str, width: int = 1280, height: int = 720, title: str | None = None
) -> Path:
    """One figure (the map or the timeline) as PNG or SVG, captioned."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise RenderError(f"not a picture format: {out.suffix} (png or svg)")
    with tempfile.TemporaryDirectory(prefix="viz-render-") as tmp:
        (path,) = render_images([captioned(fig, text, title=title)], Path(tmp), fmt=fmt, width=width, height=height)
        out.write_bytes(path.read_bytes())
    return out


@dataclass
class Linked:
    """What a dashboard link selects: its dataset's events, the view it
    names, the notices of what fell back to its default, and its conditions
    (``base``: the filters; ``in_time``: the time window; ``shown``: both and
    the drawn area)."""

    events: Any
    view: Any
    notices: list[str]
    base: Any
    in_time: Any
    shown: Any


def linked(url: str, *, store: Any = None, corrections: Any = None) -> Linked:
    """The selection a dashboard link shows, as the app reads the link."""
    from dataclasses import replace
    from urllib.parse import parse_qs, urlparse

    from viz.dashboard import appdata
    from viz.dashboard.viewstate import Filters, Known, decode
    from viz.events.corrections import Corrections
    from viz.events.store import DatasetStore

    params = parse_qs(urlparse(url).query, keep_blank_values=True)
    store = store or DatasetStore()
    first, _ = decode(params, Known(datasets=frozenset(store.ids())))
    ds = first.dataset or appdata.default_dataset(store, [])
    events, _ = appdata.open_dataset(store, ds, corrections or Corrections())
    actors, countries, _types = events.options()
    view, notices = decode(
        params,
        Known(actors=frozenset(actors), countries=frozenset(countries), datasets=frozenset(store.ids()), events=events),
    )
    view = replace(view, dataset=ds)
    base = events.where(view.filters, area=False)
    in_time = events.where(Filters(), view.time)
    return Linked(events, view, notices, base, in_time, base & events.area(view.filters.area) & in_time)


def from_link(
    url: str, out: Path, *, store: Any = None, corrections: Any = None, width: int = 1280, height: int = 720,
    fps: float = 4.0, timeline: bool = False, progress: Progress | None = None,
) -> tuple[Path, str, list[str]]:  # fmt: skip
    """What a dashboard link shows, rendered to ``out``: its playback as a
    film (.mp4, .gif), or its map (or timeline) as a picture (.png, .svg).
    Returns the file, its caption and the link's notices (parameters that
    fell back to their defaults)."""
    from viz.dashboard import mapview
    from viz.dashboard.timeline import bars_figure

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RenderError(f"cannot render to {out.name}: the file must end in .mp4, .gif, .png or .svg")
    sel = linked(url, store=store, corrections=corrections)
    events, view, notices, base, in_time, shown = sel.events, sel.view, sel.notices, sel.base, sel.in_time, sel.shown
    summary = events.summary(shown)
    text = caption(view, events=int(summary[0]), first=summary[6], last=summary[7])
    if fmt in ("mp4", "gif"):
        story(
            events.points(shown, 200_000), view, out, text=text, width=width, height=height, fps=fps, progress=progress
        )
        return out, text, notices
    if timeline:
        table, freq, episodes, vague = events.timeline(base & events.area(view.filters.area), view.color)
        fig = bars_figure(table, freq, episodes, vague, stack_by=view.color, selected=view.time)
    else:
        from viz.dashboard.labels import Labels
        from viz.geo.geocoder import GazetteerGeocoder

        drawn = mapview.draw(
            events.source(base & in_time), view, area=view.filters.area, labels=Labels(GazetteerGeocoder().gazetteer)
        )
        fig = mapview.for_export(drawn, events.source(base & in_time), view)
        if drawn.mode == "play":  # a picture of play: its first frame
            fig = story_figures(events.points(shown, 200_000), view, text)[0][0]
            return picture(fig, out, text="", width=width, height=height), text, notices
    return picture(fig, out, text=text, width=width, height=height), text, notices
