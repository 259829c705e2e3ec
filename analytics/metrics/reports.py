"""调研成果: research output by quarter, type, source, theme, group and division; outcomes; authors.

Every metric starts from `analytics.semantic.scope.reports_in_scope` (reports submitted in the
period with at least one author in the sidebar's group/division filter), so the page, the
overview KPI and the quarterly briefing count the same reports. Author-based views join
`report_authors` (every author, the lead included) to `scoped_cadres`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from analytics.common.filters import Filters
from analytics.common.labels import headed, t
from analytics.common.links import with_profile
from analytics.common.selection import narrow, picks_from_points
from analytics.metrics.comparison import comparable, records_in_period
from analytics.semantic.answer import figures
from analytics.semantic.scope import reports_in_scope
from analytics.store.db import natural_key, sort_natural
from analytics.store.query import run

REPORT_TYPES: tuple[str, ...] = ("调研报告", "调研文章", "心得体会", "改革建议", "征文")
SOURCES: tuple[str, ...] = (
    "产业观察", "回乡见闻", "专题调研", "基层实践", "揭榜挂帅", "理论学习", "其他",
)  # fmt: skip
OUTCOMES: tuple[str, ...] = ("领导批示", "采纳", "刊发", "成果转化")
EXCELLENT = "优秀"
# The work report's 回乡见闻 articles: this type from this source.
HOMETOWN = ("调研文章", "回乡见闻")
FUNNEL_STAGES: tuple[str, ...] = ("提交", "评价优秀", "取得成效", *OUTCOMES)
AUTHOR_DIMENSIONS = {"group": "study_group", "division": "division"}  # identifier allow-list

# The rules the page states, next to the code that applies them.
SCOPE_RULE = (
    "统计范围：提交日期在所选期间内、且至少有一名作者（执笔人或参与人）属于所选学习小组/处室的成果。"
    "同比为上年同期（截至上年同日）。“回乡见闻”文章指来源为回乡见闻的调研文章。"
)
FUNNEL_RULE = (
    "提交 = 期间内提交的成果；评价优秀 = 评价为“优秀”；"
    "取得成效 = 有领导批示、采纳、刊发或成果转化之一"
    "（每篇成果按最高一项成效登记一次）。各项分别计数：取得成效的成果不一定评价优秀。"
    "刊发载体按成果登记的载体统计。"
)
NO_OUTPUT_RULE = (
    "期间内任一天在岗、且期间内没有作为执笔人或参与人提交任何成果的青年干部；"
    "“最近一次成果”为期间开始前最后一次提交成果的日期。"
)

LIST_COLUMNS = [
    "report_id", "title", "type", "source", "theme", "submit_date", "quarter_label", "authors",
    "grade", "outcome", "outlet", "author_groups", "author_divisions",
]  # fmt: skip


def _scoped_ids(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    return reports_in_scope(con, f)["report_id"].tolist()


def _quarter(day: Any) -> int:
    return (pd.Timestamp(day).month - 1) // 3 + 1


def _quarter_label(q: int) -> str:
    return t("filters.quarter_n", n=q)


def _theme_label(theme: Any) -> str:
    return t("reports.theme.none") if theme is None or pd.isna(theme) else str(theme)


def _quarters(f: Filters) -> list[int]:
    """The quarters of the period that have begun by the as-of date."""
    if f.is_empty:
        return []
    if f.quarter is not None:
        return [f.quarter]
    return [q for q in range(1, 5) if _quarter(f.period_end) >= q]


def _is_hometown(df: pd.DataFrame) -> pd.Series:
    return (df["type"] == HOMETOWN[0]) & (df["source"] == HOMETOWN[1])


def output_kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Key figures (total, 调研报告, 回乡见闻 articles, 优秀, with outcome, authors in the filter)
    for the period and the same period last year (None where that has no data: YOY_RULE)."""
    earlier = f.year_earlier()
    now, before = _output_figures(con, f), _output_figures(con, earlier)
    before = comparable(before, records_in_period(con, earlier))
    return pd.DataFrame(
        [{"key": k, "value": v, "previous": before[k], "unit": "count"} for k, v in now.items()]
    ).astype({"value": "float64", "previous": "float64"})


