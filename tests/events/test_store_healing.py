"""The store heals itself: a damaged file is set aside and rebuilt, writers in
several processes lose nothing, names are made safe and kept apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import fixtures
from viz.events.corrections import Correction, Corrections
from viz.events.ingest import load
from viz.events.store import MAX_NAME_BYTES, DatasetStore, safe_name, unique_names

ROOT = Path(__file__).resolve().parents[2]


def test_a_damaged_meta_json_is_rebuilt_from_the_stored_files(tmp_path, geocoder):
    store = DatasetStore(tmp_path / "store")
    ds = store.add_files([fixtures.acled(tmp_path / "acled.csv")])
    other = store.add_bytes([("b.csv", b"date,place\n2021-06-01,Homs\n")])
    meta = tmp_path / "store" / ds / "meta.json"
    meta.write_text('{"id": "' + ds + '", "label": "acl', encoding="utf-8")  # cut short
    fresh = DatasetStore(tmp_path / "store")
    assert fresh.meta(other)["files"][0]["name"] == "b.csv"  # the others are not touched
    healed = fresh.meta(ds)
    assert healed["files"] == [{"name": "acled.csv", "bytes": (tmp_path / "acled.csv").stat().st_size}]
    assert "acled.csv" in healed["label"]
    assert any("meta.json was damaged" in n for n in fresh.notices)
    assert list((tmp_path / "store" / ds).glob("meta.json.corrupt-*"))  # kept for whoever wants to look
    frame, _ = fresh.load(ds, geocoder=geocoder)
    assert len(frame) == 3


def test_a_truncated_stored_frame_is_rebuilt(tmp_path, geocoder):
    store = DatasetStore(tmp_path / "store")
    ds = store.add_files([fixtures.acled(tmp_path / "acled.csv")])
    frame, _ = store.load(ds, geocoder=geocoder)
    parquet = next((tmp_path / "store" / ds).glob("events-*/*.parquet"))  # one part of the dataset
    parquet.write_bytes(parquet.read_bytes()[:100])
    fresh = DatasetStore(tmp_path / "store")
    again, report = fresh.load(ds, geocoder=geocoder)
    assert len(again) == len(frame) == report.rows_kept
    assert any("stored frame was damaged" in n for n in fresh.notices)
    assert DatasetStore(tmp_path / "store").load(ds)[0].shape == frame.shape  # and stored again, whole


def test_corrections_that_are_not_an_object_are_set_aside(tmp_path):
    path = tmp_path / "corrections.json"
    for bad in ("[]", "{not json", '{"corrections": [{"place": "x"}]}', '{"corrections": 5}'):
        path.write_text(bad, encoding="utf-8")
        c = Corrections(path)
        assert c.all() == [] and c.notices and "set aside" in c.notices[0]
        c.save(Correction("Homs", "SY", name="Homs", lat=34.7, lon=36.7, country_code="SY"))
        assert [x.place for x in Corrections(path).all()] == ["Homs"]
    assert len(list(tmp_path.glob("corrections.json.corrupt-*"))) == 4


SAVER = """
import sys
from viz.events.corrections import Correction, Corrections
c = Corrections(sys.argv[1])
for i in range(int(sys.argv[3])):
    c.save(Correction(f"{sys.argv[2]}-{i}", "SY", name="Homs", lat=34.7, lon=36.7, country_code="SY"))
"""


def test_corrections_saved_by_several_processes_at_once_are_all_kept(tmp_path):
    path = tmp_path / "corrections.json"
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, str(path), f"p{k}", "25"], cwd=ROOT) for k in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    saved = Corrections(path).all()
    assert len(saved) == 100 and len({c.place for c in saved}) == 100
    assert not list(tmp_path.glob(".corrections.json.*.tmp"))  # no temp file left behind


ADDER = """
import sys
from viz.events.store import DatasetStore
print(DatasetStore(sys.argv[1]).add_files([sys.argv[2]]))
"""


def test_one_file_added_by_several_processes_at_once(tmp_path):
    src = fixtures.acled(tmp_path / "acled.csv")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(tmp_path / "store"), str(src)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0] and len(set(outs)) == 1
    assert DatasetStore(tmp_path / "store").ids() == [outs[0]]


def test_names_are_made_safe_and_kept_apart(tmp_path):
    long = "Ä" * 300 + ".csv"
    safe = safe_name(long)
    assert len(safe.encode()) <= MAX_NAME_BYTES and safe.endswith(".csv") and safe != safe_name("Ö" * 300 + ".csv")
    assert unique_names([("export.csv", b"1"), ("export.csv", b"2"), ("export.csv", b"1")]) == [
        ("export.csv", b"1"),
        ("export (2).csv", b"2"),
    ]
    store = DatasetStore(tmp_path / "store")
    ds = store.add_bytes([(long, b"date,place\n2021-06-01,Homs\n"), ("a.csv", b"x"), ("a.csv", b"y")])
    names = sorted(f["name"] for f in store.meta(ds)["files"])
    assert names == sorted([safe, "a.csv", "a (2).csv"])


def test_files_of_other_formats_in_a_folder_are_named(tmp_path, geocoder):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "events.csv").write_text("date,place\n2021-06-01,Homs\n", encoding="utf-8")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "shapes.geojson").write_text(json.dumps({"type": "FeatureCollection"}), encoding="utf-8")
    (folder / "README").write_text("notes", encoding="utf-8")
    frame, report = load([folder], mapping={"date": "date", "place": "place"})
    assert len(frame) == 1
    named = {p.file: p.reason for p in report.unreadable}
    assert set(named) == {"old.xls", "shapes.geojson", "README"}
    assert "(.xls)" in named["old.xls"] and "no extension" in named["README"]


def test_a_datasets_date_order_is_kept_and_read_again(tmp_path, geocoder):
    import pytest

    from viz.events.store import StoreError

    store = DatasetStore(tmp_path / "store")
    ds = store.add_bytes([("us.csv", b"date,place\n03/01/2022,Homs\n04/02/2022,Hama\n")])
    frame, report = store.load(ds, geocoder=geocoder)
    assert len(frame) == 0 and report.rows_rejected == 2  # not guessed
    store.set_date_order(ds, "month-first")
    assert DatasetStore(tmp_path / "store").date_order(ds) == "month-first"
    frame, report = store.load(ds, geocoder=geocoder)
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == ["2022-03-01", "2022-04-02"]
    with pytest.raises(StoreError):
        store.set_date_order(ds, "sideways")
