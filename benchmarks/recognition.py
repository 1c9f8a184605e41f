"""Toponym recognition in article text: the mentions output against the
annotated toponyms of GeoWebNews and LGL, beside two baselines measured in
the same run.

    python benchmarks/recognition.py [--corpus-dir DIR] [--corpus GeoWebNews] [--speed-only] [--articles 1000]

Systems:

* ``model alone``: the spaCy pipeline's GPE, LOC and FAC entities as they
  come;
* ``previous extractor``: the extractor as it was before the recogniser
  (``benchmarks/baseline_articles.py``): gazetteer spotting over capitalised
  words, every toponym it found (its events used fewer);
* ``viz mentions``: what ``viz extract --mentions`` prints.

Recognition is scored by exact span (GeoWebNews: the 2,720 annotations
Gritta et al. 2019 score, the expression and non-toponym types left out).
The previous extractor gives no offsets, so it is scored by name: per
document, a name found k times matches up to k gold spans of that name;
``viz mentions`` is given that score too.  Resolution: the mentions found
whose span is a gold one with a point, placed within 161 km (a country by
its code).  Wrong country: the share of events (``viz extract``) in a
country that none of the article's gold toponyms is in.

Speed: articles per second over generated 8-sentence articles
(``benchmarks/synth.py``), one by one and batched, beside the previous
extractor; and the first article in a new process (imports, model and
gazetteer loads included).  The corpora are read from
``../shared/benchmarks/geoparsing`` (never copied into the project).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import baseline_articles  # noqa: E402
import synth  # noqa: E402
from geoparsing import DEFAULT_DIR, NOT_TOPONYMS, gold_country  # noqa: E402

from viz.events.articles import Article, Extractor, parse_article  # noqa: E402
from viz.events.articles import nlp as language  # noqa: E402
from viz.geo.devset import km  # noqa: E402
from viz.geo.geocoder import GazetteerGeocoder  # noqa: E402

DAY = date(2018, 1, 1)


def gold_of(doc: dict) -> list[dict]:
    return [t for t in doc["toponyms"] if t.get("type") not in NOT_TOPONYMS]


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def by_name(pred: list[str], gold: list[str]) -> int:
    cp, cg = Counter(pred), Counter(gold)
    return sum(min(n, cg[k]) for k, n in cp.items())


def score_corpus(name: str, docs: list[dict], ex: Extractor, old: baseline_articles.Extractor) -> dict:
    nlp = language.pipeline()
    gc = ex.geocoder
    gcountry = {id(t): gold_country(gc, t) for d in docs for t in d["toponyms"] if "lat" in t}
    counts = {k: [0, 0, 0] for k in ("model alone", "viz mentions")}  # tp, predicted, gold
    names = {k: [0, 0, 0] for k in ("previous extractor", "viz mentions")}
    resolved = [0, 0, 0]  # right, gold spans found with a point, of them resolved
    wrong = {k: [0, 0] for k in ("previous extractor", "viz extract")}  # wrong, events
    roles: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for doc in docs:
        text = doc["text"]
        gold = gold_of(doc)
        spans = {(t["start"], t["end"]): t for t in gold}
        countries = {gcountry[id(t)] for t in gold if id(t) in gcountry} | {
            str(t.get("country") or "").upper() for t in gold if t.get("country")
        }
        # the model alone
        d = nlp(text)
        pred = [(e.start_char, e.end_char) for e in d.ents if e.label_ in language.PLACE_LABELS]
        c = counts["model alone"]
        c[0] += sum(p in spans for p in pred)
        c[1] += len(pred)
        c[2] += len(gold)
        # ours
        article = Article(DAY, "", text, f"{name}-{doc['doc_id']}")
        sentences = ex.analyse(article)
        ms = ex.mentions(article, sentences)
        c = counts["viz mentions"]
        c[1] += len(ms)
        c[2] += len(gold)
        for m in ms:
            t = spans.get((m["start"], m["end"]))
            roles[m["role"]] += 1
            if t is None:
                continue
            c[0] += 1
            if "lat" in t:
                resolved[1] += 1
                resolved[2] += m["name"] is not None
                if m["feature"] == "country":
                    ok = m["country_code"] == gcountry[id(t)]
                else:
                    ok = m["lat"] is not None and km(t["lat"], t["lon"], m["lat"], m["lon"]) <= 161
                resolved[0] += ok
        # the gold spans missed, by what the model called them (the same span, an overlapping one, or nothing)
        found = {(m["start"], m["end"]) for m in ms}
        labels = {(e.start, e.end): e.label for sent in sentences for e in sent.entities}
        for t in gold:
            span = (t["start"], t["end"])
            if span in found:
                continue
            label = labels.get(span)
            if label is None:
                near = [lab for (a, b), lab in labels.items() if a < span[1] and span[0] < b]
                label = f"inside or across {near[0]}" if near else "no entity"
            missed[label] += 1
        gnames = [t["phrase"] for t in gold]
        n = names["viz mentions"]
        n[0] += by_name([m["mention"] for m in ms], gnames)
        n[1] += len(ms)
        n[2] += len(gold)
        for ev in ex.events(article, sentences):
            wrong["viz extract"][1] += 1
            wrong["viz extract"][0] += bool(ev["country_code"]) and ev["country_code"] not in countries
        # the previous extractor
        old_article = baseline_articles.Article(DAY, "", text, article.source)
        found = [t.text for s in old.analyse(old_article) for t in s.toponyms]
        n = names["previous extractor"]
        n[0] += by_name(found, gnames)
        n[1] += len(found)
        n[2] += len(gold)
        for ev in old.events(old_article):
            wrong["previous extractor"][1] += 1
            wrong["previous extractor"][0] += bool(ev["country_code"]) and ev["country_code"] not in countries
    return {
        "corpus": name,
        "gold": counts["viz mentions"][2],
        "exact": {k: prf(*v) for k, v in counts.items()},
        "by_name": {k: prf(*v) for k, v in names.items()},
        "resolution": resolved[0] / resolved[1] if resolved[1] else float("nan"),
        "resolution_n": resolved[1],
        "resolution_of_resolved": resolved[0] / resolved[2] if resolved[2] else float("nan"),
        "resolved_share": resolved[2] / resolved[1] if resolved[1] else float("nan"),
        "wrong_country": {k: (w / e if e else float("nan"), e) for k, (w, e) in wrong.items()},
        "roles": dict(roles),
        "missed": dict(missed.most_common()),
    }


def speed(n: int, ex: Extractor, old: baseline_articles.Extractor) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths = synth.articles(n, Path(tmp))
        texts = [p.read_text(encoding="utf-8") for p in paths]
    arts = [parse_article(t, source=f"a{i}") for i, t in enumerate(texts)]
    out = {}
    t0 = time.perf_counter()
    for a in arts:
        ex.events(a)
    out["viz, one by one"] = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for a, sents in zip(arts, ex.recogniser.read_many(arts), strict=True):
        ex.events(a, sents)
    out["viz, batched"] = n / (time.perf_counter() - t0)
    # where the time goes: the model's recogniser over every title and body, then the rest
    nlp = ex.recogniser.nlp
    t0 = time.perf_counter()
    docs = [tuple(nlp.pipe([a.title, a.body])) for a in arts]
    model = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a, d in zip(arts, docs, strict=True):
        ex.events(a, ex.recogniser.read(a, d))
    rest = time.perf_counter() - t0
    out["model share of the time"] = model / (model + rest)
    t0 = time.perf_counter()
    for t in texts:
        old.events(baseline_articles.parse_article(t))
    out["previous extractor"] = n / (time.perf_counter() - t0)
    return out


COLD = """
import time, sys
t0 = time.perf_counter()
from viz.events.articles import extract_text
df = extract_text(sys.stdin.read(), source="cold.txt")
print(time.perf_counter() - t0, len(df))
"""


def cold(text: str) -> tuple[float, float]:
    """(seconds in the process from the first import, wall seconds of the
    whole process) for the first article."""
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", COLD], input=text, capture_output=True, text=True, cwd=ROOT, check=True, timeout=120
    )
    wall = time.perf_counter() - t0
    return float(r.stdout.split()[0]), wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--corpus", action="append", choices=["GeoWebNews", "LGL"])
    ap.add_argument("--articles", type=int, default=1000, help="generated articles for the speed figure")
    ap.add_argument("--speed-only", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    gc = GazetteerGeocoder()
    ex = Extractor(gc)
    old = baseline_articles.Extractor(gc)
    print(f"model: {language.describe(language.pipeline())}, pipes {language.pipeline().pipe_names}")
    results: dict = {"corpora": []}
    if not args.speed_only:
        if not args.corpus_dir.exists():
            print(f"corpus folder not found: {args.corpus_dir}", file=sys.stderr)
            return 2
        for name in args.corpus or ["GeoWebNews", "LGL"]:
            docs = [json.loads(line) for line in (args.corpus_dir / f"{name}.normalized.jsonl").open(encoding="utf-8")]
            t0 = time.perf_counter()
            r = score_corpus(name, docs, ex, old)
            r["seconds"] = time.perf_counter() - t0
            results["corpora"].append(r)
            print(f"\n{name}: {len(docs)} documents, {r['gold']} gold toponyms ({r['seconds']:.0f} s)")
            for k, (p, rc, f) in r["exact"].items():
                print(f"  exact span  {k:20} P {p:.3f}  R {rc:.3f}  F1 {f:.3f}")
            for k, (p, rc, f) in r["by_name"].items():
                print(f"  by name     {k:20} P {p:.3f}  R {rc:.3f}  F1 {f:.3f}")
            print(
                f"  resolution of the mentions found: {r['resolution']:.3f} within 161 km (n={r['resolution_n']}; "
                f"{r['resolved_share']:.3f} of them resolved, {r['resolution_of_resolved']:.3f} of those right)"
            )
            for k, (share, n) in r["wrong_country"].items():
                print(f"  events in a country the article's toponyms are not in: {k:20} {share:.3f} of {n}")
            print(f"  roles: {r['roles']}")
            print(
                "  gold spans missed, by the model's label: "
                + ", ".join(f"{k} {v}" for k, v in list(r["missed"].items())[:8])
            )
    sp = speed(args.articles, ex, old)
    results["speed"] = sp
    print(f"\nspeed over {args.articles} generated 8-sentence articles:")
    for k, v in sp.items():
        print(f"  {k:24} {v:6.2f}" if "share" in k else f"  {k:24} {v:6.1f} articles/s")
    sample = synth.articles(1, Path(tempfile.mkdtemp()))[0].read_text(encoding="utf-8")
    inside, wall = cold(sample)
    results["cold"] = {"in_process": inside, "wall": wall}
    print(f"first article, new process: {inside:.2f} s from the first import ({wall:.2f} s wall, interpreter included)")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
