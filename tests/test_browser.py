"""End to end: the geocoder page in Debian's Chromium against `streamlit run`,
with every request to another host blocked and counted."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser import Offline, artifacts_dir, choose, settled, streamlit_server

pytestmark = pytest.mark.browser


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
    choose(page, "page", "Geocoder")  # clicked right after the page opens, while it may still be running


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


def steady(page, *, quiet_ms: int = 1500, timeout_s: float = 30.0) -> tuple[int, str]:
    """The count shown and the link, once the app has stopped running and
    neither has changed for ``quiet_ms`` (each key press reruns the script:
    the caption and the URL of one rerun can be read while the next is on
    its way)."""
    deadline = time.monotonic() + timeout_s
    settled(page)
    last = (_count(page), page.url)
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = (_count(page), page.url)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the view kept changing for {timeout_s:.0f} s: {last}")


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
        page.wait_for_function("() => location.search.includes('from=')", timeout=30_000)
        narrowed, link = steady(page)
        assert narrowed < 417
        assert guard.blocked == [], f"requests left the machine: {guard.blocked}"
    finally:
        context.close()
    # the changed filter's URL, opened in a fresh context, shows the same view
    context, page, guard = open_page(browser, link)
    try:
        wait_for_map(page, "events_map")
        assert _count(page) == narrowed
        start = parse_qs(urlparse(link).query)["from"][0]
        page.get_by_text(start).first.wait_for(timeout=30_000)  # the slider's first thumb shows it
        assert guard.blocked == []
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
        drag.scroll_into_view_if_needed()
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
        point.scroll_into_view_if_needed()
        box = point.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text(re.compile(r"^Event id: [0-9a-f]{16}")).first.wait_for(timeout=30_000)
        page.wait_for_function("() => /[?&]ev=[0-9a-f]{16}/.test(location.search)", timeout=30_000)
        assert page.get_by_text(re.compile(r"^Place: .*\(LY\)")).count() >= 1
        assert guard.blocked == []
    finally:
        context.close()


# events counted by the timeline's drawn bars (Plotly's computed bar heights)
TIMELINE_SUM = """(() => { const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  return gd && gd.calcdata ? gd.calcdata.filter(tr => tr[0] && tr[0].trace.type === 'bar')
    .reduce((n, tr) => n + tr.reduce((a, p) => a + (p.s || 0), 0), 0) : -1; })()"""


def _count(page) -> int:
    cap = page.get_by_text(re.compile(r"^\d+ events between")).first
    cap.wait_for(timeout=30_000)
    return int(cap.inner_text().split()[0])


def _drag(page, locator, fx0, fy0, fx1, fy1) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * fx0, box["y"] + box["height"] * fy0)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (fx0 + fx1) / 2, box["y"] + box["height"] * (fy0 + fy1) / 2, steps=6)
    page.mouse.move(box["x"] + box["width"] * fx1, box["y"] + box["height"] * fy1, steps=6)
    page.mouse.up()


def test_box_on_the_map_filters_timeline_and_table_and_survives_brushing(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=SY&cc=IQ&cc=TR&cc=LB")
    try:
        wait_for_map(page, "events_map")
        total = _count(page)
        page.wait_for_function(f"() => ({TIMELINE_SUM}) === {total}", timeout=30_000)
        chart = page.locator(".st-key-events_map .js-plotly-plot")
        chart.scroll_into_view_if_needed()
        chart.hover()
        page.locator('.st-key-events_map .modebar-btn[data-title="Box Select"]').click()
        _drag(
            page,
            page.locator(
                ".st-key-events_map .js-plotly-plot .bglayer rect, .st-key-events_map .js-plotly-plot .geo .bg rect"
            ).first,
            0.25,
            0.15,
            0.6,
            0.85,
        )
        page.wait_for_function("() => location.search.includes('area=')", timeout=30_000)
        page.get_by_text("an area of the map").first.wait_for(timeout=30_000)
        n = _count(page)
        assert 0 < n < total
        # the timeline counts only the events in the area (the table shows the same selection)
        page.wait_for_function(f"() => ({TIMELINE_SUM}) === {n}", timeout=30_000)
        area_link = page.url
        # brushing the timeline now keeps the map's area: both are in the link
        _drag(page, page.locator(".st-key-timeline .js-plotly-plot .nsewdrag").first, 0.2, 0.5, 0.9, 0.5)
        page.wait_for_function(
            "() => location.search.includes('t0=') && location.search.includes('area=')", timeout=30_000
        )
        assert _count(page) <= n
        page.screenshot(path=str(artifacts_dir() / "events-area-and-range.png"), full_page=True)
        assert guard.blocked == []
    finally:
        context.close()
    # the link with the area opens the same selection in a fresh context, outline drawn
    context, page, guard = open_page(browser, area_link)
    try:
        wait_for_map(page, "events_map")
        assert _count(page) == n
        page.wait_for_function(
            "() => document.querySelectorAll('.st-key-events_map .scattergeo path.js-line').length > 0",
            timeout=30_000,
        )
        assert guard.blocked == []
    finally:
        context.close()


def test_grid_and_country_maps_draw_offline(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&mode=grid")
    try:
        page.wait_for_function(
            f"() => ({drawn_js('events_map')}).points > 20 && ({drawn_js('events_map')}).basemap > 1000", timeout=60_000
        )
        page.get_by_text(re.compile(r"° cells")).first.wait_for(timeout=30_000)
        page.goto(f"{server}/?v=2&mode=choropleth")
        page.wait_for_function(
            "() => document.querySelectorAll('.st-key-events_map path.choroplethlocation').length > 10", timeout=60_000
        )
        assert guard.blocked == []
    finally:
        context.close()


def test_upload_adds_a_dataset_the_link_names(server, browser, tmp_path):
    from tests import fixtures

    src = fixtures.acled(tmp_path / "my-acled.csv")
    context, page, guard = open_page(browser, f"{server}/")
    try:
        wait_for_map(page, "events_map")
        first = parse_qs(urlparse(page.url).query)["ds"][0]
        page.locator(".st-key-upload input[type=file]").set_input_files(str(src))
        page.wait_for_function(
            f"() => /ds=[0-9a-f]{{16}}/.test(location.search) && !location.search.includes('ds={first}')",
            timeout=60_000,
        )
        assert _count(page) == 3
        # stored, the uploader empties: the server no longer holds the upload's bytes for it
        page.wait_for_function("() => !document.querySelector('.st-key-upload [data-testid=stFileChip]')")
        assert page.locator(".st-key-upload input[type=file]").count() == 1  # ready for the next one
        link = page.url
        assert guard.blocked == []
    finally:
        context.close()
    context, page, guard = open_page(browser, link)  # the dataset is in the store: the link shows it
    try:
        assert _count(page) == 3
    finally:
        context.close()


def test_html_export_opens_with_no_server_and_no_network(server, browser, tmp_path):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=LY")
    try:
        wait_for_map(page, "events_map")
        settled(page)
        button = page.locator(".st-key-dl_html button")
        button.scroll_into_view_if_needed()
        download = None
        for _ in range(3):  # a click that lands during a rerun is lost: click again
            try:
                with page.expect_download(timeout=20_000) as dl:
                    button.click()
                download = dl.value
                break
            except PlaywrightTimeout:
                settled(page)
        assert download is not None, "no download after three clicks"
        path = tmp_path / "events.html"
        download.save_as(str(path))
    finally:
        context.close()
    guard = Offline()
    context = browser.new_context()
    guard.attach(context)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_function(
            """() => {
              const ink = [...document.querySelectorAll('#map .layer.land path, #map .layer.countries path')]
                .reduce((n, p) => n + (p.getAttribute('d') || '').length, 0);
              return ink > 1000 && document.querySelectorAll('#map path.point').length > 0
                && document.querySelectorAll('#timeline .bars path').length > 0;
            }""",
            timeout=60_000,
        )
        assert guard.blocked == [], guard.blocked
    finally:
        context.close()


def test_an_article_event_shows_its_sentence_with_the_places_marked(browser, tmp_path):
    from viz.events.articles import extract_text

    text = (
        "date 2024-05-02 Clashes in Mali\n\n"
        "Rebels seized the towns of Kidal and Gao on Tuesday <img src=x onerror=alert(1)>.\n"
    )
    path = tmp_path / "mali.txt"
    path.write_text(text, encoding="utf-8")
    events = extract_text(text, source="mali.txt")
    ev = events[events["place_name"] == "Gao"].iloc[0]["event_id"]
    with streamlit_server(args=["--data", str(path)]) as base:
        context, page, guard = open_page(browser, f"{base}/?v=2&ev={ev}")
        try:
            detail = page.locator(".st-key-event_detail")
            expect(detail).to_contain_text("Rebels seized the towns of", timeout=60_000)
            marked = detail.locator("span").filter(has_text=re.compile(r"^(Kidal|Gao)$"))
            expect(marked).to_have_count(2)
            bg = marked.first.evaluate("e => getComputedStyle(e).backgroundColor")
            assert bg not in ("rgba(0, 0, 0, 0)", "transparent")  # drawn as a highlight
            assert detail.locator("img").count() == 0  # the article's markup stays text
            # the page, not the element: a rerun may replace the detail's element while it is taken
            page.screenshot(path=str(artifacts_dir() / "article_evidence.png"), full_page=True)
            assert guard.blocked == []
        finally:
            context.close()


@pytest.mark.parametrize(
    "query",
    [
        "win=" + "9" * 5000,  # a number too long to parse
        "z=1e400&lat=nan&lon=-inf",  # numbers that are no numbers
        "from=9999-12-31&to=0001-01-01&t0=0001-01-01&t1=9999-12-31",  # dates the frame cannot hold
        "ds=../../etc&ev=%3Cscript%3E&page=%00",  # names that are no names
    ],
)
def test_hostile_links_draw_the_page_with_a_notice_at_most(server, browser, query):
    context, page, guard = open_page(browser, f"{server}/?v=2&{query}")
    try:
        wait_for_map(page, "events_map")
        assert page.get_by_text("Traceback").count() == 0
        assert page.locator("[data-testid='stException']").count() == 0
        assert guard.blocked == []
    finally:
        context.close()
