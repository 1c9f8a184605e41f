"""Streamlit entry point: ``streamlit run app.py`` (or ``make run``).

Thin on purpose: the logic lives in ``viz``.  This page geocodes what the
user types with the offline gazetteer and shows the candidates on an offline
map; the query is kept in the URL (``?q=...&cc=...&ctx=...``) so a link
reproduces it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from viz.basemap import places_figure, plot_config
from viz.errors import QueryError
from viz.geocoder import GazetteerGeocoder

st.set_page_config(page_title="viz: geocoder", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Opening the offline gazetteer ...")
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


params = st.query_params
st.title("Offline geocoder")
st.caption("Place names in any script, resolved offline against GeoNames, countries and regions.")

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
    gc = geocoder()
    try:
        found = gc.geocode(
            query, exactly_one=False, limit=int(limit), country_codes=hint or None, context=context or None
        )
    except QueryError as exc:
        st.warning(f"Cannot geocode this: {exc}")
        found = None
    if found:
        rows = [loc.raw for loc in found]
        best = rows[0]
        st.success(f"{best['name']} ({best['country_code']}), {best['feature']}, score {best['score']:.3f}")
    elif found is None and query.strip():
        st.info(f"not found: {query}")

st.plotly_chart(places_figure(rows), config=plot_config(), key="map", width="stretch")
if rows:
    table = pd.DataFrame(rows)[
        [
            "name",
            "country_code",
            "feature",
            "admin1",
            "lat",
            "lon",
            "population",
            "score",
            "match",
            "matched_name",
            "geonameid",
        ]
    ]
    st.dataframe(table, key="candidates", hide_index=True)
