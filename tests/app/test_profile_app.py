"""干部档案 as a user meets it: by link (?cadre=工号), by search, and with a broken link."""

import pytest

from analytics.access.auth import Role
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


def test_search_by_part_of_a_name_lists_matches_and_writes_the_link(names):
    at = open_page(PAGE)
    assert at.selectbox(key="profile_cadre").value is None
    part = names["Q1002"][1:]  # the given name without the surname
    at.text_input(key="profile_query").input(part).run()
    assert not at.exception
    options = at.selectbox(key="profile_cadre").options
    assert any(o.startswith(f"{names['Q1002']}（Q1002）") for o in options)
    assert all(part in o for o in options)
    assert len(options) == sum(part in n or part.upper() in c for c, n in names.items())
    at.selectbox(key="profile_cadre").set_value("Q1002").run()
    assert not at.exception
    assert [h.value for h in at.header] == [names["Q1002"]]
    assert param(at, "cadre") == "Q1002"
    at.selectbox(key="f_quarter").set_value(2).run()
    assert not at.exception
    assert param(at, "cadre") == "Q1002"
    assert param(at, "quarter") == "2"
    assert [h.value for h in at.header] == [names["Q1002"]]


def test_search_by_part_of_a_cadre_id_ignores_case(names):
    at = open_page(PAGE)
    at.text_input(key="profile_query").input("q101").run()
    ids = [o.split("（", 1)[1].split("）", 1)[0] for o in at.selectbox(key="profile_cadre").options]
    assert ids == sorted(c for c in names if "Q101" in c)


@pytest.mark.parametrize("typed", ["%", "_", "Q10_1", "\\", "%1%"])
def test_sql_wildcards_typed_in_the_search_are_literal(typed):
    at = open_page(PAGE)
    at.text_input(key="profile_query").input(typed).run()
    assert not at.exception
    assert at.selectbox(key="profile_cadre").options == []
    assert any("没有姓名或工号包含" in c.value for c in at.caption)
    assert not at.header


def test_a_mentor_cannot_find_another_groups_cadre(names, demo_con):
    group_of = dict(demo_con.execute("SELECT cadre_id, study_group FROM cadres").fetchall())
    other = next(c for c, g in sorted(group_of.items()) if g == "第一学习小组")
    own = next(c for c, g in sorted(group_of.items()) if g == "第二学习小组")
    at = open_page()
    at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
    at.selectbox(key="demo_group").set_value("第二学习小组").run()
    at.switch_page(PAGE).run()
    for typed in (other, names[other]):
        at.text_input(key="profile_query").input(typed).run()
        assert not at.exception
        options = at.selectbox(key="profile_cadre").options
        assert not any(f"（{other}）" in o for o in options), typed
    at.text_input(key="profile_query").input("Q").run()
    options = at.selectbox(key="profile_cadre").options
    assert options and all("第二学习小组" in o for o in options)
    at.text_input(key="profile_query").input(own).run()
    at.selectbox(key="profile_cadre").set_value(own).run()
    assert [h.value for h in at.header] == [names[own]]


def test_the_group_filter_narrows_the_search_but_a_linked_cadre_still_shows(names):
    at = open_page(PAGE, cadre="Q1011", group="第一学习小组")
    assert not at.exception
    assert at.selectbox(key="profile_cadre").options[0].startswith(names["Q1011"])
    at.text_input(key="profile_query").input("Q").run()
    options = at.selectbox(key="profile_cadre").options
    assert options[0].startswith(names["Q1011"])  # Q1011 is in 第三学习小组
    assert len(options) > 1 and all("第一学习小组" in o for o in options[1:])
    assert [h.value for h in at.header] == [names["Q1011"]]


def test_a_cadre_who_left_shows_the_record_and_no_needs(names, demo_con):
    left = demo_con.execute(
        "SELECT cadre_id FROM cadres WHERE leave_date < DATE '2025-11-30' ORDER BY cadre_id"
    ).fetchone()[0]
    at = open_page(PAGE, cadre=left)
    assert not at.exception
    assert [h.value for h in at.header] == [names[left]]
    assert any("已调离" in m.value for m in at.markdown)
