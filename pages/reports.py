"""调研成果: research output over time and by source, theme, group and division; its quality and
outcomes; who writes and who has not; and the list of reports that every chart click narrows."""

import streamlit as st

from analytics.common.labels import t
from analytics.common.text import md
from analytics.metrics import reports as rp
from analytics.semantic.rules import AUTHOR_RULE
from analytics.visual import charts, output_charts, style
from ui.drill import beside, panel_header, room_for_panel
from ui.state import filters, metric, shared, stop_if_not_started
from ui.widgets import downloads, kpi_row, rule_note, table

PANEL_LIST_HEIGHT = 340  # px: the list beside the charts, with its header, fits a 720 px screen
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
TWO_PLACES = st.column_config.NumberColumn(format="%.2f")
NAME_LINK = st.column_config.LinkColumn(t("reports.col.name"), display_text=r"#(.+)$")

f = filters()
st.title(t("reports.title"))
st.caption(md(f"{t('app.subtitle')} · {f.label()}"))
stop_if_not_started(f)

# Chart name → the points a user selected there, as {list column: value} picks. A fresh
# generation of chart keys clears every chart's selection at once.
selections: dict[str, list[dict[str, str]]] = {}
generation = st.session_state.setdefault("reports_chart_generation", 0)


def clear_selections() -> None:
    st.session_state["reports_chart_generation"] = generation + 1


def columns(names: list[str], **special: object) -> dict[str, object]:
    """Chinese headers for a table's columns, with special column types where given."""
    return {name: special.get(name, t(f"reports.col.{name}")) for name in names}


def date_column(name: str) -> object:
    """A date column under its Chinese header, written as 2025-03-14."""
    return st.column_config.DateColumn(t(f"reports.col.{name}"), format="YYYY-MM-DD")


def selectable_chart(name: str, fig: object, empty: bool) -> None:
    """Draw a chart whose clicked bars narrow the report list beside the charts."""
    if empty:
        st.plotly_chart(style.empty_figure(t("reports.empty")), key=f"reports_chart_{name}")
        return
    event = st.plotly_chart(
        fig, key=f"reports_chart_{name}_{generation}", on_select="rerun",
        selection_mode="points", config=CHART_CONFIG,
    )  # fmt: skip
    selections[name] = rp.picks_from_chart(name, event.selection.points)


# ----- key figures -----
kpis = metric(rp.output_kpis, f)
kpi_row(kpis, "reports.kpi")
rule_note(rp.SCOPE_RULE)
if kpis["value"].iat[0] == 0:  # the first figure is the total
    st.info(t("reports.empty"), icon=":material/inbox:")

# ----- the charts on the left; beside them, sticky, the list every click narrows -----
full_list = metric(rp.report_list, f)
left, panel = beside("reports", (3, 2))
with left:
    st.subheader(t("reports.section.trend"))
    st.caption(t("reports.click_hint"))
    by_quarter = metric(rp.reports_by_quarter, f)
    totals = metric(rp.quarter_totals, f)
    by_source = metric(rp.reports_by_source, f)
    by_theme = metric(rp.reports_by_theme, f)
    selectable_chart(
        "quarter",
        shared(output_charts.stacked_with_previous,
            by_quarter, totals, previous_name=t("reports.chart.last_year"),
            title=t("reports.chart.by_quarter"),
        ),
        by_quarter.empty,
    )  # fmt: skip
    middle, right = st.columns(2)
    with middle:
        selectable_chart(
            "source",
            shared(charts.bar_chart, by_source, "source", "reports",
                   title=t("reports.chart.by_source"), sort=True),
            by_source.empty,
        )  # fmt: skip
    with right:
        selectable_chart(
            "theme",
            shared(charts.bar_chart, by_theme, "theme", "reports",
                   title=t("reports.chart.by_theme"), sort=True),
            by_theme.empty,
        )  # fmt: skip

    st.subheader(t("reports.section.per_capita"))
    for dimension in ("group", "division"):
        by_unit = metric(rp.reports_by_author_unit, f, dimension=dimension)
        title = t(f"reports.chart.by_{dimension}")
        selectable_chart(
            dimension,
            shared(output_charts.per_capita_chart, by_unit, title=title),
            by_unit.empty or not by_unit["reports"].any(),
        )
        if len(by_unit) > style.UNITS_SHOWN:  # the chart shows the fewest: here are all
            every = rp.per_capita_table(by_unit, dimension)
            unit = t(f"filters.{dimension}")
            with st.expander(t("reports.unit.all", n=len(every), unit=unit)):
                two_places = {t("reports.unit.col.per_capita"): TWO_PLACES}
                table(every, hide_index=True, key=f"reports_per_capita_{dimension}",
                      column_config=two_places)  # fmt: skip
                downloads(every, title, f"reports_per_capita_{dimension}")
    rule_note(AUTHOR_RULE)

    st.subheader(t("reports.section.quality"))
    funnel = metric(rp.outcome_funnel, f)
    outlet_table = metric(rp.outlets, f)
    selectable_chart(
        "funnel",
        shared(output_charts.funnel_bars, funnel, title=t("reports.chart.funnel")),
        int(funnel["reports"].iat[0]) == 0,
    )
    st.markdown(f"**{t('reports.outlets')}**")
    if outlet_table.empty:
        st.info(t("reports.outlets.none"))
    else:
        outlet_event = table(
            outlet_table, hide_index=True, key=f"reports_outlets_{generation}",
            on_select="rerun", selection_mode="single-row",
            column_config=columns(list(outlet_table.columns)),
        )  # fmt: skip
        selections["outlet"] = rp.picks_from_rows(
            outlet_table, outlet_event.selection.rows, "outlet"
        )
    downloads(rp.for_export(outlet_table), t("reports.file.outlets"), "reports_outlets_dl")
    rule_note(rp.FUNNEL_RULE)

