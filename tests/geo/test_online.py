"""The opt-in online fallback, through geopy's real Nominatim class, against a
local server on 127.0.0.1 that answers like Nominatim."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from geopy.exc import GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut
from geopy.geocoders import Nominatim

from tests.nominatim_stub import Stub
from viz import settings
from viz.geo.online import OnlineFallback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture()
def stub():
    with Stub(delay=1.5) as s:
        yield s


def make(geocoder, stub, tmp_path, **kw):
    st = settings.load(
        online=True,
        online_domain=f"127.0.0.1:{stub.port}",
        online_scheme="http",
        online_min_delay=kw.pop("min_delay", 0.3),
        online_timeout=0.5,
        online_max_retries=kw.pop("retries", 1),
        online_error_wait=0.05,
        cache_dir=str(tmp_path),
    )
    fb = OnlineFallback.from_settings(geocoder, st)
    assert isinstance(fb.provider, Nominatim)  # geopy's real provider class
    return fb


def test_gazetteer_answers_first_and_nothing_is_sent(geocoder, stub, tmp_path):
    fb = make(geocoder, stub, tmp_path)
    loc = fb.geocode("Saraqeb")
    assert loc.raw["name"] == "Saraqib" and loc.raw["match"] != "online"
    assert stub.requests == []


def test_unknown_name_asks_provider_and_caches_on_disk(geocoder, stub, tmp_path):
    fb = make(geocoder, stub, tmp_path)
    loc = fb.geocode("Hamlet Nowhere")
    assert loc is not None
    assert (round(loc.latitude, 4), round(loc.longitude, 4)) == (12.3456, -1.2345)
    assert loc.raw["country_code"] == "BF" and loc.raw["feature"] == "online" and loc.raw["source"] == "nominatim"
    assert stub.count("hamlet") == 1
    assert fb.geocode("Hamlet Nowhere") is not None
    assert stub.count("hamlet") == 1  # from the cache
    # persistent: a new process-level object with the same cache folder
    fb2 = make(geocoder, stub, tmp_path)
    assert fb2.geocode("Hamlet  Nowhere").raw["country_code"] == "BF"
    assert stub.count("hamlet") == 1
    # "not found" is an answer too, and cached
    assert fb.geocode("Nowhere At All Qq") is None
    assert fb.geocode("Nowhere At All Qq") is None
    assert stub.count("nowhere at all") == 1


def test_requests_are_rate_limited(geocoder, stub, tmp_path):
    fb = make(geocoder, stub, tmp_path, min_delay=0.4)
    fb.geocode("Hamlet Nowhere")
    fb.geocode("Camp Seventeen")
    times = [t for t, q, _ in stub.requests]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.35


@pytest.mark.parametrize(
    ("query", "error"),
    [("busy hamlet", GeocoderRateLimited), ("broken hamlet", GeocoderServiceError), ("slow hamlet", GeocoderTimedOut)],
)
def test_provider_failures_raise_not_not_found(geocoder, stub, tmp_path, query, error):
    fb = make(geocoder, stub, tmp_path, retries=1)
    with pytest.raises(error):
        fb.geocode(query)
    prefix = query.split()[0]
    assert stub.count(prefix) == 2  # one try and one retry (RateLimiter)
    assert len(fb.cache) == 0  # errors are never cached as answers


def test_cli_online_flag_uses_settings(stub, tmp_path):
    env = dict(
        os.environ,
        VIZ_ONLINE_DOMAIN=f"127.0.0.1:{stub.port}",
        VIZ_ONLINE_SCHEME="http",
        VIZ_ONLINE_MIN_DELAY="0",
        VIZ_CACHE_DIR=str(tmp_path),
    )
    cmd = [sys.executable, "-m", "viz", "geocode", "Camp Seventeen", "--json"]
    off = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert off.returncode == 1 and "not found: Camp Seventeen" in off.stderr
    assert stub.requests == []  # offline by default
    on = subprocess.run([*cmd, "--online"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert on.returncode == 0, on.stderr
    row = json.loads(on.stdout)
    assert row["country_code"] == "SO" and row["query"] == "Camp Seventeen"
    assert stub.count("camp") == 1
