"""Bulk geocoding: a column or a corpus in one process, at index speed.

For a name asked with no country hint and no context, the ranking depends on
the name alone.  :class:`Defaults` computes, once per process and vectorised
over every key of the index, the answer the full ranking would give each key;
a batch of plain queries is then folded, hashed and looked up with one
``searchsorted``.  Keys naming a region or a country and a city alike are
ranked the full way once, when the defaults are computed (the name-sharing
rules need it).  Acronym keys (they match only a query in capitals) and
queries with a hint, a context, an article or a region word go through the
full :class:`GazetteerGeocoder` path, so both give the same answers
(``tests/test_bulk.py`` checks it).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from geopy.exc import GeopyError

from viz import gazetteer as gazetteer_module
from viz import ranking
from viz.gazetteer import ABBREVIATED, ACRONYM, PRIMARY, QUALITY, Gazetteer, Match, key_hash, query_key
from viz.geocoder import GazetteerGeocoder
from viz.ranking import W_QUALITY, Ranker, name_quality
from viz.sources import ADMIN1, ADMIN2, CITY, COUNTRY, FEATURES
from viz.text import strip_articles


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
        owned = has((kinds == PRIMARY) & (feat == CITY))[key_of]
        q = np.where(owned, quality[kinds], name_quality(kinds, quality[kinds], owned=False))
        logit = W_QUALITY * q + prior[places]
        best = np.maximum.reduceat(logit, starts)
        at_best = np.flatnonzero(logit == best[key_of])
        _, first = np.unique(key_of[at_best], return_index=True)
        pos = at_best[first]
        share = 1.0 / np.add.reduceat(np.exp(logit - best[key_of]), starts)
        regions = has(feat == ADMIN1) | has(feat == ADMIN2) | has(feat == COUNTRY)
        acronym = has(kinds == ACRONYM)
        best_place, best_score, best_kind = places[pos].astype(np.int32), share * q[pos], kinds[pos]
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


class BulkGeocoder:
    """Geocode many queries; answers equal :meth:`GazetteerGeocoder.geocode`'s."""

    def __init__(self, geocoder: GazetteerGeocoder | Any) -> None:
        self.geocoder = geocoder
        self.gazetteer_geocoder = geocoder if isinstance(geocoder, GazetteerGeocoder) else geocoder.primary
        self._defaults: Defaults | None = None

    @property
    def defaults(self) -> Defaults:
        """Computed once (~0.3 s, plus the full ranking of the keys that
        need it) and kept beside the index, under a name that changes with
        the ranking, matching and bulk code, so later processes load it."""
        if self._defaults is None:
            gc = self.gazetteer_geocoder
            code_hash = hashlib.blake2b(digest_size=6)
            for path_ in (ranking.__file__, gazetteer_module.__file__, __file__):
                code_hash.update(Path(str(path_)).read_bytes())
            code = code_hash.hexdigest()
            path = gc.gazetteer.path / f"defaults-{code}.npz"
            try:
                with np.load(path) as z:
                    self._defaults = Defaults(z["place"], z["score"], z["kind"], z["full"])
            except (OSError, KeyError, ValueError):
                self._defaults = Defaults.compute(gc.gazetteer, gc.ranker)
                try:
                    for old in gc.gazetteer.path.glob("defaults-*.npz"):
                        old.unlink()
                    tmp = path.with_suffix(".tmp.npz")
                    np.savez(tmp, **vars(self._defaults))
                    os.replace(tmp, path)
                except OSError:
                    pass  # a read-only index: compute each time
        return self._defaults

    def _fast(self, queries: list[str]) -> list[dict[str, Any] | None]:
        """Answers for plain queries; None where the full path must answer."""
        gc = self.gazetteer_geocoder
        gz = gc.gazetteer
        keys: list[str] = []
        ok: list[bool] = []
        for q in queries:
            key, admin_hint = query_key(q)
            plain = bool(key) and not admin_hint and not strip_articles(key)
            if plain and q.rstrip().endswith(".") and ABBREVIATED.match(q.strip()):
                plain = False  # "Calif.": the full path knows abbreviations
            keys.append(key)
            ok.append(plain)
        hashes = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
        pos = np.searchsorted(gz.keys.hash, hashes)
        pos = np.minimum(pos, len(gz.keys.hash) - 1)
        hit = gz.keys.hash[pos] == hashes
        d = self.defaults
        plain_hit = np.fromiter(ok, dtype=bool, count=len(ok)) & hit
        plain_hit &= ~d.full[pos]
        out: list[dict[str, Any] | None] = [None] * len(queries)
        sel = np.flatnonzero(plain_hit)
        if not len(sel):
            return out
        # The answers' fields gathered for the whole batch at once
        ps = d.place[pos[sel]].astype(np.int64)
        lats = [round(x, 5) for x in np.asarray(gz.lat[ps], dtype=np.float64).tolist()]
        lons = [round(x, 5) for x in np.asarray(gz.lon[ps], dtype=np.float64).tolist()]
        ccs = [c.decode("ascii") for c in np.asarray(gz.cc[ps]).tolist()]
        feats = [FEATURES[f] for f in np.asarray(gz.feature[ps]).tolist()]
        gids = [g if g >= 0 else None for g in np.asarray(gz.geonameid[ps]).tolist()]
        scores = [round(x, 4) for x in np.asarray(d.score[pos[sel]], dtype=np.float64).tolist()]
        for j, i in enumerate(sel.tolist()):
            out[i] = {
                "query": queries[i],
                "name": gz.names[int(ps[j])],
                "lat": lats[j],
                "lon": lons[j],
                "country_code": ccs[j],
                "feature": feats[j],
                "geonameid": gids[j],
                "score": scores[j],
            }
        return out

    def geocode_many(self, items: Iterable[dict[str, Any]], *, batch: int = 4096) -> Iterator[dict[str, Any] | None]:
        """For each ``{"query", "country_codes"?, "context"?}``: the JSON row of
        the best match (``query name lat lon country_code feature geonameid
        score``) or None when not found.  Provider errors propagate."""
        buf: list[dict[str, Any]] = []
        for item in items:
            buf.append(item)
            if len(buf) >= batch:
                yield from self._batch(buf)
                buf = []
        if buf:
            yield from self._batch(buf)

    def _batch(self, items: list[dict[str, Any]]) -> Iterator[dict[str, Any] | None]:
        plain = [i for i, it in enumerate(items) if not it.get("country_codes") and not it.get("context")]
        fast = dict(zip(plain, self._fast([items[i]["query"] for i in plain]), strict=True))
        for i, it in enumerate(items):
            row = fast.get(i)
            if row is None:  # not plain, or a key only the full ranking answers
                try:
                    loc = self.geocoder.geocode(
                        it["query"], country_codes=it.get("country_codes"), context=it.get("context")
                    )
                except GeopyError as exc:  # a provider failure is not "not found"
                    yield {"query": it["query"], "error": str(exc)}
                    continue
                assert loc is None or not isinstance(loc, list)
                row = None if loc is None else row_of(loc.raw, it["query"])
            yield row


JSON_FIELDS = ("query", "name", "lat", "lon", "country_code", "feature", "geonameid", "score")


def row_of(raw: dict[str, Any], query: str) -> dict[str, Any]:
    out = {k: raw.get(k) for k in JSON_FIELDS}
    out["query"] = query
    return out
