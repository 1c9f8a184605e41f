"""Event ids, what links name (``ev=``): from the source's own id where the
format has one, the same on every path, kept for as long as a dataset is
stored."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests import fixtures
from viz.events import dataset, distributed
from viz.events.ingest import load
from viz.events.store import DatasetStore


def ids_by_place(frame) -> dict[str, str]:
    return dict(zip(frame["place"], frame["event_id"], strict=True))


def engine_frame(path, tmp_path, geo, name, **kw):
    rep = dataset.ingest([path], tmp_path / name, geocoder=geo, engine_min_mb=0, **kw)
    assert rep.rows_read == rep.rows_kept + rep.rows_rejected
    return dataset.read(tmp_path / name)


def revised(rows: list[str]) -> list[str]:
    """ACLED's later export: the first event's fatalities, note and timestamp revised."""
    out = list(rows)
    out[0] = (
        out[0]
        .replace("near Saraqab, Idlib.", "near Saraqab, Idlib (revised).")
        .replace(",12,,1583000000", ",14,,1590000000")
    )
    assert out[0] != rows[0]
    return out


def test_an_acled_event_keeps_its_id_when_the_source_revises_it(tmp_path, geocoder):
    first = fixtures.acled(tmp_path / "first.csv")
    later = fixtures.acled(tmp_path / "later.csv", revised(fixtures.ACLED_ROWS))
    a = engine_frame(first, tmp_path, geocoder, "a")
    b = engine_frame(later, tmp_path, geocoder, "b")
    assert ids_by_place(a) == ids_by_place(b)
    assert b.loc[b["place"] == "Saraqab", "fatalities"].iloc[0] == 14  # the revision is read
    # the in-memory path (small files) gives the same ids
    assert ids_by_place(load([first], geocoder=geocoder)[0]) == ids_by_place(a)
    assert ids_by_place(load([later], geocoder=geocoder)[0]) == ids_by_place(b)
    # ids of the row's cells (the datasets stored before) change with the revision
    a_cells = engine_frame(first, tmp_path, geocoder, "ac", ids="cells")
    b_cells = engine_frame(later, tmp_path, geocoder, "bc", ids="cells")
    assert (
        a_cells.loc[a_cells["place"] == "Idlib", "event_id"].iloc[0]
        == b_cells.loc[b_cells["place"] == "Idlib", "event_id"].iloc[0]
    )
    assert ids_by_place(a_cells)["Saraqab"] != ids_by_place(b_cells)["Saraqab"]
    assert set(a_cells["event_id"]).isdisjoint(a["event_id"])


@pytest.mark.parametrize("write", [fixtures.gdelt, fixtures.ucdp], ids=["gdelt", "ucdp"])
def test_gdelt_and_ucdp_ids_are_the_same_on_both_paths(tmp_path, geocoder, write):
    path = write(tmp_path / ("events.tsv" if write is fixtures.gdelt else "ged.csv"))
    frame, _ = load([path], geocoder=geocoder)
    events = engine_frame(path, tmp_path, geocoder, "ds")
    assert len(frame) == len(events) >= 2
    assert sorted(frame["event_id"]) == sorted(events["event_id"])


def shared_id_rows() -> list[str]:
    """Three rows that give one source id (SYR1): the first event; a second
    with no coordinates, so the engine geocodes it (its full path, another
    part of the file); a third with another note."""
    first = fixtures.ACLED_ROWS[0]
    second = fixtures.ACLED_ROWS[1].replace("SYR2,", "SYR1,").replace("35.9306,36.6339", ",")
    third = first.replace("Clashes between regime forces", "Shelling by regime forces")
    return [first, second, third, *fixtures.ACLED_ROWS[1:]]


def test_rows_that_share_a_source_id_are_numbered_alike_in_any_order(tmp_path, geocoder):
    rows = shared_id_rows()
    forward = engine_frame(fixtures.acled(tmp_path / "f.csv", rows), tmp_path, geocoder, "f")
    backward = engine_frame(fixtures.acled(tmp_path / "b.csv", rows[::-1]), tmp_path, geocoder, "b")
    for events in (forward, backward):
        assert len(events) == 5 and events["event_id"].is_unique
        shared = events[events["event_id"].str.split("~").str[0].duplicated(keep=False)]
        assert sorted(shared["event_id"].str.partition("~")[2]) == ["", "2", "3"]
        assert shared["geo_source"].tolist().count("gazetteer") == 1  # one of them was geocoded
    key = ["event_id", "place", "text", "lat"]
    assert forward[key].sort_values("event_id").values.tolist() == backward[key].sort_values("event_id").values.tolist()
    assert len(dataset.parts(tmp_path / "f")) == 1  # the two parts written again as one, numbered
    # on a cluster, the rows in different blocks, the same numbers
    path = fixtures.acled(tmp_path / "c.csv", rows * 30)
    events = engine_frame(path, tmp_path, geocoder, "one")
    got = distributed.ingest([str(path)], tmp_path / "dask", address="local", blocksize=2000)
    assert got.files[0].rows_kept == len(events) == 150
    blocks = dataset.read(tmp_path / "dask")
    assert len({p.name.split("b")[0] for p in dataset.parts(tmp_path / "dask")}) == 1
    assert sorted(blocks["event_id"]) == sorted(events["event_id"])
    assert blocks[key].sort_values("event_id").values.tolist() == events[key].sort_values("event_id").values.tolist()


def test_a_dataset_stored_before_the_scheme_keeps_the_ids_its_links_name(tmp_path, geocoder):
    src = fixtures.acled(tmp_path / "acled.csv")
    store = DatasetStore(tmp_path / "store")
    ds = store.add_files([src])
    assert store.meta(ds)["ids"] == store.id_scheme(ds) == "source"
    frame, _ = store.load(ds, geocoder=geocoder)
    assert sorted(frame["event_id"]) == sorted(engine_frame(src, tmp_path, geocoder, "src")["event_id"])
    # a dataset stored before: no "ids" in its meta.json; its frame rebuilt (as after an upgrade)
    meta_path = tmp_path / "store" / ds / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["ids"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    for old in (tmp_path / "store" / ds).glob("report-*.json"):
        old.unlink()
    old_store = DatasetStore(tmp_path / "store")
    assert old_store.id_scheme(ds) == "cells"
    again, _ = old_store.load(ds, geocoder=geocoder)
    cells, _ = load([src], geocoder=geocoder, ids="cells")  # a small file: the in-memory path, as before
    assert sorted(again["event_id"]) == sorted(cells["event_id"])
    assert set(again["event_id"]).isdisjoint(frame["event_id"])


def test_an_unknown_id_scheme_is_refused(tmp_path, geocoder):
    path = fixtures.acled(tmp_path / "a.csv")
    with pytest.raises(ValueError, match="ids must be one of source, cells"):
        load([path], geocoder=geocoder, ids="rows")
    with pytest.raises(ValueError, match="ids must be one of source, cells"):  # not a file that cannot be read
        dataset.ingest([path], tmp_path / "ds", geocoder=geocoder, engine_min_mb=0, ids="rows")


def test_a_bundle_carries_its_id_scheme_and_a_rebuilt_meta_keeps_it(tmp_path, geocoder):
    from viz.events import bundle

    src = fixtures.acled(tmp_path / "acled.csv")
    a, b, c = (DatasetStore(tmp_path / n) for n in ("a", "b", "c"))
    ds = a.add_files([src])
    a.set_id_scheme(ds, "cells")  # as a dataset stored before source ids were read
    frame_a, _ = a.load(ds, geocoder=geocoder)
    bundle.import_bundle(b, bundle.export(a, ds, tmp_path / "x.viz.zip"))
    assert b.id_scheme(ds) == "cells"
    frame_b, _ = b.load(ds, geocoder=geocoder)
    assert sorted(frame_b["event_id"]) == sorted(frame_a["event_id"])  # the colleague's links name the same events
    # a bundle from before the scheme was kept: its dataset is one of cell ids
    path = bundle.export(
        DatasetStore(tmp_path / "d"), DatasetStore(tmp_path / "d").add_files([src]), tmp_path / "y.zip"
    )
    with zipfile.ZipFile(path) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    head = json.loads(items["bundle.json"])
    assert head.pop("ids") == "source"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in {**items, "bundle.json": json.dumps(head).encode()}.items():
            z.writestr(name, data)
    bundle.import_bundle(c, path)
    assert c.id_scheme(ds) == "cells"
    # a damaged meta.json is rebuilt with the scheme its stored frame was made with
    for store, scheme in ((a, "cells"), (b, "cells")):
        (store.root / ds / "meta.json").write_text("{not json", encoding="utf-8")
        assert DatasetStore(store.root).id_scheme(ds) == scheme
    e = DatasetStore(tmp_path / "e")
    e.add_files([src])
    e.open(ds, geocoder=geocoder)
    (e.root / ds / "meta.json").write_text("{not json", encoding="utf-8")
    assert DatasetStore(e.root).id_scheme(ds) == "source"
