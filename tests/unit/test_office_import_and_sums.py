"""Generated offices (tests/officegen.py) through the importer, and the arithmetic that must
hold on any office: figures of groups and divisions adding up to the office's where the rule
says they are additive, lists as long as the figures that count them, drills that narrow.

The pages' runs on the same offices are tests/app/test_office_pages.py. CI imports
IMPORT_SEEDS (every feature at least once, checked there) and checks the sums on SUM_SEEDS;
CADRE_OFFICES_FULL=1 takes every seed of tests/officegen.FULL_SEEDS for both, and
CADRE_OFFICES_SEEDS names offices instead.
"""

from __future__ import annotations

import duckdb
import pytest

from analytics.common.filters import Filters
from analytics.common.selection import narrow
from analytics.dataio.importer import prepare_import
from analytics.metrics import reports as rp
from analytics.metrics.awards import award_kpis, award_list, points_by_division, points_by_group
from analytics.metrics.participation import (
    attendance_detail,
    participation_by_group,
    participation_summary,
)
from analytics.metrics.quotas import quota_breakdown, quota_by_cadre, quota_compliance
from analytics.store.db import TABLE_ORDER, as_of_date, connect, dimension_values
from tests.officegen import FEATURES, Office, chosen_seeds, office, workbook
from tests.semantic_checks import additive_totals, every_pair

# The pages' offices (tests/app/test_office_pages.py, every feature among them) and a few more.
CI_IMPORT_SEEDS = (0, 1, 2, 9, 18, 25, 31, 80, 87)
IMPORT_SEEDS = chosen_seeds(CI_IMPORT_SEEDS)
SUM_SEEDS = chosen_seeds((0, 1, 18, 25, 31, 80, 87))
EXPLORE_SEEDS = chosen_seeds((0, 31, 87))  # no groups; blank optional columns; columns left out


def imported(seed: int, generated_office) -> tuple[Office, duckdb.DuckDBPyConnection]:
    o, path = generated_office(seed)
    return o, connect(path)


def test_the_import_sample_covers_every_kind_of_office():
    covered = set().union(*(office(seed).features for seed in CI_IMPORT_SEEDS))
    assert covered == set(FEATURES)


def test_the_workbooks_carry_product_md_headers_only():
    import io

    import openpyxl

    from tests.officegen import PRODUCT_HEADERS

    for seed in (0, 9, 25):
        book = openpyxl.load_workbook(io.BytesIO(workbook(office(seed))), read_only=True)
        for sheet in book.worksheets:
            headers = [c for c in next(sheet.iter_rows(values_only=True)) if c is not None]
            assert any(set(headers) <= set(h) for h in PRODUCT_HEADERS.values()), headers
            assert "参加范围" not in headers and "获奖编号" not in headers


@pytest.mark.parametrize("seed", IMPORT_SEEDS)
def test_an_office_workbook_imports_whole_and_again_unchanged(seed, generated_office):
    o, con = imported(seed, generated_office)  # import_office fails on any problem
    try:
        stored = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_ORDER}
        for table, rows in o.sheets.items():
            assert stored[table] == len(rows), (o, table)
        # Scopes were derived: group sessions 小组, roster-only forms 指定, the rest 全体.
        scopes = dict(con.execute("SELECT activity_id, scope FROM activities").fetchall())
        for row in o.sheets["activities"]:
            expected = ("小组" if row["组织小组"] else
                        "指定" if row["形式"] in ("座谈交流", "列席旁听", "基层实践", "青年干部座谈会")
                        else "全体")  # fmt: skip
            assert scopes[row["活动编号"]] == expected, (o, row)
        # The same workbook again finds every row, the awards by their made-up ids included.
        again = prepare_import(con, [("again.xlsx", workbook(o))])
        assert again.problems == [] and not again.has_changes, (o, again.counts())
    finally:
        con.close()


def filters_of(con: duckdb.DuckDBPyConnection) -> list[Filters]:
    """The latest year whole, and each of its quarters that has begun."""
    facts = dimension_values(con)
    as_of = as_of_date(con)
    year = as_of.year if as_of.year in facts["years"] else facts["years"][-1]
    out = [Filters(year=year, as_of=as_of)]
    out += [Filters(year=year, quarter=q, as_of=as_of) for q in range(1, 5)
            if not Filters(year=year, quarter=q, as_of=as_of).is_empty]  # fmt: skip
    return out


