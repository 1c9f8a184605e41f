"""Reading tables: CSV/TSV, JSON, JSON lines, Parquet and Excel.

The kind is taken from the extension and checked against the first bytes
(``PAR1`` Parquet, ``PK`` xlsx, ``[``/``{`` JSON); text is UTF-8 with or
without BOM, else cp1252.  Every cell comes back as a string (or missing), so
nothing is reinterpreted before the format mapping validates it.  Rows whose
field count is wrong are not dropped: they come back in ``bad_rows`` with
their line numbers.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from viz import settings
from viz.errors import InputError
from viz.events import excel

TEXT_EXT = {".csv", ".tsv", ".tab", ".txt", ".psv"}
MAX_FIELD = 32 * 1024 * 1024  # one cell's characters: a long note is read, not a file's failure
csv.field_size_limit(MAX_FIELD)
# Byte order marks of the Unicode encodings, longest first (UTF-32's begins like UTF-16's).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass
class RawTable:
    path: Path
    kind: str  # csv, tsv, json, jsonl, parquet, excel
    frame: pd.DataFrame  # all object dtype, strings or None
    encoding: str = ""
    header: bool = True
    row_offset: int = 2  # frame index i is the file's row i + row_offset
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    row_numbers: list[int] | None = None  # explicit row of each frame row, where blank lines were skipped

    def row(self, i: int) -> int:
        """The file's row number of frame row ``i`` (header = row 1 in text files)."""
        return self.row_numbers[i] if self.row_numbers is not None else i + self.row_offset


def _decode(data: bytes) -> tuple[str, str]:
    text, encoding = decode_bytes(data)
    if "\r" in text and "\n" not in text:  # old Mac line endings: CR alone ends each row
        text = text.replace("\r", "\n")
    return text, encoding


