"""Streamlit entry point: ``streamlit run app.py [-- --data PATH ...]`` (``make run``).

Thin on purpose: the logic lives in ``viz``.  The URL holds the view
(:mod:`viz.viewstate`): it is decoded once at the top of each run (bad or
stale parameters fall back with a notice), the widgets start from it, and it
is written back from the widgets at the end, so a shared link reproduces the
view.  Two tabs: the events (bundled demo, or the files given with ``--data``)
with their filters on the offline map; and the geocoder.
"""

from __future__ import annotations

import re
import sys
from datetime import date

import pandas as pd
import streamlit as st

from viz import appdata, export, filters
from viz.basemap import places_figure, plot_config
from viz.detail import clicked_event, detail_lines
from viz.errors import QueryError
from viz.figures import events_map
from viz.geocoder import GazetteerGeocoder
from viz.schema import EVENT_TYPES, GEO_PRECISIONS
from viz.timeline import selected_range, timeline_figure
from viz.viewstate import Filters, Known, View, decode, encode

st.set_page_config(page_title="viz: events and places", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Opening the offline gazetteer ...")
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


def inert_md(text: str) -> str:
    """Untrusted text inside Streamlit markdown, shown as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


def load_events() -> tuple[pd.DataFrame, object]:
    paths = appdata.data_paths(sys.argv[1:])
    sig = appdata.signature(paths)
    result = appdata.cached(sig)
    if result is None:
        bar = st.progress(0.0, text="Loading events ...")
        result = appdata.load_paths(paths, sig, progress=lambda f, msg: bar.progress(min(f, 1.0), text=msg))
        bar.empty()
    return result


def labelled_radio(label: str, options: dict[str, str], current: str, key: str) -> str:
    """A horizontal radio over ``options`` (value -> label), starting at ``current``."""
    values = list(options)
    return st.radio(
        label, values, index=values.index(current), key=key, horizontal=True, format_func=options.__getitem__
    )


def actor_options(frame: pd.DataFrame) -> list[str]:
    names = frame["actors"].dropna().str.split("; ").explode()
    return sorted(set(names.dropna()) - {""})


def events_tab(frame: pd.DataFrame, report, view: View, known: Known) -> tuple[Filters, tuple[date, date] | None]:
    f = view.filters
    with st.expander(
        f"{report.rows_kept} events from {len(report.files)} files"
        + (f"; {report.rows_rejected} rows rejected" if report.rows_rejected else "")
        + (f"; {sum(report.unresolved.values())} without coordinates" if report.unresolved else "")
    ):
        st.text(report.summary())
    bounds = appdata.date_bounds(frame)
    if bounds is None:
        st.warning("No dated events to show.")
        return f, None
    lo, hi = bounds[0].date(), bounds[1].date()
    start = min(max(f.date_from or lo, lo), hi)
    end = max(min(f.date_to or hi, hi), start)
    with st.sidebar:
        st.header("Filters")
        actors = st.multiselect("Actors", sorted(known.actors), default=list(f.actors), key="f_actor")
        present_types = [t for t in EVENT_TYPES if (frame["event_type"] == t).any()]
        types = st.multiselect(
            "Event types", present_types, default=[t for t in f.types if t in present_types], key="f_type"
        )
        ccs = sorted(frame["country_code"].dropna().unique())
        countries = st.multiselect("Countries", ccs, default=[c for c in f.countries if c in ccs], key="f_cc")
        text = st.text_input("Search the evidence, places and actors", value=f.text, key="f_text")
        minf = st.number_input("Minimum fatalities", min_value=0, value=f.min_fatalities or 0, step=1, key="f_minf")
        precisions = st.multiselect("Geo precision", list(GEO_PRECISIONS), default=list(f.precisions), key="f_prec")
        st.header("Map")
        color_by = labelled_radio("Colour by", {"event_type": "type", "actor": "main actor"}, view.color, "color")
        size_by = labelled_radio(
            "Size by", {"fatalities": "fatalities", "count": "events at the place"}, view.size, "size"
        )
    dstart, dend = st.slider("Dates", min_value=lo, max_value=hi, value=(start, end), key="dates", format="YYYY-MM-DD")
    chosen = Filters(
        actors=tuple(actors),
        types=tuple(types),
        countries=tuple(countries),
        precisions=tuple(precisions),
        date_from=dstart if dstart != lo else None,
        date_to=dend if dend != hi else None,
        text=text.strip(),
        min_fatalities=int(minf) or None,
    )
    base = filters.apply(frame, chosen)
    # The timeline shows the filtered events; a range brushed on it (or given
    # by the link's t0/t1) narrows the map and the table.  Its figure does not
    # depend on the brushed range, so the selection survives the rerun.
    st.plotly_chart(
        timeline_figure(base),
        config=plot_config(),
        key="timeline",
        on_select="rerun",
        selection_mode=("box",),
        width="stretch",
    )
    brushed = selected_range(st.session_state.get("timeline"))
    if brushed is not None:
        st.session_state["_brushed"] = True
    time = brushed if brushed is not None or st.session_state.get("_brushed") else view.time
    shown = filters.apply(frame, chosen, time=time)
    located = int(shown["lat"].notna().sum())
    span = f"; timeline range {time[0]} to {time[1]}" if time else ""
    st.caption(f"{len(shown)} events between {dstart} and {dend}{span}; {located} on the map; {len(frame)} in the data")
    # Clicking a point opens its event; the map's figure does not depend on
    # the click, so the selection survives the rerun.
    st.plotly_chart(
        events_map(shown, color_by=color_by, size_by=size_by),
        config=plot_config(),
        key="events_map",
        width="stretch",
        on_select="rerun",
        selection_mode=("points",),
    )
    opened = clicked_event(st.session_state.get("events_map")) or view.event
    match = frame[frame["event_id"] == opened] if opened else frame.iloc[0:0]
    if len(match):
        with st.container(border=True, key="event_detail"):
            st.subheader("Event")
            for label, value in detail_lines(match.iloc[0]):
                if label == "Link" and value.startswith(("http://", "https://")):
                    st.link_button("Open the source", value)  # the user's click leaves the machine, nothing else
                else:
                    st.text(f"{label}: {value}")
    else:
        opened = None
    st.session_state["_opened"] = opened
    cols = ["date", "event_type", "actors", "place", "place_name", "country_code", "fatalities", "source", "text"]
    st.dataframe(shown[cols], key="events_table", hide_index=True)
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", export.to_csv(shown), file_name="events.csv", mime="text/csv", key="dl_csv")
    c2.download_button(
        "Download GeoJSON",
        export.geojson_bytes(shown),
        file_name="events.geojson",
        mime="application/geo+json",
        key="dl_geojson",
    )
    st.session_state["_controls"] = (color_by, size_by)
    return chosen, time


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
            st.success(
                inert_md(f"{best['name']} ({best['country_code']}), {best['feature']}, score {best['score']:.3f}")
            )
        elif found is None:
            st.info(f"not found: {inert_md(query)}")
    st.plotly_chart(places_figure(rows), config=plot_config(), key="map", width="stretch")
    if rows:
        cols = ["name", "country_code", "feature", "admin1", "lat", "lon", "population", "score", "match"]
        st.dataframe(pd.DataFrame(rows)[cols + ["matched_name", "geonameid"]], key="candidates", hide_index=True)
    return query, hint, context_text


st.title("Events and places")
st.caption(f"Offline: gazetteer, basemap and demo data are local. Today is {date.today():%Y-%m-%d}.")
frame, report = load_events()
params = {k: st.query_params.get_all(k) for k in st.query_params}
known = Known(
    actors=frozenset(actor_options(frame)),
    countries=frozenset(frame["country_code"].dropna()),
    events=frozenset(frame["event_id"].dropna()),
)
view, notices = decode(params, known)
for n in notices:
    st.warning(inert_md(n), icon="⚠️")
events, places = st.tabs(["Events", "Geocoder"])
with events:
    chosen, time_range = events_tab(frame, report, view, known)
with places:
    gq, gcc, gctx = geocoder_tab(view)
# The URL holds the whole view: a shared link shows the same thing.
color_by, size_by = st.session_state.get("_controls", ("event_type", "fatalities"))
new_view = View(
    filters=chosen,
    time=time_range,
    color=color_by,
    size=size_by,
    event=st.session_state.get("_opened"),
    place_query=gq,
    place_country=gcc,
    place_context=gctx,
)
st.query_params.from_dict(encode(new_view))
