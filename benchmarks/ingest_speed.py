"""Ingest speed and memory, beside plain pandas, and article extraction speed.

    python benchmarks/ingest_speed.py [--rows 1000000] [--articles 1000]

* structured ingest: a synthetic ACLED-style CSV of N rows read into the
  event frame by ``viz.events.ingest.load`` (validation, mapping, ids) in a fresh
  process: rows/s and peak memory, beside ``pandas.read_csv`` of the same
  file in another fresh process;
* article extraction: a generated corpus of articles through
  ``viz.events.ingest.load`` (one process): articles/s, and where the time goes
  (cumulative seconds of the main steps, from cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

MEASURE = """
import resource, sys, time
sys.path.insert(0, {root!r})
path = {path!r}
t = time.perf_counter()
if {ours}:
    from viz.events.ingest import load
    frame, report = load([path])
    n = report.rows_kept
    assert report.rows_read == {rows}, report.summary()
else:
    import pandas as pd
    frame = pd.read_csv(path)
    n = len(frame)
dt = time.perf_counter() - t
print(n, dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def measure(path: Path, rows: int, ours: bool) -> tuple[int, float, float]:
    code = MEASURE.format(root=str(ROOT), path=str(path), ours=ours, rows=rows)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n, dt, peak = r.stdout.split()
    return int(n), float(dt), float(peak)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = synth.acled_csv(args.rows, Path(tmp) / "acled.csv")
        size = csv_path.stat().st_size / 2**20
        n0, t0, m0 = measure(csv_path, args.rows, ours=False)
        n1, t1, m1 = measure(csv_path, args.rows, ours=True)
        print(f"structured ingest, {args.rows:,} ACLED-style rows ({size:.0f} MiB CSV)")
        print(
            f"  viz.events.ingest.load   {n1 / t1:>10,.0f} rows/s  {t1:6.1f} s  peak RSS {m1:6.0f} MiB  "
            f"(validated, mapped, ids; {n1:,} kept)"
        )
        print(f"  pandas.read_csv   {n0 / t0:>10,.0f} rows/s  {t0:6.1f} s  peak RSS {m0:6.0f} MiB  (parse only)")

        folder = Path(tmp) / "articles"
        synth.articles(args.articles, folder)
        from viz.events.ingest import load
        from viz.geo.geocoder import GazetteerGeocoder

        gc = GazetteerGeocoder()
        prof = cProfile.Profile()
        t = time.perf_counter()
        prof.enable()
        frame, report = load([folder], geocoder=gc)
        prof.disable()
        dt = time.perf_counter() - t
        print(f"article extraction, {args.articles:,} generated articles")
        print(f"  viz.events.ingest.load   {args.articles / dt:>10,.0f} articles/s  {dt:6.1f} s  {len(frame):,} events")
        stats = pstats.Stats(prof)
        wanted = {
            "toponym spotting (gazetteer look-ups)": "toponyms",
            "resolution (geocoder with context)": "geocode",
            "dates": "find_dates",
            "actors": "find",
            "event types": "event_type",
            "sentence splitting": "split_sentences",
            "frame building": "to_frame",
        }
        rows = []
        for label, fn in wanted.items():
            cum = max((v[3] for k, v in stats.stats.items() if k[2] == fn), default=0.0)  # type: ignore[attr-defined]
            rows.append((cum, label))
        total = max((v[3] for k, v in stats.stats.items() if k[2] == "load"), default=dt)  # type: ignore[attr-defined]
        print("  where the time goes (cumulative, profiled):")
        for cum, label in sorted(rows, reverse=True):
            print(f"    {label:40} {cum:6.2f} s  {cum / total:5.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
