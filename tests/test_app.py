"""The Streamlit wiring, with AppTest (no browser)."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def shown(element) -> str:
    """An element's text as the user sees it (markdown escapes undone)."""
    return re.sub(r"\\(.)", r"\1", element.value)


def test_geocoder_page_geocodes_and_keeps_query_in_url():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and at.radio(key="page").value == "events"
    assert not at.text_input(key="f_text").value and not [t for t in at.text_input if t.key == "q"]  # one page built
    at.radio(key="page").set_value("geocoder").run()
    assert "Saraqib" in at.success[0].value
    at.text_input(key="q").set_value("Tripoli").run()
    at.text_input(key="ctx").set_value("Beirut").run()
    assert "(LB)" in shown(at.success[0])
    assert at.query_params["gq"] in ("Tripoli", ["Tripoli"]) and at.query_params["gctx"] in ("Beirut", ["Beirut"])


def test_link_restores_query():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["q"] = "Tripoli"
    at.query_params["cc"] = "LB"
    at.run()
    assert at.text_input(key="q").value == "Tripoli"
    assert "(LB)" in shown(at.success[0])


def test_unknown_and_bad_input_show_notices():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "geocoder"
    at.run()
    at.text_input(key="q").set_value("xqzvtkw").run()
    assert not at.exception and "not found" in at.info[0].value
    at.text_input(key="q").set_value("Idlib").run()
    at.text_input(key="cc").set_value("S1").run()
    assert not at.exception and at.warning


def test_events_tab_shows_demo_and_filters_dates():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("417 events between 2017-08-25 and 2025-01-27" in c.value for c in at.caption)
    from datetime import date

    at.slider(key="dates").set_value((date(2022, 2, 24), date(2022, 3, 31))).run()
    cap = next(c.value for c in at.caption if "events between" in c.value)
    n = int(cap.split()[0])
    assert 10 < n < 60 and "2022-02-24 and 2022-03-31" in cap


def test_data_argument_loads_user_files(tmp_path, monkeypatch):
    from tests import fixtures

    src = fixtures.acled(tmp_path / "acled.csv")
    monkeypatch.setattr("sys.argv", ["app.py", "--data", str(src)])
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("3 events between 2020-02-28 and 2022-02-24" in c.value for c in at.caption)


def _count(at) -> int:
    return int(next(c.value for c in at.caption if "events between" in c.value).split()[0])


def test_filters_write_the_url_and_a_link_restores_them():
    at = AppTest.from_file(APP, default_timeout=120).run()
    total = _count(at)
    shown = at.multiselect(key="f_type").options  # each option with its number of events in the data
    assert any(re.fullmatch(r"protest \([\d,]+\)", o) for o in shown), shown
    at.multiselect(key="f_type").set_value(["protest"]).run()
    at.multiselect(key="f_cc").set_value(["RU"]).run()
    n = _count(at)
    assert 0 < n < total
    params = dict(at.query_params)
    assert params["v"] in ("2", ["2"]) and params["type"] in ("protest", ["protest"])
    again = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        again.query_params[k] = v
    again.run()
    assert again.multiselect(key="f_type").value == ["protest"]
    assert again.multiselect(key="f_cc").value == ["RU"]
    assert _count(again) == n and not again.warning


def test_bad_link_parameters_fall_back_with_a_notice():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["v"] = "2"
    at.query_params["actor"] = "Atlantis"
    at.query_params["from"] = "2020-13-45"
    at.query_params["mode"] = "<b>x</b>"
    at.run()
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "Atlantis" in text and "not a date" in text and "mode" in text
    assert at.multiselect(key="f_actor").value == []


def test_link_time_range_narrows_the_events():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["v"] = "2"
    at.query_params["t0"] = "2022-02-24"
    at.query_params["t1"] = "2022-03-31"
    at.run()
    cap = next(c.value for c in at.caption if "events between" in c.value)
    assert "timeline range 2022-02-24 to 2022-03-31" in cap
    assert 10 < int(cap.split()[0]) < 60
    assert at.query_params["t0"] in ("2022-02-24", ["2022-02-24"])


