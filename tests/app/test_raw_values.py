"""No page shows a raw value: every table has the one placeholder for a missing value, Chinese
headers, no "None"/"nan"/"NaT", no JSON and no internal codes; no text element shows them
either. (Table cells are drawn on a canvas, so this is checked here, on what each table is
given; the browser test checks the visible texts.)"""

import json
import re

import pytest

from tests.app.conftest import open_page
from ui.navigation import PAGE_SPECS

RAW = re.compile(r"\b(None|nan|NaN|NaT)\b|^\s*[\[{]\"|00:00:00")
CODES = {"green", "amber", "red", "none", "count", "share", "hours", "cadres"}
CJK = re.compile(r"[\u4e00-\u9fff]")
QUERIES = {"profile": {"cadre": "Q1023"}}


def _texts(at) -> list[str]:
    texts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                 "error", "success"):  # fmt: skip
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return texts


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path for s in PAGE_SPECS])
def test_no_page_shows_a_raw_value(spec):
    at = open_page(None if spec.default else spec.path, **QUERIES.get(spec.url_path, {}))
    assert not at.exception
    problems: list[str] = []
    for text in _texts(at):
        if RAW.search(text):
            problems.append(f"text: {text[:80]!r}")
    for i, frame in enumerate(at.dataframe):
        if frame.proto.placeholder != "—":
            problems.append(f"table {i}: no placeholder for missing values")
        df = frame.value
        config = json.loads(frame.proto.columns or "{}")  # column_config: labels, hidden
        order = list(frame.proto.column_order)
        for column in df.columns:
            shown = config.get(str(column), {})
            if (order and str(column) not in order) or shown.get("hidden"):
                continue
            if not CJK.search(str(shown.get("label") or column)):
                problems.append(f"table {i}: header {column!r} is not Chinese")
            if df[column].dtype == object or str(df[column].dtype).startswith("str"):
                for value in df[column].dropna().astype(str).unique()[:500]:
                    if RAW.search(value) or value in CODES:
                        problems.append(f"table {i} [{column}]: {value[:60]!r}")
    assert not problems, f"{spec.url_path}:\n" + "\n".join(problems[:30])


def test_the_audit_log_says_filters_in_words_not_json():
    import datetime as dt

    from analytics.access.audit import filters_text
    from analytics.common.filters import Filters

    f = Filters(year=2025, quarter=3, group="第一学习小组", as_of=dt.date(2025, 11, 30))
    assert filters_text(f.model_dump_json()) == "2025年第3季度 · 第一学习小组"
    assert filters_text('{"year": 2025, "division": "督查处"}') == "2025 · 督查处"
    assert filters_text(None) == ""
