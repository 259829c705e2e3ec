"""The floor under every page-ready figure: a bare Streamlit page, as scripts/bench_browser.py
serves it beside the app (same Streamlit, same Chromium, same run).

A title and, with FLOOR_CHART=1, one plotly chart of three bars: what Streamlit's frontend and
plotly's chunk cost a browser before any of this app's pages, filters or data.
"""

import os

import plotly.graph_objects as go
import streamlit as st

st.title("空白页")
if os.environ.get("FLOOR_CHART") == "1":
    st.plotly_chart(go.Figure(go.Bar(x=["甲", "乙", "丙"], y=[1, 3, 2])), key="floor")
else:
    st.write("无图表")
