"""The event frame: one documented schema for every source.

``COLUMNS`` declares each column once, with its pandas dtype and meaning; the
README's table is generated from it (``python -m viz schema``).  ``empty()``
and ``conform()`` give every frame the same columns, order and dtypes, and
``event_ids()`` gives rows stable ids: the same rows in give the same ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "str", "Stable id: a hash of the source and the row's content (same rows, same ids)."),
    Column("date", "datetime64[ns]", "Start date of the event (or the day the source reports it)."),
    Column("date_end", "datetime64[ns]", "End date for an episode over several days; empty for a single day."),
    Column("date_precision", "category", "How precise `date` is: day, week, month or year."),
    Column(
        "event_type",
        "category",
        "ACLED-like type: battle, explosions/remote violence, violence against "
        "civilians, protest, riot, strategic development, agreement/diplomacy, statement, other.",
    ),
    Column("sub_event_type", "str", "Finer type where the source gives one (ACLED sub-event, CAMEO code, ...)."),
    Column("actor1", "str", "The main actor."),
    Column("actor2", "str", "The other side, target or counterpart."),
    Column("actors", "str", "Every actor named, joined with `; `."),
    Column("place", "str", "The place as written in the source."),
    Column("place_name", "str", "The place as resolved (gazetteer name), empty when not resolved."),
    Column("lat", "Float64", "Latitude, WGS84; empty when the place could not be resolved."),
    Column("lon", "Float64", "Longitude, WGS84; empty when the place could not be resolved."),
    Column("country_code", "str", "ISO 3166-1 alpha-2 code of the place."),
    Column("admin1", "str", "First-level region of the place."),
    Column(
        "geo_precision",
        "category",
        "What the point stands for: exact, city, admin2 (county, district), admin1 or country.",
    ),
    Column("geonameid", "Int64", "GeoNames id of the resolved place, where it has one."),
    Column("geo_score", "Float64", "Geocoder's score (0-1); empty where the source gave coordinates."),
    Column(
        "geo_source",
        "str",
        "How the point was found: `source` (coordinates in the data), `gazetteer`, `online` or `correction` "
        "(saved in the app's geocoding review); empty when the place was not resolved.",
    ),
    Column("fatalities", "Int64", "Reported fatalities; empty when not reported."),
    Column("source", "str", "Who reported it (outlet, dataset, file)."),
    Column("source_url", "str", "Link to the report, where there is one."),
    Column("text", "str", "The evidence: the source's note or the sentence the event was read from."),
)
NAMES = [c.name for c in COLUMNS]
# The years a date column (datetime64[ns]) can hold, for readers and links alike.
FIRST_DAY, LAST_DAY = date(1678, 1, 1), date(2261, 12, 31)
EVENT_TYPES = (
    "battle",
    "explosions/remote violence",
    "violence against civilians",
    "protest",
    "riot",
    "strategic development",
    "agreement/diplomacy",
    "statement",
    "other",
)
DATE_PRECISIONS = ("day", "week", "month", "year")
GEO_PRECISIONS = ("exact", "city", "admin2", "admin1", "country")


def empty() -> pd.DataFrame:
    return conform(pd.DataFrame({c.name: [] for c in COLUMNS}))


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the schema's columns, in order, with its dtypes
    (missing columns are added empty)."""
    out = pd.DataFrame(index=df.index)
    for c in COLUMNS:
        s = df[c.name] if c.name in df.columns else pd.Series(None, index=df.index, dtype="object")
        if c.dtype.startswith("datetime"):
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]")
        elif c.dtype == "category":
            cats = {"event_type": EVENT_TYPES, "date_precision": DATE_PRECISIONS, "geo_precision": GEO_PRECISIONS}
            s = pd.Categorical(s.astype("object").where(s.notna(), None), categories=cats[c.name])
        elif c.dtype in ("Float64", "Int64"):
            s = pd.to_numeric(s, errors="coerce")
            if c.dtype == "Int64":
                s = s.round()
            s = s.astype(c.dtype)
        elif s.dtype != "str":
            s = s.astype("str")
        out[c.name] = s
    return out.reset_index(drop=True)


def event_ids(source: str, rows: list[tuple]) -> list[str]:
    """Stable ids from a source label and each row's content; a row repeated
    within the source gets ``~2``, ``~3`` ... after its id."""
    seen: Counter[str] = Counter()
    out = []
    for row in rows:
        h = hashlib.blake2b(digest_size=8)
        h.update(source.encode("utf-8"))
        for v in row:
            h.update(b"\x1f")
            h.update(("" if v is None or (isinstance(v, float) and v != v) else str(v)).encode("utf-8"))
        base = h.hexdigest()
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}~{seen[base]}")
    return out


def markdown_table() -> str:
    lines = ["| column | type | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{c.name}` | {c.dtype} | {c.meaning} |" for c in COLUMNS]
    return "\n".join(lines)
