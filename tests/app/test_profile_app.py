"""干部档案 as a user meets it: by link (?cadre=工号), by search, and with a broken link."""

import pytest

from tests.app.conftest import open_page

PAGE = "pages/profile.py"


@pytest.fixture(scope="module")
def names(demo_con) -> dict[str, str]:
    return dict(demo_con.execute("SELECT cadre_id, name FROM cadres").fetchall())


def param(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_a_link_opens_that_cadres_record(names):
    at = open_page(PAGE, cadre="Q1011")
    assert not at.exception
    assert at.selectbox(key="profile_cadre").value == "Q1011"
    assert [h.value for h in at.header] == [names["Q1011"]]
    assert param(at, "cadre") == "Q1011"
    assert param(at, "year") == "2025"  # the sidebar's own parameters still work beside it
    subheaders = [s.value for s in at.subheader]
    assert {"本年度还需完成", "在本组的位置", "档案明细"} <= set(subheaders)
    needs = [w.value for w in at.warning]
    assert any("专业培训还差" in n for n in needs)
    tabs = [tab.label for tab in at.tabs]
    assert tabs == ["活动与学时", "专业培训", "调研成果", "竞赛获奖", "轮岗挂职", "考核", "导师"]
    standing = at.dataframe[0].value
    assert standing["组内名次"].str.match(r"第 \d+ / \d+").all()


def test_an_unknown_cadre_in_the_link_gets_a_visible_note():
    at = open_page(PAGE, cadre="Q9999")
    assert not at.exception
    assert any("cadre=Q9999" in w.value and "不存在" in w.value for w in at.warning)
    assert at.selectbox(key="profile_cadre").value is None
    assert any("请在上方选择" in i.value for i in at.info)
    assert not at.header


def test_search_by_selectbox_writes_the_link_and_the_sidebar_keeps_it(names):
    at = open_page(PAGE)
    assert at.selectbox(key="profile_cadre").value is None
    at.selectbox(key="profile_cadre").set_value("Q1002").run()
    assert not at.exception
    assert [h.value for h in at.header] == [names["Q1002"]]
    assert param(at, "cadre") == "Q1002"
    at.selectbox(key="f_quarter").set_value(2).run()
    assert not at.exception
    assert param(at, "cadre") == "Q1002"
    assert param(at, "quarter") == "2"
    assert [h.value for h in at.header] == [names["Q1002"]]


def test_the_group_filter_narrows_the_search_but_a_linked_cadre_still_shows(names):
    at = open_page(PAGE, cadre="Q1011", group="第一学习小组")
    assert not at.exception
    options = at.selectbox(key="profile_cadre").options
    assert options[0].startswith(names["Q1011"])  # Q1011 is in 第三学习小组
    assert all("第一学习小组" in o for o in options[1:])
    assert [h.value for h in at.header] == [names["Q1011"]]


def test_a_cadre_who_left_shows_the_record_and_no_needs(names, demo_con):
    left = demo_con.execute(
        "SELECT cadre_id FROM cadres WHERE leave_date < DATE '2025-11-30' ORDER BY cadre_id"
    ).fetchone()[0]
    at = open_page(PAGE, cadre=left)
    assert not at.exception
    assert [h.value for h in at.header] == [names[left]]
    assert any("已调离" in m.value for m in at.markdown)
