"""调研成果 metrics, exact on a tiny literal office.

一组: A1, A2 (in post all along) and C1 (joined 2025-06-01); 二组: B1, B2; L1 (二组) left at the
end of 2024; N1 has no study group. Divisions: A1, B1, C1, L1 秘书一处; A2, B2 秘书二处; N1 秘书三处.

2025 reports: R1 (Q1, 调研报告, A1 lead + A2: two authors of one group, two divisions; 优秀,
领导批示), R2 (Q2, 调研文章/回乡见闻, B1 lead + A1: authors in two groups; 刊发 in 《岛城先锋》),
R3 (Q2, 心得体会, B2 alone, no theme, no outcome). 2024: R4 (Q1, A1 lead + N1) and R5
(2024-12-15, L1), which falls after the 同比 cut (as-of 2025-11-30 → 2024-11-30).
"""

import pandas as pd
import pandas.testing as pdt
import pytest

from analytics.metrics import reports as rp
from tests.factories import D, cadre, database, filters, report

AS_OF = D(2025, 11, 30)


@pytest.fixture(scope="module")
def con():
    return database(
        [
            cadre("A1", "一组", "秘书一处"),
            cadre("A2", "一组", "秘书二处"),
            cadre("C1", "一组", "秘书一处", join_date=D(2025, 6, 1)),
            cadre("B1", "二组", "秘书一处"),
            cadre("B2", "二组", "秘书二处"),
            cadre("L1", "二组", "秘书一处", leave_date=D(2024, 12, 31)),
            cadre("N1", None, "秘书三处"),
            report("R1", D(2025, 2, 10), "A1", co_authors=["A2"], theme="发展", grade="优秀",
                   outcome="领导批示"),
            report("R2", D(2025, 5, 5), "B1", co_authors=["A1"], type="调研文章", source="回乡见闻",
                   theme="乡村振兴", grade="良好", outcome="刊发", outlet="《岛城先锋》"),
            report("R3", D(2025, 5, 20), "B2", type="心得体会", source="理论学习", grade="合格"),
            report("R4", D(2024, 3, 1), "A1", co_authors=["N1"], theme="发展"),
            report("R5", D(2024, 12, 15), "L1", theme="民生"),
        ]
    )  # fmt: skip


YEAR = filters(as_of=AS_OF)
GROUP_ONE = filters(as_of=AS_OF, group="一组")
EMPTY_QUARTER = filters(as_of=AS_OF, quarter=4)  # begun, but nothing submitted in it
FUTURE = filters(year=2026, as_of=AS_OF)  # starts after the data end


def test_kpis_count_the_period_and_the_same_period_last_year(con):
    got = rp.output_kpis(con, YEAR)
    expected = pd.DataFrame(
        {
            "key": ["total", "research_reports", "hometown_articles", "excellent",
                    "with_outcome", "authors"],
            "value": [3.0, 1.0, 1.0, 1.0, 2.0, 4.0],
            "previous": [1.0, 1.0, 0.0, 0.0, 0.0, 2.0],  # R4 only: R5 is after 2024-11-30
            "unit": ["count"] * 6,
        }
    )  # fmt: skip
    pdt.assert_frame_equal(got, expected)


def test_kpis_follow_the_group_filter(con):
    got = rp.output_kpis(con, GROUP_ONE).set_index("key")
    assert got.loc["total", "value"] == 2  # R1, R2 (A1 is a co-author of R2)
    assert got.loc["authors", "value"] == 2  # A1, A2: B1 wrote R2 too but is not in 一组


def test_by_quarter_is_stacked_by_type_with_zeros(con):
    got = rp.reports_by_quarter(con, YEAR)
    assert list(got.columns) == ["quarter", "quarter_label", "type", "reports"]
    assert len(got) == 4 * 3  # four begun quarters × the three types that occur
    counts = {(r.quarter_label, r.type): r.reports for r in got.itertuples() if r.reports}
    assert counts == {
        ("第1季度", "调研报告"): 1,
        ("第2季度", "调研文章"): 1,
        ("第2季度", "心得体会"): 1,
    }