def test_link_opens_an_event_and_a_stale_one_is_noticed(geocoder):
    from viz.dashboard.appdata import DEMO_DIR
    from viz.events.ingest import load

    frame, _ = load([DEMO_DIR], geocoder=geocoder)
    row = frame[frame["place"] == "Saraqib"].iloc[0]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["v"] = "2"
    at.query_params["ev"] = row["event_id"]
    at.run()
    texts = [t.value for t in at.text]
    assert f"Event id: {row['event_id']}" in texts
    assert any(t.startswith("Place: Saraqib") for t in texts)
    assert at.query_params["ev"] in (row["event_id"], [row["event_id"]])
    stale = AppTest.from_file(APP, default_timeout=120)
    stale.query_params["v"] = "2"
    stale.query_params["ev"] = "ffffffffffffffff"
    stale.run()
    assert any("not in this dataset" in w.value for w in stale.warning)
    assert not any(t.value.startswith("Event id:") for t in stale.text)


def test_map_controls_are_in_the_url():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="color").set_value("actor").run()
    at.radio(key="size").set_value("count").run()
    assert at.query_params["color"] in ("actor", ["actor"]) and at.query_params["size"] in ("count", ["count"])
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params["v"] = "2"
    again.query_params["color"] = "actor"
    again.query_params["size"] = "count"
    again.run()
    assert again.radio(key="color").value == "actor" and again.radio(key="size").value == "count"


def test_dataset_ids_in_links_bad_ones_fall_back_with_a_notice():
    at = AppTest.from_file(APP, default_timeout=120).run()
    ds = at.query_params["ds"]
    ds = ds[0] if isinstance(ds, list) else ds
    assert len(ds) == 16 and at.selectbox(key="dataset").value == ds
    for bad, notice in (("../data/demo", "16 hex digits"), ("0123456789abcdef", "not in the local store")):
        again = AppTest.from_file(APP, default_timeout=120)
        again.query_params["ds"] = bad
        again.run()
        assert not again.exception
        assert any(notice in shown(w) for w in again.warning), [w.value for w in again.warning]
        assert again.selectbox(key="dataset").value == ds  # the default data instead


def test_map_modes_and_the_link_popover():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["mode"] = "grid"
    at.query_params["win"] = "90"
    at.run()
    assert not at.exception and at.radio(key="mode").value == "grid"
    assert any("° cells" in shown(c) for c in at.caption)
    at.radio(key="mode").set_value("play").run()
    assert at.select_slider(key="win").value == 90
    assert any("90-day window" in shown(c) for c in at.caption)
    link = at.code[0].value
    assert "mode=play" in link and "win=90" in link and "ds=" in link


def test_review_saves_a_correction_that_applies_to_the_events():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    at.radio(key="page").set_value("review").run()
    label = at.selectbox(key="review_place")
    # choose a resolved name and move it to the last candidate offered
    options = label.options
    idx = next(i for i, o in enumerate(options) if "not resolved" not in o)
    label.set_value(idx).run()
    name = options[idx].split(" (")[0]
    choices = at.radio(key="review_choice").options
    at.radio(key="review_choice").set_value(len(choices) - 1).run()  # "Enter coordinates"
    at.number_input(key="review_lat").set_value(1.25).run()
    at.number_input(key="review_lon").set_value(2.5).run()
    at.button(key="review_save").click().run()
    assert not at.exception
    assert any("Saved" in shown(s) for s in at.success)
    at.radio(key="page").set_value("events").run()
    assert any("placed by your corrections" in e.label for e in at.expander)
    fresh = AppTest.from_file(APP, default_timeout=120).run()  # a future load: still applied
    assert any("placed by your corrections" in e.label for e in fresh.expander)
    from viz.events.corrections import Corrections

    saved = Corrections().all()
    assert any(c.place == name and (c.lat, c.lon) == (1.25, 2.5) for c in saved)
    Corrections().remove(saved[0].place, saved[0].country)  # leave the session's store as found


def test_every_map_mode_with_nothing_selected_and_a_linked_frame():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lat": "35.5", "lon": "38", "z": "5"})
    at.run()
    at.text_input(key="f_text").set_value("zzzzqqq").run()
    assert any(c.value.startswith("0 events between") for c in at.caption)
    for mode in ("grid", "density", "choropleth", "play", "points"):
        at.radio(key="mode").set_value(mode).run()
        assert not at.exception, mode
    params = dict(at.query_params)  # the link's frame is kept through every change
    assert params["lat"] in ("35.5", ["35.5"]) and params["z"] in ("5", ["5"])
    at.button(key="map_reset").click().run()  # framed on the events again: no frame in the link
    assert not at.exception and "lat" not in dict(at.query_params)


