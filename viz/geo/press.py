"""Places the news names that the gazetteer's sources do not list.

Oceans, seas, straits and canals, and the press's regions ("the Middle
East", "the Sahel", "Donbas"), read at build time from the hand-kept
``data/places.tsv``: a region made of countries is placed at the median of
their points (or at the point written after ``@``) and counts their people; any other is placed at the point the
file gives.  Each is a gazetteer region (feature ``region``), so an event at
one is placed at country precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from viz.geo.features import PLACES_FILE, REGION
from viz.geo.sources import Place, median_point
from viz.geo.text import fold


def read_rows(path: Path = PLACES_FILE) -> list[tuple[str, str, str, list[str]]]:
    """(name, where, country, other names) of each line of the file; a line
    that is not one is named in the ValueError."""
    rows: list[tuple[str, str, str, list[str]]] = []
    if not path.exists():
        return rows
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")] + ["", "", ""]
        name, where, country, others = cells[:4]
        if not name or not where:
            raise ValueError(f"{path.name}, line {n}: a name and where it is are needed")
        rows.append((name, where, country.upper(), [o.strip() for o in others.split("|") if o.strip()]))
    return rows


def _point(where: str) -> tuple[float, float] | None:
    lat, sep, lon = where.partition(",")
    try:
        return (float(lat), float(lon)) if sep else None
    except ValueError:
        return None


def build_press_places(countries: Iterable[Place], held: set[str], path: Path = PLACES_FILE) -> list[Place]:
    """The file's places.  ``held``: folded names the gazetteer already
    gives a country, continent or world region; such a name is left to it
    (a name a province or a town also bears is kept: the ranking and the
    document's context choose between them)."""
    by_iso = {c.cc: c for c in countries}
    out = []
    for name, where, country, others in read_rows(path):
        names = [x for x in [name, *others] if fold(x) not in held]
        if not names:
            continue
        where, _, at = where.partition("@")  # "AT BE ... @49.84,9.90": its members, and a point of its own
        point = _point(where.strip())
        population = 0
        if point is None:
            members = [by_iso[c] for c in where.split() if c in by_iso]
            if len(members) < 2:
                raise ValueError(f"{path.name}: {name}: {where!r} is neither lat,lon nor two country codes")
            point = _point(at.strip()) if at.strip() else median_point(members)
            if point is None:
                raise ValueError(f"{path.name}: {name}: {at!r} after '@' is not lat,lon")
            population = sum(m.population for m in members)
        lat, lon = point
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{path.name}: {name}: {where!r} is off the globe")
        # an other name in capitals ("EU") is an acronym: matched only when typed so
        acronyms = [x for x in names[1:] if _acronym(x)]
        out.append(
            Place(
                name=names[0], lat=lat, lon=lon, cc=country, feature=REGION, population=population,
                names=[x for x in names[1:] if not _acronym(x)], acronyms=acronyms,
            )
        )  # fmt: skip
    return out


def _acronym(name: str) -> bool:
    return 2 <= len(name) <= 6 and name.isalpha() and name.isupper()
