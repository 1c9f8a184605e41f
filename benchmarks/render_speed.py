"""Films of the view: the demo's playback (a 90-day window: 60 frames) as a
1280x720 MP4 and GIF, rendered offline by Kaleido driving Debian's Chromium.

    python benchmarks/render_speed.py [--frames-baseline 5]

Times the whole film (one Kaleido session for every frame, then imageio's
encoding) and gives the files' sizes.  The baseline, in the same run, is
Plotly's plain ``fig.to_image`` called once a frame (what a notebook would
write), timed on the first few frames and per frame.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viz.dashboard import appdata, render  # noqa: E402
from viz.dashboard.mapcomponent import ensure_plotly_js  # noqa: E402
from viz.dashboard.viewstate import View  # noqa: E402
from viz.events.corrections import Corrections  # noqa: E402
from viz.events.store import DatasetStore  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames-baseline", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="viz-render-bench-"))
    store = DatasetStore(work / "store")
    ds = appdata.default_dataset(store, [])
    events, _ = appdata.open_dataset(store, ds, Corrections(work / "corrections.json"))
    view = View(dataset=ds, mode="play", window=90)
    w = events.where(view.filters)
    points = events.points(w, 200_000)
    summary = events.summary(w)
    text = render.caption(view, events=int(summary[0]), first=summary[6], last=summary[7])
    figs = render.story_figures(points, view, text)
    print(f"the demo's playback, {view.window}-day window: {len(figs)} frames at 1280x720", flush=True)
    for fmt in ("mp4", "gif"):
        t0 = time.perf_counter()
        out = render.story(points, view, work / f"demo.{fmt}", text=text)
        print(
            f"  viz, one Kaleido session: {fmt.upper()} in {time.perf_counter() - t0:5.1f} s, {out.stat().st_size / 2**20:.2f} MiB",
            flush=True,
        )

    import os

    import plotly.io as pio

    os.environ["BROWSER_PATH"] = render.chromium()
    pio.defaults.topojson = render.STATIC_DIR.as_uri() + "/"
    pio.defaults.plotlyjs = str(ensure_plotly_js())
    n = min(args.frames_baseline, len(figs))
    t0 = time.perf_counter()
    for fig, _ in figs[:n]:
        fig.to_image(format="png", width=1280, height=720)
    per = (time.perf_counter() - t0) / n
    print(
        f"  baseline, fig.to_image a frame: {per:.2f} s a frame over {n} frames, {per * len(figs):5.1f} s for {len(figs)} (before encoding)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
