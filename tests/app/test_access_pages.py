"""Role × page matrix on the demo database (演示模式 picker), and the 小组导师's row-level
restriction checked on every metric result and every download of every page that exists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.state
import ui.widgets
from analytics.access.auth import Role
from tests.app.conftest import open_page
from ui.navigation import PAGE_ROLES, PAGE_SPECS

# Written out here, not read from ui.navigation, so that a change to the rule fails a test.
ADMIN_ONLY = {"data", "audit"}
LEADERSHIP_ONLY = {"forum"}
EXISTING = {spec.url_path for spec in PAGE_SPECS}
EXPECTED = {
    Role.ADMIN: EXISTING,
    Role.LEADER: EXISTING - ADMIN_ONLY,
    Role.MENTOR: EXISTING - ADMIN_ONLY - LEADERSHIP_ONLY,
}
GROUP = "第二学习小组"


def registered(at: AppTest) -> set[str]:
    """The url paths of the pages st.navigation was given on the last run (the default page
    is registered with an empty url path, so pages are matched by their file)."""
    by_file = {Path(spec.path).name: spec.url_path for spec in PAGE_SPECS}
    found = set()
    for info in at._registered_pages.values():
        script = info.get("script_path")
        name = Path(str(script)).name if script else None
        found.add(by_file.get(name) or info.get("url_pathname") or info.get("page_name"))
    return found


def as_role(role: Role, group: str = GROUP) -> AppTest:
    at = open_page()
    if role is not Role.ADMIN:
        at.selectbox(key="demo_role").set_value(role).run()
    if role is Role.MENTOR:
        at.selectbox(key="demo_group").set_value(group).run()
    assert not at.exception
    return at


def test_every_page_has_an_access_rule():
    assert set(PAGE_ROLES) >= EXISTING, "a page without a rule is shown to nobody"


def test_demo_mode_is_labelled_and_starts_as_admin_with_every_page():
    at = open_page()
    assert any(m.value == "**演示模式**" for m in at.sidebar.markdown)
    assert at.selectbox(key="demo_role").value == Role.ADMIN
    assert registered(at) == EXPECTED[Role.ADMIN]
    assert not at.text_input  # no sign-in form on the demo database


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_pages(role):
    at = as_role(role)
    assert registered(at) == EXPECTED[role]
    for spec in PAGE_SPECS:
        if spec.url_path in EXPECTED[role]:
            at.switch_page(spec.path).run()
            assert not at.exception, spec.path
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(spec.path)


def test_the_mentors_group_filter_is_locked_to_their_group():
    at = open_page(group="第一学习小组")  # a link to another group …
    at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
    at.selectbox(key="demo_group").set_value(GROUP).run()
    box = at.selectbox(key="f_group")
    assert box.value == GROUP and box.disabled and box.options == [GROUP]
    shown = {m.label: m.value for m in at.metric}
    leader = open_page(group=GROUP)
    leader.selectbox(key="demo_role").set_value(Role.LEADER).run()
    as_leader = {m.label: m.value for m in leader.metric}
    assert shown == as_leader  # … shows exactly the mentor's own group
    assert shown["在岗青年干部"] != open_page().metric[0].value == "82 人"


# ----- every metric result and download of a 小组导师 holds only their group -----
def _people(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    rows = con.execute("SELECT cadre_id, name, study_group FROM cadres").fetchall()
    return {
        "own_ids": {r[0] for r in rows if r[2] == GROUP},
        "own_names": {r[1] for r in rows if r[2] == GROUP},
        "other_ids": {r[0] for r in rows if r[2] != GROUP},
        "other_names": {r[1] for r in rows if r[2] != GROUP}
        - {r[1] for r in rows if r[2] == GROUP},
        "other_groups": {r[2] for r in rows if r[2] not in (None, GROUP)},
    }


def _cells(obj: Any) -> Iterator[Any]:
    if isinstance(obj, pd.DataFrame):
        for col in obj.columns:
            yield col
            yield from obj[col].tolist()
        yield from (str(i) for i in obj.index)
    elif isinstance(obj, pd.Series):
        yield from obj.tolist()
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield key
            yield from _cells(value)
    elif isinstance(obj, list | tuple | set):
        for value in obj:
            yield from _cells(value)
    else:
        yield obj


def leaks(obj: Any, people: dict[str, Any]) -> set[str]:
    """Ids, names or group names of other groups anywhere in a result (names also inside
    lists written as 张三、李四; group names also inside sentences)."""
    found: set[str] = set()
    for cell in _cells(obj):
        if not isinstance(cell, str):
            continue
        tokens = {cell, *cell.replace("，", "、").replace(",", "、").split("、")}
        tokens = {tok.strip() for tok in tokens}
        found |= tokens & (people["other_ids"] | people["other_names"])
        found |= {g for g in people["other_groups"] if g in cell}
    return found


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every metric result and every frame offered for download during the runs."""
    seen: list[tuple[str, Any]] = []
    real_metric, real_strip = ui.state.metric, ui.widgets.strip_personal

    def metric(fn, f=None, **kwargs):
        out = real_metric(fn, f, **kwargs)
        seen.append((f"{fn.__module__}.{fn.__qualname__}", out))
        return out

    def strip_personal(df, role):
        out = real_strip(df, role)
        seen.append(("download", out[0]))
        return out

    monkeypatch.setattr(ui.state, "metric", metric)
    monkeypatch.setattr(ui.widgets, "strip_personal", strip_personal)
    return seen


def test_the_leak_check_can_fail(demo_con, spy):
    """The same check on an unrestricted 领导 must find other groups' people."""
    people = _people(demo_con)
    as_role(Role.LEADER)
    assert spy and any(leaks(out, people) for _, out in spy)


@pytest.mark.parametrize("spec", [s for s in PAGE_SPECS if s.url_path in EXPECTED[Role.MENTOR]],
                         ids=lambda s: s.url_path)  # fmt: skip
@pytest.mark.parametrize("query", [{}, {"year": "2024", "quarter": "2"}], ids=["2025", "2024Q2"])
def test_a_mentor_sees_only_their_groups_rows_on_every_page(demo_con, spy, spec, query):
    people = _people(demo_con)
    at = open_page(**query)
    at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
    at.selectbox(key="demo_group").set_value(GROUP).run()
    at.switch_page(spec.path).run()
    assert not at.exception
    spy.clear()
    at.run()  # one clean run of the page as the mentor
    assert not at.exception
    assert spy, "the page computed nothing through ui.state.metric"
    for name, out in spy:
        assert not leaks(out, people), (spec.url_path, name, sorted(leaks(out, people))[:5])


def test_a_mentor_reading_a_profile_sees_only_their_group(demo_con, spy):
    people = _people(demo_con)
    own = sorted(people["own_ids"])[0]
    at = open_page()
    at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
    at.selectbox(key="demo_group").set_value(GROUP).run()
    at.query_params["cadre"] = own
    at.switch_page("pages/profile.py").run()
    assert not at.exception and at.header  # the record is shown …
    spy.clear()
    at.run()
    assert len(spy) > 10
    for name, out in spy:  # … with peers, standing and lists from the own group only
        assert not leaks(out, people), (name, sorted(leaks(out, people))[:5])
