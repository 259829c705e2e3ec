"""The year's targets: which quotas there are and their units, reading a year's values, and the
one writer (the 指标达成 editor and the 竞赛获奖 points weighting both go through `write_targets`,
which audits and bumps the data version in the same transaction)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import duckdb
import pandas as pd

from analytics.access.audit import AuditHook
from analytics.common.labels import t
from analytics.store import journal
from analytics.store.db import bump_data_version
from analytics.store.models import QUOTA_METRICS, Target

Unit = Literal["share", "hours", "count"]

# The quotas in the order the work report lists them; every one is a row of the targets table.
QUOTA_KEYS: tuple[str, ...] = (
    "rotation_share",
    "secondment_share",
    "training_hours_per_cadre",
    "business_mentor_share",
    "writing_mentor_share",
    "political_reports_per_quarter",
    "study_days_per_month",
    "forums_per_quarter",
)
QUOTA_UNITS: dict[str, Unit] = {
    "rotation_share": "share",
    "secondment_share": "share",
    "training_hours_per_cadre": "hours",
    "business_mentor_share": "share",
    "writing_mentor_share": "share",
    "political_reports_per_quarter": "count",
    "study_days_per_month": "count",
    "forums_per_quarter": "count",
}


def targets_for_year(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, float]:
    """Every target of `year` by metric key: the year's own value, else the plan's default
    (schema.sql's targets_of; a new database has only the defaults)."""
    rows = con.execute("SELECT metric, value FROM targets_of(?)", [year]).fetchall()
    return {metric: float(value) for metric, value in rows}


def default_targets(con: duckdb.DuckDBPyConnection, year: int) -> set[str]:
    """The metric keys whose `year` value is the default (the year has none of its own)."""
    rows = con.execute("SELECT metric FROM targets_of(?) WHERE is_default", [year]).fetchall()
    return {metric for (metric,) in rows}


def target_inputs(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Every quota of `year` as the editor shows it: shares in percent, None where unset, and
    whether the value is the default (saving the form makes it the year's own)."""
    targets = targets_for_year(con, year)
    defaults = default_targets(con, year)
    rows = []
    for key in QUOTA_KEYS:
        value = targets.get(key)
        if value is not None and QUOTA_UNITS[key] == "share":
            value = round(value * 100, 6)
        rows.append({"metric": key, "value": value, "percent": QUOTA_UNITS[key] == "share",
                     "is_default": key in defaults})  # fmt: skip
    return pd.DataFrame(rows, columns=["metric", "value", "percent", "is_default"])


def validate_targets(entered: Mapping[str, Any]) -> tuple[dict[str, float], list[str]]:
    """Check editor values (shares in percent); return stored values and Chinese errors."""
    values: dict[str, float] = {}
    errors: list[str] = []
    for key, raw in entered.items():
        if key not in QUOTA_METRICS:
            errors.append(t("quotas.edit.error.unknown", metric=key))
            continue
        name = t(f"quotas.edit.field.{key}")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors.append(t("quotas.edit.error.blank", name=name))
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            errors.append(t("quotas.edit.error.number", name=name))
            continue
        if math.isnan(value) or math.isinf(value):
            errors.append(t("quotas.edit.error.number", name=name))
        elif QUOTA_UNITS[key] == "share" and not 0 <= value <= 100:
            errors.append(t("quotas.edit.error.percent", name=name))
        elif value < 0:
            errors.append(t("quotas.edit.error.negative", name=name))
        else:
            values[key] = value / 100 if QUOTA_UNITS[key] == "share" else value
    return values, errors


def save_targets(
    con: duckdb.DuckDBPyConnection,
    year: int,
    entered: Mapping[str, Any],
    audit: AuditHook | None = None,
    *,
    actor: str | None = None,
) -> list[str]:
    """Validate and store one year's quotas in one transaction; [] on success, else the errors.

    Values come as the editor shows them (shares in percent). Nothing is written unless every
    value is valid. The data version is bumped so that every cached figure is recomputed.
    `audit` writes the audit row inside the same transaction: if it fails, nothing is saved.
    """
    if not 2000 <= year <= 2100:
        return [t("quotas.edit.error.year", year=year)]
    values, errors = validate_targets(entered)
    if errors:
        return errors
    rows = [Target(metric=key, year=year, value=value) for key, value in values.items()]
    try:
        write_targets(con, [(row.metric, row.year, row.value) for row in rows], audit,
                      actor=actor)  # fmt: skip
    except duckdb.Error as exc:
        return [t("quotas.edit.error.save", detail=str(exc))]
    return []


def write_targets(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, int, float]],
    audit: AuditHook | None = None,
    *,
    actor: str | None = None,
) -> int:
    """Upsert (metric, year, value) rows into targets in one transaction; the new data version.

    The one writer of targets: the quota editor (save_targets) and the 竞赛获奖 points weighting
    (awards.save_points_weighting). `audit` writes the audit row inside the transaction; on any
    error everything is rolled back and the error raised, so nothing is half saved. The rows'
    before-images go to the change journal (`actor`: who, as the journal names them), so an
    import that set the same targets is not undone over this edit.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        change_id = journal.begin(con, "targets", actor or t("data.kind.targets"),
                                  t("data.change.targets", n=len(rows)))  # fmt: skip
        keys = pd.DataFrame([(m, y) for m, y, _ in rows], columns=["metric", "year"])
        journal.note_frame(con, change_id, "targets", keys)
        for metric, year, value in rows:
            con.execute(
                "INSERT INTO targets (metric, year, value) VALUES (?, ?, ?) "
                "ON CONFLICT (metric, year) DO UPDATE SET value = excluded.value",
                [metric, year, value],
            )
        journal.finish(con, change_id)
        if audit is not None:
            audit(con, len(rows))
        version = bump_data_version(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return version
