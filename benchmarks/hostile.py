"""Hostile input, rerunnable: a seeded set of bad files, damaged stores and
bad links, each checked for tracebacks, silent loss and unclear messages.

    python benchmarks/hostile.py [--seed 1] [--per-class 30] [--links 24]

Every case is made here from a seed (run again with another ``--seed`` for a
set of the same classes not seen before).  Files go through both readers,
the in-memory one (``viz.events.ingest.load``) and the DuckDB engine
(``viz.events.dataset.ingest``).  The classes: dates, numbers, coordinates,
the file's structure (quotes, field counts, line endings, long fields, NUL),
encodings, JSON shapes, file kinds, damaged stores and bad links (each link
through Streamlit's AppTest, the app as a session runs it).

Each outcome is one of:

* ``ok``: read, or refused with a message that names the file;
* ``traceback``: an exception other than the project's input errors escaped;
* ``silent loss``: rows read != kept + rejected, fewer rows read than the
  file holds with no word, a row neither kept nor named, or a kept value
  that differs from what the file says (a date read in the wrong order, a
  coordinate replaced, text turned to mojibake) with no word;
* ``unclear``: a refusal that does not name the file, or a bad link value
  dropped without a notice.

The baseline, in the same run, is the same cases through plain
``pandas.read_csv``/``read_json`` (what a notebook does), counted the same
way: exceptions, and rows it returns that differ from the file.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import gzip
import io
import json
import os
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from viz.errors import InputError  # noqa: E402

# Places the gazetteer knows, with coordinates near their own.
PLACES = [("Aleppo", 36.20, 37.16), ("Homs", 34.73, 36.71), ("Kharkiv", 49.99, 36.23), ("Gao", 16.27, -0.04)]
HEADER = ["date", "place", "lat", "lon", "fatalities", "actor1", "text"]


@dataclass
class Row:
    """One event as the file means it; ``bad`` rows must be rejected (or kept
    with the value the file means, ``date``/``lat`` None when it means none)."""

    mark: str
    date: date | None
    place: str
    lat: float | None
    lon: float | None
    fatalities: int | None
    cells: dict[str, str] = field(default_factory=dict)
    bad: bool = False  # may be rejected; when kept, its values are still checked
    loose: bool = False  # its values may be lost with a word (a warning): only its being read is checked


@dataclass
class Case:
    klass: str
    name: str
    data: bytes
    rows: list[Row]  # every event the file holds, in order
    refuse_ok: bool = False  # a whole-file refusal is a right answer (not an event file)
    mapping: dict[str, str] | None = None


def good_row(rng: random.Random, i: int) -> Row:
    place, lat, lon = rng.choice(PLACES)
    day = date(1995, 1, 1) + timedelta(days=rng.randrange(11000))
    fat = rng.choice([None, 0, 1, 3, 12])
    xy = rng.random() < 0.5
    r = Row(f"row-{i:04d}", day, place, lat if xy else None, lon if xy else None, fat)
    r.cells = {
        "date": day.isoformat(),
        "place": place,
        "lat": f"{lat}" if xy else "",
        "lon": f"{lon}" if xy else "",
        "fatalities": "" if fat is None else str(fat),
        "actor1": rng.choice(["Army", "Militia", "Protesters", ""]),
        "text": f"row-{i:04d}",
    }
    return r


def to_csv(rows: list[Row], *, sep: str = ",", header: list[str] = HEADER, eol: str = "\n") -> str:
    def cell(v: str) -> str:
        return f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in (sep, '"', "\n", "\r")) else v

    lines = [sep.join(header)] + [sep.join(cell(r.cells.get(h, "")) for h in HEADER) for r in rows]
    return eol.join(lines) + eol


# ------------------------------------------------------------------ classes
DATES_BAD = ["0001-01-01", "9999-12-31", "-0044-03-15", "2022-13-01", "2022-02-30", "", "yesterday", "20222-01-01"]
DATES_KEPT = {  # value -> the day it means
    "2022-03-01T23:30:00+05:00": date(2022, 3, 1),
    "2022-03-02T01:00:00Z": date(2022, 3, 2),
    "\u0662\u0660\u0662\u0662-\u0660\u0663-\u0660\u0661": date(2022, 3, 1),
    "Mar 2022": date(2022, 3, 1),
    "2022": date(2022, 1, 1),
}


def dates(rng: random.Random, n: int) -> Case:
    style = rng.choice(["iso", "dmy", "mdy", "text", "dmy-ambiguous"])
    rows = [good_row(rng, i) for i in range(n)]
    for r in rows:
        d = r.date
        assert d is not None
        if style == "dmy-ambiguous":  # every day <= 12: the order cannot be told
            d = r.date = d.replace(day=rng.randint(1, 12))
            r.bad = True
        r.cells["date"] = {
            "iso": d.isoformat(),
            "dmy": d.strftime("%d/%m/%Y"),
            "dmy-ambiguous": d.strftime("%d/%m/%Y"),
            "mdy": d.strftime("%m/%d/%Y"),
            "text": d.strftime("%d %B %Y"),
        }[style]
        roll = rng.random()
        if roll < 0.15:
            r.cells["date"], r.bad = rng.choice(DATES_BAD), True
        elif roll < 0.25 and style in ("iso", "text"):
            r.cells["date"] = value = rng.choice(list(DATES_KEPT))
            r.date = DATES_KEPT[value]
    return Case("dates", f"dates-{style}.csv", to_csv(rows).encode(), rows)


FATALITIES_ODD = ["1e19", "1e308", "inf", "-inf", "NaN", "-3", "12 killed", "0x10", "9" * 40, "1,000", "2.5"]


def numbers(rng: random.Random, n: int) -> Case:
    rows = [good_row(rng, i) for i in range(n)]
    for r in rows:
        if rng.random() < 0.3:
            r.cells["fatalities"] = rng.choice(FATALITIES_ODD)
            r.fatalities, r.loose = None, True  # the count may go (with a warning), never the row
    return Case("numbers", "numbers.csv", to_csv(rows).encode(), rows)


COORDS_BAD = [("999", "36.1"), ("-91", "36.1"), ("35.1", "181"), ("abc", "36.1"), ("35.1", ""), ("nan", "nan")]
COORD_HEADERS = [["lat", "lon"], ["latitude", "longitude"], ["Latitude", "Longitude"], ["LAT", "lng"]]


def coordinates(rng: random.Random, n: int) -> Case:
    rows = [good_row(rng, i) for i in range(n)]
    for r in rows:
        if rng.random() < 0.25:
            r.cells["lat"], r.cells["lon"] = rng.choice(COORDS_BAD)
            r.bad = True
    names = rng.choice(COORD_HEADERS)
    header = [*HEADER[:2], *names, *HEADER[4:]]
    return Case("coordinates", f"coords-{names[0]}.csv", to_csv(rows, header=header).encode(), rows)


def structure(rng: random.Random, n: int) -> Case:
    rows = [good_row(rng, i) for i in range(n)]
    kind = rng.choice(["quote", "fields", "cr", "mixed-eol", "bom", "long", "nul", "semicolon", "tab", "blank-lines"])
    sep, eol, prefix = ",", "\n", ""
    if kind in ("semicolon", "tab"):
        sep = ";" if kind == "semicolon" else "\t"
    if kind == "cr":
        eol = "\r"
    if kind == "bom":
        prefix = "\ufeff"
    if kind == "long":
        rows[rng.randrange(n)].cells["text"] += " " + "x" * 200_000
    if kind == "nul":
        r = rows[rng.randrange(n)]
        r.cells["actor1"] += "\x00"
        r.bad = True
    text = to_csv(rows, sep=sep, eol=eol)
    lines = text.split(eol)
    if kind == "quote":  # a quote that never closes, in one row's place
        i = rng.randrange(1, n + 1)
        lines[i] = lines[i].replace(rows[i - 1].place, '"' + rows[i - 1].place, 1)
        rows[i - 1].bad = True
    if kind == "fields":
        i = rng.randrange(1, n + 1)
        lines[i] = lines[i] + rng.choice([",extra", ",a,b,c"]) if rng.random() < 0.5 else lines[i].rsplit(",", 3)[0]
        rows[i - 1].bad = True
    if kind == "mixed-eol":
        text = "".join(line + rng.choice(["\n", "\r\n"]) for line in lines if line)
    elif kind == "blank-lines":
        text = "".join(line + "\n" + ("\n" if rng.random() < 0.3 else "") for line in lines if line)
    else:
        text = eol.join(lines)
    return Case("structure", f"structure-{kind}.csv", (prefix + text).encode(), rows)


def encodings(rng: random.Random, n: int) -> Case:
    rows = [good_row(rng, i) for i in range(n)]
    for r in rows:
        r.cells["actor1"] = rng.choice(["Armée", "Ejército", "Milícia", "Army"])
    kind = rng.choice(["utf-16", "utf-16-le-bom", "utf-32", "cp1252", "utf-8-sig", "mixed"])
    text = to_csv(rows)
    if kind == "utf-16":
        data = text.encode("utf-16")
    elif kind == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif kind == "utf-32":
        data = text.encode("utf-32")
    elif kind == "cp1252":
        data = text.encode("cp1252")
    elif kind == "utf-8-sig":
        data = text.encode("utf-8-sig")
    else:  # one line in cp1252 among UTF-8 ones
        lines = text.split("\n")
        i = rng.randrange(1, n + 1)
        data = b"\n".join(line.encode("cp1252" if j == i else "utf-8") for j, line in enumerate(lines))
        rows[i - 1].loose = True  # its accents may be read either way, with a word
    return Case("encodings", f"enc-{kind}.csv", data, rows)


def json_shapes(rng: random.Random, n: int) -> Case:
    rows = [good_row(rng, i) for i in range(n)]
    recs: list[object] = [{k: (v if v != "" else None) for k, v in r.cells.items()} for r in rows]
    kind = rng.choice(
        ["records", "data", "lines", "columns", "unequal", "deep", "not-object", "nested-value", "keys-mapped"]
    )
    if kind == "records":
        data = json.dumps(recs)
    elif kind == "data":
        data = json.dumps({"data": recs})
    elif kind == "lines":
        out = [json.dumps(x) for x in recs]
        i = rng.randrange(n)
        out[i] = out[i][:-3]  # a broken line
        rows[i].bad = True
        data = "\n".join(out)
    elif kind in ("columns", "unequal"):
        cols = {h: [r.cells[h] or None for r in rows] for h in HEADER}
        data = json.dumps(cols)
        if kind == "unequal":  # the columns do not say which row lost its place: refused, by name
            cols["place"] = cols["place"][:-2]
            return Case("json", "json-unequal.json", json.dumps(cols).encode(), rows, refuse_ok=True)
    elif kind == "deep":
        data = "[" * 3000 + "]" * 3000
        rows = []
    elif kind == "keys-mapped":  # keys in other scripts and with quotes, read through --map
        names = {"date": "Datum", "place": 'Ort "genannt"', "fatalities": "Tués", "actor1": "Актор", "text": "نص"}
        recs = [{names.get(k, k): v for k, v in rec.items()} for rec in recs]  # type: ignore[union-attr]
        data = "\n".join(json.dumps(x, ensure_ascii=False) for x in recs)
        mapping = {k: v for k, v in names.items()}
        mapping.update(lat="lat", lon="lon")
        return Case("json", "json-keys-mapped.jsonl", data.encode(), rows, mapping=mapping)
    elif kind == "not-object":
        i = rng.randrange(n)
        recs[i] = rng.choice([[1, 2], "text", 7, None])
        rows[i].bad = True
        data = json.dumps(recs)
    else:
        i = rng.randrange(n)
        assert isinstance(recs[i], dict)
        recs[i]["place"] = {"name": rows[i].place}  # type: ignore[index]
        rows[i].bad = True
        data = json.dumps(recs)
    return Case("json", f"json-{kind}.{'jsonl' if kind == 'lines' else 'json'}", data.encode(), rows)


def kinds(rng: random.Random, n: int) -> Case:
    rows = [good_row(rng, i) for i in range(n)]
    text = to_csv(rows).encode()
    kind = rng.choice(["random.csv", "fake.xls", "map.geojson", "noext", "empty.csv", "blank.csv", "gz.csv", "png.csv"])
    if kind == "random.csv":
        return Case("kinds", kind, bytes(rng.randrange(256) for _ in range(4000)), [], refuse_ok=True)
    if kind == "fake.xls":
        return Case("kinds", kind, b"\xd0\xcf\x11\xe0" + bytes(rng.randrange(256) for _ in range(2000)), [], True)
    if kind == "map.geojson":
        feats = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r.lon or 0, r.lat or 0]},
                "properties": {},
            }
            for r in rows
        ]
        return Case("kinds", kind, json.dumps({"type": "FeatureCollection", "features": feats}).encode(), [], True)
    if kind == "noext":
        return Case("kinds", "events", text, rows, refuse_ok=True)
    if kind == "empty.csv":
        return Case("kinds", kind, b"", [], refuse_ok=True)
    if kind == "blank.csv":
        return Case("kinds", kind, b"  \n\t\n ", [], refuse_ok=True)
    if kind == "gz.csv":
        return Case("kinds", kind, gzip.compress(text), rows, refuse_ok=True)
    return Case("kinds", kind, b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(800)), [], True)


CLASSES: dict[str, Callable[[random.Random, int], Case]] = {
    "dates": dates,
    "numbers": numbers,
    "coordinates": coordinates,
    "structure": structure,
    "encodings": encodings,
    "json": json_shapes,
    "kinds": kinds,
}


# ------------------------------------------------------------------ checking
def check(case: Case, frame: pd.DataFrame, report) -> list[str]:
    """What was lost or misread without a word ([] when nothing)."""
    wrong: list[str] = []
    named = any(case.name in str(p) for p in report.unreadable)
    if not report.files:
        if case.rows and not (case.refuse_ok and named):
            wrong.append("refused" if named else "refused without naming the file")
        elif not case.rows and not named:
            wrong.append("nothing read and nothing said")
        return wrong
    for fr in report.files:
        if fr.rows_read != fr.rows_kept + fr.rows_rejected:
            wrong.append(f"read {fr.rows_read} != kept {fr.rows_kept} + rejected {fr.rows_rejected}")
    if len(frame) != report.rows_kept:
        wrong.append(f"frame holds {len(frame)} rows, the report says {report.rows_kept} kept")
    rows_read = report.rows_read
    if rows_read < len(case.rows):
        wrong.append(f"{len(case.rows)} rows in the file, {rows_read} read")
    warned = {p.row for fr in report.files for p in fr.warnings} | {None}
    texts = frame["text"].astype("string").fillna("") if "text" in frame else pd.Series([""] * len(frame))
    kept = {}
    for i, t in enumerate(texts):
        kept.setdefault(t.split(" ")[0], i)
    for line, r in enumerate(case.rows, start=2):
        i = kept.get(r.mark)
        if i is None:
            if not r.bad and rows_read >= len(case.rows) and not _rejected(report, line):
                wrong.append(f"{r.mark} neither kept nor named")
            elif not r.bad:
                wrong.append(f"{r.mark} (a good row) not kept")
            continue
        if r.loose:
            continue
        got = frame.iloc[i]
        if r.date is not None and (pd.isna(got["date"]) or got["date"].date() != r.date):
            wrong.append(f"{r.mark}: date {got['date']} kept for {r.cells['date']!r}")
        if r.lat is not None and not r.bad and (pd.isna(got["lat"]) or abs(float(got["lat"]) - r.lat) > 1e-6):
            wrong.append(f"{r.mark}: lat {got['lat']} kept for {r.cells['lat']!r}")
        if r.bad and case.klass == "coordinates":
            wrong.append(f"{r.mark}: kept with coordinates {r.cells['lat']!r}, {r.cells['lon']!r}")
        if r.fatalities is not None and (pd.isna(got["fatalities"]) or int(got["fatalities"]) != r.fatalities):
            wrong.append(f"{r.mark}: fatalities {got['fatalities']} kept for {r.cells['fatalities']!r}")
        if r.cells.get("actor1") and r.cells["actor1"] not in str(got.get("actors", "")) and line not in warned:
            wrong.append(f"{r.mark}: actor {got.get('actors')!r} kept for {r.cells['actor1']!r}")
    return wrong


def _rejected(report, line: int) -> bool:
    return any(p.row is not None for fr in report.files for p in fr.rejected)


def run_file(case: Case, reader: str, geo, work: Path) -> tuple[str, str]:
    from viz.events import dataset
    from viz.events.ingest import load
    from viz.events.store import StoreError

    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / case.name
    path.write_bytes(case.data)
    try:
        if reader == "in memory":
            frame, report = load([path], geocoder=geo, mapping=case.mapping)
        else:
            report = dataset.ingest([path], folder / "ds", geocoder=geo, engine_min_mb=0, mapping=case.mapping)
            frame = dataset.read(folder / "ds") if report.files else pd.DataFrame()
    except (InputError, StoreError) as exc:
        if case.name in str(exc):
            return "ok", ""
        return "unclear", f"{type(exc).__name__}: {str(exc)[:120]}"
    except Exception as exc:  # noqa: BLE001 - what the benchmark counts
        return "traceback", f"{type(exc).__name__}: {str(exc)[:120]}"
    wrong = check(case, frame, report)
    if wrong:
        kind = "unclear" if all("naming" in w for w in wrong) else "silent loss"
        return kind, "; ".join(wrong[:3])
    return "ok", ""


def baseline(case: Case, work: Path) -> str:
    """Plain pandas on the same bytes: "traceback", "silent loss" or "ok"."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case.name.endswith((".json", ".jsonl", ".geojson")):
                df = pd.read_json(io.BytesIO(case.data), lines=case.name.endswith(".jsonl"))
            else:
                df = pd.read_csv(io.BytesIO(case.data), dtype=str, keep_default_na=False)
    except Exception:  # noqa: BLE001 - a notebook's traceback
        return "traceback"
    if len(df) != len(case.rows):
        return "silent loss"
    if case.rows and "text" in df and list(df["text"].astype(str)) != [r.mark for r in case.rows]:
        return "silent loss"
    if any(r.bad for r in case.rows):  # pandas keeps the bad values as they are, with no word
        return "silent loss"
    return "ok"


