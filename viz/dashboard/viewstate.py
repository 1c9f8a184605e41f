"""The view as URL parameters: encode and decode, validate, upgrade.

The URL *is* the state (as in datasette): everything that makes a view —
dataset, filters, selected time range, map mode and colours, map centre and
zoom, the open event — round-trips through ``encode``/``decode``, pure
functions tested without a server.  Filters are typed (kepler.gl style:
``multiSelect`` lists, a ``timeRange``, a ``range`` minimum, free text) and
kept apart from the view controls.  Every link carries ``v``; links of an
older version are upgraded on load, and a bad or stale parameter falls back to
its default with a notice, never an error.

The parameters are declared once, with their help, in :data:`PARAMETERS`
(``docs/dashboard.md`` lists them; a test fails when one is not there).

Version 1 links came from the first release, whose only page was the
geocoder: ``?q=Tripoli&cc=LB&ctx=Beirut``.  They are read as the geocoder's
query (``gq``, ``gcc``, ``gctx``) on the geocoder page; ``q`` and ``cc``
now filter the events.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from viz.dashboard import area as area_mod
from viz.dashboard.area import Polygon
from viz.events.schema import EVENT_TYPES, FIRST_DAY, GEO_PRECISIONS, LAST_DAY

VERSION = 2
# Every URL parameter a view is made of, with its help (a list where a filter takes several values).
PARAMETERS: dict[str, str] = {
    "v": "link format version (2; older links are upgraded on load)",
    "ds": "dataset id: the content hash of the dataset's files in the store",
    "actor": "actors (a list: repeat the parameter)",
    "type": "event types (a list)",
    "cc": "countries, ISO 3166-1 alpha-2 (a list)",
    "prec": "geo precisions: exact, city, admin2, admin1, country (a list)",
    "from": "first day, YYYY-MM-DD",
    "to": "last day, YYYY-MM-DD",
    "q": "free text over the evidence, places and actors",
    "minf": "minimum fatalities",
    "t0": "start of the range brushed on the timeline, YYYY-MM-DD",
    "t1": "end of the range brushed on the timeline, YYYY-MM-DD",
    "area": "area selected on the map, a polygon: lon lat,lon lat,...",
    "mode": "map mode: points, grid, density, choropleth or play",
    "win": "the playback window, in days: 7, 14, 30, 90 or 365",
    "bm": "basemap: offline, or tiles (online, only where VIZ_ONLINE_TILES=1)",
    "color": "colour points and bars by event_type or actor",
    "size": "size points by fatalities or count",
    "lat": "map centre, latitude",
    "lon": "map centre, longitude",
    "z": "map zoom",
    "ev": "the open event's id",
    "gq": "the geocoder page's query",
    "gcc": "the geocoder page's country hint, ISO-2",
    "gctx": "the geocoder page's context: other places, comma-separated",
    "page": "the page shown: events, review or geocoder (only it is built)",
}
MODES = ("points", "grid", "density", "choropleth", "play")
BASEMAPS = ("offline", "tiles")
PAGES = ("events", "review", "geocoder")
WINDOWS = (7, 14, 30, 90, 365)
COLOR_BY = ("event_type", "actor")
SIZE_BY = ("fatalities", "count")
DATASET_ID = re.compile(r"^[0-9a-f]{16}$")
CC = re.compile(r"^[A-Z]{2}$")
MAX_TEXT = 200


@dataclass(frozen=True)
class Filters:
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    precisions: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    min_fatalities: int | None = None
    area: Polygon | None = None


@dataclass(frozen=True)
class View:
    dataset: str | None = None
    filters: Filters = field(default_factory=Filters)
    time: tuple[date, date] | None = None
    mode: str = "points"
    window: int = 30
    basemap: str = "offline"
    color: str = "event_type"
    size: str = "fatalities"
    center: tuple[float, float] | None = None
    zoom: float | None = None
    event: str | None = None
    place_query: str = ""
    place_country: str = ""
    place_context: str = ""
    page: str = "events"


@dataclass(frozen=True)
class Known:
    """What the loaded data holds, to check parameters against (empty = no check)."""

    actors: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    datasets: frozenset[str] = frozenset()
    events: Container[str] = frozenset()


Params = dict[str, list[str]]


def encode(view: View) -> Params:
    """URL parameters of a view; defaults are left out, order is stable."""
    f = view.filters
    out: Params = {"v": [str(VERSION)]}
    if view.dataset:
        out["ds"] = [view.dataset]
    for key, values in (("actor", f.actors), ("type", f.types), ("cc", f.countries), ("prec", f.precisions)):
        if values:
            out[key] = list(values)
    if f.date_from:
        out["from"] = [f.date_from.isoformat()]
    if f.date_to:
        out["to"] = [f.date_to.isoformat()]
    if f.text:
        out["q"] = [f.text]
    if f.min_fatalities is not None:
        out["minf"] = [str(f.min_fatalities)]
    if f.area:
        out["area"] = [area_mod.encode(f.area)]
    if view.time:
        out["t0"], out["t1"] = [view.time[0].isoformat()], [view.time[1].isoformat()]
    if view.mode != "points":
        out["mode"] = [view.mode]
    if view.window != 30:
        out["win"] = [str(view.window)]
    if view.basemap != "offline":
        out["bm"] = [view.basemap]
    if view.color != "event_type":
        out["color"] = [view.color]
    if view.size != "fatalities":
        out["size"] = [view.size]
    if view.center is not None:
        out["lat"], out["lon"] = [_num(view.center[0])], [_num(view.center[1])]
    if view.zoom is not None:
        out["z"] = [_num(view.zoom)]
    if view.event:
        out["ev"] = [view.event]
    for key, value in (("gq", view.place_query), ("gcc", view.place_country), ("gctx", view.place_context)):
        if value:
            out[key] = [value]
    if view.page != "events":
        out["page"] = [view.page]
    return out


def _num(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".")


def _one(params: Mapping[str, list[str]], key: str) -> str | None:
    vals = params.get(key) or []
    return vals[-1] if vals else None


def _date(value: str | None, key: str, notices: list[str]) -> date | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        notices.append(f"'{key}' is not a date (YYYY-MM-DD): {_show(value)}; ignored")
        return None
    if not (FIRST_DAY <= day <= LAST_DAY):  # the years the event frame (datetime64[ns]) holds
        notices.append(f"'{key}' is outside the years {FIRST_DAY.year}-{LAST_DAY.year}: {_show(value)}; ignored")
        return None
    return day


def _show(value: str) -> str:
    """A parameter value for a notice: bounded, quoted (the app shows it as text)."""
    return repr(value[:60] + ("…" if len(value) > 60 else ""))


def upgrade(params: Mapping[str, list[str]], notices: list[str]) -> Params:
    """Parameters of an older link in the current format (see the module doc)."""
    out: Params = {k: list(v) for k, v in params.items()}
    version = _one(out, "v")
    if version is None or version == "1":
        if any(k in out for k in ("q", "cc", "ctx")):
            for old, new in (("q", "gq"), ("cc", "gcc"), ("ctx", "gctx")):
                if old in out:
                    out[new] = out.pop(old)
            out["page"] = ["geocoder"]
            notices.append("link of format version 1 (the geocoder page) upgraded")
        out["v"] = [str(VERSION)]
    elif version != str(VERSION):
        notices.append(f"link format version {_show(version)} is not known; read as version {VERSION}")
    return out


def decode(params: Mapping[str, Iterable[str]], known: Known | None = None) -> tuple[View, list[str]]:
    """The view a link describes, and a notice for each parameter that could
    not be used (it falls back to its default)."""
    notices: list[str] = []
    p = upgrade({k: [str(x) for x in (v if not isinstance(v, str) else [v])] for k, v in params.items()}, notices)
    known = known or Known()

    dataset = _one(p, "ds")
    if dataset is not None:
        if not DATASET_ID.match(dataset):
            notices.append(f"'ds' must be a dataset id (16 hex digits), not {_show(dataset)}; showing the default data")
            dataset = None
        elif known.datasets and dataset not in known.datasets:
            notices.append(f"dataset {dataset} is not in the local store; showing the default data")
            dataset = None

    def listed(key: str, allowed: Iterable[str] | None, what: str, norm=lambda x: x) -> tuple[str, ...]:
        vals = [norm(v) for v in p.get(key, []) if v != ""]
        allowed_set = set(allowed) if allowed else None
        good = []
        for v in dict.fromkeys(vals):
            if allowed_set is not None and v not in allowed_set:
                notices.append(f"unknown {what} {_show(v)}; ignored")
            else:
                good.append(v)
        return tuple(good)

    countries = listed("cc", known.countries or None, "country", str.upper)
    bad_cc = [c for c in countries if not CC.match(c)]
    for c in bad_cc:
        notices.append(f"'cc' wants ISO-2 codes, not {_show(c)}; ignored")
    filters = Filters(
        actors=listed("actor", known.actors or None, "actor"),
        types=listed("type", EVENT_TYPES, "event type"),
        countries=tuple(c for c in countries if c not in bad_cc),
        precisions=listed("prec", GEO_PRECISIONS, "geo precision"),
        date_from=_date(_one(p, "from"), "from", notices),
        date_to=_date(_one(p, "to"), "to", notices),
        text=(_one(p, "q") or "")[:MAX_TEXT],
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        notices.append("'from' is after 'to'; dates ignored")
        filters = replace(filters, date_from=None, date_to=None)
    minf = _one(p, "minf")
    if minf is not None:
        if re.fullmatch(r"[0-9]{1,9}", minf):
            filters = replace(filters, min_fatalities=int(minf))
        else:
            notices.append(f"'minf' must be a whole number, not {_show(minf)}; ignored")

    area_text = _one(p, "area")
    if area_text:
        try:
            filters = replace(filters, area=area_mod.decode(area_text))
        except ValueError as exc:
            notices.append(f"'area' is not an area on the map ({exc}); ignored")

    view = View(dataset=dataset, filters=filters)
    t0, t1 = _date(_one(p, "t0"), "t0", notices), _date(_one(p, "t1"), "t1", notices)
    if t0 and t1:
        if t0 > t1:
            notices.append(f"'t0' is after 't1'; the range read as {t1.isoformat()} to {t0.isoformat()}")
            t0, t1 = t1, t0
        view = replace(view, time=(t0, t1))
    controls: dict[str, str] = {}
    for key, options in (("mode", MODES), ("color", COLOR_BY), ("size", SIZE_BY), ("bm", BASEMAPS), ("page", PAGES)):
        val = _one(p, key)
        if val is None:
            continue
        if val in options:
            controls[key] = val
        else:
            notices.append(f"'{key}' must be one of {', '.join(options)}, not {_show(val)}; using the default")
    view = replace(
        view,
        mode=controls.get("mode", view.mode),
        basemap=controls.get("bm", view.basemap),
        page=controls.get("page", view.page),
        color=controls.get("color", view.color),
        size=controls.get("size", view.size),
    )
    win = _one(p, "win")
    if win is not None:
        if re.fullmatch(r"[0-9]{1,4}", win) and int(win) in WINDOWS:  # no 5,000-digit int() parse
            view = replace(view, window=int(win))
        else:
            notices.append(f"'win' must be one of {', '.join(map(str, WINDOWS))} days, not {_show(win)}; using 30")
    lat, lon, z = _one(p, "lat"), _one(p, "lon"), _one(p, "z")
    if lat is not None or lon is not None:
        try:
            la, lo = float(lat or "x"), float(lon or "x")
            if not (-90 <= la <= 90 and -180 <= lo <= 180):
                raise ValueError
            view = replace(view, center=(la, lo))
        except ValueError:
            notices.append("map centre 'lat'/'lon' is not a point on the globe; ignored")
    if z is not None:
        try:
            zoom = float(z)
            if not 0 <= zoom <= 20:
                raise ValueError
            view = replace(view, zoom=zoom)
        except ValueError:
            notices.append(f"'z' must be a zoom from 0 to 20, not {_show(z)}; ignored")
    view = replace(
        view,
        place_query=(_one(p, "gq") or "")[:MAX_TEXT],
        place_country=(_one(p, "gcc") or "")[:2],
        place_context=(_one(p, "gctx") or "")[:MAX_TEXT],
    )
    ev = _one(p, "ev")
    if ev:
        if known.events and ev not in known.events:
            notices.append(f"event {_show(ev)} is not in this dataset; none opened")
        else:
            view = replace(view, event=ev[:64])
    return view, notices


def share_url(page_url: str | None, view: View) -> str:
    """The link to ``view``: the page's address with the view's parameters
    (whatever query the page had is replaced)."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    query = urlencode(encode(view), doseq=True, quote_via=_quote)  # type: ignore[arg-type]
    if not page_url:
        return "?" + query
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _quote(s: str | bytes, safe: str = "", encoding: str | None = None, errors: str | None = None) -> str:
    from urllib.parse import quote

    return quote(s, safe=safe + ",", encoding=encoding, errors=errors)  # type: ignore[arg-type]