def test_quarter_totals_compare_with_last_year_cut_at_the_as_of_date(con):
    got = rp.quarter_totals(con, YEAR)
    expected = pd.DataFrame(
        {
            "quarter": [1, 2, 3, 4],
            "quarter_label": ["第1季度", "第2季度", "第3季度", "第4季度"],
            "reports": [1, 2, 0, 0],
            "reports_last_year": [1.0, 0.0, 0.0, 0.0],
            "change": [0.0, 2.0, 0.0, 0.0],
        }
    )
    pdt.assert_frame_equal(got, expected)


def test_a_year_after_one_without_any_record_has_no_同比_not_a_change_from_zero(con):
    # 2024 is the data's first year: 2023 holds no record at all, so nothing is compared.
    first_year = filters(year=2024, as_of=AS_OF)
    assert rp.output_kpis(con, first_year)["previous"].isna().all()
    totals = rp.quarter_totals(con, first_year)
    assert totals["reports"].tolist() == [1, 0, 0, 1]
    assert totals["reports_last_year"].isna().all() and totals["change"].isna().all()


def test_by_source_and_theme(con):
    pdt.assert_frame_equal(
        rp.reports_by_source(con, YEAR),
        pd.DataFrame(
            {"source": ["产业观察", "回乡见闻", "理论学习"], "reports": [1, 1, 1],
             "reports_last_year": [1, 0, 0]}
        ),
    )  # fmt: skip
    pdt.assert_frame_equal(
        rp.reports_by_theme(con, YEAR),
        pd.DataFrame({"theme": ["乡村振兴", "发展", "未填写"], "reports": [1, 1, 1]}),
        check_dtype=False,
    )


def test_by_group_counts_a_report_once_per_group_of_its_authors(con):
    got = rp.reports_by_author_unit(con, YEAR, dimension="group")
    expected = pd.DataFrame(
        {
            "unit": ["一组", "二组", "未分组"],
            "cadres": [3, 2, 1],  # C1 joined in 2025; L1 left before it
            "reports": [2, 2, 0],  # R1 once for 一组 despite A1 and A2; R2 in both groups
            "authors": [2, 2, 0],
            "per_capita": [2 / 3, 1.0, 0.0],
        }
    )
    pdt.assert_frame_equal(got, expected, check_dtype=False)
    assert got["reports"].sum() > len(rp.report_list(con, YEAR))  # the stated rule shows


def test_by_division_and_under_a_group_filter(con):
    got = rp.reports_by_author_unit(con, YEAR, dimension="division")
    assert got[["unit", "cadres", "reports", "authors"]].values.tolist() == [
        ["秘书一处", 3, 2, 2],  # R1 (A1), R2 (B1 and A1: once)
        ["秘书二处", 2, 2, 2],  # R1 (A2), R3 (B2)
        ["秘书三处", 1, 0, 0],
    ]
    narrowed = rp.reports_by_author_unit(con, GROUP_ONE, dimension="division")
    assert narrowed[["unit", "cadres", "reports"]].values.tolist() == [
        ["秘书一处", 2, 2],  # A1, C1; R1 and R2 through A1
        ["秘书二处", 1, 1],  # A2; R1
    ]
    with pytest.raises(KeyError):
        rp.reports_by_author_unit(con, YEAR, dimension="rank; DROP TABLE cadres")


def test_outcome_funnel_and_outlets(con):
    got = rp.outcome_funnel(con, YEAR)
    assert got["stage"].tolist() == [
        "提交",
        "评价优秀",
        "取得成效",
        "领导批示",
        "采纳",
        "刊发",
        "成果转化",
    ]
    assert got["reports"].tolist() == [3, 1, 2, 1, 0, 1, 0]
    assert got["share"].tolist() == pytest.approx([1, 1 / 3, 2 / 3, 1 / 3, 0, 1 / 3, 0])
    pdt.assert_frame_equal(
        rp.outlets(con, YEAR),
        pd.DataFrame({"outlet": ["《岛城先锋》"], "reports": [1], "titles": ["成果R2"]}),
        check_dtype=False,
    )


