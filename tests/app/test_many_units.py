"""An office with more 学习小组 and 处室 than a bar chart can carry (a city has hundreds): the
bars by unit show the lowest UNITS_SHOWN and say so, and every unit is still in a table or a
download on the page; the cadre × month grid of so many people is drawn when asked for."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
import streamlit as st

from analytics.access.auth import Role, User
from analytics.generators.citygen import build_city
from analytics.visual.style import UNITS_SHOWN
from tests.app.conftest import open_page

UNITS = UNITS_SHOWN + 6
LEADER = User("lead", "领导", Role.LEADER)


@pytest.fixture(scope="module")
def many_units_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.duckdb"
    build_city(path, cadres=900, units=UNITS, groups=UNITS, years=1)
    return path


@pytest.fixture
def many_units(many_units_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CADRE_DB", str(many_units_db))
    st.cache_data.clear()
    yield many_units_db
    st.cache_data.clear()


def charts(at) -> dict[str, dict]:
    """The page's plotly figures by their title's first line."""
    out = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        title = (spec["layout"].get("title") or {}).get("text") or ""
        out[title.split("<br>")[0]] = spec
    return out


def values(array: list | dict) -> list:
    """A figure's array as sent: a list, or plotly's typed array ({dtype, bdata})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def bar_categories(spec: dict) -> list[str]:
    bars = [trace for trace in spec["data"] if trace["type"] == "bar"]
    return list(dict.fromkeys(v for trace in bars for v in trace["y"]))


def test_per_capita_bars_show_the_fewest_and_the_table_has_every_unit(many_units: Path) -> None:
    at = open_page("pages/reports.py", user=LEADER, year="2025")
    assert not at.exception
    shown = charts(at)
    for title, unit in (("学习小组人均成果", "学习小组"), ("处室人均成果", "处室")):
        spec = shown[title]
        assert f"最低的 {UNITS_SHOWN} 个（共 {UNITS} 个" in spec["layout"]["title"]["text"]
        assert len(bar_categories(spec)) == UNITS_SHOWN
        every = next(df.value for df in at.dataframe if unit in df.value.columns
                     and "人均成果（篇/人）" in df.value.columns)  # fmt: skip
        assert len(every) == UNITS
        drawn = dict(zip(spec["data"][0]["y"], values(spec["data"][0]["x"]), strict=True))
        left_out = every[~every[unit].isin(drawn)]["人均成果（篇/人）"]
        assert len(left_out) == UNITS - UNITS_SHOWN
        assert left_out.min() >= max(drawn.values()) - 1e-9  # the bars are the fewest
    assert any(e.label == f"全部 {UNITS} 个学习小组的人均成果" for e in at.expander)


def test_the_forum_bars_show_the_lowest_rates_and_its_table_every_group(many_units: Path):
    at = open_page("pages/forum.py", user=LEADER, year="2025")
    assert not at.exception
    spec = next(s for title, s in charts(at).items() if title == "各学习小组活动参与率")
    assert f"最低的 {UNITS_SHOWN} 个（共 {UNITS} 个" in spec["layout"]["title"]["text"]
    drawn = bar_categories(spec)
    assert len(drawn) == UNITS_SHOWN
    groups = next(df.value for df in at.dataframe if "学习小组" in df.value.columns
                  and len(df.value) == UNITS)  # fmt: skip
    assert set(drawn) < set(groups["学习小组"])


def test_the_quota_breakdown_shows_the_lowest_divisions(many_units: Path) -> None:
    at = open_page("pages/quotas.py", user=LEADER, year="2025")
    assert not at.exception
    spec = charts(at)["跨处室轮岗、专项工作占比"]
    assert f"最低的 {UNITS_SHOWN} 个（共 {UNITS} 个" in spec["layout"]["title"]["text"]
    bars = next(trace for trace in spec["data"] if trace["type"] == "bar")
    assert len(bars["y"]) == UNITS_SHOWN
    table = next(df.value for df in at.dataframe if len(df.value) == UNITS)
    assert len(table) == UNITS  # the table beside the chart lists every division


def test_a_large_office_draws_the_cadre_grid_when_asked(many_units: Path) -> None:
    at = open_page("pages/participation.py", user=LEADER, year="2025")
    assert not at.exception
    grids = [s for s in charts(at).values() if any(tr["type"] == "heatmap" for tr in s["data"])]
    assert len(grids) == 1  # group × month only: the cadre grid waits to be asked for
    toggle = at.toggle(key="participation_heatmap_show")
    assert toggle.label.startswith("显示 ") and toggle.label.endswith(" 名干部的逐月出勤方格图")
    toggle.set_value(True).run()
    assert not at.exception
    grids = [s for s in charts(at).values() if any(tr["type"] == "heatmap" for tr in s["data"])]
    assert len(grids) == 2
    at.radio(key="participation_heatmap_sort").set_value("rate").run()
    assert not at.exception
