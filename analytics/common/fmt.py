"""Number and date formats as the office writes them (one home, used by pages and exports)."""

from __future__ import annotations

import datetime as dt
import math


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value: float | None) -> str:
    """12 → "12"; missing → "—"."""
    return "—" if _missing(value) else f"{value:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    """0.2381 → "23.8%"."""
    return "—" if _missing(value) else f"{value * 100:.{digits}f}%"


def hours(value: float | None) -> str:
    """51.04 → "51.0 学时"."""
    return "—" if _missing(value) else f"{value:.1f} 学时"


def number(value: float | None, unit: str) -> str:
    """Format by unit: "share", "hours", "points" or "count"."""
    return {"share": pct, "hours": hours, "points": points}.get(unit, count)(value)


def delta(value: float | None, previous: float | None, unit: str) -> str | None:
    """The change from `previous` in the unit's terms: "+3", "+1.2 个百分点", "-0.4 学时"."""
    if _missing(value) or _missing(previous):
        return None
    diff = value - previous  # type: ignore[operator]
    if unit == "share":
        return f"{diff * 100:+.1f} 个百分点"
    if unit == "hours":
        return f"{diff:+.1f} 学时"
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
