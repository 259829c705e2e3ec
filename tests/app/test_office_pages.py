"""Every page × filters × role on generated offices (tests/officegen.py), as a user meets them.

Each office enters its own database through the importer (a workbook with PRODUCT.md's headers
only). Then, signed in as 领导, 管理员 and a 小组导师, every page the role may open runs under a
sample of the sidebar's filters (year, quarter, group, division), and every run must hold what
is true on any data:

- no exception, and nothing caught by the error boundary (tests/app/conftest.py);
- no label missing (⟨key⟩) and no nan/None/NaT shown as a figure;
- every percentage a card shows within 0–100 %, no negative count or figure;
- in every frame a page computed (ui.state.metric): rates and shares within 0–1, no negative
  count; a 小组导师's frames hold no other group's 工号;
- the cards agree with the tables they count (调研成果: 成果总数 = the list's total; 竞赛获奖:
  获奖项数 = the list's rows, 获奖人数 = its winners; 学习参与: the groups' cadres add up to
  在岗青年干部 when everyone is in a group).

CI runs CI_SEEDS, each page once or twice per role with the filters taking turns (see
filter_sample); CADRE_OFFICES_FULL=1 runs FULL_SEEDS under every year × quarter × group and
division (a nightly-size run), and CADRE_OFFICES_SEEDS=41 (or 0-33) reruns chosen offices.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.state
from analytics.access.auth import Role, User
from analytics.common.filters import Filters
from analytics.store.db import as_of_date, connect, dimension_values
from tests.app.conftest import APP
from tests.officegen import FEATURES, FULL, Office, chosen_seeds, office, workbook
from ui.errors import ERROR_LOGGER
from ui.navigation import PAGE_SPECS, pages_for

# Together these switch on every feature of tests/officegen.FEATURES (checked below).
CI_SEEDS = (0, 25, 31, 80, 87)
SEEDS = chosen_seeds(CI_SEEDS)
ROLES = (Role.LEADER, Role.ADMIN, Role.MENTOR)

_FACTS: dict[Path, dict[str, Any]] = {}


def imported(seed: int, generated_office) -> tuple[Office, Path, dict[str, Any]]:
    """The office of `seed` (imported once per session, tests/conftest.py), with its years,
    groups and divisions as the sidebar offers them."""
    o, path = generated_office(seed)
    if path not in _FACTS:
        con = connect(path)
        _FACTS[path] = dimension_values(con) | {"as_of": as_of_date(con)}
        con.close()
    return o, path, _FACTS[path]


def test_the_ci_sample_covers_every_kind_of_office():
    covered = set().union(*(office(seed).features for seed in CI_SEEDS))
    assert covered == set(FEATURES), sorted(set(FEATURES) - covered)


# ----- the filters a run uses -----


# What a sampled run narrows to besides the default view; pages take turns, so that every kind
# comes up for every office and role.
KINDS = ("quarter", "group", "division", "year")
UNFILTERED_PAGES = {"data", "audit"}  # they show the whole database, whatever the sidebar says


def filter_sample(o: Office, facts: dict[str, Any], role: Role, page: str) -> list[dict]:
    """The sidebar choices to try on one page: every combination when FULL; else the default
    view (on the first page) and one narrowing, taking turns between an empty (or random)
    quarter, a study group, the one-person (or a random) division and an earlier year."""
    years, groups, divisions = facts["years"], facts["groups"], facts["divisions"]
    group_choices = [None] if role is Role.MENTOR else [None, *groups]
    if FULL:
        return [
            {"year": y, "quarter": q, "group": g, "division": None}
            for y in years for q in (None, 1, 2, 3, 4) for g in group_choices
        ] + [
            {"year": y, "quarter": q, "group": None, "division": d}
            for y in years for q in (None, 1, 2, 3, 4) for d in divisions[-1:]
        ]  # fmt: skip
    rng = random.Random(f"{o.seed}/{role.value}/{page}")
    latest = facts["as_of"].year if facts["as_of"].year in years else years[-1]
    default = {"year": latest, "quarter": None, "group": None, "division": None}
    pages = [spec.url_path for spec in pages_for(role)]
    combos = [default] if page == pages[0] or page in UNFILTERED_PAGES else []
    if page in UNFILTERED_PAGES:
        return combos
    kind = KINDS[(pages.index(page) + ROLES.index(role) + o.seed) % len(KINDS)]
    if kind == "group" and len(group_choices) == 1:
        kind = "division"
    choice = dict(default)
    if kind == "quarter":
        in_years = [(y, q) for y, q in sorted(o.empty_quarters) if y in years]
        choice["year"], choice["quarter"] = rng.choice(in_years) if in_years else (
            latest, rng.randint(1, 4))  # fmt: skip
    elif kind == "group":
        choice |= {"group": rng.choice(groups), "quarter": rng.choice((None, 1, 2, 3, 4))}
    elif kind == "division":
        one = "督查处" if "督查处" in divisions else rng.choice(divisions)
        choice |= {"division": one, "quarter": rng.choice((None, 2, 3))}
    else:
        choice |= {"year": years[0], "quarter": rng.choice((None, 1, 4))}
    return [*combos, choice]


def set_filters(at: AppTest, choice: dict[str, Any], role: Role) -> None:
    for name, value in choice.items():
        if name == "group" and role is Role.MENTOR:
            continue  # locked to the mentor's own group
        at.selectbox(key=f"f_{name}").set_value(value)


# ----- what must hold on any data -----

NOT_A_FIGURE = re.compile(r"(?<![A-Za-z])(nan|NaN|None|NaT|null)(?![A-Za-z])")
# Frame columns that are shares of a whole (0–1); "progress" against pace may exceed 1.
RATE_COLUMNS = re.compile(r"(^|_)(rate|share|coverage|period_rate)$")
NOT_RATES = {("award_winners", "share")}  # a winner's share of the award's points
# Columns that may be negative: changes and differences.
SIGNED_COLUMNS = re.compile(r"(yoy|qoq|delta|change|diff|trend|_vs_)")


def shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                 "error", "success", "toast"):  # fmt: skip
        for element in getattr(at, kind):
            yield kind, str(element.value)
    for m in at.metric:
        yield "metric", f"{m.label}={m.value}"
    for frame in at.dataframe:
        for column in frame.value.columns:
            yield "column", str(column)


def check_shown(at: AppTest, where: str) -> None:
    for kind, text in shown_texts(at):
        assert "⟨" not in text, (where, kind, text)  # a label key without its text
    for m in at.metric:
        assert not NOT_A_FIGURE.search(m.value), (where, m.label, m.value)
        number = _number(m.value)
        if number is None:
            continue
        assert number >= 0, (where, m.label, m.value)
        if m.value.endswith("%"):
            assert number <= 100, (where, m.label, m.value)
    for kind, text in shown_texts(at):
        if kind in ("caption", "info", "warning", "success", "error"):
            assert not NOT_A_FIGURE.search(text), (where, kind, text)


def _number(text: str) -> float | None:
    match = re.match(r"^-?[0-9][0-9,]*(\.[0-9]+)?", text.strip())
    return float(match.group(0).replace(",", "")) if match else None


def check_frame(name: str, frame: Any, where: str) -> None:
    """A frame a page computed: rates within 0–1, nothing negative that counts."""
    if not isinstance(frame, pd.DataFrame):
        return
    for column in frame.columns:
        series = frame[column]
        if not isinstance(column, str) or series.dtype == bool:
            continue
        if not pd.api.types.is_numeric_dtype(series) and not (
            series.dtype == object and series.map(_is_number).all()
        ):
            continue  # text, dates, lists: not a figure
        finite = pd.to_numeric(series, errors="coerce").dropna()
        if SIGNED_COLUMNS.search(column):
            continue
        assert (finite >= -1e-9).all(), (where, name, column, finite[finite < 0].tolist()[:5])
        if RATE_COLUMNS.search(column) and (name, column) not in NOT_RATES:
            assert (finite <= 1 + 1e-9).all(), (where, name, column, finite.max())


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def check_quota_compliance(frame: pd.DataFrame, where: str) -> None:
    shares = frame[frame["unit"] == "share"]
    for column in ("actual", "projection"):
        values = shares[column].dropna()
        assert ((values >= 0) & (values <= 1 + 1e-9)).all(), (where, column, values.tolist())


def check_cards_against_tables(at: AppTest, o: Office, page: str, choice: dict, where: str):
    cards = {m.label: m.value for m in at.metric}
    if page == "reports" and "成果总数" in cards:  # (a period after the as-of date stops early)
        [count] = [c.value for c in at.caption if re.fullmatch(r"显示 \d+ / \d+ 篇", c.value)]
        total = int(count.split("/")[1].split()[0])
        assert _number(cards["成果总数"]) == total, (where, cards["成果总数"], count)
    if page == "awards" and at.dataframe:
        listed = [
            d.value
            for d in at.dataframe
            if "获奖编号" in d.value.columns and "获奖人" in d.value.columns
        ]
        winners = [d.value for d in at.dataframe if "个人积分" in d.value.columns]
        if listed:
            assert _number(cards["获奖项数"]) == len(listed[0]), where
        if winners:
            assert _number(cards["获奖人数"]) == winners[0]["工号"].nunique(), where
    if page == "participation" and not o.has_ungrouped and choice["division"] is None:
        groups = [d.value for d in at.dataframe if "学习小组" in d.value.columns
                  and "人均学时" in d.value.columns]  # fmt: skip
        if groups and "在岗青年干部" in cards:
            assert groups[0]["在岗人数"].sum() == _number(cards["在岗青年干部"]), where


PERIOD_PAGES = {"overview", "participation", "reports", "awards", "quotas", "forum"}


def check_no_year_on_year_before_the_data(at: AppTest, o: Office, choice: dict, where: str):
    """A period that ends before the office's first record says so; 同比 against such a period
    reads 无同期数据 (it has no figures), never a change from zero."""
    f = Filters(year=choice["year"], quarter=choice["quarter"], as_of=o.as_of)
    page = where.split(" on ")[1].split()[0]
    if f.period_end < o.first_day and page in PERIOD_PAGES and page != "forum":
        assert any("早于数据中最早的记录" in i.value for i in at.info), where
    if f.year_earlier().period_end >= o.first_day:
        return
    for m in at.metric:
        assert m.proto.delta in ("", "无同期数据"), (where, m.label, m.value, m.proto.delta)


def mentor_leaks(seen: list[tuple[str, Any]], o: Office, group: str) -> set[str]:
    others = set(o.cadre_ids) - set(o.members(group))
    found: set[str] = set()
    for _, frame in seen:
        if isinstance(frame, pd.DataFrame):
            for column in frame.columns:
                if frame[column].dtype == object:
                    found |= {v for v in frame[column].tolist() if isinstance(v, str)} & others
    return found


# ----- the runs -----


def user_for(role: Role, facts: dict[str, Any]) -> User | None:
    if role is Role.MENTOR:
        if not facts["groups"]:
            return None  # an office without study groups has no 小组导师
        return User("mentor", "导师", role, facts["groups"][-1])
    return User(role.name.lower(), role.value, role)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []
    real = ui.state.metric

    def metric(fn, f=None, **kwargs):
        out = real(fn, f, **kwargs)
        seen.append((fn.__name__, out))
        return out

    monkeypatch.setattr(ui.state, "metric", metric)
    return seen


@pytest.mark.parametrize("role", ROLES, ids=[r.name.lower() for r in ROLES])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_page_under_every_filter(seed, role, generated_office, monkeypatch, spy, caplog):
    o, path, facts = imported(seed, generated_office)
    assert facts["as_of"] == o.as_of  # the pages read the as-of date from the data
    user = user_for(role, facts)
    if user is None:
        pytest.skip("no study groups, so no 小组导师")
    monkeypatch.setenv("CADRE_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user"] = user
    at.run()
    assert not at.exception
    cadre = o.members(user.study_group) if user.study_group else o.cadre_ids
    for spec in pages_for(role):
        for choice in filter_sample(o, facts, role, spec.url_path):
            where = f"{o!r} as {role.value} on {spec.url_path} with {choice}"
            set_filters(at, choice, role)
            if spec.url_path == "profile" and cadre:
                at.query_params["cadre"] = sorted(cadre)[0]
            at.switch_page(spec.path)
            spy.clear()
            at.run()
            assert not at.exception, (where, at.exception[0].value)
            caught = [r for r in caplog.get_records("call") if r.name == ERROR_LOGGER]
            assert not caught, (where, caught[0].getMessage())
            check_shown(at, where)
            for name, frame in spy:
                check_frame(name, frame, where)
                if name == "quota_compliance":
                    check_quota_compliance(frame, where)
            check_cards_against_tables(at, o, spec.url_path, choice, where)
            check_no_year_on_year_before_the_data(at, o, choice, where)
            if user.visible_group:
                assert not mentor_leaks(spy, o, user.visible_group), where


def test_every_page_was_reached():
    """The matrix above opens every page the app has (a page left out would go untested)."""
    reached = {spec.url_path for role in ROLES for spec in pages_for(role)}
    assert reached == {spec.url_path for spec in PAGE_SPECS}


def signed_in(path: Path, role: Role = Role.LEADER) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user"] = User(role.name.lower(), role.value, role)
    at.run()
    return at


def test_an_office_without_groups_or_council_sessions_is_told_so(generated_office, monkeypatch):
    # office 0 has no study groups; office 87 holds no 列席旁听 session at all.
    _, path, _ = imported(0, generated_office)
    monkeypatch.setenv("CADRE_DB", str(path))
    at = signed_in(path)
    at.switch_page("pages/participation.py").run()
    captions = [c.value for c in at.caption]
    assert "所选范围内没有理论学习小组，因此没有学习导师轮值。" in captions
    assert not any("各小组每月均有轮值导师" in c for c in captions)  # nothing to claim of
    at.switch_page("pages/quotas.py").run()
    at.segmented_control(key="quotas_breakdown_by").set_value("study_group").run()
    assert not at.exception
    assert [i.value for i in at.info if "学习小组" in i.value] == [
        "所选范围内的青年干部都未分理论学习小组，无法按学习小组分解；可改为按处室查看。"
    ]
    _, path, _ = imported(87, generated_office)
    monkeypatch.setenv("CADRE_DB", str(path))
    at = signed_in(path)
    at.switch_page("pages/participation.py").run()
    cards = {m.label: m.value for m in at.metric}
    assert cards["中心组学习场次"] == "0" and cards["每场列席人数"] == "—"
    assert not any("badge[接近]" in m.value for m in at.markdown)  # no session fell short


def test_a_new_office_uploads_its_workbook_on_the_data_page(tmp_path, monkeypatch):
    # A new database, an administrator, and a workbook with PRODUCT.md's headers only (office
    # 87 even leaves the optional columns out): the preview has no problem, the commit works,
    # and the dashboards then count the office's cadres against the default targets.
    o = office(87)
    db = tmp_path / "new.duckdb"
    connect(db).close()
    monkeypatch.setenv("CADRE_DB", str(db))
    at = signed_in(db, Role.ADMIN)
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value(
        [
            (
                "台账.xlsx",
                workbook(o),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        ]
    ).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success][0].startswith("校验通过：新增 ")
    at.button(key="data_commit").click().run()
    assert [s.value for s in at.success][0].startswith("导入成功（第 1 次导入）")
    at.switch_page("pages/quotas.py").run()
    assert not at.exception
    summary = at.dataframe[0].value.set_index("指标")
    assert summary.loc["跨处室轮岗、专项工作占比", "目标"] == "每年 30%（默认）"
    at.switch_page("pages/overview.py").run()
    in_post = sum(1 for c in o.sheets["cadres"] if c["调离日期"] is None)
    assert {m.label: m.value for m in at.metric}["在岗青年干部"] == f"{in_post} 人"
