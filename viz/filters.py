"""Filtering the event frame by a view's typed filters (pure, vectorised).

``apply(frame, filters, time)`` keeps the events that match every filter:
actor (any of, over all actors named), event type, country, geo precision
(any of), an overlap with the date range and with the timeline's selected
range (an episode counts while it lasts), a minimum of fatalities (events
with no figure are kept only when no minimum is set), and free text over the
evidence, places and actors (case-insensitive, literal, every word).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from viz.viewstate import Filters


def _overlaps(frame: pd.DataFrame, start: date | None, end: date | None) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    last = frame["date_end"].fillna(frame["date"])
    if start is not None:
        keep &= (last >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end is not None:
        keep &= (frame["date"] <= pd.Timestamp(end)).to_numpy(dtype=bool, na_value=False)
    return keep


def mask(frame: pd.DataFrame, f: Filters, time: tuple[date, date] | None = None) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    if f.actors:
        actors = frame["actors"].fillna("")
        hit = np.zeros(len(frame), dtype=bool)
        for a in f.actors:
            hit |= actors.str.split("; ").map(lambda xs, a=a: a in xs).to_numpy(dtype=bool)
        keep &= hit
    for col, values in (("event_type", f.types), ("country_code", f.countries), ("geo_precision", f.precisions)):
        if values:
            keep &= frame[col].astype(object).isin(values).to_numpy(dtype=bool)
    keep &= _overlaps(frame, f.date_from, f.date_to)
    if time is not None:
        keep &= _overlaps(frame, *time)
    if f.min_fatalities is not None:
        keep &= (frame["fatalities"] >= f.min_fatalities).to_numpy(dtype=bool, na_value=False)
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


def apply(frame: pd.DataFrame, f: Filters, time: tuple[date, date] | None = None) -> pd.DataFrame:
    return frame[mask(frame, f, time)]
