"""A table's date column, read with one order for all its rows."""

from __future__ import annotations

import pandas as pd

from viz.events import tabledates


def read(values, **kw):
    got = tabledates.parse(pd.Series(values, dtype="object"), **kw)
    days = [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in got.dates]
    return days, list(got.precision), got


def test_the_column_says_its_order():
    days, _, got = read(["03/01/2022", "01/13/2022"])
    assert days == ["2022-03-01", "2022-01-13"] and "month-first" in got.note
    days, _, got = read(["03/01/2022", "13.01.2022", "04-02-2022"])
    assert days == ["2022-01-03", "2022-01-13", "2022-02-04"] and "day-first" in got.note


def test_a_column_that_never_says_is_reported_not_guessed():
    days, _, got = read(["03/01/2022", "04/02/2022"])
    assert days == [None, None]
    ((rows, reason),) = got.problems
    assert list(rows) == [True, True] and "order unknown" in reason
    days, _, got = read(["03/01/2022", "04/02/2022"], order="day-first")
    assert days == ["2022-01-03", "2022-02-04"] and not got.problems


def test_a_date_against_the_columns_order_is_rejected():
    days, _, got = read(["13/01/2022", "14/01/2022", "01/15/2022"])
    assert days[:2] == ["2022-01-13", "2022-01-14"] and days[2] is None
    ((rows, reason),) = got.problems
    assert list(rows) == [False, False, True] and "month-first date" in reason


def test_iso_two_digit_years_scripts_zones_and_precision():
    days, prec, got = read(
        ["2022-13-01", "22-03-01", "٢٠٢٢-٠٣-٠١", "۱۴۰۱-۰۱-۰۱", "2022-03-01T23:30:00+05:00", "Mar 2022", "2022", None]
    )
    assert days == [None, None, "2022-03-01", "1401-01-01", "2022-03-01", "2022-03-01", "2022-01-01", None]
    assert prec[5:7] == ["month", "year"] and prec[2] == "day"
    assert any("two-digit year" in r for _, r in got.problems)


def test_text_dates_as_before():
    days, _, _ = read(["01 March 2020", "1-March-2020", "March 1, 2020", "20200301", "Sunday, 1 March 2020"])
    assert days == ["2020-03-01"] * 5
