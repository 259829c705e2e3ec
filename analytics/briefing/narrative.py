"""季度座谈会 narrative: the period's text in the work report's register and structure.

`narrative_facts` gathers every figure the text states in one dict (so tests, and readers, can
check the text against the metrics); the sections below decide which sentences apply and fill
them. The sentences themselves are data: `narrative.toml` beside this file, one format string
each, so the office can change a phrase without touching Python.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.metrics.activities import CATEGORIES, activities_by_category, activities_in_scope
from analytics.metrics.cadres import headcount
from analytics.metrics.overview import float_or_none
from analytics.metrics.participation import (
    activity_highlights,
    discussion_sessions,
    participation_overview,
    participation_summary,
)
from analytics.metrics.quotas import quota_needs
from analytics.metrics.reports import HOMETOWN
from analytics.metrics.rotation import council_sessions, mentor_turns, study_days
from analytics.metrics.targets import QUOTA_UNITS
from analytics.semantic.answer import figures
from analytics.semantic.scope import awards_in_scope, reports_in_scope

WORDING_FILE = Path(__file__).with_name("narrative.toml")
# The 轮岗/挂职/三线历练 figures the narrative states: the semantic layer's measures.
STINT_MEASURES = ("cadres_in_year", "rotation_cadres", "rotation_share", "secondment_cadres",
                  "secondment_share", "frontline_cadres")  # fmt: skip


@cache
def wording() -> dict[str, Any]:
    """The narrative's sentences (narrative.toml), read once per process."""
    with WORDING_FILE.open("rb") as fh:
        return tomllib.load(fh)


def w(key: str, **values: Any) -> str:
    """The sentence `section.name` of narrative.toml, filled with `values`."""
    node: Any = wording()
    for part in key.split("."):
        node = node[part]
    return node.format(**values) if values else node


def _sep(kind: str) -> str:
    return wording()["sep"][kind]


# ----- periods as the report names them -----


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


def period_name(f: Filters) -> str:
    """2025年第3季度 / 2025年1—11月 (年初至今) / 2024年 (a whole year)."""
    if f.quarter is not None:
        return f.label()
    if f.period_end < f.period_end_full:
        if f.period_end.month == 1:
            return w("period.january", year=f.year)
        return w("period.months", year=f.year, month=f.period_end.month)
    return f.label()


def _period_phrase(f: Filters) -> str:
    """How the report opens a sentence about the period: 今年以来 / 本季度 / 2024年."""
    if f.quarter is not None:
        return w("period.quarter")
    if f.year == f.as_of.year:
        return w("period.this_year")
    return w("period.year", year=f.year)


# ----- the figures -----


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
    stints = figures(con, f, STINT_MEASURES)  # the catalogue's, counted from 1 January
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
        "group": f.group,
        "division": f.division,
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
        "rotation_cadres": stints["rotation_cadres"],
        "rotation_share": stints["rotation_share"],
        "secondment_cadres": stints["secondment_cadres"],
        "secondment_share": stints["secondment_share"],
        "frontline_cadres": stints["frontline_cadres"],
        "cadres_during_year": stints["cadres_in_year"],
    }


# ----- sentence pieces -----


def _as_action(title: str) -> str:
    """An activity title as a clause with a verb: a title that starts with one stays; one that
    starts or ends as narrative.toml's [activity] tables say gets their verb; others `held`.
    A subtitle after "：" becomes a clause of its own; a trailing note such as （市委党校专家授课）
    leads the clause (邀请…，)."""
    a = wording()["activity"]
    note = ""
    for ending in a["note_endings"]:
        head, sep, tail = title.rpartition("（")
        if sep and tail.endswith(ending + "）"):
            title, note = head, tail[:-1]
            break
    title = title.replace("：", _sep("clause"))
    if title.startswith(tuple(a["verbs"])):
        clause = title
    else:
        verb = next((v for k, v in a["prefix_verbs"] if title.startswith(k)), None)
        verb = verb or next((v for k, v in a["suffix_verbs"] if title.endswith(k)), None)
        clause = verb + title if verb else w("activity.held", title=title)
    return w("activity.noted", note=note, clause=clause) if note else clause


def _series(titles: list[str]) -> list[tuple[str, int]]:
    """Titles of one series numbered （一）（二）… said once, with the number of sessions:
    [(“学思享…”系列活动, 2)], in the order of first appearance."""
    runs: dict[str, int] = {}
    for title in titles:
        base = re.sub(wording()["activity"]["series_number"], "", title)
        runs[base] = runs.get(base, 0) + 1
    return list(runs.items())


def _counted(text: str, n: int) -> str:
    return text if n == 1 else w("activity.series", title=text, n=n)


def _clauses(titles: list[str], sep: str | None = None) -> str:
    """Activity titles as clauses, runs sharing a verb merged: 参观A、B、C，观看D."""
    merged = wording()["activity"]["merged_verbs"]
    runs: list[tuple[str, list[str]]] = []
    for title, n in _series(titles):
        clause = _counted(_as_action(title), n)
        verb = next((v for v in merged if clause.startswith(v)), None)
        if verb and runs and runs[-1][0] == verb:
            runs[-1][1].append(clause[len(verb) :])
        else:
            runs.append((verb or "", [clause[len(verb) :] if verb else clause]))
    joined = (sep or _sep("clause")).join(verb + _join(objects) for verb, objects in runs)
    return joined


