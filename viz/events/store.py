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
    <id>/meta.json            names, sizes, when it was added
    <id>/events-<fp>.parquet  the loaded frame, for pipeline fingerprint <fp>
    <id>/report-<fp>.json     its load report
    corrections.json          geocoding corrections (see :mod:`viz.events.corrections`)
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from viz import settings
from viz.events import schema
from viz.events.ingest import expand, load
from viz.events.report import LoadReport

ID = re.compile(r"^[0-9a-f]{16}$")
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # viz/
Progress = Callable[[float, str], None]


class StoreError(ValueError):
    """A dataset id that is not in the store, or files that cannot be added."""


def content_id(entries: Iterable[tuple[str, bytes]]) -> str:
    """The id of a dataset made of ``(name, bytes)`` entries (order does not matter)."""
    h = hashlib.blake2b(digest_size=8)
    for name, data in sorted(entries, key=lambda e: e[0]):
        h.update(name.encode("utf-8") + b"\0")
        h.update(str(len(data)).encode() + b"\0")
        h.update(data)
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


class DatasetStore:
    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root or settings.load().store_dir)
        self._lock = threading.Lock()
        self._memo: dict[tuple[str, str], tuple[pd.DataFrame, LoadReport]] = {}

    # ------------------------------------------------------------ adding
    def add_files(self, paths: Sequence[str | Path], *, label: str | None = None) -> str:
        """Copy files (or folders of files) into the store; returns the id."""
        entries = _entries(paths)
        blobs = [(name, f.read_bytes()) for name, f in entries]
        return self.add_bytes(blobs, label=label or ", ".join(Path(p).name for p in paths))

    def add_bytes(self, blobs: Sequence[tuple[str, bytes]], *, label: str | None = None) -> str:
        """Store named file contents (an upload); returns the id.  Adding the
        same content again is a no-op and gives the same id."""
        if not blobs:
            raise StoreError("no files given")
        for name, _ in blobs:
            if name.startswith(("/", "\\")) or ".." in Path(name).parts or not name.strip():
                raise StoreError(f"{name!r} is not a plain file name")
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
                dest.write_bytes(data)
            meta = {
                "id": ds,
                "label": label or ", ".join(n for n, _ in blobs),
                "files": [{"name": n, "bytes": len(d)} for n, d in blobs],
                "added": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
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

    # ------------------------------------------------------------ reading
    def ids(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if ID.match(p.name) and (p / "meta.json").exists())

    def has(self, ds: str) -> bool:
        return bool(ID.match(ds)) and (self.root / ds / "meta.json").exists()

    def ready(self, ds: str) -> bool:
        """Whether opening ``ds`` is quick: in memory, or stored as Parquet for this pipeline."""
        fp = pipeline_fingerprint()
        return (ds, fp) in self._memo or (self.root / ds / f"events-{fp}.parquet").exists()

    def meta(self, ds: str) -> dict[str, Any]:
        if not self.has(ds):
            raise StoreError(f"dataset {ds!r} is not in the store")
        return json.loads((self.root / ds / "meta.json").read_text(encoding="utf-8"))

    def files_dir(self, ds: str) -> Path:
        return self.root / ds / "files"

    def load(
        self, ds: str, *, progress: Progress | None = None, geocoder: Any = None
    ) -> tuple[pd.DataFrame, LoadReport]:
        """The dataset's event frame and load report: from memory, else from
        the stored Parquet of this pipeline, else loaded from its files (and
        stored)."""
        if not self.has(ds):
            raise StoreError(f"dataset {ds!r} is not in the store")
        fp = pipeline_fingerprint()
        with self._lock:
            hit = self._memo.get((ds, fp))
            if hit is not None:
                return hit
            events, report_file = self.root / ds / f"events-{fp}.parquet", self.root / ds / f"report-{fp}.json"
            if events.exists() and report_file.exists():
                frame = schema.conform(pd.read_parquet(events))
                report = LoadReport.from_dict(json.loads(report_file.read_text(encoding="utf-8")))
            else:
                files = self.files_dir(ds)
                frame, report = load([files], progress=progress, geocoder=geocoder)
                for old in (self.root / ds).glob("events-*.parquet"):
                    old.unlink(missing_ok=True)
                for old in (self.root / ds).glob("report-*.json"):
                    old.unlink(missing_ok=True)
                tmp = events.with_suffix(".tmp")
                frame.to_parquet(tmp, index=False)
                os.replace(tmp, events)
                report_file.write_text(json.dumps(report.to_dict(), ensure_ascii=False), encoding="utf-8")
            if len(self._memo) >= 3:
                self._memo.pop(next(iter(self._memo)))
            self._memo[(ds, fp)] = (frame, report)
            return frame, report
