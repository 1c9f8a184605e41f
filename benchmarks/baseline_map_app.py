"""The naive baseline for benchmarks/dashboard_speed.py: every event as one
point of a plain ``px.scatter_map`` (hover data included), as a notebook
would draw it.  ``streamlit run benchmarks/baseline_map_app.py -- EVENTS.parquet``."""

import sys

import pandas as pd
import plotly.express as px
import streamlit as st

df = pd.read_parquet(sys.argv[1], columns=["lat", "lon", "date", "event_type", "actors"]).dropna(subset=["lat"])
fig = px.scatter_map(df, lat="lat", lon="lon", color="event_type", hover_data=["date", "actors"], zoom=1)
st.plotly_chart(fig, key="baseline")
