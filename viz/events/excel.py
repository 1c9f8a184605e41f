"""Excel workbooks (.xlsx, .xlsm) read a row at a time.

openpyxl's read-only mode walks the first sheet's XML without building the
sheet in memory, so a workbook of a million rows is read in chunks: into a
frame for the in-memory readers (small files) or, for the engine, straight
into a Parquet file of text columns (:func:`to_parquet`), never held whole.
Both paths read the same cells the same way:

- the first row is the header; an empty header cell is ``Unnamed: i`` and a
  repeated one ``name.1``, as pandas names them;
- every cell is text: numbers as written (``5``, ``5.5``; a whole float is an
  integer, as pandas reads it), dates as ``YYYY-MM-DD HH:MM:SS``, an empty
  cell missing; formulas give their cached values;
- an empty row between rows is a row (the checks name it: "missing date");
  empty rows at the end of the sheet are not rows;
- a row with a value beyond the header's last column is rejected by number
  ("12 cells where the header has 10"), as a text file's row with too many
  fields is; its other cells are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHUNK = 50_000  # rows per Parquet row group written (and per batch held)


@dataclass
class Sheet:
    """What reading a sheet found besides its rows."""

    columns: list[str]
    header_row: int = 1  # the header's row in the sheet (empty rows above it are no rows)
    rows: int = 0  # rows read, the rejected ones included
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, reason)


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v if v != "" else None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _names(header: tuple[Any, ...]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, v in enumerate(header):
        name = _text(v)
        name = name.strip() if name is not None and name.strip() else f"Unnamed: {i}"
        base = name
        while name in seen:
            seen[base] += 1
            name = f"{base}.{seen[base]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _open(path: Path) -> tuple[Any, Iterator[tuple[Any, ...]]]:
    import openpyxl

    from viz.errors import InputError

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, damaged, encrypted: named, with why
        raise InputError(f"{path.name}: cannot read as excel: {exc}") from exc
    if not wb.worksheets:
        wb.close()
        raise InputError(f"{path.name}: the workbook has no sheet")
    return wb, wb.worksheets[0].iter_rows(values_only=True)


def read(path: str | Path) -> Iterator[tuple[Sheet, list[tuple[int, list[str | None]]]]]:
    """The first sheet in batches of at most :data:`CHUNK` rows: each batch
    with the :class:`Sheet` (columns, rows so far, rejections so far) and its
    ``(sheet row, cells)`` pairs.  A rejected row comes as cells all missing,
    so every row read is in a batch."""
    from viz.errors import InputError

    path = Path(path)
    wb, it = _open(path)
    try:
        numbered = enumerate(it, 1)
        # empty rows above the header are no rows
        found = next(((at, h) for at, h in numbered if any(_text(v) is not None for v in h)), None)
        if found is None:
            raise InputError(f"{path.name}: the first sheet is empty: no header, no rows")
        at, header = found
        width = len(header)
        while width and _text(header[width - 1]) is None:
            width -= 1
        sheet = Sheet(_names(header[:width]), header_row=at)
        batch: list[tuple[int, list[str | None]]] = []
        blank: list[int] = []  # empty rows not yet known to be followed by a row
        for row, values in numbered:
            texts = [_text(v) for v in values]
            if all(t is None for t in texts):
                blank.append(row)
                continue
            batch += [(b, [None] * width) for b in blank]  # empty rows between rows are rows
            blank = []
            if any(t is not None for t in texts[width:]):
                last = max(i for i, t in enumerate(texts) if t is not None) + 1
                sheet.bad_rows.append((row, f"{last} cells where the header has {width}"))
                batch.append((row, [None] * width))
            else:
                batch.append((row, texts[:width] + [None] * (width - len(texts))))
            if len(batch) >= CHUNK:
                sheet.rows += len(batch)
                yield sheet, batch
                batch = []
        sheet.rows += len(batch)
        yield sheet, batch
    finally:
        wb.close()


def frame(path: str | Path) -> tuple[Any, Sheet, list[int]]:
    """The first sheet as a frame of text (object) columns, with the
    :class:`Sheet` and each frame row's sheet row."""
    import pandas as pd

    rows: list[list[str | None]] = []
    numbers: list[int] = []
    sheet = Sheet([])
    for sheet, batch in read(path):  # noqa: B007 - the last batch's Sheet says it all
        numbers += [n for n, _ in batch]
        rows += [cells for _, cells in batch]
    return pd.DataFrame(rows, columns=sheet.columns, dtype=object), sheet, numbers


def to_parquet(path: str | Path, dest: str | Path) -> Sheet:
    """The first sheet into the Parquet file ``dest`` (text columns, the
    sheet's rows in order, a batch at a time); the :class:`Sheet`.  A
    rejected row is left out of the file (the engine steps over it by
    number, as over a text file's rows its reader rejects)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    sheet = Sheet([])
    try:
        for sheet, batch in read(path):  # noqa: B007 - the last batch's Sheet says it all
            if writer is None:
                schema = pa.schema([(c, pa.string()) for c in sheet.columns])
                writer = pq.ParquetWriter(str(dest), schema)
            bad = {n for n, _ in sheet.bad_rows}
            kept = [cells for n, cells in batch if n not in bad]
            cols = list(zip(*kept, strict=True)) if kept else [()] * len(sheet.columns)
            writer.write_table(pa.table([pa.array(c, pa.string()) for c in cols], schema=writer.schema))
    finally:
        if writer is not None:
            writer.close()
    return sheet