def test_an_article_event_shows_its_sentence_with_the_places_marked(tmp_path, monkeypatch):
    from viz.events.articles import extract_text

    text = "date 2024-05-02 Clashes in Mali\n\nRebels seized the towns of Kidal and Gao on <b>Tuesday</b>.\n"
    path = tmp_path / "mali.txt"
    path.write_text(text, encoding="utf-8")
    events = extract_text(text, source="mali.txt")
    ev = events[events["place_name"] == "Gao"].iloc[0]["event_id"]
    monkeypatch.setattr("sys.argv", ["app.py", "--data", str(path)])
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["ev"] = ev
    at.run()
    assert not at.exception
    evidence = next(m.value for m in at.markdown if m.value.startswith("Evidence:"))
    assert ":orange-background[Kidal]" in evidence and ":orange-background[Gao]" in evidence
    assert "<b>" not in evidence and r"\<b\>" in evidence  # the text stays inert


def test_a_damaged_stored_dataset_is_healed_and_said_and_blocks_nothing():
    import os

    from viz.events.store import DatasetStore

    store = DatasetStore(os.environ["VIZ_STORE_DIR"])
    ds = store.add_bytes([("healme.csv", b"date,place\n2021-06-01,Homs\n")], label="healme")
    (store.root / ds / "meta.json").write_text("{", encoding="utf-8")  # cut short
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("was damaged" in w.value for w in at.warning)  # (the markdown source escapes the dots)
    assert any("events between" in c.value for c in at.caption)  # the demo still draws


@pytest.mark.parametrize(
    "params",
    [
        {"t0": "9999-12-30", "t1": "9999-12-31"},
        {"t0": "0001-01-01", "t1": "0001-01-02"},
        {"win": "9" * 5000},
        {"z": "13"},
        {"z": "1e400", "lat": "nan", "lon": "-inf"},
        {"from": "9999-12-31", "to": "0001-01-01"},
        {"minf": "9" * 40},
        {"ev": "<script>", "ds": "../../etc", "page": "\x00"},
    ],
)
def test_hostile_links_run_with_a_notice_at_most(params):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["v"] = "2"
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception


def test_the_user_says_the_date_order_the_data_do_not(monkeypatch, tmp_path):
    path = tmp_path / "us.csv"
    path.write_text("date,place\n03/01/2022,Homs\n04/02/2022,Hama\n05/03/2022,Idlib\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["app.py", "--data", str(path)])
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("No dated events" in w.value for w in at.warning)  # every date reads both ways: none guessed
    at.radio(key="date_order").set_value("month-first").run()
    assert not at.exception
    assert any("3 events between 2022-03-01 and 2022-05-03" in c.value for c in at.caption)


def test_a_read_only_server_offers_no_writes(monkeypatch):
    AppTest.from_file(APP, default_timeout=120).run()  # the demo is in the store
    monkeypatch.setenv("VIZ_READ_ONLY", "1")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert [u for u in at.get("file_uploader")] == []  # no uploads, no bundle imports
    assert any("read-only" in c.value for c in at.sidebar.caption)
    at.radio(key="page").set_value("review").run()
    assert not at.exception
    assert at.button(key="review_save").disabled
    assert any("read-only" in c.value for c in at.caption)


def test_a_sessions_first_page_is_map_and_timeline_and_the_table_and_downloads_follow():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.dataframe and not at.get("download_button")
    assert any("follow once the map is drawn" in c.value for c in at.caption)
    assert any("417 events from" in e.label for e in at.expander)  # what the load read is said at once
    at.run()  # the rerun the drawn map asks for (any rerun brings it)
    assert not at.exception and len(at.dataframe) == 1 and len(at.dataframe[0].value) == 417
    assert {b.proto.label for b in at.get("download_button")} >= {"Download CSV", "Download GeoJSON"}
    assert not any("follow once the map is drawn" in c.value for c in at.caption)
