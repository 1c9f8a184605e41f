"""Command line: ``python -m viz ...``.

    python -m viz gazetteer build [--force]     build the offline index
    python -m viz gazetteer info                what the index holds
    python -m viz geocode QUERY [--country CC] [--limit N] [--context NAME ...] [--json] [--online]
    python -m viz geocode --jsonl [--online]    JSON lines in, JSON lines out
    python -m viz extract FILE... [--date D] --json   events from articles (or any input) as JSON
    python -m viz extract FILE... --mentions --json   every place mention of the articles as JSON
    python -m viz ingest FILE... [--map a=B ...] --out events.parquet   the frame, and the load report
    python -m viz ingest FILE... --out events/ [--dask local|ADDRESS]   a Parquet dataset (a folder)
    python -m viz schema                        the event frame's columns
    python -m viz settings                      the settings and their help

Exit codes: 0 found, 1 not found, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import itertools
import json
import operator
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import IO, Any

from geopy.exc import GeopyError

from viz import settings as settings_mod


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m viz", description="Geopolitical timeline and map tools.")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("gazetteer", help="build or inspect the offline gazetteer index")
    g.add_argument("action", choices=["build", "info"])
    g.add_argument("--force", action="store_true", help="rebuild even if the index is current")

    q = sub.add_parser("geocode", help="resolve place names with the offline gazetteer")
    q.add_argument("query", nargs="?", help="a place name (omit with --jsonl)")
    q.add_argument("--country", action="append", metavar="CC", help="ISO-2 country code to restrict to (repeatable)")
    q.add_argument("--context", action="append", metavar="NAME", help="another place named in the same document")
    q.add_argument("--limit", type=int, help="print the N best candidates")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin, write one JSON line each")
    q.add_argument("--online", action="store_true", help=settings_mod.HELP["online"])
    q.add_argument("--no-fuzzy", action="store_true", help="never fall back to fuzzy matching")

    for name, helptext in (
        ("extract", "events from news articles (and any other input) as a JSON array"),
        ("ingest", "read files and folders into one event frame; write it and print the load report"),
    ):
        e = sub.add_parser(name, help=helptext)
        e.add_argument("paths", nargs="+", metavar="FILE", help="files or folders")
        e.add_argument("--date", help="article date (YYYY-MM-DD) for plain text without a 'date' first line")
        e.add_argument(
            "--map",
            nargs="+",
            metavar="COLUMN=SOURCE",
            help="column mapping for other tables: date=Date place=Location",
        )
        e.add_argument("--report-json", metavar="PATH", help="also write the load report as JSON")
        e.add_argument(
            "--date-order",
            choices=["day-first", "month-first"],
            help="read numeric dates (03/01/2022) so where a column's own dates do not say",
        )
        if name == "extract":
            e.add_argument("--json", action="store_true", help="print JSON (the default and only output)")
            e.add_argument(
                "--mentions",
                action="store_true",
                help="print every place mention of the articles (offsets, role, resolved place) instead of events",
            )
        else:
            e.add_argument(
                "--out",
                required=True,
                metavar="PATH",
                help="output: .parquet, .csv or .jsonl, or a folder (a Parquet dataset, one file per input)",
            )
            e.add_argument(
                "--dask",
                metavar="ADDRESS",
                help="read CSV/TSV files on a Dask cluster: 'local' for a LocalCluster, or the scheduler's address",
            )

    d = sub.add_parser(
        "store",
        help="the dataset store: add files (prints the id a link names), list datasets, export one as a bundle "
        "or import a bundle under its id",
    )
    d.add_argument("action", choices=["add", "list", "export", "import"])
    d.add_argument(
        "paths", nargs="*", metavar="FILE", help="add: files or folders; export: the dataset id; import: the bundle"
    )
    d.add_argument("--label", help="a name for the dataset (default: the files' names)")
    d.add_argument("--out", help="export: the bundle to write (default: ID.viz.zip)")
    d.add_argument("--link", default="", help="export: the dashboard link to carry in the bundle")

    r = sub.add_parser(
        "render", help="render what a dashboard link shows: its playback as MP4 or GIF, its map as PNG or SVG"
    )
    r.add_argument("url", help="a dashboard link (its query is what counts: ?v=2&ds=...&mode=play&win=30 ...)")
    r.add_argument("--out", required=True, help="FILE.mp4 or FILE.gif (the playback), FILE.png or FILE.svg (the map)")
    r.add_argument("--width", type=int, default=1280, help="pixels across (default 1280)")
    r.add_argument("--height", type=int, default=720, help="pixels down (default 720)")
    r.add_argument("--fps", type=float, default=4.0, help="frames a second of a film (default 4)")
    r.add_argument("--timeline", action="store_true", help="a picture of the timeline instead of the map")

    x = sub.add_parser(
        "export", help="write the events a dashboard link selects to a file (streamed: a selection of any size)"
    )
    x.add_argument("url", help="a dashboard link (its query is what counts: ?v=2&ds=...&actor=...&t0=...)")
    x.add_argument("--out", required=True, help="FILE.csv, FILE.geojson or FILE.jsonl")

    sub.add_parser("schema", help="the event frame's columns as a Markdown table")
    sub.add_parser("settings", help="list the settings with their help")
    return p


def cmd_render(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """``render URL --out FILE``: the link's view rendered offline (Kaleido and Chromium)."""
    from pathlib import Path

    from viz.dashboard.render import RenderError, from_link

    def progress(f: float, msg: str) -> None:
        err.write(f"\r{msg} ({f:.0%})")
        err.flush()

    try:
        path, caption, notices = from_link(
            args.url, Path(args.out), width=args.width, height=args.height, fps=args.fps, timeline=args.timeline,
            progress=progress,
        )  # fmt: skip
    except (RenderError, OSError) as exc:
        err.write(f"\nrender: {exc}\n")
        return 2
    err.write("\n")
    for n in notices:
        err.write(f"link: {n}\n")
    out.write(f"{path}: {path.stat().st_size:,} bytes; {caption}\n")
    return 0


