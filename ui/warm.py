"""Caches warmed again after every write, for the default filters.

An import or a target edit bumps the data version, which is part of every cache key
(ui.state.current_version), so after a write every page's first run computes every figure
cold: on the city database that is seconds per page, for whoever looks first. ui.state.metric
remembers each call made with the default period (the as-of year, every quarter, no group or
division beyond a 小组导师's own: what a page shows before anyone touches the sidebar), at most
WARM_MAX_CALLS of them, newest kept. One background thread per server process polls the data
version (one read of `meta`) every WARM_POLL_SECONDS; when it has changed, it computes each
remembered call again for the new version and the new default period, through the same cache
function the pages use, so the next visitor finds the figures ready.

It never touches a user's run: each call takes its own cursor and returns it (page runs are
never queued behind it, they only share the CPU), there is a short pause between calls, and a
failure is logged on WARM_LOGGER and the next call goes on; nothing is raised. CADRE_WARM=0
turns it off.

At server start it warms too (serve.py's st.App lifespan starts this thread before any browser
connects). The calls are learnt from the pages' own runs (no second list of
figures to keep in step), so they are kept beside the database (calls_file: <database>.warm.json,
rewritten by the thread when a new call was noted): a restarted server computes the calls its
predecessor had learnt for the data as it is now, before anyone asks. Only calls that survive
JSON unchanged are kept (a function of analytics, default filters, plain arguments); a file that
cannot be read or written is logged and skipped. A server that never served a page (a fresh
install) has nothing to replay until someone has opened the pages once. (Streamlit's AppTest
cannot run the pages headless inside a live server: it swaps the process-wide Runtime for a
mock while it runs.)
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from analytics.common.filters import Filters
from analytics.store.db import as_of_date, data_start, data_version

WARM_LOGGER = "cadre.warm"
WARM_POLL_SECONDS = 5.0
WARM_PAUSE_SECONDS = 0.01  # between two calls: a user's run gets the CPU in between
WARM_MAX_CALLS = 512
_log = logging.getLogger(WARM_LOGGER)
if not _log.handlers:  # the server log is stderr; Streamlit configures only its own loggers
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(_handler)
    _log.setLevel(logging.INFO)


@dataclass(frozen=True)
class Call:
    """One metric call a page made with the default filters: what to compute again."""

    fn: Callable[..., Any]
    f: Filters
    scope: str
    kwargs: tuple[tuple[str, Any], ...]


_calls: OrderedDict[tuple[str, str, str, str], Call] = OrderedDict()
_lock = threading.Lock()
_unsaved = threading.Event()  # a call was noted since the calls file was last written


def is_default(f: Filters | None) -> bool:
    """Filters as the sidebar sets them before anyone touches it: the as-of year, no quarter,
    no division, no group beyond the user's own restriction."""
    return (
        f is not None and f.quarter is None and f.division is None
        and f.group == f.visible_group and f.year == f.as_of.year
    )  # fmt: skip


def remember(fn: Callable[..., Any], f: Filters | None, scope: str, kwargs: dict[str, Any]) -> None:
    """Note a metric call for the next warming (only default filters; never raises)."""
    if not is_default(f):
        return
    try:
        key = (f"{fn.__module__}.{fn.__qualname__}", f.model_dump_json(), scope, repr(kwargs))
        with _lock:
            if key not in _calls:
                _unsaved.set()
            _calls[key] = Call(fn, f, scope, tuple(kwargs.items()))
            _calls.move_to_end(key)
            while len(_calls) > WARM_MAX_CALLS:
                _calls.popitem(last=False)
    except Exception:
        _log.exception("a call could not be noted for warming")


def remembered() -> list[Call]:
    with _lock:
        return list(_calls.values())


def forget() -> None:
    with _lock:
        _calls.clear()


def calls_file(db: str) -> Path:
    """Where the calls learnt for the database at `db` are kept between server runs."""
    return Path(f"{db}.warm.json")


def _entry(call: Call) -> dict[str, Any] | None:
    """A call as JSON, or None when it would not come back the same (and so miss the cache)."""
    module, name = call.fn.__module__, call.fn.__qualname__
    if not module.startswith("analytics.") or "<" in name:
        return None
    entry = {"fn": f"{module}:{name}", "f": call.f.model_dump(mode="json"), "scope": call.scope,
             "kwargs": dict(call.kwargs)}  # fmt: skip
    try:
        back = json.loads(json.dumps(entry, ensure_ascii=False))
    except (TypeError, ValueError):
        return None
    if back["kwargs"] != entry["kwargs"] or Filters.model_validate(back["f"]) != call.f:
        return None  # a tuple or a date among the arguments: JSON would change it
    return back


def save(path: Path) -> int:
    """Write the remembered calls to `path` (atomically); how many were written."""
    entries = [e for e in map(_entry, remembered()) if e is not None]
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # several processes may save
    partial.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)
    return len(entries)


