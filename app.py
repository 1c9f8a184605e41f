"""Streamlit entry point: ``streamlit run app.py [-- --data PATH ...]`` (``make run``).

Thin on purpose: the logic lives in ``viz``.  The URL holds the view
(:mod:`viz.dashboard.viewstate`): it is decoded at the top of each run (bad or stale
parameters fall back with a notice), the widgets start from it, and it is
written back at the end, so a shared link reproduces the view.  Selections
made on the charts (the timeline's range, the map's area) are kept in the
session and the link, not in the charts, so redrawing one chart does not
lose the other's selection.  Three tabs: the events (map, timeline, table),
the geocoding review (corrections saved for future loads), and the geocoder.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from viz import settings
from viz.dashboard import appdata, export, mapcomponent, mapview, render
from viz.dashboard import area as area_mod
from viz.dashboard.basemap import place_label, places_figure, plot_config
from viz.dashboard.detail import detail_lines, evidence_parts
from viz.dashboard.htmlexport import standalone_html
from viz.dashboard.labels import Labels
from viz.dashboard.query import Events
from viz.dashboard.timeline import bars_figure, selected_range
from viz.dashboard.viewstate import MODES, WINDOWS, Filters, Known, View, decode, encode, share_url
from viz.errors import QueryError
from viz.events import bundle
from viz.events.corrections import Correction, Corrections, from_candidate, review_table
from viz.events.schema import GEO_PRECISIONS
from viz.events.store import DatasetStore, StoreError
from viz.geo.cldr import country_label
from viz.geo.geocoder import GazetteerGeocoder

# An embed (``&embed=true``, Streamlit's own switch): the view's map and timeline only
EMBEDDED = bool(st.context.is_embedded)
st.set_page_config(
    page_title="viz: events and places",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if EMBEDDED else "auto",
)
SETTINGS = settings.load()
MODE_LABELS = {
    "points": "points",
    "grid": "grid",
    "density": "density",
    "choropleth": "countries",
    "play": "play",
}
FILTER_KEYS = ("f_actor", "f_type", "f_cc", "f_text", "f_minf", "f_prec", "dates", "sel_time", "sel_area", "date_order")
TABLE_ROWS = 2_000
# The map above the fold on a laptop (less of Streamlit's padding over the page);
# map and timeline side by side where the page is wide, one under the other where not.
EMBED_CSS = """
section[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], [data-testid=stExpandSidebarButton] { display: none; }
.stMainBlockContainer { padding-top: 0.5rem; }
"""
LAYOUT_CSS = """
.stMainBlockContainer { padding-top: 2.5rem; }
.st-key-mapgrid { flex-direction: row; flex-wrap: wrap; align-items: flex-start; gap: 1rem; }
.st-key-mapgrid > div:has(> .st-key-mapcol) { flex: 3 1 460px; min-width: 0; width: auto; }
.st-key-mapgrid > div:has(> .st-key-sidecol) { flex: 2 1 300px; min-width: 0; width: auto; }
.st-key-pagehead { flex-direction: row; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
.st-key-pagehead > div:has(> .st-key-headtitle) { flex: 2 1 220px; min-width: 0; width: auto; }
.st-key-pagehead > div:has(> .st-key-headpage) { flex: 4 1 300px; min-width: 0; width: auto; }
.st-key-pagehead > div:has(> .st-key-headlink) { flex: 0 0 auto; width: auto; margin-left: auto; }
.st-key-headlink button { white-space: nowrap; }
"""


@st.cache_resource(show_spinner="Opening the offline gazetteer ...")
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


@st.cache_resource
def labels() -> Labels:
    return Labels(geocoder().gazetteer)


@st.cache_resource
def store() -> DatasetStore:
    return DatasetStore()


@st.cache_resource
def corrections() -> Corrections:
    return Corrections()


def drain(notices: list[str]) -> list[str]:
    """The notices a shared store or corrections object collected, once."""
    out = list(notices)
    notices.clear()
    return out


def embed_snippet(link: str) -> str:
    """An iframe of ``link`` in Streamlit's embed mode (the app then hides its controls)."""
    import html

    src = link + ("&" if "?" in link else "?") + "embed=true"
    return f'<iframe src="{html.escape(src)}" width="100%" height="760" style="border:0" loading="lazy"></iframe>'


def inert_md(text: str) -> str:
    """Untrusted text inside Streamlit markdown, shown as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~$])", r"\\\1", text)


def labelled_radio(label: str, options: dict[str, str], current: str, key: str) -> str:
    """A horizontal radio over ``options`` (value -> label), starting at ``current``."""
    values = list(options)
    return st.radio(
        label, values, index=values.index(current), key=key, horizontal=True, format_func=options.__getitem__
    )


# ------------------------------------------------------------------ data
def rate_limited() -> str | None:
    """Why this session may not upload now (the hourly limit of a team server), or None."""
    import time

    now = time.time()
    done = [t for t in st.session_state.get("_uploads", []) if now - t < 3600]
    st.session_state["_uploads"] = done
    if len(done) >= SETTINGS.uploads_per_hour:
        return f"this server takes {SETTINGS.uploads_per_hour} uploads an hour from one session (VIZ_UPLOADS_PER_HOUR); try again later"
    done.append(now)
    return None


def uploader_key(name: str) -> str:
    """The uploader's widget key: a new one once its files are taken, so the
    uploader empties and Streamlit lets go of the upload's bytes (held in the
    server's memory for as long as a widget holds them)."""
    return f"{name}_{st.session_state.get('_round_' + name, 0)}"


def release(name: str) -> None:
    st.session_state["_round_" + name] = st.session_state.get("_round_" + name, 0) + 1


def on_upload() -> None:
    files = st.session_state.get(uploader_key("upload")) or []
    if not files:
        return
    release("upload")  # stored or refused, the uploader empties (a refusal is said above it)
    if why := rate_limited():
        st.session_state["_upload_error"] = why
        return
    try:
        # each upload copied to the store a MiB at a time (Streamlit already holds it once)
        ds = store().add_bytes([(f.name, f) for f in files], label=", ".join(f.name for f in files))
    except StoreError as exc:
        st.session_state["_upload_error"] = str(exc)
        return
    except OSError as exc:  # a full disk, a name the file system refuses: said, not a traceback
        st.session_state["_upload_error"] = f"the upload could not be stored: {exc.strerror or exc}"
        return
    st.session_state["dataset"] = ds


def on_bundle() -> None:
    """A bundle uploaded: its dataset added under the id it names, its corrections saved."""
    up = st.session_state.get(uploader_key("bundle_upload"))
    if up is None:
        return
    release("bundle_upload")
    if why := rate_limited():
        st.session_state["_upload_error"] = why
        return
    with tempfile.TemporaryDirectory(prefix="viz-bundle-up-") as tmp:
        path = Path(tmp) / "upload.viz.zip"
        path.write_bytes(up.getvalue())
        try:
            got = bundle.import_bundle(store(), path, corrections=corrections())
        except StoreError as exc:
            st.session_state["_upload_error"] = f"{up.name}: {exc}"
            return
    st.session_state["dataset"] = got.dataset
    st.session_state["_bundle_msg"] = (
        f"Imported {got.label} as {got.dataset}: {got.files} files, {got.corrections} corrections"
        + (f" ({got.replaced} replacing this store's own)" if got.replaced else "")
    )


def bundle_bytes(ds: str, link: str) -> bytes:
    """The dataset, its corrections and the link, as one bundle file."""
    with tempfile.TemporaryDirectory(prefix="viz-bundle-dl-") as tmp:
        return bundle.export(store(), ds, Path(tmp) / "b.viz.zip", corrections=corrections(), link=link).read_bytes()


def choose_dataset(view: View, default_ds: str) -> str:
    ids = store().ids()
    if "dataset" not in st.session_state or st.session_state["dataset"] not in ids:
        st.session_state["dataset"] = view.dataset or default_ds
    with st.sidebar:
        st.header("Data")
        labels = {ds: f"{store().meta(ds)['label'][:40]} · {ds[:8]}" for ds in ids}
        ds = st.selectbox("Dataset", ids, key="dataset", format_func=labels.__getitem__)
        if SETTINGS.read_only:
            st.caption("This server is read-only: it shows the datasets it holds (no uploads or corrections).")
        else:
            st.container(key="upload").file_uploader(
                "Add files (CSV, TSV, JSON, Parquet, Excel, articles)",
                accept_multiple_files=True,
                key=uploader_key("upload"),
                on_change=on_upload,
            )
            st.container(key="bundle_upload").file_uploader(
                "Import a bundle (.viz.zip: a dataset with its corrections, from Link to this view)",
                type=["zip"],
                key=uploader_key("bundle_upload"),
                on_change=on_bundle,
            )
        if err := st.session_state.pop("_upload_error", None):
            st.error(inert_md(err))
        if msg := st.session_state.pop("_bundle_msg", None):
            st.success(inert_md(msg))
        for notice in drain(store().notices) + drain(corrections().notices):
            st.warning(inert_md(notice))  # a damaged stored file was set aside and rebuilt
    if st.session_state.get("_shown_ds") not in (None, ds):
        for k in FILTER_KEYS:  # another dataset: its own actors, dates and places
            st.session_state.pop(k, None)
    st.session_state["_shown_ds"] = ds
    return ds


def load(ds: str) -> tuple[Events, object]:
    """The dataset's events to query (nothing held in the server) and its report."""
    progress = None
    if not store().ready(ds):
        bar = st.progress(0.0, text="Loading events ...")
        progress = lambda f, msg: bar.progress(min(f, 1.0), text=msg)  # noqa: E731
    events, report = appdata.open_dataset(store(), ds, corrections(), progress=progress)
    if progress:
        bar.empty()
    return events, report


# ------------------------------------------------------------------ selections
def on_brush() -> None:
    brushed = selected_range(_map_event("brush", "timeline"))
    if brushed is not None:  # a new range; a cleared chart keeps the view's range
        st.session_state["sel_time"] = brushed


def _map_event(name: str, key: str = "events_map") -> object:
    """A state or trigger value a component (by its key) sent."""
    value = st.session_state.get(key)
    try:
        return value[name]  # type: ignore[index]
    except (KeyError, TypeError):
        return getattr(value, name, None)


def on_map_view() -> None:
    """The user zoomed or panned: the frame goes into the view and the link."""
    frame = mapcomponent.frame_of(_map_event("view"))
    if frame is not None:
        st.session_state["map_frame"] = frame


def on_map_select() -> None:
    pts = area_mod.selected_points(_map_event("select"))
    if not pts:
        return
    pad = st.session_state.get("_cell", 0.0) / 2 or area_mod.PAD
    st.session_state["sel_area"] = area_mod.from_points(pts, pad=pad)


def on_map_click() -> None:
    """A point opens its event (and lists the others at that point), a
    country filters the events to it, a grid cell selects its area."""
    click = _map_event("click")
    if not isinstance(click, dict):
        return
    mode = st.session_state.get("_drawn_mode")
    cc, ev = click.get("id"), click.get("id")
    lon, lat = click.get("lon"), click.get("lat")
    if mode == "choropleth" and isinstance(cc, str) and re.fullmatch(r"[A-Z]{2}", cc):
        chosen = list(st.session_state.get("f_cc") or [])
        if cc not in chosen:
            st.session_state["f_cc"] = [*chosen, cc]
        return
    if not (isinstance(lon, int | float) and isinstance(lat, int | float)):
        return
    if mode in ("grid", "density"):
        pad = st.session_state.get("_cell", 0.0) / 2 or area_mod.PAD
        st.session_state["sel_area"] = area_mod.from_points([(float(lon), float(lat))], pad=pad)
        return
    if isinstance(ev, str) and 0 < len(ev) <= 64:
        st.session_state["_opened"] = ev
    else:  # the count written on a stack: its newest event opens, beside the list of all
        st.session_state["_open_newest"] = True
    st.session_state["_stack"] = (float(lat), float(lon))


def on_map_drawn() -> None:
    """The map is drawn: its rerun brings what the first run held back (the table, the downloads)."""


def on_table_select() -> None:
    sel = st.session_state.get("events_table")
    try:
        rows = sel["selection"]["rows"]  # type: ignore[index]
    except (KeyError, TypeError):
        return
    ids = st.session_state.get("_table_ids") or []
    if rows and 0 <= rows[0] < len(ids):
        st.session_state["_opened"] = ids[rows[0]]
        st.session_state["_stack"] = None


def reset_frame() -> None:
    st.session_state["map_frame"] = None
    st.session_state["_map_rev"] = st.session_state.get("_map_rev", 0) + 1


def clear(key: str) -> None:
    st.session_state[key] = None


# ------------------------------------------------------------------ events tab
def option_filter(label: str, opts: appdata.Options, kind: str, chosen: tuple[str, ...], key: str) -> list[str]:
    """A multiselect over the dataset's options of ``kind``, each with its count."""
    values = getattr(opts, kind)
    return st.multiselect(
        label, values, default=[v for v in chosen if v in values], key=key, format_func=opts.label(kind)
    )


def sidebar_filters(f: Filters, opts: appdata.Options, lo: date, hi: date) -> Filters:
    with st.sidebar:
        st.header("Filters")
        actors = option_filter("Actors", opts, "actors", f.actors, "f_actor")
        types = option_filter("Event types", opts, "types", f.types, "f_type")
        countries = option_filter("Countries", opts, "countries", f.countries, "f_cc")  # by name: "Syria (SY) (24)"
        text = st.text_input("Search the evidence, places and actors", value=f.text, key="f_text")
        minf = st.number_input("Minimum fatalities", min_value=0, value=f.min_fatalities or 0, step=1, key="f_minf")
        precisions = st.multiselect("Geo precision", list(GEO_PRECISIONS), default=list(f.precisions), key="f_prec")
        start = min(max(f.date_from or lo, lo), hi)
        end = max(min(f.date_to or hi, hi), start)
        if lo < hi:
            dstart, dend = st.slider(
                "Dates", min_value=lo, max_value=hi, value=(start, end), key="dates", format="YYYY-MM-DD"
            )
        else:  # every event on one day: a slider needs two ends
            st.caption(f"Dates: every event is on {lo:%Y-%m-%d}")
            dstart, dend = lo, hi
    return Filters(
        actors=tuple(actors),
        types=tuple(types),
        countries=tuple(countries),
        precisions=tuple(precisions),
        date_from=dstart if dstart != lo else None,
        date_to=dend if dend != hi else None,
        text=text.strip(),
        min_fatalities=int(minf) or None,
        area=st.session_state.get("sel_area"),
    )


def map_controls(view: View) -> View:
    """The view with the map controls of the sidebar."""
    with st.sidebar:
        st.header("Map")
        mode = labelled_radio("Map", {m: MODE_LABELS[m] for m in MODES}, view.mode, "mode")
        window = view.window
        if mode == "play":
            window = st.select_slider("Play window (days)", WINDOWS, value=view.window, key="win")
        color_by = labelled_radio("Colour by", {"event_type": "type", "actor": "main actor"}, view.color, "color")
        size_by = labelled_radio("Size by", {"fatalities": "fatalities", "count": "events"}, view.size, "size")
        basemap = "offline"
        if SETTINGS.online_tiles:
            basemap = labelled_radio(
                "Basemap", {"offline": "offline (bundled)", "tiles": "online tiles"}, view.basemap, "bm"
            )
        frame = st.session_state.get("map_frame")
        st.button(
            "Fit the map to the events",
            key="map_reset",
            on_click=reset_frame,
            disabled=frame is None,
            help="Zoom and pan are kept as you change filters and in the link; this frames the events again.",
        )
        center, zoom = frame if frame else (None, None)
    return replace(
        view, mode=mode, window=window, color=color_by, size=size_by, basemap=basemap, center=center, zoom=zoom
    )


DATE_ORDERS = {
    "": "as the data say",
    "day-first": "day first (03/01 is 3 January)",
    "month-first": "month first (03/01 is 1 March)",
}


def on_date_order(ds: str) -> None:
    store().set_date_order(ds, st.session_state.get("date_order") or None)


def date_order_control(report, ds: str) -> None:
    """Where the data's numeric dates do not say their order (or it was
    inferred), the user says it: the dataset is read again that way."""
    said = [p.reason for f in report.files for p in (*f.rejected, *f.warnings)]
    if not any("date order" in r or "numeric dates read" in r or "-first date" in r for r in said):
        return
    current = store().date_order(ds) or ""
    st.radio(
        "Numeric dates such as 03/01/2022",
        list(DATE_ORDERS),
        index=list(DATE_ORDERS).index(current),
        format_func=DATE_ORDERS.__getitem__,
        horizontal=True,
        key="date_order",
        disabled=SETTINGS.read_only,
        on_change=on_date_order,
        args=(ds,),
    )


def pick_in_stack(key: str) -> None:
    if st.session_state.get(key):
        st.session_state["_opened"] = st.session_state[key]


def event_detail(events: Events, row: pd.Series) -> None:
    """The open event, beside the map: every field, the source as a button,
    the evidence with its places marked."""
    with st.container(border=True, key="event_detail"):
        st.subheader("Event")
        for label, value in detail_lines(row):
            if label == "Link" and value.startswith(("http://", "https://")):
                st.link_button("Open the source", value)  # the user's click leaves the machine, nothing else
            elif label == "Evidence" and value:
                same = events.same_evidence(str(row["text"]), str(row["source"]) if pd.notna(row["source"]) else "")
                parts = evidence_parts(row, same)  # the sentence, its places marked
                marked = "".join(f":orange-background[{inert_md(t)}]" if place else inert_md(t) for t, place in parts)
                st.markdown(f"Evidence: {marked}")
            else:
                st.text(f"{label}: {value}")
        st.button("Close", key="close_event", on_click=clear, args=("_opened",))


def options(events: Events) -> appdata.Options:
    return appdata.Options(*events.options(), counts=events.option_counts())


def picture_bytes(fig, fmt: str, caption: str) -> bytes:
    """A figure as PNG or SVG, rendered offline when its button is clicked."""
    with tempfile.TemporaryDirectory(prefix="viz-picture-") as tmp:
        return render.picture(fig, Path(tmp) / f"view.{fmt}", text=caption).read_bytes()


def pictures_panel(mfig, tfig, caption: str, drawn, points, view: View, ds: str) -> None:
    """PNG and SVG of the map and the timeline; the playback as MP4 or GIF."""
    with st.expander("Pictures and films of this view"):
        st.caption(f"Captioned: {inert_md(caption)}.  Rendered offline (Chromium), which takes a few seconds.")
        cols = st.columns(4)
        for col, (label, fig, fmt, mime) in zip(
            cols,
            [
                ("Map as PNG", mfig, "png", "image/png"),
                ("Map as SVG", mfig, "svg", "image/svg+xml"),
                ("Timeline as PNG", tfig, "png", "image/png"),
                ("Timeline as SVG", tfig, "svg", "image/svg+xml"),
            ],
            strict=True,
        ):
            name = ("map" if fig is mfig else "timeline") + f".{fmt}"
            col.download_button(
                label, lambda fig=fig, fmt=fmt: picture_bytes(fig, fmt, caption), file_name=name, mime=mime,
                key=f"dl_{name.replace('.', '_')}", on_click="ignore",
            )  # fmt: skip
        if drawn.mode != "play" or drawn.play is None:
            st.caption("Switch the map to *play* to render its playback as a film.")
            return
        film = st.radio("Film", ["mp4", "gif"], horizontal=True, key="film_fmt", format_func=str.upper)
        if st.button(f"Render the playback ({drawn.play['frames']} frames)", key="film_go"):
            bar = st.progress(0.0, text="Rendering ...")
            with tempfile.TemporaryDirectory(prefix="viz-film-") as tmp:
                try:
                    out = render.story(
                        points(), replace(view, dataset=ds), Path(tmp) / f"events.{film}", text=caption,
                        progress=lambda f, msg: bar.progress(min(f, 1.0), text=msg),
                    )  # fmt: skip
                    st.session_state["_film"] = (film, drawn.play["key"], out.read_bytes())
                except render.RenderError as exc:
                    st.error(inert_md(str(exc)))
            bar.empty()
        done = st.session_state.get("_film")
        if done and done[:2] == (film, drawn.play["key"]):  # a film of this very view
            st.download_button(
                f"Download the {film.upper()} ({len(done[2]) / 2**20:.1f} MiB)", done[2], file_name=f"events.{film}",
                mime="video/mp4" if film == "mp4" else "image/gif", key="dl_film", on_click="ignore",
            )  # fmt: skip


def report_panel(events: Events, report, ds: str) -> None:
    """What the load read, kept and rejected (and the date order, where the data leave it open)."""
    with st.expander(
        f"{report.rows_kept} events from {len(report.files)} files"
        + (f"; {report.rows_rejected} rows rejected" if report.rows_rejected else "")
        + (f"; {sum(report.unresolved.values())} without coordinates" if report.unresolved else "")
        + (f"; {events.corrected} placed by your corrections" if events.corrected else ""),
        expanded=bool(report.rows_rejected) and st.session_state.get("_report_seen") != ds,
    ):
        st.text(report.summary())
        date_order_control(report, ds)
    st.session_state["_report_seen"] = ds


def events_table(events: Events, shown, n_shown: int) -> None:
    """The selected events, newest first (the latest :data:`TABLE_ROWS`); a row picked opens its event."""
    table_cols = [
        "date", "event_type", "actors", "place", "place_name", "country_code", "geo_precision", "geo_source",
        "fatalities", "source", "text",
    ]  # fmt: skip
    page = events.rows(shown, limit=TABLE_ROWS, newest_first=True)
    if n_shown > TABLE_ROWS:
        st.caption(f"The table shows the {TABLE_ROWS:,} latest of {n_shown:,} events; the downloads hold all.")
    else:
        st.caption("Newest first; pick a row to open its event and ring it on the map.")
    st.session_state["_table_ids"] = page["event_id"].astype(str).tolist()
    shown_page = page[table_cols].assign(
        date=page["date"].dt.strftime("%Y-%m-%d"),
        link=page["source"].where(page["source"].astype("string").str.match(r"https?://", na=False)),
        country=page["country_code"].map(country_label),
    )
    st.dataframe(
        shown_page[
            [
                "date",
                "event_type",
                "actors",
                "place",
                "place_name",
                "country",
                "geo_precision",
                "geo_source",
                "fatalities",
                "link",
                "source",
                "text",
            ]
        ],
        key="events_table",
        hide_index=True,
        on_select=on_table_select,
        selection_mode="single-row",
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
    )


def events_tab(events: Events, report, view: View, ds: str) -> tuple[Filters, View]:
    bounds = events.date_bounds()
    controls = map_controls(view)
    if bounds is None:
        st.warning("No dated events to show.")
        report_panel(events, report, ds)
        return view.filters, controls
    lo, hi = bounds[0].date(), bounds[1].date()
    chosen = sidebar_filters(view.filters, options(events), lo, hi)
    time = st.session_state.get("sel_time")
    base = events.where(chosen, area=False)  # every filter but the charts' own selections
    in_area = events.area(chosen.area)
    in_time = events.where(Filters(), time)
    shown = base & in_area & in_time
    on_timeline = base & in_area  # linked views: each chart leaves out its own selection
    on_map = base & in_time
    n_shown = events.count(shown)

    parts = [f"**{n_shown:,}** events selected of {events.total:,}"]
    if time:
        parts.append(f"time range {time[0]} to {time[1]}")
    if chosen.area:
        parts.append("an area of the map")
    st.markdown(" · ".join(parts))
    cols = st.columns([1, 1, 4])
    if time:
        cols[0].button("Clear time range", key="clear_time", on_click=clear, args=("sel_time",))
    if chosen.area:
        cols[1].button("Clear map area", key="clear_area", on_click=clear, args=("sel_area",))
    stack_by = controls.color
    table, freq, episodes, vague = events.timeline(on_timeline, stack_by)
    tfig = bars_figure(table, freq, episodes, vague, stack_by=stack_by, selected=time)
    opened = st.session_state.get("_opened", view.event)
    stack = st.session_state.get("_stack")
    here = events.at_point(on_map, *stack) if stack else events.rows(limit=0)
    if st.session_state.pop("_open_newest", False) and len(here):
        opened = str(here["event_id"].iloc[0])
    match = events.event(opened) if opened else events.rows(limit=0)
    if not len(match):
        opened = None
    drawn = mapview.draw(
        events.source(on_map),
        controls,
        area=chosen.area,
        points_max=SETTINGS.map_points_max,
        tiles_style=SETTINGS.online_tiles_style,
        labels=labels(),
        opened=match.iloc[0] if len(match) else None,
    )
    st.session_state["_cell"] = drawn.cell
    st.session_state["_drawn_mode"] = drawn.mode
    mfig = drawn.figure
    located_n = events.located_count(shown)
    grid = st.container(key="mapgrid")  # side by side where wide enough, else stacked (LAYOUT_CSS)
    left, right = grid.container(key="mapcol"), grid.container(key="sidecol")
    with left:
        mapcomponent.show(
            mfig,
            key="events_map",
            revision=f"{controls.basemap}/{st.session_state.get('_map_rev', 0)}",
            config=plot_config(),
            play=drawn.play,
            on_view=on_map_view,
            on_select=on_map_select,
            on_click=on_map_click,
            on_drawn=on_map_drawn,
            tell_drawn=FIRST_RUN,
        )
        st.caption(inert_md(drawn.note))
    with right:
        mapcomponent.show(
            tfig,
            key="timeline",
            revision=f"timeline/{time}",
            config=plot_config(),
            chart=True,
            height=240,
            on_brush=on_brush,
        )
        st.caption(
            f"{n_shown} events between {chosen.date_from or lo} and {chosen.date_to or hi}"
            + (f"; timeline range {time[0]} to {time[1]}" if time else "")
            + f"; {located_n} on the map; {events.total} in the data"
        )
        if len(here) > 1:
            with st.container(border=True, key="event_stack"):
                st.markdown(f"**{len(here)} events at this point** (newest first); pick one to open it")
                labels_here = [
                    f"{d:%Y-%m-%d} · {t} · {inert_md(str(a))[:60]}"
                    for d, t, a in zip(here["date"], here["event_type"], here["actors"].fillna(""), strict=True)
                ]
                ids_here = here["event_id"].astype(str).tolist()
                st.radio(
                    "Events at this point",
                    ids_here,
                    index=ids_here.index(opened) if opened in ids_here else None,
                    format_func=dict(zip(ids_here, labels_here, strict=True)).__getitem__,
                    key=f"stack_pick_{stack[0]:.4f}_{stack[1]:.4f}",
                    on_change=pick_in_stack,
                    args=(f"stack_pick_{stack[0]:.4f}_{stack[1]:.4f}",),
                    label_visibility="collapsed",
                )
        if len(match):
            event_detail(events, match.iloc[0])
    st.session_state["_opened"] = opened
    if EMBEDDED:  # an embed shows the view's map and timeline only
        return chosen, controls
    if FIRST_RUN:  # the drawn map asks for the rest
        st.caption("The table of these events and the downloads follow once the map is drawn.")
        report_panel(events, report, ds)
        return chosen, controls
    events_table(events, shown, n_shown)
    summary = events.summary(shown)  # what the exports say they show
    view_now = replace(controls, dataset=ds, filters=chosen, time=time)
    caption = render.caption(view_now, events=n_shown, first=summary[6], last=summary[7])
    # Built when clicked (read from the engine a batch at a time into a file), and downloaded
    # without running the page again; a selection too big for the server to hold is the command's
    small = n_shown <= SETTINGS.download_max_events
    downloads = [
        (
            "Download CSV",
            lambda: export.built(events.batches(shown), ".csv"),
            "events.csv",
            "text/csv",
            "dl_csv",
        ),
        (
            "Download GeoJSON",
            lambda: export.built(events.batches(shown), ".geojson"),
            "events.geojson",
            "application/geo+json",
            "dl_geojson",
        ),
        (
            "Map and timeline as HTML",
            lambda: standalone_html(
                mapview.for_export(drawn, events.source(on_map), controls), tfig, title="Events", caption=caption
            ).encode(),
            "events.html",
            "text/html",
            "dl_html",
        ),
    ]
    for col, (label, data, name, mime, key) in zip(st.columns(3), downloads, strict=True):
        if small or key == "dl_html":  # the HTML holds the drawn map (a grid when big), not every event
            col.download_button(label, data, file_name=name, mime=mime, key=key, on_click="ignore")
    if not small:
        st.caption(
            f"{n_shown:,} events are over this server's download limit of {SETTINGS.download_max_events:,} "
            "(VIZ_DOWNLOAD_MAX_EVENTS). Narrow the filters, or write this selection to a file of any size "
            "where the data are stored:"
        )
        st.code(
            f"python -m viz export {shlex.quote(share_url(st.context.url, view_now))} --out events.csv", language="bash"
        )
    pictures_panel(mfig, tfig, caption, drawn, lambda: events.points(shown, mapview.PLAY_MAX), controls, ds)
    report_panel(events, report, ds)
    return chosen, controls


# ------------------------------------------------------------------ review tab
def on_review_pick(own_choice: int) -> None:
    """A click on the review map: that point, in the coordinate boxes."""
    ll = mapcomponent.lonlat_of(_map_event("pick", "review_map"))
    if ll is not None:
        st.session_state["review_lon"], st.session_state["review_lat"] = ll
        st.session_state["review_choice"] = own_choice


def review_tab(events: Events) -> None:
    if msg := st.session_state.pop("_review_msg", None):
        st.success(inert_md(msg))
    raw = events.geocoded()  # the rows placed by name, as the data gave them
    saved = corrections().all()
    table = review_table(raw, saved)
    st.caption(
        f"{len(table)} place names placed by the geocoder (or not placed); unresolved and least certain first. "
        "Pick one to see the other candidates and correct it: the correction applies to every event with that "
        "name, now and on future loads."
    )
    st.dataframe(table, key="review_table", hide_index=True, height=260)
    if table.empty:
        return
    labels = [
        f"{p} ({c or '?'}) · {n} events · " + (f"{pn}" if isinstance(pn, str) and pn else "not resolved")
        for p, c, n, pn in zip(table["place"], table["country"], table["events"], table["place_name"], strict=True)
    ]
    i = st.selectbox("Name in the data", range(len(table)), format_func=labels.__getitem__, key="review_place")
    row = table.iloc[int(i)]
    place, country = str(row["place"]), str(row["country"])
    try:
        cands = geocoder().geocode(place, exactly_one=False, limit=8) or []
    except QueryError:
        cands = []
    rows = [c.raw for c in cands]
    choices = [
        f"{place_label(r)} {r['feature']}, {r['lat']:.4f}, {r['lon']:.4f}, score {r['score']:.2f}" for r in rows
    ] + ["A point I click on the map or type in"]
    pick = st.radio("Place it at", range(len(choices)), format_func=lambda k: inert_md(choices[k]), key="review_choice")
    own = (st.session_state.get("review_lat"), st.session_state.get("review_lon"))
    mapcomponent.show(
        places_figure(rows, picked=own if None not in own and pick == len(rows) else None),
        key="review_map",
        revision=mapcomponent.digest(place, country),
        config=plot_config(),
        height=420,
        pick=True,
        on_pick=on_review_pick,
        args=(len(rows),),
    )
    fix: Correction | None
    if pick == len(rows):
        st.caption("Click the map where the place is, or type its coordinates.")
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input("Latitude", -90.0, 90.0, None, format="%.5f", key="review_lat")
        lon = c2.number_input("Longitude", -180.0, 180.0, None, format="%.5f", key="review_lon")
        cc = c3.text_input("Country (ISO-2)", value=country, max_chars=2, key="review_cc")
        fix = (
            Correction(place, country, name=place, lat=lat, lon=lon, country_code=cc.upper(), precision="exact")
            if lat is not None and lon is not None
            else None  # no point yet: nothing to save, and never 0, 0
        )
    else:
        fix = from_candidate(place, country, rows[int(pick)])
    if SETTINGS.read_only:
        st.caption("This server is read-only: corrections cannot be saved here.")
    if (
        st.button("Save correction", key="review_save", type="primary", disabled=fix is None or SETTINGS.read_only)
        and fix is not None
    ):
        corrections().save(fix)
        st.session_state["_review_msg"] = (
            f"Saved: {place} ({country or '?'}) → {fix.name} ({fix.lat:.4f}, {fix.lon:.4f})"
        )
        st.rerun()  # every view shows the corrected places
    if saved:
        st.subheader("Saved corrections")
        st.dataframe(pd.DataFrame([vars(c) for c in saved]), key="corrections_table", hide_index=True)
        keys = [f"{c.place} ({c.country or '?'})" for c in saved]
        j = st.selectbox("Remove a correction", range(len(saved)), format_func=keys.__getitem__, key="review_rm_pick")
        if st.button("Remove", key="review_remove", disabled=SETTINGS.read_only):
            corrections().remove(saved[int(j)].place, saved[int(j)].country)
            st.rerun()


# ------------------------------------------------------------------ geocoder tab
def geocoder_tab(view: View) -> tuple[str, str, str]:
    col_q, col_cc, col_n = st.columns([4, 1, 1])
    query = col_q.text_input("Place name", value=view.place_query or "Saraqeb", key="q")
    hint = col_cc.text_input("Country (ISO-2)", value=view.place_country, key="cc", max_chars=2)
    limit = col_n.number_input("Candidates", min_value=1, max_value=25, value=5, key="limit")
    context_text = st.text_input(
        "Other places in the same document (comma-separated)", value=view.place_context, key="ctx"
    )
    context = [c.strip() for c in context_text.split(",") if c.strip()]
    rows: list[dict] = []
    if query.strip():
        try:
            found = geocoder().geocode(
                query, exactly_one=False, limit=int(limit), country_codes=hint or None, context=context or None
            )
        except QueryError as exc:
            st.warning(f"Cannot geocode this: {inert_md(str(exc))}")
            found = None
        if found:
            rows = [loc.raw for loc in found]
            best = rows[0]
            st.success(inert_md(f"{place_label(best)}, {best['feature']}, score {best['score']:.3f}"))
        elif found is None:
            st.info(f"not found: {inert_md(query)}")
    mapcomponent.show(
        places_figure(rows), key="map", revision=mapcomponent.digest(query, hint, context_text), config=plot_config()
    )
    if rows:
        cols = ["name", "country_code", "feature", "admin1", "lat", "lon", "population", "score", "match"]
        st.dataframe(pd.DataFrame(rows)[cols + ["matched_name", "geonameid"]], key="candidates", hide_index=True)
    return query, hint, context_text


# ------------------------------------------------------------------ page
st.html(f"<style>{LAYOUT_CSS}{mapcomponent.PRELOAD_CSS}{EMBED_CSS if EMBEDDED else ''}</style>")
# plotly.js starts loading first: the sidebar is built before the main area in
# the browser, so the component mounted at its top fetches before any widget
with st.container() if EMBEDDED else st.sidebar:
    mapcomponent.preload(full=st.query_params.get("bm") == "tiles")
# A session's first page is its map and timeline: the table (the heaviest of
# Streamlit's widgets to load) and the downloads follow in the rerun the drawn map asks for
FIRST_RUN = not st.session_state.get("_ran")
st.session_state["_ran"] = True
# the title, the page and the link in a row that wraps where narrow (LAYOUT_CSS): columns
# squeezed the link's button to a letter a line at 1100 px with the sidebar open
bar = st.container(key="pagehead")
title, head, link_slot = bar.container(key="headtitle"), bar.container(key="headpage"), bar.container(key="headlink")
title.markdown(
    f"#### Events and places\n:small[Offline: gazetteer, basemap and demo data are local. "
    f"Today is {date.today():%Y-%m-%d}.]"
)
params = {k: st.query_params.get_all(k) for k in st.query_params}
try:
    default_ds = appdata.default_dataset(store(), sys.argv[1:])
except StoreError as exc:  # a read-only server with nothing in its store: said, not a traceback
    st.error(inert_md(str(exc)))
    st.stop()
first, _ = decode(params, Known(datasets=frozenset(store().ids())))
ds = choose_dataset(first, default_ds)
events, report = load(ds)
opts = options(events)
known = Known(
    actors=frozenset(opts.actors),
    countries=frozenset(opts.countries),
    datasets=frozenset(store().ids()),
    events=events,
)
view, notices = decode(params, known)
if not st.session_state.get("_started"):  # the link's selections start the session
    st.session_state["_started"] = True
    st.session_state["sel_time"] = view.time
    st.session_state["sel_area"] = view.filters.area
    st.session_state["_opened"] = view.event
    st.session_state["map_frame"] = (view.center, view.zoom if view.zoom is not None else 2.0) if view.center else None
for n in notices:
    st.warning(inert_md(n), icon="⚠️")
PAGE_LABELS = {"events": "Events", "review": "Geocoding review", "geocoder": "Geocoder"}
if EMBEDDED:
    page = "events"
else:
    with head:
        page = labelled_radio("Page", PAGE_LABELS, view.page, "page")  # only the page shown is built
chosen = replace(view.filters, area=st.session_state.get("sel_area"))
controls = view
gq, gcc, gctx = view.place_query, view.place_country, view.place_context
if page == "events":
    chosen, controls = events_tab(events, report, view, ds)
elif page == "review":
    review_tab(events)
else:
    gq, gcc, gctx = geocoder_tab(view)
# The URL holds the whole view: a shared link shows the same thing.
new_view = replace(
    controls,  # the map's mode, colour, size, play window, basemap, centre and zoom
    dataset=ds,
    filters=chosen,
    time=st.session_state.get("sel_time"),
    event=st.session_state.get("_opened"),
    place_query=gq,
    place_country=gcc,
    place_context=gctx,
    page=page,
)
st.query_params.from_dict(encode(new_view))
if not EMBEDDED:
    with link_slot.container(), st.popover("Link to this view", icon=":material/link:"):
        link = share_url(st.context.url, new_view)
        st.caption("Copy it (button at the right): it opens this exact view, data included.")
        st.code(link, language=None, wrap_lines=True)
        st.caption(
            "Embed this view in a page of your own (served with this installation): its map and timeline, no controls."
        )
        st.code(embed_snippet(link), language="html", wrap_lines=True)
