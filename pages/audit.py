"""审计日志: who signed in, looked at whom, exported, imported or changed targets (管理员 only)."""

import datetime as dt

import streamlit as st

from analytics.access import audit
from analytics.access.auth import Capability
from analytics.common.labels import t
from ui.auth import require
from ui.state import writing
from ui.widgets import downloads, table

require(Capability.VIEW_AUDIT)  # navigation already hides the page; this refuses a stray run
LIMIT = 5000

st.title(t("access.audit.title"))
st.caption(t("access.audit.caption"))

today = dt.date.today()  # the log is about real time, not the data's as-of date
c1, c2, c3, c4, c5 = st.columns([1, 1, 1.2, 2, 1.2])
start = c1.date_input(t("access.audit.from"), today - dt.timedelta(days=30), key="audit_from")
end = c2.date_input(t("access.audit.to"), today, key="audit_to")
# Read fresh on every run (audit rows do not bump the data version), where they are written:
# one opening for the actors and the rows (several processes open the file for it).
with writing() as con:
    actor = c3.selectbox(
        t("access.audit.actor"), [None, *audit.actors(con)], key="audit_actor",
        format_func=lambda a: t("filters.all") if a is None else a,
    )  # fmt: skip
    actions = c4.multiselect(
        t("access.audit.action"), [a.value for a in audit.Action], key="audit_actions",
        format_func=lambda a: t(f"access.action.{a}"), placeholder=t("filters.all"),
    )  # fmt: skip
    target = c5.text_input(t("access.audit.target"), key="audit_target").strip()
    rows = audit.entries(con, start, end, actor, actions, target or None, limit=LIMIT)
if rows.empty:
    st.info(t("access.audit.empty"))
    st.stop()
shown = audit.display(rows)
st.caption(t("access.audit.count", n=len(rows), limit=LIMIT))
table(shown, hide_index=True, width="stretch")
downloads(shown, t("access.audit.title"), "audit_log")
