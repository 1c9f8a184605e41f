"""Bulk geocoding: a column or a corpus in one process, at index speed.

For a name asked with no country hint and no context, the ranking depends on
the name alone.  :class:`Verbatim` holds the answer to every name of the
gazetteer as written, each computed once by the full one-query path, and its
JSON line: a query spelt so is one dict lookup (and, for ``--jsonl``, a slice
of that line's bytes).  :class:`Defaults` computes, vectorised over every
key of the index, the answer the full ranking would give each folded key; a
batch of other spellings is then folded, hashed and looked up with one
``searchsorted``.  Both are computed once per index and code, and kept beside
the index.  Keys naming a region or a country and a city alike are
ranked the full way once, when the defaults are computed (the name-sharing
rules need it).  Acronym keys (they match only a query in capitals),
abbreviations ("Calif."), and queries with a hint, a context, a region or
district word, or an article the precomputed keys lack go through the full
:class:`GazetteerGeocoder` path, so both give the same answers
(``tests/test_bulk.py`` checks it).
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from geopy.exc import GeopyError

from viz.geo import gazetteer as gazetteer_module
from viz.geo import geocoder as geocoder_module
from viz.geo import names as names_module
from viz.geo import ranking
from viz.geo.features import ADMIN1, ADMIN2, CITY, COUNTRY, FEATURES
from viz.geo.gazetteer import Gazetteer, Match
from viz.geo.geocoder import GazetteerGeocoder
from viz.geo.names import ABBREVIATED, CAPITALS_ONLY, PRIMARY, QUALITY, key_hash, qualified_part, query_key, query_keys
from viz.geo.ranking import CAPITAL_PRIOR, W_QUALITY, Ranked, Ranker, capital_not_owned, name_quality
from viz.geo.text import fold, strip_articles


@dataclass
class Defaults:
    place: np.ndarray  # best place of each key
    score: np.ndarray  # its score, as Ranker.rank would give it
    kind: np.ndarray  # its posting kind
    full: np.ndarray  # True where only the full path gives the right answer (acronyms)

    @classmethod
    def compute(cls, gz: Gazetteer, ranker: Ranker) -> Defaults:
        t = gz.keys
        off = np.asarray(t.off)
        kinds = np.asarray(t.kind)
        places = np.asarray(t.place).astype(np.int64)
        starts = off[:-1]
        counts = np.diff(off)
        key_of = np.repeat(np.arange(len(starts)), counts)
        quality = np.zeros(max(QUALITY) + 1)
        for k, q in QUALITY.items():
            quality[k] = q
        prior = ranker.prior(np.arange(len(gz)))
        feat = gz.feature[places]
        has = lambda mask: np.maximum.reduceat(mask.astype(np.int8), starts).astype(bool)  # noqa: E731
        owners = (kinds == PRIMARY) & (feat == CITY)  # towns whose own name the key is
        owned = has(owners)[key_of]
        qual = np.where(owned, quality[kinds], name_quality(kinds, quality[kinds], owned=False))
        logit = W_QUALITY * qual + prior[places]
        pop = np.asarray(gz.pop)[places]
        owner_pop = np.maximum.reduceat(np.where(owners, pop, 0), starts)[key_of]
        capital = np.asarray(gz.capital, dtype=bool)[places]
        logit -= CAPITAL_PRIOR * capital_not_owned(kinds, feat, capital, pop, owner_pop)
        best = np.maximum.reduceat(logit, starts)
        at_best = np.flatnonzero(logit == best[key_of])
        _, first = np.unique(key_of[at_best], return_index=True)
        pos = at_best[first]
        share = 1.0 / np.add.reduceat(np.exp(logit - best[key_of]), starts)
        regions = has(feat == ADMIN1) | has(feat == ADMIN2) | has(feat == COUNTRY)
        acronym = has(np.isin(kinds, CAPITALS_ONLY))
        best_place, best_score, best_kind = places[pos].astype(np.int32), share * qual[pos], kinds[pos]
        # Where a region or a country shares the name with a city, the answer
        # follows the full ranking's name-sharing rules: rank those keys the
        # full way once, here, with their postings as the lookup would give them.
        # (Acronyms stay on the full path: they match only a query in capitals.)
        for k in np.flatnonzero(regions & has(feat == CITY) & ~acronym).tolist():
            a, b = int(starts[k]), int(starts[k]) + int(counts[k])
            matches = [
                Match(int(p), QUALITY[max(int(kd), PRIMARY)], max(int(kd), PRIMARY), "")
                for p, kd in zip(places[a:b].tolist(), kinds[a:b].tolist(), strict=True)
            ]
            ranked = ranker.rank(matches)
            if ranked:
                best_place[k], best_score[k], best_kind[k] = ranked[0].place, ranked[0].score, ranked[0].match.kind
            else:
                acronym[k] = True  # nothing good enough: let the full path say "not found"
        return cls(best_place, best_score, best_kind, acronym)


@dataclass
class Verbatim:
    """The answers to the gazetteer's own names as written ("Saraqib",
    "Ra's al 'Ayn"), each computed once by the full one-query path, so a
    query spelled as a place's name needs neither folding nor ranking: one
    dict lookup.  Other spellings take the folded path."""

    names: np.ndarray  # the distinct names, UTF-8, NUL-separated
    place: np.ndarray  # the answer's place, -1 where nothing is found
    score: np.ndarray
    name_of: np.ndarray  # each place's name, as its position in ``names``
    lat: np.ndarray  # each place's point, rounded as answers give it
    lon: np.ndarray
    fields: np.ndarray  # each place's answer as JSON members, UTF-8, from fields_at[p] to fields_at[p + 1]
    fields_at: np.ndarray
    lines: np.ndarray  # each name's whole answer as a JSON line (empty where not found), UTF-8
    lines_at: np.ndarray

    @classmethod
    def compute(cls, gz: Gazetteer, candidates: Callable[[str], list[Ranked]], defaults: Defaults) -> Verbatim:
        all_names = [gz.names[i] for i in range(len(gz))]
        position = {n: j for j, n in enumerate(dict.fromkeys(all_names))}
        names = list(position)
        name_of = np.fromiter((position[n] for n in all_names), dtype=np.int32, count=len(all_names))
        # Folded keys with an article ("ras al ayn"): queries spelt any way
        # that folds to them are answered alike, and without the full path.
        for name in list(names):
            k = fold(name)
            if k in position or not _article_key(gz, k):
                continue
            position[k] = len(names)
            names.append(k)
        place = np.full(len(names), -1, dtype=np.int32)
        score = np.zeros(len(names), dtype=np.float64)
        fast = _fold_path(gz, defaults, names)
        for j, name in enumerate(names):
            hit = fast[j]
            if hit is not None:
                place[j], score[j] = hit
                continue
            ranked = candidates(name)
            if ranked:
                place[j], score[j] = ranked[0].place, ranked[0].score
        blob = "\0".join(names).encode("utf-8")
        score = np.array([round(x, 4) for x in score.tolist()])
        lat = np.array([round(x, 5) for x in np.asarray(gz.lat, dtype=np.float64).tolist()])
        lon = np.array([round(x, 5) for x in np.asarray(gz.lon, dtype=np.float64).tolist()])
        # Each place's answer as JSON text (``,"name":...,"geonameid":...``):
        # the bulk CLI writes a line as the query, these and the score.
        fields = [
            b"," + orjson.dumps(row)[1:-1]
            for row in _place_rows(gz, np.arange(len(gz)), lat, lon, [names[j] for j in name_of.tolist()])
        ]
        # ... and each name's whole answer line, the query being the name
        lines = [
            b'{"query":' + orjson.dumps(n) + fields[p] + b',"score":' + orjson.dumps(sc) + b"}" if p >= 0 else b""
            for n, p, sc in zip(names, place.tolist(), score.tolist(), strict=True)
        ]
        return cls(
            np.frombuffer(blob, dtype=np.uint8), place, score, name_of, lat, lon, *_texts(fields), *_texts(lines)
        )

    def lookup(self) -> tuple[dict[str, int], list[str]]:
        names = self.names.tobytes().decode("utf-8").split("\0")
        return dict(zip(names, range(len(names)), strict=True)), names


def _texts(parts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Byte strings as one array of their bytes and their offsets."""
    at = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in parts], out=at[1:])
    return np.frombuffer(b"".join(parts), dtype=np.uint8), at