# ------------------------------------------------------------------ stores and links
def damaged_stores(rng: random.Random, count: int, work: Path) -> collections.Counter[str]:
    from viz.events.corrections import Corrections
    from viz.events.store import DatasetStore

    out: collections.Counter[str] = collections.Counter()
    root = Path(tempfile.mkdtemp(dir=work))
    source = root / "events.csv"
    rows = [good_row(rng, i) for i in range(20)]
    source.write_text(to_csv(rows))
    for _ in range(count):
        store = DatasetStore(root / f"s{rng.randrange(10**9)}")
        ds = store.add_files([source])
        store.open(ds)
        before = len(store.load(ds)[0])
        store = DatasetStore(store.root)  # a new process: nothing in memory
        d = store.root / ds
        kind = rng.choice(["meta", "report", "parquet", "corrections", "meta-not-object"])
        if kind == "meta":
            text = (d / "meta.json").read_bytes()
            (d / "meta.json").write_bytes(text[: rng.randrange(len(text))])
        elif kind == "meta-not-object":
            (d / "meta.json").write_text(json.dumps(rng.choice([[], 3, "x", None])))
        elif kind == "report":
            report = next(d.glob("report-*.json"))
            report.write_bytes(report.read_bytes()[: rng.randrange(10)])
        elif kind == "parquet":
            part = next(p for p in d.rglob("*.parquet"))
            part.write_bytes(part.read_bytes()[: rng.randrange(1, 200)])
        try:
            if kind == "corrections":
                path = store.root / "corrections.json"
                path.write_text(json.dumps(rng.choice([[], 3, "x", None, {"a": 1}])))
                Corrections(path).all()
                outcome = "ok"
            else:
                after = len(store.load(ds)[0])
                outcome = "ok" if after == before and store.notices or after == before else "silent loss"
        except Exception:  # noqa: BLE001
            outcome = "traceback"
        out[outcome] += 1
    return out


