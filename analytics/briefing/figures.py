"""季度座谈会: a period's briefing (figures with 同比/环比, quota status, who needs attention, the
next quarter's actions) and the Chinese narrative written from the same figures.

Every figure in the narrative comes from a metric; `narrative_facts` gathers them in one dict
so that tests (and readers) can check the text against the metrics.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import headed, t
from analytics.common.links import profile_url
from analytics.metrics.activities import CATEGORIES, activities_by_category, activities_in_scope
from analytics.metrics.awards import awards_by_level_prize
from analytics.metrics.cadres import headcount
from analytics.metrics.outputs import awards_in_scope, reports_in_scope
from analytics.metrics.overview import (
    attention_items,
    float_or_none,
    overview_kpis,
    period_figures,
)
from analytics.metrics.participation import (
    LOW_PARTICIPATION,
    activity_highlights,
    discussion_sessions,
    participation_by_cadre,
    participation_by_group,
    participation_overview,
    participation_summary,
)
from analytics.metrics.quotas import (
    AMBER_RATIO,
    ROTATION_TYPES,
    SECONDMENT_TYPES,
    assignment_share,
    compliance_table,
    quota_by_cadre,
    quota_compliance,
    training_hours_by_cadre,
)
from analytics.metrics.reports import HOMETOWN, REPORT_TYPES, output_kpis
from analytics.metrics.rotation import council_sessions, mentor_turns, study_days
from analytics.metrics.targets import targets_for_year
from analytics.store.db import sort_natural
from analytics.store.query import run

CN_NUMBERS = "一二三四五六七八九十"
FORUM_RULE = (
    "季度默认取数据截至日期前最后一个完整季度；“年初至今”为1月1日至数据截至日期（工作总结口径）。"
    "同比为上年同期；环比为上一季度（“年初至今”无环比）。"
    "指标进度即“指标达成”页的达成情况表（同一计算、同一红黄绿规则），按年初至期末计算。"
)


# ----- periods -----


def last_complete_quarter(as_of: dt.date) -> tuple[int, int]:
    """The last quarter that has ended by `as_of` (2025-11-30 → (2025, 3))."""
    quarter = (as_of.month - 1) // 3 + 1
    year = as_of.year
    next_day = as_of + dt.timedelta(days=1)
    if next_day.month in (1, 4, 7, 10) and next_day.day == 1:
        return year, quarter
    if quarter == 1:
        return year - 1, 4
    return year, quarter - 1


def briefing_quarters(f: Filters) -> list[int | None]:
    """What the period chooser offers for the sidebar's year: None (年初至今) and begun quarters."""
    return [None] + [q for q in range(1, 5) if dt.date(f.year, 3 * q - 2, 1) <= f.as_of]


def briefing_period_options(f: Filters) -> dict[str, int | None]:
    """The period chooser: label (2025年 年初至今, 2025年第1季度 …) → quarter (None = 年初至今)."""
    return {
        t("forum.period.ytd", year=f.year)
        if q is None
        else t("forum.period.quarter", year=f.year, quarter=q): q
        for q in briefing_quarters(f)
    }


def default_briefing_quarter(f: Filters) -> int | None:
    """The sidebar's quarter if set, else the year's last complete quarter, else 年初至今."""
    if f.quarter is not None:
        return f.quarter
    year, quarter = last_complete_quarter(f.as_of)
    if year == f.year:
        return quarter
    if year > f.year:
        return 4
    return None


def briefing_filters(f: Filters, quarter: int | None) -> Filters:
    """The sidebar's filters with the briefing's own quarter (None = 年初至今)."""
    return f.model_copy(update={"quarter": quarter})


def period_name(f: Filters) -> str:
    """2025年第3季度 / 2025年1—11月 (年初至今) / 2024年 (a whole year)."""
    if f.quarter is not None:
        return f.label()
    if f.period_end < f.period_end_full:
        if f.period_end.month == 1:
            return f"{f.year}年1月"
        return f"{f.year}年1—{f.period_end.month}月"
    return f.label()


def _period_phrase(f: Filters) -> str:
    """How the report opens a sentence about the period: 今年以来 / 本季度 / 2024年."""
    if f.quarter is not None:
        return "本季度"
    if f.year == f.as_of.year:
        return "今年以来"
    return f"{f.year}年"


def next_quarter(f: Filters) -> tuple[int, int]:
    """The first quarter that ends after the period's last day (what the forum plans for)."""
    end = f.period_end
    quarter = (end.month - 1) // 3 + 1
    q_end = dt.date(end.year, 12, 31) if quarter == 4 else dt.date(end.year, 3 * quarter + 1, 1)
    if quarter != 4:
        q_end -= dt.timedelta(days=1)
    if end < q_end:
        return end.year, quarter
    return (end.year + 1, 1) if quarter == 4 else (end.year, quarter + 1)


