"""Hostile files: each ends in a report that names what went wrong, never a
traceback, and rows read = kept + rejected.  The files are the project's own."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viz.events.ingest import load

MAPPING = {"date": "date", "place": "place", "fatalities": "fatalities"}


def run(tmp_path, name: str, data: bytes, mapping=MAPPING):
    path = tmp_path / name
    path.write_bytes(data)
    frame, report = load([path], mapping=mapping)
    for fr in report.files:
        assert fr.rows_read == fr.rows_kept + fr.rows_rejected, fr
        assert len({p.row for p in fr.rejected}) == fr.rows_rejected, fr  # every row named is counted, once
        rows = [p.row for p in fr.rejected if p.row is not None]
        assert rows == sorted(rows), fr  # listed in file order
    assert len(frame) == sum(fr.rows_kept for fr in report.files)
    return frame, report


def reasons(report) -> list[str]:
    return [p.reason for fr in report.files for p in fr.rejected] + [p.reason for p in report.unreadable]


def test_one_date_the_frame_cannot_hold_rejects_its_row_not_the_file(tmp_path, geocoder):
    csv = "date,place,fatalities\n0001-01-01,Aleppo,1\n9999-12-31,Aleppo,2\n-0044-03-15,Rome,3\n2021-06-01,Homs,4\n"
    frame, report = run(tmp_path, "years.csv", csv.encode())
    assert list(frame["place"]) == ["Homs"]
    rejected = report.files[0].rejected
    assert [p.row for p in rejected] == [2, 3, 4]
    assert all("outside the years" in p.reason and p.column == "date" for p in rejected)


def test_time_zones_keep_the_date_as_written(tmp_path, geocoder):
    csv = "date,place\n2022-03-01T23:30:00+05:00,Kharkiv\n2022-03-02T01:00:00Z,Kharkiv\n2022-03-03,Kharkiv\n"
    frame, report = run(tmp_path, "zones.csv", csv.encode(), mapping={"date": "date", "place": "place"})
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == ["2022-03-01", "2022-03-02", "2022-03-03"]
    assert report.files[0].rows_rejected == 0


@pytest.mark.parametrize("value", ["1e19", "1e308", "inf", "-inf", "NaN", "-3"])
def test_fatalities_beyond_any_count_lose_the_count_not_the_row(tmp_path, geocoder, value):
    csv = f"date,place,fatalities\n2021-06-01,Homs,{value}\n2021-06-02,Homs,5\n"
    frame, report = run(tmp_path, "fat.csv", csv.encode())
    assert len(frame) == 2 and frame["fatalities"].isna().iloc[0] and frame["fatalities"].iloc[1] == 5
    assert [w.row for w in report.files[0].warnings] == [2]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("blank.csv", b"   \n\n \t ", "only blank space"),
        ("deep.json", b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        ("uneven.json", json.dumps({"date": ["2020-01-01", "2020-01-02"], "place": ["Homs"]}).encode(), "unequal"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_unreadable_files_are_named_with_the_reason(tmp_path, name, data, says):
    frame, report = run(tmp_path, name, data)
    assert len(frame) == 0 and report.nothing_read
    assert [p.file for p in report.unreadable] == [name]
    assert says in report.unreadable[0].reason


def test_cr_only_line_endings_are_rows(tmp_path, geocoder):
    csv = "date,place\r2021-06-01,Homs\r2021-06-02,Hama\r"
    frame, report = run(tmp_path, "mac.csv", csv.encode(), mapping={"date": "date", "place": "place"})
    assert list(frame["place"]) == ["Homs", "Hama"]


def test_one_bad_file_does_not_stop_the_others(tmp_path, geocoder):
    (tmp_path / "deep.json").write_bytes(b"[" * 5000 + b"]" * 5000)
    (tmp_path / "good.csv").write_text("date,place\n2021-06-01,Homs\n", encoding="utf-8")
    frame, report = load([tmp_path / "deep.json", tmp_path / "good.csv"], mapping={"date": "date", "place": "place"})
    assert list(frame["place"]) == ["Homs"] and [p.file for p in report.unreadable] == ["deep.json"]


def test_cli_names_the_file_and_exits_2_when_nothing_is_read(tmp_path):
    import io

    from viz.cli import main

    (tmp_path / "blank.csv").write_bytes(b"  \n ")
    err = io.StringIO()
    assert main(["ingest", str(tmp_path / "blank.csv"), "--out", str(tmp_path / "o.parquet")], io.StringIO(), err) == 2
    assert "blank.csv" in err.getvalue() and "Traceback" not in err.getvalue()


CELLS = st.one_of(
    st.sampled_from(
        ["2021-06-01", "0001-01-01", "9999-12-31", "2021-06-01T10:00:00+05:00", "13/13/2021", "", '"', '""', "\r"]
    ),
    st.sampled_from(["Homs", "Aleppo", "=cmd()", "<script>x</script>", "\u202e", "\x00"]),
    st.sampled_from(["1", "1e19", "inf", "-5", "x"]),
    st.text(max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=0, max_size=8), st.sampled_from([",", ";", "\t"]))
def test_fuzzed_csv_never_raises_and_loses_nothing(tmp_path_factory, geocoder, rows, sep):
    tmp = tmp_path_factory.mktemp("fuzz")
    text = sep.join(["date", "place", "fatalities"]) + "\n" + "\n".join(sep.join(r) for r in rows)
    run(tmp, "fuzz.csv", text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.floats(), st.text(max_size=8)),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(st.sampled_from(["date", "place", "fatalities", "x"]), c, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_fuzzed_json_never_raises_and_loses_nothing(tmp_path_factory, geocoder, value):
    tmp = tmp_path_factory.mktemp("fuzz")
    run(tmp, "fuzz.json", json.dumps(value).encode())


@pytest.mark.parametrize(
    ("csv", "rejected_row", "kept"),
    [
        (
            'date,place,notes\n2021-06-01,Homs,ok\n2021-06-02,Hama,"broken\n2021-06-03,Idlib,x\n2021-06-04,Raqqa,x\n',
            3,
            3,
        ),
        ('date,place,notes\n2021-06-01,Homs,"open\n2021-06-02,Idlib,x\n2021-06-03,Raqqa,"y"z\n', 2, 2),
    ],
)
def test_a_quote_that_never_closes_rejects_its_row_and_reading_resumes(tmp_path, geocoder, csv, rejected_row, kept):
    frame, report = run(tmp_path, "quote.csv", csv.encode(), mapping={"date": "date", "place": "place"})
    fr = report.files[0]
    assert fr.rows_kept == kept and [p.row for p in fr.rejected] == [rejected_row]
    assert "never closes" in fr.rejected[0].reason


def test_quotes_that_are_fine_are_left_alone(tmp_path, geocoder):
    csv = 'date,place,notes\n2021-06-01,Homs,12" shell\n2021-06-02,Hama,"two\nlines"\n2021-06-03,Idlib,"a ""b"""\n'
    frame, report = run(tmp_path, "fine.csv", csv.encode(), mapping={"date": "date", "place": "place"})
    assert len(frame) == 3 and report.files[0].rows_rejected == 0


