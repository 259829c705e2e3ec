"""What an import is about to do: the problems found, the sheets read, each table's diff.

`ImportPlan` is what analytics.dataio.importer.prepare_import returns and
analytics.dataio.commit.commit_import writes; the tables below say which columns name which
records (references, child tables, list fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analytics.common.labels import t
from analytics.dataio.readers import stem
from analytics.store.db import TABLE_ORDER
from analytics.store.models import RECORD_TYPES, Record

# Columns that name a cadre (工号) or an activity (活动编号) defined in another table.
CADRE_REFERENCES: dict[str, tuple[str, ...]] = {
    "attendance": ("cadre_id",),
    "reports": ("lead_author", "co_authors"),
    "awards": ("winners",),
    "assessments": ("cadre_id",),
    "assignments": ("cadre_id",),
    "training": ("cadre_id",),
    "mentorships": ("cadre_id",),
}
ACTIVITY_REFERENCES: dict[str, tuple[str, ...]] = {"attendance": ("activity_id",)}
# Child tables written with their parent: replaced whole whenever the parent row is written.
CHILD_TABLES: dict[str, tuple[str, str]] = {
    "reports": ("report_authors", "report_id"),
    "awards": ("award_winners", "award_id"),
}
# List-valued fields (工号 lists) and the child table (and role) their items live in.
LIST_FIELDS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("reports", "co_authors"): ("report_authors", "参与"),
    ("awards", "winners"): ("award_winners", None),
}
LIST_REFERENCES = frozenset(field for _, field in LIST_FIELDS)
MODELS_BY_TABLE: dict[str, type[Record]] = {m.table: m for m in RECORD_TYPES}


# ----- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason not to write: where it is (as the user sees the sheet) and what is wrong.
    (Slots: a file pasted into itself is some 300,000 of them.)"""

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    group: str | None = None  # the words shared with the same problem on other rows, if not these

    def text(self) -> str:
        """One line for the command line: 文件 › 工作表 第N行 〔列〕：问题（值）."""
        place = sheet_place(self.file, self.sheet)
        if self.row is not None:
            place += t("data.place.row", row=self.row)
        if self.column:
            place += t("data.place.column", column=self.column)
        value = t("data.place.value", value=self.value) if self.value else ""
        return f"{place}：{self.message}{value}"


def sheet_place(file: str, sheet: str) -> str:
    """Where a sheet is, as a line names it: 文件 › 工作表, or the file alone for a CSV."""
    return f"{file} › {sheet}" if sheet != stem(file) else file


@dataclass(frozen=True)
class UploadedFile:
    """An uploaded file as received: its name, size and SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SheetMatch:
    """Which table a sheet (or CSV) was read as, how many data rows it had, and what was left
    unread: columns not in the template, 合计/制表人 rows, blank rows, or a hidden sheet."""

    file: str
    sheet: str
    table: str | None
    rows: int
    ignored: tuple[str, ...] = ()
    footer_rows: int = 0
    blank_rows: int = 0
    hidden: bool = False

    def skipped(self) -> str:
        """What the preview says was skipped, in words."""
        if self.hidden:
            return t("data.skipped.hidden")
        parts = []
        if self.footer_rows:
            parts.append(t("data.skipped.footer", n=self.footer_rows))
        if self.blank_rows:
            parts.append(t("data.skipped.blank", n=self.blank_rows))
        if self.ignored:
            parts.append(t("data.skipped.columns", columns="、".join(self.ignored)))
        return "；".join(parts)


@dataclass
class TableDiff:
    """One table's verdict: counts, and the rows a commit would write."""

    table: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    writes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # For changed rows, each field that changes: (key, header, stored value, new value).
    changes: list[tuple[str, str, Any, Any]] = field(default_factory=list)


@dataclass
class ImportPlan:
    """Everything the preview shows and the commit needs; building it writes nothing."""

    files: list[UploadedFile]
    sheets: list[SheetMatch]
    problems: list[Problem]
    tables: dict[str, TableDiff]
    version: int  # the data version the diff was made against

    @property
    def ok(self) -> bool:
        """No problem at all, and something was read."""
        return not self.problems and bool(self.tables)

    @property
    def has_changes(self) -> bool:
        """Whether committing would change any row."""
        return any(d.new or d.changed for d in self.tables.values())

    def counts(self) -> dict[str, dict[str, int]]:
        """Per table: new, changed, unchanged, rejected (in table order)."""
        return {
            table: {
                "new": d.new, "changed": d.changed, "unchanged": d.unchanged,
                "rejected": d.rejected,
            }
            for table, d in sorted(self.tables.items(), key=lambda kv: TABLE_ORDER.index(kv[0]))
        }  # fmt: skip

    def summary_frame(self) -> pd.DataFrame:
        """The preview table: one row per record type with its four counts."""
        rows = [
            {
                t("data.col.table"): MODELS_BY_TABLE[table].sheet,
                t("data.col.new"): c["new"],
                t("data.col.changed"): c["changed"],
                t("data.col.unchanged"): c["unchanged"],
                t("data.col.rejected"): c["rejected"],
            }
            for table, c in self.counts().items()
        ]
        columns = [t(f"data.col.{k}") for k in ("table", "new", "changed", "unchanged", "rejected")]
        return pd.DataFrame(rows, columns=columns)

    def sheets_frame(self) -> pd.DataFrame:
        """Which sheet was read as which table."""
        rows = [
            {
                t("data.col.file"): s.file,
                t("data.col.sheet"): s.sheet,
                t("data.col.matched"): MODELS_BY_TABLE[s.table].sheet
                if s.table
                else t("data.unmatched"),
                t("data.col.rows"): s.rows,
                t("data.col.skipped"): s.skipped(),
            }
            for s in self.sheets
        ]
        columns = [t(f"data.col.{k}") for k in ("file", "sheet", "matched", "rows", "skipped")]
        return pd.DataFrame(rows, columns=columns)

    def changes_frame(self) -> pd.DataFrame:
        """For every changed row, each field that changes, stored → new (values as text)."""
        columns = [t(f"data.col.{k}") for k in ("table", "record", "column", "old", "new_value")]
        rows = [
            (MODELS_BY_TABLE[table].sheet, key, column, _cell_text(old), _cell_text(new))
            for table, diff in sorted(
                self.tables.items(), key=lambda kv: TABLE_ORDER.index(kv[0])
            )  # fmt: skip
            for key, column, old, new in diff.changes
        ]
        return pd.DataFrame(rows, columns=columns)


def _cell_text(value: Any) -> str:
    """A stored value as the preview shows it: dates as 2025-03-05, nothing as （空）."""
    if value is None or value == "":
        return t("data.empty_value")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
