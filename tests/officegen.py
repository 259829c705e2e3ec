"""Generated offices for the tests: whole offices, seeded, that differ the ways real ones do.

`office(seed)` draws one office. Each seed switches on one feature of FEATURES for certain
(seed % len(FEATURES)) and others at random: no study groups or up to twelve, a division of
one person, every activity office-wide, no 研学 / 座谈交流 / 列席, quarters with nothing at
all, cadres joining and leaving mid-quarter, a single cadre, one year of data only, an as-of
date on a quarter's last day, outputs without co-authors, team awards, optional columns left
empty or left out of the sheets, targets of the office's own.

The office is written as the office keeps it: one XLSX workbook whose sheets carry PRODUCT.md's
data-model headers and no other column (`workbook`), and it enters a database only through the
importer (`import_office`), the way users' data does. Nothing here imports the app's models or
the demo generator: the headers are PRODUCT.md's, written out below.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from analytics.store.db import connect

D = dt.date

# PRODUCT.md, "Data model": the template headers of every table, and nothing else.
PRODUCT_HEADERS: dict[str, list[str]] = {
    "cadres": ["工号", "姓名", "性别", "出生日期", "处室", "学习小组", "职级", "政治面貌",
               "入职日期", "调离日期"],
    "activities": ["活动编号", "活动名称", "类别", "形式", "主题", "批次", "组织小组", "日期",
                   "学时", "主讲/导师"],
    "attendance": ["活动编号", "工号", "角色", "出勤", "计入学时"],
    "reports": ["成果编号", "题目", "类型", "来源", "主题", "提交日期", "执笔人工号", "参与人工号",
                "评价", "成效", "刊发载体"],
    "awards": ["比赛名称", "主办单位", "级别", "日期", "组别", "奖项", "作品", "获奖人工号"],
    "assessments": ["工号", "期间", "类型", "结果", "分数"],
    "assignments": ["工号", "类型", "去向单位", "开始日期", "结束日期"],
    "training": ["工号", "课程", "类别", "学时", "完成日期", "方式"],
    "mentorships": ["工号", "导师姓名", "导师类型", "开始日期", "结束日期"],
    "group_mentors": ["学习小组", "月份", "轮值导师"],
    "targets": ["指标", "年度", "目标值"],
}  # fmt: skip
# The sheet names an office might give them (the importer goes by the headers).
SHEET_NAMES = {
    "cadres": "青年干部名册", "activities": "活动台账", "attendance": "出勤登记",
    "reports": "调研成果", "awards": "竞赛获奖", "assessments": "考核", "assignments": "轮岗挂职",
    "training": "专业培训", "mentorships": "导师结对", "group_mentors": "导师轮值",
    "targets": "年度目标",
}  # fmt: skip
# Columns no figure needs: left empty ("blank_optional") or left out ("dropped_optional").
OPTIONAL: dict[str, tuple[str, ...]] = {
    "cadres": ("性别", "出生日期", "职级", "政治面貌"),
    "activities": ("主题", "批次", "主讲/导师"),
    "reports": ("主题", "评价", "成效", "刊发载体"),
    "awards": ("主办单位", "组别", "作品"),
    "assessments": ("分数",),
    "assignments": ("去向单位",),
    "training": ("类别", "方式"),
}

FEATURES: tuple[str, ...] = (
    "no_groups", "many_groups", "one_person_division", "office_wide_only", "no_research",
    "no_discussion", "no_council", "empty_quarter", "mid_quarter_moves", "one_cadre",
    "one_year", "quarter_end_as_of", "no_co_authors", "team_awards", "blank_optional",
    "dropped_optional", "own_targets",
)  # fmt: skip
_EXCLUSIVE = {("no_groups", "many_groups"), ("blank_optional", "dropped_optional")}

# How many offices a run takes: a CI sample, or with CADRE_OFFICES_FULL=1 every FULL_SEEDS
# office under every filter; CADRE_OFFICES_SEEDS ("41", "0-33", "3,9,41") names them instead.
FULL = os.environ.get("CADRE_OFFICES_FULL") == "1"
FULL_SEEDS: tuple[int, ...] = tuple(range(0, 2 * len(FEATURES)))


def chosen_seeds(ci: tuple[int, ...]) -> tuple[int, ...]:
    """The seeds to run: CADRE_OFFICES_SEEDS if set, else FULL_SEEDS when FULL, else `ci`."""
    text = os.environ.get("CADRE_OFFICES_SEEDS")
    if not text:
        return FULL_SEEDS if FULL else ci
    seeds: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds += range(int(first), int(last or first) + 1)
    return tuple(seeds)


GROUP_NAMES = ("第一学习小组", "第二学习小组", "第三学习小组", "第四学习小组", "第五学习小组",
               "第六学习小组", "第七学习小组", "第八学习小组", "第九学习小组", "第十学习小组",
               "第十一学习小组", "第十二学习小组")  # fmt: skip
DIVISION_NAMES = ("秘书处", "综合处", "督查室", "法规科", "信息科", "接待办", "后勤中心")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = ("明", "华", "静", "磊", "婷", "涛", "敏", "杰", "丽", "强", "颖", "超", "洁", "鹏")
HEADS = ("许处长", "陈处长", "林处长", "郭处长", "何处长")
ROSTER = ("座谈交流", "列席旁听", "基层实践", "青年干部座谈会")
CATEGORY = {
    "导师领学": "理论学习", "研学活动": "理论学习", "座谈交流": "理论学习",
    "列席旁听": "理论学习", "理论学习日": "理论学习", "青年干部座谈会": "理论学习",
    "培训班": "党性教育", "红色教育": "党性教育", "警示教育": "党性教育",
    "专题学习": "党性教育", "基层实践": "实践锻炼", "专题讲座": "实践锻炼",
}  # fmt: skip


@dataclass
class Office:
    """One generated office: its sheets (rows keyed by PRODUCT.md header) and the facts the
    tests reason with."""

    seed: int
    features: frozenset[str]
    as_of: dt.date
    years: tuple[int, ...]
    groups: tuple[str, ...]
    divisions: tuple[str, ...]
    empty_quarters: frozenset[tuple[int, int]]
    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # rows by table
    columns: dict[str, list[str]] = field(default_factory=dict)  # each sheet's headers
    first_day: dt.date = dt.date.max  # the earliest dated record: where the data begin

    @property
    def cadre_ids(self) -> list[str]:
        return [str(r["工号"]) for r in self.sheets["cadres"]]

    def members(self, group: str) -> list[str]:
        """The 工号 of the group's cadres (in post or not)."""
        return [str(r["工号"]) for r in self.sheets["cadres"] if r["学习小组"] == group]

    @property
    def has_ungrouped(self) -> bool:
        """Whether some cadre belongs to no study group."""
        return any(not r["学习小组"] for r in self.sheets["cadres"])

    def __repr__(self) -> str:  # what a failing test names
        return f"office({self.seed}: {', '.join(sorted(self.features))})"


