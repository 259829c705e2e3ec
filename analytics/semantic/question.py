"""A 自助分析 question as one value: measure, up to two dimensions, filters, 同比; to and from
the URL's query parameters, where anything the catalogue does not offer is dropped with a note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from analytics.common.labels import t
from analytics.semantic.catalogue import DEFAULT_MEASURE, DIMENSIONS, MEASURES

MAX_DIMENSIONS = 2
MAX_VALUES = 200  # values picked for one filter (a URL is not a data file)
# Query parameter names. Filters are x_<dimension>; the sidebar's year, quarter, group and
# division are its own (ui.sidebar) and apply on top.
MEASURE_PARAM, BY_PARAM, YOY_PARAM, FILTER_PREFIX = "measure", "by", "yoy", "x_"
RANGE_SEPARATOR = "-"


class Question(BaseModel):
    """What a user asks: a measure by up to two dimensions, under filters on any dimension."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str = Field(DEFAULT_MEASURE, description="a key of catalogue.MEASURES")
    dims: tuple[str, ...] = Field((), max_length=MAX_DIMENSIONS,
                                  description="dimensions to group by, in order")  # fmt: skip
    picks: tuple[tuple[str, tuple[str, ...]], ...] = Field(
        (), description="(dimension, values kept) per value filter; values as text"
    )
    ranges: tuple[tuple[str, int, int], ...] = Field(
        (), description="(dimension, lowest, highest) per range filter, both inclusive"
    )
    yoy: bool = Field(False, description="同比: the same question for last year's period")

    @model_validator(mode="after")
    def _offered(self) -> Question:
        measure = MEASURES.get(self.measure)
        if measure is None:
            raise ValueError(f"unknown measure: {self.measure}")
        offered = set(measure.dimensions)
        named = [*self.dims, *(d for d, _ in self.picks), *(d for d, _, _ in self.ranges)]
        if not set(named) <= offered:
            raise ValueError(f"{self.measure} cannot be cut by {sorted(set(named) - offered)}")
        if len(set(self.dims)) != len(self.dims):
            raise ValueError("a dimension is named twice")
        filtered = [d for d, _ in self.picks] + [d for d, _, _ in self.ranges]
        if len(set(filtered)) != len(filtered):
            raise ValueError("a dimension is filtered twice")
        for dim, low, high in self.ranges:
            if DIMENSIONS[dim].range_sql is None or low > high:
                raise ValueError(f"not a range filter: {dim} {low}-{high}")
        if any(not values for _, values in self.picks):
            raise ValueError("a value filter keeps nothing")
        return self

    def with_pick(self, dim: str, value: str) -> Question:
        """The question narrowed to one value of `dim` (a click on a bar)."""
        picks = tuple(p for p in self.picks if p[0] != dim) + ((dim, (str(value),)),)
        ranges = tuple(r for r in self.ranges if r[0] != dim)
        return self.model_copy(update={"picks": picks, "ranges": ranges})


def to_params(q: Question) -> dict[str, str | list[str]]:
    """The question as query parameters (values of one filter as a repeated parameter)."""
    params: dict[str, str | list[str]] = {MEASURE_PARAM: q.measure}
    if q.dims:
        params[BY_PARAM] = ",".join(q.dims)
    if q.yoy:
        params[YOY_PARAM] = "1"
    for dim, values in q.picks:
        params[FILTER_PREFIX + dim] = list(values)
    for dim, low, high in q.ranges:
        params[FILTER_PREFIX + dim] = f"{low}{RANGE_SEPARATOR}{high}"
    return params


def from_params(
    params: Mapping[str, Sequence[str]],
    options: Mapping[str, Sequence[Any]] | None = None,
) -> tuple[Question, list[str]]:
    """The question a URL asks (each parameter with all its values) and a note for every part
    that was ignored: an unknown measure or dimension, one the measure cannot be cut by, a
    third dimension, a value not among `options` (dimension → the values it may take)."""
    notes: list[str] = []

    def first(name: str) -> str | None:
        values = params.get(name) or []
        return values[0] if values else None

    def ignore(name: str, value: str) -> None:
        notes.append(t("filters.invalid", name=name, value=value))

    measure = first(MEASURE_PARAM) or DEFAULT_MEASURE
    if measure not in MEASURES:
        ignore(MEASURE_PARAM, measure)
        measure = DEFAULT_MEASURE
    offered = MEASURES[measure].dimensions
    dims: list[str] = []
    for dim in (first(BY_PARAM) or "").split(","):
        if not dim:
            continue
        if dim not in offered or dim in dims or len(dims) == MAX_DIMENSIONS:
            ignore(BY_PARAM, dim)
        else:
            dims.append(dim)
    yoy = first(YOY_PARAM)
    if yoy not in (None, "", "0", "1"):
        ignore(YOY_PARAM, yoy)
    picks: list[tuple[str, tuple[str, ...]]] = []
    ranges: list[tuple[str, int, int]] = []
    for name in params:
        if not name.startswith(FILTER_PREFIX):
            continue
        dim, values = name[len(FILTER_PREFIX):], list(params[name])  # fmt: skip
        if dim not in offered:
            for value in values:
                ignore(name, value)
            continue
        if DIMENSIONS[dim].range_sql is not None:
            bounds = _range(values[0] if values else "")
            if bounds is None or len(values) != 1:
                ignore(name, RANGE_SEPARATOR.join(values))
            else:
                ranges.append((dim, *bounds))
            continue
        allowed = None if options is None else {str(v) for v in options.get(dim, ())}
        kept = []
        for value in values[:MAX_VALUES]:
            if (allowed is not None and value not in allowed) or value in kept:
                ignore(name, value)
            else:
                kept.append(value)
        if kept:
            picks.append((dim, tuple(kept)))
    question = Question(measure=measure, dims=tuple(dims), picks=tuple(picks),
                        ranges=tuple(ranges), yoy=yoy == "1")  # fmt: skip
    return question, notes


def _range(text: str) -> tuple[int, int] | None:
    low, sep, high = text.partition(RANGE_SEPARATOR)
    if not sep or not low.isdigit() or not high.isdigit() or int(low) > int(high):
        return None
    return int(low), int(high)


def describe(q: Question) -> str:
    """The question in words, e.g. 参与率 · 按处室、性别 · 政治面貌：中共党员、共青团员."""
    parts = [MEASURES[q.measure].label]
    if q.dims:
        parts.append(t("explore.describe.by", dims="、".join(DIMENSIONS[d].label for d in q.dims)))
    for dim, values in q.picks:
        shown = "、".join(DIMENSIONS[dim].show(typed_value(dim, v)) for v in values)
        parts.append(t("explore.describe.pick", dim=DIMENSIONS[dim].label, values=shown))
    for dim, low, high in q.ranges:
        parts.append(t("explore.describe.range", dim=DIMENSIONS[dim].label, lo=low, hi=high))
    if q.yoy:
        parts.append(t("common.yoy"))
    return " · ".join(parts)


def typed_value(dim: str, value: str) -> Any:
    """A filter value (text, as in the URL or a chart) as the dimension's values are typed
    (3 for 3月)."""
    if DIMENSIONS[dim].numeric and value.lstrip("-").isdigit():
        return int(value)
    return value
