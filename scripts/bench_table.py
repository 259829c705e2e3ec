"""The benchmark's table: one Row per line, printed as plain text (CJK counts as two columns).

Shared by scripts/bench.py (server reruns, metrics, memory, pandas) and
scripts/bench_browser.py (Chromium page-ready, bytes, the rush)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table."""

    item: str
    value: str = ""
    warm: str = ""
    pandas: str = ""
    ratio: str = ""
    target: str = ""
    result: str = ""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def format_table(rows: list[Row], heading: str) -> str:
    """The rows as one plain-text table (CJK characters count as two columns)."""
    header = Row("what", "time / value", "warm", "pandas", "ratio", "target", "result")
    fields = ["item", "value", "warm", "pandas", "ratio", "target", "result"]

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    def pad(text: str, n: int, right: bool) -> str:
        gap = " " * max(0, n - width(text))
        return gap + text if right else text + gap

    table = [header, *rows]
    widths = {k: max(width(getattr(r, k)) for r in table) for k in fields}
    right = {"value", "warm", "pandas", "ratio"}
    lines = [heading, ""]
    for i, r in enumerate(table):
        cells = [pad(getattr(r, k), widths[k], k in right) for k in fields]
        lines.append(" | ".join(cells).rstrip())
        if i == 0:
            lines.append("-+-".join("-" * widths[k] for k in fields))
    return "\n".join(lines)
