"""Everything a user holds, as one frame of dated, geocoded events.

    frame, report = load(["acled.csv", "gdelt.export.CSV", "articles/"])

Files are recognised by content (:mod:`viz.events.readers`, :mod:`viz.events.formats`);
news articles (a first line ``date YYYY-MM-DD <title>``) go to
:mod:`viz.events.articles`.  Rows are validated column by column: a bad date or
coordinates outside the globe reject the row, named by file, row and column;
a place that cannot be resolved keeps its row, with empty coordinates, and is
listed in the report.  Rows with a place but no coordinates are geocoded with
the project's geocoder, the row's country as the hint.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from viz.errors import InputError
from viz.events import formats as fm
from viz.events import schema, tabledates
from viz.events.formats import UNUSED, Mapped, recognise
from viz.events.readers import read_table
from viz.events.report import FileReport, LoadReport, Problem

Progress = Callable[[float, str], None]
TABLE_EXT = {".csv", ".tsv", ".tab", ".psv", ".json", ".jsonl", ".ndjson", ".parquet", ".xlsx", ".xlsm"}
ARTICLE_HEAD = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")
FEATURE_PRECISION = {
    "city": "city",
    "admin2": "admin2",
    "admin1": "admin1",
    "country": "country",
    "continent": "country",
    "region": "country",
}


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the readable files inside folders named (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and (f.suffix.lower() in TABLE_EXT | {".txt"})))
        else:
            out.append(p)
    return out


def not_read(paths: Iterable[str | Path]) -> list[Problem]:
    """The files inside the folders named that :func:`expand` leaves out
    (another format: ".xls", ".geojson", no extension), each named for the
    report."""
    out: list[Problem] = []
    for p in map(Path, paths):
        if not p.is_dir():
            continue
        for f in sorted(p.rglob("*")):
            if f.is_file() and not f.name.startswith(".") and f.suffix.lower() not in TABLE_EXT | {".txt"}:
                ext = f.suffix.lower() or "no extension"
                reason = f"not a format viz reads ({ext}): CSV, TSV, JSON, JSON lines, Parquet, Excel or articles"
                out.append(Problem(f.name, None, None, reason))
    return out


def is_article(path: Path) -> bool:
    if path.suffix.lower() not in (".txt", ".text", ".md", ""):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(512).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    first = next((line for line in head.splitlines() if line.strip()), "")
    return bool(ARTICLE_HEAD.match(first))


class _Geo:
    """The geocoder, opened on first need and shared across files."""

    def __init__(self, geocoder: Any = None) -> None:
        self._gc = geocoder
        self._bulk: Any = None

    @property
    def geocoder(self) -> Any:
        if self._gc is None:
            from viz.geo.geocoder import GazetteerGeocoder

            self._gc = GazetteerGeocoder()
        return self._gc

    @property
    def bulk(self) -> Any:
        if self._bulk is None:
            from viz.geo.bulk import BulkGeocoder

            self._bulk = BulkGeocoder(self.geocoder)
        return self._bulk

    def country_codes(self, names: pd.Series) -> pd.Series:
        """Country names (any language the gazetteer knows) to ISO-2."""
        gz = self.geocoder
        cache: dict[str, str | None] = {}
        for n in names.dropna().unique():
            ranked = (
                [r for r in gz.candidates(str(n)) if gz.gazetteer.feature_name(r.place) == "country"]
                if str(n).strip()
                else []
            )
            cache[n] = gz.gazetteer.country_code(ranked[0].place) if ranked else None
        return names.map(cache)


def load(
    paths: Iterable[str | Path],
    *,
    mapping: dict[str, str] | None = None,
    article_date: date | None = None,
    geocoder: Any = None,
    progress: Progress | None = None,
    date_order: str | None = None,
    ids: str = "source",
) -> tuple[pd.DataFrame, LoadReport]:
    """Read files and folders into one event frame and a :class:`LoadReport`;
    ``date_order`` ("day-first" or "month-first") reads numeric dates so
    where a column does not say; ``ids``, how event ids are made
    (:data:`viz.events.formats.ID_SCHEMES`)."""
    fm.check_id_scheme(ids)
    if date_order is not None and date_order not in tabledates.ORDERS:
        raise InputError(f"date order must be one of {', '.join(tabledates.ORDERS)}, not {date_order!r}")
    paths = list(paths)
    files = expand(paths)
    report = LoadReport()
    report.unreadable += not_read(paths)
    geo = _Geo(geocoder)
    frames: list[pd.DataFrame] = []
    article_rows: list[dict[str, Any]] = []
    for i, path in enumerate(files):
        if progress:
            progress(i / max(len(files), 1), f"reading {path.name}")
        if not path.exists():
            report.unreadable.append(Problem(path.name, None, None, "no such file"))
            continue
        try:
            if is_article(path) or (article_date is not None and path.suffix.lower() in (".txt", "")):
                from viz.events.articles import extract_file

                rows, fr = extract_file(path, geocoder=geo.geocoder, default_date=article_date)
                article_rows.extend(rows)
            else:
                frame, fr = load_table(path, mapping=mapping, geo=geo, date_order=date_order, ids=ids)
                frames.append(frame)
        except InputError as exc:
            report.unreadable.append(Problem(path.name, None, None, str(exc).removeprefix(f"{path.name}: ")))
            continue
        except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, csv.Error) as exc:
            # a case no reader names yet: the file is reported, the others still load
            reason = f"cannot be read ({type(exc).__name__}: {str(exc)[:200]})"
            report.unreadable.append(Problem(path.name, None, None, reason))
            continue
        fr.check()
        report.files.append(fr)
    if article_rows:
        from viz.events.articles import to_frame

        frames.append(to_frame(article_rows))
    if progress:
        progress(1.0, "done")
    if not frames:
        return schema.empty(), report
    out = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else frames[0]
    out = schema.conform(out)
    return with_geo_source(out), report


def with_geo_source(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill ``geo_source`` where a reader left it empty: coordinates with a
    geocoder score came from the gazetteer, without one from the data."""
    located = frame["lat"].notna().to_numpy(dtype=bool)
    blank = frame["geo_source"].isna().to_numpy(dtype=bool) | (frame["geo_source"] == "").to_numpy(dtype=bool)
    scored = frame["geo_score"].notna().to_numpy(dtype=bool)
    frame.loc[blank & located & scored, "geo_source"] = "gazetteer"
    frame.loc[blank & located & ~scored, "geo_source"] = "source"
    return frame


