"""学习参与: which group is doing well, who is slipping, and the rows behind every figure.

Every chart that can be clicked (group bars, group × month bars, 形式 bars, the grid's squares
and boxes) sets one drill selection; the last click wins, the other charts drop their
highlight, and the expected-attendance rows behind it show in a panel beside that chart.
"""

from __future__ import annotations

import streamlit as st

from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import md
from analytics.metrics.comparison import NO_PREVIOUS, records_in_period
from analytics.metrics.overview import LOW_PARTICIPATION
from analytics.metrics.participation import (
    BEHIND_WEEKS,
    GROUP_HOURS_RULE,
    HEATMAP_LIMIT,
    activity_highlights,
    activity_mix,
    cadres_behind,
    discussion_sessions,
    discussion_themes,
    group_comparison,
    labelled,
    participation_by_group_month,
    participation_heatmap,
    participation_overview,
    research_batches,
)
from analytics.metrics.rotation import (
    mentor_grid_table,
)
from analytics.semantic.rules import EXPECTED_RULE
from analytics.visual import charts
from analytics.visual import participation_charts as pc
from analytics.visual.style import BAD_CELL_CSS, CATEGORY_COLORS
from ui.drill import beside, room_for_panel
from ui.participation import (
    DRILL_FILTERS,
    clear_drill,
    council_section,
    detail_panel,
    drill_panel,
    forget_drill,
    holds_drill,
    number_columns,
    profile_column,
    selectable_chart,
)
from ui.state import filters, metric, shared, stop_if_not_started
from ui.widgets import downloads, kpi_card, rule_note, table

# ----- the page -----

f = filters()
st.title(t("participation.title"))
st.caption(md(t("participation.caption", period=f.label())))
stop_if_not_started(f)

# A change of sidebar filters starts a fresh selection (the old one may not exist any more).
if st.session_state.get(DRILL_FILTERS) != f.model_dump_json():
    st.session_state[DRILL_FILTERS] = f.model_dump_json()
    clear_drill()

summary = metric(participation_overview, f).iloc[0]
earlier = f.year_earlier()  # with no record at all: no 同比 (无同期数据), not zeros
comparable_year = metric(records_in_period, earlier)["any"]
before = metric(participation_overview, earlier).iloc[0] if comparable_year else NO_PREVIOUS
threshold_text = fmt.pct(LOW_PARTICIPATION, 0)

# 1. The group comparison: the first thing a leader reads.
st.subheader(t("participation.section.groups"))
for column, (key, unit) in zip(
    st.columns(4),
    [("cadres", "count"), ("groups", "count"), ("rate", "share"), ("hours", "hours")],
    strict=True,
):
    with column:
        kpi_card(t(f"participation.kpi.{key}"), summary[key], unit, before[key])
st.caption(t("participation.on_stint", n=int(summary["on_stint"])))
if int(summary["expected"]) == 0:
    st.info(t("participation.empty"))
    st.stop()

groups = metric(group_comparison, f)
left, right = beside("group", (1, 1))
with left:
    selectable_chart(
        "group",
        shared(
            pc.group_status_chart,
            groups,
            names=[t(f"participation.status.{s}") for s in ("出席", "请假", "缺席")],
            threshold=LOW_PARTICIPATION,
            threshold_label=t("participation.chart.threshold", threshold=threshold_text),
            title=t("participation.chart.group"),
        ),
    )
    room_for_panel(holds_drill("group"))
with right:
    drill_panel(f, "group")
    group_table = labelled(
        groups,
        ["study_group", "cadres", "cadres_during", "expected", "attended", "on_leave", "absent",
         "on_stint", "rate", "hours", "hours_per_cadre"],
    )  # fmt: skip
    table(
        group_table, hide_index=True,
        column_config=number_columns("hours", "hours_per_cadre", percent=("rate",)),
    )  # fmt: skip
    downloads(group_table, t("participation.section.groups"), "participation_groups")
rule_note(EXPECTED_RULE + GROUP_HOURS_RULE)
st.caption(t("participation.hint.click"))

# 2. Group × month.
st.subheader(t("participation.section.months"))
by_month = metric(participation_by_group_month, f)
left, right = beside("month")
with left:
    selectable_chart(
        "month",
        shared(
            pc.group_month_chart, by_month, threshold=LOW_PARTICIPATION,
            title=t("participation.chart.month"),
            threshold_label=t("participation.chart.threshold", threshold=threshold_text),
        ),
        shared(pc.group_month_axes, by_month),
    )  # fmt: skip
    room_for_panel(holds_drill("month"))
with right:
    drill_panel(f, "month")
    st.markdown(f"**{t('participation.tab.month_table')}**")
    month_table = labelled(
        by_month,
        ["study_group", "month", "expected", "attended", "on_leave", "absent", "rate", "hours"],
    )
    table(
        month_table, hide_index=True, height=280 if holds_drill("month") else 340,
        column_config=number_columns("hours", percent=("rate",), months=("month",)),
    )  # fmt: skip
    downloads(month_table, t("participation.tab.month_table"), "participation_months")

# 3. Activity mix: 三课 × 形式, 研学 batches, 座谈交流.
st.subheader(t("participation.section.mix"))
highlights = metric(activity_highlights, f).iloc[0]
before_highlights = metric(activity_highlights, earlier).iloc[0] if comparable_year else NO_PREVIOUS
keys = ["research_batches", "research_sessions", "discussion_sessions", "discussion_participants"]
for column, key in zip(st.columns(4), keys, strict=True):
    with column:
        kpi_card(t(f"participation.kpi.{key}"), highlights[key], "count", before_highlights[key])
