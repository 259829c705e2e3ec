"""The demo office's record builder: one deterministic sequence of random draws that turns
the facts of analytics.generators.demo_office into records (read by analytics.generators.demo)."""

from __future__ import annotations

import datetime as dt
import random

from analytics.generators.demo_office import (
    AS_OF,
    DIVISION_HEADS,
    DIVISION_WEIGHTS,
    DIVISIONS,
    FRONTLINE_PLACES,
    GIVEN,
    GROUP_ATTENDANCE,
    GROUP_TRAINING,
    GROUPS,
    INDUSTRIES,
    JOIN_AGE,
    LEADERS,
    LIVELIHOOD,
    RANKS,
    ROTATION_PLACES,
    SECONDMENT_PLACES,
    SEED,
    SURNAMES,
    THEORY_THEMES,
    TRAINING_COURSES,
)
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
    Training,
)


class Builder:
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
        self.rosters: dict[str, list[Cadre]] = {}  # 指定 events by title: who took part

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
            # Nobody joins the office before 22 (a graduate): an early joiner was born earlier.
            birth = birth.replace(year=min(birth.year, join.year - JOIN_AGE - 1))
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
                people = rng.sample(self.in_post(act.date), n)
                self.rosters[title] = people
                self.roster(act, people)

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
            if kind in ("挂职", "三线历练"):  # away from the office: 请假 at home activities
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

    def award(
        self, year: int, month: int, day: int, winners: int | list[Cadre], **fields: object
    ) -> None:
        """An award to `winners` people drawn from those in post, or to the people given."""
        self.award_seq += 1
        d = self.weekday(year, month, day)
        people = winners if isinstance(winners, list) else self.rng.sample(self.in_post(d), winners)
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
        # The winners are the ones the office sent (the 宣讲比赛 activity's roster of five).
        speakers = self.rosters[f"参加{speech}"]
        self.award(2024, 5, 28, 1, competition="市直机关“青春心向党”主题演讲比赛",
                   organizer="市直机关工委", level="市直机关", category=None, prize="二等奖",
                   work="《在服务一线读懂初心》")  # fmt: skip
        self.award(2024, 10, 22, 2, competition="全市“清风政务”廉洁文化征文", organizer="市纪委监委",
                   level="市级", category="征文组", prize="三等奖", work="《守好廉洁第一粒扣子》")  # fmt: skip
        self.award(2025, 6, 20, speakers[:1], competition=speech, organizer="市直机关工委",
                   level="市直机关", category="理论组", prize="一等奖",
                   work="《在“三服务”一线淬火成钢》")  # fmt: skip
        self.award(2025, 6, 20, speakers[1:], competition=speech, organizer="市直机关工委",
                   level="市直机关", category="演艺组", prize="二等奖",
                   work="《政办青年的一天》")  # fmt: skip
        self.award(2025, 9, 18, 1, competition="“青年干部成长心路展演主题述讲比赛”",
                   organizer="市直机关工委", level="市直机关", category=None, prize="一等奖",
                   work="《愿以青春赴山海 逐梦基层绽芳华》")  # fmt: skip
        self.award(2025, 10, 24, 2, competition="“使命必达我们的价值观”宣讲大赛",
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
