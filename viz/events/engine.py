"""Big tables through DuckDB: read, mapped, validated and geocoded in the engine.

A CSV, TSV (GDELT) or Parquet file is read by DuckDB as text columns and
streamed into Parquet without being held in memory: the format's columns are
SQL (:mod:`viz.events.sqlformats`), the row checks are SQL expressions that
name a reason per row (the same reasons, in the same order, as
:func:`viz.events.ingest.load_table`), and what needs Python runs once per
*distinct value*, not per row: the dates of a column (:mod:`viz.events.tabledates`,
a few thousand distinct days in millions of rows), country names, and the
places without coordinates (the bulk geocoder).  Their answers are joined back
in the engine.  Rows DuckDB's reader cannot split (too many or too few fields)
come back from its reject table with their line; every other rejected row is
numbered by a second, narrow pass that only runs when a file has one.

A CSV or TSV file is first read by the settling pass (:mod:`viz.events.settled`):
the rows whose every value SQL reads alone (a date in a strict form, the
source's coordinates, a country code) are written to the dataset in the pass
that parses the text, while its lines are counted beside it; the other rows
are handed to Python as the pass meets them and staged, and only they go
through the full path above, into a second file.

Row numbers here count records (header = row 1): a quoted cell that spans
lines makes them differ from the editor's line numbers after it.

A text file that is not UTF-8, has old Mac line endings, or is JSON or Excel
is left to the in-memory readers (:func:`source` returns None).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from viz import settings
from viz.errors import InputError
from viz.events import excel, readers, schema, settled, tabledates
from viz.events import formats as fm
from viz.events.report import FileReport, Problem
from viz.events.sqlformats import case, expressions, ident, lit

MAX_LINE = 8 * 2**20  # a longer row is rejected and named (DuckDB buffers 16 lines' worth per thread)
# The staging file, compressed as Parquet's default: written uncompressed, its own pass was
# faster, but the three passes reading it back were slower by more (tried by hand at 10M rows).
STAGE_FORMAT = "(FORMAT parquet)"
MAX_LISTED = 100_000  # rejected rows named one by one in a report; the count is always exact


def connect(*, memory_mb: int | None = None, temp_dir: str | Path | None = None) -> Any:
    """A DuckDB connection with the project's limits and macros."""
    import duckdb

    s = settings.load()
    con = duckdb.connect(config={"memory_limit": f"{memory_mb or s.engine_memory_mb}MB"})
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    if temp_dir:
        con.execute(f"SET temp_directory = {lit(str(temp_dir))}")
    numeric, fips = _code_lists()
    # a list indexed by the code, cut to a whole number as formats.numeric_to_iso cuts it (a MAP
    # searched its keys on every row: 1.5 CPU-s at 10M rows); outside the list's range (index 0,
    # or past its end) the element is NULL
    con.execute(
        f"CREATE MACRO iso_of_numeric(x) AS {numeric}[least(greatest(TRY_CAST(trunc(TRY_CAST(x AS DOUBLE)) AS BIGINT), "
        "-1), 1000) + 1]"
    )
    con.execute(f"CREATE MACRO iso_of_fips(x) AS ({fips})[x]")  # a MAP is faster here than a list
    return con


def _code_lists() -> tuple[str, str]:
    """SQL for the ISO codes: a list by ISO numeric code (0-999, at index
    code + 1), and a MAP by FIPS code."""
    c = fm._countries()
    by_number: list[str | None] = [None] * 1000
    for k, v in c["numeric"].items():
        by_number[int(k)] = v
    numeric = "[" + ", ".join("NULL" if x is None else lit(x) for x in by_number) + "]"
    return numeric, "MAP {" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in c["fips"].items()) + "}"


@dataclass
class Source:
    """How the engine reads one file."""

    path: Path
    kind: str  # csv, tsv, parquet, json, jsonl
    relation: str  # the SQL table expression
    columns: list[str]
    header: bool
    encoding: str
    rejects: str | None = None  # DuckDB's reject table for this file
    skipped: dict[int, str] | None = None  # rows left out by a reader of ours (row -> reason)
    offset: int | None = None  # the row before the first record (else: the header's, in a text file)


