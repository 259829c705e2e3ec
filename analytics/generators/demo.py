"""The demo database: a deterministic office of youth cadres from 2024-01-01 to 2025-11-30.

For 2025 it reproduces the work report's figures (82 youth cadres in 4 study groups, 3 batches and
11 sessions of 研学活动, 11 座谈交流 sessions with 30 different participants, 2 列席 seats at every
党组理论中心组 session, 11 调研报告, 4 回乡见闻 articles, the four awards it names). Everything else is
plausible and deliberately uneven: groups differ, some cadres fall behind, quotas are part-way met.
Names are invented. Run `python -m analytics.generators.demo [--db PATH] [--force]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from analytics.common import config
from analytics.common.labels import t
from analytics.store.db import building, bump_data_version, insert_rows, rows_by_table
from analytics.store.models import (
    Activity,
    Assessment,
    Assignment,
    Attendance,
    Award,
    Cadre,
    GroupMentor,
    Mentorship,
    Record,
    Report,
    Target,
    Training,
)
from analytics.store.provenance import DEMO_SOURCE, DemoDatabaseError, generated_kind, stamp_demo

SEED = 20251130
AS_OF = dt.date(2025, 11, 30)
# The office's annual targets (the city-scale generator uses the same).
DEFAULT_TARGETS = {
    "study_days_per_month": 1, "political_reports_per_quarter": 1,
    "training_hours_per_cadre": 60, "rotation_share": 0.30, "secondment_share": 0.20,
    "business_mentor_share": 1.0, "writing_mentor_share": 1.0, "forums_per_quarter": 1,
}  # fmt: skip

GROUPS = ("第一学习小组", "第二学习小组", "第三学习小组", "第四学习小组")
# How reliably each group turns up: the comparison a leader looks for first.
GROUP_ATTENDANCE = {GROUPS[0]: 0.96, GROUPS[1]: 0.92, GROUPS[2]: 0.84, GROUPS[3]: 0.89}
GROUP_TRAINING = {GROUPS[0]: 1.05, GROUPS[1]: 0.95, GROUPS[2]: 0.78, GROUPS[3]: 0.90}
DIVISIONS = (
    "秘书一处", "秘书二处", "秘书三处", "综合调研处", "督查处", "文电处", "会务接待处",
    "政务值班室", "营商环境处", "政务服务热线办公室", "人事处", "机关党委",
)  # fmt: skip
DIVISION_WEIGHTS = (10, 9, 8, 9, 7, 6, 6, 7, 6, 8, 5, 5)
DIVISION_HEADS = (
    "周立新", "陈海峰", "刘玉梅", "孙建国", "吴志刚", "郑秀兰",
    "王振华", "赵文博", "钱国栋", "冯丽君", "韩明远", "杨卫东",
)  # fmt: skip
LEADERS = ("高志远", "林宏伟", "许晓东", "沈建平")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = (
    "晓明", "思远", "雨晨", "佳怡", "子涵", "浩然", "欣怡", "宇轩", "梓萱", "文博", "静怡", "俊杰",
    "诗雨", "明哲", "若溪", "天宇", "一鸣", "嘉欣", "志强", "雅琪", "晨阳", "可馨", "泽宇", "婧妍",
    "博文", "心怡", "昊天", "梦瑶", "振宇", "书瑶", "立新", "海洋", "慧敏", "家豪", "语桐", "鹏飞",
    "欣然", "皓轩", "雪莹", "建华",
)  # fmt: skip
RANKS = ("一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员", "四级调研员")
THEORY_THEMES = (
    "习近平新时代中国特色社会主义思想", "新质生产力", "高质量发展", "全过程人民民主",
    "数字政府建设", "优化营商环境", "基层治理现代化", "总体国家安全观",
)  # fmt: skip
INDUSTRIES = (
    "智能家电", "轨道交通装备", "新能源汽车", "新一代信息技术", "高端化工", "食品饮料",
    "纺织服装", "现代海洋", "生物医药", "集成电路", "人工智能",
)  # fmt: skip
LIVELIHOOD = ("养老服务", "青年就业", "城中村改造", "12345热线诉求", "社区治理", "托育服务")
TRAINING_COURSES = (
    ("公文写作", "公文写作规范与常见问题"), ("公文写作", "调研报告写作"),
    ("会议服务", "会议组织与服务保障"), ("会议服务", "重要活动筹备流程"),
    ("应急处突", "突发事件信息报送"), ("应急处突", "应急值守与处置"),
    ("督查督办", "督查督办实务"), ("数字政务", "AI+政务服务应用"),
    ("数字政务", "一网通办业务"), ("保密管理", "保密法规与实务"),
    ("政务信息", "政务信息编报"), ("法治政府", "行政规范性文件审核"),
)  # fmt: skip
ROTATION_PLACES = (
    ("专项工作", "市委巡察办（巡视巡察）"), ("专项工作", "市信访局（信访接待）"),
    ("跨处室轮岗", "秘书二处"), ("跨处室轮岗", "督查处"), ("跨处室轮岗", "综合调研处"),
    ("专项工作", "营商环境突击队"), ("专项工作", "青年政务值班工作专班"),
)  # fmt: skip
SECONDMENT_PLACES = (
    "市南区政府办公室", "黄岛区行政审批服务局", "城阳区流亭街道", "即墨区龙山街道",
    "胶州市胶东街道", "平度市南村镇", "莱西市姜山镇", "崂山区沙子口街道",
)  # fmt: skip
FRONTLINE_PLACES = ("防汛抗旱指挥部", "城中村改造指挥部", "对口帮扶工作队")


class _Builder:
    """Collects records while keeping the random draws in one deterministic sequence."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.records: list[Record] = []
        self.cadres: list[Cadre] = []
        self.activity_seq = 0
        self.report_seq = 0
        self.award_seq = 0
        self.reliability: dict[str, float] = {}
        self.training_factor: dict[str, float] = {}
        self.away: dict[str, list[tuple[dt.date, dt.date]]] = {}

    # ----- helpers -----
    def weekday(self, year: int, month: int, day: int) -> dt.date:
        """The given day, moved to the nearest working day before it."""
        d = dt.date(year, month, day)
        while d.weekday() >= 5:
            d -= dt.timedelta(days=1)
        return d

    def in_post(self, d: dt.date, group: str | None = None) -> list[Cadre]:
        return [
            c
            for c in self.cadres
            if c.join_date <= d
            and (c.leave_date is None or c.leave_date >= d)
            and (group is None or c.study_group == group)
        ]

    def is_away(self, cadre_id: str, d: dt.date) -> bool:
        return any(s <= d <= e for s, e in self.away.get(cadre_id, []))

    def add(self, record: Record) -> Record:
        self.records.append(record)
        return record

    # ----- people -----
    def build_cadres(self) -> None:
        rng = self.rng
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < 86:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if name not in seen:
                seen.add(name)
                names.append(name)
        # 76 in post before 2024; 4 join and 2 leave in 2024; 6 join and 2 leave in 2025:
        # 78 at the end of 2024 and 82 on 2025-11-30, as the work report says.
        joins_2024 = [
            dt.date(2024, 3, 1),
            dt.date(2024, 7, 1),
            dt.date(2024, 9, 2),
            dt.date(2024, 9, 2),
        ]
        joins_2025 = [
            dt.date(2025, 2, 17), dt.date(2025, 4, 1), dt.date(2025, 7, 1), dt.date(2025, 7, 1),
            dt.date(2025, 9, 1), dt.date(2025, 9, 1),
        ]  # fmt: skip
        leaves = {
            5: dt.date(2024, 6, 30), 18: dt.date(2024, 11, 15),
            31: dt.date(2025, 5, 31), 44: dt.date(2025, 8, 31),
        }  # fmt: skip
        for i, name in enumerate(names):
            if i < 76:
                join = dt.date(rng.randint(2014, 2023), rng.randint(1, 12), 1)
            elif i < 80:
                join = joins_2024[i - 76]
            else:
                join = joins_2025[i - 80]
            birth = dt.date(rng.randint(1990, 2001), rng.randint(1, 12), rng.randint(1, 28))
            division = rng.choices(DIVISIONS, weights=DIVISION_WEIGHTS)[0]
            status = rng.choices(("中共党员", "中共预备党员", "共青团员"), weights=(80, 8, 12))[0]
            seniority = 2025 - join.year
            rank = RANKS[min(len(RANKS) - 1, seniority // 2)]
            cadre = Cadre(
                cadre_id=f"Q{1001 + i}",
                name=name,
                gender=rng.choice(("男", "女")),
                birth_date=birth,
                division=division,
                study_group=GROUPS[i % 4],
                rank=rank,
                political_status=status,
                join_date=join,
                leave_date=leaves.get(i),
            )
            self.cadres.append(cadre)
            self.add(cadre)
            base = GROUP_ATTENDANCE[cadre.study_group]
            self.reliability[cadre.cadre_id] = min(0.99, max(0.5, rng.gauss(base, 0.05)))
            self.training_factor[cadre.cadre_id] = max(
                0.25, rng.gauss(GROUP_TRAINING[cadre.study_group], 0.22)
            )
        # A few who fall behind, spread over the groups the way real ones are.
        for cid in ("Q1011", "Q1023", "Q1034", "Q1047", "Q1062", "Q1070"):
            self.reliability[cid] = 0.55
            self.training_factor[cid] = 0.4

    # ----- activities and attendance -----
    def activity(self, **fields: object) -> Activity:
        self.activity_seq += 1
        d = fields["date"]
        assert isinstance(d, dt.date)
        fields.setdefault("activity_id", f"HD{d.year}{self.activity_seq:04d}")
        return self.add(Activity(**fields))  # type: ignore[return-value]

    def attend(self, act: Activity, cadre: Cadre, role: str = "参加", present: bool | None = None):
        rng = self.rng
        if present is None:
            if self.is_away(cadre.cadre_id, act.date):
                status = "请假"
            elif rng.random() < self.reliability[cadre.cadre_id]:
                status = "出席"
            else:
                status = "请假" if rng.random() < 0.6 else "缺席"
        else:
            status = "出席" if present else "请假"
        self.add(
            Attendance(
                activity_id=act.activity_id,
                cadre_id=cadre.cadre_id,
                role=role,
                status=status,
                credited_hours=act.hours if status == "出席" else 0,
            )
        )

    def roll_call(self, act: Activity) -> None:
        """Attendance for an office-wide or group activity: everyone expected gets a row."""
        group = act.organizer_group if act.scope == "小组" else None
        for cadre in self.in_post(act.date, group):
            self.attend(act, cadre)

    def roster(self, act: Activity, people: list[Cadre], role: str = "参加") -> None:
        for cadre in people:
            self.attend(act, cadre, role=role, present=True)

    def mentor_rotation(self, year: int, last_month: int) -> dict[tuple[str, int], str]:
        """Each month a division head takes a turn as each group's 学习导师; a few turns are missed."""
        missed = {(2024, GROUPS[3], 8), (2025, GROUPS[3], 7), (2025, GROUPS[2], 10)}
        turns: dict[tuple[str, int], str] = {}
        for month in range(1, last_month + 1):
            for g, group in enumerate(GROUPS):
                if (year, group, month) in missed:
                    continue
                head = DIVISION_HEADS[(g * 3 + month + year) % len(DIVISION_HEADS)]
                turns[(group, month)] = head
                self.add(
                    GroupMentor(study_group=group, month=dt.date(year, month, 1), mentor_name=head)
                )
        return turns

    def theory_year(self, year: int, last_month: int, plan: dict[str, object]) -> None:
        rng = self.rng
        turns = self.mentor_rotation(year, last_month)
        # 导师领学: monthly per group, led by that month's mentor (none in a month with no mentor).
        for month in range(1, last_month + 1):
            for g, group in enumerate(GROUPS):
                mentor = turns.get((group, month))
                if mentor is None:
                    continue
                act = self.activity(
                    title=f"{group}{month}月导师领学",
                    category="理论学习",
                    form="导师领学",
                    theme=THEORY_THEMES[(month + g) % len(THEORY_THEMES)],
                    organizer_group=group,
                    scope="小组",
                    date=self.weekday(year, month, 10 + g * 3),
                    hours=2,
                    lead=mentor,
                )
                self.roll_call(act)
        # 研学活动 in batches, each session run by one group in turn.
        batches: list[tuple[str, list[int]]] = plan["research_batches"]  # type: ignore[assignment]
        n = 0
        for batch, months in batches:
            for month in months:
                group = GROUPS[n % 4]
                n += 1
                form_note = ("线上学+线下学", "坐下来听+走出去学", "请进来讲+走上台谈")[n % 3]
                act = self.activity(
                    title=f"{batch}研学活动（{form_note}）第{n}场",
                    category="理论学习",
                    form="研学活动",
                    theme=THEORY_THEMES[n % len(THEORY_THEMES)],
                    batch=batch,
                    organizer_group=group,
                    scope="小组",
                    date=self.weekday(year, month, 18 + (n % 3) * 3),
                    hours=3,
                    lead=DIVISION_HEADS[n % len(DIVISION_HEADS)],
                )
                self.roll_call(act)
        # 座谈交流: a fixed pool of participants, every one of them present at least once.
        months: list[int] = plan["forum_months"]  # type: ignore[assignment]
        pool_size: int = plan["forum_pool"]  # type: ignore[assignment]
        steady = [c for c in self.in_post(dt.date(year, 1, 1)) if c.leave_date is None]
        pool = rng.sample(steady, pool_size)
        per_session = [pool[i :: len(months)] for i in range(len(months))]
        themes = ("新质生产力", "新质生产力", "青年干部成长", "AI+政务服务", "优化营商环境",
                  "“三服务”实践", "基层治理", "政务服务热线", "数字政府建设", "文稿写作",
                  "高质量发展")  # fmt: skip
        for i, month in enumerate(months):
            extra = rng.sample([c for c in pool if c not in per_session[i]], 3)
            act = self.activity(
                title=f"青年干部座谈交流：{themes[i % len(themes)]}",
                category="理论学习",
                form="座谈交流",
                theme=themes[i % len(themes)],
                scope="指定",
                date=self.weekday(year, month, 25),
                hours=2,
                lead=LEADERS[i % len(LEADERS)],
            )
            self.roster(act, per_session[i] + extra)
        # 列席 党组理论中心组: two youth representatives at every session.
        seats: list[int] = plan["council_months"]  # type: ignore[assignment]
        for month in seats:
            act = self.activity(
                title=f"党组理论中心组{month}月集体学习（青年干部列席）",
                category="理论学习",
                form="列席旁听",
                theme=THEORY_THEMES[month % len(THEORY_THEMES)],
                scope="指定",
                date=self.weekday(year, month, 6),
                hours=3,
                lead=LEADERS[0],
            )
            self.roster(act, rng.sample(self.in_post(act.date), 2), role="列席")
        # 青年政治理论学习日: office-wide, meant to be monthly; not every month managed it.
        for month in plan["study_day_months"]:  # type: ignore[union-attr]
            act = self.activity(
                title=f"{month}月青年政治理论学习日",
                category="理论学习",
                form="理论学习日",
                theme=THEORY_THEMES[(month * 5) % len(THEORY_THEMES)],
                scope="全体",
                date=self.weekday(year, month, 15),
                hours=2,
                lead=DIVISION_HEADS[month % len(DIVISION_HEADS)],
            )
            self.roll_call(act)
        # 青年干部座谈会: quarterly, chaired by the office's leadership.
        for quarter, month in plan["forums"]:  # type: ignore[union-attr]
            act = self.activity(
                title=f"{year}年第{quarter}季度青年干部座谈会",
                category="理论学习",
                form="青年干部座谈会",
                theme="听取青年干部意见建议",
                scope="指定",
                date=self.weekday(year, month, 26),
                hours=2,
                lead=LEADERS[0],
            )
            self.roster(act, rng.sample(self.in_post(act.date), 15))

    def party_year(self, year: int, events: list[tuple]) -> None:
        """党性教育 and 实践锻炼 events: (month, day, category, form, title, scope, hours, n)."""
        rng = self.rng
        for month, day, category, form, title, scope, hours, n in events:
            act = self.activity(
                title=title,
                category=category,
                form=form,
                theme=None,
                scope=scope,
                date=self.weekday(year, month, day),
                hours=hours,
                lead=None,
            )
            if scope == "全体":
                self.roll_call(act)
            else:
                self.roster(act, rng.sample(self.in_post(act.date), n))

    # ----- practice, outputs, awards -----
    def assignments(self) -> None:
        rng = self.rng
        steady = sorted(self.cadres, key=lambda c: c.cadre_id)
        picks = rng.sample(
            [c for c in steady if c.join_date.year < 2024 and c.leave_date is None], 60
        )

        def stint(cadre: Cadre, kind: str, place: str, start: dt.date, end: dt.date | None):
            self.add(
                Assignment(
                    cadre_id=cadre.cadre_id, type=kind, destination=place,
                    start_date=start, end_date=end,
                )
            )  # fmt: skip
            if kind == "挂职":
                self.away.setdefault(cadre.cadre_id, []).append((start, end or AS_OF))

        # 2024: 16 rotations/special work, 8 secondments (one runs on into 2025).
        for i, cadre in enumerate(picks[:16]):
            kind, place = ROTATION_PLACES[i % len(ROTATION_PLACES)]
            start = dt.date(2024, 2 + (i % 9), 1)
            stint(cadre, kind, place, start, start + dt.timedelta(days=90))
        for i, cadre in enumerate(picks[16:24]):
            start = dt.date(2024, 3 + i, 1)
            end = dt.date(2025, 2, 28) if i == 7 else start + dt.timedelta(days=150)
            stint(cadre, "挂职", SECONDMENT_PLACES[i % len(SECONDMENT_PLACES)], start, end)
        # 2025 (to 30 November): 20 cadres on rotation/special work, 10 seconded (one of them the
        # stint carried over from 2024), two cadres with two stints each; a few 三线历练.
        for i, cadre in enumerate(picks[24:43]):
            kind, place = ROTATION_PLACES[(i + 3) % len(ROTATION_PLACES)]
            start = dt.date(2025, 1 + (i % 10), 1 + (i % 3) * 10)
            end = start + dt.timedelta(days=rng.choice((60, 90, 120)))
            stint(cadre, kind, place, start, None if end > AS_OF else end)
        stint(
            picks[24],
            "专项工作",
            "市信访局（信访接待）",
            dt.date(2025, 9, 1),
            dt.date(2025, 10, 31),
        )
        stint(picks[2], "跨处室轮岗", "会务接待处", dt.date(2025, 6, 1), dt.date(2025, 8, 31))
        for i, cadre in enumerate(picks[43:52]):
            start = dt.date(2025, 3 + (i % 7), 1)
            end = start + dt.timedelta(days=180)
            stint(cadre, "挂职", SECONDMENT_PLACES[(i + 3) % len(SECONDMENT_PLACES)], start,
                  None if end > AS_OF else end)  # fmt: skip
        for i, cadre in enumerate(picks[52:56]):
            start = dt.date(2025, 6 + i, 1)
            stint(cadre, "三线历练", FRONTLINE_PLACES[i % 3], start, start + dt.timedelta(days=45))

    def reports(self, year: int, plan: dict[str, object]) -> None:
        rng = self.rng
        last_month = 11 if year == 2025 else 12

        def report(kind: str, source: str, title: str, theme: str, d: dt.date, **extra) -> None:
            self.report_seq += 1
            people = self.in_post(d)
            lead = rng.choice(people)
            co = [c.cadre_id for c in rng.sample(people, rng.choice((0, 1, 1, 2, 3)))]
            self.add(
                Report(
                    report_id=f"CG{d.year}{self.report_seq:04d}", title=title, type=kind,
                    source=source, theme=theme, submit_date=d, lead_author=lead.cadre_id,
                    co_authors=co, **extra,
                )
            )  # fmt: skip

        def spread(n: int, i: int) -> dt.date:
            month = 1 + (i * last_month) // n
            return self.weekday(year, month, rng.randint(3, 27))

        outcomes = plan["report_outcomes"]
        n_reports: int = plan["research_reports"]  # type: ignore[assignment]
        for i in range(n_reports):
            topic = (INDUSTRIES + LIVELIHOOD)[(i * 3 + year) % (len(INDUSTRIES) + len(LIVELIHOOD))]
            focus = "发展" if topic in INDUSTRIES else "民生"
            outcome, grade, outlet = outcomes[i] if i < len(outcomes) else (None, "良好", None)
            report(
                "调研报告", "产业观察",
                f"关于{topic}{'产业发展' if focus == '发展' else '工作'}的调研报告", focus,
                spread(n_reports, i), grade=grade, outcome=outcome, outlet=outlet,
            )  # fmt: skip
        hometowns = ("沂蒙山区", "胶东半岛", "鲁西平原", "黄河三角洲", "半岛渔村")
        n_home: int = plan["hometown_articles"]  # type: ignore[assignment]
        for i in range(n_home):
            place = hometowns[(i + year) % len(hometowns)]
            report(
                "调研文章", "回乡见闻", f"回乡见闻：{place}的产业新变化", "乡村振兴",
                self.weekday(year, 2 + (i % 2) * 8, 20 + i), grade="优秀" if i == 0 else "良好",
                outcome="刊发" if i == 0 else None, outlet="《政务信息》" if i == 0 else None,
            )  # fmt: skip
        for i in range(plan["reflections"]):  # type: ignore[call-overload]
            report(
                "心得体会", rng.choice(("理论学习", "基层实践")),
                f"学习心得：{rng.choice(THEORY_THEMES)}", "理论学习", spread(20, i),
                grade=rng.choice(("良好", "合格", "良好")),
            )  # fmt: skip
        for i in range(plan["proposals"]):  # type: ignore[call-overload]
            report(
                "改革建议", "专题调研", f"关于{rng.choice(LIVELIHOOD)}的改革建议", "改革",
                spread(6, i), grade="良好", outcome="采纳" if i % 2 == 0 else None,
            )  # fmt: skip
        for i in range(plan["essays"]):  # type: ignore[call-overload]
            report(
                "征文", "其他", f"“青年话作风”读书征文之{i + 1}", "作风建设",
                self.weekday(year, 5, 12 + i), grade=rng.choice(("优秀", "良好", "合格")),
            )  # fmt: skip

    def award(self, year: int, month: int, day: int, winners: int, **fields: object) -> None:
        self.award_seq += 1
        d = self.weekday(year, month, day)
        people = self.rng.sample(self.in_post(d), winners)
        self.add(
            Award(
                award_id=f"HJ{year}{self.award_seq:03d}",
                date=d,
                winners=[c.cadre_id for c in people],
                **fields,
            )
        )

    def awards(self) -> None:
        speech = "市直机关“打头阵、当先锋、抓落实”宣讲比赛"
        self.award(2024, 5, 28, 1, competition="市直机关“青春心向党”主题演讲比赛",
                   organizer="市直机关工委", level="市直机关", category=None, prize="二等奖",
                   work="《在服务一线读懂初心》")  # fmt: skip
        self.award(2024, 10, 22, 2, competition="全市“清风政务”廉洁文化征文", organizer="市纪委监委",
                   level="市级", category="征文组", prize="三等奖", work="《守好廉洁第一粒扣子》")  # fmt: skip
        self.award(2025, 6, 20, 1, competition=speech, organizer="市直机关工委", level="市直机关",
                   category="理论组", prize="一等奖", work="《在“三服务”一线淬火成钢》")  # fmt: skip
        self.award(2025, 6, 20, 4, competition=speech, organizer="市直机关工委", level="市直机关",
                   category="演艺组", prize="二等奖", work="《政办青年的一天》")  # fmt: skip
        self.award(2025, 9, 18, 1, competition="“青年干部成长心路展演”主题述讲比赛",
                   organizer="市直机关工委", level="市直机关", category=None, prize="一等奖",
                   work="《愿以青春赴山海 逐梦基层绽芳华》")  # fmt: skip
        self.award(2025, 10, 24, 2, competition="“使命必达 我们的价值观”宣讲大赛",
                   organizer="市政务服务管理办公室", level="市级", category=None,
                   prize="优异成绩", work="《热线连民心 服务暖万家》")  # fmt: skip

    def training(self) -> None:
        rng = self.rng
        for year, end in ((2024, dt.date(2024, 12, 31)), (2025, AS_OF)):
            for cadre in self.cadres:
                start = max(cadre.join_date, dt.date(year, 1, 1))
                stop = min(cadre.leave_date or end, end)
                if stop <= start:
                    continue
                # Hours for the time in post, against 60 a year, scaled by the cadre's habits.
                share = (stop - start).days / 365
                goal = 60 * share * self.training_factor[cadre.cadre_id]
                done = 0.0
                used: set[tuple[str, dt.date]] = set()
                while done < goal:
                    category, course = rng.choice(TRAINING_COURSES)
                    hours = float(rng.choice((4, 6, 8)))
                    day = start + dt.timedelta(days=rng.randint(0, (stop - start).days))
                    if (course, day) in used:
                        continue
                    used.add((course, day))
                    done += hours
                    self.add(
                        Training(
                            cadre_id=cadre.cadre_id, course=course, category=category,
                            hours=hours, completion_date=day,
                            mode="线上" if rng.random() < 0.6 else "线下",
                        )
                    )  # fmt: skip
        # The last record of the period: an online course finished on the as-of date.
        self.add(
            Training(
                cadre_id="Q1002", course="AI+政务服务应用（进阶）", category="数字政务",
                hours=4, completion_date=AS_OF, mode="线上",
            )
        )  # fmt: skip

    def assessments(self) -> None:
        rng = self.rng
        quarters = [(2024, q) for q in range(1, 5)] + [(2025, q) for q in range(1, 4)]
        for year, q in quarters:
            q_end = dt.date(year, 3 * q, 28)
            for cadre in self.in_post(q_end):
                submitted = rng.random() < min(0.98, self.reliability[cadre.cadre_id] + 0.03)
                self.add(
                    Assessment(
                        cadre_id=cadre.cadre_id, period=f"{year}Q{q}", type="政治能力提升报告",
                        result="提交" if submitted else "未提交",
                    )
                )  # fmt: skip
                score = round(
                    min(99.0, rng.gauss(86, 5) + (self.reliability[cadre.cadre_id] - 0.85) * 30), 1
                )
                self.add(
                    Assessment(
                        cadre_id=cadre.cadre_id, period=f"{year}Q{q}", type="季度考核",
                        result="优秀" if score >= 92 else "称职" if score >= 70 else "基本称职",
                        score=max(0.0, score),
                    )
                )  # fmt: skip
        for cadre in self.in_post(dt.date(2024, 12, 31)):
            r = self.reliability[cadre.cadre_id]
            self.add(
                Assessment(
                    cadre_id=cadre.cadre_id, period="2024", type="年度考核",
                    result="优秀" if r > 0.93 else "基本称职" if r < 0.6 else "称职",
                )
            )  # fmt: skip

    def mentorships(self) -> None:
        rng = self.rng
        in_post = self.in_post(AS_OF)
        business = rng.sample(in_post, 64)
        writing = rng.sample(in_post, 47)
        paired = rng.sample(in_post, 12)
        for kind, people, start in (
            ("业务导师", business, dt.date(2025, 3, 1)),
            ("写作导师", writing, dt.date(2025, 4, 1)),
            ("班子成员结对", paired, dt.date(2025, 5, 1)),
        ):
            for i, cadre in enumerate(people):
                pool = LEADERS if kind == "班子成员结对" else DIVISION_HEADS
                self.add(
                    Mentorship(
                        cadre_id=cadre.cadre_id, mentor_name=pool[i % len(pool)],
                        mentor_type=kind, start_date=max(start, cadre.join_date),
                    )
                )  # fmt: skip

    def targets(self) -> None:
        # 竞赛获奖 points: prize points × level multiplier (analytics.metrics.awards.POINTS_RULE).
        points = {
            "points:prize:一等奖": 5, "points:prize:二等奖": 4, "points:prize:三等奖": 3,
            "points:prize:优秀奖": 2, "points:prize:优异成绩": 2,
            "points:level:市直机关": 1.0, "points:level:市级": 1.5, "points:level:省级": 2.0,
            "points:level:国家级": 3.0,
        }  # fmt: skip
        for year in (2024, 2025, 2026):
            for metric, value in {**DEFAULT_TARGETS, **points}.items():
                self.add(Target(metric=metric, year=year, value=value))


PLAN_2024: dict[str, object] = {
    "research_batches": [("第一批", [4, 5, 6, 6]), ("第二批", [9, 10, 11])],
    "forum_months": [3, 5, 7, 9, 11, 12],
    "forum_pool": 18,
    "council_months": [2, 3, 5, 6, 8, 9, 11, 12],
    "study_day_months": [3, 5, 6, 9, 11, 12],
    "forums": [(2, 6), (4, 12)],
    "research_reports": 7,
    "report_outcomes": [("领导批示", "优秀", None), ("刊发", "良好", "《政务信息》")],
    "hometown_articles": 2,
    "reflections": 14,
    "proposals": 3,
    "essays": 5,
}
PLAN_2025: dict[str, object] = {
    "research_batches": [
        ("第一批", [3, 3, 4, 4]),
        ("第二批", [6, 6, 7, 7]),
        ("第三批", [9, 10, 10]),
    ],
    "forum_months": [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11],
    "forum_pool": 30,
    "council_months": [1, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    "study_day_months": [1, 3, 4, 5, 6, 9, 10, 11],
    "forums": [(1, 3), (2, 6), (3, 9)],
    "research_reports": 11,
    "report_outcomes": [
        ("领导批示", "优秀", None),
        ("领导批示", "优秀", None),
        ("采纳", "优秀", None),
        ("刊发", "良好", "《岛城先锋》"),
        ("成果转化", "优秀", None),
        ("采纳", "良好", None),
        ("刊发", "良好", "《政务信息》"),
    ],  # fmt: skip
    "hometown_articles": 4,
    "reflections": 20,
    "proposals": 5,
    "essays": 8,
}
EVENTS_2024 = [
    (4, 18, "党性教育", "培训班", "青年干部政治能力提升培训班", "全体", 12, 0),
    (7, 1, "党性教育", "红色教育", "参观青岛党史纪念馆", "全体", 4, 0),
    (9, 12, "党性教育", "警示教育", "观看典型案例警示教育片", "全体", 2, 0),
    (11, 8, "党性教育", "专题学习", "党纪学习教育专题辅导", "全体", 3, 0),
    (6, 14, "实践锻炼", "基层实践", "“新产业、新赛道、新引擎”基层实践（一）", "指定", 6, 12),
    (10, 17, "实践锻炼", "基层实践", "“新产业、新赛道、新引擎”基层实践（二）", "指定", 6, 12),
    (12, 5, "实践锻炼", "外出学习", "赴先进区市学习政务服务经验", "指定", 8, 10),
]  # fmt: skip
EVENTS_2025 = [
    (4, 16, "党性教育", "培训班", "青年干部政治能力提升培训班", "全体", 12, 0),
    (5, 14, "党性教育", "红色教育", "参观华东野战军纪念馆", "全体", 3, 0),
    (5, 15, "党性教育", "红色教育", "参观孟良崮战役纪念馆", "全体", 3, 0),
    (5, 16, "党性教育", "红色教育", "参观沂蒙红嫂纪念馆", "全体", 3, 0),
    (6, 27, "党性教育", "专题党课", "音乐党史课：以音乐回望党史", "全体", 2, 0),
    (5, 22, "党性教育", "培训班", "市直机关“青年理论学习暨团干部政治能力提升培训班”", "指定", 16, 3),
    (8, 20, "党性教育", "红色教育", "“重走长征路·追寻红色足迹”", "指定", 16, 4),
    (3, 20, "党性教育", "警示教育", "观看典型案例警示片", "全体", 2, 0),
    (7, 10, "党性教育", "警示教育", "观看廉洁话剧", "全体", 2, 0),
    (8, 14, "党性教育", "警示教育", "参观廉洁教育阵地", "全体", 3, 0),
    (10, 16, "党性教育", "警示教育", "参观亲清政商关系廉洁教育馆", "全体", 3, 0),
    (6, 6, "党性教育", "其他", "党性教育展演", "全体", 2, 0),
    (6, 20, "党性教育", "宣讲比赛", "参加市直机关“打头阵、当先锋、抓落实”宣讲比赛", "指定", 4, 5),
    (5, 29, "党性教育", "专题学习", "《中国共产党纪律处分条例》解读（市委党校专家授课）", "全体", 3, 0),
    (3, 27, "党性教育", "专题学习", "“学思享·青年理论素养提升”系列活动（一）", "全体", 2, 0),
    (9, 11, "党性教育", "专题学习", "“学思享·青年理论素养提升”系列活动（二）", "全体", 2, 0),
    (4, 24, "实践锻炼", "基层实践", "“新产业、新赛道、新引擎”基层实践：智能制造", "指定", 6, 14),
    (6, 12, "实践锻炼", "基层实践", "“守正铸魂·创新筑梦”观摩学习", "指定", 6, 14),
    (8, 28, "实践锻炼", "基层实践", "“青春力量·赋能产业发展”观摩学习", "指定", 6, 14),
    (10, 23, "实践锻炼", "基层实践", "“新产业、新赛道、新引擎”基层实践：科创成果", "指定", 6, 14),
    (7, 17, "实践锻炼", "专题讲座", "“AI赋能千行百业实践”讲座", "全体", 2, 0),
    (9, 25, "实践锻炼", "其他", "人工智能话术比赛", "指定", 3, 20),
    (11, 13, "实践锻炼", "外出学习", "赴先进区市、企业一线学习实践", "指定", 8, 12),
]  # fmt: skip


def demo_records(seed: int = SEED) -> Iterator[Record]:
    """Every record of the demo office, in a fixed order."""
    b = _Builder(seed)
    b.build_cadres()
    b.assignments()  # first: a cadre on secondment is 请假 at home activities
    b.theory_year(2024, 12, PLAN_2024)
    b.party_year(2024, EVENTS_2024)
    b.theory_year(2025, 11, PLAN_2025)
    b.party_year(2025, EVENTS_2025)
    b.reports(2024, PLAN_2024)
    b.reports(2025, PLAN_2025)
    b.awards()
    b.training()
    b.assessments()
    b.mentorships()
    b.targets()
    yield from b.records


def build_demo(path: Path, *, seed: int = SEED) -> dict[str, int]:
    """Write the demo database to `path`, replacing it only if it is the generated demo itself
    (DemoDatabaseError otherwise: a file with real data is never overwritten); row counts."""
    if Path(path).exists() and generated_kind(path) != DEMO_SOURCE:
        raise DemoDatabaseError(t("generators.demo.not_demo", path=path))
    with building(path) as con:
        con.execute("BEGIN")
        counts = insert_rows(con, rows_by_table(demo_records(seed)))
        bump_data_version(con)
        stamp_demo(con)  # what makes the file the demo: served without sign-in
        con.execute("COMMIT")
    return counts


def ensure_demo(path: Path) -> bool:
    """Build the demo database at `path` if it is missing; True when it was built."""
    if Path(path).exists():
        return False
    build_demo(Path(path))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成演示数据库 (build the demo database)")
    parser.add_argument("--db", type=Path, default=config.DEMO_DB_PATH, help="数据库文件路径")
    parser.add_argument("--force", action="store_true", help="即使已存在也重新生成")
    args = parser.parse_args(argv)
    if args.db.exists() and not args.force:
        print(t("generators.demo.exists", path=args.db))
        return 0
    try:
        counts = build_demo(args.db)
    except DemoDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(t("generators.demo.built", path=args.db))
    for table, n in counts.items():
        print(f"  {table}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
