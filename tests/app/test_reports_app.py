"""调研成果 as a user meets it: the work report's figures, the filters, the searchable list.

Expected numbers are counted here with plain SQL on the generated demo database, independently
of analytics.metrics.reports, and compared with what the page shows.
"""

import pytest

from tests.app.conftest import metrics, open_page

PAGE = "pages/reports.py"


def count(con, sql, **params):
    return con.execute(sql, params).fetchone()[0]


def in_scope_sql(extra="TRUE"):
    """Reports submitted in [start, end] with an author in the group (NULL = any)."""
    return f"""
        SELECT count(*) FROM reports AS r
        WHERE r.submit_date BETWEEN $start AND $end AND {extra}
          AND EXISTS (SELECT 1 FROM report_authors ra JOIN cadres c USING (cadre_id)
                      WHERE ra.report_id = r.report_id AND ($grp IS NULL OR c.study_group = $grp))
    """


def listing(at):
    """The report list (beside the charts): the table of titles with dates and authors."""
    return next(
        df.value for df in at.dataframe if {"title", "submit_date", "authors"} <= set(df.value)
    )


def shown_count(at):
    return next(c.value for c in at.caption if c.value.startswith("显示 "))


def test_2025_shows_the_work_reports_11_reports_and_4_hometown_articles(demo_con):
    at = open_page(PAGE, year="2025")
    assert not at.exception
    shown = metrics(at)
    span = {"start": "2025-01-01", "end": "2025-11-30", "grp": None}
    research = count(demo_con, in_scope_sql("r.type = '调研报告'"), **span)
    hometown = count(
        demo_con, in_scope_sql("r.type = '调研文章' AND r.source = '回乡见闻'"), **span
    )
    assert (research, hometown) == (11, 4)  # the work report: 调研报告11篇, 回乡见闻文章4篇
    assert shown["调研报告"] == str(research)
    assert shown["回乡见闻文章"] == str(hometown)
    total = count(demo_con, in_scope_sql(), **span)
    assert shown["成果总数"] == str(total)
    assert shown_count(at) == f"显示 {total} / {total} 篇"
    assert len(listing(at)) == total
    assert at.title[0].value == "调研成果"


def test_searching_the_list_finds_the_hometown_articles(demo_db):
    at = open_page(PAGE, year="2025")
    at.text_input(key="reports_search").input("回乡见闻").run()
    rows = listing(at)
    assert len(rows) == int(metrics(at)["回乡见闻文章"])
    assert set(rows["source"]) == {"回乡见闻"}
    at.multiselect(key="reports_types").set_value(["调研报告"]).run()
    assert "没有符合条件的成果。" in [i.value for i in at.info]


def test_type_and_outcome_filters_narrow_the_list(demo_con):
    at = open_page(PAGE, year="2025")
    at.multiselect(key="reports_types").set_value(["调研报告"]).run()
    assert len(listing(at)) == int(metrics(at)["调研报告"])
    at.multiselect(key="reports_outcomes").set_value(["刊发"]).run()
    rows = listing(at)
    expected = count(
        demo_con,
        in_scope_sql("r.type = '调研报告' AND r.outcome = '刊发'"),
        start="2025-01-01", end="2025-11-30", grp=None,
    )  # fmt: skip
    assert len(rows) == expected and set(rows["outcome"]) == {"刊发"}
    assert "《岛城先锋》" in set(rows["outlet"])


@pytest.mark.parametrize(
    ("query", "start", "end", "group"),
    [
        ({"year": "2025", "quarter": "2", "group": "第一学习小组"}, "2025-04-01", "2025-06-30",
         "第一学习小组"),
        ({"year": "2024"}, "2024-01-01", "2024-12-31", None),
        ({"year": "2025", "quarter": "4", "group": "第三学习小组"}, "2025-10-01", "2025-11-30",
         "第三学习小组"),
    ],
)  # fmt: skip
def test_numbers_follow_the_sidebar_filters(demo_con, query, start, end, group):
    at = open_page(PAGE, **query)
    assert not at.exception
    expected = count(demo_con, in_scope_sql(), start=start, end=end, grp=group)
    assert metrics(at)["成果总数"] == str(expected)
    if expected:
        assert len(listing(at)) == expected
    else:
        assert "所选期间和范围内没有调研成果。" in " ".join(str(e.value) for e in at.info)
    assert shown_count(at) == f"显示 {expected} / {expected} 篇"


def test_changing_the_group_in_the_sidebar_changes_the_page(demo_con):
    at = open_page(PAGE, year="2025")
    whole = metrics(at)["成果总数"]
    at.selectbox(key="f_group").set_value("第二学习小组").run()
    expected = count(
        demo_con, in_scope_sql(), start="2025-01-01", end="2025-11-30", grp="第二学习小组"
    )
    assert metrics(at)["成果总数"] == str(expected) != whole
    assert at.query_params["group"] in ("第二学习小组", ["第二学习小组"])


def test_rules_and_downloads_are_on_the_page():
    at = open_page(PAGE, year="2025")
    rules = " ".join(md.value for e in at.expander for md in e.markdown)
    assert "只计 1 篇" in rules  # the one-per-group counting rule is stated
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("下载 CSV") == labels.count("下载 Excel") == 4
    assert "期间在岗但无成果的青年干部" in " ".join(m.value for m in at.markdown)
