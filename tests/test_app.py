"""The Streamlit wiring, with AppTest (no browser)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_default_page_geocodes_and_keeps_query_in_url():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert "Saraqib" in at.success[0].value
    at.text_input(key="q").set_value("Tripoli").run()
    at.text_input(key="ctx").set_value("Beirut").run()
    assert "(LB)" in at.success[0].value
    assert at.query_params["q"] in ("Tripoli", ["Tripoli"]) and at.query_params["ctx"] in ("Beirut", ["Beirut"])


def test_link_restores_query():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["q"] = "Tripoli"
    at.query_params["cc"] = "LB"
    at.run()
    assert at.text_input(key="q").value == "Tripoli"
    assert "(LB)" in at.success[0].value


def test_unknown_and_bad_input_show_notices():
    at = AppTest.from_file(APP, default_timeout=120).run()
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