def test_other_unicode_encodings_and_mixed_files(tmp_path, geocoder):
    csv = "date,place\n2021-06-01,Zürich\n"
    for enc in ("utf-16", "utf-16-be", "utf-32"):
        frame, report = run(tmp_path, f"{enc}.csv", csv.encode(enc), mapping={"date": "date", "place": "place"})
        assert list(frame["place"]) == ["Zürich"], enc
    mixed = "date,place\n2021-06-01,Zürich\n".encode() + "2021-06-02,München\n".encode("cp1252")
    frame, report = run(tmp_path, "mixed.csv", mixed, mapping={"date": "date", "place": "place"})
    assert list(frame["place"]) == ["Zürich", "München"] and "mixed" in report.files[0].encoding


def test_a_long_field_is_read(tmp_path, geocoder):
    csv = "date,place,notes\n2021-06-01,Homs," + "x" * 300_000 + "\n2021-06-02,Hama,ok\n"
    frame, _ = run(tmp_path, "long.csv", csv.encode(), mapping={"date": "date", "place": "place", "text": "notes"})
    assert len(frame) == 2 and len(frame["text"].iloc[0]) == 300_000


def test_devices_and_files_over_the_limit_are_refused_by_name(tmp_path, monkeypatch):
    frame, report = load(["/dev/zero"])
    assert [p.file for p in report.unreadable] == ["zero"] and "regular file" in report.unreadable[0].reason
    (tmp_path / "a.csv").write_text("date,place\n2021-06-01,Homs\n", encoding="utf-8")
    monkeypatch.setenv("VIZ_MAX_FILE_MB", "0")
    frame, report = load([tmp_path / "a.csv"])
    assert "limit" in report.unreadable[0].reason


def test_a_tab_file_with_commas_inside_is_read_as_tabs(tmp_path, geocoder):
    header = "\t".join(["date", "place"] + [f"c{i}" for i in range(12)])
    row = "\t".join(["2021-06-01", "Homs"] + ["a, b"] * 12)
    frame, _ = run(
        tmp_path, "wide.csv", f"{header}\n{row}\n{row}\n".encode(), mapping={"date": "date", "place": "place"}
    )
    assert len(frame) == 2


def test_a_quote_that_never_closes_beside_rows_of_the_wrong_width(tmp_path, geocoder):
    csv = 'date,place\n0001-01-01,Aleppo\n2021-06-01,Homs,extra\n2021-06-02,"Hama\n2021-06-03,Idlib\n'
    frame, report = run(tmp_path, "both.csv", csv.encode(), mapping={"date": "date", "place": "place"})
    fr = report.files[0]
    assert (fr.rows_read, fr.rows_kept) == (4, 1) and sorted(p.row for p in fr.rejected) == [2, 3, 4]


def test_a_quoted_field_across_lines_is_a_row_and_the_rows_after_it_keep_their_lines(tmp_path, geocoder):
    # lines 2-3: one record (a quoted line break, one field); line 4: a field too many;
    # line 5: a quote that never closes
    text = 'date,place,fatalities\n"\n"\n2021-06-01,Homs,2,extra\n"'
    _, report = run(tmp_path, "spans.csv", text.encode())
    fr = report.files[0]
    assert (fr.rows_read, fr.rows_kept, fr.rows_rejected) == (3, 0, 3)
    assert [(p.row, p.reason.split(":")[0]) for p in fr.rejected] == [
        (2, "1 fields where the header has 3"),
        (4, "4 fields where the header has 3"),
        (5, 'a quote (") opens a field that never closes'),
    ]
