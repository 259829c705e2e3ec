"""指标达成: every quota of the year against its target and its pace, by division and group, the
names still needed, and the year's targets editor."""

import json

import streamlit as st

from analytics.access.audit import Action
from analytics.access.auth import Capability
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import md
from analytics.metrics.quotas import (
    AMBER_RATIO,
    DEFAULT_POOL_YEARS,
    NAMES_LIST,
    NAMES_RULE,
    PACE_RULE,
    PER_CADRE_KEYS,
    RAG_RULE,
    breakdown_table,
    breakdown_unit,
    cadres_behind_on_hours,
    column_label,
    compliance_table,
    for_download,
    mentors_missing,
    planning_pool,
    quota_breakdown,
    quota_compliance,
    reports_missing,
)
from analytics.metrics.targets import QUOTA_KEYS, save_targets, target_inputs
from analytics.semantic.rules import COVERAGE_RULE, DENOMINATOR_RULE
from analytics.visual import quota_charts
from ui.auth import audit_hook, may
from ui.drill import PANEL_TABLE_HEIGHT, beside, panel_header, room_for_panel
from ui.state import (
    current_version,
    filters,
    metric,
    shared,
    signed_in_user,
    stop_if_not_started,
    writing,
)
from ui.widgets import NOT_COMPARED, downloads, kpi_card, rule_note, table

f = filters()
ytd = f.year_to_date()
st.title(t("quotas.title"))
st.caption(
    md(t("quotas.caption", period=f.label(), end=fmt.date(ytd.period_end),
         elapsed=fmt.pct(ytd.elapsed_share)))
)  # fmt: skip
saved_year = st.session_state.pop("quotas_saved", None)
if saved_year is not None:
    # Long: on a large office the page recomputes for seconds under the toast after a save.
    st.toast(
        md(t("quotas.edit.saved", year=saved_year)), icon=":material/check_circle:", duration="long"
    )
stop_if_not_started(f)

compliance = metric(quota_compliance, f)
by_key = compliance.set_index("metric")

# ----- the year at a glance -----
st.subheader(t("quotas.section.summary"))
for keys in (QUOTA_KEYS[:4], QUOTA_KEYS[4:]):
    for col, key in zip(st.columns(len(keys)), keys, strict=True):
        row = by_key.loc[key]
        with col:
            kpi_card(
                t(f"quotas.metric.{key}"), row["actual"], row["unit"], NOT_COMPARED,
                row["required"], row["expected"], row["status"],
            )  # fmt: skip

summary = compliance_table(compliance)
table(summary, hide_index=True, key="quotas_summary_table")
downloads(summary, t("quotas.file.summary"), "quotas_summary")
rule_note(f"{DENOMINATOR_RULE}{COVERAGE_RULE}{RAG_RULE}{PACE_RULE}")

# ----- by division and group; beside them (sticky) the names still needed -----
st.subheader(t("quotas.section.breakdown"))
generation = st.session_state.setdefault("quotas_unit_generation", 0)


def clear_unit() -> None:
    st.session_state["quotas_unit_generation"] = generation + 1


left, panel = beside("quotas", (3, 2))
with left:
    st.markdown(f"**{t('quotas.section.progress')}**")
    progress_event = st.plotly_chart(
        shared(quota_charts.quota_progress_chart,
            compliance, amber=AMBER_RATIO,
            names=(t("quotas.progress.axis"), t("quotas.progress.pace")),
        ),
        key="quotas_progress", on_select="rerun", selection_mode="points",
        config={"displaylogo": False},
    )  # fmt: skip
    st.caption(t("quotas.progress.hint"))

    # A click on a quota's bar chooses it for the breakdown and its names list (once per new
    # click, so that the selectbox stays the user's afterwards).
    clicked = [p.get("point_index") for p in progress_event.selection.points]
    if clicked and clicked != st.session_state.get("quotas_last_click"):
        picked = compliance["metric"].iloc[clicked[0]]
        if picked in PER_CADRE_KEYS:
            st.session_state["quotas_breakdown_metric"] = picked
    st.session_state["quotas_last_click"] = clicked

    c1, c2 = st.columns(2)
    by = c1.segmented_control(
        t("quotas.breakdown.by"), ["division", "study_group"], default="division",
        format_func=lambda d: t(f"quotas.breakdown.by.{d}"), key="quotas_breakdown_by",
    ) or "division"  # fmt: skip
    chosen = c2.selectbox(
        t("quotas.breakdown.metric"), list(PER_CADRE_KEYS),
        format_func=lambda k: t(f"quotas.metric.{k}"), key="quotas_breakdown_metric",
    )  # fmt: skip
    breakdown = metric(quota_breakdown, f, by=by)
    units: list[str] = []
    if breakdown.empty:  # no one in post, or (by group) no one in a study group
        grouped_out = by == "study_group" and by_key.loc["rotation_share", "denominator"] > 0
        st.info(t("quotas.breakdown.no_groups" if grouped_out else "quotas.breakdown.empty"))
    else:
        percent = breakdown_unit(chosen) == "share"
        unit_event = st.plotly_chart(
            shared(quota_charts.quota_breakdown_chart,
                breakdown, x="unit", y=chosen, expected=f"{chosen}:expected",
                status=f"{chosen}:status", percent=percent,
                names=(t("quotas.breakdown.value"), t("quotas.breakdown.expected")),
                title=t(f"quotas.metric.{chosen}"),
            ),
            key=f"quotas_breakdown_chart_{by}_{generation}", on_select="rerun",
            selection_mode="points", config={"displaylogo": False},
        )  # fmt: skip
        dimension = t(f"filters.{'group' if by == 'study_group' else 'division'}")
        st.caption(t("quotas.breakdown.hint", dimension=dimension))
        units = [p["customdata"][0] for p in unit_event.selection.points if p.get("customdata")]
        table(breakdown_table(breakdown, by), hide_index=True, key="quotas_breakdown_table")
        downloads(for_download(breakdown), t("quotas.file.breakdown"), "quotas_breakdown")
        st.caption(t("quotas.breakdown.reports_note"))
    room_for_panel(bool(units))
