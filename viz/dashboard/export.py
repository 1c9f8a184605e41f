"""Downloads of a selection of events: CSV, GeoJSON and JSON lines.

Pure functions of frames: :func:`to_csv` and :func:`geojson_bytes` of one
frame, and :func:`write` of an iterator of frames (a selection read from
DuckDB a batch at a time), written to a file as they come, so a download of
any size is never a frame in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pandas as pd

FORMATS = {".csv": "text/csv", ".geojson": "application/geo+json", ".jsonl": "application/x-ndjson"}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as JSON-ready records: ISO dates, None for missing."""
    df = frame.copy()
    for c in ("date", "date_end"):
        df[c] = df[c].dt.strftime("%Y-%m-%d")
    df = df.astype(object).where(df.notna(), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in df.to_dict("records")]


# A cell a spreadsheet would read as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """A text cell that a spreadsheet shows as typed: one beginning with a
    formula character gets a leading quote, as OWASP advises."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV (RFC 4180: CRLF rows, so a field holding a bare CR or
    LF is quoted and reads back as one row), ISO dates, and text cells made
    inert for spreadsheets (:func:`inert_cell`; numbers are left as they are)."""
    out = frame.copy()
    for c in ("date", "date_end"):
        if c in out:
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    for c in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_bool_dtype(out[c])):
            out[c] = out[c].map(inert_cell, na_action="ignore")
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_geojson(frame: pd.DataFrame) -> dict[str, Any]:
    """A FeatureCollection: one Point feature per event with coordinates (an
    event without coordinates gets a null geometry, so none is lost)."""
    features = []
    for rec in records(frame):
        lat, lon = rec.pop("lat"), rec.pop("lon")
        geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        features.append({"type": "Feature", "id": rec["event_id"], "geometry": geom, "properties": rec})
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(frame: pd.DataFrame) -> bytes:
    return json.dumps(to_geojson(frame), ensure_ascii=False).encode("utf-8")


def write(frames: Iterable[pd.DataFrame], out: IO[bytes], fmt: str) -> int:
    """The frames one after another into ``out`` as one file of ``fmt``
    (``.csv``, ``.geojson`` or ``.jsonl``, as :data:`FORMATS`): one header, one
    feature collection.  Returns the events written."""
    from viz.events import schema

    if fmt not in FORMATS:
        raise ValueError(f"not an export format: {fmt} (one of {', '.join(FORMATS)})")
    n, parts = 0, 0
    if fmt == ".geojson":
        out.write(b'{"type": "FeatureCollection", "features": [')
    for frame in frames:
        if fmt == ".csv":
            data = to_csv(frame)
            out.write(data if not parts else data.split(b"\r\n", 1)[1])  # the header once
        elif fmt == ".geojson":
            for i, feature in enumerate(to_geojson(frame)["features"]):
                out.write((b", " if n + i else b"") + json.dumps(feature, ensure_ascii=False).encode("utf-8"))
        else:
            out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(frame)).encode("utf-8"))
        n += len(frame)
        parts += 1
    if fmt == ".csv" and not parts:
        out.write(to_csv(schema.empty()))
    if fmt == ".geojson":
        out.write(b"]}")
    return n


def built(frames: Iterable[pd.DataFrame], fmt: str) -> bytes:
    """:func:`write` through a temporary file: the download's bytes, with no
    frame of the whole selection and no second copy of the text on the way."""
    import tempfile

    with tempfile.TemporaryFile() as fh:
        write(frames, fh, fmt)
        fh.seek(0)
        return fh.read()


def write_file(frames: Iterable[pd.DataFrame], path: str | Path, *, fmt: str | None = None) -> int:
    """:func:`write` into the file ``path``, its format ``fmt`` or else from
    its extension."""
    path = Path(path)
    with open(path, "wb") as fh:
        return write(frames, fh, fmt or path.suffix.lower())