# ----- small metrics this page needs and the base metrics do not give -----


def missing_political_reports(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in scope with no submitted 政治能力提升报告 for a complete quarter of the period:
    one row per cadre and quarter, from the quota page's per-cadre facts (quota_by_cadre),
    leavers included (the quota page's name list keeps only those still in post)."""
    people = quota_by_cadre(con, f)
    rows = [
        {"cadre_id": cadre_id, "quarter": int(period[-1])}
        for cadre_id, missing in zip(people["cadre_id"], people["reports_missing"], strict=True)
        if isinstance(missing, str)
        for period in missing.split("、")
    ]
    frame = pd.DataFrame(rows, columns=["cadre_id", "quarter"])
    return frame.sort_values(["quarter", "cadre_id"]).reset_index(drop=True)


def reports_by_type(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports in scope submitted in the period, per type: every type of the 调研成果 page, zero
    included (the page's reports_by_quarter drops types that do not occur)."""
    reports = reports_in_scope(con, f)
    counts = reports.groupby("type").size().reindex(list(REPORT_TYPES), fill_value=0)
    return counts.rename_axis("type").reset_index(name="reports").astype({"reports": "int64"})


# ----- figures, quota status, attention, next quarter -----

FIGURE_KEYS = [
    "cadres", "participation_rate", "activities:理论学习", "activities:党性教育",
    "activities:实践锻炼", "research_sessions", "discussion_sessions", "research_reports",
    "hometown_articles", "awards", "training_hours", "rotation_share", "secondment_share",
]  # fmt: skip


def _programme_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, float]:
    """研学/座谈交流 sessions (学习参与 page) and 调研报告/回乡见闻 articles (调研成果 page)."""
    sessions = activity_highlights(con, f).iloc[0]
    outputs = output_kpis(con, f).set_index("key")["value"]
    return {
        "research_sessions": float(sessions["research_sessions"]),
        "discussion_sessions": float(sessions["discussion_sessions"]),
        "research_reports": float(outputs["research_reports"]),
        "hometown_articles": float(outputs["hometown_articles"]),
    }


def briefing_figures(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The briefing's key figures: value, 同比 (same period last year), 环比 (previous quarter;
    None for 年初至今), and for quotas the target, pro-rata expectation and status."""
    now = overview_kpis(con, f).set_index("key")  # its "previous" is the 同比 figure
    counts_now = _programme_counts(con, f)
    counts_yoy = _programme_counts(con, f.year_earlier())
    if f.quarter is not None:
        previous = f.quarter_earlier()
        # Only the previous quarter's own figures: not its targets nor its year-earlier figures.
        prev_figures: dict[str, float | None] | None = period_figures(con, previous)
        counts_qoq: dict[str, float] | None = _programme_counts(con, previous)
    else:
        prev_figures, counts_qoq = None, None
    rows = []
    for key in FIGURE_KEYS:
        if key in now.index:
            row = now.loc[key]
            value, unit = row["value"], row["unit"]
            yoy = row["previous"]
            qoq = prev_figures[key] if prev_figures is not None else None
            target, expected, status = row["target"], row["expected"], row["status"]
        else:
            value, unit = counts_now[key], "count"
            yoy = counts_yoy[key]
            qoq = counts_qoq[key] if counts_qoq is not None else None
            target, expected, status = None, None, "none"
        rows.append(
            {
                "key": key,
                "label": t(f"forum.figure.{key}"),
                "value": float_or_none(value),
                "yoy": float_or_none(yoy),
                "qoq": float_or_none(qoq),
                "unit": unit,
                "target": float_or_none(target),
                "expected": float_or_none(expected),
                "status": status,
            }
        )
    return pd.DataFrame(rows)


ATTENTION_COLUMNS = ["cadre_id", "name", "study_group", "division", "reasons", "link"]


def cadres_needing_attention(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in scope behind in the period: low participation, training hours under the
    progress target's amber line (year to date), a missing 政治能力提升报告. Most reasons first.

    A forum's one list of names, so it differs from the pages' lists on purpose: the rate rule
    is participation_by_cadre's below LOW_PARTICIPATION (no "quiet for 8 weeks" rule as in
    participation.cadres_behind), hours only count when under the amber line (the quota page's
    cadres_behind_on_hours lists anyone under pace), and leavers stay in for the period.
    """
    reasons: dict[str, list[str]] = {}
    part = participation_by_cadre(con, f)
    for row in part.itertuples():
        if row.rate < LOW_PARTICIPATION:
            reasons.setdefault(row.cadre_id, []).append(
                t("forum.attention.low_rate", rate=fmt.pct(row.rate))
            )
    hours = training_hours_by_cadre(con, f.year_to_date())
    for row in hours.itertuples():
        if row.expected and row.hours < AMBER_RATIO * row.expected:
            reasons.setdefault(row.cadre_id, []).append(
                t("forum.attention.hours", done=fmt.hours(row.hours),
                  expected=fmt.hours(row.expected))
            )  # fmt: skip
    for row in missing_political_reports(con, f).itertuples():
        reasons.setdefault(row.cadre_id, []).append(
            t("forum.attention.report", quarter=row.quarter)
        )
    if not reasons:
        return pd.DataFrame(columns=ATTENTION_COLUMNS)
    people = run(
        con,
        "SELECT cadre_id, name, study_group, division FROM scoped_cadres(NULL, NULL) "
        "WHERE list_contains($ids, cadre_id)",
        ids=list(reasons),
    )
    people["reasons"] = people["cadre_id"].map(lambda cid: "；".join(reasons[cid]))
    people["n"] = people["cadre_id"].map(lambda cid: len(reasons[cid]))
    people["link"] = people["cadre_id"].map(profile_url)
    people = people.sort_values(["n", "cadre_id"], ascending=[False, True])
    return people[ATTENTION_COLUMNS].reset_index(drop=True)


ACTION_COLUMNS = ["action", "count", "basis"]


def next_quarter_actions(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """What falls due in the next quarter: the plan's rhythms plus catching up what is behind.

    Columns: action (text), count (how many), basis (the target or gap it comes from).
    """
    year, quarter = next_quarter(f)
    label = f"{year}年第{quarter}季度"
    q_start = dt.date(year, 3 * quarter - 2, 1)
    first_month = max(q_start, (f.period_end + dt.timedelta(days=1)).replace(day=1))
    months = sorted(
        {m for m in range(first_month.month, 3 * quarter + 1)} if first_month.year == year else []
    )
    same_year = year == f.year
    targets = targets_for_year(con, year) or targets_for_year(con, f.year)
    ytd = f.year_to_date()
    rows: list[dict[str, Any]] = []

    def add(key: str, count: float, **values: Any) -> None:
        rows.append(
            {
                "action": t(f"forum.action.{key}", quarter=label, **values),
                "count": count,
                "basis": t(f"forum.action.{key}.basis", **values),
            }
        )

    if targets.get("forums_per_quarter"):
        add("forum", targets["forums_per_quarter"], n=fmt.count(targets["forums_per_quarter"]))
    per_month = targets.get("study_days_per_month")
    if per_month:
        behind = 0
        if same_year:
            days = study_days(con, ytd).iloc[0]
            behind = max(0, int(per_month * int(days["months"])) - int(days["held"]))
        add("study_days", per_month * len(months) + behind, months=len(months),
            per_month=fmt.count(per_month), behind=behind)  # fmt: skip
    groups = int(participation_overview(con, ytd).iloc[0]["groups"])
    if groups and months:
        add("mentor_turns", groups * len(months), groups=groups, months=len(months))
    heads = int(headcount(con, ytd).iloc[0]["at_end"])
    if targets.get("political_reports_per_quarter"):
        missing = missing_political_reports(con, ytd) if same_year else pd.DataFrame()
        add("political_reports", heads, n=heads, missing=len(missing),
            per=fmt.count(targets["political_reports_per_quarter"]))  # fmt: skip
    if same_year:
        # The whole year (same group and division, and the reader's row restriction).
        full = f.model_copy(
            update={"quarter": None, "as_of": max(f.as_of, dt.date(f.year, 12, 31))}
        )
        hours = training_hours_by_cadre(con, full)
        short = hours[hours["hours"] < hours["expected"]]
        if targets.get("training_hours_per_cadre") and len(short):
            gap = float((short["expected"] - short["hours"]).sum())
            add("training", len(short), n=len(short), gap=fmt.hours(gap),
                target=fmt.count(targets["training_hours_per_cadre"]))  # fmt: skip
        for key, types in (("rotation", ROTATION_TYPES), ("secondment", SECONDMENT_TYPES)):
            target = targets.get(f"{key}_share")
            if not target:
                continue
            share = assignment_share(con, ytd, types).iloc[0]
            needed = math.ceil(target * int(share["cadres"]) - 1e-9) - int(share["with_stint"])
            if needed > 0:
                add(key, needed, n=needed, target=fmt.pct(target, 0),
                    done=int(share["with_stint"]), cadres=int(share["cadres"]))  # fmt: skip
    else:
        add("new_year", 1, year=year)
    coverage = quota_compliance(con, ytd).set_index("metric")
    for kind, metric in (
        ("业务导师", "business_mentor_share"),
        ("写作导师", "writing_mentor_share"),
    ):
        missing = int(coverage.loc[metric, "denominator"] - coverage.loc[metric, "numerator"])
        if missing > 0:
            add("mentor", missing, kind=kind, n=missing)
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


# ----- the narrative -----


@dataclass
class Section:
    """A heading and its paragraphs; level 1 is 一、…, level 2 is （一）…."""

    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Narrative:
    """The briefing's text as structured sections, with the figures that went into it."""

    title: str
    intro: str
    sections: list[Section]
    facts: dict[str, Any]

    @property
    def text(self) -> str:
        """Plain text: title, intro, then each heading on its own line followed by paragraphs."""
        lines = [self.title, self.intro]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.paragraphs)
        return "\n".join(line for line in lines if line)


def narrative_facts(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    """Every figure the narrative states, computed from the metrics (one dict, for checking)."""
    held = activities_in_scope(con, f)
    discussion = discussion_sessions(con, f)
    highlights = activity_highlights(con, f).iloc[0]
    # 列席: the sessions in which a cadre in scope took a seat (学习参与 page's council_sessions).
    seats = council_sessions(con, f)
    seats = seats[seats["seats_in_scope"] > 0]
    themes = Counter(th for th in discussion["theme"] if isinstance(th, str))
    turns = mentor_turns(con, f)
    reports = reports_in_scope(con, f)
    research_reports = reports[reports["type"] == "调研报告"]
    hometown = reports[(reports["type"] == HOMETOWN[0]) & (reports["source"] == HOMETOWN[1])]
    ytd = f.year_to_date()
    rotation = assignment_share(con, ytd, ROTATION_TYPES).iloc[0]
    secondment = assignment_share(con, ytd, SECONDMENT_TYPES).iloc[0]
    frontline = assignment_share(con, ytd, ["三线历练"]).iloc[0]
    by_category = activities_by_category(con, f).set_index("category")["activities"]
    part = participation_summary(con, f).iloc[0]

    def titles(form: str, category: str | None = None) -> list[dict[str, Any]]:
        rows = held[held["form"] == form]
        if category is not None:
            rows = rows[rows["category"] == category]
        return rows[["title", "scope"]].to_dict("records")

    seat_counts = sorted(set(int(n) for n in seats["seats_in_scope"]))
    return {
        "period": period_name(f),
        "phrase": _period_phrase(f),
        "cadres": int(headcount(con, f).iloc[0]["at_end"]),
        "groups": int(participation_overview(con, f).iloc[0]["groups"]),
        "mentor_turns": int(turns["mentor_name"].notna().sum()),
        "mentor_sessions": int((held["form"] == "导师领学").sum()),
        "study_days": int(study_days(con, f).iloc[0]["held"]),
        "research_batches": int(highlights["research_batches"]),
        "research_sessions": int(highlights["research_sessions"]),
        "discussion_sessions": int(highlights["discussion_sessions"]),
        "discussion_people": int(highlights["discussion_participants"]),
        "discussion_theme": themes.most_common(1)[0][0] if themes else None,
        "council_sessions": len(seats),
        "council_seats": int(seats["seats_in_scope"].sum()),
        "seats_each": seat_counts[0] if len(seat_counts) == 1 else None,
        "activities": {c: int(by_category[c]) for c in CATEGORIES},
        "participation_rate": float_or_none(part["rate"]),
        "party_classes": titles("培训班", "党性教育"),
        "red_visits": titles("红色教育"),
        "party_lessons": titles("专题党课"),
        "warnings": titles("警示教育"),
        "special_studies": titles("专题学习"),
        "practice_visits": titles("基层实践"),
        "innovation": titles("专题讲座") + titles("其他", "实践锻炼") + titles("外出学习"),
        "awards": awards_in_scope(con, f)[["competition", "category", "prize", "work"]]
        .astype(object)
        .where(lambda d: d.notna(), None)
        .to_dict("records"),
        "research_reports": len(research_reports),
        "report_themes": sorted(
            {th for th in research_reports["theme"] if isinstance(th, str)},
            key=lambda theme: ("发展", "民生").index(theme) if theme in ("发展", "民生") else 9,
        ),
        "report_outcomes": {
            k: int((research_reports["outcome"] == k).sum())
            for k in ("领导批示", "采纳", "刊发", "成果转化")
        },
        "hometown_articles": len(hometown),
        "proposals": int((reports["type"] == "改革建议").sum()),
        "rotation_cadres": int(rotation["with_stint"]),
        "rotation_share": float_or_none(rotation["share"]),
        "secondment_cadres": int(secondment["with_stint"]),
        "secondment_share": float_or_none(secondment["share"]),
        "frontline_cadres": int(frontline["with_stint"]),
        "cadres_during_year": int(rotation["cadres"]),
    }


_VERBS = ("参观", "观看", "开展", "举办", "赴", "参加", "组织", "重温")


def _as_action(title: str) -> str:
    """An activity title as a clause: titles that start with a verb stay, others get 举办."""
    return title if title.startswith(_VERBS) else f"举办{title}"


def _clauses(titles: list[str], sep: str = "，") -> str:
    """Activity titles as clauses, runs sharing a verb merged: 参观A、B、C，观看D."""
    runs: list[tuple[str, list[str]]] = []
    for title in titles:
        clause = _as_action(title)
        verb = next((v for v in ("参观", "观看") if clause.startswith(v)), None)
        if verb and runs and runs[-1][0] == verb:
            runs[-1][1].append(clause[len(verb) :])
        else:
            runs.append((verb or "", [clause[len(verb) :] if verb else clause]))
    return sep.join(verb + "、".join(objects) for verb, objects in runs)


def _plain(text: str) -> str:
    """Figures inside prose carry no space before the unit: "51.0 学时" → "51.0学时"."""
    return text.replace(" ", "")


def _join(items: list[str]) -> str:
    return "、".join(items)


def awards_sentence(awards: list[dict[str, Any]]) -> str:
    """The awards in the report's phrasing, one clause per competition, in date order.

    A competition with several awards or with 组别: 选派…参加X，荣获理论组一等奖、演艺组二等奖;
    a single award for a work: 《…》荣获X一等奖, or 《…》在X中取得优异成绩.
    """
    by_competition: dict[str, list[dict[str, Any]]] = {}
    for award in awards:
        by_competition.setdefault(award["competition"], []).append(award)
    clauses = []
    for competition, won in by_competition.items():
        if len(won) > 1 or any(a["category"] for a in won) or not won[0]["work"]:
            prizes = _join([f"{a['category'] or ''}{a['prize']}" for a in won])
            clauses.append(f"选派优秀青年同志参加{competition}，荣获{prizes}")
        else:
            award = won[0]
            work = award["work"]
            if award["prize"] == "优异成绩":
                clauses.append(f"{work}在{competition}中取得优异成绩")
            else:
                clauses.append(f"{work}荣获{competition}{award['prize']}")
    return "；".join(clauses) + "。" if clauses else ""


def _ordinal_points(points: list[str]) -> list[str]:
    """Number the points 一是…二是… in the order given (points that are empty are dropped)."""
    kept = [p for p in points if p]
    return [f"{CN_NUMBERS[i]}是{p}" for i, p in enumerate(kept)]


def _theory_section(x: dict[str, Any]) -> Section:
    points = []
    lead = (
        f"建立导师领学机制，提升学习质效。将办公室{x['cadres']}名青年干部划分为"
        f"{x['groups']}个理论学习小组，各处处长每月轮值担任学习导师"
    )
    extra = []
    if x["mentor_turns"]:
        extra.append(f"累计轮值{x['mentor_turns']}人次")
    if x["mentor_sessions"]:
        extra.append(f"开展导师领学{x['mentor_sessions']}场次")
    if x["study_days"]:
        extra.append(f"举办“青年政治理论学习日”{x['study_days']}次")
    points.append(
        lead + ("，" + "、".join(extra) if extra else "") + "，确保理论学习落到实处、取得实效。"
    )
    study = []
    if x["research_sessions"]:
        batches = f"{x['research_batches']}批次、" if x["research_batches"] else ""
        study.append(f"已组织{batches}{x['research_sessions']}场次研学活动")
    if x["discussion_sessions"]:
        theme = x["discussion_theme"] or ""
        quoted = theme if theme.startswith("“") else f"“{theme}”"
        theme = f"围绕{quoted}等主题" if theme else ""
        study.append(
            f"{x['discussion_people']}名青年干部{theme}开展座谈交流{x['discussion_sessions']}场次"
        )
    if study:
        points.append(
            "建立联动研学机制，创新学习形式。坚持“线上学+线下学”“坐下来听+走出去学”"
            f"“请进来讲+走上台谈”相结合，{x['phrase']}，{'，'.join(study)}。"
        )
    if x["council_sessions"]:
        each = (
            f"每次选派{x['seats_each']}名青年代表列席跟学"
            if x["seats_each"]
            else f"共选派青年代表{x['council_seats']}人次列席跟学"
        )
        points.append(
            "建立列席旁听机制，激发学习热情。建立青年干部列席党组理论中心组学习机制，"
            f"{each}，{x['phrase']}共列席{x['council_sessions']}次。"
        )
    return Section("（一）突出铸魂补钙，上好理论学习“基础课”", 2, _ordinal_points(points))


def _party_section(x: dict[str, Any]) -> Section:
    points = []
    office = [r for r in x["party_classes"] + x["red_visits"] + x["party_lessons"]
              if r["scope"] != "指定"]  # fmt: skip
    chosen = [r for r in x["party_classes"] + x["red_visits"] if r["scope"] == "指定"]
    red = []
    if office:
        red.append(_clauses([r["title"] for r in office]))
    if chosen:
        red.append(f"选派优秀青年参加{_join(r['title'] for r in chosen)}等活动")
    if red:
        points.append(
            f"赓续红色血脉，传承红色基因。{'；'.join(red)}，教育引导青年干部坚定理想信念。"
        )
    clean = []
    if x["warnings"]:
        clean.append(
            f"扎实开展警示教育{len(x['warnings'])}场次，"
            f"{_clauses([r['title'] for r in x['warnings']])}，筑牢思想防线"
        )
    awards = awards_sentence(x["awards"])
    if clean or awards:
        points.append(
            "常敲廉洁警钟，筑牢思想防线。" + ("；".join(clean) + "。" if clean else "") + awards
        )
    if x["special_studies"]:
        points.append(
            f"组织专题学习，强化政治淬炼。开展专题学习{len(x['special_studies'])}场次，"
            f"{'、'.join(r['title'] for r in x['special_studies'])}，推动党性教育入脑入心。"
        )
    if not points:
        points.append(f"{x['phrase']}未开展党性教育活动。")
        return Section("（二）突出固本培元，修好党性教育“终身课”", 2, points)
    return Section("（二）突出固本培元，修好党性教育“终身课”", 2, _ordinal_points(points))


def _practice_section(x: dict[str, Any]) -> Section:
    points = []
    observe = []
    if x["practice_visits"]:
        observe.append(f"组织青年干部开展基层实践、观摩学习{len(x['practice_visits'])}场次")
    if x["research_reports"]:
        themes = f"聚焦{'和'.join(x['report_themes'])}主题，" if x["report_themes"] else ""
        outcomes = [f"{n}篇{k}" if k == "成果转化" else f"{n}篇获{k}" if k == "领导批示"
                    else f"{n}篇被{k}" for k, n in x["report_outcomes"].items() if n]  # fmt: skip
        observe.append(
            f"{themes}撰写调研报告{x['research_reports']}篇"
            + (f"，其中{'、'.join(outcomes)}" if outcomes else "")
        )
    if observe:
        points.append(
            "建强产业观察哨，深入一线践学。聚焦“10+1”创新型产业体系，" + "，".join(observe) + "。"
        )
    posts = []
    if x["rotation_cadres"]:
        posts.append(
            f"{x['rotation_cadres']}名青年干部参与跨处室轮岗和巡视巡察、信访接待等专项工作"
            f"（占{fmt.pct(x['rotation_share'])}）"
        )
    if x["secondment_cadres"]:
        posts.append(
            f"{x['secondment_cadres']}名到区县部门、乡镇街道挂职锻炼（占{fmt.pct(x['secondment_share'])}）"
        )
    if x["frontline_cadres"]:
        posts.append(f"{x['frontline_cadres']}名到重大任务一线历练")
    if posts:
        points.append(
            "设立攻坚突击队，立足岗位践学。锚定办公室“三服务”工作实际，"
            f"年初以来{'，'.join(posts)}，在急难险重任务中担当作为。"
        )
    create = []
    if x["innovation"]:
        create.append(_clauses([r["title"] for r in x["innovation"]]))
    if x["hometown_articles"]:
        create.append(f"开展“回乡见闻”产业调研，形成高质量调研文章{x['hometown_articles']}篇")
    if x["proposals"]:
        create.append(f"提出改革建议{x['proposals']}篇")
    if create:
        points.append("打造创新试验场，瞄准目标践学。" + "；".join(create) + "。")
    if not points:
        points.append(f"{x['phrase']}未开展实践锻炼活动。")
        return Section("（三）突出知行合一，练好实践锻炼“必修课”", 2, points)
    return Section("（三）突出知行合一，练好实践锻炼“必修课”", 2, _ordinal_points(points))


_PLAN_TEXT = {
    "study_days_per_month": (
        "坚持每月开展“青年政治理论学习日”",
        "年初以来已开展{actual}次，按每月{per_month}次应开展{expected}次，尚差{gap}次。下一步将按月排定学习主题，逐月落实，补齐欠账。",
    ),
    "political_reports_per_quarter": (
        "压实政治能力提升报告撰写",
        "已完成季度的报告提交率为{actual}，尚有{missing}人次未提交。下一步将逐人督促补交，按季度通报提交情况。",
    ),
    "training_hours_per_cadre": (
        "加快专业培训学时进度",
        "人均完成专业培训{actual}，低于进度目标{expected}（全年目标{target}）。下一步将依托在线学习平台定制公文写作、会议服务、应急处突等微课程，督促{behind}名进度落后的青年干部补齐学时。",
    ),
    "rotation_share": (
        "加大轮岗交流和专项工作力度",
        "参与跨处室轮岗和专项工作的青年干部占{actual}，低于进度目标{expected}（全年目标{target}）。下一步将统筹安排巡视巡察、信访接待等专项工作，确保完成全年目标。",
    ),
    "secondment_share": (
        "推进青年蹲苗行动",
        "到区县部门、乡镇街道挂职的青年干部占{actual}，低于进度目标{expected}（全年目标{target}）。下一步将分批选派青年干部挂职锻炼。",
    ),
    "business_mentor_share": (
        "实施青蓝接力工程，配齐业务导师",
        "已配备业务导师的青年干部占{actual}，尚有{missing}名未配备。下一步将为每名青年干部配齐业务导师。",
    ),
    "writing_mentor_share": (
        "配齐写作导师，锻造文稿硬功",
        "已配备写作导师的青年干部占{actual}，尚有{missing}名未配备。下一步将为每名青年干部配齐写作导师。",
    ),
    "forums_per_quarter": (
        "每季度召开青年干部座谈会",
        "年初以来已召开{actual}次，应召开{expected}次。下一步将按季度召开，办公室主要领导面对面听取意见建议。",
    ),
}


def plan_items(con: duckdb.DuckDBPyConnection, f: Filters) -> list[tuple[str, str, dict[str, Any]]]:
    """二、下一步工作打算: one item per quota behind its progress target, worst first.

    The quotas, their figures and their status are the 指标达成 page's (`quota_compliance`).
    Returns (heading, paragraph, figures) triples; empty when every quota is on track.
    """
    quotas = quota_compliance(con, f)
    behind = quotas[quotas["status"].isin(["red", "amber"])].copy()
    behind["order"] = behind["status"].map({"red": 0, "amber": 1})
    behind = behind.sort_values(["order", "progress"], kind="stable")
    ytd = f.year_to_date()
    items = []
    for row in behind.itertuples():
        heading, body = _PLAN_TEXT[row.metric]
        values: dict[str, Any] = {
            "actual": _plain(fmt.number(row.actual, row.unit)),
            "expected": _plain(fmt.number(row.expected, row.unit)),
            "target": _plain(
                fmt.pct(row.target, 0) if row.unit == "share" else f"{row.target:g}学时"
            ),
        }
        figures: dict[str, Any] = {"actual": row.actual, "expected": row.expected}
        missing = int(row.denominator - row.numerator)
        if row.metric in ("study_days_per_month", "forums_per_quarter"):
            values.update(actual=fmt.count(row.actual), expected=fmt.count(row.expected),
                          gap=fmt.count(row.expected - row.actual),
                          per_month=f"{row.target:g}")  # fmt: skip
        elif row.metric == "political_reports_per_quarter":
            # Said as the share of due reports submitted (numerator ÷ denominator).
            values.update(actual=_plain(fmt.pct(row.numerator / row.denominator)), missing=missing)
            figures["missing"] = missing
        elif row.metric == "training_hours_per_cadre":
            hours = training_hours_by_cadre(con, ytd)
            n = int((hours["hours"] < hours["expected"]).sum())
            values["behind"] = n
            figures["behind"] = n
        elif row.metric in ("business_mentor_share", "writing_mentor_share"):
            values["missing"] = missing
            figures["missing"] = missing
        items.append((heading, body.format(**values), {"key": row.metric, **figures}))
    return items


def briefing_narrative(con: duckdb.DuckDBPyConnection, f: Filters) -> Narrative:
    """The briefing's Chinese narrative, in the work report's register and structure."""
    x = narrative_facts(con, f)
    scope = "、".join(v for v in (f.group, f.division) if v)
    title = f"{x['period']}青年干部培养工作情况" + (f"（{scope}）" if scope else "")
    acts = x["activities"]
    rate = (
        f"，青年干部活动参与率{fmt.pct(x['participation_rate'])}"
        if x["participation_rate"] is not None
        else ""
    )
    intro = (
        f"{x['phrase']}，市政府办公室坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻"
        "习近平总书记关于青年工作的重要讲话和指示批示精神，创新实施理论学习、党性教育、实践锻炼"
        f"“三课联动”培养机制，共组织理论学习活动{acts['理论学习']}场次、党性教育活动"
        f"{acts['党性教育']}场次、实践锻炼活动{acts['实践锻炼']}场次{rate}，"
        "助力青年干部在“三服务”实践中淬火成钢。"
    )
    sections = [
        Section("一、主要工作情况", 1),
        _theory_section(x),
        _party_section(x),
        _practice_section(x),
        Section("二、下一步工作打算", 1),
    ]
    plans = plan_items(con, f)
    x["plan"] = [figures for _, _, figures in plans]
    for i, (heading, body, _) in enumerate(plans):
        sections.append(Section(f"（{CN_NUMBERS[i]}）{heading}", 2, [body]))
    if not plans:
        sections.append(
            Section(
                "（一）巩固“三课联动”培养成效",
                2,
                ["各项年度指标均达到进度目标。下一步将持续落实导师领学、研学交流、列席旁听等机制，"
                 "每季度召开青年干部座谈会，确保青年干部留得住、成长快、用得好。"],
            )
        )  # fmt: skip
    return Narrative(title=title, intro=intro, sections=sections, facts=x)


# ----- the pack: everything the page, the Word/PDF and the Excel show, computed once -----


def display_table(df: pd.DataFrame, prefix: str = "forum") -> pd.DataFrame:
    """The frame with Chinese headers from the labels table (`<prefix>.col.<column>`); dates
    shown as dates (no 00:00:00)."""
    df = df.copy()
    for column in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[column]):
            df[column] = df[column].dt.date
    return headed(df, prefix)


def figures_display(figures: pd.DataFrame) -> pd.DataFrame:
    """Key figures as the office writes them: 指标, 本期, 同比, 环比 (formatted text)."""
    rows = []
    for row in figures.itertuples():
        rows.append(
            {
                "label": row.label,
                "value_text": fmt.number(row.value, row.unit),
                "yoy_delta": fmt.delta(row.value, row.yoy, row.unit) or "—",
                "qoq_delta": fmt.delta(row.value, row.qoq, row.unit) or "—",
            }
        )
    return display_table(pd.DataFrame(rows, columns=["label", "value_text", "yoy_delta",
                                                       "qoq_delta"]))  # fmt: skip


@dataclass
class BriefingPack:
    """One period's briefing: every table behind a figure, chart or sentence, and the text."""

    f: Filters
    figures: pd.DataFrame
    participation: pd.DataFrame
    output: pd.DataFrame
    reports: pd.DataFrame
    awards_chart: pd.DataFrame
    awards: pd.DataFrame
    quota: pd.DataFrame
    attention: pd.DataFrame
    people: pd.DataFrame
    actions: pd.DataFrame
    narrative: Narrative

    def tables(self) -> dict[str, pd.DataFrame]:
        """Sheet name → table with Chinese headers: one sheet per table (the Excel download)."""
        facts = [
            {"fact": key, "fact_value": v if isinstance(v, int | float | str) else str(v)}
            for key, v in self.narrative.facts.items()
        ]  # fmt: skip
        return {
            t("forum.sheet.figures"): display_table(self.figures),
            t("forum.sheet.participation"): display_table(
                self.participation.rename(columns={"expected": "expected_attendance"})
            ),
            t("forum.sheet.output"): display_table(self.output),
            t("forum.sheet.reports"): display_table(self.reports),
            t("forum.sheet.awards_chart"): display_table(self.awards_chart),
            t("forum.sheet.awards"): display_table(self.awards),
            t("forum.sheet.quota"): compliance_table(self.quota),
            t("forum.sheet.attention"): display_table(self.attention),
            t("forum.sheet.people"): display_table(self.people),
            t("forum.sheet.actions"): display_table(self.actions),
            t("forum.sheet.facts"): display_table(pd.DataFrame(facts, columns=["fact",
                                                                               "fact_value"])),
        }  # fmt: skip


def briefing_pack(con: duckdb.DuckDBPyConnection, f: Filters) -> BriefingPack:
    """Compute the whole briefing for the period `f` (a quarter, or 年初至今 when quarter=None)."""
    groups = sort_natural(participation_by_group(con, f), "study_group")
    reports = reports_in_scope(con, f)
    awards = awards_in_scope(con, f)
    return BriefingPack(
        f=f,
        figures=briefing_figures(con, f),
        participation=groups,
        output=reports_by_type(con, f),
        reports=reports,
        awards_chart=awards_by_level_prize(con, f),
        awards=awards,
        quota=quota_compliance(con, f),
        attention=attention_items(con, f),
        people=cadres_needing_attention(con, f),
        actions=next_quarter_actions(con, f),
        narrative=briefing_narrative(con, f),
    )