LINKS: list[tuple[dict[str, str], bool]] = [  # params, whether a notice is due
    ({"z": "13"}, False),
    ({"z": "1e308"}, True),
    ({"z": "-5"}, True),
    ({"z": "nan"}, True),
    ({"t0": "2020-01-01", "t1": "9999-12-31"}, True),
    ({"t0": "2022-05-01", "t1": "2020-01-01"}, True),
    ({"win": "9" * 5000}, True),
    ({"win": "-3"}, True),
    ({"from": "0001-01-01"}, True),
    ({"lat": "91", "lon": "10"}, True),
    ({"lat": "10", "lon": "inf"}, True),
    ({"ds": "../../etc/passwd"}, True),
    ({"ev": "<script>alert(1)</script>"}, True),
    ({"area": "box:1,2,3"}, True),
    ({"area": "poly:" + ",".join(["1"] * 9999)}, True),
    ({"mode": "<b>x</b>"}, True),
    ({"v": "99"}, True),
    ({"page": "admin"}, True),
    ({"minf": "1e400"}, True),
    ({"q": "\x00" * 50 + "<img src=x onerror=alert(1)>"}, False),
    ({"actor": "Atlantis"}, True),
    ({"cc": "ZZ"}, True),
    ({"color": "__class__"}, True),
    ({"size": "1" * 300}, True),
]


