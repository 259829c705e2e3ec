"""Streamlit 1.67's AppTest in st.navigation mode: shared by tests/app and scripts/bench.py."""

from __future__ import annotations

import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager


class _NavigationPagesManager(PagesManager):
    """AppTest (Streamlit 1.67) resets PagesManager.uses_pages_directory before every run and
    re-detects our pages/ folder, so every run after the first executes the page file alone in
    the old pages-directory mode, skipping app.py (no sidebar, stale filters). A running server
    switches to st.navigation mode for good once app.py calls it. AppTest writes the reset to
    this subclass; the base class, which the script runner reads, stays in navigation mode."""


def use_navigation_mode() -> None:
    """Make AppTest run app.py (the router) on every run, as a real server does."""
    PagesManager.uses_pages_directory = False
    app_test_module.PagesManager = _NavigationPagesManager
