"""CSV downloads are safe to open in a spreadsheet and read back row for row."""

from __future__ import annotations

import csv
import io

import pandas as pd

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