@pytest.mark.parametrize("seed", SUM_SEEDS)
def test_groups_and_divisions_add_up_to_the_office(seed, generated_office):
    o, con = imported(seed, generated_office)
    try:
        facts = dimension_values(con)
        for f in filters_of(con):
            where = (o, f.label())
            whole = participation_summary(con, f).iloc[0]
            # Every cadre has one division: the divisions' expected and attended rows are the
            # office's, exactly.
            parts = [participation_summary(con, f.model_copy(update={"division": d})).iloc[0]
                     for d in facts["divisions"]]  # fmt: skip
            for key in ("expected", "attended", "on_leave", "absent", "unrecorded"):
                assert sum(int(p[key]) for p in parts) == int(whole[key]), (where, key)
            # Study groups add up to the office less the cadres in no group.
            groups = participation_by_group(con, f)
            ungrouped = 0 if not o.has_ungrouped else int(whole["expected"]) - int(
                groups["expected"].sum())  # fmt: skip
            assert int(groups["expected"].sum()) + ungrouped == int(whole["expected"]), where
            assert ungrouped >= 0, where
            if not o.has_ungrouped:
                assert int(groups["attended"].sum()) == int(whole["attended"]), where
            # Award points: each winner's share lands in one group (未分组 too) and one division.
            total = float(award_kpis(con, f).set_index("key").loc["points", "value"])
            for by in (points_by_group(con, f), points_by_division(con, f)):
                assert by["points"].sum() == pytest.approx(total, abs=0.01 * max(1, len(by))), where
            # Quotas: the divisions' cadres are the office's; hours add up through them.
            compliance = quota_compliance(con, f).set_index("metric")
            breakdown = quota_breakdown(con, f, by="division")
            n = compliance.loc["rotation_share", "denominator"]
            assert breakdown["cadres"].sum() == n, where
            hours = (breakdown["training_hours_per_cadre"].fillna(0) * breakdown["cadres"]).sum()
            total_hours = compliance.loc["training_hours_per_cadre", "numerator"]
            assert hours == pytest.approx(total_hours), where
            by_group = quota_breakdown(con, f, by="study_group")  # the groups only
            grouped = quota_by_cadre(con, f.year_to_date())["study_group"].notna().sum()
            assert by_group["cadres"].sum() == grouped <= n, where
    finally:
        con.close()


@pytest.mark.parametrize("seed", SUM_SEEDS)
def test_lists_are_as_long_as_their_figures_and_drills_narrow(seed, generated_office):
    o, con = imported(seed, generated_office)
    try:
        for f in filters_of(con):
            where = (o, f.label())
            kpis = rp.output_kpis(con, f).set_index("key")["value"]
            listing = rp.report_list(con, f)
            assert len(listing) == kpis["total"], where
            assert rp.reports_by_source(con, f)["reports"].sum() == kpis["total"], where
            awards = award_list(con, f)
            assert len(awards) == award_kpis(con, f).set_index("key").loc["awards", "value"]
            # A drill's rows are a subset of the whole period's.
            every = attendance_detail(con, f)
            keys = set(zip(every["activity_id"], every["cadre_id"], strict=True))
            assert len(keys) == len(every), where
            for narrowing in drills(every):
                part = attendance_detail(con, f, **narrowing)
                got = set(zip(part["activity_id"], part["cadre_id"], strict=True))
                assert got <= keys and len(got) <= len(keys), (where, narrowing)
                for column, values in (("study_group", "groups"), ("form", "forms"),
                                       ("cadre_id", "cadres")):  # fmt: skip
                    if narrowing.get(values):
                        assert set(part[column]) <= set(narrowing[values]), (where, narrowing)
            if len(awards):
                pick = [{"level": awards["level"].iat[0]}]
                assert set(narrow(awards, [pick])["award_id"]) <= set(awards["award_id"])
    finally:
        con.close()


def drills(detail) -> list[dict[str, tuple]]:
    """A chart click of each kind the 学习参与 page knows, on values the period has."""
    if detail.empty:
        return [{"groups": ("无此小组",)}]
    first = detail.iloc[0]
    out = [{"forms": (first["form"],)}, {"cadres": (first["cadre_id"],)}]
    if isinstance(first["study_group"], str):
        out.append({"groups": (first["study_group"],)})
    return out


@pytest.mark.parametrize("seed", EXPLORE_SEEDS)
def test_every_explore_measure_by_every_dimension_runs_and_adds_up(seed, generated_office):
    """自助分析 on offices nobody here wrote: every measure × dimension pair answers, and an
    additive measure's office total is the sum over each of its dimensions."""
    o, con = imported(seed, generated_office)
    for f in (Filters(year=o.as_of.year, as_of=o.as_of),
              Filters(year=o.as_of.year, quarter=1, as_of=o.as_of)):  # fmt: skip
        assert every_pair(con, f) == [], (o, f)
        assert additive_totals(con, f) == [], (o, f)