narrowed = f
if units:
    narrowed = f.model_copy(update={"group" if by == "study_group" else "division": units[0]})


def show_names(frame, file_key: str) -> None:
    """One name list: count, table with names linking to the 干部档案 page, downloads."""
    if frame.empty:
        st.success(t("quotas.names.none"))
        return
    st.caption(t("quotas.names.count", n=len(frame)))
    order = ["cadre_id", "profile"] + [
        c for c in frame.columns if c not in ("cadre_id", "name", "profile")
    ]
    config = {c: column_label(c) for c in frame.columns if c not in ("profile",)}
    config["profile"] = st.column_config.LinkColumn(column_label("name"), display_text=r"#(.+)$")
    for c in ("hours", "hours_expected", "hours_short"):
        if c in frame.columns:
            config[c] = st.column_config.NumberColumn(column_label(c), format="%.1f")
    table(frame, hide_index=True, column_order=order, column_config=config,
          height=PANEL_TABLE_HEIGHT, key=f"quotas_names_{file_key}")  # fmt: skip
    downloads(for_download(frame), t(f"quotas.file.{file_key}"), f"quotas_{file_key}")


with panel:
    st.subheader(t("quotas.section.names"))
    if units:
        panel_header(t("quotas.breakdown.selected", unit=md(units[0])), clear_unit,
                     key="quotas_clear_unit")  # fmt: skip
    lists = ("hours", "pool", "reports", "mentors")
    tabs = st.tabs([t(f"quotas.names.{k}") for k in lists],
                   default=t(f"quotas.names.{NAMES_LIST[chosen]}"))  # fmt: skip
    with tabs[0]:
        show_names(metric(cadres_behind_on_hours, narrowed), "hours")
    with tabs[1]:
        years = st.number_input(
            t("quotas.names.pool_years"), min_value=1, max_value=10, value=DEFAULT_POOL_YEARS,
            step=1, key="quotas_pool_years",
        )  # fmt: skip
        st.caption(md(t("quotas.names.pool_caption", start=f.year - int(years) + 1)))
        show_names(metric(planning_pool, narrowed, years=int(years)), "pool")
    with tabs[2]:
        show_names(metric(reports_missing, narrowed), "reports")
    with tabs[3]:
        show_names(metric(mentors_missing, narrowed), "mentors")
rule_note(NAMES_RULE)

# ----- the year's targets (one analytics function writes them; 管理员 only, audited) -----
if not may(Capability.EDIT_TARGETS):
    st.stop()
with st.expander(md(t("quotas.section.edit", year=f.year)), icon=":material/edit:"):
    st.caption(t("quotas.edit.help"))
    version = current_version()
    inputs = metric(target_inputs, None, year=f.year)
    if inputs["is_default"].any():
        st.caption(t("quotas.edit.defaults", year=md(f.year)))
    with st.form(f"quotas_targets_{f.year}"):
        entered = {}
        columns = st.columns(2)
        for i, row in enumerate(inputs.itertuples()):
            entered[row.metric] = columns[i % 2].number_input(
                t(f"quotas.edit.field.{row.metric}")
                + (t("common.default_mark") if row.is_default else ""),
                value=None if row.value is None or row.value != row.value else float(row.value),
                step=1.0, format="%g", key=f"quotas_target_{f.year}_{row.metric}_{version}",
            )  # fmt: skip
        submitted = st.form_submit_button(t("quotas.edit.save"), type="primary")
    if submitted:
        with writing() as con:
            errors = save_targets(
                con, f.year, entered,
                audit=audit_hook(Action.TARGETS_CHANGE, f"targets:{f.year}",
                                 json.dumps(entered, ensure_ascii=False, sort_keys=True)),
                actor=signed_in_user().label,
            )  # fmt: skip
        if errors:
            for error in errors:
                st.error(md(error), icon=":material/error:")
        else:
            st.session_state["quotas_saved"] = f.year
            st.rerun()
