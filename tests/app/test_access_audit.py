"""Audited writes through the pages: target and weighting changes are 管理员-only, each writes
an audit row in the same transaction, and a failed audit write leaves the data unchanged."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
import streamlit as st

import analytics.audit
from analytics.auth import Role
from tests.app.conftest import open_page

ROTATION = "跨处室轮岗、专项工作占比（%）"
SAVE_TARGETS = "FormSubmitter:quotas_targets_2025-保存目标"


@pytest.fixture
def own_db(demo_db, tmp_path, monkeypatch):
    """A copy of the demo database this test may write to; caches start empty."""
    path = tmp_path / "audit.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("CADRE_DB", str(path))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def query(path, sql, params=()):
    con = duckdb.connect(str(path))  # the app's connection in this process has it open too
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def rotation_target(path):
    return query(path, "SELECT value FROM targets WHERE year = 2025 AND metric = 'rotation_share'")


def field(at, label):
    (widget,) = [n for n in at.number_input if n.label == label]
    return widget


def as_role(role, page):
    at = open_page()
    if role is not Role.ADMIN:
        at.selectbox(key="demo_role").set_value(role).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_a_target_change_is_audited_with_who_what_and_filters(own_db):
    at = as_role(Role.ADMIN, "pages/quotas.py")
    field(at, ROTATION).set_value(25)
    at.button(key=SAVE_TARGETS).click().run()
    assert not at.exception and not at.error
    assert rotation_target(own_db) == [(0.25,)]
    rows = query(own_db, "SELECT actor, role, action, target, row_count, filters, detail "
                         "FROM audit_log WHERE action = 'targets_change'")  # fmt: skip
    assert len(rows) == 1
    actor, role, action, target, count, filters, detail = rows[0]
    assert (actor, role, target, count) == ("演示:管理员", "管理员", "targets:2025", 8)
    assert json.loads(filters)["year"] == 2025
    assert json.loads(detail)["rotation_share"] == 25


def test_a_failed_audit_write_saves_nothing(own_db, monkeypatch):
    def broken(*args, **kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(analytics.audit, "record", broken)
    at = as_role(Role.ADMIN, "pages/quotas.py")
    field(at, ROTATION).set_value(25)
    at.button(key=SAVE_TARGETS).click().run()
    assert not at.exception
    assert any("disk full" in e.value for e in at.error)
    assert rotation_target(own_db) == [(0.3,)]
    assert query(own_db, "SELECT count(*) FROM audit_log") == [(0,)]


@pytest.mark.parametrize("role", [Role.LEADER, Role.MENTOR])
def test_only_admins_see_the_targets_editor(role):
    at = as_role(role, "pages/quotas.py")
    assert not [n for n in at.number_input if n.label == ROTATION]
    assert not [b for b in at.button if "保存目标" in (b.label or "")]


@pytest.mark.parametrize("role", [Role.LEADER, Role.MENTOR])
def test_the_weighting_is_read_only_for_others(role):
    at = as_role(role, "pages/awards.py")
    weights = [n for n in at.number_input if n.key and n.key.startswith("awards_weight_")]
    assert weights and all(n.disabled for n in weights)
    (save,) = [b for b in at.button if b.label == "保存权重"]
    assert save.disabled


def test_a_weighting_change_is_audited(own_db):
    at = as_role(Role.ADMIN, "pages/awards.py")
    weights = [n for n in at.number_input if n.key and n.key.startswith("awards_weight_")]
    weights[0].set_value(weights[0].value + 1)
    (save,) = [b for b in at.button if b.label == "保存权重"]
    save.click().run()
    assert not at.exception and not at.error
    rows = query(own_db, "SELECT actor, target, row_count FROM audit_log "
                         "WHERE action = 'targets_change'")  # fmt: skip
    assert rows == [("演示:管理员", "points_weighting:2025", len(weights))]
