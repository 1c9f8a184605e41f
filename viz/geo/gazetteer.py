"""The embedded gazetteer: a compact on-disk index and its lookups.

The index is a folder of NumPy arrays opened memory-mapped, so a ready
gazetteer costs a few milliseconds to open and only the pages a lookup touches
are read.  It is built once from the sources by :mod:`viz.geo.build`
(``python -m viz gazetteer build``) and rebuilt when their versions, or the
code that builds it, change (:func:`viz.geo.features.index_is_current`).

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

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viz.geo.features import (
    ADMIN1,
    ADMIN2,
    CITY,
    FEATURES,
    default_index_dir,
    index_is_current,
)
from viz.geo.names import (
    ABBREVIATED,
    ABBREVIATION,
    ALTERNATE,
    ARTICLE,
    CAPITALS_ONLY,
    CORE,
    DEMONYM,
    FUZZY,
    FUZZY_MIN_RATIO,
    PART,
    PART_TOWN_POPULATION,
    PRIMARY,
    QUALITY,
    SKELETON,
    SKELETON_MIN_RATIO,
    WHOLES,
    abbreviates,
    key_hash,
    local_core,
    qualified_part,
    query_keys,
    trigram_code,
)
from viz.geo.text import fold, skeleton, strip_articles, trigrams


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
            from viz.geo.build import build_index  # the build's sources are read only when needed

            build_index(path)
        try:
            return cls(path)
        except (ValueError, OSError, EOFError, KeyError) as exc:  # an array cut short or damaged on disk
            if not build:
                raise IndexMissing(f"the gazetteer index at {path} is damaged ({exc}): rebuild it") from exc
            from viz.geo.build import build_index

            warnings.warn(f"the gazetteer index was damaged ({exc}); rebuilding it", stacklevel=2)
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
                if town or feat in WHOLES:
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
        grams = sorted({trigram_code(t) for t in trigrams(key)})
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


__all__ = ["Gazetteer", "Match", "IndexMissing", "default_index_dir"]
