"""Data for the app: which files to show, loaded once per content.

``streamlit run app.py -- --data PATH [PATH ...]`` shows the user's files
(any format :func:`viz.ingest.load` reads); without it, the bundled demo.
A load is kept in memory under the files' names, sizes and modification
times, so a rerun does not read them again and a changed file is re-read.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from viz.ingest import expand, load
from viz.report import LoadReport

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
_CACHE: dict[tuple, tuple[pd.DataFrame, LoadReport]] = {}
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


def cached(sig: tuple) -> tuple[pd.DataFrame, LoadReport] | None:
    return _CACHE.get(sig)


def load_paths(
    paths: Sequence[Path], sig: tuple, progress: Callable[[float, str], None] | None = None
) -> tuple[pd.DataFrame, LoadReport]:
    with _LOCK:
        hit = _CACHE.get(sig)
        if hit is None:
            hit = load(paths, progress=progress)
            _CACHE[sig] = hit
        return hit


def date_bounds(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    d = frame["date"].dropna()
    return (d.min().normalize(), d.max().normalize()) if len(d) else None
