"""The demo database says what the work report says: each figure computed by SQL from it."""

import datetime as dt

from analytics.common.filters import Filters
from analytics.generators.demo import build_demo
from analytics.metrics.overview import overview_kpis
from analytics.store.db import as_of_date, connect


def one(con, sql):
    return con.execute(sql).fetchone()


def test_as_of_date_comes_from_the_data(demo_con):
    assert as_of_date(demo_con) == dt.date(2025, 11, 30)
    assert one(demo_con, "SELECT min(date) FROM activities")[0] >= dt.date(2024, 1, 1)


def test_82_youth_cadres_in_4_study_groups(demo_con):
    in_post = "in_post(join_date, leave_date, DATE '2025-11-30', DATE '2025-11-30')"
    assert one(
        demo_con, f"SELECT count(*), count(DISTINCT study_group) FROM cadres WHERE {in_post}"
    ) == (82, 4)


def test_3_batches_and_11_sessions_of_research_study(demo_con):
    assert one(
        demo_con,
        "SELECT count(DISTINCT batch), count(*) FROM activities WHERE form = '研学活动' AND year(date) = 2025",
    ) == (3, 11)


def test_11_forum_sessions_with_30_different_participants(demo_con):
    assert one(
        demo_con,
        """SELECT count(DISTINCT a.activity_id), count(DISTINCT t.cadre_id)
           FROM activities a JOIN attendance t USING (activity_id)
           WHERE a.form = '座谈交流' AND year(a.date) = 2025 AND t.status = '出席'""",
    ) == (11, 30)
    themes = {
        r[0]
        for r in demo_con.execute("SELECT theme FROM activities WHERE form = '座谈交流'").fetchall()
    }
    assert "新质生产力" in themes


def test_two_representatives_at_every_party_group_study_session(demo_con):
    seats = demo_con.execute(
        """SELECT count(t.cadre_id) FROM activities a
           LEFT JOIN attendance t ON t.activity_id = a.activity_id AND t.role = '列席'
           WHERE a.form = '列席旁听' AND year(a.date) = 2025 GROUP BY a.activity_id"""
    ).fetchall()
    assert len(seats) >= 10 and {s[0] for s in seats} == {2}


def test_11_research_reports_and_4_hometown_articles(demo_con):
    assert (
        one(
            demo_con,
            "SELECT count(*) FROM reports WHERE type = '调研报告' AND year(submit_date) = 2025",
        )[0]
        == 11
    )
    assert (
        one(
            demo_con,
            "SELECT count(*) FROM reports WHERE type = '调研文章' AND source = '回乡见闻' AND year(submit_date) = 2025",
        )[0]
        == 4
    )


def test_the_four_awards_the_report_names(demo_con):
    rows = demo_con.execute(
        "SELECT competition, category, prize, work FROM awards WHERE year(date) = 2025 ORDER BY date, award_id"
    ).fetchall()
    assert len(rows) == 4
    speech = "市直机关“打头阵、当先锋、抓落实”宣讲比赛"
    assert (rows[0][0], rows[0][1], rows[0][2]) == (speech, "理论组", "一等奖")
    assert (rows[1][0], rows[1][1], rows[1][2]) == (speech, "演艺组", "二等奖")
    assert (rows[2][2], rows[2][3]) == ("一等奖", "《愿以青春赴山海 逐梦基层绽芳华》")
    assert "述讲比赛" in rows[2][0]
    assert (rows[3][2], rows[3][3]) == ("优异成绩", "《热线连民心 服务暖万家》")
    assert "使命必达" in rows[3][0]


def test_the_rest_is_uneven_and_quotas_are_part_way(demo_con):
    f = Filters(year=2025, as_of=as_of_date(demo_con))
    kpis = overview_kpis(demo_con, f).set_index("key")
    for key in ("rotation_share", "secondment_share"):
        assert 0 < kpis.loc[key, "value"] < kpis.loc[key, "target"]
    rates = demo_con.execute(
        """SELECT c.study_group, avg((e.status = '出席')::INT) FROM expected_attendance e
           JOIN cadres c USING (cadre_id) WHERE year(e.date) = 2025 GROUP BY 1"""
    ).fetchall()
    spread = max(r[1] for r in rates) - min(r[1] for r in rates)
    assert spread > 0.05  # groups differ
    behind = one(
        demo_con,
        """SELECT count(*) FROM (SELECT cadre_id, avg((status = '出席')::INT) AS r
           FROM expected_attendance WHERE year(date) = 2025 GROUP BY 1) WHERE r < 0.7""",
    )[0]
    assert behind >= 3  # some cadres fall behind
    assert kpis.loc["cadres", "previous"] == 78  # 2024 gives a baseline for 同比


def test_generation_is_deterministic(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build_demo(a)
    build_demo(b)
    dump = "SELECT * FROM attendance ORDER BY activity_id, cadre_id"
    ca, cb = connect(a, read_only=True), connect(b, read_only=True)
    assert ca.execute(dump).fetchall() == cb.execute(dump).fetchall()


def test_the_speech_competition_winners_are_the_ones_the_office_sent(demo_con):
    winners = {
        r[0]
        for r in demo_con.execute(
            """SELECT w.cadre_id FROM awards a JOIN award_winners w USING (award_id)
               WHERE a.competition LIKE '%打头阵、当先锋、抓落实%' AND year(a.date) = 2025"""
        ).fetchall()
    }
    sent = {
        r[0]
        for r in demo_con.execute(
            """SELECT t.cadre_id FROM activities a JOIN attendance t USING (activity_id)
               WHERE a.form = '宣讲比赛' AND year(a.date) = 2025 AND t.status = '出席'"""
        ).fetchall()
    }
    assert len(winners) == 5 and winners <= sent


def test_birth_and_entry_dates_are_plausible(demo_con):
    """Nobody joins the office before 22, nobody under 30 is a 四级调研员, everyone is young."""
    ages = demo_con.execute(
        """SELECT min(date_diff('year', birth_date, join_date)),
                  min(date_diff('year', birth_date, DATE '2025-11-30'))
                      FILTER (WHERE rank = '四级调研员'),
                  max(date_diff('year', birth_date, DATE '2025-11-30'))
           FROM cadres"""
    ).fetchone()
    assert ages[0] >= 22
    assert ages[1] >= 30
    assert ages[2] <= 35


def test_award_names_are_spelled_as_the_report_spells_them(demo_con):
    names = {r[0] for r in demo_con.execute("SELECT competition FROM awards").fetchall()}
    assert "“使命必达我们的价值观”宣讲大赛" in names
    assert "“青年干部成长心路展演主题述讲比赛”" in names
