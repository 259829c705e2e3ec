"""自助分析: any measure by one or two dimensions, filtered on any of them, in the URL; the chart
follows the question's shape, a click on a mark adds it as a filter (with a way back), the
table has a 合计 row and the measure's rule, and questions can be saved as 常用视图."""

import streamlit as st

from analytics.access import audit
from analytics.access.auth import Capability
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import md
from analytics.semantic import views
from analytics.semantic.answer import (
    answer,
    answer_total,
    chart_frame,
    chart_shape,
    picks_from_click,
    result_table,
    shown_table,
)
from analytics.semantic.catalogue import DIMENSIONS, MEASURES
from analytics.semantic.question import describe, from_params, to_params, typed_value
from analytics.visual import explore as explore_charts
from ui import explore as ex
from ui.auth import audit_hook, may
from ui.state import filters, metric, signed_in_user, stop_if_not_started, writing
from ui.widgets import downloads, rule_note, table

CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}

f = filters()
user = signed_in_user()
st.title(t("explore.title"))
st.caption(md(f"{t('app.subtitle')} · {f.label()}"))
stop_if_not_started(f)
st.caption(t("explore.intro"))

for note in ex.seed(f):
    st.warning(md(note), icon=":material/link_off:")
q = ex.question_widgets(f)
ex.write_url(q)
measure = MEASURES[q.measure]

# ----- breadcrumb: each click's filter, with the way back -----
crumbs: list[dict] = st.session_state.get(ex.CRUMBS_KEY, [])
if crumbs:
    st.caption(t("explore.crumbs"))
    steps = st.columns(len(crumbs) + 1)
    for i, crumb in enumerate(crumbs):
        earlier, _ = from_params(crumb["params"])
        label = t("explore.crumb.start") if i == 0 else crumbs[i - 1]["added"]
        if steps[i].button(md(label), key=f"ex_crumb_{i}", icon=":material/undo:"):
            ex.go_to(earlier, crumbs[:i])
    steps[-1].markdown(f"**{md(crumbs[-1]['added'])}**")

st.info(md(t("explore.question", text=describe(q))), icon=":material/query_stats:")
frame = metric(answer, f, q=q)
total = metric(answer_total, f, q=q)

# ----- the chart, chosen from the shape of the question -----
shape = chart_shape(q, frame)
if frame.empty:
    st.info(t("explore.empty"), icon=":material/inbox:")
elif shape == "none":
    row = total.iloc[0]
    previous = row["previous"] if q.yoy else None
    st.metric(
        md(measure.label), fmt.number(row["value"], measure.unit),
        delta=fmt.delta(row["value"], previous, measure.unit) if q.yoy else None,
    )  # fmt: skip
else:
    drawn = chart_frame(frame, q)
    previous_name = t("explore.col.previous") if q.yoy and len(q.dims) == 1 else None
    if shape == "bar":
        fig = explore_charts.ranked_bars(drawn, measure.unit, measure.label, previous_name)
    elif shape in ("line", "lines"):
        fig = explore_charts.time_lines(drawn, measure.unit, measure.label, previous_name)
    elif shape == "grouped":
        fig = explore_charts.grouped_bars(drawn, measure.unit)
    else:
        fig = explore_charts.measure_heatmap(drawn, measure.unit)
        st.caption(t("explore.heatmap_hint"))
    if q.yoy and len(q.dims) == 2:
        st.caption(t("explore.yoy_two_dims"))
    if shape != "heatmap":
        st.caption(t("explore.click_hint"))
    chart_key = f"explore_chart_{st.session_state.get(ex.CHART_KEY, 0)}"
    event = st.plotly_chart(
        fig, key=chart_key, on_select="rerun", selection_mode="points", config=CHART_CONFIG
    )
    clicked = picks_from_click(event.selection.points if event else [], drawn)
    if clicked:
        narrowed = q
        for dim, value in clicked:
            narrowed = narrowed.with_pick(dim, value)
        added = "、".join(
            t("explore.describe.pick", dim=DIMENSIONS[d].label,
              values=DIMENSIONS[d].show(typed_value(d, v)))
            for d, v in clicked
        )  # fmt: skip
        params = {k: v if isinstance(v, list) else [v] for k, v in to_params(q).items()}
        ex.go_to(narrowed, [*crumbs, {"params": params, "added": added}])
