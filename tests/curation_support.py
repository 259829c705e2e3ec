"""A small office database for the edit / delete / merge / undo / backup tests, and whole-table
snapshots to compare before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analytics.access.auth import Role, User
from analytics.curation.backup import base_tables
from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from analytics.store.db import connect, insert_rows, rows_by_table
from tests.factories import (
    D,
    activity,
    assessment,
    award,
    cadre,
    course,
    mentor,
    present,
    report,
    stint,
    target,
)

ADMIN = User("wang", "王某", Role.ADMIN)
LEADER = User("li", "李某", Role.LEADER)
MENTOR = User("zhao", "赵某", Role.MENTOR, "一组")

# Q101 and Q102 are one person keyed twice; Q103 is someone else.
RECORDS = [
    cadre("Q101", name="张三", birth_date=D(1995, 5, 1)),
    cadre("Q102", name="张三", group="二组"),
    cadre("Q103", name="李四", group="二组"),
    activity("HD1", D(2025, 3, 5)),  # 全体: everyone is expected
    activity("HD2", D(2025, 4, 9), scope="指定"),
    present("HD1", "Q101"),
    present("HD1", "Q102"),  # both keys at the same activity: a collision when merged
    present("HD2", "Q102", hours=2),
    present("HD1", "Q103", status="请假"),
    report("R1", D(2025, 5, 1), "Q102", co_authors=["Q103"]),  # Q102 wrote it
    report("R2", D(2025, 6, 1), "Q103", co_authors=["Q101", "Q102"]),  # both co-wrote
    award("W1", D(2025, 7, 1), ["Q102"]),  # Q102 won it alone
    award("W2", D(2025, 8, 1), ["Q102", "Q103"]),
    assessment("Q102", "2025Q1"),
    assessment("Q101", "2025Q1", result="未提交"),  # same period: a collision
    stint("Q102", "挂职", D(2025, 9, 1), None),
    course("Q102", D(2025, 2, 1), 8),
    mentor("Q102", "业务导师", D(2025, 1, 1)),
    target("rotation_share", 2025, 0.3),
]


def build_office(path: Path) -> Path:
    """The office database at `path` (an office's own: not the demo), closed again."""
    con = connect(path)
    insert_rows(con, rows_by_table(RECORDS))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('source', 'import')")
    con.close()
    return path


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the file, sorted: the whole database, to compare."""
    return {
        name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for name in base_tables(con)
    }


def file_snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


def changed(before: dict[str, list], after: dict[str, list]) -> dict[str, tuple[list, list]]:
    """Per table that differs: (rows gone, rows added)."""
    out = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            out[name] = ([r for r in old if r not in new], [r for r in new if r not in old])
    return out


# The tables every change writes besides the records: the data version (and the derived
# tables' fingerprint), the audit log and the journal.
BOOKKEEPING = {"meta", "audit_log", "change_log", "change_rows"}


def import_csv(con: duckdb.DuckDBPyConnection, name: str, text: str) -> int:
    """Import one CSV through the importer; the import's id."""
    plan = prepare_import(con, [(name, text.encode("utf-8"))])
    assert not plan.problems, [p.text() for p in plan.problems]
    import_id = commit_import(con, plan, who=ADMIN.label)
    assert import_id is not None
    return import_id


CADRE_HEADERS = "工号,姓名,性别,出生日期,处室,学习小组,职级,政治面貌,入职日期,调离日期\n"


# ----- one change, in this process or in a worker process that can be killed mid-way -----


def operate(con: duckdb.DuckDBPyConnection, operation: str) -> None:
    """Do one of the four changes the crash tests interrupt, as the 数据管理 page would."""
    from analytics.curation.remove import (
        delete_record,
        dependent_counts,
        dependents,
        merge_cadres,
        merge_plan,
    )
    from analytics.curation.undo import undo_import
    from analytics.dataio.edit import edit_record, find_record, form_values

    if operation == "edit":
        view = find_record(con, "cadres", ("Q103",))
        edit_record(con, view, {**form_values(view), "name": "李四光", "study_group": "一组"},
                    ADMIN)  # fmt: skip
    elif operation == "delete":
        counts = dependent_counts(dependents(con, "cadres", ("Q102",)))
        delete_record(con, "cadres", ("Q102",), ADMIN, confirm=counts)
    elif operation == "merge":
        merge_cadres(con, "Q101", "Q102", ADMIN, confirm=merge_plan(con, "Q101", "Q102"))
    elif operation == "undo":
        undo_import(con, 1, ADMIN)
    else:
        raise ValueError(operation)


def worker(path: str, operation: str, pause_in: str) -> None:
    """The worker process: do `operation` on the file at `path`; when `pause_in` names a step
    inside the transaction (journal.finish, audit.record), print "paused" there and wait to be
    killed."""
    import time

    from analytics.access import audit
    from analytics.store import journal

    def pausing(real: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = real(*args, **kwargs)
            print("paused", flush=True)
            time.sleep(600)
            return result

        return wrapped

    if pause_in == "journal.finish":
        journal.finish = pausing(journal.finish)
    elif pause_in == "audit.record":
        audit.record = pausing(audit.record)
    con = connect(path)
    operate(con, operation)
    con.execute("CHECKPOINT")
    con.close()
    print("done", flush=True)