def _resolve(name: str) -> Callable[..., Any]:
    module, _, qualname = name.partition(":")
    if not module.startswith("analytics."):
        raise ValueError(f"not a function of analytics: {name}")
    fn: Any = importlib.import_module(module)
    for part in qualname.split("."):
        fn = getattr(fn, part)
    if not callable(fn):
        raise ValueError(f"not a function: {name}")
    return fn


def load(path: Path) -> list[Call]:
    """The calls kept in `path` (none if it does not exist); an entry that no longer resolves
    (a function renamed since) is logged and left out."""
    if not path.exists():
        return []
    calls = []
    for entry in json.loads(path.read_text(encoding="utf-8")):
        try:
            calls.append(Call(_resolve(entry["fn"]), Filters.model_validate(entry["f"]),
                              entry["scope"], tuple(entry["kwargs"].items())))  # fmt: skip
        except Exception:
            _log.warning("a kept call was left out of warming: %r", entry.get("fn"), exc_info=True)
    return calls


def for_new_data(f: Filters, as_of: Any, start: Any) -> Filters:
    """The same default filters on the data after a write (its as-of date may have moved)."""
    return f.model_copy(update={"year": as_of.year, "as_of": as_of, "data_start": start})


def _on_data(calls: list[Call], as_of: Any, start: Any) -> list[Call]:
    """The same calls with their filters moved to the data as it is now (for_new_data)."""
    return [Call(c.fn, for_new_data(c.f, as_of, start), c.scope, c.kwargs) for c in calls]


def warm(
    calls: list[Call], compute: Callable[[Call], Any], pause: float = WARM_PAUSE_SECONDS
) -> int:
    """compute(call) for each call; a failure is logged and the next goes on. How many ran."""
    done = 0
    for call in calls:
        try:
            compute(call)
        except Exception:  # never raised: warming is a favour, not a duty
            _log.exception("warming %s failed", getattr(call.fn, "__qualname__", call.fn))
            continue
        done += 1
        time.sleep(pause)
    return done


def _read(con: duckdb.DuckDBPyConnection) -> tuple[int, Any, Any]:
    cur = con.cursor()
    try:
        return data_version(cur), as_of_date(cur), data_start(cur)
    finally:
        cur.close()


def warm_at_start(
    con: duckdb.DuckDBPyConnection, compute: Callable[[Call], Any], path: Path
) -> int:
    """The calls kept in `path`, remembered again and computed for the data as it is now (a
    server's first figures, before anyone asks); how many ran."""
    _, as_of, start = _read(con)
    if as_of is None:
        return 0
    calls = _on_data(load(path), as_of, start)
    for c in calls:
        remember(c.fn, c.f, c.scope, dict(c.kwargs))
    _unsaved.clear()  # the file holds these already
    return warm(calls, compute)


def _loop(
    connection: Callable[[], duckdb.DuckDBPyConnection], compute: Callable[[Call], Any],
    poll: float, path: Path,
) -> None:  # fmt: skip
    # Cached calls on this thread have no browser session: Streamlit's "missing
    # ScriptRunContext" warning (meant for bare `python app.py`) would flood the server log.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    try:
        started = time.perf_counter()
        done = warm_at_start(connection(), compute, path)
        _log.info("cache warming at start: %d calls in %.1f s", done, time.perf_counter() - started)
    except Exception:
        _log.exception("cache warming at start failed")
    seen: int | None = None
    while True:
        try:
            if _unsaved.is_set():
                _unsaved.clear()
                try:
                    save(path)
                except OSError:  # a read-only folder: warming still works, not at the next start
                    _log.warning("the calls to warm could not be kept in %s", path, exc_info=True)
            version, as_of, start = _read(connection())  # the newest snapshot's, if shared
            if seen is not None and version != seen and as_of is not None:
                started = time.perf_counter()
                calls = _on_data(remembered(), as_of, start)
                done = warm(calls, compute)
                _log.info("cache warming done for data version %s: %d of %d calls in %.1f s",
                          version, done, len(calls), time.perf_counter() - started)  # fmt: skip
            seen = version  # a write during warming is seen on the next poll
        except Exception:
            _log.exception("cache warming stopped for this round")
        time.sleep(poll)


@st.cache_resource(show_spinner=False)
def _started(path: str) -> threading.Thread | None:
    """The process's one warming thread for the database at `path` (started on first call)."""
    from ui.state import compute_call, connection  # ui.state imports this module

    if os.environ.get("CADRE_WARM", "1") == "0":
        return None
    thread = threading.Thread(
        target=_loop, args=(connection, compute_call, WARM_POLL_SECONDS, calls_file(path)),
        name="cadre-warm", daemon=True,
    )  # fmt: skip
    thread.start()
    return thread


def start_warming(path: str) -> None:
    """Start warming for the database at `path`, once per process (app.py, every run)."""
    try:
        _started(path)
    except Exception:
        _log.exception("cache warming could not start")
