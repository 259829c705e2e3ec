"""竞赛获奖: awards by level, prize and 组别, the competitions' timeline, winners and points."""

import json
import math

import streamlit as st

from analytics.access.audit import Action
from analytics.access.auth import Capability
from analytics.common.labels import t
from analytics.common.selection import narrow, picks_from_points
from analytics.common.text import md
from analytics.metrics.awards import (
    LEVELS,
    PRIZES,
    WeightingError,
    award_kpis,
    award_list,
    award_winners,
    awards_by_category,
    awards_by_level_prize,
    competition_timeline,
    labelled,
    missing_weights,
    points_by_division,
    points_by_group,
    points_weighting,
    save_points_weighting,
    weighting_years,
)
from analytics.semantic.rules import AWARDS_SCOPE_RULE, POINTS_RULE
from analytics.visual import output_charts as oc
from ui.auth import audit_hook, may
from ui.drill import beside, panel_header, room_for_panel
from ui.state import (
    current_version,
    filters,
    metric,
    shared,
    signed_in_user,
    stop_if_not_started,
    writing,
)
from ui.widgets import downloads, kpi_row, rule_note, table

CHART_CONFIG = {"displaylogo": False}

f = filters()
st.title(t("awards.title"))
st.caption(md(f"{t('awards.subtitle')} · {f.label()}"))
stop_if_not_started(f)

flash = st.session_state.pop("awards_flash", None)
if flash:
    st.success(md(flash), icon=":material/check_circle:")

# ----- KPIs with 同比 -----
kpis = metric(award_kpis, f)
kpi_row(kpis, "awards.kpi")
rule_note(f"{POINTS_RULE}{AWARDS_SCOPE_RULE}")

missing = metric(missing_weights, f)
for gap in missing.itertuples():
    st.warning(md(t("awards.unweighted", year=gap.year, items=gap.items)),
               icon=":material/warning:")  # fmt: skip

awards = metric(award_list, f)
winners = metric(award_winners, f)

if awards.empty:
    st.info(md(t("awards.none", period=f.label())))
else:
    # A fresh generation of chart keys clears every chart's selection at once.
    generation = st.session_state.setdefault("awards_chart_generation", 0)

    def clear_selection() -> None:
        st.session_state["awards_chart_generation"] = generation + 1

    # The charts on the left; beside them (sticky) the award list every click narrows.
    left, panel = beside("awards", (3, 2))
    with left:
        level_col, category_col = st.columns(2)
        with level_col:
            st.subheader(t("awards.section.level_prize"))
            by_level = metric(awards_by_level_prize, f)
            level_event = st.plotly_chart(
                shared(oc.award_count_chart,
                    by_level, x="level", y="awards", color="prize", orientation="v",
                    category_order=[v for v in LEVELS if v in set(by_level["level"])],
                    color_map=oc.PRIZE_COLORS,
                ),
                key=f"awards_level_prize_{generation}", on_select="rerun",
                selection_mode="points", config=CHART_CONFIG,
            )  # fmt: skip
        with category_col:
            st.subheader(t("awards.section.category"))
            by_category = metric(awards_by_category, f)
            category_event = st.plotly_chart(
                shared(oc.award_count_chart, by_category, x="category", y="awards", sort=True),
                key=f"awards_category_{generation}", on_select="rerun",
                selection_mode="points", config=CHART_CONFIG,
            )  # fmt: skip
        st.subheader(t("awards.section.timeline"))
        timeline = metric(competition_timeline, f)
        timeline_event = st.plotly_chart(
            shared(oc.competition_timeline_chart, timeline,
                   x_range=(f.period_start, f.period_end_full)),
            key=f"awards_timeline_{generation}", on_select="rerun", selection_mode="points",
            config=CHART_CONFIG,
        )  # fmt: skip
        downloads(labelled(timeline), t("awards.file.timeline"), "awards_timeline_dl")

    selections = [
        picks_from_points(level_event.selection.points, ["level", "prize"]),
        picks_from_points(category_event.selection.points, ["category"]),
        picks_from_points(timeline_event.selection.points, ["competition"]),
    ]
    shown = narrow(awards, selections)
    shown_winners = narrow(winners, selections)

    picked = [" · ".join(str(v) for v in choice.values()) for s in selections for choice in s]
    with left:
        room_for_panel(bool(picked))
    with panel:
        st.subheader(t("awards.section.list"))
        if picked:
            panel_header(
                t("awards.selected", what=md("；".join(picked)), shown=len(shown),
                  total=len(awards)),
                clear_selection, key="awards_clear_selection",
                clear_label=t("awards.clear_selection"),
            )  # fmt: skip
        else:
            st.caption(t("awards.select_hint"))
        award_table = labelled(shown)
        table(award_table, hide_index=True, key="awards_list_table")
        downloads(award_table, t("awards.file.list"), "awards_list_dl")

    st.subheader(t("awards.section.winners"))
    winner_table = labelled(shown_winners)
    table(winner_table, hide_index=True, key="awards_winners_table")
    downloads(winner_table, t("awards.file.winners"), "awards_winners_dl")

