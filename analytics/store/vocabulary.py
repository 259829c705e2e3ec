"""What an office's hand-kept sheets call things, beside the models that name them properly.

Two tables, each the one home of its rule:

- `HEADER_SYNONYMS`: other headers a sheet may carry for a template header (职工号 → 工号). A
  synonym counts only for a record type that has the template header, so 活动日期 → 日期 serves
  both 活动 and 竞赛获奖 and 小组 means nothing on a sheet without a 学习小组 column.
- `VALUE_SYNONYMS`: other spellings of a dropdown value (已出席 → 出席, 党员 → 中共党员). A
  synonym applies to a field only when the value it stands for is one of that field's options
  and the cell is not already a valid option, so 出勤 "参加" is 出席 while 角色 "参加" stays 参加.

Both are compared after NFKC folding, without spaces; the template's 填写说明 lists them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "工号": ("职工号", "人员编号", "员工编号", "干部编号", "人员工号", "干部工号", "编号(工号)"),
    "姓名": ("干部姓名", "人员姓名", "名字"),
    "性别": ("性 别",),
    "出生日期": ("出生年月日", "出生年月", "出生时间", "生日"),
    "处室": ("所在处室", "处(室)", "部门", "所在部门"),
    "学习小组": ("理论学习小组", "所在小组", "小组"),
    "职级": ("职务职级", "现职级", "职务"),
    "政治面貌": ("政治 面貌",),
    "入职日期": ("入职时间", "到岗日期", "到岗时间", "调入日期", "调入时间"),
    "调离日期": ("调离时间", "调出日期", "调出时间", "离岗日期", "离职日期"),
    "活动编号": ("活动代码", "活动序号", "活动id"),
    "活动名称": ("活动标题", "活动内容"),
    "日期": ("活动日期", "活动时间", "举办日期", "获奖日期", "时间"),
    "学时": ("课时", "学时数"),
    "主讲/导师": ("主讲", "主讲人", "导师", "主讲导师", "主讲(导师)"),
    "计入学时": ("认定学时", "获得学时", "计入课时"),
    "出勤": ("出勤情况", "考勤", "出席情况", "是否出席"),
    "角色": ("参加角色", "身份"),
    "提交日期": ("报送日期", "提交时间"),
    "完成日期": ("培训日期", "结业日期", "完成时间"),
    "课程": ("课程名称", "培训课程", "培训名称"),
    "方式": ("培训方式", "学习方式"),
    "导师姓名": ("导师",),
    "开始日期": ("开始时间", "起始日期"),
    "结束日期": ("结束时间", "截止日期"),
}

VALUE_SYNONYMS: dict[str, tuple[str, ...]] = {
    # 出勤
    "出席": ("已出席", "参加", "已参加", "出勤", "到会", "已到", "参会", "√", "✓", "✔"),
    "请假": ("已请假", "事假", "病假", "公假", "假"),
    "缺席": ("未出席", "未参加", "缺勤", "未到", "旷课", "×", "✗", "✘"),
    # 性别
    "男": ("男性", "男士", "M"),
    "女": ("女性", "女士", "F"),
    # 政治面貌
    "中共党员": ("党员", "共产党员", "中国共产党党员", "正式党员"),
    "中共预备党员": ("预备党员",),
    "共青团员": ("团员", "共青团"),
    "群众": ("普通群众",),
    # 角色
    "主讲": ("主讲人", "领学"),
    "列席": ("列席代表",),
    # 类别 (三课)
    "理论学习": ("基础课",),
    "党性教育": ("终身课",),
    "实践锻炼": ("必修课",),
    # 方式
    "线上": ("在线", "网络", "网上"),
    "线下": ("现场", "面授"),
    # 级别, 奖项
    "市直机关": ("市直",),
    "国家级": ("全国", "国家"),
    "一等奖": ("一等",),
    "二等奖": ("二等",),
    "三等奖": ("三等",),
    "优秀奖": ("优秀",),
    # 考核结果
    "提交": ("已提交", "已交"),
    "未提交": ("未交",),
}


def folded(value: object) -> str:
    """A header or value as compared: NFKC (full-width folded) and no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def value_lookup(options: Iterable[str]) -> dict[str, str]:
    """For one field's options: each synonym (folded) → the option it stands for."""
    allowed = tuple(options)
    lookup: dict[str, str] = {}
    for option in allowed:
        lookup[folded(option)] = option
        for synonym in VALUE_SYNONYMS.get(option, ()):
            key = folded(synonym)
            if key not in {folded(o) for o in allowed}:
                lookup.setdefault(key, option)
    return lookup


def header_lookup(headers: Iterable[str]) -> dict[str, str]:
    """For one record type's headers: each header and synonym (folded) → the template header."""
    names = tuple(headers)
    lookup = {folded(h): h for h in names}
    for header in names:
        for synonym in HEADER_SYNONYMS.get(header, ()):
            lookup.setdefault(folded(synonym), header)
    return lookup
