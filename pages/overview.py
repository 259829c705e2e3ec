"""总览: the state of the programme at a glance.

The first screen (1280×720) answers "how are we doing": the scope, a one-line verdict over the
year's quotas, and the three items most behind with their gaps. The cards and the trend follow.
"""

import streamlit as st

from analytics.common.labels import t
from analytics.common.text import md
from analytics.metrics.comparison import YOY_RULE
from analytics.metrics.overview import (
    ATTENTION_SHOWN,
    KPI_RULES,
    attention_items,
    monthly_trend,
    overview_kpis,
    verdict,
    verdict_text,
)
from analytics.metrics.quotas import RAG_RULE, quota_compliance
from analytics.semantic.rules import DENOMINATOR_RULE
from analytics.visual import charts
from ui.state import filters, metric, shared, signed_in_user, stop_if_not_started
from ui.widgets import kpi_card, rule_note, verdict_line

CARD_HEIGHT = 200  # px: one height for every card, target or not (two-line label + target)

f = filters()
st.title(t("overview.title"))
st.caption(md(f.scope(signed_in_user().role_name or "")))
stop_if_not_started(f)

compliance = metric(quota_compliance, f)
counts = verdict(compliance)
verdict_line(counts, verdict_text(counts))

# (con, f) only: a cache key the warmer can keep across restarts (ui/warm.py); the compliance it
# reads is one statement of the semantic layer's measures.
items = metric(attention_items, f)
st.markdown(f"**{t('overview.section.attention')}**")
if items.empty:
    st.success(t("overview.attention.none"))
for item in items.head(ATTENTION_SHOWN).itertuples():
    (st.error if item.severity == "red" else st.warning)(md(item.text))
if len(items) > ATTENTION_SHOWN:
    with st.expander(t("overview.attention.more", n=int(len(items) - ATTENTION_SHOWN))):
        for item in items.iloc[ATTENTION_SHOWN:].itertuples():
            (st.error if item.severity == "red" else st.warning)(md(item.text))

kpis = metric(overview_kpis, f)
by_key = kpis.set_index("key")
st.subheader(t("overview.section.kpis"))
rows = [
    ["cadres", "participation_rate", "training_hours", "reports", "awards"],
    ["activities:理论学习", "activities:党性教育", "activities:实践锻炼", "rotation_share",
     "secondment_share"],
]  # fmt: skip
for keys in rows:
    for col, key in zip(st.columns(len(keys)), keys, strict=True):
        row = by_key.loc[key]
        with col:
            kpi_card(
                t(f"overview.kpi.{key}"), row["value"], row["unit"], row["previous"],
                row["target"], row["expected"], row["status"], noun=row["noun"],
                better=int(row["better"]), height=CARD_HEIGHT, rule=KPI_RULES[key],
            )  # fmt: skip

st.subheader(t("overview.section.trend"))
trend = metric(monthly_trend, f)
st.plotly_chart(
    shared(
        charts.monthly_trend_chart,
        trend,
        names=[
            t(f"overview.trend.{k}")
            for k in ("activities", "activities_last_year", "rate", "rate_last_year")
        ],
    ),  # fmt: skip
    key="overview_trend",
    config={"displaylogo": False},
)

rule_note(f"{YOY_RULE}{DENOMINATOR_RULE}{RAG_RULE}")
