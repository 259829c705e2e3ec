"""Undoing a change: an import (撤销本次导入), an edit, a deletion (its rows restored), a merge or
a targets edit, from the before-images the journal kept (analytics.store.journal).

An undo restores exactly the state before its change, so it is allowed only when that state can
be restored without losing anything written since: always for the latest change, and for an
earlier one only when no later change touched the same rows (a later change that was itself
undone does not count) and every row is still as the change left it. Otherwise `undo_refusal`
says why, in Chinese, naming the later changes. An undo is itself a change (journaled and
audited); it is not undone in turn: the same data can be imported or edited again.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.access import audit
from analytics.access.auth import User
from analytics.common.labels import t
from analytics.curation.change import RecordError, may_write, one_change
from analytics.store import journal

MAX_NAMED = 3  # later changes named in a refusal


def change_name(row: dict | pd.Series) -> str:
    """A change as a sentence names it: 第 3 次导入 / 第 12 号变更（修改 青年干部 Q101）."""
    import_id = row.get("import_id")
    if row.get("kind") == "import" and import_id is not None and not pd.isna(import_id):
        return t("data.undo.name_import", id=int(import_id))
    return t("data.undo.name_change", id=int(row["change_id"]), summary=row["summary"])


def undo_refusal(con: duckdb.DuckDBPyConnection, change_id: int) -> str | None:
    """Why change `change_id` cannot be undone now, or None when it can."""
    row = journal.change(con, change_id)
    if row is None:
        return t("data.undo.unknown", id=change_id)
    name = change_name(row)
    if row["kind"] == "undo":
        return t("data.undo.is_undo", name=name)
    if row["undone_by"] is not None:
        return t("data.undo.already", name=name, by=int(row["undone_by"]))
    later = journal.later_overlaps(con, change_id)
    if len(later):
        named = "；".join(
            t("data.undo.later_one", name=change_name(r), who=r["actor"],
              when=r["logged_at"].strftime("%Y-%m-%d %H:%M"), rows=int(r["rows"]))
            for r in later.head(MAX_NAMED).to_dict("records")
        )  # fmt: skip
        more = t("data.undo.later_more", n=len(later) - MAX_NAMED) if len(later) > MAX_NAMED else ""
        return t("data.undo.later", name=name, later=named + more)
    drifted = journal.drifted(con, change_id)
    if drifted:
        return t("data.undo.drifted", name=name, rows=drifted)
    return None


def undo_change(con: duckdb.DuckDBPyConnection, change_id: int, user: User) -> int:
    """Restore the state before change `change_id`, in one transaction with its journal and
    audit rows; returns the undo's own change id. Raises RecordError with undo_refusal's
    reason (nothing written), NotPermittedError for a role that may not, DemoDatabaseError on
    the demo."""
    may_write(con, user)
    row = journal.change(con, change_id)
    name = change_name(row) if row is not None else str(change_id)

    def allowed() -> None:  # inside the transaction: nothing slips in between
        reason = undo_refusal(con, change_id)
        if reason is not None:
            raise RecordError(reason)

    with one_change(con, user, "undo", audit.Action.UNDO, t("data.change.undo", name=name),
                    name, check=allowed, undoes=change_id) as change:  # fmt: skip
        restored = journal.revert(con, change_id, change.change_id)
        change.detail = {"undoes": change_id, "restored": restored}
    return change.change_id


def undo_import(con: duckdb.DuckDBPyConnection, import_id: int, user: User) -> int:
    """撤销本次导入: undo the change import `import_id` was committed as."""
    change_id = journal.change_of_import(con, import_id)
    if change_id is None:
        known = con.execute("SELECT 1 FROM import_log WHERE import_id = ?", [import_id]).fetchone()
        raise RecordError(t("data.undo.no_journal" if known else "data.undo.no_import",
                            id=import_id))  # fmt: skip
    return undo_change(con, change_id, user)


def change_frame(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The 变更记录 table, newest first, with Chinese headers: 序号, 时间, 操作人, 操作, 内容,
    涉及行数, 状态 (已撤销 by which change, or the undo's own target)."""
    rows = journal.history(con, limit)

    def state(r: pd.Series) -> str:
        if not pd.isna(r["undone_by"]):
            return t("data.undo.state_undone", by=int(r["undone_by"]))
        return ""

    shown = pd.DataFrame({
        t("data.col.change_id"): rows["change_id"].astype("int64"),
        t("data.col.changed_at"): rows["logged_at"],
        t("data.col.imported_by"): rows["actor"],
        t("data.col.kind"): rows["kind"].map(lambda k: t(f"data.kind.{k}")),
        t("data.col.summary"): rows["summary"],
        t("data.col.rows_touched"): rows["rows"].astype("int64"),
        t("data.col.state"): rows.apply(state, axis=1) if len(rows) else [],
    })  # fmt: skip
    return shown


def undoable(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict]:
    """The changes an undo may be asked for (not undos, not undone), newest first, as dicts
    with a `name`; whether each may be undone now is undo_refusal's to say."""
    rows = journal.history(con, limit)
    out = []
    for r in rows.to_dict("records"):
        if r["kind"] != "undo" and pd.isna(r["undone_by"]):
            out.append({**r, "name": change_name(r)})
    return out