# -------------------------------------------------------------------- tables


MAX_FATALITIES = 10_000_000  # above any event's toll: a count this large is a typo or an overflow
DATE_MIN, DATE_MAX = pd.Timestamp(schema.FIRST_DAY), pd.Timestamp(schema.LAST_DAY)
OUTSIDE = f"date outside the years {schema.FIRST_DAY.year}-{schema.LAST_DAY.year} the frame holds"


def load_table(
    path: Path, *, mapping: dict[str, str] | None, geo: _Geo, date_order: str | None = None, ids: str = "source"
) -> tuple[pd.DataFrame, FileReport]:
    raw = read_table(path)
    fr = FileReport(path.name, encoding=raw.encoding)
    df = raw.frame
    fr.rows_read = len(df)
    if not len(df):
        fr.format = raw.kind
        return schema.empty(), fr
    mapped = recognise(df, header=raw.header, file=path.name, mapping=mapping)
    fr.format = f"{mapped.format} {raw.kind}"
    fr.warnings.extend(Problem(path.name, None, c, UNUSED) for c in mapped.unused)
    m = mapped.frame
    reject = np.zeros(len(m), dtype=bool)

    def bad(mask: np.ndarray | pd.Series, col: str, reason: str, values: pd.Series | None) -> None:
        mask = np.asarray(mask, dtype=bool) & ~reject
        for i in np.flatnonzero(mask).tolist():
            v = None if values is None else values.iloc[i]
            fr.rejected.append(Problem(path.name, raw.row(i), mapped.origin.get(col, col), reason, v))
        reject[mask] = True

    if raw.bad_rows:
        index_of = {raw.row(i): i for i in range(len(m))}
        for lineno, reason in raw.bad_rows:
            fr.rejected.append(Problem(path.name, lineno, None, reason))
            if lineno in index_of:
                reject[index_of[lineno]] = True

    # dates
    if "date" not in m.columns:
        raise InputError(f"{path.name}: no date column (give one with --map date=COLUMN)")
    parsed = tabledates.parse(m["date"], fmt=mapped.date_format, order=date_order)
    dates = parsed.dates
    bad(m["date"].isna(), "date", "missing date", None)
    for rows, reason in parsed.problems:
        bad(rows, "date", reason, m["date"])
    bad(dates.isna() & m["date"].notna(), "date", "not a date", m["date"])
    if parsed.note:
        fr.warnings.append(Problem(path.name, None, mapped.origin.get("date", "date"), parsed.note))
    if "date_precision" not in m.columns:
        m["date_precision"] = parsed.precision
    else:  # the file's own precision first (ACLED's time_precision), what the value says where it has none
        m["date_precision"] = m["date_precision"].where(m["date_precision"].notna(), parsed.precision)
    outside = dates.notna() & ((dates < DATE_MIN) | (dates > DATE_MAX))
    bad(outside, "date", OUTSIDE, m["date"])
    dates = dates.where(~outside)
    m["date"] = dates
    if "date_end" in m.columns:
        parsed_end = tabledates.parse(m["date_end"], fmt=mapped.date_format, order=date_order)
        ends = parsed_end.dates
        for rows, reason in parsed_end.problems:
            bad(rows, "date_end", reason, m["date_end"])
        bad(ends.isna() & m["date_end"].notna(), "date_end", "not a date", m["date_end"])
        outside = ends.notna() & ((ends < DATE_MIN) | (ends > DATE_MAX))
        bad(outside, "date_end", OUTSIDE, m["date_end"])
        ends = ends.where(~outside)
        bad(ends.notna() & dates.notna() & (ends < dates), "date_end", "ends before it starts", m["date_end"])
        m["date_end"] = ends

    # coordinates
    for c in ("lat", "lon"):
        if c not in m.columns:
            m[c] = None
    lat = pd.to_numeric(m["lat"], errors="coerce")
    lon = pd.to_numeric(m["lon"], errors="coerce")
    bad(lat.isna() & m["lat"].notna(), "lat", "latitude is not a number", m["lat"])
    bad(lon.isna() & m["lon"].notna(), "lon", "longitude is not a number", m["lon"])
    bad(lat.notna() & ((lat < -90) | (lat > 90)), "lat", "latitude outside the globe (-90..90)", m["lat"])
    bad(lon.notna() & ((lon < -180) | (lon > 180)), "lon", "longitude outside the globe (-180..180)", m["lon"])
    bad(lat.notna() ^ lon.notna(), "lat" if lat.isna().any() else "lon", "only one of latitude and longitude", None)
    m["lat"], m["lon"] = lat, lon

    # fatalities: a bad count loses the count, not the event
    if "fatalities" in m.columns:
        fat = pd.to_numeric(m["fatalities"], errors="coerce")
        # not a number, negative, fractional beyond rounding, infinite or beyond any count (1e19, 1e308)
        odd = (fat.isna() & m["fatalities"].notna()) | (fat < 0) | ~np.isfinite(fat.fillna(0)) | (fat > MAX_FATALITIES)
        for i in np.flatnonzero(odd.to_numpy() & ~reject).tolist():
            fr.warnings.append(
                Problem(
                    path.name,
                    raw.row(i),
                    mapped.origin.get("fatalities", "fatalities"),
                    "fatalities not a count: left empty",
                    m["fatalities"].iloc[i],
                )
            )
        m["fatalities"] = fat.where(~odd)

    if "event_type" in m.columns and mapped.format in fm.WORDED:
        _type_words(m, fr, path.name, mapped.origin.get("event_type", "event_type"))

    kept = m.loc[~reject].copy()
    fr.rejected.sort(key=lambda p: (p.row is None, p.row or 0))  # in file order, as the engine lists them
    fr.rows_rejected = int(reject.sum())
    fr.rows_kept = len(kept)
    kept = _place_and_geocode(kept, fr, geo)
    kept["event_id"] = _row_ids(mapped, df.loc[~reject], ids=ids, text=raw.kind in ("csv", "tsv"))
    return schema.conform(kept), fr