def test_leading_authors_rank_by_reports_then_lead_roles(con):
    got = rp.leading_authors(con, YEAR, limit=10)
    assert got[["cadre_id", "reports", "as_lead", "excellent", "with_outcome"]].values.tolist() == [
        ["A1", 2, 1, 1, 2],
        ["B1", 1, 1, 0, 1],
        ["B2", 1, 1, 0, 0],
        ["A2", 1, 0, 1, 1],
    ]
    assert got["profile"].iat[0] == "profile?cadre=A1#干部A1"
    assert rp.leading_authors(con, YEAR, limit=2)["cadre_id"].tolist() == ["A1", "B1"]
    assert rp.leading_authors(con, GROUP_ONE)["cadre_id"].tolist() == ["A1", "A2"]


def test_cadres_in_post_without_output(con):
    got = rp.cadres_without_output(con, YEAR)
    assert got["cadre_id"].tolist() == ["C1", "N1"]  # L1 left before 2025
    assert pd.isna(got["last_report_date"].iat[0])
    assert got["last_report_date"].iat[1] == pd.Timestamp("2024-03-01")  # N1 co-wrote R4
    assert got["profile"].tolist() == ["profile?cadre=C1#干部C1", "profile?cadre=N1#干部N1"]
    last_year = rp.cadres_without_output(con, filters(year=2024, as_of=AS_OF))
    assert last_year["cadre_id"].tolist() == ["A2", "B1", "B2"]  # L1 wrote R5, C1 not yet in post


def test_report_list_names_authors_lead_first_and_their_groups(con):
    got = rp.report_list(con, YEAR)
    assert list(got.columns) == rp.LIST_COLUMNS
    rows = got.set_index("report_id")
    assert rows.loc["R1", "authors"] == "干部A1、干部A2"
    assert rows.loc["R2", "authors"] == "干部B1、干部A1"
    assert rows.loc["R1", "author_groups"] == ["一组"]
    assert rows.loc["R1", "author_divisions"] == ["秘书一处", "秘书二处"]
    assert rows.loc["R2", "author_groups"] == ["一组", "二组"]
    assert rows.loc["R3", "theme"] == "未填写"
    assert pd.isna(rows.loc["R3", "outcome"])
    assert rows["quarter_label"].tolist() == ["第1季度", "第2季度", "第2季度"]
    # Under a group filter only that group's authors place a report in a group.
    assert rp.report_list(con, GROUP_ONE).set_index("report_id").loc["R2", "author_groups"] == [
        "一组"
    ]


@pytest.mark.parametrize("f", [EMPTY_QUARTER, FUTURE], ids=["no-reports", "future"])
def test_an_empty_period_gives_empty_answers_not_errors(con, f):
    kpis = rp.output_kpis(con, f)
    assert kpis.loc[kpis["key"] != "authors", "value"].eq(0).all()
    assert rp.reports_by_quarter(con, f).empty
    assert rp.reports_by_source(con, f).empty
    assert rp.reports_by_theme(con, f).empty
    assert rp.outlets(con, f).empty
    assert rp.leading_authors(con, f).empty
    assert rp.report_list(con, f).empty
    funnel = rp.outcome_funnel(con, f)
    assert funnel["reports"].eq(0).all() and funnel["share"].isna().all()
    assert rp.reports_by_author_unit(con, f)["reports"].eq(0).all()


def test_the_future_period_has_no_quarters_units_or_idle_cadres(con):
    assert rp.quarter_totals(con, FUTURE).empty
    assert rp.reports_by_author_unit(con, FUTURE).empty
    assert rp.cadres_without_output(con, FUTURE).empty
    assert rp.quarter_totals(con, EMPTY_QUARTER)["reports"].tolist() == [0]


# ----- narrowing the list -----


@pytest.fixture(scope="module")
def listing(con):
    return rp.report_list(con, YEAR)


def ids(df):
    return df["report_id"].tolist()


def test_search_matches_title_or_author_names(listing):
    assert ids(rp.narrow_reports(listing, "干部a2")) == ["R1"]  # case-insensitive, co-author
    assert ids(rp.narrow_reports(listing, " 成果R3 ")) == ["R3"]
    assert ids(rp.narrow_reports(listing, "[")) == []  # plain text, not a regex
    assert ids(rp.narrow_reports(listing, "")) == ["R1", "R2", "R3"]


def test_filters_on_type_source_and_outcome(listing):
    assert ids(rp.narrow_reports(listing, types=["调研报告"])) == ["R1"]
    assert ids(rp.narrow_reports(listing, sources=["回乡见闻", "理论学习"])) == ["R2", "R3"]
    assert ids(rp.narrow_reports(listing, outcomes=["无成效"])) == ["R3"]


