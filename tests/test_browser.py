"""End to end: the geocoder page in Debian's Chromium against `streamlit run`,
with every request to another host blocked and counted."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser import Offline, artifacts_dir, chromium, require_chromium, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    require_chromium()
    with streamlit_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def open_page(browser, url: str):
    guard = Offline()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    guard.attach(context)
    page = context.new_page()
    page.goto(url)
    return context, page, guard


def drawn_js(key: str) -> str:
    """What Plotly drew in the chart with Streamlit key ``key``: the length of
    the basemap's land and country paths, and the number of markers."""
    return f"""(() => {{
    const q = (sel) => [...document.querySelectorAll('.st-key-{key} ' + sel)];
    const ink = q('.js-plotly-plot .layer.land path, .js-plotly-plot .layer.countries path')
        .reduce((n, p) => n + (p.getAttribute('d') || '').length, 0);
    return {{basemap: ink, points: q('.js-plotly-plot .scattergeo path.point').length}};
}})()"""


def wait_for_map(page, key: str = "map") -> dict:
    """Wait until Plotly drew the basemap and the markers; count what it drew."""
    # Without its TopoJSON, Plotly draws empty land and country layers.
    js = drawn_js(key)
    page.wait_for_function(f"() => ({js}).basemap > 1000 && ({js}).points > 0", timeout=60_000)
    return page.evaluate(f"() => {js}")


def open_geocoder(page) -> None:
    page.get_by_role("tab", name="Geocoder").click()


def test_shared_link_restores_query_and_map_draws_offline(server, browser):
    context, page, guard = open_page(browser, f"{server}/?q=Tripoli&cc=LB")
    try:
        open_geocoder(page)
        drawn = wait_for_map(page)
        page.get_by_text("Tripoli (LB), city").first.wait_for(timeout=30_000)
        expect(page.get_by_label("Place name")).to_have_value("Tripoli", timeout=30_000)
        assert drawn["basemap"] > 1000 and drawn["points"] >= 1
        assert any("/app/static/topojson/world_" in u for u in guard.local), "basemap not served by the app"
        page.screenshot(path=str(artifacts_dir() / "geocoder-tripoli-lb.png"), full_page=True)
        assert guard.blocked == [], f"requests left the machine: {guard.blocked}"
    finally:
        context.close()


def test_typing_updates_url_and_the_url_reproduces_the_view(server, browser):
    context, page, guard = open_page(browser, f"{server}/")
    try:
        open_geocoder(page)
        wait_for_map(page)
        box = page.get_by_label("Place name")
        box.fill("Saraqeb")
        box.press("Enter")
        page.get_by_text("Saraqib (SY)").first.wait_for(timeout=30_000)
        page.wait_for_function("() => location.search.includes('gq=Saraqeb')", timeout=30_000)
        url = page.url
        assert parse_qs(urlparse(url).query)["gq"] == ["Saraqeb"]
        assert guard.blocked == []
    finally:
        context.close()
    fresh, page2, guard2 = open_page(browser, url)
    try:
        open_geocoder(page2)
        wait_for_map(page2)
        page2.get_by_text("Saraqib (SY)").first.wait_for(timeout=30_000)
        expect(page2.get_by_label("Place name")).to_have_value("Saraqeb", timeout=30_000)
        assert guard2.blocked == []
    finally:
        fresh.close()


def test_untrusted_query_is_rendered_inert(server, browser):
    evil = "<img src=x onerror=window.__pwned=1>"
    context, page, guard = open_page(browser, f"{server}/?q={evil}")
    try:
        open_geocoder(page)
        page.get_by_text("not found: <img").first.wait_for(timeout=60_000)
        assert page.evaluate("() => window.__pwned === undefined")
        expect(page.get_by_label("Place name")).to_have_value(evil, timeout=30_000)
        assert guard.blocked == []
    finally:
        context.close()


def test_demo_events_on_the_offline_map_and_date_filter(server, browser):
    context, page, guard = open_page(browser, f"{server}/")
    try:
        drawn = wait_for_map(page, "events_map")
        assert drawn["basemap"] > 1000 and drawn["points"] > 300  # the demo's located events
        page.get_by_text("417 events from 5 files").first.wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts_dir() / "events-demo.png"), full_page=True)
        # narrow the dates with the keyboard on the slider's first thumb
        thumb = page.locator(".st-key-dates input[type=range]").first
        thumb.focus()
        for _ in range(5):
            thumb.press("PageUp")
        page.wait_for_timeout(300)
        thumb.blur()
        page.wait_for_function(f"() => ({drawn_js('events_map')}).points < {drawn['points']}", timeout=30_000)
        assert guard.blocked == [], f"requests left the machine: {guard.blocked}"
    finally:
        context.close()


def test_filter_link_reproduces_the_view_in_a_fresh_context(server, browser):
    link = f"{server}/?v=2&type=protest&cc=RU"
    counts = []
    for _ in range(2):  # the same link in two fresh contexts
        context, page, guard = open_page(browser, link)
        try:
            wait_for_map(page, "events_map")
            cap = page.get_by_text(re.compile(r"\d+ events between")).first
            cap.wait_for(timeout=30_000)
            n = int(cap.inner_text().split()[0])
            assert 0 < n < 417
            drawn = page.evaluate(f"() => {drawn_js('events_map')}")
            assert 0 < drawn["points"] <= n
            counts.append(n)
            assert "type=protest" in page.url and "cc=RU" in page.url
            assert guard.blocked == []
        finally:
            context.close()
    assert counts[0] == counts[1]


def test_brushing_the_timeline_filters_the_map_and_the_url(server, browser):
    context, page, guard = open_page(browser, f"{server}/")
    try:
        before = wait_for_map(page, "events_map")["points"]
        drag = page.locator(".st-key-timeline .js-plotly-plot .nsewdrag").first
        drag.wait_for(timeout=60_000)
        box = drag.bounding_box()
        assert box is not None
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] * 0.55, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.65, y, steps=8)
        page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=8)
        page.mouse.up()
        page.wait_for_function(
            "() => location.search.includes('t0=') && location.search.includes('t1=')", timeout=30_000
        )
        page.wait_for_function(f"() => ({drawn_js('events_map')}).points < {before}", timeout=30_000)
        page.get_by_text("timeline range").first.wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts_dir() / "events-brushed.png"), full_page=True)
        assert guard.blocked == []
    finally:
        context.close()


def test_clicking_a_point_opens_its_event_and_the_url_names_it(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=LY")
    try:
        wait_for_map(page, "events_map")
        point = page.locator(".st-key-events_map .scattergeo path.point").first
        box = point.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text(re.compile(r"^Event id: [0-9a-f]{16}")).first.wait_for(timeout=30_000)
        page.wait_for_function("() => /[?&]ev=[0-9a-f]{16}/.test(location.search)", timeout=30_000)
        assert page.get_by_text(re.compile(r"^Place: .*\(LY\)")).count() >= 1
        assert guard.blocked == []
    finally:
        context.close()
