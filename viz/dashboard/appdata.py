"""Data for the app: which files to show, loaded once per content.

``streamlit run app.py -- --data PATH [PATH ...]`` shows the user's files
(any format :func:`viz.events.ingest.load` reads); without it, the bundled demo.
Every dataset goes into the local dataset store (:mod:`viz.events.store`) under
its content hash, the ``ds=`` of a link; the files given on the command line
are added once per version (names, sizes, modification times), so a rerun
does not read them again and a changed file gets a new id.  Saved geocoding
corrections are applied to whatever is shown.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from viz import settings
from viz.dashboard.query import Events
from viz.events.corrections import Corrections
from viz.events.corrections import apply as apply_corrections
from viz.events.ingest import expand
from viz.events.report import LoadReport
from viz.events.store import DatasetStore, StoreError
from viz.geo.cldr import country_label

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
_IDS: dict[tuple, str] = {}
_EVENTS: dict[tuple, Events] = {}
_LOCK = threading.Lock()


def data_paths(argv: Sequence[str]) -> list[Path]:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--data", nargs="+", default=None)
    args, _ = p.parse_known_args(list(argv))
    return [Path(x) for x in args.data] if args.data else [DEMO_DIR]


def signature(paths: Sequence[Path]) -> tuple:
    sig = []
    for f in expand(paths):
        try:
            st = f.stat()
            sig.append((str(f), st.st_size, st.st_mtime_ns))
        except OSError:
            sig.append((str(f), -1, -1))
    return tuple(sig) or tuple(str(p) for p in paths)


def default_dataset(store: DatasetStore, argv: Sequence[str]) -> str:
    """The id of the files given with ``--data`` (or of the demo), added to
    the store once per version of those files."""
    paths = data_paths(argv)
    if settings.load().read_only:  # a read-only server shows what its store holds
        given = store.id_of(paths)
        if store.has(given):
            return given
        if store.ids():
            return store.ids()[0]
        raise StoreError(
            "this server is read-only (VIZ_READ_ONLY) and its store is empty: add datasets before serving it "
            "(python -m viz store add FILES, or store import BUNDLE)"
        )
    sig = (str(store.root), signature(paths))
    with _LOCK:
        ds = _IDS.get(sig)
        if ds is None or not store.has(ds):
            label = "demo" if paths == [DEMO_DIR] else None
            ds = store.add_files(paths, label=label)
            _IDS[sig] = ds
    return ds


def open_dataset(
    store: DatasetStore,
    ds: str,
    corrections: Corrections,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[Events, LoadReport]:
    """The dataset's events to query (:class:`viz.dashboard.query.Events`,
    the saved geocoding corrections joined in) and its load report.  One
    query object per dataset and corrections version, shared by sessions."""
    files, report = store.open(ds, progress=progress)
    key = (str(store.root), ds, tuple(str(f) for f in files), corrections.version())
    with _LOCK:
        hit = _EVENTS.get(key)
        if hit is None:
            hit = Events(files, corrections.all())
            if len(_EVENTS) >= 4:
                _EVENTS.pop(next(iter(_EVENTS)))  # closed when no session holds it any more
            _EVENTS[key] = hit
    return hit, report


def load_dataset(
    store: DatasetStore,
    ds: str,
    corrections: Corrections,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[pd.DataFrame, LoadReport, int]:
    """The dataset's whole frame with the saved geocoding corrections applied,
    its load report and the number of corrected rows (for notebooks and
    small data; the app queries instead, :func:`open_dataset`)."""
    frame, report = store.load(ds, progress=progress)
    fixed, n = apply_corrections(frame, corrections.all())
    return fixed, report, n


@dataclass(frozen=True)
class Options:
    """What a dataset's filters can offer (:meth:`viz.dashboard.query.Events.options`)."""

    actors: list[str]
    countries: list[str]
    types: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> option -> events

    def label(self, kind: str) -> Callable[[str], str]:
        """An option as the filter shows it: with its number of events in the dataset."""
        counts = self.counts.get(kind, {})
        name = country_label if kind == "countries" else str
        return lambda v: f"{name(v)} ({counts[v]:,})" if v in counts else name(v)