def features_for(seed: int) -> frozenset[str]:
    """The seed's features: FEATURES[seed % n] for certain, the others with chance 1/4."""
    rng = random.Random(seed * 7919 + 17)
    chosen = {FEATURES[seed % len(FEATURES)]}
    for name in FEATURES:
        if rng.random() < 0.25:
            chosen.add(name)
    for a, b in _EXCLUSIVE:
        if a in chosen and b in chosen:
            chosen.discard(b if FEATURES[seed % len(FEATURES)] == a else a)
    return frozenset(chosen)


def office(seed: int) -> Office:
    """The office of `seed` (deterministic)."""
    return _Builder(seed).build()


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.has = features_for(seed)

    # ----- the office's shape -----
    def build(self) -> Office:
        rng, has = self.rng, self.has
        year = rng.choice((2024, 2025, 2025, 2026))
        if "quarter_end_as_of" in has:
            q = rng.randint(1, 4)
            as_of = _quarter_end(year, q)
        else:
            as_of = D(year, rng.randint(2, 12), rng.randint(1, 28))
        years = (year,) if "one_year" in has else (year - 1, year)
        # Quarters that may be left empty: begun, and not the as-of date's own (see activities).
        quarters = [(y, q) for y in years for q in range(1, 5)
                    if _quarter_start(y, q) <= as_of and not _quarter_start(y, q) <= as_of
                    <= _quarter_end(y, q)]  # fmt: skip
        empty = set()
        if "empty_quarter" in has and quarters:
            empty = set(rng.sample(quarters, k=min(len(quarters), rng.randint(1, 2))))
        n_groups = 0 if "no_groups" in has else (
            rng.randint(7, 12) if "many_groups" in has else rng.randint(1, 4))  # fmt: skip
        o = Office(
            seed=self.seed, features=has, as_of=as_of, years=years,
            groups=GROUP_NAMES[:n_groups], divisions=(), empty_quarters=frozenset(empty),
        )  # fmt: skip
        self.o = o
        self.cadres()
        self.activities()
        self.reports()
        self.awards()
        self.assessments()
        self.assignments()
        self.training()
        self.mentorships()
        self.group_mentors()
        self.targets()
        self.shape_columns()
        # What the office turned out to be: an empty quarter needs one to have begun, a team
        # more than one cadre.
        dropped = {"empty_quarter"} if not o.empty_quarters else set()
        if len(o.sheets["cadres"]) == 1:
            dropped.add("team_awards")
        o.features = frozenset(has - dropped)
        return o

    def blank(self, value: Any) -> Any:
        """An optional cell: empty when the office leaves optional columns empty."""
        return None if "blank_optional" in self.has else value

    def day(self, value: dt.date) -> Any:
        """A date as this office types it: a date cell, or one of the usual spellings."""
        style = self.seed % 4
        if style == 0:
            return value
        if style == 1:
            return f"{value.year}/{value.month}/{value.day}"
        if style == 2:
            return f"{value.year}年{value.month}月{value.day}日"
        return value.isoformat()

    def record_day(self, value: dt.date) -> Any:
        """A dated record's date (activities, outputs, awards, training): the data begin at
        the earliest of them."""
        self.o.first_day = min(self.o.first_day, value)
        return self.day(value)

    def in_post(self, day: dt.date, group: str | None = None) -> list[dict[str, Any]]:
        return [
            c for c in self.o.sheets["cadres"]
            if c["_join"] <= day and (c["_leave"] is None or c["_leave"] >= day)
            and (group is None or c["学习小组"] == group)
        ]  # fmt: skip

    def cadres(self) -> None:
        rng, o = self.rng, self.o
        n = 1 if "one_cadre" in self.has else rng.randint(4, 40)
        k = rng.randint(1, min(n, 4))
        divisions = list(DIVISION_NAMES[:k])
        if "one_person_division" in self.has and n > 1:
            divisions.append("督查处")  # its only member is the last cadre
        o.divisions = tuple(divisions)
        first = D(o.years[0], 1, 1)
        rows = []
        for i in range(n):
            join = first - dt.timedelta(days=rng.randint(30, 2000))
            leave = None
            if "mid_quarter_moves" in self.has and rng.random() < 0.3:
                span = (o.as_of - first).days
                moved = first + dt.timedelta(days=rng.randint(10, max(11, span - 10)))
                if rng.random() < 0.5:
                    join = moved  # joins mid-quarter
                else:
                    leave = moved  # leaves mid-quarter
            division = divisions[-1] if i == n - 1 and "one_person_division" in self.has else (
                divisions[i % k])  # fmt: skip
            group = None
            if o.groups and rng.random() > 0.1:
                group = o.groups[i % len(o.groups)]
            cid: Any = str(2001 + i)
            if self.seed % 3 == 0:
                cid = 2001 + i  # typed as a number in Excel
            rows.append({
                "工号": cid, "姓名": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "性别": self.blank(rng.choice("男女")),
                "出生日期": self.blank(self.day(D(rng.randint(1985, 2001), rng.randint(1, 12), 9))),
                "处室": division, "学习小组": group,
                "职级": self.blank(rng.choice(("一级科员", "四级主任科员", "二级主任科员"))),
                "政治面貌": self.blank(rng.choice(("中共党员", "共青团员", "群众"))),
                "入职日期": self.day(join), "调离日期": self.day(leave) if leave else None,
                "_join": join, "_leave": leave, "_id": str(cid),
            })  # fmt: skip
        o.sheets["cadres"] = rows

    def periods(self) -> list[tuple[int, int]]:
        """Every (year, month) up to the as-of date outside an empty quarter."""
        o = self.o
        out = []
        for y in o.years:
            for m in range(1, 13):
                if D(y, m, 1) > o.as_of or (y, (m - 1) // 3 + 1) in o.empty_quarters:
                    continue
                out.append((y, m))
        return out

    def date_in(self, y: int, m: int) -> dt.date:
        last = min(_month_end(y, m), self.o.as_of)
        return D(y, m, self.rng.randint(1, last.day))

    def activities(self) -> None:
        rng, o, has = self.rng, self.o, self.has
        forms = list(CATEGORY)
        for name, form in (("no_research", "研学活动"), ("no_discussion", "座谈交流"),
                           ("no_council", "列席旁听")):  # fmt: skip
            if name in has:
                forms.remove(form)
        acts, attendance = [], []
        for y, m in self.periods():
            for _ in range(rng.randint(1, 3)):
                form = rng.choice(forms)
                day = self.date_in(y, m)
                group = None
                if o.groups and "office_wide_only" not in has and form in ("导师领学", "研学活动"):
                    group = rng.choice(o.groups)
                aid = f"HD{y}{m:02d}{len(acts):03d}"
                hours = rng.choice((1, 2, 2.5, 3, 4))
                acts.append({
                    "活动编号": aid, "活动名称": f"{form}（{y}年{m}月）", "类别": CATEGORY[form],
                    "形式": form, "主题": self.blank(rng.choice(("新质生产力", "基层治理", "党纪学习"))),
                    "批次": self.blank(f"第{'一二'[m > 6]}批") if form == "研学活动" else None,
                    "组织小组": group, "日期": self.record_day(day), "学时": hours,
                    "主讲/导师": self.blank(rng.choice(HEADS)),
                })  # fmt: skip
                if form in ROSTER or form == "列席旁听":
                    people = self.in_post(day)
                    picked = rng.sample(people, k=min(len(people), rng.randint(1, 6)))
                    role = "列席" if form == "列席旁听" else "参加"
                    for c in picked:
                        status = rng.choices(("出席", "请假"), (9, 1))[0]
                        attendance.append(self.presence(aid, c, role, status, hours))
                else:
                    for c in self.in_post(day, group):
                        if rng.random() < 0.12:
                            continue  # no row: 未登记
                        status = rng.choices(("出席", "请假", "缺席"), (8, 1, 1))[0]
                        attendance.append(self.presence(aid, c, "参加", status, hours))
        # The pages read the as-of date from the data: a session on the day makes it o.as_of.
        acts.append({
            "活动编号": "HD-LAST", "活动名称": "专题学习（截至日）", "类别": "党性教育", "形式": "专题学习",
            "主题": None, "批次": None, "组织小组": None, "日期": self.record_day(o.as_of), "学时": 1,
            "主讲/导师": None,
        })  # fmt: skip
        for c in self.in_post(o.as_of):
            attendance.append(self.presence("HD-LAST", c, "参加", "出席", 1))
        o.sheets["activities"] = acts
        o.sheets["attendance"] = attendance

    def presence(self, aid: str, c: dict[str, Any], role: str, status: str, hours: float):
        return {"活动编号": aid, "工号": c["工号"], "角色": role, "出勤": status,
                "计入学时": hours if status == "出席" else 0}  # fmt: skip

    def quarters(self) -> list[tuple[int, int]]:
        return sorted({(y, (m - 1) // 3 + 1) for y, m in self.periods()})

    def someone(self, day: dt.date) -> list[dict[str, Any]]:
        return self.in_post(day) or self.o.sheets["cadres"][:1]

    def reports(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for y, q in self.quarters():
            for _ in range(rng.randint(0, 3)):
                m = rng.randint(3 * q - 2, 3 * q)
                if D(y, m, 1) > o.as_of:
                    continue
                day = self.date_in(y, m)
                people = self.someone(day)
                lead = rng.choice(people)
                others = [c for c in people if c is not lead]
                co = [] if "no_co_authors" in self.has else rng.sample(
                    others, k=min(len(others), rng.randint(0, 2)))  # fmt: skip
                rows.append({
                    "成果编号": f"CG{y}{len(rows):03d}", "题目": f"关于{rng.choice(('营商环境', '政务服务', '乡村振兴'))}的调研",
                    "类型": rng.choice(("调研报告", "调研文章", "心得体会", "改革建议")),
                    "来源": rng.choice(("产业观察", "回乡见闻", "专题调研")),
                    "主题": self.blank(rng.choice(("发展", "民生"))), "提交日期": self.record_day(day),
                    "执笔人工号": lead["工号"], "参与人工号": "、".join(c["_id"] for c in co) or None,
                    "评价": self.blank(rng.choice(("优秀", "良好", "合格", None))),
                    "成效": self.blank(rng.choice(("领导批示", "采纳", "刊发", None))),
                    "刊发载体": self.blank(rng.choice(("《岛城先锋》", None))),
                })  # fmt: skip
        o.sheets["reports"] = rows

    def awards(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for y, q in self.quarters():
            if rng.random() < 0.4:
                continue
            m = rng.randint(3 * q - 2, 3 * q)
            if D(y, m, 1) > o.as_of:
                continue
            day = self.date_in(y, m)
            people = self.someone(day)
            for k in range(rng.randint(1, 2)):
                size = rng.randint(2, 4) if "team_awards" in self.has else 1
                team = rng.sample(people, k=min(len(people), size))
                rows.append({
                    "比赛名称": f"第{len(rows) + 1}届青年宣讲比赛", "主办单位": self.blank("市直机关工委"),
                    "级别": rng.choice(("市直机关", "市级", "省级")), "日期": self.record_day(day),
                    "组别": self.blank(rng.choice(("理论组", "演艺组"))),
                    "奖项": ("一等奖", "二等奖", "优异成绩")[k % 3],
                    "作品": self.blank(f"《作品{len(rows) + 1}》"),
                    "获奖人工号": "、".join(c["_id"] for c in team),
                })  # fmt: skip
        o.sheets["awards"] = rows

    def assessments(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for y in o.years:
            for q in range(1, 5):
                end = _quarter_end(y, q)
                if end > o.as_of:
                    continue
                for c in self.in_post(end):
                    if rng.random() < 0.2:
                        continue
                    rows.append({"工号": c["工号"], "期间": f"{y}Q{q}", "类型": "政治能力提升报告",
                                 "结果": rng.choice(("提交", "提交", "未提交")),
                                 "分数": self.blank(rng.randint(60, 98))})  # fmt: skip
        o.sheets["assessments"] = rows

    def assignments(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for c in o.sheets["cadres"]:
            if rng.random() > 0.3:
                continue
            start = max(c["_join"], D(o.years[0], 1, 1) - dt.timedelta(days=60))
            start += dt.timedelta(days=rng.randint(0, 300))
            if start > o.as_of:
                continue
            end = start + dt.timedelta(days=rng.randint(30, 200))
            rows.append({"工号": c["工号"], "类型": rng.choice(("跨处室轮岗", "专项工作", "挂职")),
                         "去向单位": self.blank("市信访局"), "开始日期": self.day(start),
                         "结束日期": None if end > o.as_of else self.day(end)})  # fmt: skip
        o.sheets["assignments"] = rows

    def training(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for c in o.sheets["cadres"]:
            for y in o.years:
                for k in range(rng.randint(0, 4)):
                    m = rng.randint(1, 12)
                    day = D(y, m, rng.randint(1, 28))
                    if day > o.as_of or day < c["_join"] or (c["_leave"] and day > c["_leave"]):
                        continue
                    rows.append({"工号": c["工号"], "课程": f"微课程{y}-{k}",
                                 "类别": self.blank(rng.choice(("公文写作", "应急处突"))),
                                 "学时": rng.choice((2, 4, 6, 8, 12)), "完成日期": self.record_day(day),
                                 "方式": self.blank(rng.choice(("线上", "线下")))})  # fmt: skip
        o.sheets["training"] = rows

    def mentorships(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for c in o.sheets["cadres"]:
            for kind, chance in (("业务导师", 0.6), ("写作导师", 0.45)):
                if rng.random() < chance:
                    start = c["_join"] + dt.timedelta(days=rng.randint(0, 400))
                    if start <= o.as_of:
                        rows.append({"工号": c["工号"], "导师姓名": rng.choice(HEADS),
                                     "导师类型": kind, "开始日期": self.day(start),
                                     "结束日期": None})  # fmt: skip
        o.sheets["mentorships"] = rows

    def group_mentors(self) -> None:
        rng, o = self.rng, self.o
        rows = []
        for y, m in self.periods():
            for group in o.groups:
                if rng.random() < 0.85:
                    rows.append({"学习小组": group, "月份": f"{y}-{m:02d}",
                                 "轮值导师": rng.choice(HEADS)})  # fmt: skip
        o.sheets["group_mentors"] = rows

    def targets(self) -> None:
        rows = []
        if "own_targets" in self.has:
            year = self.o.years[-1]
            rows = [{"指标": "rotation_share", "年度": year, "目标值": 0.25},
                    {"指标": "training_hours_per_cadre", "年度": year, "目标值": 40},
                    {"指标": "points:prize:一等奖", "年度": year, "目标值": 6}]  # fmt: skip
        self.o.sheets["targets"] = rows

    def shape_columns(self) -> None:
        """Only PRODUCT.md's headers; without the optional ones when the office drops them."""
        dropped = "dropped_optional" in self.has
        for table in PRODUCT_HEADERS:
            self.o.columns[table] = [
                h for h in PRODUCT_HEADERS[table] if not (dropped and h in OPTIONAL.get(table, ()))
            ]


def workbook(office: Office) -> bytes:
    """The office's workbook: one sheet per table that has rows, PRODUCT.md's headers only."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in PRODUCT_HEADERS:
        data = office.sheets[table]
        if not data:
            continue
        sheet = book.create_sheet(SHEET_NAMES[table])
        names = office.columns[table]
        sheet.append(names)
        for row in data:
            sheet.append([row[h] for h in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_office(office: Office, path: Path) -> Path:
    """A new database at `path` filled from the office's workbook through the importer; the
    importer's problems, if any, fail loudly (the workbook must import as it is)."""
    con = connect(path)
    try:
        plan = prepare_import(con, [(f"台账{office.seed}.xlsx", workbook(office))])
        if plan.problems:
            shown = "\n".join(p.text() for p in plan.problems[:20])
            raise AssertionError(f"{office!r} was refused ({len(plan.problems)}):\n{shown}")
        commit_import(con, plan, who="测试")
    finally:
        con.close()
    return path


def _quarter_start(y: int, q: int) -> dt.date:
    return D(y, 3 * q - 2, 1)


def _quarter_end(y: int, q: int) -> dt.date:
    return _month_end(y, 3 * q)


def _month_end(y: int, m: int) -> dt.date:
    return D(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