mix = metric(activity_mix, f)
left, right = beside("form", (2, 3))
with left:
    selectable_chart(
        "form",
        shared(
            charts.bar_chart, mix, x="form", y="sessions", color="category",
            title=t("participation.chart.form"),
            sort=True, color_map=CATEGORY_COLORS,
        ),
    )  # fmt: skip
    room_for_panel(holds_drill("form"))
with right:
    drill_panel(f, "form")
    tabs = st.tabs([t(f"participation.tab.{k}") for k in ("mix", "research", "discussion",
                                                            "themes")])  # fmt: skip
    with tabs[0]:
        mix_table = labelled(
            mix, ["category", "form", "sessions", "hours", "expected", "attended", "rate"]
        )
        table(
            mix_table, hide_index=True,
            column_config=number_columns("hours", percent=("rate",)),
        )  # fmt: skip
        downloads(mix_table, t("participation.section.mix"), "participation_mix")
    with tabs[1]:
        batches = metric(research_batches, f)
        batch_table = labelled(
            batches,
            ["batch", "sessions", "first_date", "last_date", "groups", "expected", "attended",
             "rate"],
        )  # fmt: skip
        table(
            batch_table, hide_index=True,
            column_config=number_columns(percent=("rate",), dates=("first_date", "last_date")),
        )  # fmt: skip
        downloads(batch_table, t("participation.tab.research"), "participation_research")
    with tabs[2]:
        discussion_table = labelled(
            metric(discussion_sessions, f),
            ["activity_id", "date", "title", "theme", "lead", "participants"],
        )
        table(discussion_table, hide_index=True, column_config=number_columns(dates=("date",)))
        downloads(discussion_table, t("participation.tab.discussion"), "participation_discussion")
    with tabs[3]:
        theme_table = labelled(metric(discussion_themes, f), ["theme", "sessions", "participants"])
        table(theme_table, hide_index=True)
        downloads(theme_table, t("participation.tab.themes"), "participation_themes")

# 4. Mentor rotation: who took each group's 导师 turn; gaps flagged.
st.subheader(t("participation.section.mentors"))
missing_text = t("participation.mentor.missing")
grid_table = metric(mentor_grid_table, f)
gaps = grid_table.isin([missing_text]).any(axis=None)  # a missed turn is a marked cell
table(
    grid_table.style.map(lambda v: BAD_CELL_CSS if v == missing_text else ""),
    hide_index=True,
)
mentor_note = "no_groups" if grid_table.empty else "note" if gaps else "none"
st.caption(t(f"participation.mentor.{mentor_note}"))
downloads(grid_table, t("participation.section.mentors"), "participation_mentors")

# 5. 列席 coverage.
council_section(f)

# 6. Cadre × month heatmap.
st.subheader(t("participation.section.heatmap"))
left, right = beside("grid")
with left:
    by_group = metric(participation_heatmap, f, sort="group")
    rows = int(by_group["row"].max()) + 1 if len(by_group) else 0
    # A large office's grid (hundreds of rows, thousands of pixels) is drawn when asked for.
    drawn = rows <= pc.GRID_AT_ONCE or st.toggle(
        t("participation.heatmap.show", n=fmt.count(rows)), key="participation_heatmap_show",
        on_change=forget_drill, args=("grid",),
    )  # fmt: skip
    if drawn:
        sort = st.radio(
            t("participation.heatmap.sort"), ["group", "rate"], horizontal=True,
            key="participation_heatmap_sort",
            format_func=lambda s: t(f"participation.heatmap.sort.{s}"),
        )  # fmt: skip
        cells = by_group if sort == "group" else metric(participation_heatmap, f, sort=sort)
        if rows >= HEATMAP_LIMIT:
            st.caption(t("participation.heatmap.capped", n=fmt.count(HEATMAP_LIMIT)))
        selectable_chart(
            "grid", shared(pc.attendance_grid, cells),
            shared(pc.grid_axes, cells, "cadre_id", "label", order="row"),
        )  # fmt: skip
    room_for_panel(holds_drill("grid"))
with right:
    drill_panel(f, "grid")
    if drawn and not holds_drill("grid"):
        st.caption(t("participation.heatmap.hint"))

# 7. Who fell behind.
st.subheader(t("participation.section.behind"))
left, right = st.columns(2)
threshold = left.slider(
    t("participation.behind.threshold"), min_value=0.5, max_value=1.0, step=0.05,
    value=LOW_PARTICIPATION, key="participation_threshold", format="percent",
)  # fmt: skip
weeks = right.number_input(
    t("participation.behind.weeks"), min_value=1, max_value=26, step=1, value=BEHIND_WEEKS,
    key="participation_weeks",
)  # fmt: skip
behind = metric(cadres_behind, f, threshold=float(threshold), weeks=int(weeks))
if behind.empty:
    st.success(t("participation.behind.none", weeks=int(weeks)))
else:
    st.warning(
        t("participation.behind.count", n=len(behind), threshold=fmt.pct(threshold, 0),
          weeks=int(weeks))
    )  # fmt: skip
    table(
        labelled(
            behind,
            ["profile", "cadre_id", "study_group", "division", "expected", "attended",
             "on_leave", "absent", "on_stint", "rate", "last_attended", "reason"],
        ),
        hide_index=True,
        column_config=profile_column()
        | number_columns(percent=("rate",), dates=("last_attended",)),
    )  # fmt: skip
downloads(
    labelled(
        behind,
        ["cadre_id", "name", "study_group", "division", "expected", "attended", "on_leave",
         "absent", "on_stint", "rate", "last_attended", "reason"],
    ),
    t("participation.section.behind"), "participation_behind",
)  # fmt: skip
rule_note(t("participation.behind.rule"))

# 8. The rows behind the figures, narrowed by the active chart selection.
detail_panel(f)
