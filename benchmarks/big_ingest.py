"""Ingest at scale: the DuckDB engine beside DuckDB's own CSV -> Parquet.

    python benchmarks/big_ingest.py [--rows 1000000 10000000] [--repeat 3] [--old] [--json]
                                    [--excel] [--unsettled PCT]

An ACLED-style CSV of each size is made (``synth.acled_csv`` for the first
million rows, then copied with fresh ids up to the size), and each of these
runs in a fresh process, interleaved, ``--repeat`` times (medians printed):

* baseline: DuckDB's ``COPY (SELECT * FROM read_csv(file)) TO 'x.parquet'``;
* ours: ``viz.events.dataset.ingest`` (recognised, mapped, validated, ids,
  report, month-partitioned Parquet), the path ``python -m viz ingest FILE
  --out DIR/`` and the store take;
* with ``--old``: the in-memory ``viz.events.ingest.load`` (at 1M rows only).

With ``--json`` the same rows are written as JSON lines (DuckDB's ``FORMAT
json``) and read instead, the baseline then DuckDB's ``read_json``.  With
``--excel`` they are written as an .xlsx workbook (openpyxl, at most Excel's
1,048,576 rows) and the baseline is ``pandas.read_excel`` of it, the whole
sheet in memory, as the in-memory reader read workbooks before the engine
streamed them.

With ``--unsettled PCT``, that share of the rows (chosen by a hash of their
id) lose their coordinates, so the engine geocodes their place: the rows its
settling pass cannot write alone, which its full path then reads.

Wall time, CPU time (user and system over every thread of the child, its
start included: steadier than wall time on a busy machine, and it shows how
much of both cores each way keeps busy) and peak RSS (the child's
``VmHWM``, cleared at its start).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

# In a child: its own peak memory (ru_maxrss carries the parent's across fork).
PEAK = """
open("/proc/self/clear_refs", "w").write("5")  # the peak starts here
def peak_mib():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
"""

RUN = """
import shutil, sys, time
{peak}sys.path.insert(0, {root!r})
path, out, how = {path!r}, {out!r}, {how!r}
shutil.rmtree(out, ignore_errors=True)
t = time.perf_counter()
if how == "pandas":
    import pandas as pd
    n = len(pd.read_excel(path, dtype=object))
elif how == "duckdb":
    import duckdb
    con = duckdb.connect()
    reader = "read_json" if path.endswith(".jsonl") else "read_csv"
    con.execute(f"COPY (SELECT * FROM {{reader}}('{{path}}')) TO '{{out}}.parquet' (FORMAT parquet)")
    n = con.execute(f"SELECT count(*) FROM '{{out}}.parquet'").fetchone()[0]
elif how == "engine":
    from viz.events import dataset
    rep = dataset.ingest([path], out, engine_min_mb=0)
    n = rep.rows_kept
    assert rep.rows_read == n + rep.rows_rejected and not rep.unreadable, rep.summary()
else:
    from viz.events.ingest import load
    frame, rep = load([path])
    n = len(frame)
dt = time.perf_counter() - t
print(n, dt, peak_mib())
"""


def make(rows: int, folder: Path) -> Path:
    base = folder / "acled-1m.csv"
    if not base.exists():
        synth.acled_csv(min(rows, 1_000_000), base)
    if rows <= 1_000_000:
        return base if rows == 1_000_000 else synth.acled_csv(rows, folder / f"acled-{rows}.csv")
    import duckdb

    path = folder / f"acled-{rows}.csv"
    copies = -(-rows // 1_000_000)
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * REPLACE (event_id_cnty || '-' || k AS event_id_cnty) FROM read_csv('{base}', all_varchar = true), "
        f"range({copies}) r(k) LIMIT {rows}) TO '{path}' (FORMAT csv, HEADER)"
    )
    return path


def without_coordinates(path: Path, pct: float) -> Path:
    """The CSV with ``pct`` percent of its rows' coordinates blanked."""
    import duckdb

    out = path.with_name(f"{path.stem}-unsettled-{pct:g}.csv")
    if not out.exists():
        blank = f"hash(event_id_cnty) % 10000 < {int(pct * 100)}"
        duckdb.connect().execute(
            f"COPY (SELECT * REPLACE (CASE WHEN {blank} THEN NULL ELSE latitude END AS latitude, "
            f"CASE WHEN {blank} THEN NULL ELSE longitude END AS longitude) "
            f"FROM read_csv('{path}', all_varchar = true)) TO '{out}' (FORMAT csv, HEADER)"
        )
    return out


