"""The import command line, run by a scheduled job while the dashboard holds the database."""

import subprocess
import sys

from analytics.dataio.cli import main
from analytics.store.db import connect


def test_a_locked_database_is_refused_with_what_to_do(tmp_path, capsys):
    db = tmp_path / "office.duckdb"
    connect(db).close()
    sheet = tmp_path / "目标.csv"
    sheet.write_text("指标,年度,目标值\nrotation_share,2031,0.3\n", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main([str(sheet), "--db", str(db)]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "无法打开数据库" in err and "请先停止看板" in err
    con = connect(db)
    assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 0  # nothing written
