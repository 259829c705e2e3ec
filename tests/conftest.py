"""Shared pytest setup.

The repository root is put on sys.path by `pythonpath = ["."]` in pyproject.toml, so tests
import `analytics` and `ui` directly. Browser fixtures live in tests/browser/conftest.py.
"""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where app.py lives)."""
    return Path(__file__).resolve().parent.parent