def _plain(text: str) -> str:
    """Figures inside prose carry no space before the unit: "51.0 学时" → "51.0学时"."""
    return text.replace(" ", "")


def _join(items: Any) -> str:
    """Items joined by 、, except that quoted titles follow each other bare: “A”“B”."""
    out = ""
    for item in items:
        quoted = out.endswith(("”", "》")) and item.startswith(("“", "《"))
        out += item if not out or quoted else _sep("list") + item
    return out


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
            clauses.append(w("awards.several", competition=competition, prizes=prizes))
        else:
            award = won[0]
            work = award["work"]
            if award["prize"] == w("awards.excellent_prize"):
                clauses.append(w("awards.excellent", work=work, competition=competition))
            else:
                clauses.append(
                    w("awards.single", work=work, competition=competition, prize=award["prize"])
                )
    return _sep("point").join(clauses) + w("awards.end") if clauses else ""


def _number(i: int) -> str:
    return w("heading.numbers")[i]


def _ordinal_points(points: list[str]) -> list[str]:
    """Number the points 一是…二是… in the order given (points that are empty are dropped)."""
    kept = [p for p in points if p]
    return [w("heading.ordinal", number=_number(i), point=p) for i, p in enumerate(kept)]


# ----- 一、主要工作情况 -----


def _theory_section(x: dict[str, Any]) -> Section:
    points = []
    extra = []
    if x["mentor_turns"]:
        extra.append(w("theory.mentor_turns", n=x["mentor_turns"]))
    if x["mentor_sessions"]:
        extra.append(w("theory.mentor_sessions", n=x["mentor_sessions"]))
    if x["study_days"]:
        extra.append(w("theory.study_days", n=x["study_days"]))
    # Who the paragraph is about: the office, one group, or one division's cadres.
    kind = "group" if x["group"] else "division" if x["division"] else "office"
    points.append(
        w(
            f"theory.mentor_{kind}",
            cadres=x["cadres"],
            groups=x["groups"],
            group=x["group"],
            division=x["division"],
            extra=w("theory.mentor_extra", items=_join(extra)) if extra else "",
        )
    )
    study = []
    if x["research_sessions"]:
        batches = w("theory.batches", n=x["research_batches"]) if x["research_batches"] else ""
        study.append(w("theory.research", batches=batches, n=x["research_sessions"]))
    if x["discussion_sessions"]:
        theme = x["discussion_theme"] or ""
        quoted = theme if theme.startswith("“") else w("theory.theme_quoted", theme=theme)
        theme = w("theory.theme", theme=quoted) if theme else ""
        study.append(
            w(
                "theory.discussion",
                people=x["discussion_people"],
                theme=theme,
                n=x["discussion_sessions"],
            )
        )
    if study:
        points.append(w("theory.study", phrase=x["phrase"], items=_sep("clause").join(study)))
    if x["council_sessions"]:
        each = (
            w("theory.seats_each", n=x["seats_each"])
            if x["seats_each"]
            else w("theory.seats_total", n=x["council_seats"])
        )
        points.append(w("theory.council", each=each, phrase=x["phrase"], n=x["council_sessions"]))
    return Section(w("heading.theory"), 2, _ordinal_points(points))


def _party_section(x: dict[str, Any]) -> Section:
    points = []
    office = [r for r in x["party_classes"] + x["red_visits"] + x["party_lessons"]
              if r["scope"] != "指定"]  # fmt: skip
    chosen = [r for r in x["party_classes"] + x["red_visits"] if r["scope"] == "指定"]
    red = []
    if office:
        red.append(_clauses([r["title"] for r in office]))
    if chosen:
        series = _series([r["title"] for r in chosen])
        red.append(w("party.chosen", titles=_join(_counted(t, n) for t, n in series)))
    if red:
        points.append(w("party.red", items=_sep("point").join(red)))
    clean = []
    if x["warnings"]:
        clean.append(
            w(
                "party.warnings",
                n=len(x["warnings"]),
                clauses=_clauses([r["title"] for r in x["warnings"]]),
            )
        )
    if clean:
        points.append(w("party.clean", clean=_sep("point").join(clean)))
    awards = awards_sentence(x["awards"])
    if awards:  # a paragraph of its own, as the report's awards stand out
        points.append(w("party.awards", awards=awards))
    if x["special_studies"]:
        points.append(
            w(
                "party.special",
                n=len(x["special_studies"]),
                clauses=_clauses([r["title"] for r in x["special_studies"]]),
            )
        )
    if not points:
        return Section(w("heading.party"), 2, [w("party.none", phrase=x["phrase"])])
    return Section(w("heading.party"), 2, _ordinal_points(points))


def _outcome(kind: str, n: int) -> str:
    if kind == "成果转化":
        return w("practice.outcome_transfer", n=n, kind=kind)
    if kind == "领导批示":
        return w("practice.outcome_instruction", n=n, kind=kind)
    return w("practice.outcome_other", n=n, kind=kind)