def decode_bytes(data: bytes) -> tuple[str, str]:
    """UTF-8, UTF-16 or UTF-32 by their byte order mark (or, for UTF-16
    without one, by its zero bytes), else UTF-8, else each line in UTF-8 or
    cp1252 (a file pasted together from two encodings), else cp1252."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc.removesuffix("-sig"), errors="replace"), enc
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") >= len(head) // 3:
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    utf8 = 0
    out = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
            utf8 += any(b > 0x7F for b in line)
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="replace"))
    if utf8:  # some lines are surely UTF-8, the others are not: each read in its own
        return "\n".join(out), "utf-8 and cp1252 (mixed, line by line)"
    return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_kind(path: Path, head: bytes) -> str:
    ext = path.suffix.lower()
    if head.startswith(b"PAR1") or ext == ".parquet":
        return "parquet"
    if head.startswith(b"PK\x03\x04") or ext in (".xlsx", ".xlsm"):
        return "excel"
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if ext == ".json" or stripped[:1] in (b"[", b"{"):
        first = stripped.split(b"\n", 1)[0].strip()
        if stripped[:1] == b"{" and first.endswith(b"}") and b"\n" in stripped.strip():
            return "jsonl"
        return "json"
    return "text"


def _to_strings(df: pd.DataFrame) -> pd.DataFrame:
    out = df.astype(object).where(df.notna(), None)
    return out.map(lambda v: v if v is None or isinstance(v, str) else str(v))


def check_file(path: Path) -> bytes:
    """The file's first 64 KiB, once it is known to be a regular, non-empty
    file under the size limit (else an :class:`InputError` naming it)."""
    if path.exists() and not path.is_file():
        raise InputError(f"{path.name}: not a regular file (a device, a pipe or a folder): not read")
    limit = settings.load().max_file_mb
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path.name}: cannot open: {exc.strerror or exc}") from exc
    if size > limit * 1024 * 1024:
        raise InputError(f"{path.name}: {size / 2**20:,.0f} MiB is over the {limit:,} MiB limit (VIZ_MAX_FILE_MB)")
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise InputError(f"{path.name}: cannot open: {exc.strerror or exc}") from exc
    if not head:
        raise InputError(f"{path.name}: the file is empty")
    if not head.strip() and len(head) < 65536:
        raise InputError(f"{path.name}: the file holds only blank space, no rows")
    return head


def read_table(path: str | Path, *, header: bool | None = None) -> RawTable:
    path = Path(path)
    head = check_file(path)
    kind = sniff_kind(path, head)
    try:
        if kind == "parquet":
            return RawTable(path, kind, _to_strings(pd.read_parquet(path)), row_offset=1)
        if kind == "excel":
            frame, sheet, numbers = excel.frame(path)
            return RawTable(path, kind, frame, row_offset=2, bad_rows=sheet.bad_rows, row_numbers=numbers)
    except InputError:
        raise
    except Exception as exc:  # a corrupt binary file: name it, say why
        raise InputError(f"{path.name}: cannot read as {kind}: {exc}") from exc
    text, encoding = _decode(path.read_bytes())
    if kind in ("json", "jsonl"):
        return _read_json(path, text, encoding, kind)
    return _read_delimited(path, text, encoding, header)


def _read_json(path: Path, text: str, encoding: str, kind: str) -> RawTable:
    records: list[dict] = []
    bad: list[tuple[int, str]] = []
    numbers: list[int] = []
    if kind == "jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            numbers.append(lineno)
            try:
                rec = json.loads(line)
            except ValueError as exc:
                bad.append((lineno, f"not JSON: {exc}"))
                records.append({})
                continue
            if not isinstance(rec, dict):
                bad.append((lineno, "not a JSON object"))
                rec = {}
            records.append(rec)
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        return RawTable(path, kind, _to_strings(frame), encoding, row_offset=1, bad_rows=bad, row_numbers=numbers)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path.name}: not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise InputError(f"{path.name}: JSON nested too deeply to be a table") from exc
    if isinstance(data, dict):
        # {"data": [...]} as APIs return, or {"col": [...]} columns
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1 and all(isinstance(r, dict) for r in lists[0]):
            data = lists[0]
        elif lists and all(isinstance(v, list) for v in data.values()):
            lengths = {k: len(v) for k, v in data.items()}
            if len(set(lengths.values())) > 1:
                said = ", ".join(f"{k} {n}" for k, n in lengths.items())
                raise InputError(f"{path.name}: JSON columns of unequal length ({said}): rows cannot be told apart")
            return RawTable(path, kind, _to_strings(pd.DataFrame(data)), encoding, row_offset=1)
        else:
            data = [data]
    if not isinstance(data, list):
        raise InputError(f"{path.name}: JSON must be a list of objects")
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            bad.append((i + 1, "not a JSON object"))
            data[i] = {}
    return RawTable(path, kind, _to_strings(pd.DataFrame.from_records(data)), encoding, row_offset=1, bad_rows=bad)


def delimiter(sample: str, path: Path) -> str:
    ext = path.suffix.lower()
    if ext in (".tsv", ".tab"):
        return "\t"
    tabs = [line.count("\t") for line in sample.splitlines() if line.strip()]
    if tabs and min(tabs) >= 10 and len(set(tabs)) == 1:  # GDELT's 61 fields, commas inside some of them
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return "\t" if sample.count("\t") > sample.count(",") else ","


def _count_fields(text: str, sep: str, ncols: int, header: bool) -> tuple[list[int], list[tuple[int, str]]]:
    reader = csv.reader(
        io.StringIO(text, newline=None), delimiter=sep, quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL
    )
    numbers: list[int] = []
    bad: list[tuple[int, str]] = []
    start = reader.line_num
    first = True
    for rec in reader:
        line = start + 1
        start = reader.line_num
        if first and header:
            first = False
            continue
        first = False
        if not rec:
            continue
        numbers.append(line)
        if len(rec) != ncols:
            bad.append((line, f"{len(rec)} fields where the header has {ncols}"))
    return numbers, bad


def _unclosed_at(text: str, sep: str) -> int | None:
    """The 0-based line where a field opened by a quote runs to the end of
    the text or breaks down lines later, or None (a quote inside a field,
    "12\" shell", opens nothing; a field that spans lines and closes is fine)."""
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=sep, strict=True)
    start = 0
    try:
        for _ in reader:
            start = reader.line_num
    except csv.Error as exc:
        # to the end, or across lines into text that is no field's end ("open ... "x")
        return start if "end of data" in str(exc) or reader.line_num - start > 1 else None
    return None


def _unbalanced_quotes(text: str, sep: str) -> tuple[str, list[tuple[int, str]]]:
    """A quote that opens a field and never closes would swallow the rest of
    the file into that field.  The line where such a field opens is blanked
    to an empty row (its line number kept) and named; reading resumes at the
    next line.  A field that spans lines and closes is left alone."""
    bad: list[tuple[int, str]] = []
    if '"' not in text:
        return text, bad
    lines = text.replace("\r\n", "\n").split("\n")
    ncols = len(next(csv.reader([lines[0]], delimiter=sep), [])) if lines else 1
    while len(bad) < 1000:
        at = _unclosed_at(text, sep)
        if at is None or at >= len(lines):
            break
        bad.append((at + 1, 'a quote (") opens a field that never closes: row rejected, reading resumes after it'))
        lines[at] = sep * max(ncols - 1, 0)
        text = "\n".join(lines)
    return text, bad


def _read_delimited(path: Path, text: str, encoding: str, header: bool | None) -> RawTable:
    sample = "\n".join(text.splitlines()[:20])
    sep = delimiter(sample, path)
    unclosed: list[tuple[int, str]] = []
    if sep != "\t":
        text, unclosed = _unbalanced_quotes(text, sep)
    first = next(csv.reader(io.StringIO(sample), delimiter=sep), [])
    if header is None:
        # GDELT event files have no header: 57/58/61 fields, numeric id first.
        header = not (len(first) >= 57 and first[0].isdigit())
    kind = "tsv" if sep == "\t" else "csv"
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],  # an empty cell is missing; "NA" or "null" stay text
            header=0 if header else None,
            engine="c",
            on_bad_lines="error",
            quoting=csv.QUOTE_MINIMAL if sep != "\t" else csv.QUOTE_NONE,
        )
        if not header:
            frame.columns = range(frame.shape[1])
        # pandas fills a row that is short of fields with blanks; a streaming
        # pass of the csv module names those rows and gives each its line.
        counted, short = _count_fields(text, sep, frame.shape[1], header)
        if len(counted) != len(frame):
            raise pd.errors.ParserError("record count differs")
        table = RawTable(path, kind, frame, encoding, header, row_offset=2 if header else 1, bad_rows=unclosed + short)
        table.row_numbers = counted
        return table
    except pd.errors.ParserError:
        pass
    # Some rows have the wrong number of fields: read row by row, keep the
    # good ones, name the bad ones.
    reader = csv.reader(
        io.StringIO(text, newline=None), delimiter=sep, quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL
    )
    records: list[tuple[int, int, list[str]]] = []  # (first line, lines, fields) of each record
    end = 0
    for rec in reader:
        records.append((end + 1, reader.line_num - end, rec))
        end = reader.line_num
    if not records:
        raise InputError(f"{path.name}: no rows")
    cols = records[0][2] if header else list(range(len(records[0][2])))
    good: list[list[str | None]] = []
    bad: list[tuple[int, str]] = []
    numbers = []
    start = 1 if header else 0
    blanked = {u for u, _ in unclosed}
    for lineno, spans, row in records[start:]:
        # a line with no text is no row; a blanked row still counts, and so does a quoted
        # field across lines (a record of blanks, but not a blank line of the file)
        if spans == 1 and not any(cell.strip() for cell in row) and lineno not in blanked:
            continue
        numbers.append(lineno)
        if len(row) != len(cols):
            bad.append((lineno, f"{len(row)} fields where the header has {len(cols)}"))
            good.append([None] * len(cols))
        else:
            good.append([c if c != "" else None for c in row])
    frame = pd.DataFrame(good, columns=cols, dtype=object)
    bad = sorted(unclosed + [b for b in bad if b[0] not in {u for u, _ in unclosed}])
    return RawTable(path, kind, frame, encoding, header, row_offset=start + 1, bad_rows=bad, row_numbers=numbers)
