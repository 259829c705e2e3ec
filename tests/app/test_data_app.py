"""数据管理 as a data admin meets it: upload, preview, commit, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.access.auth import create_account
from analytics.store.db import connect
from tests.app.conftest import CADRE_CSV, OFFICE_ADMIN, open_page

PAGE = "pages/data.py"


def rows_in(path: Path, sql: str) -> list[tuple]:
    """Read through the app's own connection: the test process holds the file open already."""
    from ui.state import _connection

    return _connection(str(path.resolve())).cursor().execute(sql).fetchall()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def commit_buttons(at) -> list:
    """The import's commit button, if drawn (the page's other sections have buttons of theirs)."""
    return [b for b in at.main.button if b.key == "data_commit"]


def table_with(at, column: str):
    """The shown table that has this column (st.dataframe keeps no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_page_shows_freshness_template_and_backup():
    at = open_page(PAGE)
    assert not at.exception
    assert texts(at.title) == ["数据管理"]
    assert "数据截至 2025年11月30日 · 数据版本 1" in texts(at.caption)
    # The demo takes no edits: no 3. and 4. (ui.records); its change history is still shown.
    assert texts(at.main.subheader) == ["1. 下载模板", "2. 上传并预览", "导入记录",
                                        "变更记录与撤销", "备份"]  # fmt: skip
    assert "还没有导入记录。" in texts(at.caption)
    assert any("指标达成" in c for c in texts(at.caption))  # the targets editor lives there
    [link] = [e for e in at.main if getattr(e, "type", "") == "page_link"]
    assert (link.proto.page, link.proto.label) == ("quotas", "去“指标达成”页编辑年度目标")
    assert not commit_buttons(at)  # no commit button before an upload
    [rules] = [e for e in at.expander if e.label == "口径说明"]
    stated = " ".join(m.value for m in rules.markdown)
    assert "没有“参加范围”列或留空" in stated and "没有“获奖编号”列或留空" in stated


def test_upload_preview_commit_then_the_same_file_changes_nothing(office_db):
    own_db = office_db
    at = open_page(PAGE, user=OFFICE_ADMIN)
    at.file_uploader(key="data_upload").set_value(
        [("新干部.csv", CADRE_CSV.encode("gbk"), "text/csv")]
    ).run()
    assert not at.exception
    summary = table_with(at, "数据表")
    assert summary.to_dict("records") == [
        {"数据表": "青年干部", "新增": 1, "修改": 0, "未变": 0, "拒绝": 0}
    ]
    assert texts(at.success) == [
        "校验通过：新增 1 行，修改 0 行，未变 0 行。确认后将在一个事务中全部写入。"
    ]

    at.button(key="data_commit").click().run()
    assert not at.exception
    assert texts(at.success)[0].startswith("导入成功（第 1 次导入）：新增 1 行")
    assert rows_in(
        own_db, "SELECT name, join_date::VARCHAR FROM cadres WHERE cadre_id = 'Q9001'"
    ) == [("新同志", "2025-11-03")]
    # The file is still selected: the preview now says it would change nothing.
    assert "上传的数据与数据库完全一致，无需写入（重复上传同一文件不会改变任何数据）。" in texts(
        at.info
    )
    assert any(c.startswith("同一文件已于") for c in texts(at.caption))
    assert not commit_buttons(at)
    history = table_with(at, "操作人")
    assert history.iloc[0]["文件"] == "新干部.csv"
    assert history.iloc[0]["操作人"] == "王某（wang）"  # the signed-in user
    assert history.iloc[0]["新增"] == 1
    assert "数据截至 2025年11月30日 · 数据版本 2" in texts(at.caption)


def test_errors_block_the_commit_and_are_listed_with_row_column_and_value(office_db):
    own_db = office_db
    bad = (
        "活动编号,工号,角色,出勤,计入学时\n"
        "HD-NOPE,Q1001,参加,出席,2\n"
        "<script>alert(1)</script>,Q1001,主持,出席,=1+1\n"
    )
    at = open_page(PAGE, user=OFFICE_ADMIN)
    before = rows_in(own_db, "SELECT count(*) FROM attendance")
    at.file_uploader(key="data_upload").set_value([("出勤.csv", bad.encode(), "text/csv")]).run()
    assert not at.exception
    assert texts(at.error) == [
        "发现 4 处问题，本次不会写入任何数据。请按问题清单修改表格后重新上传。"
    ]
    problems = table_with(at, "问题")
    # The same problem on several rows is one line, with the rows and the values it concerns.
    assert problems[["行号", "列", "值"]].values.tolist() == [
        ["2–3", "活动编号", "HD-NOPE、<script>alert(1)</script>"],
        ["3", "角色", "主持"],
        ["3", "计入学时", "=1+1"],
    ]
    assert problems.loc[1, "问题"] == "不是可选值，应为：参加、主讲、列席。"
    [marked] = [b for b in at.get("download_button") if b.proto.label.startswith("下载问题标注")]
    assert not commit_buttons(at)  # nothing to click: fix the sheet and upload again
    summary = table_with(at, "数据表")
    assert summary.loc[0, "拒绝"] == 2
    assert rows_in(own_db, "SELECT count(*) FROM attendance") == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("空.csv", b"", "文件是空的"),
        ("伪装.xlsx", b"not a workbook at all" * 20, "不是有效的 Excel"),
        ("说明.csv", "序号,名称\n1,笔\n".encode(), "无法识别表头"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained(office_db, name, content, expected):
    at = open_page(PAGE, user=OFFICE_ADMIN)
    at.file_uploader(key="data_upload").set_value(
        [(name, content, "application/octet-stream")]
    ).run()
    assert not at.exception
    problems = table_with(at, "问题")
    assert len(problems) == 1 and expected in problems.loc[0, "问题"]
    assert not commit_buttons(at)


@pytest.mark.parametrize(
    ("importer_mb", "shown", "widget_mb"),
    [("50", "20 MB", 20), ("0.01", "10.2 KB", 1)],  # the server's 20 MB, or the importer's
)
def test_the_upload_limit_is_the_smaller_one_and_a_bigger_file_is_refused_naming_it(
    office_db, monkeypatch, importer_mb, shown, widget_mb
):
    monkeypatch.setenv("CADRE_MAX_UPLOAD_MB", importer_mb)
    at = open_page(PAGE, user=OFFICE_ADMIN)
    uploader = at.file_uploader(key="data_upload")
    assert (
        uploader.label
        == f"选择一个或多个 Excel（.xlsx、.xls）或 CSV 文件（单个文件不超过 {shown}）"
    )
    assert uploader.proto.max_upload_size_mb == widget_mb  # what the browser refuses above
    if widget_mb == 1:  # a file the browser lets through (10.2 KB < it < 1 MB): ours says no
        uploader.set_value([("出勤.csv", b"a" * 20_000, "text/csv")]).run()
        problems = table_with(at, "问题")
        assert problems["问题"].tolist() == [
            "文件大小 19.5 KB，超过上限 10.2 KB，未读取。请把表格按年度或按工作表拆成几个文件"
            "（每个不超过 10.2 KB），分别上传。"
        ]
        assert not commit_buttons(at)


def test_an_empty_database_is_filled_from_a_backup(demo_con, tmp_path, monkeypatch):
    from analytics.dataio.templates import backup_xlsx

    backup = backup_xlsx(demo_con)
    empty = tmp_path / "empty.duckdb"
    monkeypatch.setenv("CADRE_DB", str(empty))
    # Not the demo database: a 管理员 account (made on the command line) signs in first.
    con = connect(empty)
    create_account(con, "admin", "correct-horse-9", "管理员")
    con.close()
    at = open_page()
    at.text_input(key="sign_in_username").input("admin")
    at.text_input(key="sign_in_password").input("correct-horse-9")
    at.button[0].click().run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "数据库中还没有记录。请下载模板、填写后上传。" in texts(at.info)
    at.file_uploader(key="data_upload").set_value(
        [("备份.xlsx", backup, "application/octet-stream")]
    ).run()
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert rows_in(empty, "SELECT count(*) FROM cadres") == [(86,)]
    assert any(c.startswith("数据截至 2025年11月30日") for c in texts(at.sidebar.caption))


def test_a_reupload_shows_each_changed_field_and_keeps_blank_cells(office_db):
    """The demo's Q1001 re-uploaded by hand: 处室 changed, 出生日期 and 职级 left blank."""
    own_db = office_db
    stored = rows_in(own_db, "SELECT birth_date, rank, division FROM cadres WHERE cadre_id='Q1001'")
    roster = (
        "职工号,姓名,性别,出生日期,处室,学习小组,职级,政治面貌,入职日期,调离日期,备注\n"
        "Q1001,{name},{gender},,综合处,{group},,{status},{joined},,调整处室\n"
    )
    (name, gender, group, status, joined), = rows_in(
        own_db, "SELECT name, gender, study_group, political_status, join_date::VARCHAR "
        "FROM cadres WHERE cadre_id = 'Q1001'",
    )  # fmt: skip
    csv = roster.format(name=name, gender=gender, group=group, status=status, joined=joined)
    at = open_page(PAGE, user=OFFICE_ADMIN)
    at.file_uploader(key="data_upload").set_value([("名册.csv", csv.encode(), "text/csv")]).run()
    assert not at.exception
    assert table_with(at, "未读取").iloc[0]["未读取"] == "模板外的列：备注"
    changes = table_with(at, "原值")
    assert changes.values.tolist() == [["青年干部", "Q1001", "处室", stored[0][2], "综合处"]]
    at.button(key="data_commit").click().run()
    assert rows_in(
        own_db, "SELECT birth_date, rank, division FROM cadres WHERE cadre_id='Q1001'"
    ) == [(stored[0][0], stored[0][1], "综合处")]
