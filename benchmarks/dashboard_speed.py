"""Time from opening a link to the map and timeline drawn, and bytes sent to
the browser, at 10k, 100k and 1M events, in headless Chromium (Debian's).

    python benchmarks/dashboard_speed.py [--sizes 10000 100000 1000000 10000000] [--no-baseline]

For each size: synthetic ACLED-style events (spread over 14 regions), added
to a benchmark dataset store and loaded once (the figure for that is
printed too); then ``streamlit run app.py`` is opened at ``?ds=<id>`` in a
fresh browser context, twice (a new server session each time; the app
queries the stored Parquet, it does not read it into memory), timing until the map's
basemap and marks and the timeline's bars are drawn.  Bytes are what the
app sent: WebSocket frames (the page's data) plus the basemap file, and,
separately, everything including Streamlit's own JavaScript.  The baseline,
in the same run, is a plain ``px.scatter_map`` of every event
(``benchmarks/baseline_map_app.py``), timed until Plotly has drawn it.
Requests to other hosts are blocked (offline, as the app runs).  Above a
million events the CSV is the first million copied with fresh ids (as
``benchmarks/big_ingest.py`` makes it), and the baseline is skipped (it
cannot draw a million points).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import acled_csv  # noqa: E402

from tests.browser import DASHBOARD_DRAWN as OURS_DRAWN  # noqa: E402
from tests.browser import Offline, chromium, streamlit_server  # noqa: E402
from viz.events.store import DatasetStore, pipeline_fingerprint  # noqa: E402

MILLION = 1_000_000


def events_csv(n: int) -> Path:
    """The benchmark's CSV of ``n`` events (made once, kept under WORK)."""
    path = WORK / f"events_{n}.csv"
    if path.exists():
        return path
    if n <= MILLION:
        return acled_csv(n, path, spread=1.5)
    import duckdb

    base = events_csv(MILLION)
    copies = -(-n // MILLION)
    duckdb.connect().execute(
        f"COPY (SELECT * EXCLUDE (k) REPLACE (event_id_cnty || '-' || k AS event_id_cnty) "
        f"FROM read_csv('{base}', all_varchar = true), range({copies}) r(k) LIMIT {n}) TO '{path}' (FORMAT csv, HEADER)"
    )
    return path


WORK = ROOT / "benchmarks" / "results" / "dashboard"
BASELINE_DRAWN = """() => {
  const gd = document.querySelector('.st-key-baseline .js-plotly-plot');
  return !!(gd && gd._fullLayout && gd._fullData && gd._fullData.length
            && gd.querySelector('canvas') && !gd.querySelector('.plotly-notifier'));
}"""


class Meter:
    """Bytes the page received: WebSocket frames and HTTP responses."""

    def __init__(self, page) -> None:
        self.ws = 0
        self.http: dict[str, int] = {}
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("requestfinished", self._finished)

    def _frame(self, payload) -> None:
        self.ws += len(payload if isinstance(payload, bytes) else payload.encode("utf-8"))

    def _finished(self, request) -> None:
        try:
            sizes = request.sizes()
            self.http[request.url] = sizes.get("responseBodySize", 0) + sizes.get("responseHeadersSize", 0)
        except Exception:  # noqa: BLE001 - a request torn down with its page
            pass

    def data(self) -> int:
        return self.ws + sum(n for u, n in self.http.items() if "/app/static/" in u)

    def total(self) -> int:
        return self.ws + sum(self.http.values())


def open_and_time(browser, url: str, drawn_js: str, timeout_s: float) -> tuple[float | None, Meter, str]:
    guard = Offline()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    guard.attach(context)
    page = context.new_page()
    meter = Meter(page)
    crashed: list[str] = []
    page.on("crash", lambda *_: crashed.append("tab crashed"))
    t0 = time.perf_counter()
    try:
        page.goto(url)
        page.wait_for_function(drawn_js, timeout=timeout_s * 1000, polling=100)
        elapsed: float | None = time.perf_counter() - t0
        note = ""
    except Exception as exc:  # noqa: BLE001 - a crash or timeout is a result here
        elapsed = None
        note = crashed[0] if crashed else f"not drawn in {timeout_s:.0f} s ({type(exc).__name__})"
    finally:
        with contextlib.suppress(Exception):  # a crashed tab may not close cleanly
            context.close()
    return elapsed, meter, note


def mib(n: int) -> str:
    return f"{n / 2**20:.2f} MiB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    store_dir = WORK / "store"
    store = DatasetStore(store_dir)
    rows = []
    for n in args.sizes:
        csv_path = events_csv(n)
        ds = store.add_files([csv_path])
        t0 = time.perf_counter()
        store.open(ds)
        prepared = time.perf_counter() - t0
        parquet = store_dir / ds / f"events-{pipeline_fingerprint()}"  # the dataset's folder
        print(f"{n:>9,} events: dataset {ds}, loaded into the store in {prepared:.1f} s", flush=True)
        with streamlit_server(env={"VIZ_STORE_DIR": str(store_dir)}) as base, chromium() as browser:
            url = f"{base}/?v=2&ds={ds}"
            cold = open_and_time(browser, url, OURS_DRAWN, args.timeout)
            warm = open_and_time(browser, url, OURS_DRAWN, args.timeout)
        rows.append((n, "ours, first open", *cold))
        rows.append((n, "ours, again", *warm))
        if not args.no_baseline and n <= MILLION:
            with (
                streamlit_server(
                    env={"VIZ_STORE_DIR": str(store_dir)}, app="benchmarks/baseline_map_app.py", args=[str(parquet)]
                ) as base,
                chromium() as browser,
            ):
                rows.append((n, "px.scatter_map", *open_and_time(browser, f"{base}/", BASELINE_DRAWN, args.timeout)))
        for r in rows[-3:]:
            show(r)
    print("\nsummary (targets at 1M events: drawn within 3 s, at most 5 MB sent)")
    for r in rows:
        show(r)
    return 0


def show(r) -> None:
    n, who, elapsed, meter, note = r
    t = f"{elapsed:6.2f} s" if elapsed is not None else "   --   "
    print(
        f"{n:>9,} {who:18} drawn {t}  data sent {mib(meter.data()):>10} (websocket {mib(meter.ws)})"
        f"  all bytes {mib(meter.total()):>10}  {note}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