def _practice_section(x: dict[str, Any]) -> Section:
    points = []
    observe = []
    if x["practice_visits"]:
        observe.append(w("practice.visits", n=len(x["practice_visits"])))
    if x["research_reports"]:
        themes = x["report_themes"]
        themes = w("practice.themes", themes=_sep("theme").join(themes)) if themes else ""
        outcomes = [_outcome(k, n) for k, n in x["report_outcomes"].items() if n]
        observe.append(
            w(
                "practice.reports",
                themes=themes,
                n=x["research_reports"],
                outcomes=w("practice.outcomes", items=_join(outcomes)) if outcomes else "",
            )
        )
    if observe:
        points.append(w("practice.observe", items=_sep("clause").join(observe)))
    posts = []
    if x["rotation_cadres"]:
        share = fmt.pct(x["rotation_share"])
        posts.append(w("practice.rotation", n=x["rotation_cadres"], share=share))
    if x["secondment_cadres"]:
        share = fmt.pct(x["secondment_share"])
        posts.append(w("practice.secondment", n=x["secondment_cadres"], share=share))
    if x["frontline_cadres"]:
        posts.append(w("practice.frontline", n=x["frontline_cadres"]))
    if posts:  # one denominator: the shares are of the cadres in post during the year
        points.append(
            w("practice.posts", cadres=x["cadres_during_year"], items=_sep("clause").join(posts))
        )
    create = []
    if x["innovation"]:
        create.append(_clauses([r["title"] for r in x["innovation"]]))
    if x["hometown_articles"]:
        create.append(w("practice.hometown", n=x["hometown_articles"]))
    if x["proposals"]:
        create.append(w("practice.proposals", n=x["proposals"]))
    if create:
        points.append(w("practice.create", items=_sep("point").join(create)))
    if not points:
        return Section(w("heading.practice"), 2, [w("practice.none", phrase=x["phrase"])])
    return Section(w("heading.practice"), 2, _ordinal_points(points))


# ----- 二、下一步工作打算 -----


def _need(row: Any) -> str:
    """One quota's clause: what it still needs for the year, or that it is met."""
    key = f"plan.need.{row.metric}"
    target = fmt.pct(row.target, 0) if QUOTA_UNITS[row.metric] == "share" else f"{row.target:g}"
    values = {
        "done": f"{row.done:,.0f}", "required": f"{row.required:,.0f}",
        "needed": f"{row.needed:,.0f}", "cadres": int(row.cadres), "target": target,
    }  # fmt: skip
    if row.metric == "training_hours_per_cadre":
        values.update(needed=_plain(fmt.hours(row.needed)), short=int(row.short_cadres or 0))
    return w(f"{key}.{'met' if row.needed <= 0 else 'need'}", **values)


def plan_sections(
    con: duckdb.DuckDBPyConnection, f: Filters
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """二、下一步工作打算 under the work report's four headings: each says what its quotas still
    need for the year at the as-of date (quotas.quota_needs), after the report's own plan.

    Returns (heading, paragraph, figures) triples; figures are one dict per quota stated.
    """
    needs = quota_needs(con, f.model_copy(update={"quarter": None}))
    plan = wording()["plan"]
    sections = []
    for name in plan["order"]:
        part = plan[name]
        rows = [r for r in needs.itertuples() if r.metric in part["quotas"]]
        rows.sort(key=lambda r: part["quotas"].index(r.metric))
        body = part["lead"]
        if rows:
            body += w("plan.needs", items=_sep("point").join(_need(r) for r in rows))
        figures = [{"key": r.metric, "done": r.done, "required": r.required,
                    "needed": r.needed} for r in rows]  # fmt: skip
        sections.append((part["heading"], body, figures))
    return sections


def briefing_narrative(con: duckdb.DuckDBPyConnection, f: Filters) -> Narrative:
    """The briefing's Chinese narrative, in the work report's register and structure."""
    x = narrative_facts(con, f)
    scope = _join(v for v in (f.group, f.division) if v)
    title = w("title.text", period=x["period"]) + (w("title.scope", scope=scope) if scope else "")
    acts = x["activities"]
    rate = (
        w("intro.rate", rate=fmt.pct(x["participation_rate"]))
        if x["participation_rate"] is not None
        else ""
    )
    intro = w(
        "intro.text",
        phrase=x["phrase"],
        theory=acts["理论学习"],
        party=acts["党性教育"],
        practice=acts["实践锻炼"],
        rate=rate,
    )
    sections = [
        Section(w("heading.main"), 1),
        _theory_section(x),
        _party_section(x),
        _practice_section(x),
        Section(w("heading.plan"), 1),
    ]
    plans = plan_sections(con, f)
    x["plan"] = [figures for _, _, items in plans for figures in items]
    for i, (heading, body, _) in enumerate(plans):
        sections.append(Section(w("heading.plan_item", number=_number(i), heading=heading), 2,
                                [body]))  # fmt: skip
    return Narrative(title=title, intro=intro, sections=sections, facts=x)