def source(con: Any, path: Path, tag: str, *, stage: Path | None = None) -> Source | None:
    """The file as a DuckDB relation of text columns, or None when the
    in-memory readers should read it (not a table DuckDB reads, not UTF-8, CR
    line endings).  JSON is parsed into the Parquet file ``stage`` when one
    is given, so the passes after it read columns, not JSON again (a CSV
    file's mapped columns are staged by the ingest, once it knows them)."""
    head = readers.check_file(path)
    kind = readers.sniff_kind(path, head)
    if kind == "parquet":
        rel = f"read_parquet({lit(str(path))})"
        try:
            cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()]
        except Exception as exc:  # a damaged Parquet file: named, as the in-memory reader would
            raise InputError(f"{path.name}: cannot read as parquet: {exc}") from exc
        cast = ", ".join(f"CAST({ident(c)} AS VARCHAR) AS {ident(c)}" for c in cols)
        return Source(path, "parquet", f"(SELECT {cast} FROM {rel})", cols, True, "")
    if kind in ("json", "jsonl"):
        return _json_source(con, path, kind, head, stage)
    if kind == "excel":
        if stage is None:
            return None
        stage.parent.mkdir(parents=True, exist_ok=True)
        sheet = excel.to_parquet(path, stage)  # a batch of rows at a time, in the sheet's order
        rel = f"read_parquet({lit(str(stage))})"
        return Source(
            path, "excel", rel, sheet.columns, True, "", skipped=dict(sheet.bad_rows), offset=sheet.header_row
        )
    if kind != "text":
        return None
    text, encoding = readers.decode_bytes(head)
    if encoding not in ("utf-8", "utf-8-sig") or ("\r" in text and "\n" not in text):
        return None
    lines = text.splitlines()[:20]
    sample = "\n".join(lines[:-1] if len(head) == 65536 else lines)  # the last line of a cut head is partial
    sep = readers.delimiter(sample, path)
    first = next(csv.reader(io.StringIO(sample), delimiter=sep, quoting=csv.QUOTE_NONE if sep == "\t" else 0), [])
    header = not (len(first) >= 57 and first[0].isdigit())
    rejects = f"rejects_{tag}"
    quote = "'\"'" if sep != "\t" else "''"
    # The columns from the first line as Python's csv reads it: DuckDB's own sniffer gives up on
    # files the in-memory reader reads (an unclosed quote near the top, rows of other widths).
    cols = []
    for i, name in enumerate(first if header else [""] * len(first)):
        name = name.strip() or f"column{i}"
        cols.append(name if name not in cols else f"{name}_{i}")
    types = "{" + ", ".join(f"{lit(c)}: 'VARCHAR'" for c in cols) + "}"
    rel = (
        f"read_csv({lit(str(path))}, auto_detect = false, columns = {types}, header = {str(header).lower()}, "
        f"delim = {lit(sep)}, quote = {quote}, escape = {quote}, store_rejects = true, "
        f"rejects_table = {lit(rejects)}, rejects_scan = {lit(rejects + '_scan')}, max_line_size = {MAX_LINE}, "
        "strict_mode = false)"
    )
    return Source(path, "tsv" if sep == "\t" else "csv", rel, cols, header, encoding, rejects)


def _json_source(con: Any, path: Path, kind: str, head: bytes, stage: Path | None) -> Source | None:
    """JSON lines, or a JSON array of objects, read a record at a time: each
    object's keys are the columns (in the order they first appear), its
    values the text of the JSON (strings unquoted).  Anything else is left to
    the in-memory reader, which names what is wrong: another shape (an
    object of columns, ``{"data": [...]}``), a record that is not an object or
    not JSON, blank lines between records, a text not plain UTF-8."""
    stripped = head.lstrip(b" \t\r\n")
    if head.startswith(b"\xef\xbb\xbf") or (kind == "json" and not stripped.startswith(b"[")):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of the head
            return None
    fmt = "newline_delimited" if kind == "jsonl" else "array"
    objs = f"read_json_objects({lit(str(path))}, format = {lit(fmt)})"
    try:
        (n, others, shapes) = con.execute(  # one scan: the records, those not objects, their distinct key lists
            "SELECT count(*), count(*) FILTER (json_type(json) IS DISTINCT FROM 'OBJECT'), "
            f"list(DISTINCT json_keys(json)) FILTER (json_type(json) = 'OBJECT') FROM {objs}"
        ).fetchall()[0]
        if others or not n:
            return None
        keys = sorted({k for ks in shapes for k in ks})
        first = con.execute(f"SELECT json_keys(json) FROM {objs} LIMIT 1000").fetchall()
    except Exception:  # noqa: BLE001 - not JSON the engine reads: the in-memory reader says what is wrong
        return None
    if kind == "jsonl" and n != _physical_lines(path):
        return None  # blank lines: the records' line numbers are the in-memory reader's to give
    order: dict[str, None] = {}
    for (ks,) in first:
        order.update(dict.fromkeys(ks))
    cols = list(order) + [k for k in keys if k not in order]
    paths = "[" + ", ".join(lit("$." + json.dumps(k, ensure_ascii=False)) for k in cols) + "]"  # keys as written
    picked = ", ".join(f"v[{i}] AS {ident(k)}" for i, k in enumerate(cols, 1))
    rel = f"(SELECT {picked} FROM (SELECT json_extract_string(json, {paths}) AS v FROM {objs}))"
    if stage is not None:  # records stay in file order: row numbers are record numbers
        stage.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY {rel} TO {lit(str(stage))} {STAGE_FORMAT}")
        rel = f"read_parquet({lit(str(stage))})"
    return Source(path, kind, rel, cols, True, "utf-8")


