"""Tiny literal databases for tests: build records with few keystrokes, insert them, query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import duckdb

from analytics.common.filters import Filters
from analytics.store.db import create_schema, insert_rows, rows_by_table
from analytics.store.models import (
    Activity,
    Assessment,
    Assignment,
    Attendance,
    Award,
    Cadre,
    Mentorship,
    Record,
    Report,
    Target,
    Training,
)

D = dt.date


def cadre(cid: str, group: str | None = "一组", division: str = "秘书一处", **kw: Any) -> Cadre:
    fields: dict[str, Any] = {
        "cadre_id": cid, "name": f"干部{cid}", "gender": "男", "division": division,
        "study_group": group, "join_date": D(2020, 1, 1),
    }  # fmt: skip
    fields.update(kw)
    return Cadre(**fields)


def activity(aid: str, day: dt.date, **kw: Any) -> Activity:
    fields: dict[str, Any] = {
        "activity_id": aid, "title": f"活动{aid}", "category": "理论学习", "form": "导师领学",
        "scope": "全体", "date": day, "hours": 2,
    }  # fmt: skip
    fields.update(kw)
    return Activity(**fields)


def present(
    aid: str, cid: str, status: str = "出席", role: str = "参加", hours: float = 2
) -> Attendance:
    return Attendance(
        activity_id=aid, cadre_id=cid, role=role, status=status,
        credited_hours=hours if status == "出席" else 0,
    )  # fmt: skip


def report(rid: str, day: dt.date, lead: str, **kw: Any) -> Report:
    fields: dict[str, Any] = {
        "report_id": rid, "title": f"成果{rid}", "type": "调研报告", "source": "产业观察",
        "submit_date": day, "lead_author": lead,
    }  # fmt: skip
    fields.update(kw)
    return Report(**fields)


def award(wid: str, day: dt.date, winners: list[str], **kw: Any) -> Award:
    fields: dict[str, Any] = {
        "award_id": wid, "competition": f"比赛{wid}", "level": "市直机关", "date": day,
        "prize": "一等奖", "winners": winners,
    }  # fmt: skip
    fields.update(kw)
    return Award(**fields)


def stint(
    cid: str, kind: str, start: dt.date, end: dt.date | None, place: str = "某单位"
) -> Assignment:
    return Assignment(cadre_id=cid, type=kind, destination=place, start_date=start, end_date=end)


def course(cid: str, day: dt.date, hours: float, name: str = "公文写作") -> Training:
    return Training(
        cadre_id=cid, course=name, category="公文写作", hours=hours, completion_date=day,
        mode="线上",
    )  # fmt: skip


def assessment(
    cid: str, period: str, result: str = "提交", kind: str = "政治能力提升报告"
) -> Assessment:
    return Assessment(cadre_id=cid, period=period, type=kind, result=result)


def mentor(
    cid: str, kind: str, start: dt.date, end: dt.date | None = None, name: str = "周立新"
) -> Mentorship:
    return Mentorship(
        cadre_id=cid, mentor_name=name, mentor_type=kind, start_date=start, end_date=end
    )


def target(metric: str, year: int, value: float) -> Target:
    return Target(metric=metric, year=year, value=value)


def database(records: Iterable[Record]) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema and exactly these records."""
    con = duckdb.connect()
    create_schema(con)
    insert_rows(con, rows_by_table(records))
    return con


YEAR_END_2025 = D(2025, 12, 31)


def filters(year: int = 2025, as_of: dt.date = YEAR_END_2025, **kw: Any) -> Filters:
    return Filters(year=year, as_of=as_of, **kw)
