"""The detail of one event, as plain text lines (rendered inert by the app)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def _v(x: Any) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and x != x) else str(x)


def detail_lines(row: pd.Series) -> list[tuple[str, str]]:
    """(label, value) pairs of everything a reader checks about an event."""
    date = row["date"].strftime("%Y-%m-%d") if pd.notna(row["date"]) else "?"
    if pd.notna(row.get("date_end")):
        date += f" to {row['date_end']:%Y-%m-%d}"
    where = _v(row["place"])
    if _v(row["place_name"]) and _v(row["place_name"]) != where:
        where += f" → {_v(row['place_name'])}"
    if _v(row["country_code"]):
        where += f" ({_v(row['country_code'])})"
    geo = _v(row["geo_precision"]) or "unknown"
    if pd.notna(row.get("geo_score")):
        geo += f", geocoder score {float(row['geo_score']):.2f}"
    if pd.notna(row.get("lat")):
        geo += f", {float(row['lat']):.4f}, {float(row['lon']):.4f}"
    how = {
        "source": "coordinates from the source",
        "gazetteer": "placed by the offline gazetteer",
        "online": "placed by the online geocoder",
        "correction": "placed by your correction (geocoding review)",
    }.get(_v(row.get("geo_source")))
    if how:
        geo += f"; {how}"
    out = [
        ("Date", f"{date} ({_v(row['date_precision']) or 'day'} precision)"),
        ("Type", " / ".join(x for x in (_v(row["event_type"]), _v(row["sub_event_type"])) if x)),
        ("Actors", _v(row["actors"]) or "none named"),
        ("Place", where or "none"),
        ("Located", geo),
        ("Fatalities", _v(row["fatalities"]) or "not reported"),
        ("Source", _v(row["source"]) or "unknown"),
        ("Evidence", _v(row["text"])),
        ("Event id", _v(row["event_id"])),
    ]
    if _v(row.get("source_url")):
        out.insert(7, ("Link", _v(row["source_url"])))
    return out


def evidence_parts(row: pd.Series, frame: pd.DataFrame) -> list[tuple[str, bool]]:
    """The event's evidence cut into (text, is a place) parts: every place
    that the events read from the same sentence of the same source are at
    ("Kidal, Gao and Timbuktu" marks all three), as written.  Plain text
    for the app to render inert; one unmarked part when no place is in it."""
    text = _v(row["text"])
    if not text:
        return []
    same = frame[(frame["text"] == row["text"]) & (frame["source"].fillna("") == _v(row["source"]))]
    places = sorted({p for p in same["place"].dropna().astype(str) if p}, key=len, reverse=True)
    if not places:
        return [(text, False)]
    marks: list[tuple[int, int]] = []
    for p in places:
        start = text.find(p)
        while start >= 0:
            end = start + len(p)
            if not any(a < end and start < b for a, b in marks):
                marks.append((start, end))
            start = text.find(p, end)
    out: list[tuple[str, bool]] = []
    pos = 0
    for a, b in sorted(marks):
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < len(text):
        out.append((text[pos:], False))
    return out
