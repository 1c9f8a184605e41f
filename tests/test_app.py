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