def _type_words(m: pd.DataFrame, fr: FileReport, file: str, column: str) -> None:
    """The frame's types from the words of a type column (:data:`viz.events.formats.TYPE_WORDS`);
    another word is read as "other", kept in ``sub_event_type`` where that is
    empty, and each such word named once in the report with its rows."""
    word = m["event_type"].astype("string").str.strip()
    typed = word.str.lower().map(fm.TYPE_WORDS)
    odd = (word.fillna("") != "") & typed.isna()
    for value, n in sorted(word[odd].value_counts().items()):
        fr.warnings.append(Problem(file, None, column, f"{fm.ODD_TYPE} ({n:,} rows)", str(value)))
    if odd.any():
        sub = m["sub_event_type"] if "sub_event_type" in m.columns else pd.Series(None, index=m.index, dtype=object)
        empty = sub.astype("string").str.strip().fillna("") == ""
        m["sub_event_type"] = sub.astype(object).where(~(odd & empty), word.astype(object))
    m["event_type"] = typed.astype(object).where(~odd, "other").where(word.fillna("") != "", None)


def _row_ids(mapped: Mapped, raw: pd.DataFrame, *, ids: str = "source", text: bool = False) -> list[str]:
    """Stable ids, vectorised: a hash of the format and the source's own id
    (``ids="source"``, where the format has one), else of the row's raw
    cells (the same rows give the same ids, whatever the file is called).
    With ``ids="source"`` the hash is the engine's (DuckDB's), so a file
    gives the same ids on both paths: of its source id, or of a CSV or TSV
    file's cells as text (``text``).  Repeats get "~2", "~3" ... in the
    file's order."""
    sid = fm.source_id_column(mapped.format, raw.columns) if ids == "source" else None
    if sid is not None:
        hashed = _duck_hash(raw.iloc[:, [sid]])
    elif ids == "source" and text:
        hashed = _duck_hash(raw)
    else:
        hashed = pd.util.hash_pandas_object(raw, index=False).to_numpy()
    salt = np.uint64(int.from_bytes(mapped.format.encode()[:8].ljust(8, b"\0"), "little"))
    out = pd.Series([format(h, "016x") for h in (hashed ^ salt).tolist()], dtype=object)
    dup = out.groupby(out).cumcount().to_numpy()
    return [i if d == 0 else f"{i}~{d + 1}" for i, d in zip(out.tolist(), dup.tolist(), strict=True)]