def as_json_lines(path: Path) -> Path:
    """The CSV's rows as JSON lines, every value a string as in the CSV."""
    import duckdb

    out = path.with_suffix(".jsonl")
    if not out.exists():
        duckdb.connect().execute(
            f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{out}' (FORMAT json)"
        )
    return out


def as_workbook(path: Path, rows: int) -> Path:
    """The CSV's first ``rows`` rows as an .xlsx workbook (every cell text)."""
    import csv

    import openpyxl

    out = path.with_name(f"{path.stem}-{rows}.xlsx")
    if not out.exists():
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("events")
        with open(path, newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.reader(fh)):
                if i > rows:
                    break
                ws.append(row)
        wb.save(out)
    return out


def run(path: Path, out: Path, how: str) -> tuple[int, float, float, float]:
    """Rows, wall seconds, peak MiB and CPU seconds (user and system, every
    thread of the child, its start included) of one way in a fresh process."""
    code = RUN.format(root=str(ROOT), path=str(path), out=str(out), how=how, peak=PEAK)
    # the 10M rows as JSON lines are 7.6 GiB, over the default VIZ_MAX_FILE_MB
    env = {**os.environ, "VIZ_MAX_FILE_MB": str(max(16384, int(path.stat().st_size / 2**20) + 1))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f"{how} failed: {r.stderr[-2000:]}")
    n, dt, peak = r.stdout.strip().splitlines()[-1].split()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return int(n), float(dt), float(peak), cpu


def median(runs: list[tuple[int, float, float, float]], i: int) -> float:
    """The median of field ``i`` of :func:`run`'s answers (1 wall, 2 peak, 3 CPU)."""
    return statistics.median(r[i] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old", action="store_true", help="also the in-memory load() (1M rows at most)")
    ap.add_argument("--json", action="store_true", help="the same rows as JSON lines")
    ap.add_argument("--excel", action="store_true", help="the same rows as an .xlsx workbook")
    ap.add_argument("--unsettled", type=float, default=0, help="percent of rows without coordinates")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for rows in args.rows:
            if args.excel and rows >= 2**20:
                raise SystemExit("a sheet holds at most 1,048,575 rows under its header")
            path = make(rows, folder)
            if args.unsettled:
                path = without_coordinates(path, args.unsettled)
            if args.json:
                path = as_json_lines(path)
            if args.excel:
                path = as_workbook(path, rows)
            first = "pandas" if args.excel else "duckdb"
            hows = [first, "engine"] + (["old"] if args.old and rows <= 1_000_000 else [])
            got: dict[str, list[tuple[int, float, float, float]]] = {h: [] for h in hows}
            for _ in range(args.repeat):
                for how in hows:
                    got[how].append(run(path, folder / f"out-{how}", how))
            size = path.stat().st_size / 2**20
            kind = "JSON lines" if args.json else "Excel" if args.excel else "CSV"
            if args.unsettled:
                kind += f", {args.unsettled:g}% of rows without coordinates"
            print(f"{rows:,} ACLED-style rows ({size:,.0f} MiB {kind}), medians of {args.repeat} interleaved runs")

            base, base_cpu = median(got[first], 1), median(got[first], 3)
            labels = {
                "pandas": "pandas.read_excel, whole sheet (baseline)",
                "duckdb": f"DuckDB {'read_json' if args.json else 'read_csv'} -> Parquet (baseline)",
                "engine": "viz ingest (engine)",
                "old": "viz ingest.load (in memory)",
            }
            for how in hows:
                t, peak, cpu = median(got[how], 1), median(got[how], 2), median(got[how], 3)
                n = got[how][0][0]
                print(
                    f"  {labels[how]:40s} {t:7.1f} s  {t / base:5.2f}x  CPU {cpu:6.1f} s  {cpu / base_cpu:5.2f}x  "
                    f"peak RSS {peak / 1024:5.2f} GiB  {n:,} rows"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
