"""Deleting a record with what depends on it, and merging two 工号 of one person.

What depends on a record is stated once, in CASCADES: for a cadre, the attendance, reports
they wrote (whole, with their author lists) or co-wrote (their name taken off the list),
awards (their name taken off; an award they won alone goes), assessments, assignments,
training and mentorships; for an activity, its attendance. A report's author list and an
award's winners are part of the record itself and go with it. A deletion is refused while
anything depends on the record, unless the caller confirms the very counts it showed (so a
confirmation given for other numbers is refused too). Every deleted row stays in the journal
(analytics.store.journal) and comes back with `analytics.curation.undo.undo_change`.

A merge moves every row of the dropped 工号 to the kept one and deletes the dropped cadre. Where
both already have a row with the same key otherwise (the same activity, report, award,
assessment period …) the kept 工号's row stays and the dropped one's is discarded: the preview
lists how many, and the merge must be confirmed with those counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.access import audit
from analytics.access.auth import User
from analytics.common.labels import t
from analytics.curation.change import RecordError, may_write, one_change
from analytics.store import journal
from analytics.store.models import RECORD_TYPES

MODELS_BY_TABLE = {m.table: m for m in RECORD_TYPES}

# The column of each table that names a cadre (工号), for deletions and merges.
CADRE_COLUMNS: dict[str, str] = {
    "attendance": "cadre_id", "report_authors": "cadre_id", "reports": "lead_author",
    "award_winners": "cadre_id", "assessments": "cadre_id", "assignments": "cadre_id",
    "training": "cadre_id", "mentorships": "cadre_id",
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """Rows of `table` (alias t) matching `condition` ($k0 … the record's key) that go with it;
    `what` names them on the page (data.delete.dep.<what>); `own` rows are the record's own
    list (author list, winners) and need no confirmation."""

    table: str
    condition: str
    what: str
    own: bool = False


# In deletion order: each condition is read before the rows it depends on are deleted.
CASCADES: dict[str, tuple[Step, ...]] = {
    "cadres": (
        Step("awards", "t.award_id IN (SELECT award_id FROM award_winners GROUP BY award_id "
                       "HAVING bool_and(cadre_id = $k0))", "awards_alone"),
        Step("award_winners", "t.cadre_id = $k0", "award_winners"),
        Step("report_authors", "t.cadre_id = $k0 OR t.report_id IN "
                               "(SELECT report_id FROM reports WHERE lead_author = $k0)",
             "report_authors"),
        Step("reports", "t.lead_author = $k0", "reports_led"),
        *(Step(table, f"t.{column} = $k0", table) for table, column in CADRE_COLUMNS.items()
          if table in ("attendance", "assessments", "assignments", "training", "mentorships")),
    ),
    "activities": (Step("attendance", "t.activity_id = $k0", "attendance"),),
    # A report's author list and an award's winners are the record's own 参与人工号 / 获奖人工号.
    "reports": (Step("report_authors", "t.report_id = $k0", "report_authors_own", own=True),),
    "awards": (Step("award_winners", "t.award_id = $k0", "award_winners_own", own=True),),
}  # fmt: skip


def _key_condition(table: str) -> str:
    model = MODELS_BY_TABLE[table]
    return " AND ".join(f"t.{k} = $k{i}" for i, k in enumerate(model.key))


def _key_params(key: tuple[Any, ...]) -> dict[str, Any]:
    return {f"k{i}": v for i, v in enumerate(key)}


def _steps(table: str) -> list[Step]:
    if table not in MODELS_BY_TABLE:  # identifiers only from the record types
        raise ValueError(table)
    return [*CASCADES.get(table, ()), Step(table, _key_condition(table), "record", own=True)]


def dependents(con: duckdb.DuckDBPyConnection, table: str, key: tuple[Any, ...]) -> pd.DataFrame:
    """What deleting the record would delete with it: table, what, rows, own (part of the
    record), in deletion order; steps with no rows left out."""
    params = _key_params(key)
    rows = []
    for step in _steps(table):
        n = con.execute(
            f"SELECT count(*) FROM {step.table} AS t WHERE {step.condition}",
            {k: v for k, v in params.items() if f"${k}" in step.condition},
        ).fetchone()[0]
        if n:
            rows.append({"table": step.table, "what": step.what, "rows": int(n), "own": step.own})
    return pd.DataFrame(rows, columns=["table", "what", "rows", "own"])


def dependent_counts(frame: pd.DataFrame) -> dict[str, int]:
    """The counts a deletion must be confirmed with: what → rows, own rows left out."""
    return {r.what: int(r.rows) for r in frame.itertuples() if not r.own}


def counts_text(counts: dict[str, int]) -> str:
    """出勤记录 12 行、考核 2 行 … (the words of the confirmation)."""
    return "、".join(t("data.delete.count", what=t(f"data.delete.dep.{w}"), n=n)
                    for w, n in counts.items())  # fmt: skip


def delete_record(
    con: duckdb.DuckDBPyConnection, table: str, key: tuple[Any, ...], user: User,
    *, confirm: dict[str, int] | None = None,
) -> int:  # fmt: skip
    """Delete one record and, when `confirm` equals what depends on it now, those rows too;
    returns the change id. Raises RecordError when the record is gone, or when rows depend on
    it and `confirm` does not name exactly their counts (nothing is deleted then)."""
    may_write(con, user)
    label = f"{MODELS_BY_TABLE[table].sheet} {' / '.join(str(k) for k in key)}"
    params = _key_params(key)
    with one_change(con, user, "delete", audit.Action.RECORD_DELETE,
                    t("data.change.delete", record=label), label) as change:  # fmt: skip
        found = dependents(con, table, key)
        if not (found["what"] == "record").any():
            raise RecordError(t("data.delete.gone", record=label))
        counts = dependent_counts(found)
        if counts and counts != (confirm or {}):
            raise RecordError(t("data.delete.has_dependents", record=label,
                                counts=counts_text(counts)))  # fmt: skip
        for step in _steps(table):
            used = {k: v for k, v in params.items() if f"${k}" in step.condition}
            journal.note_where(con, change.change_id, step.table, step.condition, used)
            con.execute(f"DELETE FROM {step.table} AS t WHERE {step.condition}", used)
        change.detail = {"table": table, "record": label,
                         "deleted": {r.table: int(r.rows) for r in found.itertuples()}}  # fmt: skip
    return change.change_id


# ----- merging two 工号 ------------------------------------------------------------------------


@dataclass(frozen=True)
class MergePlan:
    """What merging `drop` into `keep` would do, per table: rows moved, and rows discarded
    because the kept 工号 already has one with the same key."""

    keep: str
    drop: str
    moved: dict[str, int]
    discarded: dict[str, int]

    def frame(self) -> pd.DataFrame:
        """The preview: table, rows moved, rows discarded."""
        tables = [tb for tb in CADRE_COLUMNS if self.moved.get(tb) or self.discarded.get(tb)]
        return pd.DataFrame(
            {"table": tables, "moved": [self.moved.get(tb, 0) for tb in tables],
             "discarded": [self.discarded.get(tb, 0) for tb in tables]}
        )  # fmt: skip


def _other_key(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The key columns besides the cadre column, or None when the cadre column is no key."""
    column = CADRE_COLUMNS[table]
    key = journal.shape(con, table).key
    if column not in key:
        return None
    return [k for k in key if k != column]


def _collision(con: duckdb.DuckDBPyConnection, table: str) -> str:
    others = _other_key(con, table) or []
    same = " AND ".join(f"k.{c} = t.{c}" for c in others)
    return (f"t.cadre_id = $drop AND EXISTS (SELECT 1 FROM {table} AS k "
            f"WHERE k.cadre_id = $keep AND {same})")  # fmt: skip


def merge_plan(con: duckdb.DuckDBPyConnection, keep: str, drop: str) -> MergePlan:
    """The merge preview; raises RecordError (in Chinese) unless both 工号 exist and differ."""
    keep, drop = keep.strip(), drop.strip()
    if not keep or not drop:
        raise RecordError(t("data.merge.both"))
    if keep == drop:
        raise RecordError(t("data.merge.same"))
    found = con.execute("SELECT cadre_id FROM cadres WHERE cadre_id IN (?, ?)", [keep, drop])
    known = {r[0] for r in found.fetchall()}
    for cid in (keep, drop):
        if cid not in known:
            raise RecordError(t("data.merge.unknown", id=cid))
    moved: dict[str, int] = {}
    discarded: dict[str, int] = {}
    ids = {"keep": keep, "drop": drop}
    for table, column in CADRE_COLUMNS.items():
        total = con.execute(f"SELECT count(*) FROM {table} WHERE {column} = $drop",
                            {"drop": drop}).fetchone()[0]  # fmt: skip
        clash = 0
        if _other_key(con, table) is not None:
            clash = con.execute(f"SELECT count(*) FROM {table} AS t WHERE {_collision(con, table)}",
                                ids).fetchone()[0]  # fmt: skip
        if total - clash:
            moved[table] = int(total - clash)
        if clash:
            discarded[table] = int(clash)
    return MergePlan(keep, drop, moved, discarded)


def merge_cadres(
    con: duckdb.DuckDBPyConnection, keep: str, drop: str, user: User, *, confirm: MergePlan,
) -> int:  # fmt: skip
    """Move every row of `drop` to `keep` and delete cadre `drop`, in one transaction; returns
    the change id. `confirm` is the plan the user saw: if the rows changed since, nothing is
    merged (RecordError). The kept cadre's own fields stay as they are."""
    may_write(con, user)
    keep, drop = keep.strip(), drop.strip()
    label = t("data.change.merge", drop=drop, keep=keep)
    with one_change(con, user, "merge", audit.Action.CADRE_MERGE, label, keep) as change:
        plan = merge_plan(con, keep, drop)
        if (plan.moved, plan.discarded) != (confirm.moved, confirm.discarded):
            raise RecordError(t("data.merge.stale"))
        ids = {"keep": keep, "drop": drop}
        cid = change.change_id
        for table, column in CADRE_COLUMNS.items():
            journal.note_where(con, cid, table, f"t.{column} IN ($keep, $drop)", ids)
            others = _other_key(con, table)
            if others is not None:
                moved_keys = ", ".join([*others, "$keep AS cadre_id"])
                journal.note_keys_sql(con, cid, table,
                                      f"SELECT {moved_keys} FROM {table} WHERE cadre_id = $drop",
                                      ids)  # fmt: skip
        journal.note_where(con, cid, "cadres", "t.cadre_id = $drop", {"drop": drop})
        # A report the dropped 工号 wrote, the kept one co-wrote: the kept one is now its 执笔.
        con.execute(
            "UPDATE report_authors SET role = '执笔' WHERE cadre_id = $keep AND report_id IN "
            "(SELECT report_id FROM report_authors WHERE cadre_id = $drop AND role = '执笔')", ids
        )  # fmt: skip
        for table, column in CADRE_COLUMNS.items():
            if _other_key(con, table) is not None:
                con.execute(f"DELETE FROM {table} AS t WHERE {_collision(con, table)}", ids)
            con.execute(f"UPDATE {table} SET {column} = $keep WHERE {column} = $drop", ids)
        con.execute("DELETE FROM cadres WHERE cadre_id = $drop", {"drop": drop})
        change.detail = {"keep": keep, "drop": drop, "moved": plan.moved,
                         "discarded": plan.discarded}  # fmt: skip
    return change.change_id
