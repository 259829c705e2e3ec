"""干部档案: one cadre's whole record (一人一档), found by search or by profile?cadre=<工号>."""

import streamlit as st

from analytics.access.auth import Capability
from analytics.briefing.figures import display_table
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.selection import rows_matching, selection_values
from analytics.common.text import md
from analytics.metrics.profile import (
    PROFILE_RULE,
    SEARCH_LIMIT,
    all_cadres,
    basics_items,
    cadre_activities,
    cadre_assessments,
    cadre_assignments,
    cadre_awards,
    cadre_basics,
    cadre_mentors,
    cadre_needs,
    cadre_reports,
    cadre_standing,
    cadre_training,
    cadre_training_progress,
    find_cadre,
    group_mentor_turns,
    option_labels,
    search_cadres,
    search_options,
    standing_display,
)
from analytics.visual import quota_charts
from ui.auth import may, record_profile_view
from ui.state import facts, filters, metric, shared
from ui.widgets import downloads, rule_note, table

PICK = "profile_cadre"  # the matches' select box: the cadre shown
QUERY = "profile_query"  # the search box: 工号 or 姓名, or part of one
SEEN = "_profile_url_cadre"  # the ?cadre= value last applied to the select box

f = filters()
st.title(t("profile.title"))
st.caption(t("profile.caption"))

everyone = metric(all_cadres, f)

# ?cadre=<工号> (or a name) chooses the cadre when the link is new to this session; after that the
# select box is the source of truth and is written back, so the link always shows who is open.
raw = st.query_params.get("cadre")
found = find_cadre(everyone, raw)
if raw != st.session_state.get(SEEN):
    st.session_state[SEEN] = raw
    if found is not None:
        st.session_state[PICK] = found
if raw and found is None:
    st.warning(t("profile.invalid", value=md(raw)), icon=":material/person_off:")

st.session_state.setdefault(PICK, None)
typed = st.text_input(t("profile.search"), key=QUERY, placeholder=t("profile.search_placeholder"))
matches = metric(search_cadres, f, text=typed, limit=SEARCH_LIMIT)
options = search_options(matches, st.session_state[PICK])
labels = option_labels(everyone, options)
cadre_id = st.selectbox(
    t("profile.matches", n=len(matches)) if typed.strip() else t("profile.matches.idle"),
    options,
    key=PICK,
    format_func=lambda cid: labels.get(cid, cid),
    placeholder=t("profile.matches.placeholder"),
)
if typed.strip() and matches.empty:
    st.caption(t("profile.matches.none"))
elif len(matches) >= SEARCH_LIMIT:
    st.caption(t("profile.matches.capped", n=fmt.count(SEARCH_LIMIT)))
st.caption(t("profile.scope_note"))
if cadre_id is None:
    st.info(t("profile.pick"), icon=":material/person_search:")
    st.stop()
if st.query_params.get("cadre") != cadre_id:
    st.query_params["cadre"] = cadre_id
    st.session_state[SEEN] = cadre_id
if cadre_id not in set(everyone["cadre_id"]):  # nobody outside what this role may see
    st.warning(t("profile.invalid", value=md(cadre_id)), icon=":material/person_off:")
    st.stop()
record_profile_view(cadre_id)  # audited before anything about the person is shown
known = facts()
if may(Capability.EDIT_RECORDS) and not (known["is_demo"] or known["demo_tainted"]):
    st.page_link("pages/data.py", label=t("profile.edit_link"), icon=":material/edit:",
                 query_params={"table": "cadres", "key": cadre_id})  # fmt: skip

basics = metric(cadre_basics, f, cadre_id=cadre_id)
name = basics.iloc[0]["name"]
st.header(md(name), anchor=False)
items = basics_items(basics)
with st.container(border=True):
    for start in range(0, len(items), 5):
        for col, (label, value) in zip(st.columns(5), items[start : start + 5], strict=False):
            col.caption(md(label))
            col.markdown(f"**{md(value)}**")

