"""The import template's shape, and the backup round trip (table by table)."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest

from analytics.dataio.checks import headers_of
from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from analytics.dataio.templates import backup_xlsx, template_xlsx
from analytics.store.db import TABLE_ORDER, create_schema
from analytics.store.models import RECORD_TYPES, enumerations


@pytest.fixture(scope="module")
def template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_xlsx()))


def test_template_has_instructions_then_one_sheet_per_table_with_the_chinese_headers(template):
    assert template.sheetnames == ["填写说明", *(m.sheet for m in RECORD_TYPES)]
    for model in RECORD_TYPES:
        sheet = template[model.sheet]
        assert [c.value for c in sheet[1]] == headers_of(model)
        assert sheet.max_row == 1  # headers only
    assert [c.value for c in template["出勤"][1]] == [
        "活动编号",
        "工号",
        "角色",
        "出勤",
        "计入学时",
    ]


def test_template_offers_each_enumeration_as_a_dropdown(template):
    for model in RECORD_TYPES:
        sheet = template[model.sheet]
        headers = headers_of(model)
        lists = {}
        for validation in sheet.data_validations.dataValidation:
            column = str(validation.sqref).split(":")[0].rstrip("0123456789")
            index = openpyxl.utils.column_index_from_string(column) - 1
            # Excel's default error style, "stop" (refuse the value), is written as no attribute.
            lists[headers[index]] = (validation.formula1, validation.errorStyle or "stop")
        expected = {
            model.model_fields[name].alias: ('"' + ",".join(options) + '"', "stop")
            for name, options in enumerations(model).items()
        }
        if model.table == "targets":  # 指标 suggests the quota codes but allows points:…
            assert lists.pop("指标")[1] == "information"
        assert lists == expected, model.sheet
    gender = [v for v in template["青年干部"].data_validations.dataValidation]
    assert any(v.formula1 == '"男,女"' for v in gender)


def test_instructions_explain_every_column(template):
    rows = list(template["填写说明"].iter_rows(values_only=True))
    described = {(r[0], r[1]) for r in rows if r[0] and r[1]}
    for model in RECORD_TYPES:
        for header in headers_of(model):
            assert (model.sheet, header) in described
    attendance_status = next(r for r in rows if r[:2] == ("出勤", "出勤"))
    assert attendance_status[2:5] == ("是", None, "下拉选项")
    assert attendance_status[5].startswith("出席、请假、缺席；其他写法：已出席→出席、参加→出席")
    assert "√→出席" in attendance_status[5]
    cadre_id = next(r for r in rows if r[:2] == ("青年干部", "工号"))
    assert cadre_id[6].startswith("职工号、人员编号")
    assert any("工号必须已在“青年干部”表中" in (r[0] or "") for r in rows)
    assert any(r[0] and r[0].startswith("9. 重新上传") and "（清空）" in r[0] for r in rows)


def test_instructions_say_which_columns_may_be_left_out_and_what_is_derived(template):
    rows = list(template["填写说明"].iter_rows(values_only=True))
    required = {(r[0], r[1]) for r in rows if r[0] and r[1] and r[2] == "是"}
    # The template's two columns PRODUCT.md does not have are not required …
    assert ("活动", "参加范围") not in required and ("竞赛获奖", "获奖编号") not in required
    assert ("活动", "形式") in required and ("竞赛获奖", "获奖人工号") in required
    # … and the instructions say how they are filled when left out.
    rules = [r[0] for r in rows if r[0] and not r[1]]
    assert any("没有“参加范围”列或留空" in r and "“座谈交流”" in r and "“列席旁听”" in r
               for r in rules)  # fmt: skip
    assert any("没有“获奖编号”列或留空" in r and "再次导入同一条获奖" in r for r in rules)


def test_the_empty_template_imports_as_no_data():
    con = duckdb.connect()
    create_schema(con)
    plan = prepare_import(con, [("模板.xlsx", template_xlsx())])
    assert [p.message for p in plan.problems] == ["没有找到数据行（表头下方是空的）。"]


# ----- backup round trip ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(demo_con):
    """The demo database, its backup, and that backup imported into an empty database."""
    source = demo_con
    backup = backup_xlsx(source)
    restored = duckdb.connect()
    create_schema(restored)
    plan = prepare_import(restored, [("备份.xlsx", backup)])
    assert plan.problems == []
    commit_import(restored, plan, who="测试")
    yield source, restored, backup, plan


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_importing_the_backup_into_an_empty_database_gives_back_the_same_rows(round_trip, table):
    source, restored, _, _ = round_trip
    original = source.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    assert original, f"the demo has {table} rows"
    assert restored.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == original


def test_the_backup_reads_as_all_new_then_all_unchanged(round_trip):
    source, restored, backup, plan = round_trip
    assert all(c["new"] > 0 and c["changed"] == c["rejected"] == 0 for c in plan.counts().values())
    again = prepare_import(restored, [("备份.xlsx", backup)])
    assert again.ok and not again.has_changes
    # And against the database it came from, too: nothing is lost or altered on the way out.
    assert not prepare_import(source, [("备份.xlsx", backup)]).has_changes


def test_backup_lists_report_co_authors_and_award_winners_in_one_cell(round_trip):
    source, _, backup, _ = round_trip
    book = openpyxl.load_workbook(io.BytesIO(backup))
    awards = list(book["竞赛获奖"].iter_rows(values_only=True))
    header = awards[0]
    winners_by_award = {row[0]: row[header.index("获奖人工号")] for row in awards[1:]}
    expected = {}
    for award_id, cadre_id in source.execute(
        "SELECT award_id, cadre_id FROM award_winners ORDER BY 1, 2"
    ).fetchall():
        expected[award_id] = (
            f"{expected[award_id]}、{cadre_id}" if award_id in expected else cadre_id
        )
    assert winners_by_award == expected
