"""The one error boundary (ui/errors.py): no traceback ever reaches a user."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import analytics.metrics.overview
from analytics.store.db import connect
from tests.app.conftest import open_page
from ui.errors import ERROR_LOGGER

pytestmark = pytest.mark.error_boundary  # these tests make the app fail on purpose


def shown_text(at) -> str:
    """Everything the page put on screen as text (main area and sidebar)."""
    parts = []
    for kind in ("error", "warning", "info", "success", "markdown", "caption", "title"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_an_unexpected_error_shows_a_reference_and_logs_the_traceback(monkeypatch, caplog):
    def broken(con, f):
        raise ZeroDivisionError("secret detail: /srv/cadres.duckdb")

    monkeypatch.setattr(analytics.metrics.overview, "overview_kpis", broken)
    at = open_page(year="2025", quarter="3")
    assert not at.exception  # no traceback element
    # 总览's red 需要关注 items are errors too: the boundary's message is the one with a reference
    [match] = [m for e in at.error if (m := re.search(r"错误已记录，编号 ([0-9A-F]{8})。请刷新页面重试",
                                                    e.value))]  # fmt: skip
    assert "ZeroDivisionError" not in shown_text(at) and "secret detail" not in shown_text(at)
    assert at.title[0].value == "总览"  # what came before the failure is still there
    [record] = [r for r in caplog.records if r.name == ERROR_LOGGER]
    logged = record.getMessage()
    assert f"ref={match.group(1)}" in logged
    assert "user=演示:管理员 (管理员)" in logged and '"quarter":3' in logged
    assert record.exc_info[0] is ZeroDivisionError


def test_a_database_held_by_another_process_says_what_to_do(tmp_path, monkeypatch, caplog):
    db = tmp_path / "held.duckdb"
    connect(db).close()
    monkeypatch.setenv("CADRE_DB", str(db))
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); "
         "time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        at = open_page()
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith("数据库正被另一个程序占用")
    assert "请等它完成后刷新页面" in error.value
    text = shown_text(at)
    assert str(db) not in text and "PID" not in text and str(holder.pid) not in text
    [record] = [r for r in caplog.records if r.name == ERROR_LOGGER]
    assert "held by another process" in record.getMessage()
