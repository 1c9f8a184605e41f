"""A filter change in the server: the engine's queries beside pandas, and memory.

    python benchmarks/query_speed.py [--rows 1000000 10000000] [--repeat 5]

For each size: an ACLED-style dataset (``big_ingest.make``) ingested with
``viz.events.dataset.ingest``; then, each in a fresh process:

* ours: ``viz.dashboard.query.Events`` over the dataset's Parquet (what the
  app does since it stopped holding the frame): the filters as a condition,
  the count, the timeline's table and figure, the map (grid above the points
  threshold) with ``mapview.draw``;
* baseline: the same on the pandas frame as the app did before (the frame
  read whole, ``filters.mask`` three times for the linked views,
  ``timeline_figure``, ``mapview.draw`` of the frame).

A filter change is actor + type + dates + text (a different actor each time);
the median over ``--repeat`` changes is printed, and the process's RSS with
the dataset open and queried (ru_maxrss, and the current RSS).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from big_ingest import PEAK, make  # noqa: E402

RUN = """
import statistics, sys, time
{peak}from datetime import date
sys.path.insert(0, {root!r})
sys.path.insert(0, {root!r} + "/benchmarks")
from synth import ACTORS as actors
from viz.dashboard import filters, mapview
from viz.dashboard.timeline import bars_figure, timeline_figure
from viz.dashboard.viewstate import Filters, View
from viz.events import dataset

folder, how, repeat = {folder!r}, {how!r}, {repeat}
view = View(mode="points")
def change(i):
    return Filters(actors=(actors[i % len(actors)],), types=("battle", "explosions/remote violence"),
                   date_from=date(2019, 1, 1), date_to=date(2020, 12, 31), text="clashed")
t0 = time.perf_counter()
if how == "engine":
    from viz.dashboard.query import Events
    events = Events(dataset.parts(folder))
    def rerun(f):
        base = events.where(f, area=False)
        n = events.count(base)
        table, freq, episodes, vague = events.timeline(base, "event_type")
        bars_figure(table, freq, episodes, vague)
        drawn = mapview.draw(events.source(base), view, points_max=5000)
        return n, drawn.mode
else:
    frame = dataset.read(folder)
    def rerun(f):
        keep = filters.mask(frame, f, area=False) & filters.area_mask(frame, None) & filters.mask(frame, Filters(), None)
        shown = frame[keep]
        timeline_figure(shown)
        drawn = mapview.draw(shown, view, points_max=5000)
        return len(shown), drawn.mode
opened = time.perf_counter() - t0
times, answers = [], []
for i in range(repeat):
    t = time.perf_counter()
    answers.append(rerun(change(i)))
    times.append(time.perf_counter() - t)
rss_now = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
print(statistics.median(times), opened, peak_mib(), rss_now, answers[0][0], answers[0][1])
"""


def run(folder: Path, how: str, repeat: int) -> list[str]:
    code = RUN.format(root=str(ROOT), folder=str(folder), how=how, repeat=repeat, peak=PEAK)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{how} failed: {r.stderr[-2000:]}")
    return r.stdout.strip().splitlines()[-1].split()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from viz.events import dataset

    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            path = make(rows, Path(tmp))
            folder = Path(tmp) / f"ds-{rows}"
            dataset.ingest([path], folder, engine_min_mb=0)
            path.unlink() if rows > 1_000_000 else None
            print(f"{rows:,} events: a filter change (actor + types + dates + text) -> timeline and map built")
            for how, label in (("engine", "DuckDB queries (the app now)"), ("pandas", "pandas frame (before)")):
                med, opened, peak, now, n, mode = run(folder, how, args.repeat)
                print(
                    f"  {label:30s} {float(med) * 1000:8.0f} ms  (median of {args.repeat}; {n} events, map {mode})  "
                    f"opened in {float(opened):5.1f} s; RSS {float(now) / 1024:5.2f} GiB, peak {float(peak) / 1024:5.2f} GiB"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
