"""A quarter that starts after the data's as-of date: the pages with a period say so and stop."""

import duckdb
import pytest

from analytics.store.db import bump_data_version
from tests.app.conftest import OFFICE_ADMIN, open_page

NOT_STARTED = "所选期间晚于数据截至日期，尚无数据。"
PAGES = ["overview", "participation", "reports", "awards", "quotas"]  # 季度座谈会 offers only
# quarters that have started in its own chooser


@pytest.fixture
def data_to_mid_june(office_db):
    """The demo data as if taken on 2025-06-15: nothing dated later (an office's database,
    signed in: records that are not the generated demo's are never shown without)."""
    own_db = office_db
    con = duckdb.connect(str(own_db))
    for table, column in (("attendance", None), ("activities", "date"), ("reports", "submit_date"),
                          ("awards", "date"), ("training", "completion_date")):  # fmt: skip
        if column is None:  # attendance of the activities about to go
            con.execute("DELETE FROM attendance WHERE activity_id IN "
                        "(SELECT activity_id FROM activities WHERE date > DATE '2025-06-15')")  # fmt: skip
        else:
            con.execute(f"DELETE FROM {table} WHERE {column} > DATE '2025-06-15'")  # noqa: S608
    bump_data_version(con)
    con.close()
    return own_db


@pytest.mark.parametrize("page", PAGES)
def test_a_quarter_after_the_data_says_so(data_to_mid_june, page):
    at = open_page(f"pages/{page}.py", user=OFFICE_ADMIN, year="2025", quarter="4")
    assert not at.exception, at.exception[0].value if at.exception else ""
    assert [i.value for i in at.info].count(NOT_STARTED) == 1
    assert not at.dataframe  # stopped before any table


def test_a_quarter_within_the_data_shows_the_page(data_to_mid_june):
    at = open_page("pages/reports.py", user=OFFICE_ADMIN, year="2025", quarter="2")
    assert not at.exception
    assert NOT_STARTED not in [i.value for i in at.info]
