"""The rows of a text table the engine settles alone, in the pass that parses it.

Most rows of a big export need nothing from Python: a date written the way
every row of the file writes it ("16 September 2018", "2018-09-16",
GDELT's "20180916"), the source's own coordinates on the globe, a country
code, a count of fatalities.  Such a row's final
columns are SQL alone, so :mod:`viz.events.engine` writes it to the dataset
in the one pass that parses the text, and hands the others to
:class:`Leftovers` as the pass meets them.  A row is *settled* when it passes
every check of the full path with these SQL readings:

* its date (and end date) match one of the strict forms below and read as
  a day within the years the frame holds (the end not before the start);
* it has both coordinates, numbers on the globe, or none and no place name
  to look up (nothing for the geocoder);
* a country code where it has a country name (no name for Python to code);
* its fatalities are a count, its event type one of the frame's words.

(That each record is one line of the file, as the full path also requires,
is checked for the whole file: its lines are counted beside the pass.)

Every other row goes to the full path (the distinct values read by Python,
the geocoder, each rejection named with its row), which gives a settled row
the same values: the forms below are ones :func:`viz.events.tabledates.parse`
reads one value at a time, the same way whatever the rest of the column holds
(numeric dates, whose order the whole column decides, are never settled here).
A file whose first rows (:data:`HEAD`) mostly fail these is left to the
full path whole: settling it would hand that path nearly every row, a batch
at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viz.events import formats as fm
from viz.events import schema
from viz.events.sqlformats import lit

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# (a cheap test a value of the form passes, then the regular expression the whole value matches,
# then the strptime format) read the same by pandas and DuckDB; the cheap test spares the
# expression for a file written in another form (most of its cost)
FORMS = {
    None: (
        ("substr({}, 5, 1) = '-'", "[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"),
        ("true", f"[0-9]{{1,2}} ({MONTHS}) [0-9]{{4}}", "%d %B %Y"),
    ),
    "%Y%m%d": (("true", "[0-9]{8}", "%Y%m%d"),),
}
HEAD = 20_000  # the first rows of a file, to tell whether settling it is worth a pass
# the columns the settling adds to the mapped rows (left out again for the full path)
ADDED = ("y", "x", "_fat", "_day", "_eday", "_ok")


def day(col: str, date_format: str | None) -> str:
    """The SQL day of a text column, NULL unless it is written in a strict form."""
    whens = " ".join(
        f"WHEN {test.format(col)} AND regexp_full_match({col}, {lit(rx)}) THEN CAST(try_strptime({col}, {lit(f)}) "
        "AS TIMESTAMP)"
        for test, rx, f in FORMS[date_format]
    )
    return f"(CASE {whens} END)"


@dataclass
class Plan:
    """How rows of one file are settled: SQL over the mapped rows (text
    columns named by the schema, ``_h`` the row's hash)."""

    has_end: bool
    date_format: str | None
    cc: str  # the country code column, or NULL
    has_cn: bool
    fat: str  # fatalities as a number
    odd_fat: str  # fatalities that are no count (of their number, _fat)
    odd_type: bool  # the rows carry _et_odd (a type word the frame does not know)

    def flagged(self, rows: str, number: Callable[[str], str]) -> str:
        """The mapped rows with their SQL readings and ``_ok``, whether the
        engine settles the row alone; ``number(col)`` reads a coordinate."""
        first, last = lit(str(schema.FIRST_DAY)), lit(str(schema.LAST_DAY))
        inside = f"BETWEEN TIMESTAMP {first} AND TIMESTAMP {last}"
        ok = [f"_day {inside}"]
        if self.has_end:
            ok.append(f"(date_end IS NULL OR (_eday {inside} AND _eday >= _day))")
        ok.append(
            "((y BETWEEN -90 AND 90 AND x BETWEEN -180 AND 180) OR "
            "(lat IS NULL AND lon IS NULL AND trim(coalesce(place_query, '')) = ''))"
        )
        if self.has_cn:
            ok.append(f"({self.cc} IS NOT NULL OR country_name IS NULL)")
        ok.append(f"NOT {self.odd_fat}")
        if self.odd_type:
            ok.append("_et_odd IS NULL")
        eday = day("date_end", self.date_format) if self.has_end else "CAST(NULL AS TIMESTAMP)"
        return (
            f"(SELECT *, coalesce({' AND '.join(ok)}, false) AS _ok FROM (SELECT *, {number('lat')} AS y, "
            f"{number('lon')} AS x, {self.fat} AS _fat, {day('date', self.date_format)} AS _day, {eday} AS _eday "
            f"FROM {rows}))"
        )

    def checked(self, flagged: str, where: str) -> str:
        """Settled rows shaped as the full path's checked rows (their parsed
        values, no check failed), for the same final columns."""
        drop = "_ok" if self.has_end else "_ok, _eday"
        return (
            f"SELECT * EXCLUDE ({drop}), 'day' AS _prec, CAST(NULL AS VARCHAR) AS _dproblem, "
            + ("CAST(NULL AS VARCHAR) AS _eproblem, " if self.has_end else "")
            + f"{self.cc} AS _cc, CAST(NULL AS INTEGER) AS _check, false AS _odd FROM {flagged} WHERE {where}"
        )


def plan(ex: dict[str, str], mapped: fm.Mapped, *, fat: str, odd_fat: str) -> Plan | None:
    """The settling of a file's rows, or None when its date format is not one
    the engine reads alone."""
    if mapped.date_format not in FORMS:
        return None
    return Plan(
        has_end="date_end" in ex,
        date_format=mapped.date_format,
        cc="country_code" if "country_code" in ex else "NULL",
        has_cn="country_name" in ex,
        fat=fat,
        odd_fat=odd_fat,
        odd_type="_et_odd" in ex,
    )


class Leftovers:
    """The rows the settling pass does not settle, written to a Parquet file
    as the pass meets them (a DuckDB function of Arrow arrays, called only
    for those rows: ``_ok OR keep(_ok, struct_pack(...))``), so the full path
    reads them from there and not from the text again.  At most ``batch``
    rows are held between writes."""

    def __init__(self, path: Path, *, batch: int = 65_536) -> None:
        self.path, self.batch = path, batch
        self.rows = 0
        self._held: list[Any] = []
        self._n = 0
        self._writer: Any = None
        self._lock = threading.Lock()

    def __call__(self, ok: Any, row: Any) -> Any:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(ok)
        left = row.filter(pc.invert(ok)) if pc.any(ok).as_py() else row  # called for a settled row too: kept out
        left = left.combine_chunks() if isinstance(left, pa.ChunkedArray) else left
        if len(left):
            with self._lock:
                self._held.append(left)
                self._n += len(left)
                self.rows += len(left)
                if self._n >= self.batch:
                    self._flush()
        return pa.array(np.zeros(n, dtype=bool))

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._held:
            return
        table = pa.Table.from_struct_array(pa.concat_arrays(self._held))
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(str(self.path), table.schema)
        self._writer.write_table(table)
        self._held, self._n = [], 0

    def close(self) -> int:
        """Write what is held; the rows left over."""
        with self._lock:
            self._flush()
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        return self.rows
