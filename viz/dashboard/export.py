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


def to_csv(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for c in ("date", "date_end"):
        out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False).encode("utf-8")


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
