"""Plausibility across fields: values each valid alone that cannot all be true together.

Run on the rows that passed their own checks (analytics.store.models), before anything is
written; each refusal names every cell involved and its value:

- every date between 1950-01-01 and a year after the upload (a 2052 typed for 2025 is caught);
- 出生日期 before 入职日期, and at least 16 years before it;
- 计入学时 not above the activity's 学时 (the activity in this upload, else in the database);
- 请假 and 缺席 credit 0 学时.

(调离 before 入职 and an assignment ending before it starts are the models' own rules, since a
record is impossible with them.) These are import rules, not model rules: the demo office is
generated, not uploaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from analytics.common.labels import t
from analytics.dataio.checks import Row
from analytics.dataio.plan import Problem
from analytics.store.models import Activity, Attendance, Cadre, Record

FIRST_DATE = dt.date(1950, 1, 1)
MIN_AGE_AT_JOINING = 16
NO_CREDIT = ("请假", "缺席")


def plausibility(
    con: duckdb.DuckDBPyConnection, rows_by_model: dict[type[Record], list[Row]], today: dt.date
) -> list[Problem]:
    """The problems of the validated rows (`row.record` set) against the rules above."""
    last_date = _years_later(today, 1)
    problems: list[Problem] = []
    hours = _activity_hours(con, rows_by_model)
    for model, rows in rows_by_model.items():
        dates = [(name, f.alias or name) for name, f in model.model_fields.items()
                 if _is_date(f.annotation)]  # fmt: skip
        for row in rows:
            record = row.record
            if record is None:
                continue

            def refuse(columns: str, value: str, message: str, row: Row = row) -> None:
                problems.append(Problem(row.file, row.sheet, row.number, columns, value, message))

            for name, header in dates:
                day = getattr(record, name)
                if day is None:
                    continue
                if day < FIRST_DATE:
                    refuse(header, day.isoformat(), t("data.err.too_early", first=FIRST_DATE))
                elif day > last_date:
                    refuse(header, day.isoformat(), t("data.err.too_late", last=last_date))
            if isinstance(record, Cadre):
                _cadre(record, refuse)
            elif isinstance(record, Attendance):
                _attendance(record, hours, refuse)
    return problems


def _cells(model: type[Record], *pairs: tuple[str, str]) -> tuple[str, str]:
    """The headers of the named fields, joined (the problem's column), and each with its value."""
    headers = [model.model_fields[name].alias or name for name, _ in pairs]
    shown = "，".join(f"{h} {value}" for h, (_, value) in zip(headers, pairs, strict=True))
    return "、".join(headers), shown


def _cadre(record: Cadre, refuse: Any) -> None:
    born, joined = record.birth_date, record.join_date
    if born is None:
        return
    columns, shown = _cells(Cadre, ("birth_date", born.isoformat()),
                            ("join_date", joined.isoformat()))  # fmt: skip
    if born >= joined:
        refuse(columns, shown, t("data.err.born_after_joining"))
    elif born > _years_later(joined, -MIN_AGE_AT_JOINING):
        refuse(columns, shown, t("data.err.too_young", years=MIN_AGE_AT_JOINING))


def _attendance(record: Attendance, hours: dict[str, float], refuse: Any) -> None:
    credited = _number(record.credited_hours)
    if record.status in NO_CREDIT and record.credited_hours > 0:
        columns, shown = _cells(Attendance, ("status", record.status),
                                ("credited_hours", credited))  # fmt: skip
        refuse(columns, shown, t("data.err.credit_when_absent", status=record.status))
    limit = hours.get(record.activity_id)
    if limit is not None and record.credited_hours > limit:
        column = Attendance.model_fields["credited_hours"].alias or "credited_hours"
        refuse(column, credited,
               t("data.err.credit_above_hours", activity=record.activity_id,
                 hours=_number(limit)))  # fmt: skip


def _activity_hours(
    con: duckdb.DuckDBPyConnection, rows_by_model: dict[type[Record], list[Row]]
) -> dict[str, float]:
    """学时 of every activity the upload's attendance names: this upload's row, else stored."""
    named = {r.record.activity_id for r in rows_by_model.get(Attendance, []) if r.record}
    if not named:
        return {}
    hours = dict(
        con.execute(
            "SELECT activity_id, hours FROM activities WHERE activity_id IN (SELECT unnest($ids))",
            {"ids": sorted(named)},
        ).fetchall()
    )
    for row in rows_by_model.get(Activity, []):
        if isinstance(row.record, Activity):
            hours[row.record.activity_id] = row.record.hours
    return hours


def _is_date(annotation: Any) -> bool:
    return annotation is dt.date or (
        getattr(annotation, "__args__", None) is not None and dt.date in annotation.__args__
    )


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
