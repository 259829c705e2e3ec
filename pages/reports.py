"""调研成果: research output over time and by source, theme, group and division; its quality and
outcomes; who writes and who has not; and the list of reports that every chart click narrows."""

import streamlit as st

from analytics.common.labels import t
from analytics.common.text import md
from analytics.metrics import reports as rp
from analytics.visual import charts
from ui.state import filters, metric, stop_if_not_started
from ui.widgets import downloads, kpi_row, rule_note, table

CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
NAME_LINK = st.column_config.LinkColumn(t("reports.col.name"), display_text=r"#(.+)$")

f = filters()
st.title(t("reports.title"))
st.caption(md(f"{t('app.subtitle')} · {f.label()}"))
stop_if_not_started(f)

# Chart name → the points a user selected there, as {list column: value} picks.
selections: dict[str, list[dict[str, str]]] = {}


def columns(names: list[str], **special: object) -> dict[str, object]:
    """Chinese headers for a table's columns, with special column types where given."""
    return {name: special.get(name, t(f"reports.col.{name}")) for name in names}


def date_column(name: str) -> object:
    """A date column under its Chinese header, written as 2025-03-14."""
    return st.column_config.DateColumn(t(f"reports.col.{name}"), format="YYYY-MM-DD")


def selectable_chart(name: str, fig: object, empty: bool) -> None:
    """Draw a chart whose clicked bars narrow the report list below."""
    if empty:
        st.plotly_chart(charts.empty_figure(t("reports.empty")), key=f"reports_chart_{name}")
        return
    event = st.plotly_chart(
        fig, key=f"reports_chart_{name}", on_select="rerun", selection_mode="points",
        config=CHART_CONFIG,
    )  # fmt: skip
    selections[name] = rp.picks_from_chart(name, event.selection.points)


# ----- key figures -----
kpis = metric(rp.output_kpis, f)
kpi_row(kpis, "reports.kpi")
rule_note(rp.SCOPE_RULE)
if kpis["value"].iat[0] == 0:  # the first figure is the total
    st.info(t("reports.empty"), icon=":material/inbox:")

# ----- output over time, by source and theme -----
st.subheader(t("reports.section.trend"))
st.caption(t("reports.click_hint"))
by_quarter = metric(rp.reports_by_quarter, f)
totals = metric(rp.quarter_totals, f)
by_source = metric(rp.reports_by_source, f)
by_theme = metric(rp.reports_by_theme, f)
left, middle, right = st.columns([3, 2, 2])
with left:
    selectable_chart(
        "quarter",
        charts.stacked_with_previous(
            by_quarter, totals, previous_name=t("reports.chart.last_year"),
            title=t("reports.chart.by_quarter"),
        ),
        by_quarter.empty,
    )  # fmt: skip
with middle:
    selectable_chart(
        "source",
        charts.bar_chart(by_source, "source", "reports", orientation="h",
                         title=t("reports.chart.by_source"),
                         category_order=list(by_source["source"])[::-1]),
        by_source.empty,
    )  # fmt: skip
with right:
    selectable_chart(
        "theme",
        charts.bar_chart(by_theme, "theme", "reports", orientation="h",
                         title=t("reports.chart.by_theme"),
                         category_order=list(by_theme["theme"])[::-1]),
        by_theme.empty,
    )  # fmt: skip

# ----- per capita through authors -----
st.subheader(t("reports.section.per_capita"))
by_group = metric(rp.reports_by_author_unit, f, dimension="group")
by_division = metric(rp.reports_by_author_unit, f, dimension="division")
left, right = st.columns([2, 3])
with left:
    selectable_chart(
        "group",
        charts.per_capita_chart(by_group, title=t("reports.chart.by_group")),
        by_group.empty or not by_group["reports"].any(),
    )
with right:
    selectable_chart(
        "division",
        charts.per_capita_chart(by_division, title=t("reports.chart.by_division")),
        by_division.empty or not by_division["reports"].any(),
    )
rule_note(rp.AUTHOR_RULE)

# ----- quality and outcomes -----
st.subheader(t("reports.section.quality"))
funnel = metric(rp.outcome_funnel, f)
outlet_table = metric(rp.outlets, f)
left, right = st.columns([3, 2])
with left:
    selectable_chart(
        "funnel",
        charts.funnel_bars(funnel, title=t("reports.chart.funnel")),
        int(funnel["reports"].iat[0]) == 0,
    )
with right:
    st.markdown(f"**{t('reports.outlets')}**")
    if outlet_table.empty:
        st.info(t("reports.outlets.none"))
    else:
        outlet_event = table(
            outlet_table, hide_index=True, key="reports_outlets", on_select="rerun",
            selection_mode="single-row",
            column_config=columns(list(outlet_table.columns)),
        )  # fmt: skip
        selections["outlet"] = rp.picks_from_rows(
            outlet_table, outlet_event.selection.rows, "outlet"
        )
    downloads(rp.for_export(outlet_table), t("reports.file.outlets"), "reports_outlets_dl")
rule_note(rp.FUNNEL_RULE)

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

# ----- the list -----
st.subheader(t("reports.section.list"))
full_list = metric(rp.report_list, f)
search = st.text_input(
    t("reports.search"), key="reports_search", placeholder=t("reports.search.placeholder")
)
c1, c2, c3 = st.columns(3)
every = t("reports.filter.all")
types = c1.multiselect(
    t("reports.filter.type"), rp.REPORT_TYPES, key="reports_types", placeholder=every
)
sources = c2.multiselect(
    t("reports.filter.source"), rp.SOURCES, key="reports_sources", placeholder=every
)
outcomes = c3.multiselect(
    t("reports.filter.outcome"), [*rp.OUTCOMES, t("reports.outcome.none")],
    key="reports_outcomes", placeholder=every,
)  # fmt: skip
chosen = rp.describe_selections(selections)
if chosen:
    st.info(md(t("reports.selection", what=chosen)), icon=":material/filter_alt:")
shown = rp.narrow_reports(
    full_list, search, types, sources, outcomes, selections=list(selections.values())
)
st.caption(t("reports.count", shown=len(shown), total=len(full_list)))
if shown.empty:
    st.info(t("reports.list.none"))
else:
    table(
        shown, hide_index=True, key="reports_list",
        column_order=["title", "type", "source", "theme", "submit_date", "authors", "grade",
                      "outcome", "outlet"],
        column_config=columns(list(shown.columns), submit_date=date_column("submit_date")),
    )  # fmt: skip
downloads(rp.for_export(shown), t("reports.file.list"), "reports_list_dl")
