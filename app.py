"""Streamlit entry point: ``streamlit run app.py [-- --data PATH ...]`` (``make run``).

Thin on purpose: the logic lives in ``viz``.  Two tabs: the events (the
bundled demo, or the files given with ``--data``) on the offline map with a
date filter; and the geocoder, which keeps its query in the URL
(``?q=...&cc=...&ctx=...``) so a link reproduces it.
"""

from __future__ import annotations

import sys
from datetime import date

import pandas as pd
import streamlit as st

from viz import appdata
from viz.basemap import places_figure, plot_config
from viz.errors import QueryError
from viz.figures import events_map
from viz.geocoder import GazetteerGeocoder

st.set_page_config(page_title="viz: events and places", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Opening the offline gazetteer ...")
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


def events_tab() -> None:
    paths = appdata.data_paths(sys.argv[1:])
    sig = appdata.signature(paths)
    result = appdata.cached(sig)
    if result is None:
        bar = st.progress(0.0, text="Loading events ...")
        result = appdata.load_paths(paths, sig, progress=lambda f, msg: bar.progress(min(f, 1.0), text=msg))
        bar.empty()
    frame, report = result
    with st.expander(
        f"{report.rows_kept} events from {len(report.files)} files"
        + (f"; {report.rows_rejected} rows rejected" if report.rows_rejected else "")
        + (f"; {sum(report.unresolved.values())} without coordinates" if report.unresolved else "")
    ):
        st.text(report.summary())
    bounds = appdata.date_bounds(frame)
    if bounds is None:
        st.warning("No dated events to show.")
        return
    lo, hi = bounds[0].date(), bounds[1].date()
    start, end = st.slider("Dates", min_value=lo, max_value=hi, value=(lo, hi), key="dates", format="YYYY-MM-DD")
    shown = appdata.filter_dates(frame, pd.Timestamp(start), pd.Timestamp(end))
    located = int(shown["lat"].notna().sum())
    st.caption(f"{len(shown)} events between {start} and {end}; {located} on the map")
    st.plotly_chart(events_map(shown), config=plot_config(), key="events_map", width="stretch")
    st.dataframe(
        shown[["date", "event_type", "actors", "place", "place_name", "country_code", "fatalities", "source", "text"]],
        key="events_table",
        hide_index=True,
    )


def geocoder_tab() -> None:
    params = st.query_params
    col_q, col_cc, col_n = st.columns([4, 1, 1])
    query = col_q.text_input("Place name", value=params.get("q", "Saraqeb"), key="q")
    hint = col_cc.text_input("Country (ISO-2)", value=params.get("cc", ""), key="cc", max_chars=2)
    limit = col_n.number_input("Candidates", min_value=1, max_value=25, value=5, key="limit")
    context_text = st.text_input(
        "Other places in the same document (comma-separated)", value=params.get("ctx", ""), key="ctx"
    )
    context = [c.strip() for c in context_text.split(",") if c.strip()]
    # The URL holds the query: a shared link shows the same answer.
    st.query_params.from_dict({k: v for k, v in {"q": query, "cc": hint, "ctx": context_text}.items() if v})
    rows: list[dict] = []
    if query.strip():
        try:
            found = geocoder().geocode(
                query, exactly_one=False, limit=int(limit), country_codes=hint or None, context=context or None
            )
        except QueryError as exc:
            st.warning(f"Cannot geocode this: {exc}")
            found = None
        if found:
            rows = [loc.raw for loc in found]
            best = rows[0]
            st.success(f"{best['name']} ({best['country_code']}), {best['feature']}, score {best['score']:.3f}")
        elif found is None:
            st.info(f"not found: {query}")
    st.plotly_chart(places_figure(rows), config=plot_config(), key="map", width="stretch")
    if rows:
        cols = ["name", "country_code", "feature", "admin1", "lat", "lon", "population", "score", "match"]
        st.dataframe(pd.DataFrame(rows)[cols + ["matched_name", "geonameid"]], key="candidates", hide_index=True)


st.title("Events and places")
st.caption(f"Offline: gazetteer, basemap and demo data are local. Today is {date.today():%Y-%m-%d}.")
events, places = st.tabs(["Events", "Geocoder"])
with events:
    events_tab()
with places:
    geocoder_tab()
