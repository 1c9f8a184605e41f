"""Geocoding corrections: the user's choice of place for a name, kept and reapplied.

A correction is keyed by the place as written in the data and the country
the load placed it in (empty when it was not resolved), so "Tripoli" placed
in Libya can be moved to Lebanon without touching a "Tripoli" the data says
is in Lebanon.  It applies to every event with that key whose point did not
come with the data (rows with the source's own coordinates are the source's
claim and stay), now and on every later load: the store's frames are kept
uncorrected and :func:`apply` runs on them each time they are shown.
Corrected rows say so: ``geo_source`` is ``correction``.

Saved as one JSON file (``corrections.json`` in the dataset store's folder),
written atomically; the app's geocoding review edits it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from viz import settings
from viz.events.safefile import atomic_write, locked, set_aside
from viz.events.schema import GEO_PRECISIONS

SEP = "\x1f"


@dataclass(frozen=True)
class Correction:
    place: str
    country: str  # the country the load placed it in ("" when unresolved)
    name: str
    lat: float
    lon: float
    country_code: str = ""
    precision: str = "city"
    geonameid: int | None = None
    saved: str = ""

    def __post_init__(self) -> None:
        if not self.place.strip():
            raise ValueError("a correction needs the place name it corrects")
        if not (math.isfinite(self.lat) and -90 <= self.lat <= 90):
            raise ValueError(f"latitude must be between -90 and 90, not {self.lat}")
        if not (math.isfinite(self.lon) and -180 <= self.lon <= 180):
            raise ValueError(f"longitude must be between -180 and 180, not {self.lon}")
        if self.precision not in GEO_PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(GEO_PRECISIONS)}, not {self.precision!r}")

    @property
    def key(self) -> str:
        return self.place + SEP + self.country


FEATURE_PRECISION = {"continent": "country", "region": "country", "online": "city"}


def from_candidate(place: str, country: str, raw: dict) -> Correction:
    """The correction that places ``place`` (as written, in ``country``) at
    a geocoder candidate (a ``Location.raw``)."""
    feature = str(raw.get("feature") or "city")
    return Correction(
        place,
        country,
        name=str(raw["name"]),
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        country_code=str(raw.get("country_code") or ""),
        precision=FEATURE_PRECISION.get(feature, feature if feature in GEO_PRECISIONS else "city"),
        geonameid=raw.get("geonameid"),
    )


class Corrections:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else Path(settings.load().store_dir) / "corrections.json"
        self.notices: list[str] = []  # a damaged file found and set aside, for the app to say

    def all(self) -> list[Correction]:
        """The saved corrections.  A file that is not what this code writes
        (not JSON, not an object, a correction without its fields) is set
        aside with a notice: the corrections start again, nothing else stops."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("corrections", []), list):
                raise ValueError("not an object with a list of corrections")
            return [Correction(**d) for d in data.get("corrections", [])]
        except (ValueError, TypeError) as exc:
            aside = set_aside(self.path)  # a rename: atomic, and callers may hold the lock already
            self.notices.append(
                f"the saved geocoding corrections could not be read ({str(exc)[:80]}); the file was set aside "
                f"as {aside.name} and new corrections start empty"
            )
            return []

    def version(self) -> tuple[int, int]:
        """Changes whenever the file does (for caches)."""
        try:
            st = self.path.stat()
        except OSError:
            return (0, 0)
        return (st.st_mtime_ns, st.st_size)

    def _write(self, items: list[Correction]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": 1, "corrections": [asdict(c) for c in sorted(items, key=lambda c: c.key)]}
        atomic_write(self.path, json.dumps(payload, indent=1, ensure_ascii=False))

    def save(self, c: Correction) -> Correction:
        from viz.events.store import refuse_if_read_only

        refuse_if_read_only("saving geocoding corrections")
        if not c.saved:
            c = Correction(**{**asdict(c), "saved": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
        with locked(self.path):  # read, merge and write under one lock: other processes' saves are kept
            items = [x for x in self.all() if x.key != c.key] + [c]
            self._write(items)
        return c

    def remove(self, place: str, country: str) -> bool:
        from viz.events.store import refuse_if_read_only

        refuse_if_read_only("removing geocoding corrections")
        with locked(self.path):
            items = self.all()
            kept = [x for x in items if x.key != place + SEP + country]
            if len(kept) != len(items):
                self._write(kept)
            return len(kept) != len(items)


def keys(frame: pd.DataFrame) -> pd.Series:
    return frame["place"].fillna("").astype(str) + SEP + frame["country_code"].fillna("").astype(str)


def apply(frame: pd.DataFrame, items: list[Correction]) -> tuple[pd.DataFrame, int]:
    """A copy of ``frame`` with the corrections applied, and how many rows changed."""
    if not items or frame.empty:
        return frame, 0
    by_key = {c.key: c for c in items}
    k = keys(frame)
    hit = k.isin(list(by_key)).to_numpy(dtype=bool) & (frame["geo_source"] != "source").to_numpy(
        dtype=bool, na_value=True
    )
    if not hit.any():
        return frame, 0
    out = frame.copy()
    chosen = [by_key[x] for x in k[hit]]
    idx = out.index[hit]
    out.loc[idx, "lat"] = np.array([c.lat for c in chosen])
    out.loc[idx, "lon"] = np.array([c.lon for c in chosen])
    out.loc[idx, "place_name"] = [c.name for c in chosen]
    out.loc[idx, "country_code"] = [c.country_code or None for c in chosen]
    out.loc[idx, "geo_precision"] = [c.precision for c in chosen]
    out.loc[idx, "geonameid"] = pd.array([c.geonameid for c in chosen], dtype="Int64")
    out.loc[idx, "geo_score"] = pd.NA
    out.loc[idx, "admin1"] = None
    out.loc[idx, "geo_source"] = "correction"
    return out, int(hit.sum())


def review_table(frame: pd.DataFrame, items: list[Correction] = ()) -> pd.DataFrame:  # type: ignore[assignment]
    """Every place name the data placed (or failed to place) by name, with its
    resolution and number of events; unresolved and low-score names first."""
    geocoded = frame[frame["geo_source"].fillna("") != "source"]
    geocoded = geocoded[geocoded["place"].fillna("").astype(str).str.strip() != ""]
    if geocoded.empty:
        return pd.DataFrame(
            columns=[
                "place",
                "country",
                "place_name",
                "lat",
                "lon",
                "geo_precision",
                "geo_score",
                "events",
                "corrected",
            ]
        )
    g = geocoded.assign(country=geocoded["country_code"].fillna("").astype(str))
    table = (
        g.groupby(["place", "country"], dropna=False, observed=True)
        .agg(
            place_name=("place_name", "first"),
            lat=("lat", "first"),
            lon=("lon", "first"),
            geo_precision=("geo_precision", "first"),
            geo_score=("geo_score", "first"),
            events=("event_id", "size"),
        )
        .reset_index()
    )
    saved = {c.key: c for c in items}
    table["corrected"] = [
        (f"→ {saved[k].name} ({saved[k].lat:.4f}, {saved[k].lon:.4f})" if k in saved else "")
        for k in table["place"].astype(str) + SEP + table["country"]
    ]
    table["_unresolved"] = table["lat"].isna()
    table = table.sort_values(
        ["_unresolved", "geo_score", "events"], ascending=[False, True, False], na_position="first"
    ).drop(columns="_unresolved")
    return table.reset_index(drop=True)
