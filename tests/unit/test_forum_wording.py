"""The 季度座谈会 narrative's wording is data (analytics/briefing/narrative.toml), not code."""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest

from analytics.briefing import narrative
from analytics.common.filters import Filters
from analytics.generators.demo import AS_OF
from analytics.store import models

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "forum_narrative_2025_ytd.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_demo_year_to_date_narrative_is_byte_identical_to_the_one_before_the_templates(demo_con):
    """The text the office signed off (regenerated when issue 18 changed the wording on
    purpose): a move of the templates must not change it unnoticed."""
    text = narrative.briefing_narrative(demo_con, Filters(year=2025, as_of=AS_OF)).text
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_a_phrase_edited_in_the_wording_file_changes_the_briefing(demo_con, tmp_path, monkeypatch):
    edited = narrative.WORDING_FILE.read_text(encoding="utf-8").replace(
        "助力青年干部在“三服务”实践中淬火成钢。", "推动青年干部在服务大局中成长成才。"
    )
    path = tmp_path / "narrative.toml"
    path.write_text(edited, encoding="utf-8")
    monkeypatch.setattr(narrative, "WORDING_FILE", path)
    narrative.wording.cache_clear()
    try:
        text = narrative.briefing_narrative(demo_con, Filters(year=2025, as_of=AS_OF)).text
    finally:
        monkeypatch.undo()
        narrative.wording.cache_clear()
    assert "推动青年干部在服务大局中成长成才。" in text
    assert "淬火成钢" not in text


def _enumeration_values() -> set[str]:
    values: set[str] = set()
    for name in dir(models):
        obj = getattr(models, name)
        if typing.get_origin(obj) is typing.Literal:
            values |= {v for v in typing.get_args(obj) if isinstance(v, str)}
    return values


def test_no_sentence_is_left_in_the_narrative_code():
    """Chinese in narrative.py may only name data (an enumeration value of the data model, a
    report theme it orders by); every sentence, phrase and separator is in narrative.toml."""
    allowed = _enumeration_values() | {"发展", "民生", "“"}
    tree = ast.parse(Path(narrative.__file__).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and (CJK.search(node.value) or node.value == "“")
    }
    assert literals - allowed == set()
    assert len(literals) > 5  # the allowed names really are read from the code


def test_a_missing_placeholder_value_is_reported_by_name():
    with pytest.raises(KeyError, match="cadres"):
        narrative.w("theory.mentor_office", groups=4, extra="")
