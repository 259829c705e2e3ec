"""Text from the data or from a link, made safe for where it is shown or written.

- `md`: for anything Streamlit renders as Markdown (titles, headers, captions, alerts, widget
  labels, help). Names and titles are typed by people and URL parameters by anyone, so they
  are shown literally: no link, image, emphasis, heading or colour ever comes from them.
- `chart_text`: for plotly, which reads a subset of HTML in every label (an `<a href>` in a
  cadre's name would become a link on the axis).
- `control_characters` / `printable`: XML (Word, Excel) cannot hold most control characters;
  the importer refuses them and the document builders drop them from older data.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeAlias

import pandas as pd

# A parameter annotated Markdown takes text that is already safe to render: labels, md(...)
# of anything else. tests/unit/test_markdown_sinks.py checks every caller passes such text.
Markdown: TypeAlias = str

WORD_JOINER = "\u2060"  # invisible, no line break: splits what GFM would turn into a link
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)


def md(value: Any, *, lines: bool = False) -> str:
    """`value` as Markdown that Streamlit shows literally, on one line (with `lines`, each of
    its lines escaped and kept on a line of its own).

    Every ASCII punctuation mark is backslash-escaped (CommonMark lets any be, and shows it
    as itself), which stops link, image, emphasis, code, heading, list, table, entity, math and
    Streamlit's `:colour[…]` / `:material/…:` syntax. GFM still turns bare `https://…`,
    `www.…` and `name@host` into links after escapes are resolved, so a word joiner is put
    after `:`, before `.` and after `@` there: the text reads the same and links nowhere.
    """
    raw = "" if value is None else str(value)
    if lines:
        return "  \n".join(md(line) for line in raw.splitlines())
    text = _LINE_BREAKS.sub(" ", raw)
    text = text.replace("://", ":" + WORD_JOINER + "//").replace("@", "@" + WORD_JOINER)
    text = _WWW.sub(lambda m: m.group(1) + WORD_JOINER + ".", text)
    return _ASCII_PUNCTUATION.sub(r"\\\1", text)


# The tags plotly understands that chart builders themselves write (line breaks, bold, the
# hover box's <extra>); any other "<" in a chart's text is shown as a character.
_CHART_TAG = re.compile(r"<(?!/?(?:br|b|i|em|sup|sub|extra)\s*/?>)", re.IGNORECASE)


def chart_text(value: str) -> str:
    """A string plotly shows literally: a "<" that does not open one of the few tags chart
    builders use becomes "&lt;", so `<a href=…>` from data is text, not a link."""
    return _CHART_TAG.sub("&lt;", value)


# C0 and C1 control characters other than tab, line feed and carriage return, which cells
# legitimately hold; plus the two non-characters XML 1.0 also forbids. Surrogates cannot
# reach here from DuckDB (it stores valid UTF-8) but are refused too.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def control_characters(text: str) -> list[str]:
    """The forbidden control characters in `text`, each as U+XXXX (empty when clean)."""
    if _XML_FORBIDDEN.search(text) is None:  # the usual case, checked once per cell of an upload
        return []
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(_XML_FORBIDDEN.findall(text))]


def shown_controls(text: str) -> str:
    """`text` with each C0 control character as its visible symbol (U+2401 ␁ for U+0001 …),
    for quoting a refused value where a terminal or table would otherwise act on it."""
    return _C0.sub(lambda m: chr(0x2400 + ord(m.group())), text)


_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable(value: Any) -> Any:
    """`value` without the control characters XML cannot hold (other values pass through)."""
    return _XML_FORBIDDEN.sub("", value) if isinstance(value, str) else value


def printable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names are `printable`."""
    out = frame.rename(columns=lambda c: printable(c) if isinstance(c, str) else c)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(printable)
    return out


def printable_all(value: Any) -> Any:
    """`value` with every string in it `printable`: strings, DataFrames (cells and column
    names), lists, tuples, dicts and dataclass instances, recursively; others unchanged."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, pd.DataFrame):
        return printable_frame(value)
    if isinstance(value, list | tuple):
        return type(value)(printable_all(v) for v in value)
    if isinstance(value, dict):
        return {printable_all(k): printable_all(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return dataclasses.replace(
            value, **{k: printable_all(v) for k, v in fields.items() if isinstance(v, str)}
        )
    return value
