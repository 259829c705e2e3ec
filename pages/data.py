"""数据管理: import template, upload with validation and preview, atomic commit, audit; then
records already in (edit, delete, merge 工号: ui.records), the change history with undo, and
the two backups.

Writes go through the app's cached connection (ui.state.cursor) and bump the data version, so
every cached figure on every page is recomputed after an import, an edit or an undo.
"""

import duckdb
import streamlit as st

from analytics.access.audit import Action
from analytics.access.auth import Capability
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import md
from analytics.dataio.commit import (
    MAX_CHANGE_LINES,
    StalePlanError,
    commit_import,
    import_history,
    previous_import_of,
)
from analytics.dataio.feedback import MAX_LINES, grouped_frame, problem_lines, problems_workbook
from analytics.dataio.importer import prepare_import
from analytics.dataio.plan import ImportPlan
from analytics.dataio.templates import import_rules, template_xlsx
from analytics.store.provenance import demo_refusal
from ui import records
from ui.auth import audit_hook, require
from ui.state import current_data_version, current_version, cursor, facts, metric, writing
from ui.widgets import downloads, file_download, rule_note, table, upload_files, upload_limit

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
user = require(Capability.IMPORT_DATA)  # navigation already shows this page to 管理员 only

st.title(t("data.title"))
st.caption(t("data.caption"))

known = facts()
version = current_version()
if known["as_of"] is None:
    st.info(t("data.freshness_empty"), icon=":material/inbox:")
else:
    st.caption(md(t("data.freshness", date=fmt.date(known["as_of"]),
                    version=current_data_version())))  # fmt: skip
history = metric(import_history)
if not history.empty:
    last = history.iloc[0]
    st.caption(
        md(t("data.last_import", when=last[t("data.col.imported_at")],
             who=last[t("data.col.imported_by")]))
    )  # fmt: skip
st.caption(t("data.targets_hint"))
st.page_link("pages/quotas.py", label=t("data.targets_link"), icon=":material/flag:")

flash = st.session_state.pop(records.FLASH, None)
if flash:
    st.success(md(flash), icon=":material/task_alt:")

# ----- 1. template -----
st.subheader(t("data.section.template"))
st.caption(t("data.template.help"))
file_download(
    t("data.template.download"), data=template_xlsx, file_name=t("data.template.file"),
    mime=XLSX_MIME, key="data_template", icon=":material/download:",
)  # fmt: skip
rule_note("\n\n".join(import_rules()))  # which columns may be left out, and what is derived

# ----- 2. upload, preview, commit -----
st.subheader(t("data.section.upload"))
limit = upload_limit()
limit_mb = fmt.file_size(limit)
refusal = demo_refusal(cursor())  # the demo opens without sign-in: no real data goes in
if refusal is not None:
    st.warning(md(refusal, lines=True), icon=":material/shield_lock:")
    files = []
else:
    files = upload_files(t("data.upload.label", limit=limit_mb), key="data_upload", limit=limit)
    st.caption(t("data.upload.help", limit=limit_mb))
    st.caption(t("data.preview.blank_rule"))


def current_plan() -> ImportPlan:
    """The preview for these files against the data as they are now (kept across reruns)."""
    key = (tuple(f.file_id for f in files), version)
    cached = st.session_state.get("data_plan")
    if cached is None or cached[0] != key:
        with st.spinner(t("data.preview.working")):
            plan = prepare_import(
                cursor(), [(f.name, f.getvalue()) for f in files], max_bytes=limit
            )
        cached = (key, plan)
        st.session_state["data_plan"] = cached
    return cached[1]


if files:
    plan = current_plan()
    if plan.sheets:
        st.markdown(f"**{t('data.preview.sheets')}**")
        table(plan.sheets_frame(), hide_index=True, key="data_sheets")
    if plan.tables:
        st.markdown(f"**{t('data.preview.summary')}**")
        summary = plan.summary_frame()
        table(summary, hide_index=True, key="data_summary")
        downloads(summary, t("data.download.summary"), key="data_summary_dl")

    if plan.problems:
        st.error(t("data.preview.blocked", n=len(plan.problems)), icon=":material/block:")
        st.markdown(f"**{t('data.preview.problems', n=len(plan.problems))}**")
        table(grouped_frame(plan.problems), hide_index=True, key="data_problems")
        _, more = problem_lines(plan.problems)
        if more:
            st.caption(t("data.preview.lines_capped", shown=int(MAX_LINES), more=int(more)))
        uploads = [(f.name, f.getvalue()) for f in files]

        def marked() -> bytes:
            return problems_workbook(uploads, plan.problems, limit)

        file_download(
            t("data.download.marked"), data=marked,
            file_name=t("data.download.marked_file"), mime=XLSX_MIME, key="data_problems_dl",
            icon=":material/download:", rows=len(plan.problems),
        )  # fmt: skip
    else:
        changes = plan.changes_frame()
        if not changes.empty:
            st.markdown(f"**{t('data.preview.changes')}**")
            table(changes, key="data_changes", capped_note="data.preview.changes_rows")
            if len(changes) >= MAX_CHANGE_LINES:
                st.caption(t("data.preview.changes_capped", n=len(changes)))
        seen = previous_import_of(cursor(), [f.sha256 for f in plan.files])
        if seen:
            st.caption(md(t("data.preview.same_file", when=seen)))
        if not plan.has_changes:
            st.info(t("data.no_changes"), icon=":material/check_circle:")
        else:
            totals = {k: sum(c[k] for c in plan.counts().values())
                      for k in ("new", "changed", "unchanged")}  # fmt: skip
            st.success(md(t("data.preview.ready", **totals)), icon=":material/fact_check:")
            if st.button(t("data.commit"), type="primary", key="data_commit",
                         icon=":material/save:"):  # fmt: skip
                who = user.label
                names = "、".join(f.name for f in plan.files)
                digests = " ".join(f.sha256 for f in plan.files)
                try:
                    with writing() as con:
                        import_id = commit_import(
                            con, plan, who=who, audit=audit_hook(Action.IMPORT, names, digests)
                        )
                except StalePlanError as exc:
                    st.warning(md(exc), icon=":material/sync_problem:")
                except duckdb.Error as exc:
                    st.error(md(t("data.commit_failed", detail=exc)), icon=":material/error:")
                else:
                    st.session_state[records.FLASH] = t(
                        "data.committed", id=import_id, new=totals["new"], changed=totals["changed"]
                    )
                    st.rerun()

# ----- 3., 4. records already in: edit, delete, merge (not on the demo: nothing is written) -----
if refusal is None:
    records.edit_section(user)
    records.merge_section(user)

# ----- past imports, every change, undo -----
st.subheader(t("data.section.history"))
if history.empty:
    st.caption(t("data.history.empty"))
else:
    table(history, hide_index=True, key="data_history")
    downloads(history, t("data.download.history"), key="data_history_dl")
records.undo_section(user, writable=refusal is None)

# ----- backups -----
records.backup_section(user, known["as_of"])
