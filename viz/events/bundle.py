"""Bundles: a dataset carried to another store under the same id.

A link names its data by content id (``ds=<id>``), which only a store that
holds those files can answer.  A bundle is one zip file holding what a
colleague's store needs to answer it::

    bundle.json     {"format": "viz-bundle", "version": 1, "id", "label", "date_order", "ids",
                     "files": [{"name", "bytes"}], "corrections": [...], "link"}
    files/<name>    the dataset's stored files, as added

Importing recomputes the content id from the files in the bundle (the same
hash the store names datasets by) and refuses a bundle whose files do not
hash to the id it names: a file changed, added or taken out after export is
said so, and nothing is added.  The corrections are the saved geocoding
corrections for the place names the dataset geocoded (so the link shows the
same places); on import they are saved into the other store's corrections,
replacing one for the same name there (said in the result).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from viz import settings
from viz.events.corrections import Correction, Corrections
from viz.events.formats import ID_SCHEMES
from viz.events.store import ID, DatasetStore, StoreError, content_id, safe_name

FORMAT = "viz-bundle"
VERSION = 1
SUFFIX = ".viz.zip"


@dataclass(frozen=True)
class Imported:
    dataset: str
    label: str
    files: int
    corrections: int
    replaced: int  # corrections of the same name that were already in this store, now the bundle's
    link: str


def _dataset_places(store: DatasetStore, ds: str) -> set[tuple[str, str]]:
    """(place, country) of every place name in the dataset (a correction
    applies only where both match)."""
    import pyarrow.parquet as pq

    files, _ = store.open(ds)
    out: set[tuple[str, str]] = set()
    for f in files:
        table = pq.read_table(f, columns=["place", "country_code"]).to_pandas()
        for p, c in table.drop_duplicates().itertuples(index=False):
            if isinstance(p, str):
                out.add((p, c if isinstance(c, str) else ""))
    return out


def export(
    store: DatasetStore, ds: str, out: str | Path, *, corrections: Corrections | None = None, link: str = ""
) -> Path:
    """Write dataset ``ds`` of ``store`` (files, metadata, the corrections its
    places use, and the link, when given) to the bundle ``out``."""
    if not store.has(ds):
        raise StoreError(f"dataset {ds!r} is not in the store")
    meta = store.meta(ds)
    folder = store.files_dir(ds)
    files = [(f["name"], folder / f["name"]) for f in meta["files"]]
    missing = [n for n, p in files if not p.is_file()]
    if missing:
        raise StoreError(f"dataset {ds}: stored files missing: {', '.join(missing[:5])}")
    places = _dataset_places(store, ds)
    saved = (corrections or Corrections(store.root / "corrections.json")).all()
    used = [asdict(c) for c in saved if (c.place, c.country) in places]
    head = {
        "format": FORMAT,
        "version": VERSION,
        "id": ds,
        "label": meta.get("label", ds),
        "date_order": meta.get("date_order"),
        "ids": store.id_scheme(ds),
        "files": [{"name": n, "bytes": p.stat().st_size} for n, p in files],
        "corrections": used,
        "link": link,
    }
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("bundle.json", json.dumps(head, indent=1, ensure_ascii=False))
        for name, path in files:
            z.write(path, f"files/{name}")
    tmp.replace(out)
    return out


def _head(z: zipfile.ZipFile, where: str) -> dict[str, Any]:
    try:
        head = json.loads(z.read("bundle.json").decode("utf-8"))
    except KeyError:
        raise StoreError(f"{where}: not a viz bundle (no bundle.json inside)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(f"{where}: its bundle.json is not readable JSON ({exc})") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise StoreError(f"{where}: not a viz bundle (bundle.json does not say format {FORMAT!r})")
    if head.get("version") != VERSION:
        raise StoreError(f"{where}: bundle version {head.get('version')!r}; this release reads version {VERSION}")
    if not isinstance(head.get("id"), str) or not ID.match(head["id"]):
        raise StoreError(f"{where}: its id {str(head.get('id'))[:40]!r} is not a dataset id")
    if not isinstance(head.get("files"), list) or not head["files"]:
        raise StoreError(f"{where}: it lists no files")
    return head


def import_bundle(store: DatasetStore, path: str | Path, *, corrections: Corrections | None = None) -> Imported:
    """Add the bundle's dataset to ``store`` under the id it names, after
    checking its files hash to that id; save its corrections."""
    path = Path(path)
    where = path.name
    limit = settings.load().max_file_mb * 2**20
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StoreError(f"{where}: not a bundle (not a readable zip file: {exc})") from None
    with z, tempfile.TemporaryDirectory(prefix="viz-bundle-") as tmp:
        head = _head(z, where)
        listed = {f"files/{f.get('name')}" for f in head["files"] if isinstance(f, dict)}
        inside = {i.filename for i in z.infolist() if not i.is_dir()} - {"bundle.json"}
        if inside != listed:
            extra, gone = sorted(inside - listed)[:3], sorted(listed - inside)[:3]
            raise StoreError(
                f"{where} has been modified: its files are not the ones bundle.json lists"
                + (f" (not listed: {', '.join(extra)})" if extra else "")
                + (f" (missing: {', '.join(gone)})" if gone else "")
                + "; nothing was added"
            )
        entries: list[tuple[str, Path]] = []
        total = 0
        for info in z.infolist():
            if info.filename == "bundle.json" or info.is_dir():
                continue
            name = info.filename[len("files/") :]
            parts = PurePosixPath(name).parts
            if not parts or ".." in parts or name.startswith("/") or safe_name(name) != name:
                raise StoreError(f"{where}: {info.filename[:80]!r} is not a plain file name; nothing was added")
            total += info.file_size
            if total > limit:
                raise StoreError(
                    f"{where}: its files unpack to over {limit >> 20} MiB (VIZ_MAX_FILE_MB); nothing was added"
                )
            dest = Path(tmp, *parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(dest, "wb") as fh:
                shutil.copyfileobj(src, fh, 1 << 20)
            entries.append((name, dest))
        got = content_id(entries)
        if got != head["id"]:
            raise StoreError(
                f"{where} has been modified: its files hash to {got}, not to the id {head['id']} it names; nothing was added"
            )
        items = [Correction(**c) for c in head.get("corrections") or [] if isinstance(c, dict)]
        new = not store.has(head["id"])
        ds = store.add_bytes(entries, label=str(head.get("label") or head["id"]))
    if ds != head["id"]:  # the store names files as the bundle did: the same id, or a bug
        raise StoreError(f"{where}: stored as {ds}, not as {head['id']}")
    if head.get("date_order"):
        store.set_date_order(ds, head["date_order"])
    if new:  # its ids made as in the store it came from ("cells": a bundle from before ids were kept)
        ids = head.get("ids")
        store.set_id_scheme(ds, ids if isinstance(ids, str) and ids in ID_SCHEMES else "cells")
    target = corrections or Corrections(store.root / "corrections.json")
    before = {c.key: c for c in target.all()}
    replaced = 0
    for c in items:
        old = before.get(c.key)
        if old is not None and (old.lat, old.lon, old.name) != (c.lat, c.lon, c.name):
            replaced += 1
        target.save(c)
    return Imported(ds, str(head.get("label") or ds), len(entries), len(items), replaced, str(head.get("link") or ""))
