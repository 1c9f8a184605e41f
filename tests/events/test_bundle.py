"""Bundles between two stores (two folders standing for two machines), a
modified bundle refused, and every write refused on a read-only server."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from viz import cli
from viz.events import bundle
from viz.events.corrections import Correction, Corrections
from viz.events.store import DatasetStore, ReadOnlyError, StoreError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def two_stores(tmp_path, geocoder):
    """Store A holding a dataset of our own with a correction for one of its
    places and one for a place it does not name; an empty store B."""
    csv = tmp_path / "mine.csv"
    csv.write_text(
        "date,event_type,actor1,place,country_code,fatalities,source,text\n"
        "2024-03-01,battle,Group A,Kidal,ML,3,own notes,Fighting near Kidal.\n"
        "2024-03-02,protest,Students,Qaryat Zubayda,SY,,own notes,A protest in a village.\n",
        encoding="utf-8",
    )
    a = DatasetStore(tmp_path / "a")
    ds = a.add_files([csv], label="my notes")
    a.open(ds, geocoder=geocoder)
    ca = Corrections(tmp_path / "a" / "corrections.json")
    ca.save(Correction("Qaryat Zubayda", "SY", name="Qaryat Zubayda", lat=35.1, lon=36.9, country_code="SY"))
    ca.save(Correction("Elsewhere", "FR", name="Elsewhere", lat=45.0, lon=2.0, country_code="FR"))
    return a, ds, ca, DatasetStore(tmp_path / "b"), Corrections(tmp_path / "b" / "corrections.json")


def test_a_bundle_carries_the_dataset_and_its_corrections_under_the_same_id(tmp_path, two_stores):
    a, ds, ca, b, cb = two_stores
    path = bundle.export(a, ds, tmp_path / "x.viz.zip", corrections=ca, link="http://host/?v=2&ds=" + ds)
    got = bundle.import_bundle(b, path, corrections=cb)
    assert got.dataset == ds and b.ids() == [ds] and got.link.endswith(ds)
    assert b.meta(ds)["label"] == "my notes"
    assert (b.files_dir(ds) / "mine.csv").read_bytes() == (a.files_dir(ds) / "mine.csv").read_bytes()
    assert [c.place for c in cb.all()] == ["Qaryat Zubayda"]  # the one its places use, not "Elsewhere"
    assert got.corrections == 1 and got.replaced == 0
    again = bundle.import_bundle(b, path, corrections=cb)  # importing twice changes nothing
    assert again.dataset == ds and b.ids() == [ds] and len(cb.all()) == 1


def _rewrite(src: Path, dest: Path, change) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dest, "w") as out:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
        for name, data in change(items).items():
            out.writestr(name, data)
    return dest


@pytest.mark.parametrize(
    "change, said",
    [
        (lambda f: {**f, "files/mine.csv": f["files/mine.csv"].replace(b"Kidal", b"Gao")}, "hash to"),
        (lambda f: {**f, "files/extra.csv": b"date\n2024-01-01\n"}, "not listed: files/extra.csv"),
        (lambda f: {k: v for k, v in f.items() if k != "files/mine.csv"}, "missing: files/mine.csv"),
        (
            lambda f: {**f, "bundle.json": json.dumps({**json.loads(f["bundle.json"]), "id": "0" * 16}).encode()},
            "not to the id 0000000000000000",
        ),
        (lambda f: {k: v for k, v in f.items() if k != "bundle.json"}, "no bundle.json"),
    ],
    ids=["a file changed", "a file added", "a file taken out", "another id", "no header"],
)
def test_a_modified_bundle_is_refused_and_adds_nothing(tmp_path, two_stores, change, said):
    a, ds, ca, b, cb = two_stores
    good = bundle.export(a, ds, tmp_path / "good.viz.zip", corrections=ca)
    bad = _rewrite(good, tmp_path / "bad.viz.zip", change)
    with pytest.raises(StoreError, match=said):
        bundle.import_bundle(b, bad, corrections=cb)
    assert b.ids() == [] and cb.all() == []


def test_not_a_bundle_is_said_so(tmp_path, two_stores):
    _, _, _, b, cb = two_stores
    junk = tmp_path / "junk.viz.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(StoreError, match="not a readable zip file"):
        bundle.import_bundle(b, junk, corrections=cb)


def test_the_cli_exports_and_imports(tmp_path, two_stores, monkeypatch):
    a, ds, _, b, _ = two_stores
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setenv("VIZ_STORE_DIR", str(a.root))
    assert cli.main(["store", "export", ds, "--out", str(tmp_path / "c.viz.zip"), "--link", "L"], out, err) == 0
    monkeypatch.setenv("VIZ_STORE_DIR", str(b.root))
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["store", "import", str(tmp_path / "c.viz.zip")], out, err) == 0
    assert out.getvalue().strip() == ds and "1 corrections" in err.getvalue() and "its link: L" in err.getvalue()
    assert cli.main(["store", "import"], io.StringIO(), err) == 2


def test_a_read_only_server_refuses_every_write(tmp_path, two_stores, monkeypatch):
    a, ds, ca, b, cb = two_stores
    path = bundle.export(a, ds, tmp_path / "x.viz.zip", corrections=ca)  # reading is allowed
    monkeypatch.setenv("VIZ_READ_ONLY", "1")
    with pytest.raises(ReadOnlyError, match="read-only"):
        b.add_bytes([("x.csv", b"date\n2024-01-01\n")])
    with pytest.raises(ReadOnlyError):
        a.add_files([ROOT / "data" / "demo" / "events_ukraine.csv"])
    with pytest.raises(ReadOnlyError):
        bundle.import_bundle(b, path, corrections=cb)
    with pytest.raises(ReadOnlyError):
        a.set_date_order(ds, "day-first")
    with pytest.raises(ReadOnlyError):
        ca.save(Correction("Kidal", "ML", name="Kidal", lat=18.4, lon=1.4, country_code="ML"))
    with pytest.raises(ReadOnlyError):
        ca.remove("Qaryat Zubayda", "SY")
    assert b.ids() == [] and len(ca.all()) == 2
    err = io.StringIO()
    monkeypatch.setenv("VIZ_STORE_DIR", str(b.root))
    assert cli.main(["store", "add", str(ROOT / "data" / "demo")], io.StringIO(), err) == 2
    assert "read-only" in err.getvalue()