def _output_figures(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, float | None]:
    """output_kpis' figures of one period; "total" comes first."""
    df = reports_in_scope(con, f)
    return {
        "total": float(figures(con, f, ["reports"])["reports"]),  # the catalogue's 调研成果数
        "research_reports": float((df["type"] == "调研报告").sum()),
        "hometown_articles": float(_is_hometown(df).sum()),
        "excellent": float((df["grade"] == EXCELLENT).sum()),
        "with_outcome": float(df["outcome"].notna().sum()),
        "authors": float(_author_count(con, f, df["report_id"].tolist())),
    }


def _author_count(con: duckdb.DuckDBPyConnection, f: Filters, report_ids: list[str]) -> int:
    """Distinct cadres in the group/division filter who wrote (lead or co-author) these reports."""
    out = run(
        con,
        """
        SELECT count(DISTINCT ra.cadre_id) AS authors
        FROM report_authors AS ra
        JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
        WHERE ra.report_id IN (SELECT unnest(CAST($report_ids AS VARCHAR[])))
        """,
        f,
        report_ids=report_ids,
    )
    return int(out["authors"].iat[0])


def reports_by_quarter(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports per quarter of the period and 类型 (every type that occurs, zeros included)."""
    columns = ["quarter", "quarter_label", "type", "reports"]
    df = reports_in_scope(con, f)
    if df.empty:
        return pd.DataFrame(columns=columns)
    df = df.assign(quarter=df["submit_date"].map(_quarter))
    types = [k for k in REPORT_TYPES if k in set(df["type"])]
    grid = pd.MultiIndex.from_product([_quarters(f), types], names=["quarter", "type"])
    counts = df.groupby(["quarter", "type"]).size().reindex(grid, fill_value=0)
    out = counts.rename("reports").reset_index()
    out["quarter_label"] = out["quarter"].map(_quarter_label)
    return out[columns].astype({"quarter": "int64", "reports": "int64"})


def quarter_totals(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports per quarter against the same quarter last year (同比), cut at the as-of date;
    NaN last year when that year holds no record at all."""
    counts = []
    for period in (f, f.year_earlier()):
        df = reports_in_scope(con, period)
        counts.append(df["submit_date"].map(_quarter).value_counts())
    quarters = _quarters(f)
    out = pd.DataFrame(
        {
            "quarter": quarters,
            "quarter_label": [_quarter_label(q) for q in quarters],
            "reports": [int(counts[0].get(q, 0)) for q in quarters],
            "reports_last_year": [int(counts[1].get(q, 0)) for q in quarters],
        }
    )
    out["change"] = out["reports"] - out["reports_last_year"]
    out = out.astype({"quarter": "int64", "reports": "int64", "reports_last_year": "float64",
                      "change": "float64"})  # fmt: skip
    if not records_in_period(con, f.year_earlier())["any"]:  # no 同期 to compare (YOY_RULE)
        out[["reports_last_year", "change"]] = float("nan")
    return out


def reports_by_source(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports per 来源 this period and last year's same period, most productive first."""
    now = reports_in_scope(con, f)["source"].value_counts()
    before = reports_in_scope(con, f.year_earlier())["source"].value_counts()
    sources = [s for s in now.index.union(before.index) if now.get(s, 0) > 0]
    out = pd.DataFrame(
        {
            "source": sources,
            "reports": [int(now.get(s, 0)) for s in sources],
            "reports_last_year": [int(before.get(s, 0)) for s in sources],
        },
        columns=["source", "reports", "reports_last_year"],
    )
    return _by_count(out, "source")


def reports_by_theme(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports per 主题 (a blank theme shows as 未填写), most frequent first."""
    themes = reports_in_scope(con, f)["theme"].map(_theme_label)
    out = themes.value_counts().rename_axis("theme").rename("reports").reset_index()
    return _by_count(out.astype({"reports": "int64"}), "theme")


def _by_count(df: pd.DataFrame, name: str) -> pd.DataFrame:
    return df.sort_values(["reports", name], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def reports_by_author_unit(
    con: duckdb.DuckDBPyConnection, f: Filters, dimension: str = "group"
) -> pd.DataFrame:
    """Per study group or division (through authors): cadres in post, reports, authors, per capita.

    A report counts once for every unit that has at least one of its authors (AUTHOR_RULE).
    """
    column = AUTHOR_DIMENSIONS[dimension]  # KeyError on anything not allow-listed
    if f.is_empty:
        return pd.DataFrame(
            {"unit": pd.Series(dtype=object), "cadres": pd.Series(dtype="int64"),
             "reports": pd.Series(dtype="int64"), "authors": pd.Series(dtype="int64"),
             "per_capita": pd.Series(dtype="float64")}
        )  # fmt: skip
    out = run(
        con,
        f"""
        WITH scoped AS (
            SELECT cadre_id, join_date, leave_date,
                   coalesce({column}, $unassigned) AS unit
            FROM scoped_cadres($group, $division)
        ),
        members AS (
            SELECT unit, count(*) AS cadres
            FROM scoped
            WHERE in_post(join_date, leave_date, $start, $end)
            GROUP BY unit
        ),
        authored AS (
            SELECT s.unit,
                   count(DISTINCT ra.report_id) AS reports,
                   count(DISTINCT ra.cadre_id) AS authors
            FROM report_authors AS ra
            JOIN scoped AS s USING (cadre_id)
            WHERE ra.report_id IN (SELECT unnest(CAST($report_ids AS VARCHAR[])))
            GROUP BY s.unit
        ),
        final AS (
            SELECT coalesce(m.unit, a.unit) AS unit,
                   coalesce(m.cadres, 0) AS cadres,
                   coalesce(a.reports, 0) AS reports,
                   coalesce(a.authors, 0) AS authors
            FROM members AS m
            FULL JOIN authored AS a USING (unit)
        )
        SELECT unit, cadres, reports, authors,
               CASE WHEN cadres = 0 THEN NULL ELSE reports / cadres END AS per_capita
        FROM final
        """,
        f,
        report_ids=_scoped_ids(con, f),
        unassigned=t("reports.unit.none"),
    )
    out = out.astype({"cadres": "int64", "reports": "int64", "authors": "int64"})
    return sort_natural(out, "unit")


def outcome_funnel(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """提交 → 评价优秀 → 取得成效, then each 成效: reports and share of those submitted."""
    df = reports_in_scope(con, f)
    counts = [len(df), int((df["grade"] == EXCELLENT).sum()), int(df["outcome"].notna().sum())]
    counts += [int((df["outcome"] == o).sum()) for o in OUTCOMES]
    total = len(df)
    return pd.DataFrame(
        {
            "stage": list(FUNNEL_STAGES),
            "level": ["stage"] * 3 + ["outcome"] * len(OUTCOMES),
            "reports": counts,
            "share": [c / total if total else None for c in counts],
        }
    ).astype({"reports": "int64", "share": "float64"})


def outlets(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """刊发载体 (e.g. 《岛城先锋》): how many reports each carried, and their titles."""
    df = reports_in_scope(con, f)
    df = df[df["outlet"].notna()]
    out = (
        df.groupby("outlet", sort=False)
        .agg(reports=("report_id", "size"), titles=("title", lambda s: "；".join(s)))
        .reset_index()
    )
    out = out.reindex(columns=["outlet", "reports", "titles"]).astype({"reports": "int64"})
    return out.sort_values(["reports", "outlet"], ascending=[False, True]).reset_index(drop=True)


def leading_authors(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 10) -> pd.DataFrame:
    """The most productive authors in scope: reports (any role), as lead, 优秀, with outcome."""
    out = run(
        con,
        """
        WITH authored AS (
            SELECT ra.cadre_id, ra.role, r.grade, r.outcome
            FROM report_authors AS ra
            JOIN reports AS r USING (report_id)
            WHERE ra.report_id IN (SELECT unnest(CAST($report_ids AS VARCHAR[])))
        ),
        final AS (
            SELECT c.cadre_id, c.name, c.study_group, c.division,
                   count(*) AS reports,
                   count(*) FILTER (WHERE a.role = '执笔') AS as_lead,
                   count(*) FILTER (WHERE a.grade = '优秀') AS excellent,
                   count(*) FILTER (WHERE a.outcome IS NOT NULL) AS with_outcome
            FROM authored AS a
            JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
            GROUP BY ALL
        )
        SELECT * FROM final
        ORDER BY reports DESC, as_lead DESC, excellent DESC, cadre_id
        LIMIT $limit
        """,
        f,
        report_ids=_scoped_ids(con, f),
        limit=limit,
    )
    out = out.astype({c: "int64" for c in ("reports", "as_lead", "excellent", "with_outcome")})
    return with_profile(out)


def cadres_without_output(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in the filter, in post at some time in the period, who authored nothing in it."""
    out = run(
        con,
        """
        WITH in_post_cadres AS (
            SELECT * FROM scoped_cadres($group, $division)
            WHERE in_post(join_date, leave_date, $start, $end)
        ),
        authored_in_period AS (
            SELECT DISTINCT ra.cadre_id
            FROM report_authors AS ra
            JOIN reports AS r USING (report_id)
            WHERE r.submit_date BETWEEN $start AND $end
        ),
        last_before AS (
            SELECT ra.cadre_id, max(r.submit_date) AS last_report_date
            FROM report_authors AS ra
            JOIN reports AS r USING (report_id)
            WHERE r.submit_date < $start
            GROUP BY ra.cadre_id
        ),
        final AS (
            SELECT c.cadre_id, c.name, c.study_group, c.division, c.rank,
                   c.join_date, c.leave_date, l.last_report_date
            FROM in_post_cadres AS c
            LEFT JOIN last_before AS l USING (cadre_id)
            WHERE c.cadre_id NOT IN (SELECT cadre_id FROM authored_in_period)
        )
        SELECT * FROM final
        """,
        f,
    )
    if f.is_empty:
        out = out.iloc[0:0]
    group_key = {g: natural_key(str(g)) for g in set(out["study_group"].tolist())}
    keys = [
        (group_key[g], natural_key(str(c)))
        for g, c in zip(out["study_group"].tolist(), out["cadre_id"].tolist(), strict=True)
    ]  # from plain lists: indexing the frame per row took most of the time at city scale
    order = sorted(range(len(out)), key=keys.__getitem__)
    return with_profile(out.iloc[order].reset_index(drop=True))


def report_list(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per report in scope: title, type, source, theme, date, authors (lead first),
    grade, outcome, outlet, and the study groups / divisions of its authors in the filter."""
    scoped = reports_in_scope(con, f)
    people = run(
        con,
        """
        SELECT ra.report_id, c.name, ra.role, c.study_group, c.division,
               s.cadre_id IS NOT NULL AS in_scope
        FROM report_authors AS ra
        -- every author the user may see (a 小组导师: only their own group's; see schema.sql)
        JOIN scoped_cadres(NULL, NULL) AS c USING (cadre_id)
        LEFT JOIN scoped_cadres($group, $division) AS s USING (cadre_id)
        WHERE ra.report_id IN (SELECT report_id FROM reports
                               WHERE submit_date BETWEEN $start AND $end)
        ORDER BY ra.report_id, ra.role = '执笔' DESC, ra.cadre_id
        """,
        f,
    )
    # Plain dicts over columns: a pandas groupby-apply per report took half a second at city
    # scale (thousands of reports).
    names: dict[str, list[str]] = {}
    groups: dict[str, list[Any]] = {}
    divisions: dict[str, list[Any]] = {}
    for rid, name, mine, group, division in zip(
        people["report_id"].tolist(), people["name"].tolist(), people["in_scope"].tolist(),
        people["study_group"].tolist(), people["division"].tolist(), strict=True,
    ):  # fmt: skip
        names.setdefault(rid, []).append(name)
        if mine:
            groups.setdefault(rid, []).append(group)
            divisions.setdefault(rid, []).append(division)
    ids = scoped["report_id"].tolist()
    out = scoped.assign(
        theme=scoped["theme"].map(_theme_label),
        quarter_label=scoped["submit_date"].map(lambda d: _quarter_label(_quarter(d))),
        authors=["、".join(names.get(rid, [])) for rid in ids],
        author_groups=[_distinct(groups[rid]) if rid in groups else [] for rid in ids],
        author_divisions=[_distinct(divisions[rid]) if rid in divisions else [] for rid in ids],
    )
    return out.reindex(columns=LIST_COLUMNS).reset_index(drop=True)


def _distinct(values: Iterable[Any]) -> list[str]:
    seen = [t("reports.unit.none") if v is None or pd.isna(v) else str(v) for v in values]
    return sorted(dict.fromkeys(seen), key=natural_key)


# ----- narrowing the list: search, filters and chart selections (pure, no database) -----

# What a chart's points carry as customdata, in order: the list column each value matches.
SELECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "quarter": ("quarter_label", "type"),
    "source": ("source",),
    "theme": ("theme",),
    "group": ("author_groups",),
    "division": ("author_divisions",),
    "funnel": ("stage",),
    "outlet": ("outlet",),
}
_LIST_VALUED = {"author_groups", "author_divisions"}


def picks_from_chart(chart: str, points: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Turn a chart's selected points (their customdata) into {list column: value} picks."""
    return [
        {field: str(value) for field, value in pick.items()}
        for pick in picks_from_points(points, SELECTION_FIELDS[chart])
    ]


def _matches(df: pd.DataFrame, field: str, value: str) -> pd.Series:
    if field in _LIST_VALUED:
        return df[field].map(lambda items: value in items)
    if field == "stage":
        if value == FUNNEL_STAGES[0]:
            return pd.Series(True, index=df.index)
        if value == FUNNEL_STAGES[1]:
            return df["grade"] == EXCELLENT
        if value == FUNNEL_STAGES[2]:
            return df["outcome"].notna()
        return df["outcome"] == value
    return df[field].astype(object) == value


def narrow_reports(
    df: pd.DataFrame,
    text: str = "",
    types: Sequence[str] = (),
    sources: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    selections: Sequence[Sequence[Mapping[str, str]]] = (),
) -> pd.DataFrame:
    """The rows of `report_list` that match the search text (title or author names), the chosen
    types / sources / outcomes (empty = all; 无成效 for none), and every chart selection
    (one chart's picks are alternatives; different charts all apply)."""
    keep = pd.Series(True, index=df.index)
    needle = text.strip().casefold()
    if needle:
        haystack = (df["title"].fillna("") + " " + df["authors"].fillna("")).str.casefold()
        keep &= haystack.str.contains(needle, regex=False)
    if types:
        keep &= df["type"].isin(list(types))
    if sources:
        keep &= df["source"].isin(list(sources))
    if outcomes:
        none = t("reports.outcome.none")
        keep &= df["outcome"].fillna(none).isin(list(outcomes))
    return narrow(df[keep], selections, _matches)


def picks_from_rows(df: pd.DataFrame, rows: Iterable[int], column: str) -> list[dict[str, str]]:
    """Turn selected table rows into {column: value} picks (e.g. an outlet row → its reports)."""
    return [{column: str(df[column].iat[i])} for i in rows if 0 <= i < len(df)]


def describe_selections(selections: Mapping[str, Sequence[Mapping[str, str]]]) -> str:
    """The chart selections in words, e.g. "第2季度·调研报告；回乡见闻"; "" when none."""
    parts = []
    for picks in selections.values():
        for pick in picks:
            parts.append("·".join(pick.values()))
    return "；".join(parts)


def for_export(df: pd.DataFrame) -> pd.DataFrame:
    """A table as a user downloads it: Chinese headers, lists joined, link columns dropped."""
    out = df.drop(columns=[c for c in ("profile",) if c in df.columns])
    for col in out.columns:
        # Only an object column can hold lists (strings, numbers and dates have dtypes of their
        # own: looking at each of their values took a third of 调研成果's run on the city). Test
        # the values themselves: Series.map keeps an empty column's dtype.
        if out[col].dtype == object and any(isinstance(v, list) for v in out[col]):
            out[col] = out[col].map(lambda v: "、".join(v) if isinstance(v, list) else v)
    return headed(out, "reports")


def per_capita_table(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """reports_by_author_unit's figures as a reader sees and downloads them, most per cadre
    first; the unit headed with its dimension's name (学习小组, 处室)."""
    ordered = df.sort_values(["per_capita", "unit"], ascending=[False, True], kind="stable")
    out = headed(ordered, "reports.unit", ["unit", "cadres", "reports", "authors", "per_capita"])
    return out.rename(columns={"unit": t(f"filters.{dimension}")}).reset_index(drop=True)
