"""A chart click's result where the click happened: the chart on the left, its panel (the
narrowed table) beside it on the right.

The panel's column is sticky (widgets.page_style): beside a chart taller than the screen (the
cadre × month grid) it stays in view while the chart scrolls, so whatever row was clicked, the
rows behind it are on the screen, not thousands of pixels further down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from analytics.common.labels import t
from analytics.common.text import Markdown

PANEL_KEY = "drill_panel_"  # widgets.page_style makes the column holding such a container sticky
PANEL_TABLE_HEIGHT = 320  # px: the narrowed table beside a chart, about ten rows
PANEL_ROOM = 600  # px: about a panel's height (header, count, table, downloads)


def beside(name: str, spec: Sequence[float] = (3, 2)) -> tuple[Any, Any]:
    """Two columns: the chart's, and beside it the panel's (a container whose column sticks
    to the top of the screen while the chart scrolls)."""
    chart, panel = st.columns(list(spec), gap="medium")
    return chart, panel.container(key=f"{PANEL_KEY}{name}")


def panel_header(
    what: Markdown,
    on_clear: Callable[[], None] | None,
    key: str,
    clear_label: Markdown | None = None,
) -> bool:
    """The panel's first line: what the click selected (a label, or md() of the data's text)
    and a button that clears it. Returns whether the button was pressed."""
    info, button = st.columns([3, 2], vertical_alignment="center")
    info.info(what, icon=":material/filter_alt:")
    return button.button(
        clear_label or t("common.clear_selection"), key=key, on_click=on_clear,
        icon=":material/close:",
    )  # fmt: skip


def room_for_panel(active: bool) -> None:
    """At the foot of the charts' column, while the panel beside them shows a selection: room
    for the panel to stay on screen beside even the lowest mark a user can click (a sticky
    column cannot leave the row of columns it stands in, so that row must reach below)."""
    if active:
        st.space(PANEL_ROOM)
