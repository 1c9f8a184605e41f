"""Downloads of a selection of events: CSV and GeoJSON (pure functions)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd


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
