"""End to end: the map component in Debian's Chromium against `streamlit run`,
every request to another host blocked and counted.

Zoom kept across reruns and written to the link; the link opening at that
frame in a fresh context; labels; a stack listing all its events; playback
showing every located event in some frame, with the band on the timeline; a
country clicked filtering to it; the table's row opening its event; the
review page placing a name by a click; the layout at laptop and phone sizes;
the dark theme."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from tests.browser import ROOT, Offline, choose, settled

pytestmark = pytest.mark.browser
PLOT = ".st-key-events_map .viz-map-plot"
GEO = f"(() => {{ const g = document.querySelector('{PLOT}')._fullLayout.geo; return {{lat: g.center.lat, lon: g.center.lon, scale: g.projection.scale, land: g.landcolor}}; }})()"
POINTS = "document.querySelectorAll('.st-key-events_map .scattergeo path.point').length"


def open_page(browser, url: str, width: int = 1366, height: int = 768, ready: str = f"{POINTS} > 0", **options):
    guard = Offline()
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    guard.attach(context)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(f"() => {ready}", timeout=60_000)
    return context, page, guard


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def labels(page) -> list[str]:
    return page.evaluate(
        f"() => document.querySelector('{PLOT}').data.filter(t => t.name === 'labels').flatMap(t => t.text)"
    )


def test_zoom_survives_a_rerun_reaches_the_link_and_the_link_opens_there(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2")
    try:
        settled(page)
        box = page.locator(PLOT).bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
        for _ in range(5):
            page.mouse.wheel(0, -200)
            page.wait_for_timeout(120)
        page.wait_for_function("() => /[?&]z=/.test(location.search)", timeout=30_000)
        settled(page)
        zoomed = page.evaluate(f"() => {GEO}")
        p = params(page)
        assert zoomed["scale"] > 2 and math.isclose(2 ** float(p["z"][0]), zoomed["scale"], rel_tol=0.01)
        # a control that reruns the script and redraws every point: the frame stays
        page.locator(".st-key-color").get_by_text("main actor", exact=True).click()
        page.wait_for_function("() => /[?&]color=actor/.test(location.search)", timeout=30_000)
        settled(page)
        after = page.evaluate(f"() => {GEO}")
        assert math.isclose(after["scale"], zoomed["scale"], rel_tol=0.01)
        assert abs(after["lat"] - zoomed["lat"]) < 0.01 and abs(after["lon"] - zoomed["lon"]) < 0.01
        assert params(page)["z"] == p["z"]
        link = page.url
        assert guard.blocked == []
    finally:
        context.close()
    context, page, guard = open_page(browser, link)
    try:
        opened = page.evaluate(f"() => {GEO}")
        assert math.isclose(opened["scale"], zoomed["scale"], rel_tol=0.01)
        assert abs(opened["lat"] - float(p["lat"][0])) < 0.01 and abs(opened["lon"] - float(p["lon"][0])) < 0.01
        assert guard.blocked == []
    finally:
        context.close()


def test_labels_name_countries_at_world_scale_and_towns_zoomed_in(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2")
    try:
        world = labels(page)
        assert {"RUSSIA", "CHINA", "BRAZIL"} <= set(world)
        drawn = page.evaluate("() => document.querySelectorAll('.st-key-events_map .scattergeo text').length")
        assert drawn >= len(world)
        page.goto(f"{server}/?v=2&lat=34&lon=37&z=3.5")  # the Levant
        page.wait_for_function(f"() => {POINTS} > 0", timeout=60_000)
        near = set(labels(page))
        assert {"Damascus", "Beirut"} & near and "RUSSIA" not in near
        assert guard.blocked == []
    finally:
        context.close()


def test_a_stack_of_events_at_one_point_lists_them_all(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=SY")
    try:
        settled(page)
        counts = page.evaluate(
            f"() => document.querySelector('{PLOT}').data.filter(t => t.name === 'stacks').flatMap(t => t.text)"
        )
        n = max(int(c) for c in counts)
        stack = page.locator(".st-key-events_map .scattergeo text", has_text=re.compile(rf"^{n}$")).first
        box = stack.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        listed = page.locator(".st-key-event_stack")
        listed.get_by_text(f"{n} events at this point").wait_for(timeout=30_000)
        assert listed.locator("[role=radio], input[type=radio]").count() == n
        listed.locator("label").nth(1).click()  # the second: it opens beside the map
        page.get_by_text(re.compile(r"^Event id: ")).first.wait_for(timeout=30_000)
        page.wait_for_function("() => /[?&]ev=/.test(location.search)", timeout=30_000)
        assert guard.blocked == []
    finally:
        context.close()


def test_playback_shows_every_located_event_with_a_band_on_the_timeline(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&mode=play&win=90", height=900)
    root = ".st-key-events_map .viz-map"
    try:
        page.wait_for_function(f"() => document.querySelector('{root}').dataset.frames", timeout=30_000)
        settled(page)
        on_map = int(re.search(r"(\d+) on the map", page.get_by_text(re.compile("on the map;")).first.inner_text())[1])
        page.locator(".st-key-events_map .viz-play-speed").select_option("16")
        page.locator(".st-key-events_map .viz-play-btn").click()
        page.wait_for_function(
            "() => { const c = document.getElementById('viz-play-cursor'); return c && c.dataset.from; }",
            timeout=30_000,
        )
        page.wait_for_function(
            f"() => {{ const r = document.querySelector('{root}'); return r.dataset.frame === String(r.dataset.frames - 1); }}",
            timeout=180_000,
        )
        seen = page.evaluate(f"() => Number(document.querySelector('{root}').dataset.seen)")
        assert seen == on_map > 0
        label = page.locator(".st-key-events_map .viz-play-label").inner_text()
        assert label.startswith("90-day window: ")
        assert guard.blocked == []
    finally:
        context.close()


def test_a_country_clicked_on_the_choropleth_filters_to_it(server, browser):
    shapes = "document.querySelectorAll('.st-key-events_map path.choroplethlocation').length > 5"
    context, page, guard = open_page(browser, f"{server}/?v=2&mode=choropleth", ready=shapes)
    try:
        settled(page)
        # the largest of the compact countries (a wide one's middle can be off its shape, in the sea)
        target = page.evaluate(
            """() => { let best = null, area = 0;
              document.querySelectorAll('.st-key-events_map path.choroplethlocation').forEach(p => {
                const r = p.getBoundingClientRect();
                if (r.width < 60 && r.height < 60 && r.width * r.height > area) {
                  area = r.width * r.height; best = [r.x + r.width / 2, r.y + r.height / 2]; } });
              return best; }"""
        )
        page.mouse.move(*target)
        page.wait_for_timeout(300)
        page.mouse.click(*target)
        page.wait_for_function("() => /[?&]cc=[A-Z]{2}/.test(location.search)", timeout=30_000)
        assert guard.blocked == []
    finally:
        context.close()


def test_layout_map_above_the_fold_on_a_laptop_and_usable_on_a_phone(server, browser):
    for width, height in ((1366, 768), (1100, 900), (390, 844)):
        context, page, guard = open_page(browser, f"{server}/?v=2", width=width, height=height)
        try:
            settled(page)
            link = page.get_by_role("button", name="Link to this view").bounding_box()
            assert link["height"] < 50 and link["x"] + link["width"] <= width  # its label on one line, on the page
            r = page.locator(".st-key-events_map").bounding_box()
            assert r["width"] <= width and r["height"] >= 200
            if width >= 1280:  # side by side from about 1280 px with the sidebar open (docs/dashboard.md)
                assert r["y"] + r["height"] <= height  # all of it on the first screen
                t = page.locator(".st-key-timeline").bounding_box()
                assert t["x"] >= r["x"] + r["width"]  # the timeline beside it
            assert guard.blocked == []
        finally:
            context.close()


def test_the_map_is_drawn_to_the_width_of_its_place_and_follows_it(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2")
    try:
        # the first page's second run (the table, asked for by the drawn map) over
        page.locator(".st-key-events_table [data-testid=stDataFrameResizable]").first.wait_for(timeout=30_000)
        settled(page)
        size = (
            f"(() => {{ const d = document.querySelector('{PLOT}'); "
            "return d && d._fullLayout ? [d._fullLayout.width, d._fullLayout.height, d.parentElement.clientWidth] "
            ": [NaN, NaN, NaN]; })()"
        )
        # not wider than its column (over the timeline), nor narrower
        page.wait_for_function(f"() => {{ const s = {size}; return Math.abs(s[0] - s[2]) < 2; }}", timeout=10_000)
        width, height, _ = page.evaluate(f"() => {size}")
        # the column narrows with the window unchanged (a sidebar opened, the columns laid out late);
        # the world map's height follows its width
        page.evaluate("() => { document.querySelector('.st-key-events_map .viz-map').style.width = '360px'; }")
        page.wait_for_function(
            f"() => {{ const s = {size}; return Math.abs(s[0] - 360) < 2 && s[1] < {height}; }}", timeout=10_000
        )
        page.evaluate("() => { document.querySelector('.st-key-events_map .viz-map').style.width = ''; }")
        page.wait_for_function(
            f"() => {{ const s = {size}; return Math.abs(s[0] - {width}) < 2 && Math.abs(s[1] - {height}) < 2; }}",
            timeout=10_000,
        )
        settled(page)
        assert "z" not in params(page)  # a change of size is no view of the user's: the link is unchanged
        assert guard.blocked == []
    finally:
        context.close()


def test_the_dark_theme_darkens_the_map(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2", color_scheme="dark")
    try:
        settled(page)
        assert page.evaluate(f"() => {GEO}")["land"] == "#2b2f36"
        assert guard.blocked == []
    finally:
        context.close()


def test_the_review_page_places_a_name_where_the_map_is_clicked(server, browser):
    guard = Offline()
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    guard.attach(context)
    page = context.new_page()
    page.goto(f"{server}/?v=2&page=review")
    try:
        plot = page.locator(".st-key-review_map .viz-map-plot")
        plot.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => { const g = document.querySelector('.st-key-review_map .viz-map-plot'); return g && g._fullLayout && g._fullLayout.geo; }",
            timeout=60_000,
        )
        settled(page)
        lat_box = page.locator(".st-key-review_lat input")
        globe = page.locator(".st-key-review_map .geo .bg rect").first
        globe.scroll_into_view_if_needed()
        box = globe.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        lat_box.wait_for(timeout=30_000)
        # both boxes are filled by one rerun, whose elements reach the page one after the other
        page.wait_for_function(
            "() => ['lat', 'lon'].every(k => { const i = document.querySelector(`.st-key-review_${k} input`); "
            "return i && i.value !== ''; })",
            timeout=30_000,
        )
        lat = float(lat_box.input_value())
        lon = float(page.locator(".st-key-review_lon input").input_value())
        centre = page.evaluate(
            "() => { const g = document.querySelector('.st-key-review_map .viz-map-plot')._fullLayout.geo; return [g.center.lat, g.center.lon]; }"
        )
        assert abs(lat - centre[0]) < 5 and abs(lon - centre[1]) < 5  # the middle of the map, not 0, 0
        assert page.locator(".st-key-review_save button").is_enabled()
        assert guard.blocked == []
    finally:
        context.close()


def test_the_table_follows_the_first_drawn_map_with_nothing_clicked(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=LY")
    try:
        page.locator(".st-key-events_table [data-testid=stDataFrameResizable]").first.wait_for(timeout=30_000)
        page.get_by_text("Download CSV").first.wait_for(timeout=30_000)
        assert page.get_by_text("follow once the map is drawn").count() == 0
        assert page.evaluate(f"() => {POINTS}") > 0 and guard.blocked == []
    finally:
        context.close()


def test_a_table_row_opens_its_event_and_rings_it_on_the_map(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=LY", height=900)
    try:
        settled(page)
        table = page.locator(".st-key-events_table [data-testid=stDataFrameResizable]").first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        # the first row's selection box: the narrow column at the left, under the header row
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        page.get_by_text(re.compile(r"^Event id: ")).first.wait_for(timeout=30_000)
        page.wait_for_function("() => /[?&]ev=/.test(location.search)", timeout=30_000)
        # the grid is drawn on a canvas: the row's date is checked in the detail; newest first
        demo = pd.concat(pd.read_csv(p) for p in sorted((ROOT / "data" / "demo").glob("*.csv")))
        newest = demo.loc[demo["country_code"] == "LY", "date"].max()
        page.get_by_text(re.compile(rf"^Date: {newest}")).first.wait_for(timeout=30_000)
        settled(page)
        ring = page.evaluate(f"() => document.querySelector('{PLOT}').data.filter(t => t.name === 'open event').length")
        assert ring == 1
        assert guard.blocked == []
    finally:
        context.close()


def test_an_embed_shows_the_view_without_controls_and_the_link_box_offers_it(server, browser):
    context, page, guard = open_page(browser, f"{server}/?v=2&cc=SY")
    try:
        settled(page)
        page.get_by_test_id("stPopoverButton").filter(has_text="Link to this view").click()
        snippet = page.get_by_text(re.compile(r"^<iframe src=")).first
        snippet.wait_for(timeout=30_000)
        src = re.search(r'src="([^"]+)"', snippet.inner_text())[1].replace("&amp;", "&")
        assert "cc=SY" in src and src.endswith("embed=true")
        assert guard.blocked == []
    finally:
        context.close()
    context, page, guard = open_page(browser, src)
    try:
        settled(page)
        assert page.evaluate(f"() => {POINTS}") > 0
        assert page.locator(".st-key-timeline .bars path").count() > 0
        assert not page.locator("section[data-testid=stSidebar]").is_visible()
        assert page.locator(".st-key-events_table").count() == 0 and page.locator(".st-key-page").count() == 0
        assert page.get_by_test_id("stPopoverButton").count() == 0
        assert guard.blocked == []
    finally:
        context.close()


def test_the_playback_renders_to_a_gif_the_page_offers_to_download(server, browser, tmp_path):
    from PIL import Image

    context, page, guard = open_page(browser, f"{server}/?v=2&cc=LY&mode=play&win=365", height=900)
    try:
        settled(page)
        frames = int(page.evaluate("() => document.querySelector('.st-key-events_map .viz-map').dataset.frames"))
        page.get_by_text("Pictures and films of this view").click()
        # the choice shown picked before the film is asked for (a clean-clone run rendered an MP4
        # here: the click had been lost)
        choose(page, "film_fmt", "GIF")
        page.locator(".st-key-film_go button").click()
        button = page.locator(".st-key-dl_film button")
        button.wait_for(timeout=120_000)
        assert "GIF" in button.inner_text()
        with page.expect_download() as dl:
            button.click()
        assert dl.value.suggested_filename == "events.gif"
        path = tmp_path / "film.gif"
        dl.value.save_as(path)
        gif = Image.open(path)
        assert gif.n_frames == frames and gif.size == (1280, 720)
        assert guard.blocked == []
    finally:
        context.close()


LOADED = "() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop()).filter(n => n.startsWith('plotly'))"


def test_the_dashboard_loads_its_own_plotly_build_and_the_full_one_only_for_tiles(browser):
    """Offline, the page loads one plotly.js: the dashboard's own build when
    ``make`` made it (else the wheel's).  A tile basemap (opt-in) needs the
    full build: switching to it loads that and hands every plot over to it."""
    from tests.browser import streamlit_server
    from viz.dashboard import mapcomponent

    expected = {"partial": "plotly-viz.min.js", "full": "plotly.min.js"}[mapcomponent.bundle()]
    with streamlit_server(env={"VIZ_ONLINE_TILES": "1"}) as base:
        context, page, guard = open_page(browser, f"{base}/?v=2")
        try:
            assert page.evaluate(LOADED) == [expected]
            assert guard.blocked == []
            page.locator(".st-key-bm label").filter(has_text="online tiles").click()
            page.wait_for_function(
                f"() => {{ const gd = document.querySelector('{PLOT}');"
                " return gd && gd._fullData && gd._fullData.some(t => t.type === 'scattermap'); }",
                timeout=60_000,
            )
            assert "plotly.min.js" in page.evaluate(LOADED)
            # the timeline, drawn before by the first build, is drawn again (by the full one)
            page.wait_for_function(
                "() => document.querySelectorAll('.st-key-timeline .bars path').length > 0", timeout=60_000
            )
            # what the tiles asked of their host was blocked and counted, and nothing else left
            assert guard.blocked and {urlparse(u).hostname for u in guard.blocked} == {"tile.openstreetmap.org"}
        finally:
            context.close()