left, right = st.columns([2, 3])
with left:
    st.subheader(t("profile.section.needs"))
    needs = metric(cadre_needs, f, cadre_id=cadre_id)
    if needs.empty:
        st.success(md(t("profile.needs.none", year=f.year)))
    for need in needs.itertuples():
        st.warning(md(need.text))
with right:
    st.subheader(t("profile.section.standing"))
    if f.is_empty:
        st.info(t("common.future_period"))
    else:
        standing = metric(cadre_standing, f, cadre_id=cadre_id)
        group = basics.iloc[0]["study_group"]
        peers = int(standing["peers"].max()) if len(standing) else 0
        st.caption(
            t("profile.standing.caption", peers=peers,
              group=md(group) if isinstance(group, str) else t("profile.standing.office"))
        )  # fmt: skip
        shown = standing_display(standing)
        table(shown, hide_index=True, width="stretch")
        downloads(shown, f"{name}_组内位置", "profile_standing")

st.subheader(t("profile.section.record"))
tabs = st.tabs(
    [t(f"profile.tab.{k}") for k in ("activities", "training", "reports", "awards", "assignments",
                                     "assessments", "mentors")]
)  # fmt: skip

with tabs[0]:
    acts = metric(cadre_activities, f, cadre_id=cadre_id)
    if acts.empty:
        st.info(t("profile.empty.activities"))
    else:
        event = st.plotly_chart(
            shared(
                quota_charts.cadre_timeline_chart,
                acts,
                names=(t("profile.timeline.cumulative"), t("profile.timeline.missed")),
                title=t("profile.timeline.title", period=f.label()),
            ),
            key="profile_timeline",
            on_select="rerun",
            selection_mode=("points", "box", "lasso"),
            config={"displaylogo": False},
        )
        st.caption(t("profile.timeline.hint"))
        chosen = selection_values(event.selection.points)
        shown = display_table(rows_matching(acts, "activity_id", chosen), "profile")
        table(shown, hide_index=True, width="stretch")
        downloads(shown, f"{name}_活动与学时", "profile_activities")

with tabs[1]:
    progress = metric(cadre_training_progress, f, cadre_id=cadre_id)
    if progress["target"] and progress["expected"]:
        share = min(1.0, (progress["hours"] or 0) / progress["expected"])
        st.progress(
            share,
            text=t("profile.training.progress", done=fmt.hours(progress["hours"]),
                   expected=fmt.hours(progress["expected"]), target=fmt.count(progress["target"])),
        )  # fmt: skip
    else:
        st.caption(md(t("profile.training.no_target", done=fmt.hours(progress["hours"]),
                        year=f.year)))  # fmt: skip
    training = metric(cadre_training, f, cadre_id=cadre_id)
    if training.empty:
        st.info(t("profile.empty.training"))
    else:
        shown = display_table(training, "profile")
        table(shown, hide_index=True, width="stretch")
        downloads(shown, f"{name}_专业培训", "profile_training")

for tab, key, fn in (
    (tabs[2], "reports", cadre_reports),
    (tabs[3], "awards", cadre_awards),
    (tabs[4], "assignments", cadre_assignments),
    (tabs[5], "assessments", cadre_assessments),
    (tabs[6], "mentors", cadre_mentors),
):
    with tab:
        frame = metric(fn, f, cadre_id=cadre_id)
        if frame.empty:
            st.info(t(f"profile.empty.{key}"))
        else:
            shown = display_table(frame, "profile")
            table(shown, hide_index=True, width="stretch")
            downloads(shown, f"{name}_{t(f'profile.tab.{key}')}", f"profile_{key}")
        if key == "mentors":
            turns = metric(group_mentor_turns, f, cadre_id=cadre_id)
            if len(turns):
                st.caption(t("profile.group_mentors", group=md(turns.iloc[0]["study_group"])))
                shown = display_table(turns, "profile")
                table(shown, hide_index=True, width="stretch")
                downloads(shown, f"{name}_小组轮值导师", "profile_group_mentors")

rule_note(PROFILE_RULE)
