"""CSV downloads are safe to open in a spreadsheet and read back row for row."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from viz.dashboard import export

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2 dead", "@SUM(A1)", "\tindented", "\rreturn", "plain"]


def frame() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date": pd.to_datetime(["2024-01-02"] * n),
            "date_end": pd.to_datetime([None] * n),
            "text": HOSTILE,
            "place": ["a\rb", "a\nb", "a\r\nb", "x", "y", "z", "w"],
            "lon": [-12.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "fatalities": pd.array([-1, 0, 1, None, 2, 3, 4], dtype="Int64"),
        }
    )


def test_formula_cells_are_made_inert_and_numbers_are_not():
    back = list(csv.DictReader(io.StringIO(export.to_csv(frame()).decode("utf-8"), newline="")))
    assert [r["text"] for r in back] == ["'" + v for v in HOSTILE[:-1]] + ["plain"]
    assert back[0]["lon"] == "-12.5" and back[0]["fatalities"] == "-1"  # numeric columns as they are
    assert back[0]["date"] == "2024-01-02" and back[0]["date_end"] == ""


def test_cr_and_lf_inside_a_field_are_quoted_and_read_back_as_one_row():
    data = export.to_csv(frame())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 1 + len(HOSTILE)
    assert [r[4] for r in rows[1:4]] == ["a\rb", "a\nb", "a\r\nb"]
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert len(back) == len(HOSTILE)


def test_a_selection_written_a_batch_at_a_time_is_the_file_of_the_whole():
    whole = frame().assign(lat=[1.5, None, 2.0, 3.0, 4.0, 5.0, 6.0])
    parts = [whole.iloc[:3], whole.iloc[3:3], whole.iloc[3:]]  # an empty batch between does no harm
    for fmt, of_whole in [
        (".csv", export.to_csv(whole)),
        (".geojson", json.dumps(export.to_geojson(whole), ensure_ascii=False).encode()),
        (".jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in export.records(whole)).encode()),
    ]:
        out = io.BytesIO()
        assert export.write(iter(parts), out, fmt) == len(whole)
        got = out.getvalue()
        if fmt == ".geojson":  # the same collection (spacing aside)
            assert json.loads(got) == json.loads(of_whole)
        else:
            assert got == of_whole
        assert export.built(iter(parts), fmt) == got
    assert json.loads(export.built(iter([]), ".geojson")) == {"type": "FeatureCollection", "features": []}
    header = next(csv.reader(io.StringIO(export.built(iter([]), ".csv").decode())))
    assert "event_id" in header and "date" in header  # no event: the frame's columns all the same
    with pytest.raises(ValueError, match="not an export format"):
        export.write(iter(parts), io.BytesIO(), ".xlsx")


def test_a_link_s_selection_is_exported_by_the_command_as_the_app_selects_it(tmp_path):
    from viz import cli
    from viz.dashboard import appdata
    from viz.dashboard.viewstate import Filters
    from viz.events.corrections import Corrections
    from viz.events.store import DatasetStore

    store = DatasetStore()
    ds = appdata.default_dataset(store, [])
    events, _ = appdata.open_dataset(store, ds, Corrections())
    want = sorted(events.rows(events.where(Filters(countries=("LY",), types=("battle",))))["event_id"])
    assert want
    url = f"http://localhost:8501/?v=2&ds={ds}&cc=LY&type=battle&actor=Nobody+Such"
    for name in ("ly.csv", "ly.geojson", "ly.jsonl"):
        o, e = io.StringIO(), io.StringIO()
        assert cli.main(["export", url, "--out", str(tmp_path / name)], o, e) == 0, e.getvalue()
        assert o.getvalue().startswith(f"{tmp_path / name}: {len(want):,} events")
        assert "Nobody Such" in e.getvalue()  # the link's unknown actor is said, as the app says it
        data = (tmp_path / name).read_bytes()
        if name.endswith(".csv"):
            got = pd.read_csv(io.BytesIO(data))["event_id"]
        elif name.endswith(".geojson"):
            got = [f["id"] for f in json.loads(data)["features"]]
        else:
            got = [json.loads(line)["event_id"] for line in data.splitlines()]
        assert sorted(got) == want
    o, e = io.StringIO(), io.StringIO()
    assert cli.main(["export", url, "--out", str(tmp_path / "ly.xlsx")], o, e) == 2
    assert "must end in .csv, .geojson, .jsonl" in e.getvalue()
    o, e = io.StringIO(), io.StringIO()
    assert cli.main(["export", url, "--out", str(tmp_path / "no such folder" / "ly.csv")], o, e) == 2
    assert "cannot write" in e.getvalue() and "Traceback" not in e.getvalue()
    assert not list(tmp_path.glob("*.part"))  # nothing half-written left behind
