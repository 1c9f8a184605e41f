"""The README's picture of the dashboard, taken from the real app.

    python scripts/screenshot.py [--out docs/dashboard.png] [--query "?mode=grid"]

Starts ``streamlit run app.py`` on the bundled demo data on a free loopback
port, opens it in Debian's Chromium (Playwright, every request to another
host blocked and counted), waits until the map's basemap and marks and the
timeline's bars are drawn, and saves a PNG of the page.  ``make screenshot``
runs it.  It fails, writing nothing, when the page tried to reach another
host or did not draw.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import DASHBOARD_DRAWN, Offline, chromium, streamlit_server  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "dashboard.png"))
    ap.add_argument("--query", default="", help="the view to show, as a link's query (?mode=grid&cc=SY ...)")
    ap.add_argument("--width", type=int, default=1366)
    ap.add_argument("--height", type=int, default=1500)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    with streamlit_server() as base, chromium() as browser:
        guard = Offline()
        context = browser.new_context(viewport={"width": args.width, "height": args.height})
        guard.attach(context)
        page = context.new_page()
        page.goto(base + "/" + args.query)
        page.wait_for_function(DASHBOARD_DRAWN, timeout=120_000)
        page.wait_for_timeout(1500)  # let Plotly finish its transitions
        png = page.screenshot(full_page=False)
        context.close()
    if guard.blocked:
        print(f"the page tried to reach other hosts ({len(guard.blocked)}): {guard.blocked[:3]}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    print(
        f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {len(png):,} bytes, "
        f"{args.width}x{args.height}, {time.perf_counter() - t0:.1f} s; 0 requests left the machine"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
