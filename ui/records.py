"""数据管理's sections for records already in: edit or delete one record, merge two 工号, the
change history with undo, and the two backups. The page calls them in order; every write goes
through analytics.curation (which checks the role itself) on this session's cursor and ends
in a rerun, so the next run reads the new data version (and every cached figure with it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from analytics.access.auth import Capability, NotPermittedError, User
from analytics.common.labels import t
from analytics.common.text import md
from analytics.curation.backup import complete_backup
from analytics.curation.change import RecordError
from analytics.curation.remove import (
    counts_text,
    delete_record,
    dependent_counts,
    dependents,
    merge_cadres,
    merge_plan,
)
from analytics.curation.undo import change_frame, undo_change, undo_refusal, undoable
from analytics.dataio.plan import MODELS_BY_TABLE
from analytics.dataio.templates import backup_xlsx
from analytics.editing.form import (
    EDITABLE_TABLES,
    FieldSpec,
    RecordView,
    edit_record,
    find_record,
    form_fields,
    form_values,
    parse_key,
    problem_text,
)
from analytics.store.provenance import DemoDatabaseError
from ui.auth import may
from ui.state import connection, cursor, metric, writer, writing
from ui.widgets import file_download, table

FLASH = "data_flash"  # the page shows it once after the rerun
VIEW = "records_view"
TABLE = "records_table"
LINK = "_records_link"
PLAN = "records_merge_plan"
REFUSED = (RecordError, NotPermittedError, DemoDatabaseError, duckdb.Error)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def _attempt(
    write: Callable[[duckdb.DuckDBPyConnection], int], done: Callable[[int], str],
    forget: str | None = None,
) -> None:  # fmt: skip
    """Run one write on the session's writer; a refusal shows as an error here, success as the
    flash after a rerun (`done` words it from the change id), with the session's `forget` key
    dropped."""
    try:
        with writing() as con:
            change_id = write(con)
    except REFUSED as exc:
        st.error(md(exc), icon=":material/block:")
        return
    if forget is not None:
        st.session_state.pop(forget, None)
    _done(done(change_id))


def _key_widget(table: str, name: str) -> str:
    return f"records_key_{table}_{name}"


def _follow_link() -> None:
    """?table=cadres&key=Q101 (the 干部档案's link) opens that record, once per link."""
    table, key = st.query_params.get("table"), st.query_params.get("key")
    if table not in EDITABLE_TABLES or not key or st.session_state.get(LINK) == (table, key):
        return
    st.session_state[LINK] = (table, key)
    model = MODELS_BY_TABLE[table]
    if len(model.key) != 1:
        return
    st.session_state[TABLE] = table
    st.session_state[_key_widget(table, model.key[0])] = key
    _look_up(table, {model.key[0]: key})


def _look_up(table: str, entered: dict[str, Any]) -> None:
    try:
        view = find_record(cursor(), table, parse_key(table, entered))
    except RecordError as exc:
        st.session_state.pop(VIEW, None)
        st.session_state["records_missing"] = str(exc)
        return
    if view is None:
        st.session_state.pop(VIEW, None)
        shown = " / ".join(str(v) for v in entered.values())
        st.session_state["records_missing"] = t(
            "data.edit.not_found", table=MODELS_BY_TABLE[table].sheet, key=shown
        )
    else:
        st.session_state.pop("records_missing", None)
        st.session_state[VIEW] = view


def edit_section(user: User) -> None:
    """3. Find one record by table and key; change it in a form, or delete it."""
    st.subheader(t("data.section.edit"))
    st.caption(t("data.edit.help"))
    _follow_link()
    tables = list(EDITABLE_TABLES)
    table = st.selectbox(t("data.edit.table"), tables, key=TABLE,
                         format_func=lambda tb: MODELS_BY_TABLE[tb].sheet)  # fmt: skip
    keys = [s for s in form_fields(table) if s.is_key]
    columns = st.columns(len(keys) + 1, vertical_alignment="bottom")
    entered = {s.name: columns[i].text_input(md(s.header), key=_key_widget(table, s.name))
               for i, s in enumerate(keys)}  # fmt: skip
    if columns[-1].button(t("data.edit.find"), key="records_find", icon=":material/search:"):
        _look_up(table, entered)
    missing = st.session_state.get("records_missing")
    if missing:
        st.warning(md(missing), icon=":material/search_off:")
    view: RecordView | None = st.session_state.get(VIEW)
    if view is None or view.table != table:
        return
    _edit_form(view, user)
    _delete_box(view, user)


def _edit_form(view: RecordView, user: User) -> None:
    values = form_values(view)
    st.markdown(f"**{md(t('data.edit.editing', record=view.label))}**")
    with st.form("records_form", clear_on_submit=False):
        entered: dict[str, Any] = {}
        specs = form_fields(view.table)
        columns = st.columns(3)
        for i, spec in enumerate(specs):
            with columns[i % 3]:
                entered[spec.name] = _field(spec, values[spec.name], view)
        saved = st.form_submit_button(t("data.edit.save"), type="primary", key="records_save",
                                      icon=":material/save:")  # fmt: skip
    if not saved:
        return
    try:
        with writing() as con:
            result = edit_record(con, view, entered, user)
    except REFUSED as exc:
        st.error(md(exc), icon=":material/block:")
        return
    if result.problems:
        st.error(t("data.edit.refused", n=len(result.problems)), icon=":material/block:")
        for problem in result.problems:
            st.markdown(f"- {md(problem_text(problem))}")
        return
    if result.change_id is None:
        st.info(t("data.edit.unchanged"), icon=":material/check_circle:")
        return
    changed = "；".join(f"{h}：{o or t('data.empty_value')} → {n or t('data.empty_value')}"
                       for h, o, n in result.changed)  # fmt: skip
    st.session_state.pop(VIEW, None)
    _done(t("data.edit.saved", record=view.label, changes=changed, id=result.change_id))


def _field(spec: FieldSpec, value: str, view: RecordView) -> Any:
    key = f"records_field_{view.table}_{spec.name}_{'_'.join(map(str, view.key))}"
    label = md(spec.header + ("" if spec.required or spec.is_key else t("data.edit.optional")))
    if spec.is_key:
        return st.text_input(label, value=value, disabled=True, key=key)
    if spec.options is not None:
        options = ([] if spec.required else [""]) + list(spec.options)
        index = options.index(value) if value in options else 0
        return st.selectbox(label, options, index=index, key=key,
                            format_func=lambda o: o or t("data.empty_value")) or None  # fmt: skip
    hint = t("data.edit.list_hint") if spec.is_list else None
    return st.text_input(label, value=value, key=key, help=hint)


def _table_name(table: str) -> str:
    """A table as the page names it: the template's sheet, or the list a child table holds."""
    if table in MODELS_BY_TABLE:
        return MODELS_BY_TABLE[table].sheet
    return t(f"data.delete.child.{table}")


def _delete_box(view: RecordView, user: User) -> None:
    with st.expander(t("data.delete.title"), icon=":material/delete:"):
        found = dependents(cursor(), view.table, view.key)
        shown = pd.DataFrame({
            t("data.col.table"): [_table_name(tb) for tb in found["table"]],
            t("data.col.summary"): [t(f"data.delete.dep.{w}") for w in found["what"]],
            t("data.col.rows"): found["rows"],
        })  # fmt: skip
        table(shown, key="records_dependents")
        counts = dependent_counts(found)
        confirmed = True
        if counts:
            st.warning(md(t("data.delete.dependents", counts=counts_text(counts))),
                       icon=":material/account_tree:")  # fmt: skip
            confirmed = st.checkbox(md(t("data.delete.confirm", counts=counts_text(counts))),
                                    key="records_delete_confirm")  # fmt: skip
        st.caption(t("data.delete.restorable"))
        if not st.button(t("data.delete.button"), key="records_delete", disabled=not confirmed,
                         icon=":material/delete_forever:"):  # fmt: skip
            return
        _attempt(lambda con: delete_record(con, view.table, view.key, user, confirm=counts),
                 lambda i: t("data.delete.done", record=view.label, id=i), forget=VIEW)  # fmt: skip


def merge_section(user: User) -> None:
    """4. Merge two 工号 of one person: preview what moves, confirm with the counts, merge."""
    st.subheader(t("data.section.merge"))
    st.caption(t("data.merge.help"))
    left, right, button = st.columns([2, 2, 1], vertical_alignment="bottom")
    keep = left.text_input(t("data.merge.keep"), key="merge_keep")
    drop = right.text_input(t("data.merge.drop"), key="merge_drop")
    if button.button(t("data.merge.preview"), key="merge_preview", icon=":material/preview:"):
        try:
            st.session_state[PLAN] = merge_plan(cursor(), keep, drop)
        except RecordError as exc:
            st.session_state.pop(PLAN, None)
            st.warning(md(exc), icon=":material/person_off:")
    plan = st.session_state.get(PLAN)
    if plan is None or (plan.keep, plan.drop) != (keep.strip(), drop.strip()):
        return
    frame = plan.frame()
    shown = pd.DataFrame({
        t("data.col.table"): [_table_name(tb) for tb in frame["table"]],
        t("data.merge.col.moved"): frame["moved"],
        t("data.merge.col.discarded"): frame["discarded"],
    })  # fmt: skip
    table(shown, key="merge_plan_table")
    moved, discarded = sum(plan.moved.values()), sum(plan.discarded.values())
    sentence = t("data.merge.confirm", drop=plan.drop, keep=plan.keep, moved=moved,
                 discarded=discarded)  # fmt: skip
    if not st.checkbox(md(sentence), key="merge_confirm"):
        return
    if st.button(t("data.merge.button"), type="primary", key="merge_commit",
                 icon=":material/merge:"):  # fmt: skip
        _attempt(lambda con: merge_cadres(con, plan.keep, plan.drop, user, confirm=plan),
                 lambda i: t("data.merge.done", drop=plan.drop, keep=plan.keep, id=i),
                 forget=PLAN)  # fmt: skip


def undo_section(user: User, *, writable: bool) -> None:
    """The change history, and undo of one change (撤销本次导入 for an import) unless the
    database takes no writes (the demo)."""
    st.subheader(t("data.section.changes"))
    st.caption(t("data.undo.help"))
    history = metric(change_frame)  # cached by data version, as every write bumps it
    if history.empty:
        st.caption(t("data.undo.empty"))
        return
    table(history, key="records_changes")
    choices = metric(undoable)
    if not choices or not writable:
        return
    by_id = {c["change_id"]: c for c in choices}
    picked = st.selectbox(
        t("data.undo.pick"), list(by_id), key="undo_pick",
        format_func=lambda i: t("data.undo.option", name=by_id[i]["name"], who=by_id[i]["actor"],
                                when=by_id[i]["logged_at"].strftime("%Y-%m-%d %H:%M")),
    )  # fmt: skip
    chosen = by_id[picked]
    reason = metric(undo_refusal, change_id=int(picked))  # checked again when undoing
    if reason is not None:
        st.warning(md(reason), icon=":material/history_toggle_off:")
        return
    st.caption(md(t("data.undo.ready", name=chosen["name"], rows=int(chosen["rows"]))))
    label = t(f"data.undo.button.{chosen['kind']}")
    if st.button(label, key="undo_commit", icon=":material/undo:"):
        _attempt(lambda con: undo_change(con, int(picked), user),
                 lambda i: t("data.undo.done", name=chosen["name"], id=i))  # fmt: skip


def backup_section(user: User, as_of: Any) -> None:
    """The two backups: the office's records as a workbook, and the complete database."""
    st.subheader(t("data.section.backup"))
    con = connection()  # the callables run on another thread, outside this session's state
    write = writer()  # the complete backup holds the accounts and the audit log
    st.markdown(f"**{t('data.backup.office_title')}**")
    st.caption(t("data.backup.help"))
    file_download(
        t("data.backup.download"),
        data=lambda: backup_xlsx(con.cursor()),  # built when clicked, from the data as they are
        file_name=t("data.backup.file", date=as_of or "empty"),
        mime=XLSX_MIME, key="data_backup", icon=":material/backup:",
    )  # fmt: skip
    if not may(Capability.FULL_BACKUP):
        return
    st.markdown(f"**{t('data.fullbackup.title')}**")
    st.caption(t("data.fullbackup.help"))

    def build() -> bytes:
        with write() as cur:
            return complete_backup(cur, user)

    file_download(
        t("data.fullbackup.download"), data=build,
        file_name=t("data.fullbackup.file", date=as_of or "empty"), mime="application/zip",
        key="data_full_backup", icon=":material/database:",
    )  # fmt: skip
    st.caption(t("data.fullbackup.restore_help"))
    st.code(t("data.fullbackup.restore_command"), language="sh")
