"""自助分析 as a user meets it: a link asks a question and the page answers it; what the link
gets wrong is ignored with a note; the widgets write the question back to the URL; a question
saved as a 常用视图 is listed, audited, and opens again."""

from analytics.common.filters import Filters
from analytics.generators.demo import AS_OF
from analytics.semantic.answer import answer, answer_total
from analytics.semantic.question import Question
from tests.app.conftest import open_page, query

PAGE = "pages/explore.py"


def table(at):
    return at.dataframe[0].value  # the answer comes first; the saved views after it


def test_a_link_reproduces_a_question_with_its_filters_and_total(demo_con):
    at = open_page(PAGE, year="2025", measure="participation_rate", by="political_status",
                   x_gender="女", x_join_year="2016-2025")  # fmt: skip
    assert not at.exception
    q = Question(measure="participation_rate", dims=("political_status",),
                 picks=(("gender", ("女",)),), ranges=(("join_year", 2016, 2025),))  # fmt: skip
    f = Filters(year=2025, as_of=AS_OF)
    expected = answer(demo_con, f, q)
    shown = table(at)
    assert shown["政治面貌"].tolist() == [*expected["political_status"], "合计"]
    assert shown["参与率"].tolist() == [
        f"{v * 100:.1f}%" for v in [*expected["value"], answer_total(demo_con, f, q)["value"][0]]
    ]
    assert at.multiselect(key="ex_pick_gender").value == ["女"]
    assert at.slider(key="ex_range_join_year").value == (2016, 2025)
    assert at.info[0].value == "当前问题：参与率 · 按政治面貌 · 性别：女 · 入职年份 2016–2025"
    assert not at.warning


def test_an_invalid_choice_in_the_link_is_ignored_with_a_note():
    at = open_page(PAGE, measure="reports", by="division,form", x_source="不存在的来源")
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert any("by=form" in n.replace("\\", "") for n in notes)
    assert any("x_source=不存在的来源" in n.replace("\\", "") for n in notes)
    assert at.multiselect(key="ex_dims").value == ["division"]
    assert at.query_params["by"] == "division" and "x_source" not in at.query_params


def test_the_widgets_write_the_question_into_the_url():
    at = open_page(PAGE, year="2025")
    at.selectbox(key="ex_measure").set_value("awards").run()
    at.multiselect(key="ex_dims").set_value(["level"]).run()
    at.checkbox(key="ex_yoy").check().run()
    assert not at.exception
    assert at.query_params["measure"] == "awards"
    assert at.query_params["by"] == "level" and at.query_params["yoy"] == "1"
    assert list(table(at).columns) == ["奖项级别", "获奖数", "去年同期", "同比变化"]
    assert table(at)["奖项级别"].iloc[-1] == "合计"


def test_a_saved_view_is_listed_audited_and_opens_again(own_db):
    at = open_page(PAGE, year="2025", measure="reports", by="source")
    at.text_input(key="ex_view_name").input("各来源成果")
    at.button(key="FormSubmitter:ex_save-保存当前问题").click().run()
    assert not at.exception
    assert "已保存视图“各来源成果”。" in [s.value for s in at.success]
    listed = at.dataframe[1].value
    assert listed["name"].tolist() == ["各来源成果"]
    assert listed["question"].tolist() == ["调研成果数 · 按来源"]
    rows = query(own_db, "SELECT actor, action, target FROM audit_log WHERE action = 'view_save'")
    assert rows == [("演示:管理员", "view_save", "各来源成果")]
    at.selectbox(key="ex_measure").set_value("attended").run()  # ask something else …
    at.button(key="ex_view_open").click().run()  # … and open the view again
    assert at.selectbox(key="ex_measure").value == "reports"
    assert at.multiselect(key="ex_dims").value == ["source"]
    assert at.query_params["measure"] == "reports"
