"""季度座谈会: a quarter's (or the year-to-date) briefing, its editable narrative, and the pack
as Word, PDF and Excel."""

import streamlit as st

from analytics.briefing import documents as briefing_docs
from analytics.briefing.figures import (
    FORUM_RULE,
    briefing_filters,
    briefing_pack,
    briefing_period_options,
    default_briefing_pack,
    default_briefing_quarter,
    display_table,
    figure_sense,
    figures_display,
    next_quarter,
)
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.selection import rows_matching, selection_values
from analytics.common.text import md
from analytics.metrics.quotas import PACE_RULE, RAG_RULE, compliance_table
from analytics.semantic.rules import COVERAGE_RULE, DENOMINATOR_RULE, EXPECTED_RULE
from analytics.store.db import natural_key
from analytics.visual import charts, quota_charts, style
from ui.state import filters, metric, shared, stop_if_not_started
from ui.widgets import (
    downloads,
    export_info_sheet,
    file_download,
    kpi_card,
    rate_column,
    rule_note,
    table,
)

FIGURE_CARD_HEIGHT = 210  # px: one height for every key-figure card, target or not
SHOWN_PEOPLE = 10  # names listed as links; the rest are in the table below them

f = filters()
st.title(t("forum.title"))
st.caption(t("forum.caption"))

options = briefing_period_options(f)
labels = list(options)
default = default_briefing_quarter(f)
choice = st.selectbox(
    t("forum.period"),
    labels,
    index=list(options.values()).index(default) if default in options.values() else 0,
    key=f"forum_quarter_{f.year}_{f.quarter}",
)
quarter = options[choice]
fb = briefing_filters(f, quarter)
stop_if_not_started(fb)
st.caption(t("forum.period_note", start=fmt.date(fb.period_start), end=fmt.date(fb.period_end)))

# The period the page opens on is asked for with the sidebar's filters: warmed after writes.
pack = metric(default_briefing_pack, f) if quarter == default else metric(briefing_pack, fb)

# ----- key figures -----
st.subheader(t("forum.section.figures"))
rows = pack.figures.to_dict("records")
for start in range(0, len(rows), 5):
    for col, row in zip(st.columns(5), rows[start : start + 5], strict=False):
        noun, better = figure_sense(row["key"], row["unit"])
        qoq = fmt.delta(row["value"], row["qoq"], row["unit"])
        with col:
            # The shared card: its 同比 colour follows whether the change is good, not its sign.
            kpi_card(
                md(row["label"]), row["value"], row["unit"], row["yoy"], row["target"],
                row["expected"], row["status"], noun=noun, better=better,
                height=FIGURE_CARD_HEIGHT,
                also=t("forum.qoq", delta=qoq) if qoq else t("forum.no_qoq"),
            )  # fmt: skip
st.caption(t("forum.figures.ytd_note"))
figures_table = figures_display(pack.figures)
with st.expander(t("forum.sheet.figures")):
    table(figures_table, hide_index=True, width="stretch")
    downloads(briefing_docs.reader_table(display_table(pack.figures)), t("forum.sheet.figures"),
              "forum_figures")  # fmt: skip

# ----- charts, each narrowing the table under it -----
st.subheader(t("forum.section.charts"))
st.caption(t("forum.chart.hint"))
left, right = st.columns(2)
with left:
    event = st.plotly_chart(
        shared(charts.bar_chart, pack.participation, "study_group", "rate", percent=True,
                         title=t("forum.chart.participation"), limit=style.UNITS_SHOWN,
                         category_order=sorted(pack.participation["study_group"],
                                               key=natural_key)),
        key="forum_participation", on_select="rerun", selection_mode="points",
        config={"displaylogo": False},
    )  # fmt: skip
    chosen = selection_values(event.selection.points)
    shown = display_table(
        rows_matching(pack.participation, "study_group", chosen).rename(
            columns={"expected": "expected_attendance"}
        )
    )
    table(
        shown, hide_index=True, width="stretch",
        column_config={t("forum.col.rate"): rate_column()},
    )  # fmt: skip
    downloads(shown, t("forum.sheet.participation"), "forum_participation_table")
with right:
    event = st.plotly_chart(
        shared(quota_charts.quota_progress_chart, pack.quota, title=t("forum.chart.quota")),
        key="forum_quota", on_select="rerun", selection_mode="points",
        config={"displaylogo": False},
    )  # fmt: skip
    chosen = selection_values(event.selection.points)
    shown = compliance_table(rows_matching(pack.quota, "metric", chosen))
    table(shown, hide_index=True, width="stretch")
    downloads(shown, t("forum.sheet.quota"), "forum_quota_table")

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('forum.section.reports')}**")
    event = st.plotly_chart(
        shared(charts.bar_chart, pack.output, "type", "reports", title=t("forum.chart.output"),
               sort=True),
        key="forum_output", on_select="rerun", selection_mode="points",
        config={"displaylogo": False},
    )  # fmt: skip
    chosen = selection_values(event.selection.points)
    shown = display_table(rows_matching(pack.reports, "type", chosen))
    if shown.empty:
        st.info(t("common.empty"))
    else:
        table(shown, hide_index=True, width="stretch")
    downloads(shown, "调研成果", "forum_reports_table")
