"""总览: the state of the programme at a glance."""

import streamlit as st

from analytics.common.labels import t
from analytics.common.text import md
from analytics.metrics.overview import attention_items, monthly_trend, overview_kpis
from analytics.metrics.quotas import DENOMINATOR_RULE, RAG_RULE
from analytics.visual import charts
from ui.state import filters, metric, stop_if_not_started
from ui.widgets import kpi_card, rule_note

f = filters()
st.title(t("overview.title"))
st.caption(md(f"{t('app.subtitle')} · {f.label()}"))
stop_if_not_started(f)

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
                row["target"], row["expected"], row["status"],
            )  # fmt: skip

left, right = st.columns([3, 2])
with left:
    st.subheader(t("overview.section.trend"))
    trend = metric(monthly_trend, f)
    st.plotly_chart(
        charts.monthly_trend_chart(
            trend,
            names=[
                t(f"overview.trend.{k}")
                for k in ("activities", "activities_last_year", "rate", "rate_last_year")
            ],
        ),  # fmt: skip
        key="overview_trend",
        config={"displaylogo": False},
    )
with right:
    st.subheader(t("overview.section.attention"))
    items = metric(attention_items, f, kpis=kpis)  # the KPIs above, not computed twice
    if items.empty:
        st.success(t("overview.attention.none"))
    for item in items.itertuples():
        (st.error if item.severity == "red" else st.warning)(md(item.text))

rule_note(f"{t('overview.rule.quota')}{DENOMINATOR_RULE}{RAG_RULE}")
