"""常用视图: saved per account, shared only by a 管理员, every write audited with it."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.access import audit
from analytics.access.auth import Role
from analytics.semantic.question import Question, from_params
from analytics.semantic.views import ViewError, delete_view, save_view, view_params, views_for
from tests.factories import database

Q = Question(measure="reports", dims=("division",), picks=(("report_type", ("调研报告",)),))
AT = dt.datetime(2025, 11, 30, 9, 0)


def hook(actor, action, name):
    def write(con, rows):
        audit.record(con, actor, action, target=name, row_count=rows, at=AT)

    return write


def save(con, owner, role, name, q=Q, shared=False):
    return save_view(con, owner, role, name, q, hook(owner, audit.Action.VIEW_SAVE, name.strip()),
                     shared=shared, now=AT)  # fmt: skip


def test_a_view_is_the_owners_until_a_manager_shares_one():
    con = database([])
    save(con, "li", Role.LEADER, "各处室调研报告")
    save(con, "admin", Role.ADMIN, "全办参与率", Question(), shared=True)
    save(con, "zhang", Role.MENTOR, "本组出勤", Question(measure="attended"))
    assert views_for(con, "li")["name"].tolist() == ["各处室调研报告", "全办参与率"]
    assert views_for(con, "zhang")["name"].tolist() == ["本组出勤", "全办参与率"]
    opened = views_for(con, "li").iloc[0]
    assert from_params(view_params(opened["question"])) == (Q, [])
    with pytest.raises(ViewError, match="只有管理员可以共享视图"):
        save(con, "li", Role.LEADER, "想共享", shared=True)
    assert "想共享" not in set(views_for(con, "admin")["name"])


def test_saving_again_under_a_name_replaces_and_every_write_is_audited():
    con = database([])
    first = save(con, "li", Role.LEADER, "  看板  ")
    again = save(con, "li", Role.LEADER, "看板", Question(measure="awards"))
    assert first == again
    assert views_for(con, "li")["question"].tolist() == ['{"measure": "awards"}']
    delete_view(con, "li", first, hook("li", audit.Action.VIEW_DELETE, "看板"))
    assert views_for(con, "li").empty
    rows = audit.entries(con)
    assert rows["action"].tolist() == ["view_delete", "view_save", "view_save"]
    assert set(rows["actor"]) == {"li"} and set(rows["target"]) == {"看板"}


def test_nothing_is_saved_when_the_audit_row_cannot_be_written():
    con = database([])
    con.execute("DROP TABLE audit_log")
    with pytest.raises(Exception, match="audit_log"):
        save(con, "li", Role.LEADER, "看板")
    assert views_for(con, "li").empty


def test_only_the_owner_deletes_and_a_name_must_be_given():
    con = database([])
    view = save(con, "admin", Role.ADMIN, "共享的", shared=True)
    with pytest.raises(ViewError, match="只能删除自己保存的视图"):
        delete_view(con, "li", view, hook("li", audit.Action.VIEW_DELETE, "共享的"))
    assert len(views_for(con, "li")) == 1
    for name in ("", "   ", "长" * 41):
        with pytest.raises(ViewError, match="视图名称"):
            save(con, "li", Role.LEADER, name)
