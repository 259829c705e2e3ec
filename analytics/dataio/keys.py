"""Keys and references across an upload's rows, before anything is written.

A key appears once per upload: `repeated_rows` refuses a row whose key cells repeat an earlier
row's before validation (no record is made for it), `check_duplicates` the keys equal once
validated. `check_references`: every 工号 names a cadre and every 活动编号 an activity, stored
or in this upload (a 工号 differing from a known one only by leading zeros is refused as such).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import duckdb

from analytics.common.labels import LABELS, t
from analytics.dataio.checks import Row, filled, key_of, shown
from analytics.dataio.plan import (
    ACTIVITY_REFERENCES,
    CADRE_REFERENCES,
    LIST_REFERENCES,
    Problem,
)
from analytics.store.models import Record, parse_id_list


def _key_headers(model: type[Record]) -> str:
    return "+".join(model.model_fields[k].alias or k for k in model.key)


def repeated_rows(rows_by_model: dict[type[Record], list[Row]]) -> list[Problem]:
    """Before validation: a row whose key cells hold exactly what an earlier row's do (same
    values, same types) is the same record again, refused as such and not validated: a sheet
    pasted in twice costs one line and no second set of records. (Keys that are equal only once
    validated, " Q1" and "Q1", are `check_duplicates`' to find.) Its cells are let go."""
    problems: list[Problem] = []
    for model, rows in rows_by_model.items():
        aliases = [model.model_fields[k].alias or k for k in model.key]
        repeat = _Repeats(model)
        first: dict[tuple[Any, ...], Row] = {}
        positions: dict[tuple[str, ...], list[int] | None] = {}  # per sheet: the key's cells
        for row in rows:
            if row.headers not in positions:
                have = all(a in row.headers for a in aliases)  # a key made from facts may be
                positions[row.headers] = [row.headers.index(a) for a in aliases] if have else None
            where = positions[row.headers]
            if where is None:
                continue
            cells = [row.values[i] for i in where]
            # A key cell left blank (or refused) is validation's to report. Text cells are
            # compared as they are; other cells with their type (True == 1, but not as a key).
            if all(type(c) is str for c in cells):
                if not all(c.strip() for c in cells):
                    continue
                key = tuple(cells)
            elif None in cells or not all(filled(c) for c in cells):
                continue
            else:
                key = tuple([(type(c), c) for c in cells])
            earlier = first.setdefault(key, row)
            if earlier is not row:
                problems.append(repeat(row, earlier, cells))
                row.values, row.repeated = (), True
    return problems


def check_duplicates(rows_by_model: dict[type[Record], list[Row]]) -> list[Problem]:
    """A key may appear once per upload: which of two rows would win is not for us to guess."""
    problems: list[Problem] = []
    for model, rows in rows_by_model.items():
        repeat = _Repeats(model)
        first: dict[tuple[Any, ...], Row] = {}
        for row in rows:
            if row.record is None:
                continue
            key = key_of(row.record)
            earlier = first.setdefault(key, row)
            if earlier is not row:
                # A key made from the facts (an award without 获奖编号) is named by them.
                made = bool(model.key_facts) and not filled(row.raw.get(repeat.column))
                problems.append(repeat(row, earlier, key, made_from_facts=made))
    return problems


class _Repeats:
    """The problem of a row whose key an earlier row of the upload has already."""

    def __init__(self, model: type[Record]) -> None:
        self.column = _key_headers(model)
        self.facts = "+".join(model.key_facts)
        self.group = t("data.err.duplicate_key_group")

    def __call__(
        self, row: Row, earlier: Row, key: Any, *, made_from_facts: bool = False
    ) -> Problem:
        where = t("data.place.row", row=earlier.number)
        if (earlier.file, earlier.sheet) != (row.file, row.sheet):
            where = f"{earlier.file} › {earlier.sheet}{where}"
        if made_from_facts:
            column, value, label = self.facts, None, "data.err.duplicate_facts"
        else:
            column, label = self.column, "data.err.duplicate_key"
            value = " / ".join(shown(k) or "" for k in key)
        message = LABELS[label].format(where=where)
        return Problem(row.file, row.sheet, row.number, column, value, message, self.group)


def check_references(
    con: duckdb.DuckDBPyConnection,
    rows_by_model: dict[type[Record], list[Row]],
    refused_sheets: dict[str, list[tuple[str, str, int | None]]] | None = None,
) -> list[Problem]:
    """Every 工号 must name a cadre and every 活动编号 an activity, known or in this upload.

    A 工号 that differs from a stored or uploaded one only by leading zeros (101 and 0101) is
    refused with that hint, wherever it appears. When this upload's own 活动 (or 青年干部) sheet
    was refused as a whole, the rows that name what it would have defined are not listed one by
    one: one problem on that sheet says how many rows wait on it (`refused_sheets`: table →
    (file, sheet, header row) of each refused sheet).
    """
    refused_sheets = refused_sheets or {}
    stored = {"cadres": _ids(con, "cadres", "cadre_id"),
              "activities": _ids(con, "activities", "activity_id")}  # fmt: skip
    known = {table: set(ids) for table, ids in stored.items()}
    uploaded: dict[str, dict[str, Row]] = {"cadres": {}, "activities": {}}
    for model, rows in rows_by_model.items():
        if model.table in known:
            field_name = model.key[0]
            alias = model.model_fields[field_name].alias or field_name
            for row in rows:
                # A rejected parent row still counts as named, so its children are not flagged
                # too: one mistake, one message.
                value = getattr(row.record, field_name) if row.record else row.raw.get(alias)
                if filled(value):
                    known[model.table].add(_plain_id(value))
                    uploaded[model.table].setdefault(_plain_id(value), row)
    problems: list[Problem] = []
    by_stripped = _by_stripped_id(known["cadres"])
    for cid, row in uploaded["cadres"].items():  # a new cadre who is an old one, zeros aside
        twins = sorted(c for c in by_stripped.get(cid.lstrip("0"), ()) if c != cid)
        twins = [c for c in twins if c in stored["cadres"]]
        if twins and cid not in stored["cadres"]:
            problems.append(Problem(row.file, row.sheet, row.number, "工号", cid,
                                    t("data.err.leading_zeros", other=twins[0])))  # fmt: skip
    waiting: dict[str, dict[str, int]] = {}
    for model, rows in rows_by_model.items():
        checks = [(f, "cadres") for f in CADRE_REFERENCES.get(model.table, ())]
        checks += [(f, "activities") for f in ACTIVITY_REFERENCES.get(model.table, ())]
        for field_name, target in checks:
            alias = model.model_fields[field_name].alias or field_name
            message_key = f"data.err.unknown_{'cadre' if target == 'cadres' else 'activity'}"
            for row in rows:
                if row.repeated:
                    continue  # refused as a repeat already: its earlier twin is the one checked
                value = (
                    getattr(row.record, field_name)
                    if row.record is not None
                    else _raw_reference(row.raw.get(alias), is_list=field_name in LIST_REFERENCES)
                )
                for item in value if isinstance(value, list) else [value]:
                    if item is None or item in known[target]:
                        continue
                    twins = by_stripped.get(item.lstrip("0"), ()) if target == "cadres" else ()
                    if twins:
                        message = t("data.err.leading_zeros", other=sorted(twins)[0])
                    elif target in refused_sheets:
                        by_sheet = waiting.setdefault(target, {})
                        by_sheet[model.sheet] = by_sheet.get(model.sheet, 0) + 1
                        continue
                    else:
                        message = t(message_key)
                    problems.append(Problem(row.file, row.sheet, row.number, alias, item, message))
    for target, by_sheet in waiting.items():
        what = "工号" if target == "cadres" else "活动编号"
        rows = "、".join(t("data.err.rows_wait_part", sheet=s, n=n) for s, n in by_sheet.items())
        for file, sheet, header in refused_sheets[target]:
            problems.append(Problem(file, sheet, header, None, None,
                                    t("data.err.rows_wait", rows=rows, what=what)))  # fmt: skip
    return problems


def _by_stripped_id(ids: set[str]) -> dict[str, set[str]]:
    """工号 by their digits without leading zeros (only those that have some)."""
    out: dict[str, set[str]] = {}
    for cid in ids:
        out.setdefault(cid.lstrip("0"), set()).add(cid)
    return {k: v for k, v in out.items() if len(v) > 1 or any(c.startswith("0") for c in v)}


def _raw_reference(value: Any, *, is_list: bool) -> list[str]:
    """The ids a row that failed validation names, so its unknown 工号 is reported as well."""
    if not filled(value):
        return []
    try:
        return parse_id_list(value) if is_list else [_plain_id(value)]
    except (TypeError, ValueError):
        return []


def _plain_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _ids(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set[str]:
    if table not in ("cadres", "activities") or column not in ("cadre_id", "activity_id"):
        raise ValueError(table)  # identifiers only from this allow-list
    return {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()}
