"""竞赛获奖: awards by level, prize and 组别, the competitions' timeline, winners and points.

Which awards count for a period and a group/division filter is decided once, by
`analytics.semantic.scope.awards_in_scope`; everything here starts from the ids it returns.
Points weightings are data (targets rows 'points:prize:<奖项>' and 'points:level:<级别>' per
year, else the target_defaults row of the same name), read and written only through this module.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, get_args

import duckdb
import pandas as pd
from pydantic import ValidationError

from analytics.access.audit import AuditHook
from analytics.common.filters import Filters
from analytics.common.labels import headed, t
from analytics.metrics.comparison import comparable, records_in_period
from analytics.metrics.targets import write_targets
from analytics.semantic.answer import figures
from analytics.semantic.scope import awards_in_scope
from analytics.store.db import natural_key
from analytics.store.models import Level, Prize, Target
from analytics.store.query import run, sql_text

LEVELS: list[str] = list(get_args(Level))
PRIZES: list[str] = list(get_args(Prize))
PRIZE_KEY = "points:prize:"
LEVEL_KEY = "points:level:"
POINT_KEYS: list[str] = [PRIZE_KEY + p for p in PRIZES] + [LEVEL_KEY + lv for lv in LEVELS]


AWARD_POINTS_SQL = sql_text("award_points")  # points per award in scope (award_points.sql)

# What a reader looks for first comes first; ids and weights at the end.
AWARD_LIST_COLUMNS = [
    "date", "competition", "level", "category", "prize", "work", "winners", "team_size",
    "points", "organizer", "prize_points", "level_multiplier", "award_id", "weighted",
]  # fmt: skip
WINNER_COLUMNS = [
    "name", "study_group", "division", "competition", "category", "prize", "work", "team_size",
    "share", "award_points", "level", "date", "cadre_id", "award_id",
]  # fmt: skip
TIMELINE_COLUMNS = ["competition", "organizer", "level", "date", "awards", "won", "points"]
# Columns that steer the page but mean nothing to a reader of the table.
_INTERNAL = {"weighted"}


class WeightingError(ValueError):
    """A points weighting the office cannot use (message in Chinese, for the page)."""


def _scope_ids(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    return awards_in_scope(con, f)["award_id"].tolist()


def _no_category() -> str:
    return t("awards.no_category")


def _no_group() -> str:
    return t("awards.no_group")


def award_list(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per award in scope: what, where, every winner's name, the points it is worth."""
    df = run(
        con,
        f"""
        WITH award_points AS ({AWARD_POINTS_SQL}),
        members AS (
            SELECT aw.award_id,
                   string_agg(coalesce(c.name, aw.cadre_id), '、' ORDER BY aw.cadre_id) AS winners
            FROM award_winners AS aw
            LEFT JOIN cadres AS c USING (cadre_id)
            -- only winners the user may see (a 小组导师: their own group's; see schema.sql)
            WHERE c.cadre_id IS NULL
               OR aw.cadre_id IN (SELECT cadre_id FROM scoped_cadres(NULL, NULL))
            GROUP BY aw.award_id
        ),
        final AS (
            SELECT p.award_id, p.date, p.competition, p.organizer, p.level,
                   coalesce(p.category, $no_category) AS category, p.prize, p.work,
                   m.winners, p.team_size, p.prize_points, p.level_multiplier,
                   round(p.points, 2) AS points, p.weighted
            FROM award_points AS p
            JOIN members AS m USING (award_id)
        )
        SELECT * FROM final ORDER BY date, award_id
        """,
        f,
        ids=_scope_ids(con, f),
        no_category=_no_category(),
    )
    df["date"] = df["date"].dt.date  # a day, not a timestamp, in tables and downloads
    return df[AWARD_LIST_COLUMNS]


