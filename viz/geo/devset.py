"""Scoring of the geocoder on the project's dev set (``tests/devset.tsv``).

Shared by the test that holds the quality bar and by ``benchmarks/`` so that
both count the same way.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

DEVSET = Path(__file__).resolve().parents[2] / "tests" / "devset.tsv"
CITY_KM = 30.0
REGION_SANITY_KM = 500.0


@dataclass
class Case:
    query: str
    context: list[str]
    hint: str | None
    cc: str
    feature: str
    lat: float | None
    lon: float | None
    topic: str


def load(path: Path = DEVSET) -> list[Case]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    out = []
    for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        out.append(
            Case(
                query=r["query"],
                context=[c for c in r["context"].split(";") if c],
                hint=r["hint"] or None,
                cc=r["cc"],
                feature=r["feature"],
                lat=float(r["lat"]) if r["lat"] else None,
                lon=float(r["lon"]) if r["lon"] else None,
                topic=r["topic"],
            )
        )
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def judge(case: Case, loc) -> tuple[bool, str]:
    """(right?, what was returned)."""
    if loc is None:
        return case.feature == "none", "not found"
    raw = loc.raw
    got = f"{raw['name']} ({raw['country_code']}, {raw['feature']}, {loc.latitude:.2f},{loc.longitude:.2f})"
    if case.feature == "none":
        return False, got
    if raw["country_code"] != case.cc:
        return False, got
    if case.feature in ("country", "continent"):
        return raw["feature"] == case.feature, got
    d = km(case.lat, case.lon, loc.latitude, loc.longitude)  # type: ignore[arg-type]
    if case.feature == "admin1":
        return raw["feature"] == "admin1" and d <= REGION_SANITY_KM, got
    return d <= CITY_KM, got + f" {d:.0f} km"


def evaluate(geocoder, cases: list[Case] | None = None) -> tuple[float, list[tuple[Case, str]]]:
    cases = cases if cases is not None else load()
    failures = []
    for case in cases:
        loc = geocoder.geocode(case.query, country_codes=case.hint, context=case.context or None)
        ok, got = judge(case, loc)
        if not ok:
            failures.append((case, got))
    return 1 - len(failures) / len(cases), failures
