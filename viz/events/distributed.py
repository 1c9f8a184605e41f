"""Ingest on a Dask cluster: each block of a big file read on a worker.

    report = ingest(["gdelt/"], "events/", address="local")        # a LocalCluster on this machine
    report = ingest(["s3://bucket/gdelt/*.CSV"], "/shared/events", address="tcp://scheduler:8786")

A CSV or TSV file is cut into blocks at line ends (``dask.bytes.read_bytes``:
local paths, or any fsspec URL the workers can open).  A first, cheap round
counts each block's lines, so every block knows the file row it starts at;
then each worker reads its block with the same engine as one machine does
(:func:`viz.events.engine.ingest_file`: DuckDB, the format's SQL, the same
checks) and writes its Parquet file into ``dest``, which every worker
must reach (a shared folder).  The geocoder is opened once per worker
process.  The blocks' reports are joined into one per file, rows renumbered
to the file's own: rows read = kept + rejected, as everywhere.

Limits: a quoted cell that spans lines must not cross a block's end (GDELT
and ACLED exports have none); numeric dates whose order a column must decide
are decided block by block unless ``date_order`` is given.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from viz.events import engine
from viz.events.formats import check_id_scheme
from viz.events.ingest import _Geo
from viz.events.report import FileReport, LoadReport, Problem

BLOCK = 64 * 2**20
_GEO: dict[str, _Geo] = {}  # per worker process: the geocoder, opened on first need


def _worker_geo() -> _Geo:
    if "geo" not in _GEO:
        _GEO["geo"] = _Geo()
    return _GEO["geo"]


def _lines(block: bytes) -> int:
    return block.count(b"\n") + (0 if block.endswith(b"\n") or not block else 1)


def _read_block(
    block: bytes,
    header: bytes,
    *,
    name: str,
    dest: str,
    tag: str,
    shift: int,
    mapping: dict[str, str] | None,
    date_order: str | None,
    ids: str = "source",
) -> FileReport | None:
    """One block through the engine, on a worker; its report in the file's rows."""
    with tempfile.TemporaryDirectory(prefix="viz-block-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(header + block)
        con = engine.connect(temp_dir=tmp)
        try:
            fr = engine.ingest_file(
                con, path, Path(dest), tag=tag, geo=_worker_geo(), mapping=mapping, date_order=date_order, ids=ids
            )
        finally:
            con.close()
    if fr is None:
        return None

    def moved(p: Problem) -> Problem:
        return replace(p, row=p.row + shift) if p.row is not None else p

    fr.rejected = [moved(p) for p in fr.rejected]
    fr.warnings = [moved(p) for p in fr.warnings]
    return fr


def _join(name: str, parts: list[FileReport]) -> FileReport:
    out = FileReport(name, format=parts[0].format, encoding=parts[0].encoding)
    for fr in parts:
        out.rows_read += fr.rows_read
        out.rows_kept += fr.rows_kept
        out.rows_rejected += fr.rows_rejected
        out.geocoded += fr.geocoded
        out.rejected += fr.rejected
        out.unresolved.update(fr.unresolved)
        out.warnings += [w for w in fr.warnings if w.row is not None or w not in out.warnings]
    return out


def _renumber_repeats(dest: Path, prefix: str) -> None:
    """Ids repeated in a file (rows with the same cells, or the same source
    id) get "~2", "~3" ... within a block; across blocks they would share
    one.  Where any repeat, the file's parts are written again (here, by the
    client) with the repeats numbered over the whole file, as one machine
    numbers them (:func:`viz.events.engine.renumber_repeats`)."""
    files = sorted(dest.glob(f"{prefix}*.parquet"))
    con = engine.connect()
    try:
        engine.renumber_repeats(con, files, dest / f"{prefix}all.parquet")
    finally:
        con.close()


def client_for(address: str) -> Any:
    """A Dask client: ``local`` starts a LocalCluster of two worker processes."""
    from distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    return Client(address)


def ingest(
    paths: Iterable[str],
    dest: str | Path,
    *,
    address: str = "local",
    client: Any = None,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
    blocksize: int | None = None,
    ids: str = "source",
) -> LoadReport:
    """Read CSV/TSV files (paths or fsspec URLs, globs allowed) into the
    dataset at ``dest`` on a Dask cluster; the load report (``ids``: as
    :func:`viz.events.dataset.ingest`)."""
    from dask import delayed
    from dask.bytes import read_bytes

    check_id_scheme(ids)
    own = client is None
    client = client or client_for(address)
    Path(dest).mkdir(parents=True, exist_ok=True)
    report = LoadReport()
    try:
        for p in paths:
            _, blocks, files = read_bytes(
                str(p), delimiter=b"\n", blocksize=blocksize or BLOCK, sample=False, include_path=True
            )
            for k, file_blocks in enumerate(blocks):
                name = Path(str(files[k])).name
                counts = client.compute([delayed(_lines)(b) for b in file_blocks], sync=True)
                head = client.compute(file_blocks[0], sync=True).split(b"\n", 1)[0] + b"\n"
                fields = head.decode("utf-8", errors="replace").split("\t")
                header = b"" if len(fields) >= 57 and fields[0].strip().isdigit() else head
                tasks, row = [], 1
                for i, (b, n) in enumerate(zip(file_blocks, counts, strict=True)):
                    tasks.append(
                        delayed(_read_block)(
                            b,
                            header if i else b"",
                            name=name,
                            dest=str(dest),
                            tag=f"d{len(report.files):04d}b{i:05d}",
                            # the engine numbers a block from its own header: row 2 (or 1) is the file's row `row`
                            shift=row - (2 if header else 1) if i else 0,
                            mapping=mapping,
                            date_order=date_order,
                            ids=ids,
                        )
                    )
                    row += n
                parts = [fr for fr in client.compute(tasks, sync=True) if fr is not None]
                if not parts:
                    report.unreadable.append(Problem(name, None, None, "not a CSV or TSV file the engine reads"))
                    continue
                fr = _join(name, parts)
                _renumber_repeats(Path(dest), f"d{len(report.files):04d}b")
                fr.check()
                report.files.append(fr)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    return report