def award_winners(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per winner in the group/division filter and award in scope, with their share."""
    df = run(
        con,
        f"""
        WITH award_points AS ({AWARD_POINTS_SQL}),
        final AS (
            SELECT p.award_id, p.date, p.competition, p.level,
                   coalesce(p.category, $no_category) AS category, p.prize, p.work,
                   aw.cadre_id, c.name, coalesce(c.study_group, $no_group) AS study_group,
                   c.division, p.team_size, round(p.points, 2) AS award_points,
                   round(p.points / p.team_size, 2) AS share
            FROM award_points AS p
            JOIN award_winners AS aw USING (award_id)
            JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
        )
        SELECT * FROM final ORDER BY date, award_id, cadre_id
        """,
        f,
        ids=_scope_ids(con, f),
        no_category=_no_category(),
        no_group=_no_group(),
    )
    df["date"] = df["date"].dt.date
    return df[WINNER_COLUMNS]


_UNITS = {"study_group": "study_group", "division": "division"}  # allow-list of identifiers


def _points_by(con: duckdb.DuckDBPyConnection, f: Filters, by: str) -> pd.DataFrame:
    column = _UNITS[by]
    df = run(
        con,
        f"""
        WITH award_points AS ({AWARD_POINTS_SQL}),
        shares AS (
            SELECT aw.award_id, aw.cadre_id,
                   coalesce(c.{column}, $no_group) AS unit,
                   p.points / p.team_size AS share
            FROM award_points AS p
            JOIN award_winners AS aw USING (award_id)
            JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
        ),
        units AS (
            SELECT coalesce(c.{column}, $no_group) AS unit
            FROM scoped_cadres($group, $division) AS c
            WHERE in_post(c.join_date, c.leave_date, $start, $end)
            UNION
            SELECT unit FROM shares
        ),
        final AS (
            SELECT u.unit AS {column},
                   count(DISTINCT s.award_id) AS awards,
                   count(DISTINCT s.cadre_id) AS winner_count,
                   round(coalesce(sum(s.share), 0), 2) AS points
            FROM units AS u
            LEFT JOIN shares AS s USING (unit)
            GROUP BY u.unit
        )
        SELECT * FROM final
        """,
        f,
        ids=_scope_ids(con, f),
        no_group=_no_group(),
    )
    order = sorted(df[column], key=natural_key)
    df["_order"] = df[column].map({name: i for i, name in enumerate(order)})
    if by == "division":  # divisions are many: the ones with most points first
        df = df.sort_values(["points", "_order"], ascending=[False, True])
    else:  # four groups read best in their own order
        df = df.sort_values("_order")
    return df.drop(columns="_order").reset_index(drop=True)


def points_by_group(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per study group (未分组 too): awards won, winners and the sum of the members' shares."""
    return _points_by(con, f, "study_group")


def points_by_division(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per division: awards won, winners and the sum of the members' shares, most points first."""
    return _points_by(con, f, "division")


def awards_by_level_prize(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Awards per 级别 × 奖项 that occur in the period, in the levels' and prizes' own order."""
    df = award_list(con, f)
    out = df.groupby(["level", "prize"], as_index=False).agg(
        awards=("award_id", "count"), points=("points", "sum")
    )
    out["_l"] = out["level"].map(LEVELS.index)
    out["_p"] = out["prize"].map(PRIZES.index)
    out = out.sort_values(["_p", "_l"]).drop(columns=["_l", "_p"]).reset_index(drop=True)
    return out.astype({"awards": "int64", "points": "float64"})


def awards_by_category(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Awards per 组别 (不分组别 for competitions without one), most first."""
    df = award_list(con, f)
    out = df.groupby("category", as_index=False).agg(
        awards=("award_id", "count"), points=("points", "sum")
    )
    out["_order"] = out["category"].map(natural_key)
    out = out.sort_values(["awards", "_order"], ascending=[False, True])
    out = out.drop(columns="_order").reset_index(drop=True)
    return out.astype({"awards": "int64", "points": "float64"})


def competition_timeline(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per competition in the period: when, its level, and what was won (理论组一等奖、…)."""
    df = award_list(con, f)
    if df.empty:
        return pd.DataFrame(
            {
                "competition": pd.Series(dtype="object"), "organizer": pd.Series(dtype="object"),
                "level": pd.Series(dtype="object"), "date": pd.Series(dtype="object"),
                "awards": pd.Series(dtype="int64"), "won": pd.Series(dtype="object"),
                "points": pd.Series(dtype="float64"),
            }
        )  # fmt: skip
    df = df.assign(
        label=[
            prize if category == _no_category() else f"{category}{prize}"
            for category, prize in zip(df["category"], df["prize"], strict=True)
        ]
    )
    out = df.groupby(["competition", "level"], as_index=False, sort=False, dropna=False).agg(
        organizer=("organizer", "first"),
        date=("date", "min"),
        awards=("award_id", "count"),
        won=("label", "、".join),
        points=("points", "sum"),
    )
    out = out.sort_values(["date", "competition"]).reset_index(drop=True)
    return out[TIMELINE_COLUMNS].astype({"awards": "int64", "points": "float64"})


def award_kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Awards, competitions, winners and points in the period, beside the same period last year
    (None for a year that holds no record at all: comparison.YOY_RULE)."""
    earlier = f.year_earlier()
    now = _summary(con, f)
    before = comparable(_summary(con, earlier), records_in_period(con, earlier))
    units = {"awards": "count", "competitions": "count", "winners": "count", "points": "points"}
    return pd.DataFrame(
        [
            {"key": key, "value": now[key], "previous": before[key], "unit": unit}
            for key, unit in units.items()
        ]
    )


def _summary(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, float]:
    awards = award_list(con, f)
    winners = award_winners(con, f)
    # 获奖数 and 积分 are the semantic layer's measures (积分: POINTS_RULE's shares in scope).
    got = figures(con, f, ["awards", "award_points"])
    return {
        "awards": float(got["awards"]),
        "competitions": float(awards["competition"].nunique()),
        "winners": float(winners["cadre_id"].nunique()),
        "points": round(got["award_points"] or 0.0, 2),
    }


def points_weighting(
    con: duckdb.DuckDBPyConnection, f: Filters, year: int | None = None
) -> pd.DataFrame:
    """The weighting of `year` (default the filter's year): every prize and level, its own value
    or else the default (is_default), NaN if neither exists."""
    year = f.year if year is None else year
    stored = {
        metric: (value, is_default)
        for metric, value, is_default in con.execute(
            "SELECT metric, value, is_default FROM targets_of(?) "
            "WHERE starts_with(metric, 'points:')",
            [year],
        ).fetchall()
    }
    rows = [
        {
            "key": key,
            "kind": "prize" if key.startswith(PRIZE_KEY) else "level",
            "item": key.split(":", 2)[2],
            "value": float(stored[key][0]) if key in stored else math.nan,
            "is_default": bool(stored[key][1]) if key in stored else False,
        }
        for key in POINT_KEYS
    ]
    return pd.DataFrame(rows, columns=["key", "kind", "item", "value", "is_default"])


def weighting_years(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Years that have a points weighting stored, with the filter's year always among them."""
    rows = con.execute(
        "SELECT DISTINCT year FROM targets WHERE starts_with(metric, 'points:')"
    ).fetchall()
    years = sorted({int(r[0]) for r in rows} | {f.year})
    return pd.DataFrame({"year": years})


def save_points_weighting(
    con: duckdb.DuckDBPyConnection,
    year: int,
    values: Mapping[str, Any],
    audit: AuditHook | None = None,
    *,
    actor: str | None = None,
) -> int:
    """Store `year`'s weights (key → non-negative number) in one transaction; the new version.

    Raises WeightingError with a Chinese message, writing nothing, when any value is unusable.
    `audit` writes the audit row inside the same transaction: if it fails, nothing is saved.
    """
    problems: list[str] = []
    clean: list[tuple[str, float]] = []
    for key, value in values.items():
        item = key.split(":", 2)[-1]
        if key not in POINT_KEYS:
            problems.append(t("awards.weights.unknown", item=key))
            continue
        if (
            value is None
            or isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
        ):
            problems.append(t("awards.weights.not_number", item=item))
            continue
        if value < 0:
            problems.append(t("awards.weights.negative", item=item))
            continue
        try:
            Target(metric=key, year=year, value=float(value))
        except ValidationError:
            problems.append(t("awards.weights.invalid", item=item, year=year))
            continue
        clean.append((key, float(value)))
    if problems:
        raise WeightingError("；".join(problems))
    if not clean:
        raise WeightingError(t("awards.weights.nothing"))
    return write_targets(con, [(key, year, value) for key, value in clean], audit, actor=actor)


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it and downloads it: Chinese headers, no steering columns."""
    return headed(df.drop(columns=[c for c in df.columns if c in _INTERNAL]), "awards")


def missing_weights(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per year: the prizes and levels (joined by 、) awards in scope use but have no weight for."""
    df = award_list(con, f)
    missing: dict[int, list[str]] = {}
    for column, weight in (("prize", "prize_points"), ("level", "level_multiplier")):
        for day, item, value in zip(df["date"], df[column], df[weight], strict=True):
            items = missing.setdefault(day.year, [])
            if pd.isna(value) and item not in items:
                items.append(item)
    rows = [{"year": y, "items": "、".join(items)} for y, items in sorted(missing.items()) if items]
    return pd.DataFrame(rows, columns=["year", "items"])
