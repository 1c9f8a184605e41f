"""Dates in a table's column, read the same way for every row.

A column has one date order.  Numeric dates with a four-digit year
("03/01/2022", "13.01.2022") are read day-first or month-first as the
column's unambiguous values say ("13/01/2022" can only be day-first); the
order is stated in the report and can be given (``date_order``).  A column
whose values say both is reported row by row (the minority order rejected);
one that never says either is ambiguous throughout and is reported, not
guessed, unless an order is given.  An ISO date that is not a date
("2022-13-01") is not read any other way; a two-digit year ("22-03-01") is
not guessed.  "Mar 2022" is a month and "2022" a year, with that precision.
Digits of other scripts (Arabic-Indic, Persian) are read as digits; a time
zone is dropped, the date kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ORDERS = ("day-first", "month-first")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# a zone after a time of day: "T10:00Z", "10:00:00+05:00", "10:00:00.5 UTC"
_ZONE = r"(?<=\d\d:\d\d)((?::\d\d)?(?:\.\d+)?)\s*(?:Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)$"
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO_LIKE = re.compile(r"^\s*[+-]?\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?$")
_TWO_DIGIT_YEAR = re.compile(r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\s*$")
_MONTH_YEAR = re.compile(r"^\s*[A-Za-z]{3,9}\.?\s+\d{4}\s*$")
_YEAR = re.compile(r"^\s*\d{4}\s*$")
TEXT_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%Y%m%d")


@dataclass
class Dates:
    dates: pd.Series  # datetime64, NaT where not read
    precision: pd.Series  # "day", "month", "year" or None
    problems: list[tuple[np.ndarray, str]] = field(default_factory=list)  # (rows, reason) to reject
    note: str | None = None  # the order inferred, for the report


def _naive(d: pd.Series) -> pd.Series:
    return d.dt.tz_convert(None) if isinstance(d.dtype, pd.DatetimeTZDtype) else d


def _to_datetime(s: pd.Series, **kw) -> pd.Series:
    return _naive(pd.to_datetime(s, errors="coerce", utc=True, **kw))


def order_of(values: pd.Series) -> tuple[int, int]:
    """How many numeric dates can only be day-first, and how many only
    month-first."""
    parts = values.str.extract(_NUMERIC).astype("float")
    return int((parts[0] > 12).sum()), int((parts[1] > 12).sum())


def parse(s: pd.Series, *, fmt: str | None = None, order: str | None = None) -> Dates:
    """The column's dates (``fmt``: a strptime format the file's format fixes)."""
    s = s.where(s.isna(), s.astype("str").str.translate(_DIGITS).str.replace(_ZONE, r"\1", regex=True))
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    precision = pd.Series(None, index=s.index, dtype="object")
    result = Dates(out, precision)
    if fmt:
        result.dates = _to_datetime(s, format=fmt)
        result.precision = precision.where(result.dates.isna(), "day")
        return result
    text = s.fillna("")
    todo = s.notna().to_numpy()

    def take(mask: np.ndarray, parsed: pd.Series, prec: str) -> None:
        nonlocal todo
        got = mask & parsed.notna().to_numpy()
        out[got] = parsed[got]
        precision[got] = prec
        todo = todo & ~mask

    iso = text.str.match(_ISO_LIKE).to_numpy() & todo
    if iso.any():  # ISO or nothing: "2022-13-01" is no date in another order
        take(iso, _to_datetime(s.where(iso), format="ISO8601"), "day")
    numeric = text.str.match(_NUMERIC).to_numpy() & todo
    if numeric.any():
        day_first, month_first = order_of(text[numeric])
        chosen = order
        if chosen is None and day_first and not month_first:
            chosen = "day-first"
        elif chosen is None and month_first and not day_first:
            chosen = "month-first"
        if chosen is None and day_first and month_first:
            chosen = "day-first" if day_first >= month_first else "month-first"
            minority = "month-first" if chosen == "day-first" else "day-first"
            parts = text.str.extract(_NUMERIC).astype("float")
            against = numeric & ((parts[1] > 12) if chosen == "day-first" else (parts[0] > 12)).to_numpy()
            result.problems.append(
                (against, f"a {minority} date in a column read {chosen} (most of its dates say so): not read")
            )
            numeric = numeric & ~against
            todo = todo & ~against
        if chosen is None:
            result.problems.append(
                (
                    numeric,
                    "date order unknown: every date of the column reads both day-first and month-first "
                    "(give the order: --date-order day-first or month-first)",
                )
            )
            todo = todo & ~numeric
        else:
            f = "%d/%m/%Y" if chosen == "day-first" else "%m/%d/%Y"
            unified = text.where(numeric).str.replace(r"[.\-]", "/", regex=True)
            take(numeric, _to_datetime(unified, format=f), "day")
            result.note = f"numeric dates read {chosen}" + (" (as given)" if order else " (as the column's dates say)")
    two = text.str.match(_TWO_DIGIT_YEAR).to_numpy() & todo
    if two.any():
        result.problems.append((two, "a two-digit year is not guessed (22-03-01 could be 2022 or 2001)"))
        todo = todo & ~two
    month = text.str.match(_MONTH_YEAR).to_numpy() & todo
    if month.any():
        parsed = _to_datetime(s.where(month), format="%b %Y")
        rest = parsed.isna().to_numpy() & month
        parsed[rest] = _to_datetime(s.where(rest), format="%B %Y")[rest]
        take(month, parsed, "month")
    year = text.str.match(_YEAR).to_numpy() & todo
    if year.any():
        take(year, _to_datetime(s.where(year), format="%Y"), "year")
    for f in TEXT_FORMATS:
        if not todo.any():
            break
        parsed = _to_datetime(s.where(todo), format=f)
        take(todo & parsed.notna().to_numpy(), parsed, "day")
    if todo.any():  # what dateutil reads ("Sunday, 1 March 2020"), day-first where it must choose
        take(todo.copy(), _to_datetime(s.where(todo), format="mixed", dayfirst=True), "day")
    result.dates, result.precision = out, precision
    return result