# ----- points per group and division (shown even in a period without awards: all zero) -----
st.subheader(t("awards.section.points"))
group_col, division_col = st.columns(2)
with group_col:
    st.markdown(f"**{t('awards.section.points_group')}**")
    by_group = labelled(metric(points_by_group, f))
    table(by_group, hide_index=True, key="awards_points_group")
    downloads(by_group, t("awards.file.points_group"), "awards_points_group_dl")
with division_col:
    st.markdown(f"**{t('awards.section.points_division')}**")
    by_division = labelled(metric(points_by_division, f))
    table(by_division, hide_index=True, key="awards_points_division")
    downloads(by_division, t("awards.file.points_division"), "awards_points_division_dl")

# ----- the weighting: shown to all, editable by 管理员 only (audited) -----
st.subheader(t("awards.section.weights"))
st.caption(t("awards.weights.caption"))
years = metric(weighting_years, f)["year"].tolist()
year = st.selectbox(
    t("awards.weights.year"), years, index=years.index(f.year), key="awards_weights_year",
    format_func=lambda y: f"{y}年",
)  # fmt: skip
weights = metric(points_weighting, f, year=year)
if weights["is_default"].any():
    st.caption(t("awards.weights.defaults", year=md(year)))
version = current_version()
editable = may(Capability.EDIT_TARGETS)
with st.form(f"awards_weights_form_{year}"):
    entered: dict[str, float | None] = {}
    for heading, kind, items in (
        (t("awards.weights.prizes"), "prize", PRIZES),
        (t("awards.weights.levels"), "level", LEVELS),
    ):
        st.markdown(f"**{md(heading)}**")
        rows = [row for row in weights.itertuples() if row.kind == kind]
        for col, row in zip(st.columns(len(items)), rows, strict=True):
            label = row.item + (t("common.default_mark") if row.is_default else "")
            entered[row.key] = col.number_input(
                md(label), min_value=0.0, value=None if math.isnan(row.value) else row.value,
                step=0.5, format="%.2f", key=f"awards_weight_{year}_{version}_{row.key}",
                disabled=not editable,
            )  # fmt: skip
    if (
        st.form_submit_button(t("awards.weights.save"), icon=":material/save:",
                              disabled=not editable)
        and editable
    ):  # fmt: skip
        try:
            with writing() as con:
                save_points_weighting(
                    con, year, entered,
                    audit=audit_hook(Action.TARGETS_CHANGE, f"points_weighting:{year}",
                                     json.dumps(entered, ensure_ascii=False, sort_keys=True)),
                    actor=signed_in_user().label,
                )  # fmt: skip
        except WeightingError as problem:
            st.error(md(problem), icon=":material/error:")
        except Exception as problem:  # e.g. the audit row could not be written: nothing saved
            st.error(md(t("access.write_failed", detail=problem)), icon=":material/error:")
        else:
            st.session_state["awards_flash"] = t("awards.weights.saved", year=year)
            st.rerun()
