"""The complete backup is what it says: every table of the file (accounts, audit log, import
history, journal, views, settings, derived tables), one consistent snapshot, and a restore into
an empty directory gives each of them back."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from analytics.access import audit
from analytics.access.auth import NotPermittedError, create_account
from analytics.curation import backup
from analytics.curation.backup import BackupError, complete_backup, restore
from analytics.store.db import connect
from tests.curation_support import (
    ADMIN,
    CADRE_HEADERS,
    LEADER,
    MENTOR,
    build_office,
    file_snapshot,
    import_csv,
    operate,
    snapshot,
)

SCHEMA_TABLES = {
    "accounts", "activities", "assessments", "assignments", "attendance", "audit_log",
    "award_winners", "awards", "cadres", "change_log", "change_rows", "expected_attendance_facts",
    "group_mentors", "import_log", "mentorships", "meta", "report_authors", "reports",
    "saved_views", "targets", "training",
}  # fmt: skip


@pytest.fixture
def office(tmp_path):
    """An office database with something in every kind of table."""
    path = build_office(tmp_path / "office.duckdb")
    con = connect(path)
    create_account(con, "wang", "a-long-password-1", "管理员", display_name="王某", actor="cli:x")
    import_csv(
        con, "新人.csv", CADRE_HEADERS + "Q201,新人,女,1998-01-01,秘书二处,二组,,,2025-10-01,\n"
    )
    operate(con, "edit")
    audit.record(con, "wang", audit.Action.SIGN_IN, role="管理员")
    con.execute("INSERT INTO saved_views (owner, name, question, saved_at) "
                "VALUES ('wang', '我的视图', '{}', now())")  # fmt: skip
    yield con, path
    con.close()


def test_a_restore_into_an_empty_directory_gives_back_every_table(office, tmp_path):
    con, _ = office
    data = complete_backup(con.cursor(), ADMIN)
    before = snapshot(con)
    assert set(before) >= SCHEMA_TABLES
    assert all(before[name] for name in ("accounts", "audit_log", "import_log", "change_log",
                                         "change_rows", "saved_views", "cadres"))  # fmt: skip
    target = tmp_path / "empty" / "restored.duckdb"
    counts = restore(data, target)
    assert counts == {name: len(rows) for name, rows in before.items()}
    assert file_snapshot(target) == before
    restored = connect(target)
    try:  # numbering goes on where it was
        for sequence in ("audit_log_id", "import_log_seq", "change_log_id", "saved_views_id"):
            assert restored.execute(f"SELECT nextval('{sequence}')").fetchone() == \
                con.execute(f"SELECT nextval('{sequence}')").fetchone(), sequence  # fmt: skip
    finally:
        restored.close()


def test_the_backup_is_one_snapshot_while_other_sessions_write(office, tmp_path, monkeypatch):
    """A write that lands between the start of the backup and its export is not in it."""
    con, _ = office
    before = snapshot(con)
    real_export = backup._export

    def export_after_a_write(cur, directory):
        other = con.cursor()
        audit.record(other, "wang", audit.Action.SIGN_OUT)  # another session, meanwhile
        other.execute("DELETE FROM saved_views")
        other.close()
        real_export(cur, directory)

    monkeypatch.setattr(backup, "_export", export_after_a_write)
    data = complete_backup(con.cursor(), ADMIN)
    assert snapshot(con) != before  # the writes were committed
    restore(data, tmp_path / "restored.duckdb")
    assert file_snapshot(tmp_path / "restored.duckdb") == before


def test_the_archive_holds_a_manifest_with_every_tables_rows(office):
    con, _ = office
    with zipfile.ZipFile(io.BytesIO(complete_backup(con.cursor(), ADMIN))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert manifest["format"] == backup.FORMAT and manifest["taken_by"] == "王某（wang）"
    assert set(manifest["tables"]) >= SCHEMA_TABLES
    assert {"schema.sql", "load.sql", "accounts.parquet", "audit_log.parquet"} <= names


@pytest.mark.parametrize("user", [LEADER, MENTOR], ids=["领导", "小组导师"])
def test_only_an_admin_may_take_the_complete_backup(office, user):
    con, _ = office
    with pytest.raises(NotPermittedError):
        complete_backup(con.cursor(), user)


def test_a_restore_never_overwrites_and_refuses_what_is_no_backup(office, tmp_path):
    con, path = office
    data = complete_backup(con.cursor(), ADMIN)
    with pytest.raises(BackupError, match="目标数据库文件已存在"):
        restore(data, path)
    with pytest.raises(BackupError, match="不是本系统的完整备份"):
        restore(b"not a zip", tmp_path / "a.duckdb")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(BackupError, match="不是本系统的完整备份"):
        restore(other.getvalue(), tmp_path / "b.duckdb")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as archive:
        for name in source.namelist():  # the cadres' rows left out
            if name != "cadres.parquet":
                archive.writestr(name, source.read(name))
    with pytest.raises(BackupError):
        restore(broken.getvalue(), tmp_path / "c.duckdb")
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("office."))
    assert left == []  # nothing left behind


def test_the_command_line_makes_and_restores_a_complete_backup(tmp_path, capsys):
    path = build_office(tmp_path / "office.duckdb")
    out = tmp_path / "完整备份.zip"
    assert backup.main(["create", str(out), "--db", str(path)]) == 0
    original = file_snapshot(path)
    assert [r[4] for r in original["audit_log"]] == ["export"]  # the backup is audited
    target = tmp_path / "new" / "cadres.duckdb"
    assert backup.main(["restore", str(out), "--db", str(target)]) == 0
    assert "已恢复到" in capsys.readouterr().out
    assert file_snapshot(target) == original
    assert backup.main(["restore", str(out), "--db", str(target)]) == 1
    assert "目标数据库文件已存在" in capsys.readouterr().err
