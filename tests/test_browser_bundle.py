"""End to end: a link and its bundle carried from one store to another (two
folders standing for two machines); the same view drawn from the second, in
a fresh browser, with every outside request blocked."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.browser import ROOT, Offline, chromium, require_chromium, streamlit_server
from viz.dashboard import appdata
from viz.events import bundle
from viz.events.corrections import Correction, Corrections
from viz.events.store import DatasetStore

pytestmark = pytest.mark.browser
POINTS = "document.querySelectorAll('.st-key-events_map .scattergeo path.point').length"
QUERY = "?v=2&cc=SY&mode=points"


def drawn_view(browser, url: str) -> tuple[str, str, int]:
    guard = Offline()
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    guard.attach(context)
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function(f"() => {POINTS} > 0", timeout=90_000)
        page.wait_for_timeout(800)
        caption = page.get_by_text(re.compile(r"^\d+ events between")).first.inner_text()
        summary = page.get_by_text(re.compile(r"^\d+ events from \d+ files")).first.inner_text()
        points = page.evaluate(f"() => {POINTS}")
        assert guard.blocked == []
        return caption, summary, points
    finally:
        context.close()


def test_a_link_opens_the_same_view_on_another_store_that_imported_its_bundle(tmp_path, geocoder):
    require_chromium()
    a = DatasetStore(tmp_path / "a")
    ds = appdata.default_dataset(a, [])  # the demo, in the first store
    a.open(ds, geocoder=geocoder)
    ca = Corrections(tmp_path / "a" / "corrections.json")
    ca.save(Correction("Nayrab", "SY", name="Nayrab", lat=36.19, lon=37.22, country_code="SY"))  # an unresolved name
    link_query = f"?v=2&ds={ds}&cc=SY&mode=points"
    with streamlit_server(env={"VIZ_STORE_DIR": str(a.root)}) as base, chromium() as browser:
        first = drawn_view(browser, base + "/" + link_query)
    assert "placed by your corrections" in first[1]
    path = bundle.export(a, ds, tmp_path / "demo.viz.zip", corrections=ca, link=link_query)
    b = tmp_path / "b"
    done = subprocess.run(
        [sys.executable, "-m", "viz", "store", "import", str(path)],
        cwd=ROOT, env={**os.environ, "VIZ_STORE_DIR": str(b)}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ds
    with streamlit_server(env={"VIZ_STORE_DIR": str(b)}) as base, chromium() as browser:
        second = drawn_view(browser, base + "/" + link_query)
    assert second == first  # the same events, the same places corrected, the same points drawn
