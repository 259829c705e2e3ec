"""The one error boundary: every run of app.py (and so of every page) goes through `guarded`.

An unexpected exception never reaches the user as a traceback. The user reads a Chinese message
with a short reference number; the traceback, the page, the filters and the user go to the
server log (logger ERROR_LOGGER, on stderr) under the same number, so an administrator can find
it. A database held by another process (DuckDB lets one process write a file at a time) has its
own message saying what to do, without the file's path or the other process's id.

st.stop, st.rerun and st.switch_page raise BaseException subclasses, which pass through.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sys
import threading
from collections.abc import Callable

import streamlit as st

from analytics.common.labels import t
from analytics.common.text import md
from analytics.store.db import is_lock_conflict

ERROR_LOGGER = "cadre.errors"
_log = logging.getLogger(ERROR_LOGGER)
if not _log.handlers:  # the server log is stderr; Streamlit configures only its own loggers
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(_handler)
    _log.setLevel(logging.INFO)


def reference_number() -> str:
    """A short number the user can quote and the log can be searched for (8 hex digits)."""
    return secrets.token_hex(4).upper()


_run = threading.local()  # Streamlit runs each script run of a session in one thread


def navigation_built() -> None:
    """app.py calls this once st.navigation has been given this run's pages."""
    _run.navigated = True


def guarded(run: Callable[[], None]) -> None:
    """Run `run` (app.py's body); show any exception as a Chinese message and log it."""
    _run.navigated = False
    try:
        run()
    except Exception as exc:  # the boundary: nothing unexpected goes past this line
        ref = reference_number()
        context = _context()
        if is_lock_conflict(exc):
            _log.warning("ref=%s database held by another process; %s: %s", ref, context, exc)
            st.error(md(t("app.error.locked", ref=ref)), icon=":material/lock_clock:")
        else:
            _log.error("ref=%s unexpected error; %s", ref, context, exc_info=exc)
            st.error(md(t("app.error.unexpected", ref=ref)), icon=":material/error:")
        if not getattr(_run, "navigated", True):
            with contextlib.suppress(Exception):  # the message is out; nothing more may fail
                _no_pages()


def _no_pages() -> None:
    """A run that failed before app.py built its navigation (the database could not be read):
    give Streamlit an empty, hidden one, or a fresh server lists every file in pages/."""
    st.navigation(
        [st.Page(_nothing, title=t("app.title"), url_path="error", default=True)],
        position="hidden",
    )


def _nothing() -> None:
    """The page of a run that has only the error message to show."""


def _context() -> str:
    """Who, where and with which filters, for the log line (never shown to the user). Reading
    them must not fail the boundary itself, so each part falls back to "-"."""
    parts = []
    for name, read in (
        ("user", lambda: f"{st.session_state['user'].name} ({st.session_state['user'].role_name})"),
        ("url", lambda: st.context.url),
        ("filters", lambda: st.session_state["filters"].model_dump_json()),
    ):
        try:
            value = read() or "-"
        except Exception:  # not signed in, no filters yet, no request (tests)
            value = "-"
        parts.append(f"{name}={value}")
    return " ".join(parts)
