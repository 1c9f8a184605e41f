"""The event formats of :mod:`viz.events.formats` as SQL, for the engine.

:func:`viz.events.formats.recognise` says which format a file is (from its
header alone); this module gives, for that format, one SQL expression per
column of the frame over the file's raw text columns, so DuckDB maps a file
of any size without a row passing through Python.  The code tables (ACLED's
types and precisions, CAMEO roots, GDELT's geo types, UCDP's kinds) are the
ones :mod:`viz.events.formats` declares, written out as ``CASE``; values that
need Python (dates, country codes) are looked up by distinct value in
:mod:`viz.events.engine`.
"""

from __future__ import annotations

from collections.abc import Mapping

from viz.events import formats as fm


def ident(name: object) -> str:
    """A column name as a quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def lit(value: object) -> str:
    """A value as an SQL string literal (or NULL)."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def case(expr: str, table: Mapping[str, str | None], default: str | None) -> str:
    whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in table.items())
    return f"(CASE {expr} {whens} ELSE {lit(default)} END)"


def joined(*exprs: str) -> str:
    """Row-wise "a; b; c" of the non-empty values, duplicates dropped, order kept
    (as :func:`viz.events.formats._join`); the engine reads an empty cell as NULL."""
    parts = []
    for i, e in enumerate(exprs):
        earlier = " AND ".join(f"{e} IS DISTINCT FROM {x}" for x in exprs[:i])
        parts.append(f"CASE WHEN {earlier} THEN NULLIF({e}, '') END" if earlier else f"NULLIF({e}, '')")
    return f"NULLIF(concat_ws('; ', {', '.join(parts)}), '')"


def _acled(c: dict[str, str]) -> dict[str, str]:
    col = lambda n: c.get(n, "NULL")  # noqa: E731
    return {
        "date": col("event_date"),
        "date_precision": case(col("time_precision"), fm.ACLED_TIME_PREC, "day"),
        "event_type": case(f"lower(trim({col('event_type')}))", fm.ACLED_TYPES, "other"),
        "sub_event_type": col("sub_event_type"),
        "actor1": col("actor1"),
        "actor2": col("actor2"),
        "actors": joined(col("actor1"), col("assoc_actor_1"), col("actor2"), col("assoc_actor_2")),
        "place": col("location"),
        "lat": col("latitude"),
        "lon": col("longitude"),
        "country_code": f"iso_of_numeric({col('iso')})",
        "country_name": col("country"),
        "admin1": col("admin1"),
        "geo_precision": case(col("geo_precision"), fm.ACLED_GEO_PREC, "city"),
        "fatalities": col("fatalities"),
        "source": col("source"),
        "text": col("notes"),
    }


def _gdelt(c: dict[str, str]) -> dict[str, str]:
    code = f"coalesce({c['EventCode']}, '')"
    root = f"lpad(coalesce({c['EventRootCode']}, ''), 2, '0')"
    url = c["SOURCEURL"]
    return {
        "date": c["SQLDATE"],
        "date_precision": "'day'",
        "event_type": f"coalesce({case(code, fm.CAMEO_CODE, None)}, {case(root, fm.CAMEO_ROOT, None)}, 'other')",
        "sub_event_type": f"'CAMEO ' || {code}",
        "actor1": c["Actor1Name"],
        "actor2": c["Actor2Name"],
        "actors": joined(c["Actor1Name"], c["Actor2Name"]),
        "place": c["ActionGeo_FullName"],
        "lat": c["ActionGeo_Lat"],
        "lon": c["ActionGeo_Long"],
        "country_code": f"iso_of_fips({c['ActionGeo_CountryCode']})",
        "geo_precision": case(c["ActionGeo_Type"], fm.GDELT_GEO, None),
        # the URL's host, as urlparse's netloc, without "www."
        "source": f"NULLIF(regexp_replace(regexp_extract({url}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)', 1), "
        "'^www\\.', ''), '')",
        "source_url": url,
    }


def _ucdp(c: dict[str, str]) -> dict[str, str]:
    col = lambda n: c.get(n, "NULL")  # noqa: E731
    where = col("where_coordinates")
    return {
        "date": col("date_start"),
        "date_end": f"(CASE WHEN {col('date_end')} IS DISTINCT FROM {col('date_start')} THEN {col('date_end')} END)",
        "date_precision": case(col("date_prec"), fm.UCDP_DATE_PREC, "day"),
        "event_type": case(col("type_of_violence"), fm.UCDP_TYPES, "other"),
        "sub_event_type": col("conflict_name"),
        "actor1": col("side_a"),
        "actor2": col("side_b"),
        "actors": joined(col("side_a"), col("side_b")),
        "place": where,
        "place_query": f"regexp_replace({where}, {lit(fm.UCDP_KIND)}, '')",
        "lat": col("latitude"),
        "lon": col("longitude"),
        "country_name": col("country"),
        "admin1": col("adm_1"),
        "geo_precision": case(col("where_prec"), fm.UCDP_WHERE_PREC, None),
        "fatalities": col("best"),
        "source": f"coalesce({col('source_office')}, 'UCDP GED')",
        "text": f"coalesce({col('source_headline')}, {col('source_article')})",
    }


def _direct(pairs: Mapping[str, str]) -> dict[str, str]:
    """The frame's own columns, or a user's mapping: taken as they are, with
    ``actors`` from ``actor1``/``actor2`` where the table gives only those."""
    out = dict(pairs)
    if "actors" not in out and ("actor1" in out or "actor2" in out):
        out["actors"] = joined(out.get("actor1", "NULL"), out.get("actor2", "NULL"))
    return out


def expressions(mapped: fm.Mapped, columns: list[str], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Frame column -> SQL expression over the raw columns, for the format
    :func:`viz.events.formats.recognise` found (``columns``: the file's
    column names as the engine reads them)."""
    if mapped.format == "mapped" and mapping:
        return _direct({k: ident(v) for k, v in mapping.items()})
    if mapped.format == "viz":
        return _direct({k: ident(c) for k, c in fm.native_columns(columns).items()})
    if mapped.format == "gdelt":
        return _gdelt({name: ident(col) for name, col in zip(fm.GDELT_COLUMNS, columns, strict=False)})
    lower = {str(col).strip().lower(): ident(col) for col in reversed(columns)}  # first of a repeated name wins
    return {"acled": _acled, "ucdp": _ucdp}[mapped.format](lower)
