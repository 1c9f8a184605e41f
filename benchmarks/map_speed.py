"""The map in the browser: the demo's first paint, and a filter change redrawn
at 10k and 100k events, in headless Chromium (Debian's) against
``streamlit run app.py``.

    python benchmarks/map_speed.py [--sizes 10000 100000] [--repeat 5]

First paint: a fresh browser context opens the demo (the server already
running, as for a second user), timed until the map component has drawn its
basemap and marks and the timeline its bars; then the same context opens it
again (a returning visitor: the browser has the scripts cached).  The
baseline, in the same run, is a plain Streamlit page with one
``px.scatter_map`` of the same events (``benchmarks/baseline_map_app.py``),
timed until Plotly has drawn it, the same two ways.  Each open waits until
the page has finished running its script (the viz page sends its table in a
second run, which the drawn map asks for) before the next open begins.  Beside it, each
plotly.js build the app serves is fetched and evaluated alone on a blank
page of a new context: the dashboard's own build, and the plotly wheel's full
one as its baseline.

Filter change: with a dataset of N synthetic events open, "Minimum
fatalities" is set and Enter pressed; timed from the key press until the
map component has drawn again and the timeline shows the new count, the
script having finished.  The baseline is the same change at 10k events,
measured in the same run.  Requests to other hosts are blocked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dashboard_speed import BASELINE_DRAWN, events_csv  # noqa: E402

from tests.browser import Offline, chromium, streamlit_server  # noqa: E402
from viz.dashboard import appdata  # noqa: E402
from viz.events.store import DatasetStore, pipeline_fingerprint  # noqa: E402

WORK = ROOT / "benchmarks" / "results" / "map"
DRAWN = """() => {
  const root = document.querySelector('.st-key-events_map .viz-map');
  const ink = [...document.querySelectorAll('.st-key-events_map .layer.land path, .st-key-events_map .layer.countries path')]
      .reduce((n, p) => n + (p.getAttribute('d') || '').length, 0);
  const marks = document.querySelectorAll('.st-key-events_map .scattergeo path.point').length;
  const bars = document.querySelectorAll('.st-key-timeline .bars path').length;
  return !!root && ink > 1000 && marks > 0 && bars > 0;
}"""
IDLE = (
    "() => !document.querySelector('[data-testid=stStatusWidget] [data-testid=stStatusWidgetRunningIcon]')"
    " && !document.querySelector('[data-testid=stStatusWidget] button')"
)
STATE = """() => {
  const root = document.querySelector('.st-key-events_map .viz-map');
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const sum = gd && gd.calcdata ? gd.calcdata.filter(tr => tr[0] && tr[0].trace.type === 'bar')
      .reduce((n, tr) => n + tr.reduce((a, p) => a + (p.s || 0), 0), 0) : -1;
  return [Number(root.dataset.drawn || 0), Math.round(sum)];
}"""


def first_paint(browser, url: str, drawn_js: str, *, offline: bool = True) -> tuple[float, float]:
    """Seconds to drawn in a new browser context, then again in the same one."""
    guard = Offline()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    guard.attach(context)
    page = context.new_page()
    out = []
    for _ in range(2):
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(drawn_js, timeout=120_000, polling=50)
        out.append(time.perf_counter() - t0)
        # the page finishes what it runs after its first paint (the viz page's
        # table follows in a second run) before the next open begins
        page.wait_for_timeout(300)
        page.wait_for_function(IDLE, timeout=120_000)
    context.close()
    # the baseline's tile map asks a CDN for its style (blocked, as the app runs offline)
    assert not offline or guard.blocked == [], guard.blocked
    return out[0], out[1]


LOAD = """(src) => new Promise((resolve, reject) => {
  const t = performance.now(), s = document.createElement('script');
  s.src = src; s.onload = () => resolve(performance.now() - t); s.onerror = reject;
  document.head.appendChild(s);
})"""


def script_cost(browser, base: str, name: str) -> float:
    """Seconds for a new browser context to fetch and evaluate one of the
    plotly.js builds the app serves, alone on a blank page."""
    context = browser.new_context()
    guard = Offline()
    guard.attach(context)
    page = context.new_page()
    ms = page.evaluate(LOAD, f"{base}/app/static/{name}")
    context.close()
    assert guard.blocked == [], guard.blocked
    return ms / 1000


def filter_changes(browser, url: str, values: list[int]) -> list[float]:
    guard = Offline()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    guard.attach(context)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=180_000)
    page.wait_for_timeout(800)
    page.wait_for_function(IDLE, timeout=120_000)
    box = page.locator(".st-key-f_minf input")
    out = []
    for v in values:
        drawn, total = page.evaluate(STATE)
        box.fill(str(v))
        t0 = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(
            f"() => {{ const [d, s] = ({STATE})(); return d > {drawn} && s !== {total}; }}", timeout=120_000, polling=20
        )
        out.append(time.perf_counter() - t0)
        page.wait_for_timeout(500)
        page.wait_for_function(IDLE, timeout=120_000)
    context.close()
    assert guard.blocked == [], guard.blocked
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    store_dir = WORK / "store"
    store = DatasetStore(store_dir)
    demo = store.add_files(sorted(appdata.DEMO_DIR.glob("*.csv")))
    store.open(demo)
    demo_parquet = store_dir / demo / f"events-{pipeline_fingerprint()}"
    env = {"VIZ_STORE_DIR": str(store_dir)}

    with streamlit_server(env=env) as base, chromium() as browser:
        url = f"{base}/?v=2&ds={demo}"
        first_paint(browser, url, DRAWN)  # the server's first session opens the dataset
        ours = [first_paint(browser, url, DRAWN) for _ in range(args.repeat)]
        builds = {
            name: [script_cost(browser, base, name) for _ in range(args.repeat)]
            for name in ("plotly-viz.min.js", "plotly.min.js")
            if (ROOT / "static" / name).exists()
        }
    with (
        streamlit_server(env=env, app="benchmarks/baseline_map_app.py", args=[str(demo_parquet)]) as base,
        chromium() as browser,
    ):
        first_paint(browser, f"{base}/", BASELINE_DRAWN, offline=False)
        plain = [first_paint(browser, f"{base}/", BASELINE_DRAWN, offline=False) for _ in range(args.repeat)]
    print("first paint of the demo (417 events), the server running")
    for who, runs in (("viz", ours), ("plain px.scatter_map page", plain)):
        for i, what in ((0, "new browser context"), (1, "the same context again")):
            t = [r[i] for r in runs]
            print(f"  {who:26} {what:24} median {statistics.median(t):5.2f} s  ({', '.join(f'{x:.2f}' for x in t)})")
    print("plotly.js fetched and evaluated alone in a new context (the map's first draw waits for it)")
    for name, t in builds.items():
        who = "the dashboard's own build" if name == "plotly-viz.min.js" else "the wheel's full build (baseline)"
        size = (ROOT / "static" / name).stat().st_size / 2**20
        print(f"  {who:34} {size:4.1f} MiB  median {statistics.median(t):5.2f} s  ({', '.join(f'{x:.2f}' for x in t)})")
    sys.stdout.flush()

    results = {}
    for n in args.sizes:
        ds = store.add_files([events_csv(n)])
        store.open(ds)
        with streamlit_server(env=env) as base, chromium() as browser:
            results[n] = filter_changes(browser, f"{base}/?v=2&ds={ds}", [1, 3, 10, 0, 5][: max(args.repeat, 1) + 2])
        t = results[n]
        print(
            f"filter change at {n:>9,} events: median {statistics.median(t):5.2f} s  ({', '.join(f'{x:.2f}' for x in t)})",
            flush=True,
        )
    if len(results) > 1:
        lo = min(results)
        for n in sorted(results)[1:]:
            ratio = statistics.median(results[n]) / statistics.median(results[lo])
            print(f"  {n:,} beside {lo:,}: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
