"""The tree is the architecture: imports point one way, and no file outgrows its place.

Each package of analytics/ states in its docstring which packages it may import ("May import:
…"); this test reads those lines and fails on any import against them, so the rule has one home.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANALYTICS = ROOT / "analytics"
PACKAGES = sorted(p.name for p in ANALYTICS.iterdir() if (p / "__init__.py").exists())


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports (top level and inside functions), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def allowed_imports(package: str) -> set[str]:
    """The packages named on the "May import:" line of `package`'s docstring."""
    doc = ast.get_docstring(ast.parse((ANALYTICS / package / "__init__.py").read_text())) or ""
    match = re.search(r"^May import: (.+?)\.$", doc, re.MULTILINE)
    assert match, f"analytics/{package}/__init__.py does not say what it may import"
    named = match.group(1).strip()
    return set() if named == "nothing of analytics" else {n.strip() for n in named.split(",")}


def test_every_package_says_what_it_may_import_and_names_only_packages():
    for package in PACKAGES:
        assert allowed_imports(package) <= set(PACKAGES), package
    assert len(PACKAGES) >= 6


def test_the_stated_arrows_point_one_way():
    """No cycle among the packages: a lower one never reaches back to a higher one."""
    graph = {p: allowed_imports(p) for p in PACKAGES}

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph[start])  # fmt: skip

    assert [p for p in PACKAGES if reaches(p, p)] == []
    assert "dataio" not in graph["metrics"]  # metrics never import the importer


def violations() -> list[str]:
    found = []
    for path in sorted(ANALYTICS.rglob("*.py")):
        rel = path.relative_to(ANALYTICS)
        package = rel.parts[0] if len(rel.parts) > 1 else None
        for line, module in _imports(path):
            top, _, rest = module.partition(".")
            where = f"analytics/{rel}:{line} imports {module}"
            if top in ("streamlit", "ui", "pages"):
                found.append(where)
            elif top == "analytics" and rest and package is not None:
                target = rest.split(".")[0]
                if (
                    target in PACKAGES
                    and target != package
                    and target not in allowed_imports(package)
                ):
                    found.append(where)
    for path in sorted((ROOT / "ui").rglob("*.py")):
        found += [f"ui/{path.name}:{line} imports {m}" for line, m in _imports(path)
                  if m.split(".")[0] == "pages"]  # fmt: skip
    return found


def test_no_package_imports_against_the_stated_direction():
    assert violations() == []


def test_the_direction_check_catches_a_metric_importing_the_importer(tmp_path, monkeypatch):
    """The check itself can fail: a metric that imports the importer, or any module of
    analytics that imports streamlit, is reported with its file and line."""
    metrics = tmp_path / "analytics" / "metrics"
    metrics.mkdir(parents=True)
    for package in PACKAGES:
        (tmp_path / "analytics" / package).mkdir(exist_ok=True)
        init = (ANALYTICS / package / "__init__.py").read_text(encoding="utf-8")
        (tmp_path / "analytics" / package / "__init__.py").write_text(init, encoding="utf-8")
    (metrics / "bad.py").write_text(
        "import streamlit as st\nfrom analytics.dataio.importer import prepare_import\n"
    )
    (tmp_path / "ui").mkdir()
    this = sys.modules[__name__]
    monkeypatch.setattr(this, "ANALYTICS", tmp_path / "analytics")
    monkeypatch.setattr(this, "ROOT", tmp_path)
    assert violations() == [
        "analytics/metrics/bad.py:1 imports streamlit",
        "analytics/metrics/bad.py:2 imports analytics.dataio.importer",
        "analytics/metrics/bad.py:2 imports analytics.dataio.importer.prepare_import",
    ]


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("folder", [ANALYTICS, *(ANALYTICS / p for p in PACKAGES)],
                         ids=lambda p: str(p.relative_to(ROOT)))  # fmt: skip
def test_no_folder_holds_more_than_twelve_modules(folder):
    modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 12


def test_no_module_runs_past_600_lines_but_the_label_table():
    long = {
        str(p.relative_to(ROOT)): _lines(p)
        for base in ("analytics", "ui", "scripts", "tests")
        for p in (ROOT / base).rglob("*.py")
        if _lines(p) > 600 and p.name != "labels.py"
    }
    assert long == {}


def test_no_page_runs_past_300_lines():
    pages = {p.name: _lines(p) for p in (ROOT / "pages").glob("*.py")}
    assert len(pages) >= 8
    assert {name: n for name, n in pages.items() if n > 300} == {}
