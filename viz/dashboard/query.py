"""The dashboard asks DuckDB, it does not hold the events.

``Events(files, corrections)`` opens one dataset (its Parquet files, see
:mod:`viz.events.dataset`) with the saved geocoding corrections joined in,
and answers exactly what a rerun draws: the filter options, the count of
events selected, the timeline's bins, the map's points (at most the points
threshold) or grid cells, the choropleth's counts, the table's page, one
event.  Every answer is a small pandas frame for the pure figure modules; the
whole selection is read only when a download asks for it.

The filters mean what :mod:`viz.dashboard.filters` says (that module filters
a pandas frame the same way, for the library and the tests): actors whole
within the "; "-joined list, an overlap with the date ranges, every word of
the text search in the evidence, places or actors (the words folded to lower
case, matched in a folded column written at ingest), the map's area through
the same point-in-polygon test.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from viz import settings
from viz.dashboard.area import Polygon, contains
from viz.dashboard.figures import MAX_ACTOR_TRACES, NO_TYPE, OTHER_ACTORS
from viz.dashboard.timeline import bin_for, order_columns, spread_spans
from viz.dashboard.viewstate import Filters
from viz.events import schema
from viz.events.corrections import Correction
from viz.events.schema import EVENT_TYPES

# a column's type in the files, whatever a file with no value in it was written as
SQL_TYPES = {
    "str": "VARCHAR",
    "datetime64[ns]": "TIMESTAMP",
    "category": "VARCHAR",
    "Float64": "DOUBLE",
    "Int64": "BIGINT",
}
FREQ_TRUNC = {"D": "day", "W": "week", "M": "month"}
MAX_EPISODES = 5_000
SEL_MAX = 1_000_000  # a selection up to this many events is copied once and counted from the copy
NARROW = "_k, date, date_end, date_precision, event_type, actor1, lat, lon, fatalities, country_code, admin1"  # what the counts read  # episode ranges drawn under the timeline's bars


@dataclass(frozen=True)
class Where:
    """An SQL condition and its parameters."""

    sql: str
    params: tuple[Any, ...] = ()

    def __and__(self, other: Where) -> Where:
        if other.sql == "true":
            return self
        if self.sql == "true":
            return other
        return Where(f"({self.sql}) AND ({other.sql})", self.params + other.params)

    @property
    def key(self) -> str:
        return self.sql + "\x1f" + repr(self.params)


ALL = Where("true")


def _in_area(lon: Any, lat: Any, polygon: Any) -> Any:
    """DuckDB's vectorised call of :func:`viz.dashboard.area.contains`."""
    import pyarrow as pa

    ring = tuple(tuple(p) for p in json.loads(polygon[0].as_py()))
    x = lon.to_numpy(zero_copy_only=False).astype(float)
    y = lat.to_numpy(zero_copy_only=False).astype(float)
    return pa.array(contains(ring, x, y))