def cmd_export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """``export URL --out FILE``: the link's selection, a batch at a time from the engine."""
    from pathlib import Path

    from viz.dashboard import export
    from viz.dashboard.render import RenderError, linked

    path = Path(args.out)
    if path.suffix.lower() not in export.FORMATS:
        err.write(f"export: --out must end in {', '.join(export.FORMATS)}, got {args.out!r}\n")
        return 2
    part = path.with_name(path.name + ".part")  # a file cut short never stands under the name asked for
    try:
        sel = linked(args.url)
        n = export.write_file(sel.events.batches(sel.shown), part, fmt=path.suffix.lower())
        part.replace(path)
    except RenderError as exc:
        err.write(f"export: {exc}\n")
        return 2
    except OSError as exc:
        part.unlink(missing_ok=True)
        err.write(f"export: cannot write {args.out}: {exc.strerror or exc}\n")
        return 2
    for notice in sel.notices:
        err.write(f"link: {notice}\n")
    out.write(f"{path}: {n:,} events, {path.stat().st_size:,} bytes\n")
    return 0


def cmd_store(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from viz.events.store import DatasetStore, StoreError

    store = DatasetStore()
    if args.action == "list":
        for ds in store.ids():
            meta = store.meta(ds)
            files = sum(f["bytes"] for f in meta["files"])
            out.write(f"{ds}  {meta['added']}  {len(meta['files'])} files, {files:,} bytes  {meta['label']}\n")
        return 0
    if args.action in ("export", "import"):
        return cmd_bundle(store, args, out, err)
    if not args.paths:
        err.write("store add: name the files or folders to add\n")
        return 2
    try:
        ds = store.add_files(args.paths, label=args.label)
    except StoreError as exc:
        err.write(f"store add: {exc}\n")
        return 2
    _, report = store.load(ds, progress=ProgressBar(err))
    err.write(report.summary() + "\n")
    out.write(f"{ds}\n")
    return 0 if report.rows_kept or not report.nothing_read else 2


def cmd_bundle(store: Any, args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """``store export ID --out FILE`` and ``store import FILE``."""
    from viz.events import bundle
    from viz.events.store import StoreError

    if len(args.paths) != 1:
        what = "the dataset id" if args.action == "export" else "the bundle file"
        err.write(f"store {args.action}: name {what}, one\n")
        return 2
    try:
        if args.action == "export":
            ds = args.paths[0]
            path = bundle.export(store, ds, args.out or f"{ds}{bundle.SUFFIX}", link=args.link)
            out.write(f"{path}\n")
            return 0
        got = bundle.import_bundle(store, args.paths[0])
    except (StoreError, OSError) as exc:
        err.write(f"store {args.action}: {exc}\n")
        return 2
    err.write(
        f"imported {got.label}: {got.files} files, {got.corrections} corrections"
        + (f" ({got.replaced} replacing this store's own)" if got.replaced else "")
        + "\n"
    )
    out.write(f"{got.dataset}\n")
    if got.link:
        err.write(f"its link: {got.link}\n")
    return 0


def _geocoder(args: argparse.Namespace) -> Any:
    from viz.geo.geocoder import GazetteerGeocoder

    st = settings_mod.load(online=True if args.online else None)
    gc = GazetteerGeocoder(index_path=st.gazetteer_dir, fuzzy=not args.no_fuzzy)
    if st.online:
        from viz.geo.online import OnlineFallback

        return OnlineFallback.from_settings(gc, st)
    return gc


def _row(loc: Any, query: str) -> dict[str, Any]:
    raw = loc.raw
    from viz.geo.bulk import row_of

    out = row_of(raw, query)
    for extra in ("admin1", "population", "matched_name", "match"):
        if extra in raw:
            out[extra] = raw[extra]
    return out


def _text(row: dict[str, Any]) -> str:
    where = f"{row['lat']:.4f}, {row['lon']:.4f}"
    place = row["name"] + (f", {row['admin1']}" if row.get("admin1") and row["feature"] == "city" else "")
    score = "" if row["score"] is None else f"  score {row['score']:.3f}"
    return f"{place} ({row['country_code'] or '-'})  {where}  {row['feature']}{score}"


def cmd_geocode(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.jsonl:
        if args.query:
            err.write("error: give either QUERY or --jsonl, not both\n")
            return 2
        return geocode_jsonl(_geocoder(args), sys.stdin, out, err)
    if not args.query:
        err.write("error: QUERY is required (or --jsonl)\n")
        return 2
    gc = _geocoder(args)
    try:
        res = gc.geocode(
            args.query,
            exactly_one=args.limit is None,
            country_codes=args.country,
            context=args.context,
            limit=args.limit,
        )
    except GeopyError as exc:
        err.write(f"error: {exc}\n")
        return 2
    if not res:
        err.write(f"not found: {args.query}\n")
        return 1
    rows = [_row(loc, args.query) for loc in (res if isinstance(res, list) else [res])]
    if args.json:
        out.write(json.dumps(rows if args.limit is not None else rows[0], ensure_ascii=False) + "\n")
    else:
        for i, row in enumerate(rows, 1):
            out.write((f"{i}. " if args.limit is not None else "") + _text(row) + "\n")
    return 0


def geocode_jsonl(gc: Any, lines: Iterable[str], out: IO[str], err: IO[str], *, batch: int = 8192) -> int:
    """One JSON object a line in, one a line out, in order.

    A line that is not a JSON object with a string ``query`` gets
    ``{"line": N, "error": ...}``; a name that is not found gets
    ``{"query": ..., "error": "not found"}``; a provider failure (with
    ``--online``) gets its message as the error.  Identical lines are answered
    once (a column repeats its places)."""
    import orjson

    from viz.geo.bulk import BulkGeocoder

    bulk = BulkGeocoder(gc)
    memo: dict[str, tuple[bytes, str]] = {}  # line -> (answer, "found" / "not found" / "error")
    counts = {"lines": 0, "found": 0, "not found": 0, "invalid": 0, "error": 0}

    def parse(line: str) -> dict[str, Any]:
        item = orjson.loads(line)
        if not isinstance(item, dict):
            raise TypeError("a line must be a JSON object")
        if not isinstance(item.get("query"), str):
            raise TypeError('"query" must be a string')
        for k in ("country_codes", "context"):
            v = item.get(k)
            if v is not None and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                raise TypeError(f'"{k}" must be a list of strings')
        return item

    loads, dumps = orjson.loads, orjson.dumps
    # answers are UTF-8 JSON text: written as bytes where the stream has a
    # buffer (standard output), else decoded (a text stream in tests)
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    write = binary.write if binary is not None else (lambda b: out.write(b.decode()))
    first = operator.itemgetter(0)

    def plain(new: list[str]) -> tuple[list[dict[str, Any]], list[str]] | None:
        """The lines parsed, and their queries, when every one is the common
        ``{"query": "..."}``; None otherwise (each line is then checked alone)."""
        try:
            items = list(map(loads, new))
            if set(map(type, items)) != {dict} or set(map(len, items)) != {1}:
                return None
            queries = list(map(operator.itemgetter("query"), items))
        except (ValueError, KeyError):
            return None
        return (items, queries) if set(map(type, queries)) == {str} else None

    def answer(item: dict[str, Any], row: dict[str, Any] | None) -> tuple[bytes, str]:
        if row is None:
            return dumps({"query": item["query"], "error": "not found"}), "not found"
        return dumps(row), "error" if "error" in row else "found"

    def flush(first_lineno: int, block: list[str]) -> None:
        lines = [line for line in block if line] if "" in block else block
        new = [line for line in dict.fromkeys(lines) if line not in memo]
        bad: dict[str, str] = {}
        common = plain(new) if new else None
        if common is not None:
            # the usual batch: answers written as JSON text straight from the
            # precomputed fields; the rest asked the full way
            items, queries = common
            texts = bulk.json_rows(queries)
            statuses = ["found"] * len(texts)
            rest = [i for i, t in enumerate(texts) if t is None]
            for i, row in zip(rest, bulk.geocode_list([items[i] for i in rest]), strict=True):
                texts[i], statuses[i] = answer(items[i], row)
            memo.update(zip(new, zip(texts, statuses, strict=True), strict=True))  # type: ignore[arg-type]
        else:
            good: list[str] = []
            parsed: list[dict[str, Any]] = []
            for line in new:
                try:
                    parsed.append(parse(line))
                except (ValueError, TypeError) as exc:
                    bad[line] = str(exc)
                    continue
                good.append(line)
            for line, item, row in zip(good, parsed, bulk.geocode_list(parsed), strict=True):
                memo[line] = answer(item, row)
        if bad:
            parts = []
            for lineno, line in enumerate(block, first_lineno):
                if not line:
                    continue
                if line in bad:
                    counts["invalid"] += 1
                    parts.append(dumps({"line": lineno, "error": f"bad input line {lineno}: {bad[line]}"}))
                else:
                    text, status = memo[line]
                    counts[status] += 1
                    parts.append(text)
        else:
            got = list(map(memo.__getitem__, lines))
            parts = list(map(first, got))
            for status, n in Counter(map(operator.itemgetter(1), got)).items():
                counts[status] += n
        counts["lines"] += len(lines)
        if parts:
            write(b"\n".join(parts) + b"\n")
        if len(memo) > 500_000:
            memo.clear()

    it = iter(lines)
    lineno = 1
    while block := list(itertools.islice(it, batch)):
        flush(lineno, list(map(str.strip, block)))
        lineno += len(block)
    if binary is not None:
        binary.flush()
    err.write(
        f"geocoded {counts['lines']} lines: {counts['found']} found, {counts['not found']} not found, "
        f"{counts['invalid']} invalid, {counts['error']} provider errors\n"
    )
    return 0


def cmd_gazetteer(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from viz.geo.build import build_index
    from viz.geo.features import default_index_dir, index_is_current
    from viz.geo.gazetteer import Gazetteer

    path = default_index_dir()
    if args.action == "build":
        if index_is_current(path) and not args.force:
            err.write("gazetteer index is current (use --force to rebuild)\n")
            return 0
        build_index(path)
        return 0
    gz = Gazetteer.open(path)
    manifest = json.loads((path / "manifest.json").read_text())
    import numpy as np

    feats = np.bincount(np.asarray(gz.feature), minlength=6)
    out.write(
        json.dumps(
            {
                "places": len(gz),
                "countries": int(feats[0]),
                "admin1": int(feats[1]),
                "admin2": int(feats[4]),
                "cities": int(feats[2]),
                "continents": int(feats[3]),
                "world_regions": int(feats[5]),
                "name_keys": len(gz.keys.hash),
                "skeleton_keys": len(gz.skeletons.hash),
                "sources": manifest["sources"],
            },
            indent=2,
        )
        + "\n"
    )
    return 0


class ProgressBar:
    """A progress bar on stderr when it is a terminal; a line a step otherwise."""

    def __init__(self, err: IO[str]) -> None:
        self.err = err
        self.tty = hasattr(err, "isatty") and err.isatty()
        self.last = ""

    def __call__(self, fraction: float, message: str) -> None:
        if self.tty:
            bar = "#" * int(30 * fraction)
            self.err.write(f"\r[{bar:<30}] {fraction:4.0%} {message[:60]:<60}")
            if fraction >= 1:
                self.err.write("\n")
        elif message != self.last and fraction < 1:
            self.err.write(f"{fraction:4.0%} {message}\n")
        self.last = message
        self.err.flush()


def cmd_mentions(args: argparse.Namespace, day: Any, out: IO[str], err: IO[str]) -> int:
    """``extract --mentions``: the place mentions of every article named."""
    from viz.errors import InputError
    from viz.events.articles import extract_file
    from viz.events.ingest import expand, is_article

    rows: list[dict[str, Any]] = []
    read = failed = 0
    for path in expand(args.paths):
        if not path.exists():
            err.write(f"{path.name}: no such file\n")
            failed += 1
            continue
        if not (is_article(path) or (day is not None and path.suffix.lower() in (".txt", ""))):
            err.write(f"{path.name}: not an article (no 'date YYYY-MM-DD' first line, no --date): no mentions read\n")
            failed += 1
            continue
        try:
            found, _ = extract_file(path, default_date=day, mentions=True)
        except InputError as exc:
            err.write(f"error: {exc}\n")
            failed += 1
            continue
        read += 1
        rows.extend(found)
    err.write(f"{len(rows)} place mentions from {read} article(s); {failed} file(s) not read\n")
    out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    return 2 if read == 0 else 0


def cmd_load(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from datetime import date

    from viz.dashboard.export import records
    from viz.errors import InputError
    from viz.events.ingest import load

    mapping = None
    if args.map:
        mapping = {}
        for pair in args.map:
            k, sep, v = pair.partition("=")
            if not sep or not k or not v:
                err.write(f"error: --map wants COLUMN=SOURCE pairs, got {pair!r}\n")
                return 2
            mapping[k.strip()] = v.strip()
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        err.write(f"error: --date wants YYYY-MM-DD, got {args.date!r}\n")
        return 2
    if getattr(args, "mentions", False):
        return cmd_mentions(args, day, out, err)
    if args.command == "ingest":
        return cmd_ingest(args, mapping, day, out, err)
    try:
        frame, report = load(
            args.paths, mapping=mapping, article_date=day, progress=ProgressBar(err), date_order=args.date_order
        )
    except InputError as exc:
        err.write(f"error: {exc}\n")
        return 2
    said(args, report, err)
    out.write(json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n")
    return 2 if report.nothing_read else 0


def said(args: argparse.Namespace, report: Any, err: IO[str]) -> None:
    """The load report: its summary on stderr, and as JSON where asked."""
    if args.report_json:
        with open(args.report_json, "w", encoding="utf-8") as fh:
            json.dump(report.to_dict(), fh, indent=2, ensure_ascii=False)
    err.write(report.summary() + "\n")


def cmd_ingest(args: argparse.Namespace, mapping: dict[str, str] | None, day: Any, out: IO[str], err: IO[str]) -> int:
    """Files into a dataset folder (streamed: big files never whole in
    memory), then into the one file asked for, a part at a time."""
    import shutil
    import tempfile
    from pathlib import Path

    from viz.dashboard.export import records, to_csv
    from viz.errors import InputError
    from viz.events import dataset, engine, schema

    dest = args.out
    folder = dest.endswith(("/", "\\")) or Path(dest).is_dir() or not Path(dest).suffix
    if not folder and not dest.endswith((".parquet", ".csv", ".jsonl")):
        err.write(f"error: --out must end in .parquet, .csv or .jsonl, or name a folder, got {dest!r}\n")
        return 2
    work = Path(dest) if folder else Path(tempfile.mkdtemp(prefix=".viz-ingest-", dir=Path(dest).resolve().parent))
    try:
        try:
            if args.dask:
                from viz.events import distributed

                report = distributed.ingest(
                    args.paths, work, address=args.dask, mapping=mapping, date_order=args.date_order
                )
            else:
                report = dataset.ingest(
                    args.paths,
                    work,
                    mapping=mapping,
                    article_date=day,
                    progress=ProgressBar(err),
                    date_order=args.date_order,
                )
        except InputError as exc:
            err.write(f"error: {exc}\n")
            return 2
        said(args, report, err)
        n = report.rows_kept
        if dest.endswith(".parquet"):
            con = engine.connect()
            try:
                cols = ", ".join(engine.ident(c) for c in schema.NAMES)
                parts = [str(p) for p in dataset.parts(work)]
                if parts:
                    src = "read_parquet([" + ", ".join(engine.lit(p) for p in parts) + "], hive_partitioning = false)"
                    con.execute(f"COPY (SELECT {cols} FROM {src} ORDER BY date) TO {engine.lit(dest)} (FORMAT parquet)")
                else:
                    schema.empty().to_parquet(dest, index=False)
            finally:
                con.close()
        elif dest.endswith(".csv"):
            with open(dest, "wb") as fh:
                first = True
                for part in dataset.frames(work):
                    data = to_csv(part)
                    fh.write(data if first else data.split(b"\r\n", 1)[1])
                    first = False
                if first:
                    fh.write(to_csv(schema.empty()))
        elif dest.endswith(".jsonl"):
            with open(dest, "w", encoding="utf-8") as fh:
                for part in dataset.frames(work):
                    for rec in records(part):
                        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        err.write(f"wrote {n} events to {dest}\n")
    finally:
        if not folder:
            shutil.rmtree(work, ignore_errors=True)
    return 2 if report.nothing_read else 0


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    if args.command == "geocode":
        return cmd_geocode(args, out, err)
    if args.command == "gazetteer":
        return cmd_gazetteer(args, out, err)
    if args.command in ("extract", "ingest"):
        return cmd_load(args, out, err)
    if args.command == "store":
        return cmd_store(args, out, err)
    if args.command == "render":
        return cmd_render(args, out, err)
    if args.command == "export":
        return cmd_export(args, out, err)
    if args.command == "schema":
        from viz.events.schema import markdown_table

        out.write(markdown_table() + "\n")
        return 0
    out.write(settings_mod.describe() + "\n")
    return 0