def test_chart_selections_narrow_the_list(listing):
    def narrowed(*selections):
        return ids(rp.narrow_reports(listing, selections=list(selections)))

    assert narrowed([{"quarter_label": "第2季度", "type": "调研文章"}]) == ["R2"]
    assert narrowed([{"author_groups": "二组"}]) == ["R2", "R3"]
    assert narrowed([{"author_divisions": "秘书二处"}]) == ["R1", "R3"]
    assert narrowed([{"stage": "取得成效"}]) == ["R1", "R2"]
    assert narrowed([{"stage": "评价优秀"}]) == ["R1"]
    assert narrowed([{"stage": "刊发"}]) == ["R2"]
    assert narrowed([{"stage": "提交"}]) == ["R1", "R2", "R3"]
    assert narrowed([{"theme": "未填写"}]) == ["R3"]
    # Two points of one chart are alternatives; two charts both apply.
    assert narrowed([{"source": "产业观察"}, {"source": "理论学习"}]) == ["R1", "R3"]
    assert narrowed([{"author_groups": "二组"}], [{"stage": "取得成效"}]) == ["R2"]
    assert narrowed([]) == ["R1", "R2", "R3"]


def test_group_click_shows_as_many_rows_as_the_bar_counts(con, listing):
    bars = rp.reports_by_author_unit(con, YEAR, dimension="group")
    for unit, count in zip(bars["unit"], bars["reports"], strict=True):
        assert len(rp.narrow_reports(listing, selections=[[{"author_groups": unit}]])) == count


def test_points_become_picks_from_their_customdata():
    points = [
        {"x": "第2季度", "y": 1, "customdata": ["第2季度", "调研文章"], "curve_number": 1},
        {"x": "第2季度", "y": 2, "curve_number": 5},  # the 去年同期 line carries no customdata
    ]
    assert rp.picks_from_chart("quarter", points) == [
        {"quarter_label": "第2季度", "type": "调研文章"}
    ]
    assert rp.picks_from_chart("group", [{"customdata": ["一组", 2, 3]}]) == [
        {"author_groups": "一组"}
    ]
    assert rp.picks_from_chart("source", [{"customdata": "产业观察"}]) == [{"source": "产业观察"}]
    assert rp.describe_selections({"a": [{"q": "第2季度", "t": "调研文章"}], "b": []}) == (
        "第2季度·调研文章"
    )


def test_export_has_chinese_headers_joined_lists_and_no_link_column(con, listing):
    out = rp.for_export(listing)
    assert list(out.columns)[:3] == ["成果编号", "题目", "类型"]
    assert out.loc[out["成果编号"] == "R2", "作者所在小组"].iat[0] == "一组、二组"
    idle = rp.for_export(rp.cadres_without_output(con, YEAR))
    assert "profile" not in idle.columns and "姓名" in idle.columns
    assert not any(c.startswith("⟨") for c in list(out.columns) + list(idle.columns))


def test_a_quarter_without_outputs_exports_empty_tables_with_their_headers(con):
    # An empty list keeps its typed columns (submit_date is a datetime column with no rows):
    # the download still has its Chinese headers, and nothing raises.
    for frame in (rp.report_list(con, EMPTY_QUARTER), rp.outlets(con, EMPTY_QUARTER),
                  rp.leading_authors(con, EMPTY_QUARTER)):  # fmt: skip
        out = rp.for_export(frame)
        assert out.empty
        assert not any(c.startswith("⟨") for c in out.columns)
    assert "提交日期" in rp.for_export(rp.report_list(con, EMPTY_QUARTER)).columns


def test_per_capita_is_missing_when_a_unit_has_no_one_in_post():
    # A report dated after its only author left (a data slip the page must survive).
    con = database(
        [cadre("X1", "一组", leave_date=D(2024, 6, 30)), report("RX", D(2024, 8, 1), "X1")]
    )
    got = rp.reports_by_author_unit(con, filters(year=2024, as_of=AS_OF, quarter=3))
    assert got[["unit", "cadres", "reports"]].values.tolist() == [["一组", 0, 1]]
    assert pd.isna(got["per_capita"].iat[0])
