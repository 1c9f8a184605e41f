"""Opt-in online fallback: ask a geopy provider only for what the gazetteer
cannot resolve, rate-limited and cached on disk.

    gc = OnlineFallback.from_settings(GazetteerGeocoder(), settings.load(online=True))
    gc.geocode("Some hamlet the gazetteer lacks")

Requests go through geopy's :class:`~geopy.extra.rate_limiter.RateLimiter`
with ``swallow_exceptions=False``: a provider failure (timeout, 429, 5xx)
is raised as the ``geopy.exc`` error it is, never reported as "not found".
Every answer, "not found" included, is kept in a SQLite cache so a name is
asked once; errors are not cached.
"""

from __future__ import annotations

import inspect
import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geopy.adapters import URLLibAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from viz.errors import OnlineError
from viz.geo.geocoder import GazetteerGeocoder, _country_codes
from viz.settings import Settings


class AnswerCache:
    """Persistent (provider, query, countries) -> answer store."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (provider TEXT, query TEXT, countries TEXT, "
            "answer TEXT, fetched REAL, PRIMARY KEY (provider, query, countries))"
        )
        self._db.commit()

    def get(self, provider: str, query: str, countries: str) -> tuple[bool, dict | None]:
        with self._lock:
            row = self._db.execute(
                "SELECT answer FROM answers WHERE provider=? AND query=? AND countries=?",
                (provider, query, countries),
            ).fetchone()
        if row is None:
            return False, None
        return True, json.loads(row[0])

    def put(self, provider: str, query: str, countries: str, answer: dict | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                (provider, query, countries, json.dumps(answer, ensure_ascii=False), time.time()),
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        self._db.close()


class OnlineFallback(Geocoder):
    """The gazetteer first; an online provider for what it cannot resolve."""

    def __init__(
        self,
        primary: GazetteerGeocoder,
        provider: Geocoder,
        *,
        cache: AnswerCache,
        provider_name: str | None = None,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
    ) -> None:
        super().__init__(user_agent="viz-online-fallback")
        self.primary = primary
        self.provider = provider
        self.provider_name = provider_name or type(provider).__name__.lower()
        self.cache = cache
        self.requests = 0  # requests actually sent to the provider
        self._ask = RateLimiter(
            self._request,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            # geopy requires the wait after an error to be no shorter than
            # the delay between requests.
            error_wait_seconds=max(error_wait_seconds, min_delay_seconds),
            swallow_exceptions=False,
        )
        params = inspect.signature(provider.geocode).parameters
        self._takes_country = "country_codes" in params
        self._takes_details = "addressdetails" in params

    @classmethod
    def from_settings(cls, primary: GazetteerGeocoder, settings: Settings) -> OnlineFallback:
        try:
            provider_cls = get_geocoder_for_service(settings.online_provider)
        except Exception as exc:
            raise OnlineError(f"unknown online provider {settings.online_provider!r}") from exc
        kwargs: dict[str, Any] = {
            "user_agent": settings.online_user_agent,
            "timeout": settings.online_timeout,
            "scheme": settings.online_scheme,
            # geopy's requests adapter retries inside urllib3, unseen by the
            # RateLimiter (extra requests to a rate-limited service) and
            # reports a read timeout as "unavailable"; the urllib adapter sends
            # exactly the requests the RateLimiter allows.
            "adapter_factory": URLLibAdapter,
        }
        if settings.online_domain:
            kwargs["domain"] = settings.online_domain
        try:
            provider = provider_cls(**kwargs)
        except TypeError as exc:
            raise OnlineError(f"provider {settings.online_provider!r} needs more configuration: {exc}") from exc
        return cls(
            primary,
            provider,
            cache=AnswerCache(Path(settings.cache_dir) / "online.sqlite"),
            provider_name=settings.online_provider,
            min_delay_seconds=settings.online_min_delay,
            max_retries=settings.online_max_retries,
            error_wait_seconds=settings.online_error_wait,
        )

    def _request(self, query: str, codes: list[str] | None) -> Location | None:
        self.requests += 1
        kwargs: dict[str, Any] = {"exactly_one": True}
        if codes and self._takes_country:
            kwargs["country_codes"] = codes
        if self._takes_details:
            kwargs["addressdetails"] = True
        return self.provider.geocode(query, **kwargs)

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        context: Any = None,
        limit: int | None = None,
        timeout: Any = None,
    ) -> Location | list[Location] | None:
        found = self.primary.geocode(
            query, exactly_one=exactly_one, country_codes=country_codes, context=context, limit=limit
        )
        if found:
            return found
        codes = _country_codes(country_codes)
        ckey = ",".join(codes or [])
        qkey = " ".join(query.split())
        hit, answer = self.cache.get(self.provider_name, qkey, ckey)
        if not hit:
            loc = self._ask(qkey, codes)
            answer = self._answer(loc) if loc is not None else None
            self.cache.put(self.provider_name, qkey, ckey, answer)
        if answer is None:
            return None
        answer = dict(answer, query=query)
        out = Location(answer["name"], (answer["lat"], answer["lon"]), answer)
        return out if exactly_one else [out]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None) -> Any:
        return self.primary.reverse(query, exactly_one=exactly_one)

    def _answer(self, loc: Location) -> dict:
        """The provider's answer in the gazetteer's ``raw`` shape."""
        address = (loc.raw or {}).get("address") or {}
        cc = str(address.get("country_code") or "").upper()
        near = self.primary.reverse((loc.latitude, loc.longitude))
        assert near is None or isinstance(near, Location)
        if not cc and near is not None:
            cc = near.raw["country_code"]
        return {
            "name": loc.address,
            "lat": loc.latitude,
            "lon": loc.longitude,
            "country_code": cc,
            "feature": "online",
            "geonameid": None,
            "population": None,
            "admin1": near.raw["admin1"] if near is not None and near.raw["country_code"] == cc else "",
            "score": None,
            "matched_name": loc.address,
            "match": "online",
            "source": self.provider_name,
        }
