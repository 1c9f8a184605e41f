"""The dataset store and the geocoding corrections."""

import io
import json

import pandas as pd
import pytest

from tests import fixtures
from viz.dashboard import appdata
from viz.events import corrections
from viz.events.corrections import Correction, Corrections
from viz.events.store import DatasetStore, StoreError, content_id


def test_content_id_names_the_content(tmp_path):
    a = content_id([("a.csv", b"x,y\n1,2\n"), ("b.csv", b"z\n")])
    assert a == content_id([("b.csv", b"z\n"), ("a.csv", b"x,y\n1,2\n")])  # order does not matter
    assert a != content_id([("a.csv", b"x,y\n1,3\n"), ("b.csv", b"z\n")])  # content does
    assert a != content_id([("c.csv", b"x,y\n1,2\n"), ("b.csv", b"z\n")])  # and so do names (formats)
    assert len(a) == 16 and int(a, 16) >= 0


def test_store_keeps_a_copy_and_the_loaded_frame(tmp_path, geocoder):
    src = fixtures.acled(tmp_path / "acled.csv")
    store = DatasetStore(tmp_path / "store")
    ds = store.add_files([src])
    assert store.ids() == [ds] and store.has(ds) and store.add_files([src]) == ds
    assert store.meta(ds)["files"] == [{"name": "acled.csv", "bytes": src.stat().st_size}]
    assert not store.ready(ds)
    frame, report = store.load(ds, geocoder=geocoder)
    assert len(frame) == report.rows_kept == 3 and store.ready(ds)
    # the same link shows the same data tomorrow: the original may change or go
    src.write_text("event_date,latitude\n", encoding="utf-8")
    fresh = DatasetStore(tmp_path / "store")  # a new process: read from the stored Parquet
    again, report2 = fresh.load(ds)
    pd.testing.assert_frame_equal(again, frame)
    assert report2.summary() == report.summary()
    # a changed file added again is another dataset
    assert store.add_files([src]) != ds


def test_store_refuses_what_it_cannot_hold(tmp_path):
    store = DatasetStore(tmp_path / "store")
    with pytest.raises(StoreError, match="no such file"):
        store.add_files([tmp_path / "missing.csv"])
    with pytest.raises(StoreError, match="not a plain file name"):
        store.add_bytes([("../evil.csv", b"x")])
    with pytest.raises(StoreError, match="not in the store"):
        store.load("0123456789abcdef")
    assert not store.has("../../etc") and store.ids() == []


def _frame():
    from viz.events import schema

    return schema.conform(
        pd.DataFrame(
            {
                "event_id": ["1", "2", "3", "4"],
                "date": ["2020-01-01"] * 4,
                "place": ["Tripoli", "Tripoli", "Tripoli", "Nowhereville"],
                "place_name": ["Tripoli", "Tripoli", "Tripoli", None],
                "lat": [32.9, 32.9, 34.43, None],
                "lon": [13.18, 13.18, 35.84, None],
                "country_code": ["LY", "LY", "LB", None],
                "geo_precision": ["city", "city", "exact", None],
                "geo_score": [0.9, 0.9, None, None],
                "geo_source": ["gazetteer", "gazetteer", "source", None],
            }
        )
    )


