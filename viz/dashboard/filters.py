"""Filtering the event frame by a view's typed filters (pure, vectorised).

``apply(frame, filters, time)`` keeps the events that match every filter:
actor (any of, over all actors named), event type, country, geo precision
(any of), an overlap with the date range and with the timeline's selected
range (an episode counts while it lasts), a minimum of fatalities (events
with no figure are kept only when no minimum is set), and free text over the
evidence, places and actors (case-insensitive, literal, every word), and
the area selected on the map (a polygon, :mod:`viz.dashboard.area`).  Linked views
leave out their own selection: the map is not filtered by its area, the
timeline not by its time range.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from viz.dashboard.area import Polygon, contains
from viz.dashboard.viewstate import Filters


def _overlaps(frame: pd.DataFrame, start: date | None, end: date | None) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    last = frame["date_end"].fillna(frame["date"])
    if start is not None:
        keep &= (last >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end is not None:
        keep &= (frame["date"] <= pd.Timestamp(end)).to_numpy(dtype=bool, na_value=False)
    return keep


def area_mask(frame: pd.DataFrame, polygon: Polygon | None) -> np.ndarray:
    """Rows whose point lies in ``polygon`` (all rows when there is none)."""
    if not polygon:
        return np.ones(len(frame), dtype=bool)
    lon = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    lat = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    return contains(polygon, lon, lat)


def mask(frame: pd.DataFrame, f: Filters, time: tuple[date, date] | None = None, *, area: bool = True) -> np.ndarray:
    """Which rows pass; ``area=False`` leaves out the map's area filter (the
    map itself shows everything the other filters keep)."""
    keep = np.ones(len(frame), dtype=bool)
    if f.actors:
        # one of the "; "-joined names, whole: "Russia" does not match "Russian forces"
        alternatives = "|".join(re.escape(a) for a in f.actors)
        pattern = rf"(?:^|; )(?:{alternatives})(?:; |$)"
        keep &= frame["actors"].fillna("").str.contains(pattern, regex=True).to_numpy(dtype=bool)
    for col, values in (("event_type", f.types), ("country_code", f.countries), ("geo_precision", f.precisions)):
        if values:
            keep &= frame[col].astype(object).isin(values).to_numpy(dtype=bool)
    keep &= _overlaps(frame, f.date_from, f.date_to)
    if time is not None:
        keep &= _overlaps(frame, *time)
    if f.min_fatalities is not None:
        keep &= (frame["fatalities"] >= f.min_fatalities).to_numpy(dtype=bool, na_value=False)
    if area and f.area:
        keep &= area_mask(frame, f.area)
    words = f.text.casefold().split()
    if words:
        hay = (
            frame["text"].fillna("")
            + " "
            + frame["place"].fillna("")
            + " "
            + frame["place_name"].fillna("")
            + " "
            + frame["actors"].fillna("")
        ).str.casefold()
        for w in words:
            keep &= hay.str.contains(w, regex=False).to_numpy(dtype=bool)
    return keep


def apply(frame: pd.DataFrame, f: Filters, time: tuple[date, date] | None = None, *, area: bool = True) -> pd.DataFrame:
    return frame[mask(frame, f, time, area=area)]