def links(count: int) -> collections.Counter[str]:
    from streamlit.testing.v1 import AppTest

    out: collections.Counter[str] = collections.Counter()
    for params, notice_due in LINKS[:count]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["v"] = "2"
        for k, v in params.items():
            at.query_params[k] = v
        try:
            at.run()
        except Exception:  # noqa: BLE001
            out["traceback"] += 1
            continue
        if at.exception:
            out["traceback"] += 1
        elif notice_due and not (list(at.warning) or list(at.error) or list(at.info)):
            out["unclear"] += 1
            print(f"    no notice for {params}")
        else:
            out["ok"] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--rows", type=int, default=12)
    ap.add_argument("--stores", type=int, default=15)
    ap.add_argument("--links", type=int, default=len(LINKS))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="viz-hostile-"))
    os.environ["VIZ_STORE_DIR"] = str(work / "app-store")  # the links' sessions use a store of their own
    from viz.geo.geocoder import GazetteerGeocoder

    rng = random.Random(args.seed)
    geo = GazetteerGeocoder()
    totals: dict[str, collections.Counter[str]] = {"viz": collections.Counter(), "pandas": collections.Counter()}
    t0 = time.perf_counter()
    print(f"seed {args.seed}: {args.per_class} cases per file class, each through both readers")
    print(
        f"  {'class':12} {'cases':>5}  {'viz: ok':>8} {'traceback':>9} {'silent':>6} {'unclear':>7}   pandas: traceback / silent"
    )
    for klass, make in CLASSES.items():
        counts: collections.Counter[str] = collections.Counter()
        base: collections.Counter[str] = collections.Counter()
        for _ in range(args.per_class):
            case = make(rng, args.rows)
            base[baseline(case, work)] += 1
            for reader in ("in memory", "engine"):
                outcome, why = run_file(case, reader, geo, work)
                counts[outcome] += 1
                if outcome != "ok" and args.verbose:
                    print(f"    {klass}/{case.name} ({reader}): {outcome}: {why}")
        totals["viz"].update(counts)
        totals["pandas"].update(base)
        print(
            f"  {klass:12} {args.per_class:5}  {counts['ok']:8} {counts['traceback']:9} {counts['silent loss']:6} "
            f"{counts['unclear']:7}   {base['traceback']:6} / {base['silent loss']}"
        )
    stores = damaged_stores(rng, args.stores, work)
    print(f"  {'stores':12} {args.stores:5}  {stores['ok']:8} {stores['traceback']:9} {stores['silent loss']:6} {0:7}")
    shown = links(args.links)
    print(f"  {'links':12} {args.links:5}  {shown['ok']:8} {shown['traceback']:9} {0:6} {shown['unclear']:7}")
    totals["viz"].update(stores)
    totals["viz"].update(shown)
    v = totals["viz"]
    print(
        f"total: {sum(v.values())} outcomes; {v['traceback']} tracebacks, {v['silent loss']} silent losses, "
        f"{v['unclear']} unclear ({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