with right:
    st.markdown(f"**{t('forum.section.awards')}**")
    if pack.awards_chart.empty:
        st.plotly_chart(style.empty_figure(t("common.empty")), key="forum_awards_empty")
        chosen = []
    else:
        event = st.plotly_chart(
            shared(charts.bar_chart, pack.awards_chart, "prize", "awards", color="level",
                             title=t("forum.chart.awards")),
            key="forum_awards", on_select="rerun", selection_mode="points",
            config={"displaylogo": False},
        )  # fmt: skip
        chosen = selection_values(event.selection.points)
    shown = display_table(rows_matching(pack.awards, "prize", chosen))
    if shown.empty:
        st.info(t("common.empty"))
    else:
        table(shown, hide_index=True, width="stretch")
    downloads(shown, "竞赛获奖", "forum_awards_table")

# ----- who and what needs attention; next quarter -----
left, right = st.columns(2)
with left:
    st.subheader(t("forum.section.attention"))
    if pack.attention.empty:
        st.success(t("forum.attention.none"))
    for item in pack.attention.itertuples():
        (st.error if item.severity == "red" else st.warning)(md(item.text))
    st.markdown(f"**{t('forum.section.attention_people')}**")
    if pack.people.empty:
        st.success(t("forum.attention.people_none"))
    for person in pack.people.head(SHOWN_PEOPLE).itertuples():
        st.page_link(
            "pages/profile.py",
            label=md(f"{person.name}（{person.cadre_id}）"),
            query_params={"cadre": person.cadre_id},
            icon=":material/person:",
            help=md(person.reasons),
        )
        st.caption(md(person.reasons))
    if len(pack.people) > SHOWN_PEOPLE:
        st.caption(t("forum.attention.more", n=len(pack.people) - SHOWN_PEOPLE))
    if len(pack.people):
        shown = display_table(pack.people)
        table(
            shown, hide_index=True, width="stretch",
            column_config={t("forum.col.link"): st.column_config.LinkColumn(
                display_text=r"cadre=(.*)$")},
        )  # fmt: skip
        downloads(shown, "需要关注的青年干部", "forum_people")
with right:
    year, q = next_quarter(fb)
    st.subheader(md(t("forum.section.actions",
                      quarter=t("forum.period.quarter", year=year, quarter=q))))  # fmt: skip
    if pack.actions.empty:
        st.success(t("forum.actions.none"))
    else:
        shown = display_table(pack.actions)
        table(shown, hide_index=True, width="stretch")
        downloads(shown, t("forum.sheet.actions"), "forum_actions")

# ----- the narrative, editable, and the pack -----
st.subheader(t("forum.section.narrative"))
st.caption(t("forum.narrative.hint"))
generated = pack.narrative.text
text_key = f"forum_text_{fb.year}_{fb.quarter}_{fb.group}_{fb.division}_{fb.as_of}"
st.session_state.setdefault(text_key, generated)


def _reset_text() -> None:
    st.session_state[text_key] = generated


text = st.text_area(t("forum.narrative.label"), key=text_key, height=520)
if text != generated:
    st.info(t("forum.narrative.edited"))
    st.button(t("forum.narrative.reset"), on_click=_reset_text, key="forum_reset")

st.subheader(t("forum.section.downloads"))
name = pack.narrative.title
footer = t("forum.doc.source", date=fmt.date(fb.as_of))
try:
    briefing_docs.cjk_font_path()
    font_error = None
except briefing_docs.FontMissing as exc:
    font_error = str(exc)
    st.error(md(font_error))


def _images() -> list[briefing_docs.ChartImage]:
    return briefing_docs.chart_images(pack.participation, pack.output, pack.awards_chart,
                                      pack.quota)  # fmt: skip


stamp = export_info_sheet()
c1, c2, c3 = st.columns(3)
with c1:
    file_download(
        t("forum.download.docx"),
        lambda: briefing_docs.docx_bytes(text, figures_table, _images(), footer, signed=fb.as_of),
        f"{name}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "forum_docx", icon=":material/description:", disabled=font_error is not None,
    )  # fmt: skip
with c2:
    file_download(
        t("forum.download.pdf"),
        lambda: briefing_docs.pdf_bytes(text, figures_table, _images(), footer, signed=fb.as_of),
        f"{name}.pdf", "application/pdf", "forum_pdf", icon=":material/picture_as_pdf:",
        disabled=font_error is not None,
    )  # fmt: skip
with c3:
    file_download(
        t("forum.download.xlsx"),
        lambda: briefing_docs.xlsx_bytes({**pack.tables(), **stamp()}),  # + who exported, when
        f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "forum_xlsx", icon=":material/table_view:",
    )  # fmt: skip

rule_note(f"{FORUM_RULE}{EXPECTED_RULE}{DENOMINATOR_RULE}{PACE_RULE}{COVERAGE_RULE}{RAG_RULE}")
