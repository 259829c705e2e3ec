"""数据管理's forms for records already in, as a data admin uses them: find and edit a record,
delete one with what depends on it and restore it, merge two 工号, undo an import, download the
complete backup (audited); and nothing of it for 领导 or 小组导师."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from analytics.access.auth import Role, User
from tests.app.conftest import CADRE_CSV, OFFICE_ADMIN, open_page, query, visible
from tests.curation_support import BOOKKEEPING, changed, snapshot

PAGE = "pages/data.py"


def state(path):
    import duckdb

    con = duckdb.connect(str(path))
    try:
        return snapshot(con)
    finally:
        con.close()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def a_cadre(path, with_rows: str = "attendance") -> tuple[str, str]:
    """工号 and name of the first cadre with rows in `with_rows`."""
    [(cid, name)] = query(
        path,
        f"SELECT cadre_id, name FROM cadres WHERE cadre_id IN (SELECT cadre_id FROM {with_rows}) "
        "ORDER BY cadre_id LIMIT 1",
    )
    return cid, name


def find(at, cid: str):
    at.selectbox(key="records_table").set_value("cadres").run()
    at.text_input(key="records_key_cadres_cadre_id").input(cid)
    return at.button(key="records_find").click().run()


def test_the_page_offers_the_new_sections_in_order(office_db):
    at = open_page(PAGE, user=OFFICE_ADMIN)
    assert not at.exception
    assert texts(at.main.subheader) == ["1. 下载模板", "2. 上传并预览", "3. 修改或删除一条记录",
                                   "4. 合并工号", "导入记录", "变更记录与撤销", "备份"]  # fmt: skip
    assert "还没有变更记录。" in texts(at.caption)


def test_an_admin_edits_a_cadre_and_every_page_shows_it_at_once(office_db):
    cid, name = a_cadre(office_db)
    at = find(open_page(PAGE, user=OFFICE_ADMIN), cid)
    assert not at.exception
    assert f"**正在修改：青年干部 {cid}**" in [visible(m.value) for m in at.markdown]
    assert at.text_input(key=f"records_field_cadres_name_{cid}").value == name
    assert at.text_input(key=f"records_field_cadres_cadre_id_{cid}").disabled
    at.text_input(key=f"records_field_cadres_name_{cid}").input("改名后")
    at.button(key="records_save").click().run()
    assert not at.exception
    [flash] = [visible(s) for s in texts(at.success)]
    assert flash.startswith(f"已保存 青年干部 {cid}（第 1 号变更）：姓名：{name} → 改名后。")
    assert query(office_db, "SELECT name FROM cadres WHERE cadre_id = ?", [cid]) == [("改名后",)]
    [(actor, detail)] = query(office_db, "SELECT actor, detail FROM audit_log "
                                         "WHERE action = 'record_edit'")  # fmt: skip
    assert actor == "wang" and json.loads(detail)["fields"]["姓名"] == {
        "old": name,
        "new": "改名后",
    }
    changes = next(d.value for d in at.dataframe if "变更号" in d.value.columns)
    assert changes.iloc[0]["内容"] == f"修改 青年干部 {cid}"
    at.switch_page("pages/profile.py")
    at.query_params["cadre"] = cid
    at.run()
    assert [visible(h.value) for h in at.header] == ["改名后"]  # no stale cache


def test_a_refused_edit_names_the_cells_and_writes_nothing(office_db):
    cid, _ = a_cadre(office_db)
    before = state(office_db)
    at = find(open_page(PAGE, user=OFFICE_ADMIN), cid)
    joined = at.text_input(key=f"records_field_cadres_join_date_{cid}").value
    at.text_input(key=f"records_field_cadres_birth_date_{cid}").input(joined)
    at.button(key="records_save").click().run()
    assert not at.exception
    assert texts(at.error) == ["有 1 处问题，未保存任何修改："]
    shown = [visible(m.value) for m in at.markdown if m.value.startswith("- ")]
    assert shown == [f"- 〔出生日期、入职日期〕出生日期不早于入职日期，不合常理：请检查这两格。"
                     f"（值：“出生日期 {joined}，入职日期 {joined}”）"]  # fmt: skip
    assert state(office_db) == before


def test_a_cadre_with_records_is_deleted_only_when_confirmed_and_comes_back(office_db):
    cid, _ = a_cadre(office_db)
    before = state(office_db)
    at = find(open_page(PAGE, user=OFFICE_ADMIN), cid)
    attended = query(office_db, "SELECT count(*) FROM attendance WHERE cadre_id = ?", [cid])[0][0]
    [warning] = [visible(w) for w in texts(at.warning)]
    assert warning.startswith("这条记录还有关联数据：") and f"、出勤记录 {attended} 行、" in warning
    assert at.button(key="records_delete").disabled  # not before the counts are confirmed
    at.checkbox(key="records_delete_confirm").check().run()
    at.button(key="records_delete").click().run()
    assert not at.exception
    assert visible(texts(at.success)[0]).startswith(f"已删除 青年干部 {cid}（第 1 号变更）")
    assert query(office_db, "SELECT count(*) FROM attendance WHERE cadre_id = ?", [cid]) == [(0,)]
    assert at.button(key="undo_commit").label == "恢复删除的记录"
    at.button(key="undo_commit").click().run()
    assert not at.exception
    assert visible(texts(at.success)[0]).startswith("已撤销第 1 号变更（删除 青年干部")
    assert set(changed(before, state(office_db))) == BOOKKEEPING  # every row as before


def test_two_ids_of_one_person_are_merged_after_the_preview(office_db):
    [(keep,), (drop,)] = query(office_db, "SELECT cadre_id FROM cadres ORDER BY cadre_id LIMIT 2")
    moved = query(office_db, "SELECT count(*) FROM attendance WHERE cadre_id = ?", [drop])[0][0]
    at = open_page(PAGE, user=OFFICE_ADMIN)
    at.text_input(key="merge_keep").input(keep)
    at.text_input(key="merge_drop").input(drop)
    at.button(key="merge_preview").click().run()
    plan = next(d.value for d in at.dataframe if "移到保留工号（行）" in d.value.columns)
    assert "出勤" in set(plan["数据表"])
    assert not [b for b in at.button if b.key == "merge_commit"]  # not before the checkbox
    at.checkbox(key="merge_confirm").check().run()
    at.button(key="merge_commit").click().run()
    assert not at.exception
    assert visible(texts(at.success)[0]).startswith(f"已把工号 {drop} 合并到 {keep}")
    assert query(office_db, "SELECT count(*) FROM cadres WHERE cadre_id = ?", [drop]) == [(0,)]
    assert query(office_db, "SELECT count(*) FROM attendance WHERE cadre_id = ?", [drop]) == [(0,)]
    assert moved > 0


def test_an_import_is_undone_from_the_page(office_db):
    before = state(office_db)
    at = open_page(PAGE, user=OFFICE_ADMIN)
    at.file_uploader(key="data_upload").set_value(
        [("新干部.csv", CADRE_CSV.encode("utf-8"), "text/csv")]
    ).run()
    at.button(key="data_commit").click().run()
    at.file_uploader(key="data_upload").set_value([]).run()
    assert at.selectbox(key="undo_pick").value == 1
    assert any("可以撤销" in visible(c) for c in texts(at.caption))
    assert at.button(key="undo_commit").label == "撤销本次导入"
    at.button(key="undo_commit").click().run()
    assert not at.exception
    assert visible(texts(at.success)[0]).startswith("已撤销第 1 次导入（第 2 号变更）")
    assert query(office_db, "SELECT count(*) FROM cadres WHERE cadre_id = 'Q9001'") == [(0,)]
    history = next(d.value for d in at.dataframe if "操作人" in d.value.columns
                   and "文件" in d.value.columns)  # fmt: skip
    assert history.iloc[0]["状态"] == "已撤销（第 2 号变更）"
    assert set(changed(before, state(office_db))) == BOOKKEEPING | {"import_log"}


def test_the_profile_links_an_admin_to_the_record_form(office_db):
    cid, name = a_cadre(office_db)
    at = open_page("pages/profile.py", user=OFFICE_ADMIN, cadre=cid)
    [link] = [e for e in at.main if getattr(e, "type", "") == "page_link"
              and e.proto.label == "修改或删除此人的记录（数据管理）"]  # fmt: skip
    assert link.proto.page == "data"
    at = open_page(PAGE, user=OFFICE_ADMIN, table="cadres", key=cid)  # where it leads
    assert at.text_input(key=f"records_field_cadres_name_{cid}").value == name


@pytest.mark.parametrize("role", [Role.LEADER, Role.MENTOR])
def test_leaders_and_mentors_get_no_way_to_edit(office_db, role):
    group = query(office_db, "SELECT min(study_group) FROM cadres")[0][0]
    user = User("someone", "某人", role, group if role is Role.MENTOR else None)
    cid = query(office_db, "SELECT min(cadre_id) FROM cadres WHERE study_group = ?", [group])[0][0]
    at = open_page("pages/profile.py", user=user, cadre=cid)
    assert not at.exception
    assert not [e for e in at.main if getattr(e, "type", "") == "page_link"
                and "修改" in e.proto.label]  # fmt: skip
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_the_complete_backup_downloads_through_the_audited_widget(office_db, offered):
    at = open_page(PAGE, user=OFFICE_ADMIN)
    assert "python -m analytics.curation.backup restore" in at.code[0].value
    name, data = offered["data_full_backup"]
    assert name.startswith("青年干部培养完整备份_") and name.endswith(".zip") and "wang" in name
    archive = zipfile.ZipFile(io.BytesIO(data()))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"]["audit_log"] >= 1 and "accounts.parquet" in archive.namelist()
    rows = query(office_db, "SELECT actor, target FROM audit_log WHERE action = 'export'")
    assert rows == [("wang", "青年干部培养完整备份_2025-11-30.zip")]
