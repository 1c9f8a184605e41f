"""A geopy geocoder over the embedded gazetteer: offline, multilingual, ranked.

    >>> from viz.geo.geocoder import GazetteerGeocoder
    >>> gc = GazetteerGeocoder()
    >>> gc.geocode("Saraqeb").raw["name"]
    'Saraqib'
    >>> gc.geocode("Tripoli", context=["Beirut"]).raw["country_code"]
    'LB'

It speaks geopy's contract: ``geocode`` returns a :class:`geopy.location.Location`
(a list of them with ``exactly_one=False``, ``None`` when nothing matched),
``reverse`` the nearest place, and errors are ``geopy.exc`` classes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from viz.errors import QueryError
from viz.geo.features import ADMIN1, ADMIN2, CITY, COUNTRY
from viz.geo.gazetteer import Gazetteer
from viz.geo.ranking import ContextPoint, Ranked, Ranker

_CC = re.compile(r"^[A-Za-z]{2}$")


def _country_codes(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    codes = [value] if isinstance(value, str) else list(value)
    out = []
    for c in codes:
        if not isinstance(c, str) or not _CC.match(c.strip()):
            raise QueryError(f"country code must be ISO 3166-1 alpha-2, got {c!r}")
        out.append(c.strip().upper())
    return out or None


_TRAILING_CODE = re.compile(r"^(?P<head>.*\S)\s+(?P<code>[A-Z]{2,3})$")


def split_qualified(query: str) -> tuple[str, list[str]]:
    """A query's place and what it is said to lie in: the parts after its
    first comma ("Paris, Texas" -> ("Paris", ["Texas"])), or a trailing
    code in capitals ("Richmond VA"); (query, []) where there are none."""
    parts = [p.strip() for p in query.split(",")]
    parts = [p for p in parts if p]
    if len(parts) >= 2:
        return parts[0], parts[1:]
    m = _TRAILING_CODE.match(query.strip())
    if m and not m.group("head").isupper():
        return m.group("head"), [m.group("code")]
    return query, []


class _NoNetwork(BaseSyncAdapter):
    """The adapter of a geocoder that makes no requests."""

    def __init__(self, *, proxies: Any = None, ssl_context: Any = None) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)

    def get_json(self, url: str, *, timeout: Any, headers: Any) -> Any:
        raise GeocoderServiceError(f"the offline gazetteer makes no requests (asked for {url})")

    def get_text(self, url: str, *, timeout: Any, headers: Any) -> str:
        raise GeocoderServiceError(f"the offline gazetteer makes no requests (asked for {url})")


class GazetteerGeocoder(Geocoder):
    """Geocode place names with the offline gazetteer.

    :param index_path: folder of the index (default ``data/gazetteer``, or
        ``$VIZ_GAZETTEER_DIR``); built on first use if missing or stale.
    :param fuzzy: allow fuzzy matching as the last resort.
    :param gazetteer: an already opened :class:`Gazetteer` to share.
    """

    def __init__(
        self,
        *,
        index_path: str | Path | None = None,
        fuzzy: bool = True,
        gazetteer: Gazetteer | None = None,
        user_agent: str | None = None,
    ) -> None:
        # No HTTP adapter: this geocoder answers from the local index and never
        # opens a connection (geopy's default adapter would build a TLS context).
        super().__init__(user_agent=user_agent or "viz-gazetteer", adapter_factory=_NoNetwork)
        self.gazetteer = gazetteer or Gazetteer.open(Path(index_path) if index_path else None)
        self.ranker = Ranker(self.gazetteer)
        self.fuzzy = fuzzy
        self._country_place: dict[str, int] | None = None

    # -- geopy API

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        context: Sequence[str | Point | tuple[float, float]] | None = None,
        limit: int | None = None,
        timeout: Any = None,
    ) -> Location | list[Location] | None:
        """Resolve ``query``.

        :param country_codes: ISO-2 code(s); only places in them are returned.
        :param context: the other place names of the same document (or points)
            that the answer is probably near.
        :param limit: at most this many results when ``exactly_one=False``.
        """
        ranked = self.candidates(query, country_codes=country_codes, context=context)
        if not ranked:
            return None
        if exactly_one:
            return self._location(ranked[0], query)
        if limit is not None:
            if limit < 1:
                raise QueryError("limit must be a positive integer")
            ranked = ranked[:limit]
        return [self._location(r, query) for r in ranked]

    def reverse(
        self,
        query: Point | tuple[float, float] | str,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
    ) -> Location | list[Location] | None:
        """The populated place nearest to a point."""
        try:
            point = Point(query)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"not a point: {query!r}") from exc
        i = self.gazetteer.nearest(point.latitude, point.longitude, features=(CITY,))
        if i is None:
            return None
        loc = self._location(Ranked(i, 1.0, 0.0, _exact(i)), None)
        return loc if exactly_one else [loc]

    # -- beyond geopy

    def candidates(
        self,
        query: str,
        *,
        country_codes: str | Iterable[str] | None = None,
        context: Sequence[str | Point | tuple[float, float]] | None = None,
    ) -> list[Ranked]:
        if not isinstance(query, str):
            raise QueryError(f"query must be a string, got {type(query).__name__}")
        if not query.strip():
            raise QueryError("empty query")
        codes = _country_codes(country_codes)
        head, within = split_qualified(query)
        if within:
            matches, admin_hint = self.gazetteer.lookup(query, fuzzy=False)  # a name with a comma of its own
            if not matches:
                return self._qualified(head, within, codes, context)
        else:
            matches, admin_hint = self.gazetteer.lookup(query, fuzzy=self.fuzzy)
        points = self.context_points(context, exclude=query) if context else []
        return self.ranker.rank(matches, country_codes=codes, context=points, admin_hint=admin_hint)

    def _qualified(
        self, head: str, within: list[str], codes: list[str] | None, context: Sequence[Any] | None
    ) -> list[Ranked]:
        """A place written with what it lies in ("Paris, Texas", "Richmond,
        Va.", "Saraqib, Idlib, Syria", "Springfield IL"): the candidates of
        the first part that lie in a country or region the other parts name.
        Where those parts name no country or region, they count as the
        document's other places.  Where they do and no candidate lies in
        them ("Paris, Japan"), nothing is found."""
        gz = self.gazetteer
        matches, admin_hint = gz.lookup(head, fuzzy=self.fuzzy)
        containers = []
        for part in within:
            found, _ = gz.lookup(part, fuzzy=False)
            containers += [m.place for m in found if gz.feature[m.place] in (COUNTRY, ADMIN1, ADMIN2)]
        if containers:
            matches = [m for m in matches if any(self._lies_in(m.place, c) for c in containers)]
        names = [*within, *(context or ())]
        points = self.context_points(names, exclude=head)
        return self.ranker.rank(matches, country_codes=codes, context=points, admin_hint=admin_hint)

    def _lies_in(self, place: int, container: int) -> bool:
        """Whether a place lies in a country or region: its country; its
        first-level region's code; for a second-level region, its first
        level and within ~150 km of the region's point."""
        gz = self.gazetteer
        if gz.cc[place] != gz.cc[container] or place == container:
            return False
        feat = gz.feature[container]
        if feat == COUNTRY:
            return True
        inside = gz.admin1[place] != "" and gz.admin1[place] in gz.admin1[container].split("+")
        if feat == ADMIN2:
            from viz.geo.devset import km

            lat, lon = float(gz.lat[place]), float(gz.lon[place])
            inside = inside and km(lat, lon, float(gz.lat[container]), float(gz.lon[container])) <= 150.0
        return inside

    def context_points(self, context: Sequence[Any], *, exclude: str = "") -> list[ContextPoint]:
        names = [c for c in context if isinstance(c, str)]
        pts = self.ranker.context_points(names, exclude=exclude)
        for c in context:
            if isinstance(c, str):
                continue
            p = Point(c)
            i = self.gazetteer.nearest(p.latitude, p.longitude)
            cc = self.gazetteer.country_code(i) if i is not None else ""
            pts.append(ContextPoint(p.latitude, p.longitude, cc, 1.0, CITY))
        return pts

    def record(self, r: Ranked, query: str | None) -> dict[str, Any]:
        rec = self.gazetteer.record(r.place)
        rec.update(score=round(r.score, 4), matched_name=r.match.matched, match=_MATCH_NAMES[r.match.kind])
        if query is not None:
            rec["query"] = query
        return rec

    def country_name(self, cc: str) -> str:
        if self._country_place is None:
            import numpy as np

            feat = np.asarray(self.gazetteer.feature)
            self._country_place = {self.gazetteer.country_code(int(i)): int(i) for i in np.flatnonzero(feat == COUNTRY)}
        i = self._country_place.get(cc)
        return self.gazetteer.names[i] if i is not None else cc

    def _location(self, r: Ranked, query: str | None) -> Location:
        rec = self.record(r, query)
        parts = [rec["name"]]
        if rec["feature"] == "city" and rec["admin1"]:
            parts.append(rec["admin1"])
        if rec["feature"] != "country" and rec["country_code"]:
            parts.append(self.country_name(rec["country_code"]))
        return Location(", ".join(parts), (rec["lat"], rec["lon"]), rec)


_MATCH_NAMES = [
    "name",
    "alternate name",
    "without article",
    "acronym",
    "transliteration",
    "fuzzy",
    "other name",
    "abbreviation",
    "demonym",
    "initials",
    "part",
    "name inside designation",
]


def _exact(i: int):
    from viz.geo.gazetteer import Match
    from viz.geo.names import PRIMARY

    return Match(i, 1.0, PRIMARY, "")
