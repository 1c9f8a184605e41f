"""The CLI as a user runs it: a fresh process each time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "viz", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=300
    )


def test_geocode_text_and_json():
    r = run("geocode", "Saraqeb")
    assert r.returncode == 0 and r.stdout.startswith("Saraqib")
    r = run("geocode", "Saraqeb", "--json")
    row = json.loads(r.stdout)
    assert set(row) >= {"query", "name", "lat", "lon", "country_code", "feature", "geonameid", "score"}
    assert (row["query"], row["name"], row["country_code"], row["feature"]) == ("Saraqeb", "Saraqib", "SY", "city")


def test_geocode_country_and_limit():
    r = run("geocode", "Tripoli", "--country", "LB", "--json")
    assert json.loads(r.stdout)["country_code"] == "LB"
    r = run("geocode", "Tripoli", "--limit", "3", "--json")
    rows = json.loads(r.stdout)
    assert isinstance(rows, list) and len(rows) == 3
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]


def test_not_found_exit_1():
    r = run("geocode", "xqzvtkw")
    assert r.returncode == 1
    assert r.stderr.strip() == "not found: xqzvtkw"
    assert r.stdout == ""


def test_bad_country_code_exit_2():
    r = run("geocode", "Idlib", "--country", "Syria")
    assert r.returncode == 2 and "ISO 3166-1" in r.stderr


def test_jsonl_in_order_with_context_and_errors():
    lines = [
        {"query": "Tripoli", "context": ["Misrata"]},
        {"query": "Tripoli", "context": ["Beirut"]},
        {"query": "zzqqxxv"},
        {"query": "Aleppo", "country_codes": ["SY"]},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nthis is not json\n" + json.dumps({"q": "no query key"}) + "\n"
    r = run("geocode", "--jsonl", stdin=stdin)
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 6
    assert [o.get("country_code") for o in out[:2]] == ["LY", "LB"]
    assert out[2] == {"query": "zzqqxxv", "error": "not found"}
    assert out[3]["name"] == "Aleppo"
    assert out[4]["line"] == 5 and "error" in out[4]
    assert out[5]["line"] == 6 and "error" in out[5]
    assert "6 lines: 3 found" in r.stderr


def test_gazetteer_info():
    r = run("gazetteer", "info")
    info = json.loads(r.stdout)
    assert info["cities"] > 200_000 and info["countries"] >= 240 and info["admin1"] > 3000


def test_store_add_prints_the_id_a_link_names_and_lists_it(tmp_path, monkeypatch):
    import io

    from tests import fixtures
    from viz.cli import main

    monkeypatch.setenv("VIZ_STORE_DIR", str(tmp_path / "store"))
    src = fixtures.acled(tmp_path / "acled.csv")
    out, err = io.StringIO(), io.StringIO()
    assert main(["store", "add", str(src), "--label", "my ACLED"], out, err) == 0
    ds = out.getvalue().strip()
    assert len(ds) == 16 and "3 rows read, 3 kept" in err.getvalue()
    out2 = io.StringIO()
    assert main(["store", "list"], out2, io.StringIO()) == 0
    assert out2.getvalue().startswith(ds) and "my ACLED" in out2.getvalue()
    err3 = io.StringIO()
    assert main(["store", "add", str(tmp_path / "nope.csv")], io.StringIO(), err3) == 2
    assert "nope.csv: no such file" in err3.getvalue()
