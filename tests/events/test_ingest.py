"""Structured inputs into the event frame, and the load report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests import fixtures
from viz.events import schema
from viz.events.ingest import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def geo(geocoder):
    return geocoder


def test_acled_recognised_with_coordinates_kept(tmp_path, geo):
    frame, rep = load([fixtures.acled(tmp_path / "acled.csv")], geocoder=geo)
    assert list(frame.columns) == schema.NAMES
    assert rep.files[0].format.startswith("acled")
    assert len(frame) == 3 and rep.rows_kept == 3
    sar = frame.iloc[0]
    assert sar["date"] == pd.Timestamp("2020-02-29") and sar["event_type"] == "battle"
    assert sar["country_code"] == "SY" and sar["fatalities"] == 12
    assert (sar["lat"], sar["lon"]) == (35.8623, 36.8041)  # the source's coordinates, kept
    assert "HTS" in sar["actors"] and sar["text"].startswith("Clashes")
    assert frame.iloc[1]["event_type"] == "explosions/remote violence"
    assert frame.iloc[2]["country_code"] == "UA" and pd.isna(frame.iloc[2]["fatalities"])


def test_same_rows_same_ids_whatever_the_file_name(tmp_path, geo):
    a, _ = load([fixtures.acled(tmp_path / "one.csv")], geocoder=geo)
    b, _ = load([fixtures.acled(tmp_path / "two.csv")], geocoder=geo)
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))
    assert a["event_id"].is_unique


def test_encodings_utf8_bom_and_cp1252(tmp_path, geo):
    row = fixtures.ACLED_ROWS[0].replace("Saraqab,35.8623", "Saraqéb,35.8623")
    f1 = fixtures.acled(tmp_path / "bom.csv", [row], bom=True)
    f2 = fixtures.acled(tmp_path / "win.csv", [row], encoding="cp1252")
    (a, ra), (b, rb) = load([f1], geocoder=geo), load([f2], geocoder=geo)
    assert a.iloc[0]["place"] == b.iloc[0]["place"] == "Saraqéb"
    assert ra.files[0].encoding == "utf-8-sig" and rb.files[0].encoding == "cp1252"


def test_gdelt_and_ucdp(tmp_path, geo):
    frame, rep = load(
        [fixtures.gdelt(tmp_path / "20200301.export.CSV"), fixtures.ucdp(tmp_path / "ged.csv")], geocoder=geo
    )
    fmts = [f.format.split()[0] for f in rep.files]
    assert fmts == ["gdelt", "ucdp"]
    g = frame[frame["source_url"].notna()]
    assert list(g["country_code"]) == ["SY", "RU", "TR"]  # FIPS SY/RS/TU to ISO
    assert list(g["event_type"]) == ["explosions/remote violence", "agreement/diplomacy", "protest"]
    assert list(g["geo_precision"]) == ["city", "city", "country"]
    u = frame[frame["source"].isin(["Reuters", "AFP"])]
    assert list(u["fatalities"]) == [47, 30]
    assert u.iloc[0]["date_end"] == pd.Timestamp("2023-04-16")
    assert list(u["event_type"]) == ["battle", "violence against civilians"]
    # the second UCDP row has no coordinates: geocoded from its place, country as the hint
    gen = u.iloc[1]
    assert gen["place_name"] is not pd.NA and gen["country_code"] == "SD" and pd.notna(gen["lat"])


def test_other_formats_json_jsonl_parquet_excel_with_mapping(tmp_path, geo):
    df = pd.DataFrame(
        {
            "When": ["2021-05-10", "2021-05-11"],
            "Where": ["Gaza", "Sheikh Jarrah"],
            "Who": ["Hamas", "Israel"],
            "Notes": ["rockets", "protest"],
        }
    )
    paths = []
    df.to_json(tmp_path / "a.json", orient="records")
    paths.append(tmp_path / "a.json")
    df.to_json(tmp_path / "b.jsonl", orient="records", lines=True)
    paths.append(tmp_path / "b.jsonl")
    df.to_parquet(tmp_path / "c.parquet")
    paths.append(tmp_path / "c.parquet")
    df.to_excel(tmp_path / "d.xlsx", index=False)
    paths.append(tmp_path / "d.xlsx")
    (tmp_path / "e.tsv").write_text(df.to_csv(sep="\t", index=False))
    paths.append(tmp_path / "e.tsv")
    mapping = {"date": "When", "place": "Where", "actor1": "Who", "text": "Notes"}
    frame, rep = load(paths, mapping=mapping, geocoder=geo)
    assert rep.rows_read == 10 and rep.rows_kept == 10 and not rep.unreadable
    assert set(frame["country_code"].dropna()) == {"PS"}
    assert frame["lat"].notna().sum() == 5  # Gaza resolved; "Sheikh Jarrah" is not in the gazetteer
    assert rep.unresolved["Sheikh Jarrah"] == 5  # listed, rows kept


def test_bad_rows_are_named_and_nothing_is_lost(tmp_path, geo):
    rows = list(fixtures.ACLED_ROWS)
    rows.append(rows[0].replace("29 February 2020", "31 Febtember 2020").replace("SYR1", "SYR9"))
    rows.append(rows[1].replace("35.9306,36.6339", "95.5,36.6339").replace("SYR2", "SYR8"))
    rows.append(rows[1].replace(",3,,1583000000", ",many,,1583000000").replace("SYR2", "SYR7"))
    rows.append("SYR6,2020-02-27,too,few,fields")
    frame, rep = load([fixtures.acled(tmp_path / "bad.csv", rows)], geocoder=geo)
    f = rep.files[0]
    assert f.rows_read == 7 == f.rows_kept + f.rows_rejected
    assert f.rows_kept == 4 and f.rows_rejected == 3
    by_row = {p.row: p for p in f.rejected}
    assert by_row[5].column == "event_date" and "not a date" in by_row[5].reason
    assert by_row[6].column == "latitude" and "outside the globe" in by_row[6].reason
    assert by_row[8].column is None and "fields" in by_row[8].reason
    assert [w.row for w in f.warnings] == [7] and f.warnings[0].column == "fatalities"
    assert "bad.csv, row 5, column 'event_date'" in rep.summary()


def test_a_country_named_but_not_coded_is_coded_whatever_the_rows_left(tmp_path, geo):
    # no code column: the kept rows' codes come from their country names, into a column
    # the reader gave as floats (every row's code empty)
    path = tmp_path / "mine.csv"
    path.write_text(
        "event_date,event_type,actor1,country,location,latitude,longitude,fatalities\n"
        "2024-01-05,Battles,Army,Sudan,Khartoum,15.5,32.5,3\n"
        "not-a-date,Battles,Army,Sudan,Khartoum,15.5,32.5,1\n"
        "2024-01-07,Protests,Students,Sudan,Omdurman,95.1,32.4,0\n"
        '2024-01-08,Riots,"Mob, local",Sudan,Kassala,,,x\n',
        encoding="utf-8",
    )
    frame, rep = load([path], geocoder=geo)
    assert not rep.unreadable
    assert (rep.rows_read, rep.rows_kept, rep.rows_rejected) == (4, 2, 2)
    assert list(frame["country_code"]) == ["SD", "SD"]
    assert sorted(p.row for p in rep.files[0].rejected) == [3, 4]


def test_unreadable_and_unrecognised_files_are_reported(tmp_path, geo):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    frame, rep = load(
        [tmp_path / "empty.csv", tmp_path / "other.csv", tmp_path / "broken.parquet", tmp_path / "missing.csv"],
        geocoder=geo,
    )
    assert len(frame) == 0 and rep.nothing_read
    reasons = {p.file: p.reason for p in rep.unreadable}
    assert "empty" in reasons["empty.csv"]
    assert "not recognised" in reasons["other.csv"] and "--map" in reasons["other.csv"]
    assert "parquet" in reasons["broken.parquet"]
    assert "no such file" in reasons["missing.csv"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viz", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_cli_ingest_writes_parquet_and_reports(tmp_path):
    src = fixtures.acled(tmp_path / "acled.csv")
    out = tmp_path / "events.parquet"
    r = run("ingest", str(src), "--out", str(out), "--report-json", str(tmp_path / "rep.json"))
    assert r.returncode == 0, r.stderr
    assert "acled.csv (acled csv, utf-8): 3 rows read, 3 kept, 0 rejected" in r.stderr
    assert len(pd.read_parquet(out)) == 3
    assert json.loads((tmp_path / "rep.json").read_text())["rows_kept"] == 3


def test_cli_exit_2_when_nothing_read(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    r = run("ingest", str(tmp_path / "x.csv"), "--out", str(tmp_path / "o.parquet"))
    assert r.returncode == 2 and "not recognised" in r.stderr
