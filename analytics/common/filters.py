"""The one value that carries the sidebar's choices to every metric."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from analytics.common import fmt
from analytics.common.labels import t


class Filters(BaseModel):
    """Year, optional quarter, optional study group and division, and the data's as-of date.

    The period never runs past the as-of date, so "2025" on data taken on 2025-11-30 means
    2025-01-01 to 2025-11-30, and its 同比 is 2024-01-01 to 2024-11-30.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=2000, le=2100, description="年度")
    quarter: int | None = Field(None, ge=1, le=4, description="季度 1–4; None = whole year")
    group: str | None = Field(None, min_length=1, description="学习小组; None = all")
    division: str | None = Field(None, min_length=1, description="处室; None = all")
    as_of: dt.date = Field(description="数据截至: the latest date in the data")
    data_start: dt.date | None = Field(
        None,
        description="数据起始: the earliest date in the data. A period that ends before it has "
        "no figures (nothing was recorded then), so its 同比 shows none rather than zeros.",
    )
    visible_group: str | None = Field(
        None,
        min_length=1,
        description="Row-level restriction of the signed-in role (a 小组导师's own group); "
        "None = unrestricted. Every cadre read through scoped_cadres honours it, whatever "
        "`group` says, and it is part of every cache key (model_dump_json).",
    )

    @property
    def period_start(self) -> dt.date:
        """First day of the year or quarter."""
        month = 1 if self.quarter is None else 3 * self.quarter - 2
        return dt.date(self.year, month, 1)

    @property
    def period_end_full(self) -> dt.date:
        """Last day of the year or quarter, ignoring the as-of date."""
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def period_end(self) -> dt.date:
        """Last day counted: the period's end, or the as-of date if that comes first."""
        return min(self.period_end_full, self.as_of)

    @property
    def is_empty(self) -> bool:
        """True when the period starts after the data end (nothing can have happened yet)."""
        return self.period_start > self.as_of

    @property
    def before_data(self) -> bool:
        """True when the period ends before the data begin: it has no figures, not zeros."""
        return self.data_start is not None and self.period_end < self.data_start

    @property
    def elapsed_share(self) -> float:
        """How much of the period has passed at the as-of date (0–1), for pro-rata targets."""
        total = (self.period_end_full - self.period_start).days + 1
        done = (self.period_end - self.period_start).days + 1
        return max(0.0, min(1.0, done / total))

    def label(self) -> str:
        """The period as a Chinese reader says it: 2025年 / 2025年第3季度."""
        return f"{self.year}年" if self.quarter is None else f"{self.year}年第{self.quarter}季度"

    def describe(self) -> str:
        """The filters as a reader says them: 2025年第3季度 · 第一学习小组 · 秘书一处 (and a
        role's restriction, 仅限第一学习小组, when it is not already the group shown)."""
        parts = [self.label(), *(p for p in (self.group, self.division) if p)]
        if self.visible_group and self.visible_group != self.group:
            parts.append(t("scope.only", group=self.visible_group))
        return " · ".join(parts)

    def scope(self, role: str) -> str:
        """What a page's figures cover, said in full: period, group, 处室 and the role's own
        restriction (a 小组导师 sees only their group), so a filtered view never reads as the
        whole office's."""
        access = (
            t("scope.access_all", role=role)
            if self.visible_group is None
            else t("scope.access_group", role=role, group=self.visible_group)
        )
        period = t("scope.period", start=fmt.date(self.period_start), end=fmt.date(self.period_end))
        return t(
            "scope.line",
            period=period,
            group=self.group or t("scope.all"),
            division=self.division or t("scope.all"),
            access=access,
        )

    def year_earlier(self) -> Filters:
        """The same period one year earlier (同比), cut at the as-of date shifted by a year."""
        return self.model_copy(update={"year": self.year - 1, "as_of": _shift_year(self.as_of)})

    def quarter_earlier(self) -> Filters:
        """The previous quarter (环比); for a whole year, the previous year."""
        if self.quarter is None:
            return self.year_earlier()
        if self.quarter == 1:
            return self.model_copy(update={"year": self.year - 1, "quarter": 4})
        return self.model_copy(update={"quarter": self.quarter - 1})

    def year_to_date(self) -> Filters:
        """From 1 January to the end of this period: annual quotas are measured this way."""
        return self.model_copy(update={"quarter": None, "as_of": self.period_end})

    @property
    def days_in_year(self) -> int:
        """365 or 366."""
        return (dt.date(self.year + 1, 1, 1) - dt.date(self.year, 1, 1)).days

    def params(self) -> dict[str, Any]:
        """SQL parameters every metric may use ($start, $end, $year, $group, $division, …)."""
        return {
            "start": self.period_start,
            "end": self.period_end,
            "year": self.year,
            "group": self.group,
            "division": self.division,
            "as_of": self.as_of,
            "days_in_year": self.days_in_year,
            "visible_group": self.visible_group,
        }


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