# ----- the table: 合计 and the rule -----
result = result_table(frame, total, q)
table(shown_table(result, q), hide_index=True, key="explore_table")
if q.dims and not set(q.dims) <= measure.additive:
    st.caption(t("explore.additive.no"))
rule_note(measure.counting_rule)
downloads(result, t("explore.file", measure=measure.label), "explore_dl")

# ----- 常用视图 -----
st.subheader(t("explore.views"))
with writing() as con:  # saved views are kept where they are written
    saved = views.views_for(con, user.name)
if saved.empty:
    st.caption(t("explore.views.none"))
else:
    listed = saved.assign(
        question=[describe(from_params(views.view_params(v))[0]) for v in saved["question"]],
        shared=[t("explore.views.shared_mark") if s else "" for s in saved["shared"]],
    )[["name", "owner", "shared", "question", "saved_at"]]
    table(
        listed, hide_index=True, key="explore_views",
        column_config={c: t(f"explore.views.col.{c}") for c in listed.columns},
    )  # fmt: skip
    pick, open_col, delete_col = st.columns([4, 1, 1])
    chosen = pick.selectbox(
        t("explore.views.pick"), saved["id"].tolist(), key="ex_view_pick",
        format_func=lambda i: saved.set_index("id").loc[i, "name"],
    )  # fmt: skip
    row = saved.set_index("id").loc[chosen]
    open_col.write("")
    if open_col.button(t("explore.views.open"), key="ex_view_open", icon=":material/open_in_new:"):
        st.session_state["_ex_flash"] = t("explore.views.opened", name=row["name"])
        ex.go_to(from_params(views.view_params(row["question"]))[0], [])
    delete_col.write("")
    if row["owner"] == user.name and delete_col.button(
        t("explore.views.delete"), key="ex_view_delete", icon=":material/delete:"
    ):
        try:
            with writing() as con:
                views.delete_view(
                    con,
                    user.name,
                    int(chosen),
                    audit_hook(audit.Action.VIEW_DELETE, target=row["name"]),
                )
        except Exception as exc:  # noqa: BLE001 - shown to the user; nothing was deleted
            st.error(md(t("explore.views.error.save", detail=exc)))
        else:
            st.session_state["_ex_flash"] = t("explore.views.deleted", name=row["name"])
            st.rerun()
if flash := st.session_state.pop("_ex_flash", None):
    st.success(md(flash))

with st.form("ex_save", clear_on_submit=True, border=True):
    name_col, share_col, button_col = st.columns([4, 2, 1])
    name = name_col.text_input(t("explore.views.name"), key="ex_view_name",
                               max_chars=views.MAX_NAME)  # fmt: skip
    share = share_col.checkbox(t("explore.views.share"), key="ex_view_share",
                               disabled=not may(Capability.SHARE_VIEWS))  # fmt: skip
    if button_col.form_submit_button(t("explore.views.save"), icon=":material/bookmark_add:"):
        try:
            with writing() as con:
                views.save_view(con, user.name, user.role, name, q,
                                audit_hook(audit.Action.VIEW_SAVE, target=name.strip()),
                                shared=share)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - a ViewError's message, or why the write failed
            st.error(md(str(exc) if isinstance(exc, views.ViewError)
                              else t("explore.views.error.save", detail=exc)))  # fmt: skip
        else:
            st.session_state["_ex_flash"] = t("explore.views.saved", name=name.strip())
            st.rerun()