def _bytes(a: np.ndarray) -> tuple[bytes | mmap.mmap, int]:
    """An array of bytes as an object whose slices are ``bytes``, and where
    the array starts in it: for an array loaded memory-mapped, its file,
    mapped (only the pages read are loaded), after the header."""
    if isinstance(a, np.memmap) and a.filename:
        with open(a.filename, "rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), a.offset
    return a.tobytes(), 0


def _place_rows(
    gz: Gazetteer, ps: np.ndarray, lat: np.ndarray, lon: np.ndarray, names: list[str]
) -> list[dict[str, Any]]:
    """The answer fields of places ``ps`` (all but query and score), gathered
    for the whole batch at once; ``names`` are theirs, in the same order."""
    return [
        {
            "name": n,
            "lat": la,
            "lon": lo,
            "country_code": cc,
            "feature": FEATURES[f],
            "geonameid": g if g >= 0 else None,
        }
        for n, la, lo, cc, f, g in zip(
            names,
            lat[ps].tolist(),  # rounded as the one-query path rounds
            lon[ps].tolist(),
            np.char.decode(np.asarray(gz.cc[ps]), "ascii").tolist(),
            np.asarray(gz.feature[ps]).tolist(),
            np.asarray(gz.geonameid[ps]).tolist(),
            strict=True,
        )
    ]


def _article_key(gz: Gazetteer, key: str) -> bool:
    """A folded key with an article whose answer depends on the key alone:
    no region word, no leading "the", nothing only capitals match."""
    if not key:
        return False
    qk, admin_hint = query_key(key)
    stripped = strip_articles(key)
    if admin_hint or qk != key or not stripped:
        return False
    return not any(np.isin(gz.keys.get(k)[1], CAPITALS_ONLY).any() for k in (key, stripped))


def _fold_path(
    gz: Gazetteer, d: Defaults, queries: list[str], answers: tuple[dict[str, int], Verbatim] | None = None
) -> list[tuple[int, float] | None]:
    """(place, score) for plain queries by their folded key (and for keys
    with an article, from ``answers``); None where the full path must answer
    (a hint word, an abbreviation, an acronym key, a key the index lacks)."""
    keys: list[str] = []
    ok: list[bool] = []
    out: list[tuple[int, float] | None] = [None] * len(queries)
    for i, q in enumerate(queries):
        key, admin_hint, full = query_keys(q)
        # (a leading "the" taken off: the whole may name a place of its own)
        plain = bool(key) and not admin_hint and full == key
        if plain and q.rstrip().endswith(".") and ABBREVIATED.match(q.strip()):
            plain = False  # "Calif.": the full path knows abbreviations
        if plain and key[0] in "nsewc" and qualified_part(key)[1]:
            plain = False  # "southern lebanon": a part of a place, which the full path weighs
        if plain and strip_articles(key):
            plain = False  # an article: the precomputed answers may know the key
            j = answers[0].get(key) if answers is not None else None
            if j is not None and answers is not None and answers[1].place[j] >= 0:
                out[i] = (int(answers[1].place[j]), float(answers[1].score[j]))
        keys.append(key)
        ok.append(plain)
    if not queries:
        return out
    hashes = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
    pos = np.searchsorted(gz.keys.hash, hashes)
    pos = np.minimum(pos, len(gz.keys.hash) - 1)
    hit = gz.keys.hash[pos] == hashes
    plain_hit = np.fromiter(ok, dtype=bool, count=len(ok)) & hit & ~d.full[pos]
    sel = np.flatnonzero(plain_hit)
    places = d.place[pos[sel]].tolist()
    scores = np.asarray(d.score[pos[sel]], dtype=np.float64).tolist()
    for i, p, sc in zip(sel.tolist(), places, scores, strict=True):
        out[i] = (p, sc)
    return out


class BulkGeocoder:
    """Geocode many queries; answers equal :meth:`GazetteerGeocoder.geocode`'s."""

    def __init__(self, geocoder: GazetteerGeocoder | Any) -> None:
        self.geocoder = geocoder
        self.gazetteer_geocoder = geocoder if isinstance(geocoder, GazetteerGeocoder) else geocoder.primary
        self._defaults: Defaults | None = None
        self._verbatim: tuple[dict[str, int], list[str]] | None = None
        self._verbatim_answers: Verbatim | None = None
        self._texts: tuple[bytes | mmap.mmap, int, bytes | mmap.mmap, int] | None = None

    @property
    def defaults(self) -> Defaults:
        """Computed once (~0.3 s, plus the full ranking of the keys that
        need it) and kept beside the index, under a name that changes with
        the ranking, matching and bulk code, so later processes load it."""
        if self._defaults is None:
            self._load()
        assert self._defaults is not None
        return self._defaults

    @property
    def verbatim(self) -> tuple[dict[str, int], list[str], Verbatim]:
        """The names as written (name -> position), the names, their answers."""
        if self._verbatim is None or self._verbatim_answers is None:
            self._load()
            assert self._verbatim_answers is not None
            self._verbatim = self._verbatim_answers.lookup()
        return self._verbatim[0], self._verbatim[1], self._verbatim_answers

    def _load(self) -> None:
        """The precomputed answers: a folder of NumPy arrays beside the index,
        opened memory-mapped (only the pages a batch touches are read), named
        after the code that computes them; computed when missing."""
        gc = self.gazetteer_geocoder
        code_hash = hashlib.blake2b(digest_size=6)
        for module in (ranking, gazetteer_module, names_module, geocoder_module):
            code_hash.update(Path(str(module.__file__)).read_bytes())
        code_hash.update(Path(__file__).read_bytes())
        folder = gc.gazetteer.path / f"bulk-{code_hash.hexdigest()}"
        d_fields, v_fields = list(Defaults.__dataclass_fields__), list(Verbatim.__dataclass_fields__)
        try:
            read = lambda name: np.load(folder / f"{name}.npy", mmap_mode="r")  # noqa: E731
            self._defaults = Defaults(*(read(f"d_{k}") for k in d_fields))
            self._verbatim_answers = Verbatim(*(read(f"v_{k}") for k in v_fields))
            return
        except (OSError, ValueError):
            pass
        self._defaults = Defaults.compute(gc.gazetteer, gc.ranker)
        self._verbatim_answers = Verbatim.compute(gc.gazetteer, gc.candidates, self._defaults)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=".bulk-", dir=gc.gazetteer.path))
            for prefix, obj in (("d", self._defaults), ("v", self._verbatim_answers)):
                for k, a in vars(obj).items():
                    np.save(tmp / f"{prefix}_{k}.npy", np.asarray(a))
            for old in [*gc.gazetteer.path.glob("bulk-*"), *gc.gazetteer.path.glob("defaults-*.npz")]:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            os.replace(tmp, folder)
        except OSError:
            pass  # a read-only index: compute each time

    def _answers(self, queries: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The place (-1 where the full path must answer) and score of each
        plain query, from the precomputed answers, and which precomputed name
        it is as written (-1 for other spellings)."""
        gz = self.gazetteer_geocoder.gazetteer
        lookup, _, verbatim = self.verbatim
        # a place's name as written: its answer is known
        at = np.fromiter(map(lookup.get, queries, itertools.repeat(-1)), dtype=np.int64, count=len(queries))
        places = np.where(at >= 0, verbatim.place[np.maximum(at, 0)], -1)
        scores = np.where(at >= 0, verbatim.score[np.maximum(at, 0)], 0.0)
        # other spellings: by their folded key
        rest = np.flatnonzero(places < 0).tolist()
        if rest:
            sub = [queries[i] for i in rest]
            for i, hit in zip(rest, _fold_path(gz, self.defaults, sub, (lookup, verbatim)), strict=True):
                if hit is not None:
                    places[i], scores[i] = hit[0], round(hit[1], 4)
                at[i] = -1
        return at, places, scores

    def _fast(self, queries: list[str]) -> list[dict[str, Any] | None]:
        """Answers for plain queries; None where the full path must answer."""
        out: list[dict[str, Any] | None] = [None] * len(queries)
        if not queries:
            return out
        _, places, scores = self._answers(queries)
        idx = np.flatnonzero(places >= 0)
        _, all_names, verbatim = self.verbatim
        ps = places[idx]
        names = [all_names[n] for n in verbatim.name_of[ps].tolist()]
        rows = _place_rows(self.gazetteer_geocoder.gazetteer, ps, verbatim.lat, verbatim.lon, names)
        for i, row, sc in zip(idx.tolist(), rows, scores[idx].tolist(), strict=True):
            out[i] = {"query": queries[i], **row, "score": sc}
        return out

    def json_rows(self, queries: list[str]) -> list[bytes | None]:
        """:meth:`_fast` as JSON text, without building a dict: a name as
        written is answered by its precomputed line; another spelling by the
        query, the place's precomputed fields and the score, joined."""
        out: list[bytes | None] = [None] * len(queries)
        if not queries:
            return out
        at, places, scores = self._answers(queries)
        verbatim = self.verbatim[2]
        if self._texts is None:
            self._texts = (*_bytes(verbatim.lines), *_bytes(verbatim.fields))
        lines, lines_base, fields, fields_base = self._texts
        idx = np.flatnonzero(at >= 0).tolist()
        if idx:
            j = at[idx]
            starts = (verbatim.lines_at[j] + lines_base).tolist()
            ends = (verbatim.lines_at[j + 1] + lines_base).tolist()
            for i, a, b in zip(idx, starts, ends, strict=True):
                out[i] = lines[a:b]
        idx = np.flatnonzero((at < 0) & (places >= 0)).tolist()
        if idx:
            ps = places[idx]
            starts = (verbatim.fields_at[ps] + fields_base).tolist()
            ends = (verbatim.fields_at[ps + 1] + fields_base).tolist()
            dumps = orjson.dumps
            qs = list(map(dumps, [queries[i] for i in idx]))
            ss = list(map(dumps, scores[idx].tolist()))
            join, head, mid, end = b"".join, b'{"query":', b',"score":', b"}"
            for i, q, a, b, sc in zip(idx, qs, starts, ends, ss, strict=True):
                out[i] = join((head, q, fields[a:b], mid, sc, end))
        return out

    def geocode_many(self, items: Iterable[dict[str, Any]], *, batch: int = 4096) -> Iterator[dict[str, Any] | None]:
        """For each ``{"query", "country_codes"?, "context"?}``: the JSON row of
        the best match (``query name lat lon country_code feature geonameid
        score``), None when not found, or ``{"query", "error"}`` when an
        online provider failed (a failure is not "not found")."""
        buf: list[dict[str, Any]] = []
        for item in items:
            buf.append(item)
            if len(buf) >= batch:
                yield from self.geocode_list(buf)
                buf = []
        if buf:
            yield from self.geocode_list(buf)

    def geocode_list(self, items: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """:meth:`geocode_many` of a list, as one list."""
        plain = [i for i, it in enumerate(items) if len(it) == 1 or not (it.get("country_codes") or it.get("context"))]
        rows: list[dict[str, Any] | None] = [None] * len(items)
        for i, row in zip(plain, self._fast([items[i]["query"] for i in plain]), strict=True):
            rows[i] = row
        for i, it in enumerate(items):
            if rows[i] is not None:
                continue
            # not plain, or a name only the full ranking answers
            try:
                loc = self.geocoder.geocode(
                    it["query"], country_codes=it.get("country_codes"), context=it.get("context")
                )
            except GeopyError as exc:  # a provider failure is not "not found"
                rows[i] = {"query": it["query"], "error": str(exc)}
                continue
            assert loc is None or not isinstance(loc, list)
            rows[i] = None if loc is None else row_of(loc.raw, it["query"])
        return rows


JSON_FIELDS = ("query", "name", "lat", "lon", "country_code", "feature", "geonameid", "score")


def row_of(raw: dict[str, Any], query: str) -> dict[str, Any]:
    out = {k: raw.get(k) for k in JSON_FIELDS}
    out["query"] = query
    return out
