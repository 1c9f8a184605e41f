"""Ranking of gazetteer candidates: importance, match quality and context.

A candidate's log-score adds up

* how well the name matched (exact, alternate, article-free, skeleton, fuzzy;
  a town's other name weighs less where another town bears it as its own);
* its importance: country > capital > first-level region > city, then
  population;
* a country hint given by the caller;
* support from the other places named in the same document: candidates in a
  country those places are in, candidates near them or inside the regions and
  countries they name, and regions of a country whose regions they list,
  gain.  "Tripoli" beside "Misrata" is the Libyan capital; beside "Beirut"
  the Lebanese port.

``score`` in the result is the candidate's share of the probability mass
(softmax over log-scores) times its match quality, so an ambiguous name or a
loose match reports less confidence than an exact, unambiguous one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from viz.geo.features import ADMIN1, ADMIN2, CITY, CONTINENT, COUNTRY, EPONYM_MIN_SHARE, REGION
from viz.geo.gazetteer import Gazetteer, Match
from viz.geo.names import ALTERNATE, CORE, FUZZY, OTHER, PART, PRIMARY, QUALITY, SKELETON

# Weights of the log-score.  Chosen on the project's dev set (tests/devset.tsv).
W_QUALITY = 25.0
FEATURE_PRIOR = {COUNTRY: 6.0, CONTINENT: 4.5, REGION: 4.0, ADMIN1: 1.5, ADMIN2: 0.5, CITY: 0.0}
CAPITAL_PRIOR = 3.5
W_POPULATION = 0.55  # per decade of population
W_NAMES = 0.5  # per doubling of the number of distinct spellings (prominence)
POPULATION_FLOOR = 1000.0  # GeoNames says 0 where it does not know; cities500 are >= 500
W_HINT = 6.0
W_COUNTRY_CONTEXT = 4.0
W_NEAR_CONTEXT = 4.0
NEAR_KM = 250.0
LOOSE_SHARE = 0.2  # ... or this share of the document's weight in its country
LOOSE_NEAR = float(np.exp(-2.0))  # a loose match's support: a place of the document within ~500 km
W_REGION_LIST = 3.0  # a region candidate, by the share of the context that is its country's regions
ADMIN_HINT = 4.0  # the query said "... province"
MIN_QUALITY = 0.6
CONTEXT_TOP = 3  # candidates of each context name that lend support
REFINE_BELOW = 0.8  # a name's first-round share below which the second round reads it again
MAX_REFINED = 500  # a document of more names is resolved in one round (the second costs ~ names squared)
MINOR_POPULATION = 15_000  # below GeoNames' own cities15000 cut, a town abroad needs the document's support
MINOR_CONTEXT = 2.0  # ... where the document's other names weigh at least this much


def name_quality(kinds: np.ndarray, quality: np.ndarray, *, owned: bool) -> np.ndarray:
    """Match qualities once it is known whether some candidate bears the name
    as its own.  A town's other name ("Salisbury" for Harare, "Kobani" for
    Ayn al-Arab) weighs less only against a town whose own name it is
    (Salisbury in Wiltshire); where no town owns it, it counts as fully as a
    spelling (a region called "Leningrad" does not make the city's former
    name weigh less)."""
    if owned:
        return quality
    return np.where(kinds == OTHER, QUALITY[ALTERNATE], quality)


def capital_not_owned(
    kinds: np.ndarray, feat: np.ndarray, capital: np.ndarray, pop: np.ndarray, owner_pop
) -> np.ndarray:
    """Capitals whose importance does not count for this name: matched by a
    spelling that a larger town bears as its own name ("Delhi" is listed
    among Dili's spellings; Delhi, eleven million, owns it).  ``owner_pop``:
    the population of the largest town whose own name matched (0: none)."""
    return capital & (feat == CITY) & (kinds != PRIMARY) & (pop < owner_pop)


@dataclass(frozen=True, slots=True)
class Ranked:
    place: int
    score: float  # 0..1
    logit: float
    match: Match


@dataclass(frozen=True, slots=True)
class ContextPoint:
    lat: float
    lon: float
    cc: str
    weight: float
    feature: int
    admin1: str = ""


class Ranker:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gz = gazetteer
        self._context_cache: dict[str, tuple[ContextPoint, ...]] = {}
        self._doc_cache: dict[frozenset[str], dict[str, tuple[ContextPoint, ...]]] = {}

    def prior(self, places: np.ndarray) -> np.ndarray:
        gz = self.gz
        feat = np.asarray(gz.feature[places])
        pop = np.asarray(gz.pop[places], dtype=np.float64)
        prior = np.zeros(len(places))
        for f, w in FEATURE_PRIOR.items():
            prior[feat == f] = w
        prior += CAPITAL_PRIOR * np.asarray(gz.capital[places], dtype=np.float64)
        prior += W_POPULATION * np.log10(np.maximum(pop, POPULATION_FLOOR))
        prior += W_NAMES * np.log2(1.0 + np.asarray(gz.nnames[places], dtype=np.float64))
        return prior

    def rank(
        self,
        matches: Sequence[Match],
        *,
        country_codes: Iterable[str] | None = None,
        context: Sequence[ContextPoint] = (),
        admin_hint: bool = False,
    ) -> list[Ranked]:
        if not matches:
            return []
        gz = self.gz
        places = np.fromiter((m.place for m in matches), dtype=np.int64, count=len(matches))
        quality = np.fromiter((m.quality for m in matches), dtype=np.float64, count=len(matches))
        kinds = np.fromiter((m.kind for m in matches), dtype=np.int64, count=len(matches))
        feat = np.asarray(gz.feature[places])
        ccs = np.asarray(gz.cc[places])
        if country_codes:
            wanted = {c.upper().encode("ascii") for c in country_codes}
            keep = np.fromiter((c in wanted for c in ccs), dtype=bool, count=len(ccs))
            if not keep.any():
                return []
            idx = np.flatnonzero(keep)
            matches = [matches[int(i)] for i in idx]
            places, quality, kinds, ccs, feat = places[idx], quality[idx], kinds[idx], ccs[idx], feat[idx]
        owners = (kinds == PRIMARY) & (feat == CITY)  # towns whose own name matched
        quality = name_quality(kinds, quality, owned=bool(owners.any()))
        logit = W_QUALITY * quality + self.prior(places)
        if owners.any():
            pop = np.asarray(gz.pop[places])
            capital = np.asarray(gz.capital[places], bool)
            logit -= CAPITAL_PRIOR * capital_not_owned(kinds, feat, capital, pop, pop[owners].max())
        unsupported = np.zeros(len(places), dtype=bool)
        if admin_hint:
            logit += ADMIN_HINT * ((feat == ADMIN1) | (feat == ADMIN2))
            # A town's other name (GeoNames lists "Nineveh" for Calcutta,
            # Ohio) is no answer to a query that names a region ("Nineveh
            # Governorate"): not found rather than that town.
            unsupported |= (kinds == OTHER) & (feat == CITY)
        if context:
            lat = np.radians(np.asarray(gz.lat[places], dtype=np.float64))[:, None]
            lon = np.radians(np.asarray(gz.lon[places], dtype=np.float64))[:, None]
            w = np.array([cp.weight for cp in context])
            total = float(w.sum())
            cp_cc = np.array([cp.cc.encode("ascii") for cp in context], dtype="S2")
            same_cc = ((ccs[:, None] == cp_cc[None, :]) * w).sum(axis=1)
            # nearness to the towns and regions of the context, all at once
            cp_feat = np.array([cp.feature for cp in context])
            located = np.isin(cp_feat, (CITY, ADMIN1, ADMIN2))
            clat = np.radians(np.array([cp.lat for cp in context]))[None, :]
            clon = np.radians(np.array([cp.lon for cp in context]))[None, :]
            a = np.sin((clat - lat) / 2) ** 2 + np.cos(lat) * np.cos(clat) * np.sin((clon - lon) / 2) ** 2
            d = 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
            closeness = np.exp(-d / NEAR_KM) * located[None, :]
            same_country = ccs[:, None] == cp_cc[None, :]
            # A place is near the region it lies in, and a region near
            # whatever lies inside it, however far their points are: "Paris"
            # beside "Texas".  The country it lies in counts once, as country
            # context above: counted as nearness too, a document about the
            # United States made London the Kentucky town of 8,000.
            inside = np.zeros_like(same_country)
            regions = feat == ADMIN1
            if regions.any() or (cp_feat == ADMIN1).any():
                admin1 = np.array([gz.admin1[int(p)] for p in places])
                cp_admin1 = np.array([cp.admin1 for cp in context])
                same_admin1 = same_country & (admin1[:, None] == cp_admin1[None, :]) & (cp_admin1 != "")[None, :]
                inside |= (regions[:, None] | (cp_feat == ADMIN1)[None, :]) & same_admin1
            closeness = np.where(inside, 1.0, closeness)
            near = (closeness * w[None, :]).sum(axis=1)
            # Both bounded in [0, 1]: a long document names many places, and
            # their number must not outweigh what a name means on its own.
            logit += W_COUNTRY_CONTEXT * (same_cc / max(total, 1.0))
            # Nearness speaks for towns and regions, not for whole countries.
            logit += W_NEAR_CONTEXT * (1.0 - np.exp(-near)) * (feat != COUNTRY)
            # A document that lists a country's regions ("Florida, Alabama")
            # names its regions: a region candidate of that country gains
            # with their share ("Georgia" the state).
            kin = ((same_country & (cp_feat == ADMIN1)[None, :]) * w[None, :]).sum(axis=1)
            logit += W_REGION_LIST * (kin / max(total, 1.0)) * (feat == ADMIN1)
            # A name matched only by likeness (a misspelling, a consonant
            # skeleton) is a guess; where the document names places and none
            # of them is in the guess's country, the guess is more likely a
            # place the gazetteer does not hold ("Portroe" among Irish
            # villages is not Portaria in Greece): not found, rather than a
            # confident pin in the wrong country.
            # So too a name found only inside a district's designation ("Guma
            # LGA" among Nigerian places is not Guma in China), or as a part
            # ("Southwest Middlesex" among Ontario's places).
            loose = np.isin(kinds, (SKELETON, FUZZY, CORE, PART)) & np.isin(feat, (CITY, ADMIN1, ADMIN2))
            # (Support is a fifth of the document's weight in the guess's
            # country, or a place of the document near it: "northern Gaza"
            # beside "Ashkelon".  A stray candidate of one name among many
            # vouches for nothing.)
            # A small town that the document's places do not support is,
            # like a guess, more likely something the gazetteer does not
            # hold -- a street, a building, a sea, a world region -- than a
            # village abroad: "Middle East" among Gulf cities is not the
            # Baltimore neighbourhood of that name, "Almonaster" in New
            # Orleans not a Romanian village's other name.  Capitals and
            # towns of GeoNames' cities15000 stand on their own; so does any
            # town in a document that names too little to judge by.
            if total >= MINOR_CONTEXT:
                minor = (feat == CITY) & (np.asarray(gz.pop[places]) < MINOR_POPULATION)
                minor &= ~np.asarray(gz.capital[places], bool)
                loose |= minor
            unsupported |= loose & (same_cc <= LOOSE_SHARE * max(total, 1.0)) & (near < LOOSE_NEAR)
        self._eponyms(matches, places, feat, logit, admin_hint)
        z = np.exp(logit - logit.max())
        share = z / z.sum()
        order = np.argsort(-logit, kind="stable")
        out = []
        for i in order.tolist():
            if quality[i] < MIN_QUALITY or unsupported[i]:
                continue
            out.append(Ranked(int(places[i]), float(share[i] * quality[i]), float(logit[i]), matches[i]))
        return out

    def _eponyms(self, matches, places, feat, logit, admin_hint: bool) -> None:
        """Places that share a name with the place they are in.

        "Donetsk" is the city, "Donetsk Oblast" the region: where a region and
        a city inside it (or the town it is named after, beside it: "Leningrad")
        match the same name, the city goes first unless the query named a
        region.  "Mexico" is the country, not Mexico City: where
        a country and a city in it match the same name, the country goes first.
        A query that names a region ("Kyiv Oblast", "Sanaa Governorate") puts
        the likeliest region before the towns of its country that matched no
        better: the capital's weight does not outrank what the query says.
        Applied after context, so that context cannot undo it."""
        cities = np.flatnonzero(feat == CITY)
        if not len(cities):
            return
        gz = self.gz
        regions = (feat == ADMIN1) | (feat == ADMIN2)
        if admin_hint and regions.any():
            i = int(np.flatnonzero(regions)[np.argmax(logit[regions])])
            pi = int(places[i])
            for j in cities.tolist():
                if gz.cc[int(places[j])] == gz.cc[pi] and matches[i].quality >= matches[j].quality - 0.05:
                    logit[i] = max(logit[i], logit[j] + 0.1)
        for i in np.flatnonzero((feat == COUNTRY) | (regions & (not admin_hint))).tolist():
            pi = int(places[i])
            for j in cities.tolist():
                pj = int(places[j])
                if gz.cc[pj] != gz.cc[pi] or matches[j].matched != matches[i].matched:
                    continue
                if feat[i] == COUNTRY:
                    logit[i] = max(logit[i], logit[j] + 0.1)
                elif gz.eponym[pi] == pj or (
                    gz.admin1[pj] == gz.admin1[pi] and gz.pop[pj] >= EPONYM_MIN_SHARE * gz.pop[pi]
                ):
                    # (the town the region is named after, or one in it that
                    # it could be named after: Minneota, a village whose
                    # alternate names include "Minnesota", does not take the
                    # state's place; Saint Petersburg, a region of its own,
                    # goes before the Leningrad oblast around it)
                    logit[j] = max(logit[j], logit[i] + 0.1)

    def context_points(self, names: Iterable[str], *, exclude: str = "") -> list[ContextPoint]:
        """The other names of a document as weighted points: the best few
        candidates of each, weighted by their share.

        In two rounds: each name is first resolved on its own, then again
        with the first round's points of the document's other names, and the
        second round's points are the ones that count.  So ambiguous names
        that agree lend each other weight: beside "Centreville", "Fairfax"
        speaks for Virginia, where on its own it would lend other states
        most of it.  The query (``exclude``)
        is one of the document's names in the first round.  The query's own
        name written another way ("Guma LGA" beside "Guma Local Government
        Area") is no other evidence, and is left out."""
        from viz.geo.text import fold

        doc: dict[str, str] = {}
        for name in names:
            key = fold(name)
            if key:
                doc.setdefault(key, name)
        own = fold(exclude) if exclude else ""
        skip = _same(own) if own else ""
        others = [k for k in doc if not (skip and _same(k) == skip)]
        if own:
            doc.setdefault(own, exclude)
        points = self._refined(doc)
        return [p for k in others for p in points[k]]

    def _refined(self, doc: dict[str, str]) -> dict[str, tuple[ContextPoint, ...]]:
        """Each name's points, resolved with its document's other names (the
        second round of :meth:`context_points`); kept for the last few
        documents, as every name of a document is asked with the same others."""
        sig = frozenset(doc)
        hit = self._doc_cache.get(sig)
        if hit is not None:
            return hit
        first = {k: self._alone(name) for k, name in doc.items()}
        out = first
        if len(doc) <= MAX_REFINED:
            out = {}
            same = {k: _same(k) for k in doc}
            for k, name in doc.items():
                pts0 = first[k]
                if not pts0 or max(p.weight for p in pts0) >= REFINE_BELOW * sum(p.weight for p in pts0):
                    out[k] = pts0  # read clearly on its own: the document's majority does not sway it
                    continue
                pts = [p for m, ps in first.items() if same[m] != same[k] for p in ps]
                matches, admin_hint = self.gz.lookup(name, fuzzy=False)
                out[k] = self._points(self.rank(matches, admin_hint=admin_hint, context=pts)) if pts else pts0
        if len(self._doc_cache) >= 8:
            self._doc_cache.clear()
        self._doc_cache[sig] = out
        return out

    def _alone(self, name: str) -> tuple[ContextPoint, ...]:
        """A name's points resolved on its own (the first round)."""
        from viz.geo.text import fold

        key = fold(name)
        pts = self._context_cache.get(key)
        if pts is None:
            matches, admin_hint = self.gz.lookup(name, fuzzy=False)
            pts = self._points(self.rank(matches, admin_hint=admin_hint))
            if len(self._context_cache) < 100_000:
                self._context_cache[key] = pts
        return pts

    def _points(self, ranked: list[Ranked]) -> tuple[ContextPoint, ...]:
        ranked = ranked[:CONTEXT_TOP]
        total = sum(r.score for r in ranked) or 1.0
        return tuple(
            ContextPoint(
                float(self.gz.lat[r.place]),
                float(self.gz.lon[r.place]),
                self.gz.country_code(r.place),
                r.score / total * r.match.quality,
                int(self.gz.feature[r.place]),
                self.gz.admin1[r.place],
            )
            for r in ranked
        )


def _same(key: str) -> str:
    """A folded name and its other spellings as a district ("guma lga",
    "guma local government area") share this."""
    from viz.geo.names import local_core

    return local_core(key) or key