with left:
    room_for_panel(any(selections.values()))
with panel:
    st.subheader(t("reports.section.list"))
    search = st.text_input(
        t("reports.search"), key="reports_search", placeholder=t("reports.search.placeholder")
    )
    every = t("reports.filter.all")
    with st.expander(t("reports.filter.more"), icon=":material/tune:"):
        types = st.multiselect(
            t("reports.filter.type"), rp.REPORT_TYPES, key="reports_types", placeholder=every
        )
        sources = st.multiselect(
            t("reports.filter.source"), rp.SOURCES, key="reports_sources", placeholder=every
        )
        outcomes = st.multiselect(
            t("reports.filter.outcome"), [*rp.OUTCOMES, t("reports.outcome.none")],
            key="reports_outcomes", placeholder=every,
        )  # fmt: skip
    chosen = rp.describe_selections(selections)
    if chosen:
        panel_header(t("reports.selection", what=md(chosen)), clear_selections,
                     key="reports_clear_selection")  # fmt: skip
    shown = rp.narrow_reports(
        full_list, search, types, sources, outcomes, selections=list(selections.values())
    )
    st.caption(t("reports.count", shown=len(shown), total=len(full_list)))
    if shown.empty:
        st.info(t("reports.list.none"))
    else:
        table(
            shown, hide_index=True, key="reports_list", height=PANEL_LIST_HEIGHT,
            column_order=["title", "type", "submit_date", "outcome", "authors", "source",
                          "theme", "grade", "outlet"],
            column_config=columns(list(shown.columns), submit_date=date_column("submit_date")),
        )  # fmt: skip
    downloads(rp.for_export(shown), t("reports.file.list"), "reports_list_dl")

# ----- people -----
st.subheader(t("reports.section.people"))
leaders = metric(rp.leading_authors, f, limit=10)
idle = metric(rp.cadres_without_output, f)
left, right = st.columns(2)
with left:
    st.markdown(f"**{t('reports.leaders', n=10)}**")
    if leaders.empty:
        st.info(t("reports.leaders.none"))
    else:
        table(
            leaders, hide_index=True, key="reports_leaders",
            column_order=["profile", "study_group", "division", "reports", "as_lead",
                          "excellent", "with_outcome"],
            column_config=columns(list(leaders.columns), profile=NAME_LINK),
        )  # fmt: skip
    downloads(rp.for_export(leaders), t("reports.file.leaders"), "reports_leaders_dl")
with right:
    st.markdown(f"**{t('reports.no_output', n=len(idle))}**")
    if idle.empty:
        st.success(t("reports.no_output.none"))
    else:
        table(
            idle, hide_index=True, key="reports_idle",
            column_order=["cadre_id", "profile", "study_group", "division", "rank",
                          "last_report_date"],
            column_config=columns(list(idle.columns), profile=NAME_LINK,
                                  last_report_date=date_column("last_report_date")),
        )  # fmt: skip
    downloads(rp.for_export(idle), t("reports.file.no_output"), "reports_idle_dl")
rule_note(rp.NO_OUTPUT_RULE)
