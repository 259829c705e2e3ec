"""Number and date formats as the office writes them (one home, used by pages and exports)."""

from __future__ import annotations

import datetime as dt
import math

PLACEHOLDER = "—"  # every missing value, in cards, tables, documents and exports alike
# Table column formats (st.column_config, the Excel number formats in analytics.dataio.export):
# rates keep one decimal as on the cards, hours one decimal with thousands separators.
TABLE_RATE_STEP = 0.001  # Streamlit's "percent" format shows (digits of step − 2) decimals
TABLE_HOURS = "%,.1f"
TABLE_COUNT = "%,d"
TABLE_DATE = "YYYY-MM-DD"
XLSX_RATE = "0.0%"
XLSX_HOURS = "#,##0.0"
XLSX_COUNT = "#,##0"
XLSX_DATE = "yyyy-mm-dd"
XLSX_DATETIME = "yyyy-mm-dd hh:mm"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value: float | None, noun: str = "") -> str:
    """12 → "12"; with a measure word 12 → "12 人"; missing → "—"."""
    if _missing(value):
        return PLACEHOLDER
    return f"{value:,.0f} {noun}" if noun else f"{value:,.0f}"


def file_size(size: float) -> str:
    """Bytes as a file's size: 10,000 → "9.8 KB", 20 × 1024² → "20 MB", 3.26 × 1024² → "3.3 MB"."""
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def pct(value: float | None, digits: int = 1) -> str:
    """0.2381 → "23.8%"."""
    return "—" if _missing(value) else f"{value * 100:.{digits}f}%"


def hours(value: float | None) -> str:
    """51.04 → "51.0 学时"; 6781 → "6,781.0 学时"."""
    return "—" if _missing(value) else f"{value:,.1f} 学时"


def number(value: float | None, unit: str, noun: str = "") -> str:
    """Format by unit: "share", "hours", "points" or "count" (with its measure word `noun`)."""
    if unit == "count":
        return count(value, noun)
    return {"share": pct, "hours": hours, "points": points}.get(unit, count)(value)


def change(
    value: float | None, previous: float | None, unit: str, noun: str = ""
) -> tuple[str | None, int]:
    """The 同比 change as shown and its direction after rounding: ("+3 人", 1), ("持平" is the
    caller's word for direction 0), (None, 0) when either figure is missing."""
    text = delta(value, previous, unit)
    if text is None:
        return None, 0
    digits = text.lstrip("+-").split(" ")[0].replace(",", "").rstrip("分")
    if float(digits or 0) == 0:
        return text, 0
    text = f"{text} {noun}" if noun and unit == "count" else text
    return text, (1 if text.startswith("+") else -1)


def change_text(
    value: float | None, previous: float | None, unit: str, noun: str = ""
) -> str | None:
    """The 同比 change as shown (the text of `change`)."""
    return change(value, previous, unit, noun)[0]


def change_direction(value: float | None, previous: float | None, unit: str) -> int:
    """The 同比 change's direction after rounding: 1 up, -1 down, 0 none (see `change`)."""
    return change(value, previous, unit)[1]


def delta(value: float | None, previous: float | None, unit: str) -> str | None:
    """The change from `previous` in the unit's terms: "+3", "+1.2 个百分点", "-0.4 学时"."""
    if _missing(value) or _missing(previous):
        return None
    diff = value - previous  # type: ignore[operator]
    if unit == "share":
        return f"{diff * 100:+.1f} 个百分点"
    if unit == "hours":
        return f"{diff:+,.1f} 学时"
    if unit == "points":
        return f"{'+' if diff >= 0 else '-'}{points(abs(diff))}"
    return f"{diff:+,.0f}"


def points(value: float | None) -> str:
    """Award points, fractional when a team shares them: 17.5 → "17.5 分", 4.0 → "4 分"."""
    if _missing(value):
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".") + " 分"


def gap(value: float | None, unit: str) -> str:
    """A shortfall in the unit's terms: shares in 个百分点, hours in 学时, counts plain."""
    if _missing(value):
        return "—"
    if unit == "share":
        return f"{value * 100:.1f} 个百分点"
    return number(value, unit)


def date(value: dt.date) -> str:
    """2025-11-30 → "2025年11月30日"."""
    return f"{value.year}年{value.month}月{value.day}日"


def month(value: dt.date) -> str:
    """2025-03-01 → "2025年3月"."""
    return f"{value.year}年{value.month}月"


def month_short(value: dt.date) -> str:
    """2025-03-01 → "3月" (on a chart whose title already names the year)."""
    return f"{value.month}月"
