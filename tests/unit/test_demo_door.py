"""The demo database opens without sign-in, so real data never goes into it, and the commands
meant for the demo (`demo --force`, `make clean`) never delete a file with anything else.

Each test builds or copies its own files (the session's demo is read-only); about 4 s in all,
most of it one demo build and one `make clean` run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from analytics.common.config import PROJECT_ROOT
from analytics.dataio import cli, commit, importer
from analytics.generators import demo
from analytics.store.db import connect

NEW_CADRE = (
    "工号,姓名,性别,出生日期,处室,学习小组,职级,政治面貌,入职日期,调离日期\n"
    "Q9001,真实的人,女,1990/1/1,秘书一处,第一学习小组,,中共党员,2020/1/1,\n"
)


def copy_of(demo_db: Path, tmp_path: Path, name: str = "demo.duckdb") -> Path:
    path = tmp_path / name
    shutil.copy(demo_db, path)
    return path


def rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_an_import_into_the_demo_is_refused_and_says_how_to_start_a_real_one(demo_db, tmp_path):
    con = connect(copy_of(demo_db, tmp_path))
    plan = importer.prepare_import(con, [("新干部.csv", NEW_CADRE.encode())])
    with pytest.raises(ValueError, match="演示数据库") as refused:
        commit.commit_import(con, plan, who="测试")
    message = str(refused.value)
    assert "CADRE_DB=" in message and "--role 管理员" in message  # how to start a real one
    assert con.execute("SELECT count(*) FROM cadres WHERE cadre_id = 'Q9001'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM import_log").fetchone() == (0,)


def test_the_import_command_refuses_the_demo_before_reading_anything(demo_db, tmp_path, capsys):
    db = copy_of(demo_db, tmp_path)
    sheet = tmp_path / "新干部.csv"
    sheet.write_text(NEW_CADRE, encoding="utf-8")
    assert cli.main([str(sheet), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "不能导入真实数据" in err and "CADRE_DB=/srv/cadres.duckdb" in err
    assert rows(db, "SELECT count(*) FROM cadres WHERE cadre_id = 'Q9001'") == [(0,)]


def test_the_same_import_into_a_database_of_its_own_goes_in(tmp_path, capsys):
    sheet = tmp_path / "新干部.csv"
    sheet.write_text(NEW_CADRE, encoding="utf-8")
    db = tmp_path / "cadres.duckdb"
    assert cli.main([str(sheet), "--db", str(db), "--create"]) == 0
    assert rows(db, "SELECT name FROM cadres") == [("真实的人",)]


def an_office_database(path: Path) -> Path:
    """A real database: one cadre imported by the command line."""
    sheet = path.with_suffix(".csv")
    sheet.write_text(NEW_CADRE, encoding="utf-8")
    assert cli.main([str(sheet), "--db", str(path), "--create"]) == 0
    return path


def test_demo_force_never_replaces_a_database_with_real_data(tmp_path, capsys):
    db = an_office_database(tmp_path / "demo.duckdb")  # even under the demo's own name
    assert demo.main(["--db", str(db), "--force"]) == 1
    assert "不是自动生成的演示数据库" in capsys.readouterr().err
    assert rows(db, "SELECT cadre_id, name FROM cadres") == [("Q9001", "真实的人")]


def test_demo_force_never_replaces_a_demo_that_real_data_went_into(demo_db, tmp_path, capsys):
    db = copy_of(demo_db, tmp_path)
    con = duckdb.connect(str(db))  # as an import before this release could have
    con.execute("UPDATE cadres SET name = '真实的人' WHERE cadre_id = 'Q1001'")
    con.close()
    assert demo.main(["--db", str(db), "--force"]) == 1
    assert rows(db, "SELECT name FROM cadres WHERE cadre_id = 'Q1001'") == [("真实的人",)]


def test_demo_force_rebuilds_the_untouched_demo(demo_db, tmp_path):
    db = copy_of(demo_db, tmp_path)
    con = duckdb.connect(str(db))  # the targets editor is the demo's to play with
    con.execute("UPDATE targets SET value = 0.5 WHERE metric = 'rotation_share'")
    con.close()
    assert demo.main(["--db", str(db), "--force"]) == 0
    assert rows(db, "SELECT DISTINCT value FROM targets WHERE metric = 'rotation_share'") == [
        (0.3,)
    ]


def test_make_clean_deletes_the_generated_demo_and_keeps_real_data(demo_db, tmp_path):
    # `make clean` in a copy of the project's Makefile, with its own data/ folder.
    shutil.copy(PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "analytics").symlink_to(PROJECT_ROOT / "analytics")
    (tmp_path / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    data = tmp_path / "data"
    data.mkdir()
    generated = copy_of(demo_db, data)
    office = an_office_database(data / "office.duckdb")
    imported_demo = copy_of(demo_db, data, "imported.duckdb")
    con = duckdb.connect(str(imported_demo))
    con.execute("UPDATE cadres SET name = '真实的人' WHERE cadre_id = 'Q1001'")
    con.close()
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert not generated.exists()
    assert office.exists() and imported_demo.exists()
    assert "保留" in result.stderr and "office.duckdb" in result.stderr
