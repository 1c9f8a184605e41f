"""Ingest on a real Dask LocalCluster (two worker processes): the same
events and the same report, rows named in the file's own numbers, whatever
block of the file they were read in."""

from __future__ import annotations

import io

from tests import fixtures
from viz.cli import main
from viz.events import dataset, distributed
from viz.events.ingest import load


def test_blocks_on_two_workers_give_the_file_s_frame_and_report(tmp_path, geocoder):
    rows = [
        r.replace("SYR1", f"S{i}").replace("SYR2", f"T{i}").replace("UKR1", f"U{i}")
        for i, r in enumerate(fixtures.ACLED_ROWS * 40)
    ]
    rows[69] = rows[69].replace("29 February 2020", "31 Febtember 2020")  # in the second block or later
    rows[100] = "SYR6,2020-02-27,too,few,fields"
    rows[108] = rows[108].replace(",12,,1583000000", ",many,,1583000000")
    path = fixtures.acled(tmp_path / "a.csv", rows)
    assert path.stat().st_size > 6 * 4000  # several blocks
    frame, rep = load([path], geocoder=geocoder)
    got = distributed.ingest([str(path)], tmp_path / "ds", address="local", blocksize=4000)
    f, g = rep.files[0], got.files[0]
    assert (g.rows_read, g.rows_kept, g.rows_rejected) == (f.rows_read, f.rows_kept, f.rows_rejected) == (120, 118, 2)
    assert sorted((p.row, p.column) for p in g.rejected) == sorted((p.row, p.column) for p in f.rejected)
    assert [(p.row, p.column) for p in g.warnings] == [(p.row, p.column) for p in f.warnings] == [(110, "fatalities")]
    events = dataset.read(tmp_path / "ds")
    assert len(events) == len(frame) and events["event_id"].is_unique
    assert sorted(events["place"]) == sorted(frame["place"])
    assert len({p.name.split("_")[0] for p in dataset.parts(tmp_path / "ds")}) > 3  # written by several blocks


def test_rows_repeated_in_two_blocks_keep_ids_of_their_own(tmp_path, geocoder, monkeypatch):
    """Through the command line's ``--dask local``."""
    rows = [r.replace("SYR1", f"S{i}") for i, r in enumerate(fixtures.ACLED_ROWS * 40)]  # SYR2, UKR1 repeat
    path = fixtures.acled(tmp_path / "a.csv", rows)
    frame, _ = load([path], geocoder=geocoder)
    monkeypatch.setattr(distributed, "BLOCK", 4000)
    err = io.StringIO()
    assert main(["ingest", str(path), "--out", str(tmp_path / "ds/"), "--dask", "local"], io.StringIO(), err) == 0
    assert "120 rows read, 120 kept" in err.getvalue()
    events = dataset.read(tmp_path / "ds")
    assert events["event_id"].is_unique and len(events) == len(frame) == 120
    assert events["event_id"].str.contains("~40").sum() == 2  # the 40th of each repeated row
