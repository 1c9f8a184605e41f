"""Rows the engine settles alone, in the pass that parses the file.

The settling must change nothing but the time: the strict date forms read as
:func:`viz.events.tabledates.parse` reads them, and a file read with the
settling gives the dataset and the report the full path alone gives (here
compared with the settling turned off, ids included: both are the engine's).
"""

from __future__ import annotations

import pandas as pd
import pytest

from viz.events import dataset, engine, settled, tabledates

VALUES = [
    "2021-03-04",
    "2021-3-4",
    "2021-02-29",
    "2020-02-29",
    "4 March 2021",
    "04 March 2021",
    "31 April 2021",
    "4 march 2021",
    " 4 March 2021",
    "4 Mar 2021",
    "March 4, 2021",
    "03/04/2021",
    "2021",
    "20210304",
    "1500-01-01",
    "",
]


@pytest.fixture(scope="module")
def geo(geocoder):
    return geocoder


@pytest.mark.parametrize("fmt", [None, "%Y%m%d"])
def test_strict_forms_read_as_the_column_reader_reads_them(fmt):
    con = engine.connect()
    con.register("v", pd.DataFrame({"date": VALUES}))
    sql = con.execute(f"SELECT {settled.day('date', fmt)} FROM v").fetchall()
    py = tabledates.parse(pd.Series(VALUES, dtype=object), fmt=fmt)
    read = 0
    for value, (got,), want, prec in zip(VALUES, sql, py.dates, py.precision, strict=True):
        if got is not None:  # what SQL reads, Python reads the same, a day
            assert pd.Timestamp(got) == want and prec == "day", value
            read += 1
    # the strict forms only: the rest (and impossible days) are left to the full path
    assert read == (5 if fmt is None else 1)


