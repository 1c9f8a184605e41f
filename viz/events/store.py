"""The local dataset store: every dataset under the hash of its content.

A link names its data with ``ds=<id>``, where the id is the first 16 hex
digits of a BLAKE2b hash over the files' names and bytes.  The store keeps a
copy of the files, so the same link shows the same data tomorrow even when
the original file has changed (the changed file gets a new id when it is
added again), and the loaded event frame as Parquet beside them, so opening a
stored dataset does not parse or geocode it again.  That frame is rebuilt
when the pipeline that made it changes (the code of ``viz`` or the
gazetteer index).

Layout (``VIZ_STORE_DIR``, by default ``data/store``)::

    <id>/files/...            the files as added (names relative to what was added)
    <id>/meta.json            names, sizes, when it was added, how its event ids are made
    <id>/events-<fp>/         the loaded events, for pipeline fingerprint <fp>: a Parquet
                              dataset (:mod:`viz.events.dataset`)
    <id>/report-<fp>.json     its load report
    corrections.json          geocoding corrections (see :mod:`viz.events.corrections`)
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from viz import settings
from viz.events import tabledates
from viz.events.dataset import ingest, parts, read
from viz.events.formats import ID_SCHEMES, check_id_scheme
from viz.events.ingest import expand
from viz.events.report import LoadReport
from viz.events.safefile import atomic_write, locked, set_aside

ID = re.compile(r"^[0-9a-f]{16}$")
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # viz/
Progress = Callable[[float, str], None]


class StoreError(ValueError):
    """A dataset id that is not in the store, or files that cannot be added."""


class ReadOnlyError(StoreError, PermissionError):
    """A write to a store served read-only (``VIZ_READ_ONLY=1``)."""


def refuse_if_read_only(what: str) -> None:
    if settings.load().read_only:
        raise ReadOnlyError(f"this server is read-only (VIZ_READ_ONLY): {what} is turned off")


# An upload's bytes, a file read a chunk at a time, or a seekable binary file
# object (Streamlit's UploadedFile) read a chunk at a time, never copied whole.
Content = bytes | Path | BinaryIO


def _size(data: Content) -> int:
    if isinstance(data, Path):
        return data.stat().st_size
    if isinstance(data, bytes):
        return len(data)
    return data.seek(0, io.SEEK_END)


def _chunks(data: Content) -> Iterable[bytes]:
    if isinstance(data, bytes):
        yield data
        return
    if isinstance(data, Path):
        with open(data, "rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk
        return
    data.seek(0)
    while chunk := data.read(1 << 20):
        yield chunk


def content_id(entries: Iterable[tuple[str, Content]]) -> str:
    """The id of a dataset made of ``(name, bytes or file)`` entries (order
    does not matter; a file is hashed a chunk at a time, never held whole)."""
    h = hashlib.blake2b(digest_size=8)
    for name, data in sorted(entries, key=lambda e: e[0]):
        h.update(name.encode("utf-8") + b"\0")
        h.update(str(_size(data)).encode() + b"\0")
        for chunk in _chunks(data):
            h.update(chunk)
    return h.hexdigest()


@functools.lru_cache(maxsize=4)
def pipeline_fingerprint(gazetteer_dir: str | Path | None = None) -> str:
    """What a stored frame depends on besides its files: the code of the
    layers that make it (geocoding and events; the dashboard's code draws it
    and does not count) and the gazetteer index it was geocoded with."""
    h = hashlib.blake2b(digest_size=6)
    for f in sorted(f for layer in ("geo", "events") for f in (PACKAGE_DIR / layer).rglob("*.py")):
        h.update(f.relative_to(PACKAGE_DIR).as_posix().encode() + f.read_bytes())
    for f in sorted(PACKAGE_DIR.parent.joinpath("data").glob("*.tsv")):
        h.update(f.name.encode() + f.read_bytes())
    manifest = Path(gazetteer_dir or settings.load().gazetteer_dir) / "manifest.json"
    if manifest.exists():
        h.update(manifest.read_bytes())
    return h.hexdigest()


def _entries(paths: Sequence[str | Path]) -> list[tuple[str, Path]]:
    """Files under ``paths`` with the names they get in the store."""
    out: list[tuple[str, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += [(f.relative_to(p).as_posix(), f) for f in expand([p])]
        elif p.exists():
            out.append((p.name, p))
        else:
            raise StoreError(f"{p.name}: no such file")
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise StoreError(f"two files named {', '.join(dup)}: add them from folders that keep their names apart")
    if not out:
        raise StoreError("no readable files given")
    return out


MAX_NAME_BYTES = 200  # a file name's bytes kept (file systems allow 255)


def safe_name(name: str) -> str:
    """A stored file's name: each part cut to MAX_NAME_BYTES bytes with a
    hash of the whole, the extension kept ("Report ... .csv")."""
    parts = []
    for part in Path(name).parts:
        raw = part.encode("utf-8")
        if len(raw) > MAX_NAME_BYTES:
            stem, ext = os.path.splitext(part)
            ext = ext if len(ext.encode()) <= 16 else ""
            tag = hashlib.blake2b(raw, digest_size=4).hexdigest()
            keep = stem.encode("utf-8")[: MAX_NAME_BYTES - len(ext.encode()) - 10].decode("utf-8", errors="ignore")
            part = f"{keep}-{tag}{ext}"
        parts.append(part)
    return "/".join(parts)


def unique_names(blobs: Sequence[tuple[str, Content]]) -> list[tuple[str, Content]]:
    """Two files of one name (two uploads of "export.csv") are both kept:
    the second is "export (2).csv"; the same bytes twice are kept once."""
    out: list[tuple[str, Content]] = []
    seen: dict[str, Content] = {}
    for name, data in blobs:
        if name in seen:
            if seen[name] == data:
                continue
            stem, ext = os.path.splitext(name)
            k = 2
            while f"{stem} ({k}){ext}" in seen:
                k += 1
            name = f"{stem} ({k}){ext}"
        seen[name] = data
        out.append((name, data))
    return out


class DatasetStore:
    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root or settings.load().store_dir)
        self._lock = threading.Lock()  # guards the memo only; loading locks its own dataset
        self._memo: dict[tuple[str, str], tuple[pd.DataFrame, LoadReport]] = {}
        self.notices: list[str] = []  # what was found corrupt and healed, for the app to say

    # ------------------------------------------------------------ adding
    def add_files(self, paths: Sequence[str | Path], *, label: str | None = None) -> str:
        """Copy files (or folders of files) into the store; returns the id."""
        entries: list[tuple[str, Content]] = list(_entries(paths))  # copied, not read into memory
        return self.add_bytes(entries, label=label or ", ".join(Path(p).name for p in paths))

    def add_frame(self, frame: pd.DataFrame, *, label: str = "frame", name: str = "events.parquet") -> str:
        """Store an event frame as a dataset (a Parquet file of it); returns the id."""
        return self.add_bytes([(name, frame.to_parquet(index=False))], label=label)

    def add_bytes(self, blobs: Sequence[tuple[str, Content]], *, label: str | None = None) -> str:
        """Store named file contents (an upload, or files named by path);
        returns the id.  Adding the same content again is a no-op and gives
        the same id."""
        refuse_if_read_only("adding data")
        if not blobs:
            raise StoreError("no files given")
        for name, _ in blobs:
            if name.startswith(("/", "\\")) or ".." in Path(name).parts or not name.strip() or "\0" in name:
                raise StoreError(f"{name[:80]!r} is not a plain file name")
        blobs = unique_names([(safe_name(n), d) for n, d in blobs])
        ds = content_id(blobs)
        target = self.root / ds
        if (target / "meta.json").exists():
            return ds
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".adding-"))
        try:
            for name, data in blobs:
                dest = tmp / "files" / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(data, Path):
                    shutil.copyfile(data, dest)
                else:
                    with open(dest, "wb") as fh:
                        for chunk in _chunks(data):
                            fh.write(chunk)
            meta = {
                "id": ds,
                "label": label or ", ".join(n for n, _ in blobs),
                "files": [{"name": n, "bytes": _size(d)} for n, d in blobs],
                "added": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ids": ID_SCHEMES[0],  # how its event ids are made, kept for as long as it is stored
            }
            (tmp / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
            try:
                os.replace(tmp, target)
            except OSError:  # added meanwhile by another process
                if not (target / "meta.json").exists():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return ds

    def id_of(self, paths: Sequence[str | Path]) -> str:
        """The id ``add_files(paths)`` gives, without adding anything."""
        entries: list[tuple[str, Content]] = list(_entries(paths))
        return content_id(unique_names([(safe_name(n), d) for n, d in entries]))

    # ------------------------------------------------------------ reading
    def ids(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if ID.match(p.name) and (p / "meta.json").exists())

    def has(self, ds: str) -> bool:
        return bool(ID.match(ds)) and (self.root / ds / "meta.json").exists()

    def ready(self, ds: str) -> bool:
        """Whether opening ``ds`` is quick: in memory, or stored as Parquet for this pipeline."""
        fp = self._fingerprint(ds)
        return (ds, fp) in self._memo or (self.root / ds / f"report-{fp}.json").exists()

    def date_order(self, ds: str) -> str | None:
        """The order the dataset's numeric dates are read in when its columns
        do not say ("day-first", "month-first"), or None: as they say."""
        order = self.meta(ds).get("date_order")
        return order if order in tabledates.ORDERS else None

    def id_scheme(self, ds: str) -> str:
        """How the dataset's event ids are made (:data:`viz.events.formats.ID_SCHEMES`):
        as when it was added, so links that name its events keep naming them
        when its frame is rebuilt; "cells" for a dataset stored before the
        scheme was kept."""
        ids = self.meta(ds).get("ids")
        return ids if ids in ID_SCHEMES else "cells"

    def set_id_scheme(self, ds: str, ids: str) -> None:
        """Make the dataset's event ids by ``ids`` from now on (a bundle's
        dataset takes the scheme of the store it came from, so its links name
        the same events); the frame is rebuilt when next opened."""
        refuse_if_read_only("changing how a dataset's ids are made")
        try:
            check_id_scheme(ids)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        self._update_meta(ds, ids=ids)

    def set_date_order(self, ds: str, order: str | None) -> None:
        """Read the dataset's numeric dates in ``order`` from now on (its
        frame is rebuilt from the stored files when next opened)."""
        refuse_if_read_only("changing how a dataset's dates are read")
        if order is not None and order not in tabledates.ORDERS:
            raise StoreError(f"date order must be one of {', '.join(tabledates.ORDERS)}, not {order!r}")
        self._update_meta(ds, date_order=order)

    def _update_meta(self, ds: str, **changes: Any) -> None:
        """Write the dataset's ``meta.json`` again with ``changes``."""
        path = self.root / ds / "meta.json"
        meta = self.meta(ds)
        with locked(path):
            atomic_write(path, json.dumps({**meta, **changes}, indent=1, ensure_ascii=False))

    def _fingerprint(self, ds: str) -> str:
        order = self.date_order(ds)
        return (
            pipeline_fingerprint()
            + ({"day-first": "-dmy", "month-first": "-mdy"}[order] if order else "")
            + ("-src" if self.id_scheme(ds) == "source" else "")  # how a damaged meta.json is rebuilt knows it
        )

    def meta(self, ds: str) -> dict[str, Any]:
        """The dataset's names and sizes.  A ``meta.json`` that is not
        readable JSON is set aside and rebuilt from the stored files."""
        if not self.has(ds):
            raise StoreError(f"dataset {ds!r} is not in the store")
        path = self.root / ds / "meta.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(meta, dict) and isinstance(meta.get("label"), str) and isinstance(meta.get("files"), list):
                return meta
        except (OSError, ValueError):
            pass
        with locked(path):
            aside = set_aside(path)
            files = self.files_dir(ds)
            listed = sorted(f for f in files.rglob("*") if f.is_file()) if files.exists() else []
            # the ids its frame was made with, told by the stored reports' names (none: never opened)
            reports = [r.name for r in (self.root / ds).glob("report-*.json")]
            meta = {
                "id": ds,
                "label": ", ".join(f.relative_to(files).as_posix() for f in listed)[:200] or ds,
                "files": [{"name": f.relative_to(files).as_posix(), "bytes": f.stat().st_size} for f in listed],
                "added": "",
                "rebuilt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ids": "source" if not reports or any(r.endswith("-src.json") for r in reports) else "cells",
            }
            atomic_write(path, json.dumps(meta, indent=1, ensure_ascii=False))
        self.notices.append(
            f"dataset {ds}: its meta.json was damaged; set aside as {aside.name} and rebuilt from its stored files"
        )
        return meta

    def files_dir(self, ds: str) -> Path:
        return self.root / ds / "files"

    def open(self, ds: str, *, progress: Progress | None = None, geocoder: Any = None) -> tuple[list[Path], LoadReport]:
        """The dataset's Parquet files and load report: the stored ones of this
        pipeline, else loaded from its files (and stored).  Nothing is read
        into memory: the app queries the files (:mod:`viz.dashboard.query`)."""
        if not self.has(ds):
            raise StoreError(f"dataset {ds!r} is not in the store")
        fp = self._fingerprint(ds)
        events, report_file = self.root / ds / f"events-{fp}", self.root / ds / f"report-{fp}.json"
        # One dataset at a time per dataset: another session opening another dataset does not wait.
        with locked(self.root / ds / "events"):
            report = self._stored(ds, events, report_file)
            if report is None:
                tmp = Path(tempfile.mkdtemp(dir=self.root / ds, prefix=".events-"))
                try:
                    report = ingest(
                        [self.files_dir(ds)],
                        tmp / "events",
                        progress=progress,
                        geocoder=geocoder,
                        date_order=self.date_order(ds),
                        ids=self.id_scheme(ds),
                    )
                    for old in [*(self.root / ds).glob("events-*"), *(self.root / ds).glob("report-*.json")]:
                        shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)
                    os.replace(tmp / "events", events)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                atomic_write(report_file, json.dumps(report.to_dict(), ensure_ascii=False))
        return parts(events), report

    def load(
        self, ds: str, *, progress: Progress | None = None, geocoder: Any = None
    ) -> tuple[pd.DataFrame, LoadReport]:
        """The dataset's event frame and load report, read whole (kept in
        memory for the next call)."""
        if not self.has(ds):
            raise StoreError(f"dataset {ds!r} is not in the store")
        fp = self._fingerprint(ds)
        with self._lock:
            hit = self._memo.get((ds, fp))
        if hit is not None:
            return hit
        _, report = self.open(ds, progress=progress, geocoder=geocoder)
        frame = read(self.root / ds / f"events-{fp}")
        with self._lock:
            if len(self._memo) >= 3:
                self._memo.pop(next(iter(self._memo)))
            self._memo[(ds, fp)] = (frame, report)
        return frame, report

    def _stored(self, ds: str, events: Path, report_file: Path) -> LoadReport | None:
        """The stored report, its dataset's files checked (each Parquet file's
        footer), or None when they are missing or damaged (a damaged one is
        set aside: the caller rebuilds it)."""
        if not (events.is_dir() and report_file.exists()):
            return None
        try:
            import pyarrow.parquet as pq

            for f in parts(events):
                pq.read_metadata(f)
            return LoadReport.from_dict(json.loads(report_file.read_text(encoding="utf-8")))
        except Exception:  # pyarrow's errors for a truncated file are of several kinds
            for f in (events, report_file):
                set_aside(f)
            self.notices.append(f"dataset {ds}: its stored frame was damaged; rebuilt from its stored files")
            return None
