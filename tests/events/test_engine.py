"""The DuckDB engine gives the frame and report the in-memory path gives.

Each file is read both ways (``engine_min_mb=0`` sends every CSV, TSV and
Parquet file to the engine) and the two are compared: the same events, the
same columns and values, the same counts and the same rows named in the
report.  Event ids are compared too for text tables (the same hash on both
paths: of the source's own id, or of the cells as text); Parquet, JSON and
Excel files' cells reach the two paths as other values, so their ids are
compared for uniqueness.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from tests import fixtures
from viz.events import dataset, engine
from viz.events.ingest import load

KEY = ["date", "place", "actors", "text", "lat"]


@pytest.fixture(scope="module")
def geo(geocoder):
    return geocoder


def both(paths, tmp_path, geo, **kw):
    frame, rep = load(paths, geocoder=geo, **kw)
    rep2 = dataset.ingest(paths, tmp_path / "ds", geocoder=geo, engine_min_mb=0, **kw)
    return frame, rep, dataset.read(tmp_path / "ds"), rep2


def read_alike(tmp_path, geo, name: str, text: str):
    """``text`` as the file ``name``, read both ways: the same frame and report."""
    frame, rep, frame2, rep2 = both([fixtures.write(tmp_path / name, text)], tmp_path, geo)
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    if name.endswith((".csv", ".tsv")):  # a text table: the same ids on both paths
        same_ids(frame, frame2)
    return frame, rep, frame2, rep2


def same_ids(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """The same ids, and for the same events (rows that share an id aside:
    which gets which number differs)."""
    base = lambda f: f["event_id"].str.split("~").str[0]  # noqa: E731
    assert sorted(base(a)) == sorted(base(b))
    key = [c for c in KEY if c in a.columns]
    pick = lambda f: f.assign(_id=base(f))[[*key, "_id"]].astype(str).sort_values([*key, "_id"]).values.tolist()  # noqa: E731
    assert pick(a) == pick(b)


def same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert len(a) == len(b)
    assert b["event_id"].is_unique
    cols = [c for c in a.columns if c != "event_id"]
    a = a[cols].sort_values(KEY).reset_index(drop=True)
    b = b[cols].sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


def same_reports(r1, r2) -> None:
    assert [(f.file, f.rows_read, f.rows_kept, f.rows_rejected, f.geocoded) for f in r1.files] == [
        (f.file, f.rows_read, f.rows_kept, f.rows_rejected, f.geocoded) for f in r2.files
    ]
    for f1, f2 in zip(r1.files, r2.files, strict=True):
        assert sorted((p.row, p.column) for p in f1.rejected) == sorted((p.row, p.column) for p in f2.rejected)
        assert [(p.row, p.column) for p in f1.warnings] == [(p.row, p.column) for p in f2.warnings]
        assert f1.unresolved == f2.unresolved
        assert f2.format.split()[0] == f1.format.split()[0]
        f2.check()


@pytest.mark.parametrize("make", [fixtures.acled, fixtures.ucdp, fixtures.gdelt], ids=["acled", "ucdp", "gdelt"])
def test_formats_read_alike(tmp_path, geo, make):
    path = make(tmp_path / ("gdelt.export.CSV" if make is fixtures.gdelt else "events.csv"))
    frame, rep, frame2, rep2 = both([path], tmp_path, geo)
    assert len(frame) > 0
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    same_ids(frame, frame2)
    assert rep2.files[0].format.endswith(("csv", "tsv"))  # read by the engine, not the fallback


def test_bad_rows_named_alike(tmp_path, geo):
    rows = list(fixtures.ACLED_ROWS)
    rows.append(rows[0].replace("29 February 2020", "31 Febtember 2020").replace("SYR1", "SYR9"))
    rows.append("SYR6,2020-02-27,too,few,fields")
    rows.append(rows[1].replace("35.9306,36.6339", "95.5,36.6339").replace("SYR2", "SYR8"))
    rows.append(rows[1].replace(",3,,1583000000", ",many,,1583000000").replace("SYR2", "SYR7"))
    rows.append(rows[1].replace("35.9306,36.6339", "nan,36.6339").replace("SYR2", "SYR5"))
    rows.append(rows[0].replace("29 February 2020", "").replace("SYR1", "SYR4"))
    rows.append(rows[0].replace("29 February 2020", "1500-01-01").replace("SYR1", "SYR3"))
    frame, rep, frame2, rep2 = both([fixtures.acled(tmp_path / "bad.csv", rows)], tmp_path, geo)
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    same_ids(frame, frame2)
    f = rep2.files[0]
    assert f.rows_read == 10 and f.rows_rejected == 6
    reasons = {p.row: p.reason for p in f.rejected}
    assert "not a date" in reasons[5] and "fields" in reasons[6] and "outside the globe" in reasons[7]
    assert "not a number" in reasons[9] and "missing date" in reasons[10] and "outside the years" in reasons[11]


def test_own_frame_with_places_to_geocode_and_repeated_rows(tmp_path, geo):
    text = (
        "date,place,country_code,actor1,actor2,event_type,text\n"
        "2022-03-01,Kharkiv,UA,Russia,Ukraine,battle,shelling in the east\n"
        "2022-03-01,Kharkiv,UA,Russia,Ukraine,battle,shelling in the east\n"
        "2022-03-02,Idlib,SY,HTS,HTS,protest,crowds\n"
        "2022-03-03,Nowhereville Xq,,,,riot,\n"
    )
    frame, rep, frame2, rep2 = read_alike(tmp_path, geo, "mine.csv", text)
    ids = sorted(frame2["event_id"])
    assert sum(i.endswith("~2") for i in ids) == 1  # the repeated row keeps its own id
    assert rep2.files[0].unresolved == {"Nowhereville Xq": 1}
    assert "HTS" in set(frame2["actors"])  # named twice, listed once


def test_own_frame_under_other_spellings_of_its_columns(tmp_path, geo):
    """``Date``/``Place`` in any case and ``latitude``/``longitude`` (or ``lng``)
    are the frame's columns: the coordinates are used, and checked, by both
    readers; a column the frame has no place for is named, not dropped unsaid."""
    text = (
        " Date ,PLACE,Latitude,lng,Notes\n"
        "2022-03-01,Somewhere Xq,10.5,20.25,first\n"
        "2022-03-02,Elsewhere Xq,999,20.25,off the globe\n"
    )
    frame, rep, frame2, rep2 = read_alike(tmp_path, geo, "spelt.csv", text)
    for f in (rep.files[0], rep2.files[0]):
        assert (f.rows_read, f.rows_kept, f.rows_rejected) == (2, 1, 1)
        assert [(p.row, p.column) for p in f.rejected] == [(3, "Latitude")]
        assert "outside the globe" in f.rejected[0].reason
        assert [(p.column, "not read" in p.reason) for p in f.warnings] == [("Notes", True)]
        assert not f.unresolved  # placed by its coordinates, not looked up by name
    assert (frame2["lat"].tolist(), frame2["lon"].tolist()) == ([10.5], [20.25])


def test_numeric_dates_order_inferred_alike(tmp_path, geo):
    text = "date,place,lat,lon\n03/01/2022,A,1,1\n13/01/2022,B,1,1\n01/13/2022,C,1,1\n"
    frame, rep, frame2, rep2 = read_alike(tmp_path, geo, "dates.csv", text)


def test_parquet_and_the_rest_in_one_dataset(tmp_path, geo):
    first, _ = load([fixtures.acled(tmp_path / "a.csv")], geocoder=geo)
    pq = tmp_path / "in" / "events.parquet"
    pq.parent.mkdir()
    first.to_parquet(pq, index=False)
    fixtures.write(
        # an API's {"data": [...]}: not a shape the engine reads, so the in-memory reader's part
        tmp_path / "in" / "more.json",
        '{"data": [{"date": "2021-05-01", "place": "Gaza", "lat": 31.5, "lon": 34.47}]}',
    )
    rep = dataset.ingest([tmp_path / "in"], tmp_path / "ds", geocoder=geo, engine_min_mb=0)
    got = dataset.read(tmp_path / "ds")
    assert rep.rows_read == len(first) + 1 == len(got)
    assert [(f.file, f.format) for f in rep.files] == [("events.parquet", "viz parquet"), ("more.json", "viz json")]
    assert sum(len(f) for f in dataset.frames(tmp_path / "ds", rows=2)) == len(got)
    assert [p.name for p in dataset.parts(tmp_path / "ds")] == ["f00000.parquet", "mem.parquet"]


def test_rejected_parquet_rows_are_named_by_their_record_alike(tmp_path, geo):
    """A Parquet file has no header row: its first record is row 1 in both readers."""
    pq = tmp_path / "events.parquet"
    pd.DataFrame({"date": ["yesterday", "2022-01-02", "bad"], "place": ["Homs"] * 3}).to_parquet(pq, index=False)
    frame, rep, frame2, rep2 = both([pq], tmp_path, geo)
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    assert [p.row for p in rep2.files[0].rejected] == [1, 3]


JSON_RECORDS = [
    {"date": "2022-03-01", "place": "Kharkiv", "fatalities": 3, "lat": 49.99, "lon": 36.23, "seen": True},
    {"date": "not yet", "place": "Somewhere Xq", "fatalities": 1.5},
    {"place": "Idlib", "date": "2022-03-03", "actor1": "HTS", "extra": {"a": [1, 2]}},
    {"date": "2022-03-04", "place": "Nowhereville Xq", "fatalities": "2 killed"},
]


@pytest.mark.parametrize(
    ("name", "text", "engine_reads"),
    [
        ("array.json", json.dumps(JSON_RECORDS), True),
        ("lines.jsonl", "\n".join(json.dumps(r) for r in JSON_RECORDS) + "\n", True),
        ("lines-no-last-newline.jsonl", "\n".join(json.dumps(r) for r in JSON_RECORDS), True),
        # left to the in-memory reader, which says what is wrong: read alike all the same
        ("blank-lines.jsonl", "\n\n".join(json.dumps(r) for r in JSON_RECORDS), False),
        ("broken-line.jsonl", "\n".join(json.dumps(r) for r in JSON_RECORDS) + '\n{"date": \n', False),
        ("not-objects.json", json.dumps([*JSON_RECORDS, [1, 2], "x"]), False),
        ("api.json", json.dumps({"data": JSON_RECORDS}), False),
    ],
)
def test_json_is_read_by_the_engine_a_record_at_a_time_alike(tmp_path, geo, name, text, engine_reads):
    frame, rep, frame2, rep2 = read_alike(tmp_path, geo, name, text)
    con = engine.connect()
    try:
        assert (engine.source(con, tmp_path / name, "t") is not None) is engine_reads
    finally:
        con.close()
    f = rep2.files[0]
    assert f.rows_kept == 3 and f.rows_read == f.rows_kept + f.rows_rejected
    dated = [(p.row, p.value) for p in f.rejected if p.column == "date"]
    assert [v for _, v in dated] == ["not yet"]
    if engine_reads:  # the second record is row 2 (the in-memory reader agrees: same_reports)
        assert dated[0][0] == 2
    # one part, and no staging of the records left beside it
    assert [p.name for p in (tmp_path / "ds").iterdir()] == ["f00000.parquet" if engine_reads else "mem.parquet"]
    assert [p.column for p in f.warnings if "not read" in p.reason] == ["seen", "extra"]


def test_json_keys_in_any_script_are_read_by_the_engine(tmp_path, geo):
    """A key the JSON path must quote (accents, a quote mark) reads its values, not nothing."""
    records = [{"Datum": f"2022-03-0{i}", 'Ort "genannt"': "Kharkiv", "Région": "Est"} for i in (1, 2)]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    mapping = {"date": "Datum", "place": 'Ort "genannt"', "admin1": "Région"}
    path = fixtures.write(tmp_path / "keys.jsonl", text)
    frame, rep, frame2, rep2 = both([path], tmp_path, geo, mapping=mapping)
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    assert list(frame2["place"]) == ["Kharkiv", "Kharkiv"] and list(frame2["admin1"]) == ["Est", "Est"]


def test_type_words_are_read_as_the_frames_types_and_others_kept_and_named_alike(tmp_path, geo):
    text = (
        "date,place,lat,lon,event_type,sub_event_type\n"
        "2024-05-01,A,10,10,shelling,\n"
        "2024-05-02,B,10,10,Shelling,artillery\n"
        "2024-05-03,C,10,10,Battles,\n"
        "2024-05-04,D,10,10, PROTEST ,\n"
        "2024-05-05,E,10,10,,\n"
        "2024-05-06,F,10,10,drone strike,\n"
    )
    frame, rep, frame2, rep2 = read_alike(tmp_path, geo, "types.csv", text)
    got = frame2.sort_values("place")
    assert got["event_type"].astype(object).where(got["event_type"].notna(), None).tolist() == [
        "other",
        "other",
        "battle",
        "protest",
        None,
        "other",
    ]
    assert got["sub_event_type"].astype(object).where(got["sub_event_type"].notna(), None).tolist() == [
        "shelling",
        "artillery",
        None,
        None,
        None,
        "drone strike",
    ]
    words = [
        (p.value, p.reason.endswith(f"({n} rows)")) for p, n in zip(rep2.files[0].warnings, (1, 1, 1), strict=True)
    ]
    assert words == [("Shelling", True), ("drone strike", True), ("shelling", True)]


def _workbook(path, rows):
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("events")
    for row in rows:
        ws.append(row)
    wb.create_sheet("notes").append(["not read: only the first sheet is"])
    wb.save(path)
    return path


def test_excel_is_read_by_the_engine_a_batch_of_rows_at_a_time_alike(tmp_path, geo, monkeypatch):
    """A workbook streamed to Parquet by the engine (three rows a batch here)
    gives the frame and the report the in-memory reader gives: the same cells
    as text, the same rows named by their number in the sheet."""
    import datetime as dt

    from viz.events import excel

    monkeypatch.setattr(excel, "CHUNK", 3)
    rows = [
        [None, None],  # an empty row above the header: the header is row 2
        ["date", "place", None, "actor1", "actor1", "fatalities"],
        [dt.datetime(2022, 3, 1), "Kharkiv", "x", "Russia", "Ukraine", 3.0],
        ["2022-03-02", "Idlib", None, "HTS", None, 1.5],
        [None, None, None],  # an empty row between rows is a row: "missing date"
        ["2022-03-04", "Homs", None, None, None, 2, "beyond the header"],
        ["not yet", "Aleppo"],
        *[[f"2022-04-{d:02d}", "Sumy", None, None, None, d] for d in range(1, 8)],
        [None],  # empty rows at the end are no rows
        [None, None],
    ]
    path = _workbook(tmp_path / "sheet.xlsx", rows)
    con = engine.connect()
    try:
        assert engine.source(con, path, "t") is None  # without a stage, the in-memory reader's
        src = engine.source(con, path, "t", stage=tmp_path / "stage.parquet")
        assert src is not None and src.columns == ["date", "place", "Unnamed: 2", "actor1", "actor1.1", "fatalities"]
    finally:
        con.close()
    frame, rep, frame2, rep2 = both([path], tmp_path, geo)
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    f = rep2.files[0]
    assert f.format.endswith("excel") and [p.name for p in (tmp_path / "ds").iterdir()] == ["f00000.parquet"]
    assert (f.rows_read, f.rows_kept, f.rows_rejected) == (12, 9, 3)
    assert [(p.row, p.reason) for p in f.rejected] == [
        (5, "missing date"),
        (6, "7 cells where the header has 6"),
        (7, "not a date"),
    ]
    got = frame2.set_index("place")
    assert got.loc["Kharkiv", "date"] == pd.Timestamp("2022-03-01") and got.loc["Kharkiv", "fatalities"] == 3
    assert set(got.loc["Sumy", "fatalities"]) == set(range(1, 8))


def test_a_workbook_that_is_not_one_is_named(tmp_path, geo):
    bad = fixtures.write(tmp_path / "broken.xlsx", "PK\x03\x04 not a zip at all")
    empty = _workbook(tmp_path / "empty.xlsx", [[None], [None, None]])
    rep = dataset.ingest([bad, empty], tmp_path / "ds", geocoder=geo, engine_min_mb=0)
    said = {p.file: p.reason for p in rep.unreadable}
    assert said["broken.xlsx"].startswith("cannot read as excel")
    assert said["empty.xlsx"] == "the first sheet is empty: no header, no rows"


def test_not_utf8_is_left_to_the_in_memory_reader(tmp_path, geo):
    rows = [r.replace("Saraqab", "Saraqéb") for r in fixtures.ACLED_ROWS]
    path = fixtures.acled(tmp_path / "latin.csv", rows, encoding="cp1252")
    con = engine.connect()
    try:
        assert engine.source(con, path, "t") is None
    finally:
        con.close()
    rep = dataset.ingest([path], tmp_path / "ds", geocoder=geo, engine_min_mb=0)
    assert rep.rows_kept == len(fixtures.ACLED_ROWS) and rep.files[0].encoding == "cp1252"
    assert "Saraqéb" in set(dataset.read(tmp_path / "ds")["place"])


def test_cli_ingest_to_a_folder_and_to_one_file(tmp_path, monkeypatch):
    from viz.cli import main

    monkeypatch.setenv("VIZ_ENGINE_MIN_MB", "0")
    path = fixtures.acled(tmp_path / "a.csv")
    out, err = io.StringIO(), io.StringIO()
    assert main(["ingest", str(path), "--out", str(tmp_path / "events/")], out, err) == 0
    assert "3 rows read, 3 kept" in err.getvalue()
    assert len(dataset.read(tmp_path / "events")) == 3
    for name in ("one.parquet", "one.csv", "one.jsonl"):
        assert main(["ingest", str(path), "--out", str(tmp_path / name)], out, io.StringIO()) == 0
    assert len(pd.read_parquet(tmp_path / "one.parquet")) == 3
    assert len(pd.read_csv(tmp_path / "one.csv")) == 3
    assert len((tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    assert not list(tmp_path.glob(".viz-ingest-*"))  # the working folder is gone


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ('date,place,lat,lon\n2022-01-01,Kyiv,50.45,30.52\n2022-02-01,"Open,1,1\n2022-03-01,Homs,34.7,36.7\n', 3),
        (
            'date,place,lat,lon,text\n2022-01-01,Kyiv,50.45,30.52,"a note\nover two lines"\n\n2022-03-01,Homs,34.7,36.7,x\n',
            2,
        ),
    ],
    ids=["unclosed-quote", "cell-over-lines"],
)
def test_a_cell_spanning_lines_loses_no_row(tmp_path, geo, text, rows):
    """DuckDB would read an unclosed quote's cell to the next quote, the rows
    after it inside; the engine sees the lines are more than its rows and
    leaves the file to the in-memory reader, which tells the cases apart."""
    path = fixtures.write(tmp_path / "quoted.csv", text)
    frame, rep, frame2, rep2 = both([path], tmp_path, geo)
    same_frames(frame, frame2)
    same_reports(rep, rep2)
    assert rep2.files[0].rows_read == rows and "Homs" in set(frame2["place"])


def test_rejected_rows_keep_their_line_in_a_file_read_in_parallel(tmp_path, geo):
    """A file big enough for DuckDB to parse in parallel (its rows then come in
    any order): the rows it rejects are still named by their line."""
    n, bad = 1_000_000, {17, 654_321, 999_998}
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("date,place,lat,lon,notes\n")
        for i in range(2, n + 2):  # the file's line i
            day = "not a day" if i in bad else f"2020-01-{i % 28 + 1:02d}"
            fh.write(f"{day},P{i % 5000},1.5,2.5,line {i}\n")
    rep = dataset.ingest([path], tmp_path / "ds", geocoder=geo, engine_min_mb=0)
    f = rep.files[0]
    assert f.format.endswith("csv") and (f.rows_read, f.rows_kept, f.rows_rejected) == (n, n - 3, 3)
    assert sorted(p.row for p in f.rejected) == sorted(bad)
    assert {p.value for p in f.rejected} == {"not a day"}


@pytest.mark.parametrize(
    "codes",
    [
        [str(n) for n in range(-3, 1003)],  # every code of the table, and the numbers around it
        ["0760", "760.0", "760.9", "759.6", "-0", "7.6e2", " 760", "", "x", "inf", "-inf", "nan", "1e300", None],
    ],
)
def test_numeric_country_codes_read_as_the_in_memory_reader_reads_them(codes):
    from viz.events import formats as fm

    con = engine.connect()
    got = [r[0] for r in con.execute("SELECT iso_of_numeric(c) FROM unnest(?) AS t(c)", [codes]).fetchall()]
    assert got == [fm.numeric_to_iso(c) for c in codes]
    assert con.execute("SELECT iso_of_numeric('760')").fetchone()[0] == "SY"


def test_odd_numeric_country_codes_in_a_file_read_alike(tmp_path, geo):
    from tests.fixtures import ACLED_HEADER, ACLED_ROWS

    row = ACLED_ROWS[0]
    rows = [
        row.replace(",760,", f",{code},").replace("SYR1,", f"SYR1{i},")
        for i, code in enumerate(["inf", "760.9", "-5", "nan", "1e300", "760"])
    ]
    frame, rep, _, _ = read_alike(tmp_path, geo, "acled.csv", "\n".join([ACLED_HEADER, *rows]) + "\n")
    assert len(frame) == 6 and rep.files[0].rows_rejected == 0
    assert (frame["country_code"] == "SY").sum() >= 2  # 760.9 is cut to 760, as 760 itself