def _duck_hash(cells: pd.DataFrame) -> np.ndarray:
    """DuckDB's ``hash`` of each row's cells as text, an empty cell NULL:
    the hash the engine gives the same cells read from a file."""
    import duckdb
    import pyarrow as pa

    arrays = [
        pa.array(cells.iloc[:, i].astype("string"), from_pandas=True, type=pa.string()) for i in range(cells.shape[1])
    ]
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(cells.shape[1])])
    con = duckdb.connect()
    try:
        con.register("cells", table)
        args = ", ".join(f"c{i}" for i in range(cells.shape[1]))
        got = con.execute(f"SELECT hash({args}) AS h FROM cells").fetchnumpy()["h"]
    finally:
        con.close()
    return np.asarray(got, dtype=np.uint64)


def _place_and_geocode(df: pd.DataFrame, fr: FileReport, geo: _Geo) -> pd.DataFrame:
    n = len(df)
    for c in (
        "place",
        "place_query",
        "country_code",
        "country_name",
        "place_name",
        "admin1",
        "geo_precision",
        "geonameid",
        "geo_score",
        "geo_source",
    ):
        if c not in df.columns:
            df[c] = pd.Series([None] * n, index=df.index, dtype=object)
        elif df[c].dtype.kind == "f" and c not in ("geonameid", "geo_score"):
            # a text column with no value left is read as floats: names and codes go in below
            df[c] = df[c].astype(object)
    if df["country_code"].isna().any() and df["country_name"].notna().any():
        fill = df["country_code"].isna() & df["country_name"].notna()
        df.loc[fill, "country_code"] = geo.country_codes(df.loc[fill, "country_name"])
    has_xy = df["lat"].notna()
    df.loc[has_xy & df["place_name"].isna(), "place_name"] = df.loc[has_xy, "place"]
    df.loc[has_xy & df["geo_precision"].isna(), "geo_precision"] = "exact"
    df.loc[has_xy, "geo_source"] = "source"
    df["place_query"] = df["place_query"].fillna(df["place"])
    need = ~has_xy & df["place_query"].notna() & (df["place_query"].astype(str).str.strip() != "")
    if not need.any():
        return df
    pairs = df.loc[need, ["place_query", "country_code"]].astype(object).drop_duplicates()
    items = []
    for place, cc in pairs.itertuples(index=False):
        item: dict[str, Any] = {"query": str(place)}
        if isinstance(cc, str) and len(cc) == 2:
            item["country_codes"] = [cc]
        items.append(item)
    answers: dict[tuple[str, Any], dict | None] = {}
    for (place, cc), row in zip(pairs.itertuples(index=False), geo.bulk.geocode_many(items), strict=True):
        answers[(place, cc)] = row if row and "error" not in row else None
    for i in df.index[need]:
        key = (df.at[i, "place_query"], df.at[i, "country_code"])
        a = answers.get(key)
        if a is None:
            cc = key[1] if isinstance(key[1], str) else ""
            fr.unresolved[f"{key[0]}" + (f" ({cc})" if cc else "")] += 1
            continue
        df.at[i, "lat"], df.at[i, "lon"] = a["lat"], a["lon"]
        df.at[i, "place_name"] = a["name"]
        df.at[i, "country_code"] = a["country_code"] or df.at[i, "country_code"]
        df.at[i, "geonameid"] = a["geonameid"]
        df.at[i, "geo_score"] = a["score"]
        df.at[i, "geo_precision"] = FEATURE_PRECISION.get(a["feature"], "city")
        df.at[i, "geo_source"] = "online" if a["feature"] == "online" else "gazetteer"
        fr.geocoded += 1
    return df