def test_corrections_apply_by_name_and_country_and_persist(tmp_path):
    store = Corrections(tmp_path / "c.json")
    frame = _frame()
    store.save(Correction("Tripoli", "LY", name="Tripoli", lat=34.4367, lon=35.8497, country_code="LB"))
    store.save(Correction("Nowhereville", "", name="Nowhereville", lat=1.5, lon=2.5, precision="exact"))
    fixed, n = corrections.apply(frame, Corrections(tmp_path / "c.json").all())  # read back from disk
    assert n == 3
    assert fixed["country_code"].tolist()[:3] == ["LB", "LB", "LB"] and pd.isna(fixed.loc[3, "country_code"])
    assert fixed["geo_source"].tolist() == ["correction", "correction", "source", "correction"]
    assert fixed.loc[3, ["lat", "lon"]].tolist() == [1.5, 2.5]
    assert frame["geo_source"].tolist()[0] == "gazetteer"  # the stored frame is left as it was
    table = corrections.review_table(frame, store.all())
    assert table.iloc[0]["place"] == "Nowhereville"  # unresolved first
    assert table.set_index("place").loc["Tripoli", "corrected"].startswith("→ Tripoli (34.4367")
    assert "Tripoli" in table["place"].tolist() and len(table) == 2  # the source-placed row is not reviewed
    assert store.remove("Tripoli", "LY") and not store.remove("Tripoli", "LY")
    assert [c.place for c in store.all()] == ["Nowhereville"]
    assert json.loads((tmp_path / "c.json").read_text())["version"] == 1


def test_bad_corrections_are_refused():
    with pytest.raises(ValueError, match="latitude"):
        Correction("X", "", name="X", lat=91, lon=0)
    with pytest.raises(ValueError, match="precision"):
        Correction("X", "", name="X", lat=1, lon=0, precision="street")


def test_app_data_applies_corrections_to_what_is_shown(tmp_path, geocoder):
    src = fixtures.ucdp(tmp_path / "ged.csv")  # El Geneina comes without coordinates: geocoded
    store = DatasetStore(tmp_path / "store")
    fixes = Corrections(tmp_path / "store" / "corrections.json")
    ds = appdata.default_dataset(store, ["--data", str(src)])
    frame, report, n = appdata.load_dataset(store, ds, fixes)
    assert n == 0
    geocoded = frame[frame["geo_source"] == "gazetteer"]
    assert geocoded["place"].tolist() == ["El Geneina town"]
    assert frame.loc[frame["geo_source"] == "source", "place"].tolist() == ["Khartoum town"]
    row = geocoded.iloc[0]
    fixes.save(Correction(row["place"], row["country_code"], name="Elsewhere", lat=1.0, lon=2.0))
    frame2, _, n2 = appdata.load_dataset(store, ds, fixes)
    assert n2 >= 1 and "Elsewhere" in frame2["place_name"].tolist()


def test_a_correction_from_any_candidate_kind():
    from viz.events.corrections import from_candidate

    raw = {"name": "Somewhere", "lat": 1.0, "lon": 2.0, "country_code": None, "feature": "online", "geonameid": None}
    c = from_candidate("Smwhr", "", raw)
    assert (c.precision, c.country_code, c.name) == ("city", "", "Somewhere")
    assert from_candidate("Kivu", "CD", {**raw, "feature": "admin2"}).precision == "admin2"
    assert from_candidate("Africa", "", {**raw, "feature": "continent"}).precision == "country"


def test_a_frame_is_stored_as_a_dataset_and_files_are_hashed_as_their_bytes(tmp_path, geocoder):
    from tests import fixtures as fx

    store = DatasetStore(tmp_path / "store")
    path = fx.acled(tmp_path / "acled.csv")
    ds = store.add_files([path])
    assert ds == store.add_bytes([("acled.csv", path.read_bytes())])  # a file read a chunk at a time, the same id
    # an upload's file object (read from wherever it stands) copied a chunk at a time: the same id and bytes
    upload = io.BytesIO(path.read_bytes())
    upload.seek(7)
    other = DatasetStore(tmp_path / "other")
    assert other.add_bytes([("acled.csv", upload)]) == ds
    assert (other.root / ds / "files" / "acled.csv").read_bytes() == path.read_bytes()
    frame, _ = store.load(ds, geocoder=geocoder)
    again = store.add_frame(frame, label="my frame")
    got, report = store.load(again, geocoder=geocoder)
    assert store.meta(again)["label"] == "my frame" and report.rows_kept == len(frame)
    assert sorted(got["place"]) == sorted(frame["place"]) and list(got.columns) == list(frame.columns)
