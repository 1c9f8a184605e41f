"""The store under load: the server's memory after a big upload, and the
demo opened while another process ingests into the same store.

    python benchmarks/store_load.py [--rows 560000] [--repeat 3]

Memory: ``streamlit run app.py`` on a store of its own; a browser opens the
demo, then uploads a synthetic ACLED file of ``--rows`` rows through the
sidebar and waits for its map.  The server's resident memory (and its peak)
is read from ``/proc`` with the demo open (the baseline, same run), after the
upload has drawn, and after a second session has opened the demo.

Contention: one process ingests the big file into the store (the slow
first open of a new upload) while another opens the already-ingested demo,
the dashboard's first step; the demo's open time is printed beside the same
open with nobody else working (the baseline, same run) and beside the
ingest's own time (what a store-wide lock would make the demo wait).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import acled_csv  # noqa: E402

from tests.browser import DASHBOARD_DRAWN, Offline, chromium, streamlit_server  # noqa: E402

WORK = ROOT / "benchmarks" / "results" / "store_load"
OPEN = """
import sys, time
from viz.events.store import DatasetStore
s = DatasetStore(sys.argv[1])
t = time.perf_counter()
s.open(sys.argv[2])
print(time.perf_counter() - t)
"""


def big_csv(rows: int) -> Path:
    path = WORK / f"acled_{rows}.csv"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        acled_csv(rows, path, spread=1.5)
    return path


def server_pid(port: str) -> int:
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
            return int(proc.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def memory(pid: int) -> tuple[float, float]:
    """Resident and peak resident MiB of a process."""
    got = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            got[key] = int(value.split()[0]) / 1024
    return got["VmRSS"], got["VmHWM"]


def upload_memory(path: Path) -> dict[str, float]:
    store = Path(tempfile.mkdtemp(prefix="store-", dir=WORK))
    out: dict[str, float] = {}
    with streamlit_server(env={"VIZ_STORE_DIR": str(store)}) as base, chromium() as browser:
        pid = server_pid(base.rsplit(":", 1)[1])
        guard = Offline()
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        guard.attach(context)
        page = context.new_page()
        page.goto(base)
        page.wait_for_function(DASHBOARD_DRAWN, timeout=180_000, polling=200)
        first = page.url
        time.sleep(2)
        out["demo open"] = memory(pid)[0]
        t0 = time.perf_counter()
        page.locator(".st-key-upload input[type=file]").set_input_files(str(path))
        page.wait_for_function(f"() => location.href !== {first!r}", timeout=600_000, polling=200)
        page.wait_for_function(DASHBOARD_DRAWN, timeout=600_000, polling=200)
        out["upload to drawn (s)"] = time.perf_counter() - t0
        time.sleep(2)
        out["after the upload"], out["peak"] = memory(pid)
        other = browser.new_context(viewport={"width": 1366, "height": 900})
        guard.attach(other)
        p2 = other.new_page()
        p2.goto(first)
        p2.wait_for_function(DASHBOARD_DRAWN, timeout=180_000, polling=200)
        time.sleep(2)
        out["a second session on the demo"] = memory(pid)[0]
        other.close()
        context.close()
        assert guard.blocked == [], guard.blocked
    return out


def open_time(store: Path, ds: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    got = subprocess.run(
        [sys.executable, "-c", OPEN, str(store), ds], env=env, capture_output=True, text=True, check=True
    )
    return float(got.stdout.strip().splitlines()[-1])


def contention(path: Path, repeat: int) -> dict[str, list[float]]:
    from viz.events.store import DatasetStore

    store = Path(tempfile.mkdtemp(prefix="store-", dir=WORK))
    s = DatasetStore(store)
    demo = s.add_files([ROOT / "data" / "demo"])
    s.open(demo)
    out: dict[str, list[float]] = {
        "the demo opened, alone": [],
        "the demo opened, while another ingests": [],
        "the other's ingest": [],
    }
    for i in range(repeat):
        out["the demo opened, alone"].append(open_time(store, demo))
        big = s.add_bytes([(f"big{i}.csv", path)], label=f"big {i}")  # a new dataset each time
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        t0 = time.perf_counter()
        ingest = subprocess.Popen([sys.executable, "-c", OPEN, str(store), big], env=env, stdout=subprocess.PIPE)
        while not list((store / big).glob(".events-*")):  # the ingest holds its dataset's lock
            if ingest.poll() is not None:
                raise RuntimeError("the ingest ended before it was seen working")
            time.sleep(0.02)
        out["the demo opened, while another ingests"].append(open_time(store, demo))
        busy = ingest.poll() is None
        ingest.wait()
        out["the other's ingest"].append(time.perf_counter() - t0)
        if not busy:
            raise RuntimeError("the ingest ended before the demo had opened: use more --rows")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=560_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path = big_csv(args.rows)
    mib = path.stat().st_size / 2**20
    print(f"upload: {args.rows:,} rows, {mib:.0f} MiB")
    for k, v in contention(path, args.repeat).items():
        print(f"  {k:40} median {statistics.median(v):6.2f} s  ({', '.join(f'{x:.2f}' for x in v)})")
    for k, v in upload_memory(path).items():
        unit = "s" if "(s)" in k else "MiB"
        print(f"  server, {k.replace(' (s)', ''):32} {v:7.1f} {unit}")


if __name__ == "__main__":
    main()