def ingest_both(tmp_path, monkeypatch, geo, text: str):
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    rep = dataset.ingest([path], tmp_path / "settled", geocoder=geo, engine_min_mb=0)
    with monkeypatch.context() as m:
        m.setattr(settled, "plan", lambda *a, **k: None)
        rep2 = dataset.ingest([path], tmp_path / "full", geocoder=geo, engine_min_mb=0)
    a = dataset.read(tmp_path / "settled").sort_values("event_id").reset_index(drop=True)
    b = dataset.read(tmp_path / "full").sort_values("event_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    f, g = rep.files[0], rep2.files[0]
    assert (f.rows_read, f.rows_kept, f.rows_rejected, f.geocoded) == (
        g.rows_read,
        g.rows_kept,
        g.rows_rejected,
        g.geocoded,
    )
    assert [(p.row, p.column, p.reason) for p in f.rejected] == [(p.row, p.column, p.reason) for p in g.rejected]
    assert [(p.row, p.column, p.reason) for p in f.warnings] == [(p.row, p.column, p.reason) for p in g.warnings]
    assert f.unresolved == g.unresolved
    f.check()
    return a, f


def test_a_file_of_settled_and_other_rows_gives_what_the_full_path_gives(tmp_path, monkeypatch, geo):
    text = (
        "date,date_end,place,country,country_code,lat,lon,fatalities,actor1,event_type,notes\n"
        "2022-03-01,,Kharkiv,Ukraine,UA,49.99,36.23,2,Army,battle,settled: ISO\n"
        "1 March 2022,2 March 2022,Kharkiv,Ukraine,UA,49.99,36.23,0,Army,battle,settled: a worded day\n"
        "2022-03-01,,Kharkiv,Ukraine,UA,49.99,36.23,2,Army,battle,settled: ISO\n"  # a repeat: ~2
        "03/13/2022,,Kharkiv,Ukraine,UA,49.99,36.23,1,Army,battle,a numeric date: the column decides\n"
        "2022-03-05,,Idlib,Syria,SY,,,1,HTS,battle,no coordinates: geocoded\n"
        "2022-03-06,,Homs,Syria,,34.73,36.72,1,HTS,protest,a country name and no code\n"
        "2022-03-07,,Homs,Syria,SY,34.73,36.72,lots,HTS,protest,fatalities no count\n"
        "2022-03-08,2022-03-01,Homs,Syria,SY,34.73,36.72,1,HTS,protest,ends before it starts\n"
        "2022-02-30,,Homs,Syria,SY,34.73,36.72,1,HTS,protest,no such day\n"
        "2022-03-09,,Homs,Syria,SY,134.73,36.72,1,HTS,protest,off the globe\n"
        "Mar 2022,,Homs,Syria,SY,34.73,36.72,1,HTS,riot,a month\n"
        "2022-03-10,,,,,,,,,riot,no place at all: kept unplaced\n"
    )
    frame, f = ingest_both(tmp_path, monkeypatch, geo, text)
    assert (f.rows_read, f.rows_kept, f.rows_rejected, f.geocoded) == (12, 9, 3, 1)
    assert sum(frame["event_id"].str.endswith("~2")) == 1


def test_a_clean_file_is_written_once_and_a_row_deep_in_it_is_still_found(tmp_path, monkeypatch, geo):
    """300,000 rows (parsed in parallel): all settled, one write and one file;
    then the same with one row to geocode and one odd count near the end,
    which the full path reads and names by its line."""
    lines = [
        f"{2000 + i % 20}-0{1 + i % 9}-1{i % 10},P{i % 999},{i % 80}.5,{i % 170}.25,{i % 7},note {i}"
        for i in range(300_000)
    ]
    head = "date,place,lat,lon,fatalities,notes\n"
    writes = []
    real = engine._copy
    monkeypatch.setattr(engine, "_copy", lambda *a, **k: writes.append(k["name"]) or real(*a, **k))
    path = tmp_path / "clean.csv"
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    rep = dataset.ingest([path], tmp_path / "ds", geocoder=geo, engine_min_mb=0)
    assert writes == ["f00000"] and [p.name for p in dataset.parts(tmp_path / "ds")] == ["f00000.parquet"]
    assert (rep.files[0].rows_read, rep.files[0].rows_kept) == (300_000, 300_000)
    ids = dataset.read(tmp_path / "ds", columns=["event_id"])["event_id"]
    assert ids.str.fullmatch("[0-9a-f]{16}").all() and ids.is_unique
    assert 0.05 < ids.str.startswith("0").mean() < 0.08  # a hash below 16^15 is padded, one in sixteen

    lines[299_000] = "2010-05-05,Idlib,,,1,to geocode"
    lines[299_500] = "2010-05-06,Homs,34.7,36.7,-3,odd count"
    writes.clear()
    frame, f = ingest_both(tmp_path, monkeypatch, geo, head + "\n".join(lines) + "\n")
    assert writes[:2] == ["f00000", "f00000r"]  # the settled rows, then the two others
    assert (f.rows_read, f.rows_kept, f.geocoded) == (300_000, 300_000, 1)
    assert [(p.row, p.column) for p in f.warnings if p.row] == [(299_502, "fatalities")]
    assert frame.loc[frame["place"] == "Idlib", "country_code"].tolist() == ["SY"]


@pytest.mark.parametrize("wc", [True, False], ids=["wc", "numpy"])
def test_the_lines_counted_beside_the_pass(tmp_path, monkeypatch, wc):
    from concurrent.futures import ThreadPoolExecutor

    if not wc:
        monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    for i, data in enumerate([b"", b"a", b"a\n", b"a\r\nb", b"\n\n", b"h\n" + b"x,y\n" * 70_000 + b"last"]):
        path = tmp_path / f"{i}.csv"
        path.write_bytes(data)
        with ThreadPoolExecutor(1) as pool:
            got = engine._Lines(path, pool).result()
        assert got == data.count(b"\n") + (bool(data) and not data.endswith(b"\n")), data[:10]


def test_a_file_whose_first_rows_mostly_need_python_is_read_by_the_full_path_alone(tmp_path, monkeypatch, geo):
    """Every row a place to look up: no settling pass (it would hand the full
    path nearly every row a batch at a time), one write, the same report."""
    writes = []
    real = engine._copy
    monkeypatch.setattr(engine, "_copy", lambda *a, **k: writes.append(k["name"]) or real(*a, **k))
    rows = [f"2021-05-{1 + i % 28:02d},{['Idlib', 'Homs', 'Kharkiv'][i % 3]},,,1" for i in range(300)]
    rows.append("2021-05-01,Somewhere,10.5,20.5,1")  # one settled row among them
    path = tmp_path / "places.csv"
    path.write_text("date,place,lat,lon,fatalities\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rep = dataset.ingest([path], tmp_path / "ds", geocoder=geo, engine_min_mb=0)
    f = rep.files[0]
    assert writes == ["f00000"] and (f.rows_read, f.rows_kept, f.geocoded) == (301, 301, 300)
