"""A partitioned Parquet dataset of events: what ingest writes, what the app queries.

    report = ingest(["acled.csv", "articles/"], "events/")
    frame = read("events/")                 # the pandas frame, as load() gives it
    for part in frames("events/"):          # or a frame at a time, for data that does not fit
        ...

Layout: ``<dest>/<tag>.parquet``, one file per file the engine read (and per
block of one on a Dask cluster; ``<tag>r.parquet`` beside it holds the rows
of it the engine's full path read, when not every row was settled in the
pass that parsed it), ``mem.parquet`` for all the files the
in-memory readers read; row groups of DuckDB's default 122,880 rows, each with
its min/max statistics.  Not partitioned by month: DuckDB's partitioned write
was several times slower in a trial (docs/benchmarks.md), and queries of the
dashboard scan every row anyway.  Big CSV, TSV and Parquet files are read
by :mod:`viz.events.engine` (DuckDB, streamed, bounded memory); every other
file by :func:`viz.events.ingest.load`, whose frame is written the same way.
The report is the same either way: rows read = kept + rejected, each rejection
named by file, row and column.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from viz import settings
from viz.errors import InputError
from viz.events import engine, schema
from viz.events import formats as fm
from viz.events.ingest import Progress, _Geo, expand, is_article, load, not_read
from viz.events.report import LoadReport, Problem


def ingest(
    paths: Iterable[str | Path],
    dest: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    article_date: date | None = None,
    geocoder: Any = None,
    progress: Progress | None = None,
    date_order: str | None = None,
    engine_min_mb: int | None = None,
    ids: str = "source",
) -> LoadReport:
    """Read files and folders into the dataset at ``dest`` (replaced) and
    return the load report; ``ids``, how event ids are made
    (:data:`viz.events.formats.ID_SCHEMES`)."""
    fm.check_id_scheme(ids)  # before any file: the engine reports a file's errors as its own
    paths = list(paths)
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    threshold = (settings.load().engine_min_mb if engine_min_mb is None else engine_min_mb) * 2**20
    files = expand(paths)
    geo = _Geo(geocoder)
    report = LoadReport()
    reports: dict[int, Any] = {}
    rest: list[tuple[int, Path]] = []
    con = None
    for i, path in enumerate(files):
        big = path.is_file() and path.stat().st_size >= threshold and not is_article(path)
        if not big or (article_date is not None and path.suffix.lower() in (".txt", "")):
            rest.append((i, path))
            continue
        if progress:
            progress(i / max(len(files), 1), f"reading {path.name}")
        con = con or engine.connect(temp_dir=dest.parent)
        try:
            fr = engine.ingest_file(
                con, path, dest, tag=f"f{i:05d}", geo=geo, mapping=mapping, date_order=date_order, ids=ids
            )
        except InputError as exc:
            report.unreadable.append(Problem(path.name, None, None, str(exc).removeprefix(f"{path.name}: ")))
            continue
        except Exception as exc:  # the engine's own errors (a file it cannot parse): named, the others go on
            reason = f"cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
            report.unreadable.append(Problem(path.name, None, None, reason))
            continue
        if fr is None:
            rest.append((i, path))
        else:
            fr.check()
            reports[i] = fr
    # what the engine does not read: the in-memory readers, one frame, written alike
    report.unreadable += not_read(paths)
    if rest:
        frame, small = load(
            [p for _, p in rest],
            mapping=mapping,
            article_date=article_date,
            geocoder=geo.geocoder,
            progress=progress,
            date_order=date_order,
            ids=ids,
        )
        by_name = {fr.file: fr for fr in small.files}
        for i, p in rest:
            if p.name in by_name:
                reports[i] = by_name.pop(p.name)
        report.unreadable += small.unreadable
        if len(frame):
            write_frame(frame, dest, tag="mem", con=con)
    report.files = [reports[i] for i in sorted(reports)]
    if con is not None:
        con.close()
    if progress:
        progress(1.0, "done")
    return report


def write_frame(frame: pd.DataFrame, dest: str | Path, *, tag: str, con: Any = None) -> None:
    """Add an event frame to the dataset at ``dest`` as ``<tag>.parquet``."""
    own = con is None
    con = con or engine.connect()
    Path(dest).mkdir(parents=True, exist_ok=True)
    out = schema.conform(frame)
    for c in ("event_type", "date_precision", "geo_precision"):
        out[c] = out[c].astype(object)
    out["search"] = search_text(out)
    con.register("_frame", out)
    con.execute(f"COPY (SELECT * FROM _frame) TO {engine.lit(str(Path(dest) / (tag + '.parquet')))} (FORMAT parquet)")
    con.unregister("_frame")
    if own:
        con.close()


def search_text(frame: pd.DataFrame) -> pd.Series:
    """What the app's text search looks in, folded (as the engine writes it):
    the text, the place, its name where that is another, the actors."""
    cols = [frame[c].astype(object).where(frame[c].notna(), None) for c in ("text", "place", "place_name", "actors")]
    joined = [
        " ".join(v for v in (t, p, n if n != p else None, a) if v)
        for t, p, n, a in zip(*(c.tolist() for c in cols), strict=True)
    ]
    return pd.Series(joined, index=frame.index, dtype=object).str.lower()


def parts(dest: str | Path) -> list[Path]:
    return sorted(Path(dest).glob("*.parquet"))


def read(dest: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The whole dataset as one event frame (schema columns and dtypes)."""
    files = parts(dest)
    if not files:
        return schema.empty()
    import pyarrow.dataset as ds

    table = ds.dataset([str(f) for f in files], format="parquet").to_table(columns=columns or schema.NAMES)
    return schema.conform(table.to_pandas())


def frames(dest: str | Path, *, rows: int = 500_000) -> Iterator[pd.DataFrame]:
    """The dataset a frame of at most ``rows`` events at a time."""
    import pyarrow.dataset as ds

    files = parts(dest)
    if not files:
        return
    for batch in ds.dataset([str(f) for f in files], format="parquet").to_batches(
        columns=schema.NAMES, batch_size=rows
    ):
        yield schema.conform(batch.to_pandas())
