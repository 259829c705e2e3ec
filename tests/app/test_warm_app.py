"""After a write, the warmer computes the pages' default figures again, so a user's first run
of a page after it finds every figure in the cache (ui/warm.py)."""

from __future__ import annotations

import contextlib

import pytest
import streamlit as st

import ui.state
from tests.app.conftest import open_page, query
from ui import warm


def count_misses(monkeypatch) -> list[int]:
    """A counter of metric calls that missed the cache (ui.state._cached_call's body)."""
    misses: list[int] = []
    real = ui.state.memo

    @contextlib.contextmanager
    def counting():
        misses.append(1)
        with real():
            yield

    monkeypatch.setattr(ui.state, "memo", counting)
    return misses


def bump(path) -> None:
    query(path, "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                "WHERE key = 'data_version'")  # fmt: skip


# 季度座谈会 opens on a quarter of its own (the last complete one), not the sidebar's period.
@pytest.mark.parametrize("page", ["pages/awards.py", "pages/forum.py"])
def test_after_a_write_a_warmed_page_computes_nothing_on_its_next_visit(own_db, monkeypatch, page):
    warm.forget()
    misses = count_misses(monkeypatch)
    open_page(page)  # a visit teaches the warmer the page's default figures
    assert misses and warm.remembered()

    bump(own_db)  # without warming, the next visit computes its figures again
    misses.clear()
    open_page(page)
    assert misses

    bump(own_db)
    assert warm.warm(warm.remembered(), ui.state.compute_call, pause=0) == len(warm.remembered())
    misses.clear()
    at = open_page(page)
    assert not at.exception and at.title
    assert misses == []
    warm.forget()


def test_a_restarted_server_warms_what_its_predecessor_learnt(own_db, monkeypatch):
    # The first server: a visit teaches the warmer the page's figures, kept beside the database.
    warm.forget()
    misses = count_misses(monkeypatch)
    open_page("pages/overview.py")
    assert misses
    path = warm.calls_file(str(own_db))
    assert warm.save(path) == len(warm.remembered()) > 0  # every call it makes can be kept

    # A restart: nothing remembered, nothing cached. At start the warmer computes the kept calls,
    # so the first visit finds every figure ready.
    warm.forget()
    st.cache_data.clear()
    con = ui.state.connection()
    assert warm.warm_at_start(con, ui.state.compute_call, path) == len(warm.load(path))
    misses.clear()
    at = open_page("pages/overview.py")
    assert not at.exception and at.title
    assert misses == []
    warm.forget()
