"""The demo opens without sign-in, and only the demo: its 数据管理 takes no upload, and a file
whose records are no longer the generated ones asks for a sign-in like any real database."""

from __future__ import annotations

from tests.app.conftest import open_page, query, visible


def test_the_demos_data_page_offers_no_upload_and_says_how_to_start_a_real_database():
    at = open_page("pages/data.py")
    assert not at.exception
    assert not at.get("file_uploader")
    [refusal] = [visible(w.value) for w in at.warning]
    assert "不能导入真实数据" in refusal
    assert "CADRE_DB=/srv/cadres.duckdb make run" in refusal
    assert "auth create <用户名> --role 管理员" in refusal
    assert at.get("download_button")  # template and backup are still there


def test_a_demo_whose_records_were_changed_asks_for_a_sign_in(own_db):
    # As an import into the demo before this release left it: the real rows are in the file.
    query(own_db, "UPDATE cadres SET name = '真实的人' WHERE cadre_id = 'Q1001'")
    at = open_page(cadre="Q1001")  # any page's address answers with the sign-in form
    assert not at.exception
    assert [t.value for t in at.title] == ["登录"]
    assert not at.header and not at.metric and not at.dataframe
    assert any("原是演示库" in w.value for w in at.warning)


def test_the_targets_editor_is_still_the_demos_to_try(own_db):
    query(own_db, "UPDATE targets SET value = 0.25 WHERE metric = 'rotation_share'")
    at = open_page()
    assert [t.value for t in at.title] == ["总览"]  # still the demo: no sign-in