class Events:
    """One dataset's events behind a DuckDB connection (one per dataset,
    shared by sessions; each call takes its own cursor)."""

    def __init__(self, files: Sequence[str | Path], corrections: Sequence[Correction] = ()) -> None:
        import duckdb

        self._con = duckdb.connect(config={"memory_limit": f"{settings.load().engine_memory_mb}MB"})
        self._con.execute("SET enable_progress_bar = false")
        self._con.create_function(  # type: ignore[call-overload]  # the stubs miss arrow UDFs' arrays
            "in_area", _in_area, ["DOUBLE", "DOUBLE", "VARCHAR"], "BOOLEAN", type="arrow", side_effects=False
        )
        self._lock = threading.Lock()
        fix = pd.DataFrame(
            [
                (c.place, c.country, c.lat, c.lon, c.name, c.country_code or None, c.precision, c.geonameid)
                for c in corrections
            ],
            columns=["c_place", "c_country", "c_lat", "c_lon", "c_name", "c_cc", "c_prec", "c_id"],
        ).astype({"c_place": object, "c_country": object, "c_lat": float, "c_lon": float, "c_id": "Int64"})
        self._con.register("_fix", fix)  # a table, not the registered frame: cursors see tables only
        self._con.execute("CREATE TABLE corrections AS SELECT * FROM _fix")
        self._con.unregister("_fix")
        typed = ", ".join(f"CAST({c.name} AS {SQL_TYPES[c.dtype]}) AS {c.name}" for c in schema.COLUMNS)
        # _k: a row's number in the dataset (file, row), the key of the text search's hits
        reads = [
            f"SELECT {i} * {1 << 40} + file_row_number AS _k, {typed}, CAST(search AS VARCHAR) AS search "
            f"FROM read_parquet('{str(f).replace(chr(39), chr(39) * 2)}', file_row_number = true)"
            for i, f in enumerate(files)
        ]
        if not reads:
            cols = ", ".join(f"CAST(NULL AS {SQL_TYPES[c.dtype]}) AS {c.name}" for c in schema.COLUMNS)
            reads = [f"SELECT CAST(NULL AS BIGINT) AS _k, {cols}, CAST(NULL AS VARCHAR) AS search WHERE false"]
        hit = "(c.c_place IS NOT NULL)"
        fixed = {
            "lat": f"CASE WHEN {hit} THEN c.c_lat ELSE e.lat END",
            "lon": f"CASE WHEN {hit} THEN c.c_lon ELSE e.lon END",
            "place_name": f"CASE WHEN {hit} THEN c.c_name ELSE e.place_name END",
            "country_code": f"CASE WHEN {hit} THEN c.c_cc ELSE e.country_code END",
            "geo_precision": f"CASE WHEN {hit} THEN c.c_prec ELSE e.geo_precision END",
            "geonameid": f"CASE WHEN {hit} THEN c.c_id ELSE e.geonameid END",
            "geo_score": f"CASE WHEN {hit} THEN NULL ELSE e.geo_score END",
            "admin1": f"CASE WHEN {hit} THEN NULL ELSE e.admin1 END",
            "geo_source": f"CASE WHEN {hit} THEN 'correction' ELSE e.geo_source END",
        }
        cols = ", ".join(f"{fixed.get(c, 'e.' + c)} AS {c}" for c in schema.NAMES)
        self._con.execute("CREATE VIEW ev_raw AS " + " UNION ALL BY NAME ".join(reads))
        if not corrections:  # nothing to join: the files' rows as they are
            self._con.execute("CREATE VIEW ev AS SELECT *, false AS corrected FROM ev_raw")
        else:
            self._con.execute(
                f"CREATE VIEW ev AS SELECT e._k, {cols}, e.search AS search, {hit} AS corrected FROM ev_raw e "
                "LEFT JOIN corrections c ON coalesce(e.place, '') = c.c_place AND coalesce(e.country_code, '') = c.c_country "
                "AND e.geo_source IS DISTINCT FROM 'source'"
            )
        self.total, self.corrected = self._one("SELECT count(*), count(*) FILTER (corrected) FROM ev")
        self._options: tuple[list[str], list[str], list[str]] | None = None
        self._counts: dict[str, dict[str, int]] | None = None
        self._names = itertools.count()  # the tables this query makes
        self._hits: dict[str, str] = {}  # text searched -> the table of its hits
        self._summaries: dict[str, tuple[Any, ...]] = {}
        self._answers: dict[tuple[Any, ...], Any] = {}
        self._sels: dict[str, str] = {}  # condition -> its copied selection ("" when too big to copy)

    def close(self) -> None:
        self._con.close()

    # ------------------------------------------------------------ plumbing
    def _cursor(self) -> Any:
        with self._lock:
            return self._con.cursor()

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cur = self._cursor()
        try:
            return cur.execute(sql, list(params)).df()
        finally:
            cur.close()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        cur = self._cursor()
        try:
            row = cur.execute(sql, list(params)).fetchone()
            return tuple(row) if row else ()
        finally:
            cur.close()

    @staticmethod
    def _events(df: pd.DataFrame) -> pd.DataFrame:
        return schema.conform(df[[c for c in schema.NAMES if c in df.columns]])

    # ------------------------------------------------------------ filters
    def where(self, f: Filters, time: tuple[date, date] | None = None, *, area: bool = True) -> Where:
        """The condition of :func:`viz.dashboard.filters.mask`."""
        parts: list[Where] = []
        if f.actors:  # one of the "; "-joined names, whole (a substring test: no list built per row)
            any_of = " OR ".join("contains('; ' || actors || '; ', ?)" for _ in f.actors)
            parts.append(Where(f"({any_of})", tuple(f"; {a}; " for a in f.actors)))
        for col, values in (("event_type", f.types), ("country_code", f.countries), ("geo_precision", f.precisions)):
            if values:
                parts.append(Where(f"{col} IN ({', '.join('?' for _ in values)})", tuple(values)))
        for start, end in ((f.date_from, f.date_to), time or (None, None)):
            if start is not None:
                parts.append(Where("coalesce(date_end, date) >= ?", (pd.Timestamp(start).to_pydatetime(),)))
            if end is not None:
                parts.append(Where("date <= ?", (pd.Timestamp(end).to_pydatetime(),)))
        if f.min_fatalities is not None:
            parts.append(Where("fatalities >= ?", (int(f.min_fatalities),)))
        if area and f.area:
            parts.append(self.area(f.area))
        if f.text.split():
            parts.append(Where(f"_k IN (SELECT _k FROM {self._text_hits(f.text)})"))
        out = ALL
        for p in parts:
            out = out & p
        return out

    def _text_hits(self, text: str) -> str:
        """The table of the rows whose folded haystack holds every word of
        ``text``: the long column is scanned once per text searched, not on
        every rerun while the text stays (the last 8 texts are kept)."""
        words = text.lower().split()
        key = " ".join(words)
        with self._lock:
            name = self._hits.get(key)
        if name is not None:
            return name
        name = f"hits_{next(self._names)}"  # a fresh name: two texts never share a table
        cond = " AND ".join("contains(search, ?)" for _ in words)
        cur = self._cursor()
        try:
            cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT _k FROM ev_raw WHERE {cond}", words)
        finally:
            cur.close()
        with self._lock:
            self._hits[key] = name
            while len(self._hits) > 8:
                old = self._hits.pop(next(iter(self._hits)))
                self._con.execute(f"DROP TABLE IF EXISTS {old}")
        return name

    def summary(self, w: Where = ALL) -> tuple[Any, ...]:
        """Count, located count, the located points' extent, the dates' range
        and the number of episodes of ``w``, in one scan (kept for the
        conditions asked last)."""
        rel, c = self._sel(w)
        with self._lock:
            hit = self._summaries.get(w.key)
        if hit is None:
            hit = self._one(
                "SELECT count(*), count(*) FILTER (lat IS NOT NULL AND lon IS NOT NULL), "
                "min(lat) FILTER (lon IS NOT NULL), max(lat) FILTER (lon IS NOT NULL), "
                "min(lon) FILTER (lat IS NOT NULL), max(lon) FILTER (lat IS NOT NULL), min(date), max(date), "
                "count(*) FILTER (date_end > date) "
                f"FROM {rel} WHERE {c.sql}",
                c.params,
            )
            with self._lock:
                self._summaries[w.key] = hit
                while len(self._summaries) > 16:
                    self._summaries.pop(next(iter(self._summaries)))
        return hit

    def _sel(self, w: Where) -> tuple[str, Where]:
        """Where to count ``w``'s events: the selection, copied once into a
        small table (its narrow columns) when it holds at most SEL_MAX
        events, so the summary, the timeline and the map each scan that
        rather than the dataset; else the dataset, filtered again."""
        if w.sql == "true":
            return "ev", w
        with self._lock:
            name = self._sels.get(w.key)
        if name is None:
            name = f"sel_{next(self._names)}"
            cur = self._cursor()
            try:
                cur.execute(
                    f"CREATE OR REPLACE TABLE {name} AS SELECT {NARROW} FROM ev WHERE {w.sql} LIMIT {SEL_MAX + 1}",
                    list(w.params),
                )
                ((n,),) = cur.execute(f"SELECT count(*) FROM {name}").fetchall()
                if n > SEL_MAX:
                    cur.execute(f"DROP TABLE {name}")
                    name = ""
            finally:
                cur.close()
            with self._lock:
                self._sels[w.key] = name
                while len(self._sels) > 4:
                    old = self._sels.pop(next(iter(self._sels)))
                    if old:
                        self._con.execute(f"DROP TABLE IF EXISTS {old}")
        return (name, ALL) if name else ("ev", w)

    @staticmethod
    def area(polygon: Polygon | None) -> Where:
        if not polygon:
            return ALL
        xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
        box = (min(ys), max(ys), min(xs), max(xs))
        return Where(
            "lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND in_area(lon, lat, ?)",
            (*box, json.dumps([list(p) for p in polygon])),
        )

    # ------------------------------------------------------------ answers
    def count(self, w: Where = ALL) -> int:
        return int(self.summary(w)[0])

    def located_count(self, w: Where = ALL) -> int:
        return int(self.summary(w)[1])

    def options(self) -> tuple[list[str], list[str], list[str]]:
        """Actors, countries and event types the filters offer (computed once)."""
        if self._options is None:
            actors = self._df(
                "SELECT DISTINCT a FROM (SELECT unnest(string_split(actors, '; ')) AS a FROM "
                "(SELECT DISTINCT actors FROM ev WHERE actors IS NOT NULL)) WHERE a <> '' ORDER BY a"
            )["a"].tolist()
            countries = self._df(
                "SELECT DISTINCT country_code AS c FROM ev WHERE coalesce(country_code, '') <> '' ORDER BY c"
            )["c"].tolist()
            present = set(self._df("SELECT DISTINCT event_type AS t FROM ev WHERE event_type IS NOT NULL")["t"])
            self._options = (actors, countries, [t for t in EVENT_TYPES if t in present])
        return self._options

    def option_counts(self) -> dict[str, dict[str, int]]:
        """How many events of the dataset each option names: ``actors``,
        ``countries`` and ``types`` (computed once; the actors from the distinct
        "; "-joined lists, not from every row)."""
        if self._counts is None:
            actors: Counter[str] = Counter()
            combos = self._df("SELECT actors, count(*) AS n FROM ev WHERE actors IS NOT NULL GROUP BY actors")
            for combo, n in zip(combos["actors"], combos["n"], strict=True):
                for a in set(str(combo).split("; ")) - {""}:
                    actors[a] += int(n)
            by = {
                kind: {
                    str(k): int(n)
                    for k, n in self._df(
                        f"SELECT {col} AS k, count(*) AS n FROM ev WHERE coalesce({col}, '') <> '' GROUP BY k"
                    ).values
                }
                for kind, col in (("countries", "country_code"), ("types", "event_type"))
            }
            self._counts = {"actors": dict(actors), **by}
        return self._counts

    def date_bounds(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        lo, hi = self._one("SELECT min(date), max(date) FROM ev")
        return (pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()) if lo is not None else None

    def has_event(self, ev: object) -> bool:
        return bool(self._one("SELECT count(*) FROM ev WHERE event_id = ?", (str(ev),))[0])

    def event(self, ev: str) -> pd.DataFrame:
        return self._events(self._df("SELECT * FROM ev WHERE event_id = ? LIMIT 1", (ev,)))

    def same_evidence(self, text: str, source: str) -> pd.DataFrame:
        """The events read from the same text of the same source (the places to mark)."""
        return self._events(
            self._df("SELECT * FROM ev WHERE text = ? AND coalesce(source, '') = ? LIMIT 1000", (text, source))
        )

    def rows(self, w: Where = ALL, *, limit: int | None = None, newest_first: bool = False) -> pd.DataFrame:
        """The events themselves (the table's page, the map's points, the
        download).  With a limit, the rows are picked from the selection's
        narrow columns first and only those are read whole."""
        order = " ORDER BY date DESC NULLS LAST, _k" if newest_first else ""
        if limit is None:
            return self._events(self._df(f"SELECT * FROM ev WHERE {w.sql}{order}", w.params))
        return self._pick(w, f"{order} LIMIT {int(limit)}", order)

    def batches(self, w: Where = ALL, *, rows: int = 100_000) -> Iterator[pd.DataFrame]:
        """The selection's events whole, ``rows`` at a time (a download of
        any size, never one frame): read from the engine as they are asked for."""
        cur = self._cursor()
        try:
            res = cur.execute(f"SELECT * FROM ev WHERE {w.sql}", list(w.params))
            vectors = max(1, rows // 2048)  # DuckDB hands rows over in vectors of 2,048
            while len(chunk := res.fetch_df_chunk(vectors)):  # converted as a whole frame is
                for i in range(0, len(chunk), rows):
                    yield self._events(chunk.iloc[i : i + rows].reset_index(drop=True))
        finally:
            cur.close()

    def at_point(self, w: Where, lat: float, lon: float, *, limit: int = 1000) -> pd.DataFrame:
        """The events of the selection drawn at one point (a stack on the map:
        the same coordinates to 1e-4 degrees), newest first."""
        near = Where("abs(lat - ?) < 0.00006 AND abs(lon - ?) < 0.00006", (float(lat), float(lon)))
        return self._pick(
            w & near,
            f" ORDER BY date DESC NULLS LAST, _k LIMIT {int(limit)}",
            " ORDER BY date DESC NULLS LAST, _k",
        )

    def points(self, w: Where, limit: int) -> pd.DataFrame:
        """The located events to draw one by one (at most ``limit``)."""
        return self._pick(w, f" AND lat IS NOT NULL AND lon IS NOT NULL LIMIT {int(limit)}", "")

    def _pick(self, w: Where, tail: str, order: str) -> pd.DataFrame:
        return self._memo(("pick", w.key, tail, order), lambda: self._picked(w, tail, order))

    def _picked(self, w: Where, tail: str, order: str) -> pd.DataFrame:
        rel, c = self._sel(w)
        keys = self._df(f"SELECT _k FROM {rel} WHERE ({c.sql}){tail}", c.params)["_k"].tolist()
        if not keys:
            return self._events(self._df("SELECT * FROM ev WHERE false"))
        return self._events(self._df(f"SELECT * FROM ev WHERE _k IN (SELECT unnest(?)){order}", (keys,)))

    def extent(self, w: Where) -> tuple[np.ndarray, np.ndarray]:
        """The located events' latitudes and longitudes at their extremes (what
        framing and cell sizes look at)."""
        _, n, lat0, lat1, lon0, lon1 = self.summary(w)[:6]
        if not n:
            return np.array([], dtype=float), np.array([], dtype=float)
        return np.array([lat0, lat1], dtype=float), np.array([lon0, lon1], dtype=float)

    def grid(self, w: Where, cell: float) -> pd.DataFrame:
        return self._memo(("grid", w.key, cell), lambda: self._grid(w, cell))

    def _memo(self, key: tuple[Any, ...], compute: Any) -> Any:
        """An answer kept for the conditions asked last (the same link opened
        by another session, a rerun that changed no filter)."""
        with self._lock:
            hit = self._answers.get(key)
        if hit is None:
            hit = compute()
            with self._lock:
                self._answers[key] = hit
                while len(self._answers) > 32:
                    self._answers.pop(next(iter(self._answers)))
        return hit

    def _grid(self, w: Where, cell: float) -> pd.DataFrame:
        """:func:`viz.dashboard.aggregate.grid`, counted by the engine."""
        rel, c = self._sel(w)
        out = self._df(
            "SELECT -90 + (i + 0.5) * ? AS lat, -180 + (j + 0.5) * ? AS lon, count(*) AS events, "
            "CAST(coalesce(sum(fatalities), 0) AS BIGINT) AS fatalities FROM ("
            "SELECT CAST(floor((lat + 90) / ?) AS BIGINT) AS i, CAST(floor((lon + 180) / ?) AS BIGINT) AS j, fatalities "
            f"FROM {rel} WHERE lat IS NOT NULL AND lon IS NOT NULL AND {c.sql}) GROUP BY i, j ORDER BY i, j",
            (cell, cell, cell, cell, *c.params),
        )
        return out.astype({"events": "int64", "fatalities": "int64"})

    def by_country(self, w: Where) -> pd.DataFrame:
        """:func:`viz.dashboard.aggregate.by_country`, counted by the engine."""
        rel, c = self._sel(w)
        from viz.dashboard.aggregate import iso3

        out = self._df(
            "SELECT country_code, count(*) AS events, CAST(coalesce(sum(fatalities), 0) AS BIGINT) AS fatalities "
            f"FROM {rel} WHERE coalesce(country_code, '') <> '' AND {c.sql} GROUP BY country_code ORDER BY country_code",
            c.params,
        )
        out["iso3"] = iso3(out["country_code"])
        return out.astype({"events": "int64", "fatalities": "int64"})

    def by_region(self, w: Where) -> pd.DataFrame:
        """:func:`viz.dashboard.aggregate.by_region`, counted by the engine."""
        rel, c = self._sel(w)
        out = self._df(
            "SELECT country_code, admin1, count(*) AS events, CAST(coalesce(sum(fatalities), 0) AS BIGINT) AS fatalities, "
            f"avg(lat) AS lat, avg(lon) AS lon FROM {rel} WHERE lat IS NOT NULL AND lon IS NOT NULL "
            f"AND coalesce(admin1, '') <> '' AND {c.sql} GROUP BY country_code, admin1 ORDER BY country_code, admin1",
            c.params,
        )
        return out.astype({"events": "int64", "fatalities": "int64"})

    def source(self, w: Where) -> Bound:
        """The events of ``w`` as the map's :class:`viz.dashboard.mapview.Source`."""
        return Bound(self, w)

    def __contains__(self, ev: object) -> bool:  # the view's check of a linked event
        return self.has_event(ev)

    def __bool__(self) -> bool:
        return self.total > 0

    def geocoded(self) -> pd.DataFrame:
        """The events placed by name (not by the data's coordinates), as the
        data gave them, corrections not applied: the review page's rows."""
        return self._events(
            self._df(
                "SELECT * FROM ev_raw WHERE geo_source IS DISTINCT FROM 'source' AND trim(coalesce(place, '')) <> ''"
            )
        )

    def timeline(self, w: Where, stack_by: str) -> tuple[pd.DataFrame, str, pd.DataFrame, pd.DataFrame]:
        return self._memo(("timeline", w.key, stack_by), lambda: self._timeline(w, stack_by))

    def _timeline(self, w: Where, stack_by: str) -> tuple[pd.DataFrame, str, pd.DataFrame, pd.DataFrame]:
        """The timeline's table (bins x types or actors) of the events dated
        to the day, its bin, the episodes to draw under it, and the events
        dated only to a week, month or year spread over their span, as
        :func:`viz.dashboard.timeline.counts` and :func:`~viz.dashboard.timeline.spread`."""
        rel, c = self._sel(w)
        lo, hi, n_episodes = self.summary(w)[6:]
        if lo is None:
            return pd.DataFrame(), "D", pd.DataFrame(columns=["date", "date_end"]), pd.DataFrame()
        freq = bin_for(pd.Timestamp(lo), pd.Timestamp(hi))
        trunc = f"CAST(date_trunc('{FREQ_TRUNC[freq]}', date) AS TIMESTAMP)"
        if stack_by == "actor":
            top = self._df(
                f"SELECT coalesce(actor1, '(no actor named)') AS a, count(*) AS n FROM {rel} WHERE date IS NOT NULL AND {c.sql} "
                f"GROUP BY a ORDER BY n DESC, a LIMIT {MAX_ACTOR_TRACES}",
                c.params,
            )["a"].tolist()
            key = "CASE WHEN coalesce(actor1, '(no actor named)') IN (SELECT unnest(?)) THEN coalesce(actor1, '(no actor named)') ELSE ? END"
            params: tuple[Any, ...] = (top, OTHER_ACTORS, *c.params)
        else:
            key, params = "coalesce(CAST(event_type AS VARCHAR), ?)", (NO_TYPE, *c.params)
        vague = "coalesce(date_precision, 'day') IN ('week', 'month', 'year')"
        long = self._df(
            f"SELECT {trunc} AS bin, {key} AS key, count(*) AS n FROM {rel} "
            f"WHERE date IS NOT NULL AND NOT {vague} AND {c.sql} GROUP BY ALL",
            params,
        )
        spans = self._df(
            f"SELECT CAST(date_precision AS VARCHAR) AS precision, CAST(date AS TIMESTAMP) AS date, {key} AS key, "
            f"count(*) AS n FROM {rel} WHERE date IS NOT NULL AND {vague} AND {c.sql} GROUP BY ALL",
            params,
        )
        table = long.pivot_table(index="bin", columns="key", values="n", fill_value=0, aggfunc="sum").sort_index()
        table.columns = [str(c) for c in table.columns]
        table.index.name = "bin"
        table = order_columns(table, stack_by)
        none = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "date_end": pd.Series(dtype="datetime64[ns]")})
        episodes = (
            self._df(
                f"SELECT date, date_end FROM {rel} WHERE date_end > date AND {c.sql} ORDER BY date LIMIT {MAX_EPISODES}",
                c.params,
            )
            if n_episodes
            else none
        )
        return table.astype("int64"), freq, episodes, spread_spans(spans, freq, stack_by)


@dataclass(frozen=True)
class Bound:
    """An :class:`Events` query bound to one condition (the map's source)."""

    events: Events
    where: Where

    def located_count(self) -> int:
        return self.events.located_count(self.where)

    def points(self, limit: int) -> pd.DataFrame:
        return self.events.points(self.where, limit)

    def extent(self) -> tuple[np.ndarray, np.ndarray]:
        return self.events.extent(self.where)

    def grid(self, cell: float) -> pd.DataFrame:
        return self.events.grid(self.where, cell)

    def by_country(self) -> pd.DataFrame:
        return self.events.by_country(self.where)

    def by_region(self) -> pd.DataFrame:
        return self.events.by_region(self.where)