class _Lines:
    """A count of the file's lines (as :func:`_physical_lines` counts them)
    under way: by ``wc -l`` where there is one (another process, so the
    count never holds the interpreter while DuckDB calls back into Python),
    else by numpy in a thread."""

    def __init__(self, path: Path, pool: ThreadPoolExecutor) -> None:
        self.path = path
        wc = shutil.which("wc")
        self.proc = (
            subprocess.Popen([wc, "-l", str(path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) if wc else None
        )
        self.future = None if self.proc else pool.submit(_physical_lines, path)

    def result(self) -> int:
        if self.future is not None:
            return self.future.result()
        assert self.proc is not None
        out, _ = self.proc.communicate()
        try:
            ends = int(out.split()[0])
        except (IndexError, ValueError):  # wc said nothing of use: count here
            return _physical_lines(self.path)
        if not ends and not self.path.stat().st_size:
            return 0
        with open(self.path, "rb") as fh:  # a last line without its newline is a line
            fh.seek(-1, os.SEEK_END)
            return ends + (fh.read(1) != b"\n")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@contextlib.contextmanager
def _line_count(path: Path) -> Iterator[_Lines]:
    """The file's lines, counted beside what runs in the block."""
    with ThreadPoolExecutor(1) as pool:
        lines = _Lines(path, pool)
        try:
            yield lines
        except BaseException:
            lines.stop()
            raise


def _physical_lines(path: Path) -> int:
    """Lines in the file (a last one without its newline counted), counted
    by numpy a block at a time."""
    import numpy as np

    n, last = 0, b"\n"
    buf = bytearray(1 << 24)
    block = np.frombuffer(buf, dtype=np.uint8)
    with open(path, "rb", buffering=0) as fh:
        while got := fh.readinto(buf):
            n += int(np.count_nonzero(block[:got] == 10))
            last = bytes(buf[got - 1 : got])
    return n + (last != b"\n")


FIELDS = r"Expected Number of Columns: (\d+) Found: (\d+)"


def _reader_rejects(con: Any, src: Source) -> dict[int, str]:
    """Line -> reason for the rows DuckDB's reader could not split (or our
    own reader left out)."""
    if src.skipped is not None:
        return dict(src.skipped)
    if not src.rejects:
        return {}
    out: dict[int, str] = {}
    rows = con.execute(f"SELECT line, error_type, error_message FROM {src.rejects} ORDER BY line").fetchall()
    for line, kind, message in rows:
        m = re.search(FIELDS, message or "")
        if m and kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            reason = f"{m.group(2)} fields where the header has {m.group(1)}"
        else:
            reason = f"not read: {(message or kind).splitlines()[0][:200]}"
        out.setdefault(int(line), reason)
    return out


def _dates(con: Any, name: str, values: list[Any], mapped: fm.Mapped, order: str | None) -> tabledates.Dates:
    """The distinct raw dates of a column, parsed as the in-memory path parses
    a column, registered as table ``name`` (raw, day, prec, problem)."""
    s = pd.Series(values, dtype=object)
    parsed = tabledates.parse(s, fmt=mapped.date_format, order=order)
    problem = pd.Series(None, index=s.index, dtype=object)
    for rows, reason in parsed.problems:
        problem[rows & problem.isna().to_numpy()] = reason
    table = pd.DataFrame(
        {
            "raw": s.astype(object),
            "day": parsed.dates.astype("datetime64[us]"),
            "prec": parsed.precision.astype(object),
            "problem": problem,
        }
    )
    con.register(name, table)
    return parsed


# the geocoder's answer columns joined to the rows (and their SQL types)
GEOCODED = (
    ("pq", "VARCHAR"),
    ("g_lat", "DOUBLE"),
    ("g_lon", "DOUBLE"),
    ("g_name", "VARCHAR"),
    ("g_cc", "VARCHAR"),
    ("g_id", "BIGINT"),
    ("g_score", "DOUBLE"),
    ("g_prec", "VARCHAR"),
    ("g_source", "VARCHAR"),
)


def _geocode(con: Any, name: str, pairs: list[tuple[Any, Any]], geo: Any) -> None:
    """Answers of the bulk geocoder for distinct (place, country) pairs,
    registered as table ``name``."""
    items = []
    for place, cc in pairs:
        item: dict[str, Any] = {"query": str(place)}
        if isinstance(cc, str) and len(cc) == 2:
            item["country_codes"] = [cc]
        items.append(item)
    rows = []
    from viz.events.ingest import FEATURE_PRECISION

    for (place, cc), a in zip(pairs, geo.bulk.geocode_many(items) if items else [], strict=True):
        if a and "error" not in a:
            rows.append(
                (
                    place,
                    cc,
                    a["lat"],
                    a["lon"],
                    a["name"],
                    a["country_code"],
                    a["geonameid"],
                    a["score"],
                    FEATURE_PRECISION.get(a["feature"], "city"),
                    "online" if a["feature"] == "online" else "gazetteer",
                )
            )
    cols = ["pq", "cc", *(c for c, _ in GEOCODED[1:])]
    frame = pd.DataFrame(rows, columns=cols).astype(
        {"pq": object, "cc": object, "g_lat": float, "g_lon": float, "g_id": "Int64", "g_score": float}
    )
    con.register(name, frame)


def ingest_file(
    con: Any,
    path: Path,
    dest: Path,
    *,
    tag: str,
    geo: Any,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
    ids: str = "source",
) -> FileReport | None:
    """Read ``path`` into the Parquet file ``<dest>/<tag>.parquet`` (and
    ``<tag>r.parquet``, the rows the settling pass left to the full path)
    and return its report; None when the engine does not read this file.
    ``ids``: how event ids are made (:data:`viz.events.formats.ID_SCHEMES`)."""
    fm.check_id_scheme(ids)
    # a file's records, parsed once; in a folder of its own, never taken for a part of the dataset
    # (a folder for each file: a Dask worker's ingest never removes a folder another is writing in)
    stage = dest / f".staging-{tag}" / "rows.parquet"
    try:
        src = source(con, path, tag, stage=stage)
        if src is None:
            return None
        return _ingest(con, src, dest, tag=tag, geo=geo, mapping=mapping, date_order=date_order, stage=stage, ids=ids)
    except BaseException:  # a pass that failed part way (the text parsed as it is written) leaves no part
        for part in (dest / f"{tag}.parquet", dest / f"{tag}r.parquet"):
            part.unlink(missing_ok=True)
        raise
    finally:
        stage.unlink(missing_ok=True)
        if stage.parent.exists() and not any(stage.parent.iterdir()):
            stage.parent.rmdir()


def _ingest(
    con: Any,
    src: Source,
    dest: Path,
    *,
    tag: str,
    geo: Any,
    mapping: dict[str, str] | None,
    date_order: str | None,
    stage: Path | None = None,
    ids: str = "source",
) -> FileReport | None:
    from viz.events.ingest import MAX_FATALITIES, OUTSIDE

    path = src.path
    fr = FileReport(path.name, encoding=src.encoding)
    probe = pd.DataFrame(columns=src.columns if src.header else list(range(len(src.columns))), dtype=object)
    mapped = fm.recognise(probe, header=src.header, file=path.name, mapping=mapping)
    fr.format = f"{mapped.format} {src.kind}"
    fr.warnings.extend(Problem(path.name, None, c, fm.UNUSED) for c in mapped.unused)
    ex = expressions(mapped, src.columns, mapping)
    if "date" not in ex:
        raise InputError(f"{path.name}: no date column (give one with --map date=COLUMN)")
    if "event_type" in ex and mapped.format in fm.WORDED:  # the same words as the in-memory reader's
        word = f"nullif(trim(CAST({ex['event_type']} AS VARCHAR)), '')"
        typed = case(f"lower({word})", fm.TYPE_WORDS, None)
        ex["_et_odd"] = f"CASE WHEN {word} IS NOT NULL AND {typed} IS NULL THEN {word} END"
        sub = ex.get("sub_event_type", "NULL")
        ex["event_type"] = f"CASE WHEN {word} IS NOT NULL THEN coalesce({typed}, 'other') END"
        ex["sub_event_type"] = (
            f"CASE WHEN ({ex['_et_odd']}) IS NOT NULL AND nullif(trim(CAST({sub} AS VARCHAR)), '') IS NULL "
            f"THEN {word} ELSE {sub} END"
        )
    ex.setdefault("lat", "NULL")
    ex.setdefault("lon", "NULL")
    ex.setdefault("place", "NULL")
    ex["place_query"] = f"coalesce({ex['place_query']}, {ex['place']})" if "place_query" in ex else ex["place"]
    fat = "TRY_CAST(fatalities AS DOUBLE)" if "fatalities" in ex else "NULL"

    def no_count(v: str) -> str:  # fatalities that are no count, ``v`` their number
        if "fatalities" not in ex:
            return "false"
        return f"(fatalities IS NOT NULL AND ({v} IS NULL OR isnan({v}) OR isinf({v}) OR {v} < 0 OR {v} > {MAX_FATALITIES}))"

    odd_fat = no_count(fat)
    has_end = "date_end" in ex
    raw_cols = ", ".join(ident(c) for c in src.columns)
    mapped_sql = ", ".join(f"CAST({e} AS VARCHAR) AS {ident(k)}" for k, e in ex.items())
    plan = None
    if stage is not None and src.kind in ("csv", "tsv") and not any("\n" in c or "\r" in c for c in src.columns):
        plan = settled.plan(ex, mapped, fat=fat, odd_fat=no_count("_fat"))  # the number read once, as _fat
    # the id's hash: of the source's own id where the format has one (one cell, not the row's
    # every cell: a quarter of the pass at 10M ACLED rows), and the repeats of it numbered over
    # the file's parts once they are written; else of the row's cells (rows repeated whole)
    sid = fm.source_id_column(mapped.format, src.columns) if ids == "source" else None
    by_source = sid is not None
    hashed = f"hash({ident(src.columns[sid])})" if sid is not None else f"hash({raw_cols})"
    mapped_rows = f"SELECT {mapped_sql}, {hashed} AS _h FROM {src.relation}"
    if plan is not None:
        # Most rows of a file are alike: when half of its first rows need Python (places to
        # geocode, numeric dates), the full path is faster for the whole file than handing it
        # most of the rows one batch at a time (25% faster with every row to geocode at 1M).
        head = plan.flagged(f"(SELECT * FROM ({mapped_rows}) LIMIT {settled.HEAD})", _number)
        (seen, left) = con.execute(f"SELECT count(*), count(*) FILTER (NOT _ok) FROM {head}").fetchall()[0]
        if seen and 2 * left >= seen:
            plan = None
    counted = None  # the file's lines, counted beside the settling pass
    done, name, numbered = 0, tag, None  # rows written by the settling pass; the full path's file
    if plan is not None:
        # One pass writes every row the engine settles alone and hands the others to a function
        # of ours (called only for them), which stages them; the full path below reads only those.
        import duckdb

        flagged = plan.flagged(f"({mapped_rows})", _number)
        assert stage is not None  # a plan is made only with a stage
        left = settled.Leftovers(stage)
        keep = f"keep_{tag}"
        fields = duckdb.struct_type({**dict.fromkeys(ex, "VARCHAR"), "_h": "UBIGINT"})
        con.create_function(keep, left, ["BOOLEAN", fields], "BOOLEAN", type="arrow", side_effects=True)
        packed = "struct_pack(" + ", ".join(f"{ident(k)} := {ident(k)}" for k in [*ex, "_h"]) + ")"
        try:
            with _line_count(path) as counted:
                done = _write(
                    con,
                    plan.checked(flagged, f"_ok OR {keep}(_ok, {packed})"),
                    dest,
                    tag=tag,
                    ex=ex,
                    mapped=mapped,
                    has_end=has_end,
                    geocode=False,
                    repeats=False if by_source else None,
                    again=plan.checked(flagged, "_ok"),
                )
        finally:
            unsettled = left.close()
            con.remove_function(keep)
        if not unsettled:
            out = _settled_report(con, src, fr, dest / f"{tag}.parquet", done, counted.result())
            if out is not None and by_source:
                renumber_repeats(con, [dest / f"{tag}.parquet"], dest / f"{tag}.parquet")
            return out
        added = ", ".join(settled.ADDED)
        mapped_rows = f"SELECT * EXCLUDE ({added}) FROM {flagged} WHERE NOT _ok"  # in file order, for the lines
        numbered = (
            f"(SELECT * EXCLUDE ({added}) FROM (SELECT row_number() OVER () AS _rn, * FROM {flagged}) WHERE NOT _ok)"
        )
        name = f"{tag}r"
    mo = f"mo_{tag}"  # the rows in file order (their numbers are the file's)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {mo} AS {mapped_rows}")
    m = mo
    if plan is not None:  # the rows the settling pass left, staged as it met them
        m = f"ms_{tag}"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {m} AS SELECT * FROM read_parquet({lit(str(stage))})")
    elif stage is not None and src.kind in ("csv", "tsv"):
        # The text parsed once, its mapped columns and row hashes staged in any order (faster):
        # the passes below read those columns; the text is read again, in order, only to
        # number the rows it rejects.  (A JSON file was staged by ``source``, in order.)
        stage.parent.mkdir(parents=True, exist_ok=True)
        con.execute("SET preserve_insertion_order = false")
        try:
            con.execute(f"COPY ({mapped_rows}) TO {lit(str(stage))} {STAGE_FORMAT}")
        finally:
            con.execute("SET preserve_insertion_order = true")
        m = f"ms_{tag}"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {m} AS SELECT * FROM read_parquet({lit(str(stage))})")

    # One pass for every distinct value Python must see.
    has_cn = "country_name" in ex
    cc = "country_code" if "country_code" in ex else "NULL"
    cn = "country_name" if has_cn else "NULL"
    no_xy = "(TRY_CAST(lat AS DOUBLE) IS NULL OR TRY_CAST(lon AS DOUBLE) IS NULL)"
    wanted = f"{no_xy} AND trim(coalesce(place_query, '')) <> ''"
    keys = con.execute(
        f"WITH k AS (SELECT date AS k_date, {'date_end' if has_end else 'NULL'} AS k_end, "
        f"CASE WHEN {cc} IS NULL THEN {cn} END AS k_cn, CASE WHEN {wanted} THEN place_query END AS k_pq, "
        f"CASE WHEN {wanted} THEN {cc} END AS k_cc, CASE WHEN {wanted} THEN {cn} END AS k_pcn, "
        f"{odd_fat} AS k_odd, {'_et_odd' if '_et_odd' in ex else 'NULL'} AS k_et FROM {m}) "
        "SELECT GROUPING(k_date), GROUPING(k_end), GROUPING(k_cn), GROUPING(k_pq), GROUPING(k_et), "
        "k_date, k_end, k_cn, k_pq, k_cc, k_pcn, k_et, count(*), count(*) FILTER (k_odd) FROM k "
        "GROUP BY GROUPING SETS ((k_date), (k_end), (k_cn), (k_pq, k_cc, k_pcn), (k_et), ())"
    ).fetchall()
    by: dict[str, list[tuple[Any, Any, Any]]] = {}
    for g_date, g_end, g_cn, g_pq, g_et, k_date, k_end, k_cn, k_pq, k_cc, k_pcn, k_et, n, odd in keys:
        if not g_et:
            if k_et is not None:
                by.setdefault("et", []).append((k_et, n, None))
        elif not g_date:
            by.setdefault("date", []).append((k_date, None, None))
        elif not g_end:
            by.setdefault("end", []).append((k_end, None, None))
        elif not g_cn:
            if k_cn is not None:
                by.setdefault("cn", []).append((k_cn, None, None))
        elif not g_pq:
            if k_pq is not None:
                by.setdefault("pq", []).append((k_pq, k_cc, k_pcn))
        else:
            by["n"] = [(n, odd, None)]
    total, n_odd = by["n"][0][:2]
    for word, n, _ in sorted(by.get("et", [])):  # each word not a type of the frame, once, with its rows
        fr.warnings.append(
            Problem(path.name, None, mapped.origin.get("event_type", "event_type"), f"{fm.ODD_TYPE} ({n:,} rows)", word)
        )
    records = done + total + len(_reader_rejects(con, src)) + int(src.header)
    if src.kind in ("csv", "tsv") and not _one_line_each(con, path, records, counted.result() if counted else None):
        # a quoted cell spans lines: a note written over several lines, or a quote that never
        # closes and swallows the rows after it; the in-memory reader tells the two apart
        (dest / f"{tag}.parquet").unlink(missing_ok=True)
        return None
    parsed = _dates(con, f"d_{tag}", [a for a, _, _ in by.get("date", []) if a is not None], mapped, date_order)
    if parsed.note:
        fr.warnings.append(Problem(path.name, None, mapped.origin.get("date", "date"), parsed.note))
    if has_end:
        _dates(con, f"e_{tag}", [a for a, _, _ in by.get("end", []) if a is not None], mapped, date_order)
    # country names to codes where the file gives no code
    names = [a for a, _, _ in by.get("cn", [])]
    codes = geo.country_codes(pd.Series(names, dtype=object)) if names else pd.Series([], dtype=object)
    con.register(f"c_{tag}", pd.DataFrame({"cn": pd.Series(names, dtype=object), "code": codes.astype(object)}))
    pairs: dict[tuple[Any, Any], None] = {}
    code_of = dict(zip(names, codes.tolist(), strict=True))
    for pq, given, cname in by.get("pq", []):
        pairs.setdefault((pq, given if given is not None else code_of.get(cname)), None)
    _geocode(con, f"g_{tag}", list(pairs), geo)

    first_day, last_day = lit(str(schema.FIRST_DAY)), lit(str(schema.LAST_DAY))
    origin = mapped.origin.get
    checks = [
        ("date", "date IS NULL", "missing date", "NULL"),
        ("date", "d.problem IS NOT NULL", None, "date"),
        ("date", "d.day IS NULL", "not a date", "date"),
        ("date", f"d.day < TIMESTAMP {first_day} OR d.day > TIMESTAMP {last_day}", OUTSIDE, "date"),
    ]
    if has_end:
        checks += [
            ("date_end", "e.problem IS NOT NULL", None, "date_end"),
            ("date_end", "date_end IS NOT NULL AND e.day IS NULL", "not a date", "date_end"),
            ("date_end", f"e.day < TIMESTAMP {first_day} OR e.day > TIMESTAMP {last_day}", OUTSIDE, "date_end"),
            ("date_end", "e.day < d.day", "ends before it starts", "date_end"),
        ]
    checks += [
        ("lat", "y IS NULL AND lat IS NOT NULL", "latitude is not a number", "lat"),
        ("lon", "x IS NULL AND lon IS NOT NULL", "longitude is not a number", "lon"),
        ("lat", "y < -90 OR y > 90", "latitude outside the globe (-90..90)", "lat"),
        ("lon", "x < -180 OR x > 180", "longitude outside the globe (-180..180)", "lon"),
        ("lat", "(y IS NULL) <> (x IS NULL)", "only one of latitude and longitude", "NULL"),
    ]
    end_join = f"LEFT JOIN e_{tag} e ON m.date_end = e.raw" if has_end else ""
    cn_join = f"LEFT JOIN c_{tag} c ON m.country_name = c.cn" if has_cn else ""
    whens = " ".join(f"WHEN {cond} THEN {i}" for i, (_, cond, _, _) in enumerate(checks))
    values = " ".join(f"WHEN {i} THEN {val}" for i, (_, _, _, val) in enumerate(checks))

    def checked(rows: str) -> str:
        """The mapped rows with their parsed values and the first check they fail."""
        return (
            "SELECT m.*, d.day AS _day, d.prec AS _prec, d.problem AS _dproblem, "
            + ("e.day AS _eday, e.problem AS _eproblem, " if has_end else "")
            + f"{'coalesce(' + cc + ', c.code)' if has_cn else cc} AS _cc, "
            f"CAST(CASE {whens} END AS INTEGER) AS _check, {odd_fat} AS _odd "
            f"FROM (SELECT *, {_number('lat')} AS y, {_number('lon')} AS x, {fat} AS _fat FROM {rows}) m "
            f"LEFT JOIN d_{tag} d ON m.date = d.raw {end_join} {cn_join}"
        )

    # Rows with the same cells (the same hash) share one check's outcome: when the staged hashes
    # repeat nowhere, the ids need no "~2" and the file is written once, with no look back at its ids.
    repeats = (
        False  # numbered over the file's parts below
        if by_source
        else bool(con.execute(f"SELECT EXISTS (SELECT _h FROM {m} GROUP BY _h HAVING count(*) > 1)").fetchall()[0][0])
        if m != mo
        else None
    )
    kept = _write(con, checked(m), dest, tag=tag, name=name, ex=ex, mapped=mapped, has_end=has_end, repeats=repeats)
    skipped = _reader_rejects(con, src)
    fr.rows_read = done + total + len(skipped)
    fr.rows_kept = done + kept
    fr.rows_rejected = fr.rows_read - fr.rows_kept
    problems: list[tuple[int, Problem, bool]] = [
        (line, Problem(path.name, line, None, reason), True) for line, reason in skipped.items()
    ]
    if total > kept or n_odd:
        listed = con.execute(
            f"SELECT _rn, _check, CAST(CASE _check {values} END AS VARCHAR), _dproblem, {'_eproblem' if has_end else 'NULL'}, _odd, "
            f"CAST({'fatalities' if 'fatalities' in ex else 'NULL'} AS VARCHAR) "
            f"FROM ({checked(numbered or f'(SELECT row_number() OVER () AS _rn, * FROM {mo})')}) "
            f"WHERE _check IS NOT NULL OR _odd ORDER BY _rn LIMIT {MAX_LISTED}"
        ).fetchall()
        # a text file's header is row 1 and its records follow; a Parquet or JSON file's records are its rows
        offset = src.offset if src.offset is not None else int(src.header and src.kind in ("csv", "tsv"))
        lines = _lines([r[0] for r in listed], sorted(skipped), offset)
        for (_rn, check, value, dproblem, eproblem, odd, fval), line in zip(listed, lines, strict=True):
            if check is not None:
                col, _, reason, _ = checks[check]
                reason = reason or (dproblem if col == "date" else eproblem)
                problems.append((line, Problem(path.name, line, origin(col, col), reason, value), True))
            elif odd:
                p = Problem(
                    path.name, line, origin("fatalities", "fatalities"), "fatalities not a count: left empty", fval
                )
                problems.append((line, p, False))
    problems.sort(key=lambda t: t[0])
    fr.rejected = [p for _, p, rejected in problems if rejected]
    fr.warnings += [p for _, p, rejected in problems if not rejected]
    if fr.rows_rejected > len(fr.rejected):
        more = fr.rows_rejected - len(fr.rejected)
        fr.rejected.append(
            Problem(path.name, None, None, f"{more:,} more rejected rows, for the reasons above (not listed)")
        )
    parts = lit(str(dest / f"{name}.parquet"))
    for pq, code, n, how in (
        con.execute(
            f"SELECT place_query, country_code, count(*), geo_source FROM read_parquet({parts}, hive_partitioning = false) "
            "WHERE (lat IS NULL AND trim(coalesce(place_query, '')) <> '') OR geo_source IN ('gazetteer', 'online') "
            "GROUP BY ALL"
        ).fetchall()
        if kept
        else []
    ):
        if how in ("gazetteer", "online"):
            fr.geocoded += n
        else:
            fr.unresolved[f"{pq}" + (f" ({code})" if code else "")] += n
    if by_source:
        renumber_repeats(
            con, [p for p in (dest / f"{tag}.parquet", dest / f"{tag}r.parquet") if p.exists()], dest / f"{tag}.parquet"
        )
    return fr


def _settled_report(con: Any, src: Source, fr: FileReport, written: Path, done: int, lines: int) -> FileReport | None:
    """The report of a file whose every record the settling pass wrote:
    only the rows DuckDB's reader could not split are rejected.  As in the
    full path, a file where a quoted cell spans lines goes to the in-memory
    reader."""
    skipped = _reader_rejects(con, src)
    if not _one_line_each(con, src.path, done + len(skipped) + int(src.header), lines):
        written.unlink(missing_ok=True)
        return None
    fr.rows_read = done + len(skipped)
    fr.rows_kept = done
    fr.rows_rejected = len(skipped)
    fr.rejected = [Problem(src.path.name, line, None, reason) for line, reason in sorted(skipped.items())]
    return fr


def _one_line_each(con: Any, path: Path, records: int, lines: int | None) -> bool:
    """Whether the file's records (the header and the rows the reader
    rejected among them) are one line each.  ``lines``, the count of line
    ends, settles it when it agrees: a record over several lines and an empty
    line both make it larger.  Otherwise DuckDB counts the lines that are not
    empty (its reader skips those)."""
    return records == lines or records == _lines_in(con, path)


def _lines_in(con: Any, path: Path) -> int:
    """The file's non-empty lines (DuckDB's reader skips empty ones), read
    by the engine as one column of text (faster here than a chunked count
    in Python)."""
    (n,) = con.execute(
        f"SELECT count(l) FROM read_csv({lit(str(path))}, columns = {{'l': 'VARCHAR'}}, delim = chr(1), quote = '', "
        f"escape = '', header = false, auto_detect = false, max_line_size = {MAX_LINE}, strict_mode = false, "
        "ignore_errors = true)"
    ).fetchall()[0]
    return int(n)


def _number(col: str) -> str:
    """A text cell as a number, NULL where it is none (NaN is no number)."""
    v = f"TRY_CAST({col} AS DOUBLE)"
    return f"(CASE WHEN isnan({v}) THEN NULL ELSE {v} END)"


def _lines(rns: list[int], skipped: list[int], offset: int) -> list[int]:
    """The file's row of each record number (ascending), stepping over the
    rows the reader rejected."""
    out, j = [], 0
    for rn in rns:
        line = rn + offset + j
        while j < len(skipped) and skipped[j] <= line:
            j += 1
            line = rn + offset + j
        out.append(line)
    return out


def renumber_repeats(con: Any, files: list[Path], out: Path) -> bool:
    """Give ids that repeat over ``files`` (parts of one file's rows) "~2",
    "~3" ... after the id they share, and write the parts again as ``out``;
    whether any did.  Which row gets which number follows the rows' other
    columns (sorted), so it is the same however the file's rows were cut into
    parts (the settling pass's two, a cluster's blocks).  Numbers already
    given within a part are given again over the whole."""
    if not files:
        return False
    src = "read_parquet([" + ", ".join(lit(str(f)) for f in files) + "], hive_partitioning = false)"
    base = "split_part(event_id, '~', 1)"  # the id without a number a part gave it
    ((repeated,),) = con.execute(  # a collision of hashes only costs a look at the ids
        f"SELECT count(*) - count(DISTINCT hash({base})) FROM {src}"
    ).fetchall()
    if not repeated:
        return False
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall() if r[0] != "event_id"]
    order = ", ".join(ident(c) for c in cols)
    tmp = out.with_name(out.name + ".renumbered")
    con.execute(
        f"COPY (SELECT * EXCLUDE (_base, _n) REPLACE (CASE WHEN _n > 1 THEN _base || '~' || _n ELSE _base END "
        f"AS event_id) FROM (SELECT *, {base} AS _base, row_number() OVER (PARTITION BY {base} ORDER BY {order}) "
        f"AS _n FROM {src})) TO {lit(str(tmp))} (FORMAT parquet)"
    )
    for f in files:
        f.unlink()
    tmp.rename(out)
    return True


def _write(
    con: Any,
    rows: str,
    dest: Path,
    *,
    tag: str,
    ex: dict[str, str],
    mapped: fm.Mapped,
    has_end: bool,
    name: str | None = None,
    repeats: bool | None = None,
    geocode: bool = True,
    again: str | None = None,
) -> int:
    """Copy the rows that pass every check, geocoded, to ``<dest>/<name>.parquet``
    (``name``: the tag); their count.
    Ids are the hash of the row's cells; rows repeated in the file (the same
    cells) get "~2", "~3" ... after the repeats' ids (which of the same cells
    gets which makes no difference).  ``repeats`` says whether any hash
    repeats; when it is not known, repeats are found in the written ids, and
    only then is the file written again with the numbers (from ``again``, the
    same rows, when reading ``rows`` twice would not give them)."""
    name = name or tag
    kw = {"tag": tag, "name": name, "ex": ex, "mapped": mapped, "has_end": has_end, "geocode": geocode}
    if repeats is not None:
        return _copy(con, rows, dest, dups=repeats, **kw)  # type: ignore[arg-type]
    written = _copy(con, rows, dest, dups=False, **kw)  # type: ignore[arg-type]
    parts = lit(str(dest / f"{name}.parquet"))
    repeated = (
        con.execute(
            "SELECT count(*) - count(DISTINCT hash(event_id)) "  # a collision only costs a second write
            f"FROM read_parquet({parts}, hive_partitioning = false)"
        ).fetchall()[0][0]
        if written
        else 0
    )
    if repeated:
        (dest / f"{name}.parquet").unlink()
        written = _copy(con, again or rows, dest, dups=True, **kw)  # type: ignore[arg-type]
    return written


def _copy(
    con: Any,
    rows: str,
    dest: Path,
    *,
    tag: str,
    name: str,
    ex: dict[str, str],
    mapped: fm.Mapped,
    has_end: bool,
    dups: bool,
    geocode: bool,
) -> int:
    salt = int.from_bytes(mapped.format.encode()[:8].ljust(8, b"\0"), "little")
    opt = lambda c, t="VARCHAR": f"CAST({c} AS {t})" if c in ex else f"CAST(NULL AS {t})"  # noqa: E731
    has_xy = "y IS NOT NULL"  # the columns of the rows and of their geocoder's answers, joined below
    geocoded = f"(NOT {has_xy} AND pq IS NOT NULL)"
    dup = "CASE WHEN _dup > 1 THEN '~' || _dup ELSE '' END" if dups else "''"
    place_name = (
        f"CASE WHEN {has_xy} THEN coalesce({opt('place_name')}, place) WHEN {geocoded} THEN g_name "
        f"ELSE {opt('place_name')} END"
    )
    cols = {
        # sixteen hex digits, as printf('%016x') writes them (slower); padded only where the hash
        # is below 16^15 (one row in sixteen): lpad on every row was most of the id's cost
        "event_id": f"lower(CASE WHEN _x >= CAST({1 << 60} AS UBIGINT) THEN to_hex(_x) ELSE lpad(to_hex(_x), 16, '0') END)"
        f" || {dup}",
        "date": "_day",
        "date_end": "_eday" if has_end else "CAST(NULL AS TIMESTAMP)",
        "date_precision": "coalesce(date_precision, _prec)" if "date_precision" in ex else "_prec",
        "event_type": opt("event_type"),
        "sub_event_type": opt("sub_event_type"),
        "actor1": opt("actor1"),
        "actor2": opt("actor2"),
        "actors": opt("actors"),
        "place": "place",
        "place_name": "_pn",
        "lat": "coalesce(y, g_lat)",
        "lon": "coalesce(x, g_lon)",
        "country_code": f"CASE WHEN {geocoded} THEN coalesce(g_cc, _cc) ELSE _cc END",
        "admin1": opt("admin1"),
        "geo_precision": f"CASE WHEN {has_xy} THEN coalesce({opt('geo_precision')}, 'exact') WHEN {geocoded} "
        f"THEN g_prec ELSE {opt('geo_precision')} END",
        "geonameid": f"CASE WHEN {geocoded} THEN g_id ELSE TRY_CAST({opt('geonameid')} AS BIGINT) END",
        "geo_score": f"CASE WHEN {geocoded} THEN g_score ELSE TRY_CAST({opt('geo_score')} AS DOUBLE) END",
        "geo_source": f"CASE WHEN {has_xy} THEN 'source' WHEN {geocoded} THEN g_source ELSE {opt('geo_source')} END",
        "fatalities": "CASE WHEN _odd THEN NULL ELSE CAST(round(_fat) AS BIGINT) END",
        "source": opt("source"),
        "source_url": opt("source_url"),
        "text": opt("text"),
        "place_query": "place_query",
        # the text search's haystack, folded once here rather than on every rerun of the app
        # (the place's name only where it is not the place: most rows would hold it twice)
        # (each part folded before they are joined: a third cheaper than folding the joined text)
        "search": f"concat_ws(' ', lower({opt('text')}), lower(place), lower(CASE WHEN _pn IS DISTINCT FROM place "
        f"THEN _pn END), lower({opt('actors')}))",
    }
    select = ", ".join(f"{e} AS {ident(k)}" for k, e in cols.items())
    inner = f"(SELECT *, row_number() OVER (PARTITION BY _h) AS _dup FROM ({rows}))" if dups else f"({rows})"
    # the place's name worked out once, for its column and the search's
    if geocode:
        joined = (
            f"{inner} v LEFT JOIN g_{tag} g ON v.y IS NULL AND v.place_query = g.pq AND v._cc IS NOT DISTINCT FROM g.cc"
        )
    else:  # rows with nothing to look up: the geocoder's columns empty
        nothing = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in GEOCODED)
        joined = f"(SELECT *, {nothing} FROM {inner}) v"
    query = (
        f"SELECT {select} FROM (SELECT *, {place_name} AS _pn, xor(_h, CAST({salt} AS UBIGINT)) AS _x "
        f"FROM {joined} WHERE v._check IS NULL)"
    )
    dest.mkdir(parents=True, exist_ok=True)
    con.execute("SET preserve_insertion_order = false")  # the order of rows in the file does not matter
    got = con.execute(f"COPY ({query}) TO {lit(str(dest / (name + '.parquet')))} (FORMAT parquet)").fetchall()
    con.execute("SET preserve_insertion_order = true")  # row numbers follow the file again
    return int(got[0][0]) if got else 0
