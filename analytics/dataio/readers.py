"""Uploaded bytes → rows of cells: XLSX workbooks (every visible sheet), legacy .xls workbooks
(read_xls) and CSV files.

Nothing here knows the tables; the importer matches the rows to the models by their headers.
A cell reads as Excel shows it: a formula by the value Excel cached when the file was saved
(`FormulaWithoutValue` when it has none, never computed here), an error such as #N/A as
`CellError`, a number formatted `0000` as the padded text ("0101"), a merged area as its
top-left cell in every cell it covers. HTML is just text. Hidden sheets are listed, not read.
A file that cannot be read raises `ReadError` with a Chinese message.

XLSX is read with the standard library's streaming XML parser rather than openpyxl: a sheet of
100,000 rows reads in about a third of openpyxl's time, which the import's speed budget needs.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from analytics.common import fmt
from analytics.common.labels import t

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt")
INSTRUCTIONS_SHEET = "填写说明"
# A workbook may unpack to this many times the upload limit (sheet XML compresses ~10:1);
# beyond that it is refused before parsing, so a small "zip bomb" cannot exhaust memory.
MAX_UNPACK_RATIO = 25

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and password-protected .xlsx
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class ReadError(ValueError):
    """A file that cannot be read at all; the message is for the user (Chinese)."""


# What Excel shows for a failed formula, also when pasted as text.
ERROR_VALUES = frozenset(
    ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
)  # fmt: skip


@dataclass(frozen=True)
class CellError:
    """A cell holding an Excel error value (#N/A, #REF! …): it means "no value here"."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell saved without its computed value (written by a program, not by Excel)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass
class RawSheet:
    """One sheet (or one CSV file) as rows of cells, each row with its number as Excel shows it."""

    file: str
    sheet: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str | None = None  # CSV only: the encoding it was decoded with
    hidden: bool = False  # a hidden sheet: listed as skipped, its rows not read
    blank_rows: list[int] = field(default_factory=list)  # rows present with nothing filled


def read_file(name: str, data: bytes, max_bytes: int) -> list[RawSheet]:
    """Every sheet of an uploaded file, with the checks that come before parsing."""
    if len(data) > max_bytes:
        limit = fmt.file_size(max_bytes)
        raise ReadError(
            t("data.err.too_large", size=fmt.file_size(len(data)), limit=limit,
              advice=t("data.upload.split", limit=limit))
        )  # fmt: skip
    if not data.strip():
        raise ReadError(t("data.err.empty"))
    lower = name.lower()
    if data.startswith(_OLE_MAGIC):
        return read_xls(name, data)
    if data.startswith(_ZIP_MAGIC):
        return read_xlsx(name, data, max_bytes)
    if lower.endswith(SPREADSHEET_SUFFIXES):
        raise ReadError(t("data.err.not_xlsx"))
    if lower.endswith(TEXT_SUFFIXES):
        return [read_csv(name, data)]
    raise ReadError(t("data.err.file_type"))


# ----- CSV ------------------------------------------------------------------------------------


def text_encoding(data: bytes) -> str:
    """The encoding a CSV is read with: UTF-16 with BOM, UTF-8 (with or without BOM) when all
    of it decodes as UTF-8, else GB18030 (a superset of GBK, what Chinese Excel writes as "CSV").
    Checked without building the text, so a 20 MB file is not held twice."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in data[:4096]:
        raise ReadError(t("data.err.not_text"))
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), _DECODE_CHUNK):
                decoder.decode(data[start : start + _DECODE_CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ReadError(t("data.err.encoding"))


_DECODE_CHUNK = 1 << 20
_ENCODING_NAMES = {"utf-16": "UTF-16", "utf-8-sig": "UTF-8", "gb18030": "GB18030"}


def read_csv(name: str, data: bytes) -> RawSheet:
    """A CSV (comma, tab or semicolon separated) as one sheet named after the file."""
    encoding = text_encoding(data)
    # The delimiter is the one the first filled line uses most (a few KB decoded for that).
    head = data[:65536].decode(encoding, errors="ignore")
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first_line.count)
    sheet = RawSheet(file=name, sheet=stem(name), encoding=_ENCODING_NAMES[encoding])
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    try:
        # The same text in many cells (statuses, 工号, 活动编号) is kept once, as an .xlsx's
        # shared strings are: a 20 MB sheet would otherwise hold millions of equal strings.
        seen: dict[str, str] = {}
        share = seen.setdefault
        for number, cells in enumerate(csv.reader(text, delimiter=delimiter), 1):
            sheet.rows.append((number, [share(c, c) for c in cells]))
    except csv.Error as exc:
        raise ReadError(t("data.err.csv_broken", detail=str(exc))) from None
    except UnicodeError:  # a UTF-16 file whose bytes do not all decode
        raise ReadError(t("data.err.encoding")) from None
    return sheet


def stem(name: str) -> str:
    """The file name without folders or extension: a CSV's one sheet is named after it."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


# ----- XLSX -----------------------------------------------------------------------------------


def read_xlsx(name: str, data: bytes, max_bytes: int) -> list[RawSheet]:
    """Every visible sheet of a workbook (the instructions sheet and hidden sheets are skipped)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_bytes * MAX_UNPACK_RATIO:
            raise ReadError(t("data.err.unpacked_too_large"))
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise ReadError(t("data.err.not_xlsx"))
        book = _Workbook(archive, names)
        sheets = []
        for sheet_name, path, hidden in book.sheets():
            if hidden:
                sheets.append(RawSheet(file=name, sheet=sheet_name, hidden=True))
                continue
            sheet = RawSheet(file=name, sheet=sheet_name)
            merges = book.read_rows(path, sheet)
            fill_merged(sheet, merges)
            sheets.append(sheet)
        return sheets
    except ReadError:
        raise
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError, IndexError, EOFError):
        raise ReadError(t("data.err.not_xlsx")) from None


class _Workbook:
    """The few parts of an XLSX package the importer needs, read once."""

    def __init__(self, archive: zipfile.ZipFile, names: set[str]) -> None:
        self.archive = archive
        root = ET.fromstring(archive.read("xl/workbook.xml"))
        self.ns = root.tag[1 : root.tag.index("}")] if root.tag.startswith("{") else ""
        self.epoch = dt.datetime(1899, 12, 30)
        pr = root.find(self._q("workbookPr"))
        if pr is not None and pr.get("date1904") in ("1", "true"):
            self.epoch = dt.datetime(1904, 1, 1)
        self._sheet_elements = root.findall(f"{self._q('sheets')}/{self._q('sheet')}")
        self.targets = self._relationships(names)
        self.shared = self._shared_strings(names)
        self.date_styles, self.padded_styles = self._styles(names)

    def _q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def _relationships(self, names: set[str]) -> dict[str, str]:
        path = "xl/_rels/workbook.xml.rels"
        if path not in names:
            return {}
        targets = {}
        for rel in ET.fromstring(self.archive.read(path)):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = target
        return targets

    def sheets(self) -> Iterator[tuple[str, str, bool]]:
        """(name, part path, hidden) of each worksheet but the instructions, in workbook order."""
        for index, element in enumerate(self._sheet_elements, 1):
            name = element.get("name", "")
            if name == INSTRUCTIONS_SHEET:
                continue
            rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            path = self.targets.get(rel_id, f"xl/worksheets/sheet{index}.xml")
            if path in self.archive.namelist():
                yield name, path, element.get("state", "visible") != "visible"

    def _shared_strings(self, names: set[str]) -> list[str]:
        path = "xl/sharedStrings.xml"
        if path not in names:
            return []
        si, t_tag, r_tag = self._q("si"), self._q("t"), self._q("r")
        strings: list[str] = []
        for _, element in ET.iterparse(self.archive.open(path), events=("end",)):
            if element.tag != si:
                continue
            # Plain <t>, or rich-text runs <r><t>; phonetic guides <rPh> are not the text.
            parts = [child.text or "" for child in element if child.tag == t_tag]
            for run in element:
                if run.tag == r_tag:
                    parts.extend(x.text or "" for x in run if x.tag == t_tag)
            strings.append(_unescaped("".join(parts)))
            element.clear()
        return strings

    def _styles(self, names: set[str]) -> tuple[set[str], dict[str, tuple[str, int, str]]]:
        """Indexes of cell styles (as a cell's s="…" spells them) whose number format shows a
        date, and of those that pad an integer with zeros ("0000", '"Q"000'): style → (prefix,
        digits, suffix)."""
        path = "xl/styles.xml"
        if path not in names:
            return set(), {}
        root = ET.fromstring(self.archive.read(path))
        custom = {
            int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
            for fmt in root.iter(self._q("numFmt"))
        }
        cell_xfs = root.find(self._q("cellXfs"))
        dates: set[str] = set()
        padded: dict[str, tuple[str, int, str]] = {}
        if cell_xfs is None:
            return dates, padded
        for index, xf in enumerate(cell_xfs.findall(self._q("xf"))):
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
            if is_date_format(code):
                dates.add(str(index))
            elif (pad := zero_padding(code)) is not None:
                padded[str(index)] = pad
        return dates, padded

    def read_rows(self, path: str, sheet: RawSheet) -> list[tuple[int, int, int, int]]:
        """Fill `sheet.rows` (each row that has a value; columns placed by reference) and
        `sheet.blank_rows`; return the merged areas (first row, first column, last row, last
        column; rows 1-based as Excel numbers them, columns 0-based).

        The parser reports where each element starts (one event per element): a row is whole
        when the next one starts (the last, at the end), is read then and dropped from the
        tree, so the parser holds two rows at a time. The same inline text in many cells is
        kept once, as shared strings are.
        """
        sheet_data_tag, row_tag, merge_tag = (self._q(x) for x in ("sheetData", "row", "mergeCell"))
        read_row = functools.partial(
            self._read_row, sheet, self._q("c"),
            functools.partial(self._cell_value, *(self._q(x) for x in ("v", "f", "is", "t")),
                              {}, {}),
            {},
        )  # fmt: skip
        merges: list[tuple[int, int, int, int]] = []
        sheet_data = previous = None
        number = 0  # the last row's, for a row that does not say its own
        for _, element in ET.iterparse(self.archive.open(path), events=("start",)):
            tag = element.tag
            if tag == row_tag:
                if previous is not None:
                    number = read_row(previous, sheet_data, number)
                previous = element
            elif tag == merge_tag:
                area = _area(element.get("ref", ""))
                if area is not None:
                    merges.append(area)
            elif tag == sheet_data_tag:
                sheet_data = element
        if previous is not None:
            read_row(previous, sheet_data, number)
        return merges

    def _read_row(
        self, sheet: RawSheet, c_tag: str, cell_value: Any, columns: dict[str, int],
        element: ET.Element, sheet_data: ET.Element | None, previous: int,
    ) -> int:  # fmt: skip
        """One whole <row> into `sheet` (`columns`: "AB" → 27, filled as met); its number."""
        row_number = int(element.get("r") or previous + 1)
        cells: list[Any] = []
        for cell in element:
            if cell.tag != c_tag:
                continue
            value = cell_value(cell)
            if value is None:
                continue
            column = len(cells)
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = columns.get(letters, -1)
                if column < 0:
                    column = columns[letters] = _column_of(letters, len(cells))
            if column == len(cells):
                cells.append(value)
            elif column > len(cells):
                cells.extend([None] * (column - len(cells)))
                cells.append(value)
            else:
                cells[column] = value
        if cells:
            sheet.rows.append((row_number, cells))
        elif len(element):
            sheet.blank_rows.append(row_number)
        element.clear()
        if sheet_data is not None and len(sheet_data) and sheet_data[0] is element:
            del sheet_data[0]  # the tree keeps only the row after it
        return row_number

    def _cell_value(
        self, v_tag: str, f_tag: str, is_tag: str, t_tag: str,
        shared_formulas: dict[str, tuple[str, str]], texts: dict[str, str], cell: ET.Element,
    ) -> Any:  # fmt: skip
        raw: str | None = None
        formula = box = None
        for part in cell:
            tag = part.tag
            if tag == v_tag:
                raw = part.text
            elif tag == f_tag:
                formula = part
            elif tag == is_tag:
                box = part
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            if box is None:
                return None
            if len(box) == 1 and box[0].tag == t_tag:  # one plain run, the usual case
                text = box[0].text or ""
            else:
                text = "".join(x.text or "" for x in box.iter(t_tag))
            text = _unescaped(text)
            return texts.setdefault(text, text)
        if raw is None or (formula is not None and raw == "" and kind != "str"):
            if formula is not None:
                return FormulaWithoutValue(
                    _formula_text(formula, cell.get("r", "A1"), shared_formulas)
                )
            return None
        if formula is not None and formula.get("t") == "shared" and formula.text:
            _formula_text(formula, cell.get("r", "A1"), shared_formulas)  # remember the master
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "n":
            number = float(raw)
            style = cell.get("s", "0")
            if style in self.date_styles:
                moment = self.epoch + dt.timedelta(days=number)
                return moment.date() if number == int(number) else moment
            pad = self.padded_styles.get(style)
            if pad is not None and number.is_integer() and 0 <= number < 10**15:
                prefix, digits, suffix = pad
                return f"{prefix}{int(number):0{digits}d}{suffix}"
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        if kind == "e":
            return CellError(raw)
        if kind == "b":
            return raw == "1"
        return texts.setdefault(raw, raw)  # "str" (a formula's text), "d" (an ISO date as text)


def _formula_text(
    formula: ET.Element, ref: str, shared_formulas: dict[str, tuple[str, str]]
) -> str:
    """A formula cell as the text the user typed (never its computed value)."""
    text = formula.text or ""
    if formula.get("t") == "shared":
        group = formula.get("si", "")
        if text:
            shared_formulas[group] = (text, ref)
        elif group in shared_formulas:
            master, origin = shared_formulas[group]
            return Translator(f"={master}", origin=origin).translate_formula(ref)
    return f"={text}"


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(text: str) -> str:
    """A cell's text as typed: Excel writes a character XML cannot hold (a control character)
    as _xHHHH_, and a literal "_x" as _x005F_x; left alone, the importer could not see them."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


_PADDING = re.compile(r'^((?:"[^"]*"|\\.)*)(0+)((?:"[^"]*"|\\.)*)$')


def zero_padding(code: str) -> tuple[str, int, str] | None:
    """A number format that shows an integer zero-padded, perhaps with literal text around it
    ("0000", '"Q"0000', "\\Q000"), as (prefix, digits, suffix); None for any other format."""
    match = _PADDING.match(code.split(";")[0])
    if not match or (len(match.group(2)) < 2 and not (match.group(1) or match.group(3))):
        return None

    def literal(part: str) -> str:
        return re.sub(r'"([^"]*)"|\\(.)', lambda m: m.group(1) or m.group(2) or "", part)

    return literal(match.group(1)), len(match.group(2)), literal(match.group(3))


def _area(ref: str) -> tuple[int, int, int, int] | None:
    """ "B2:D4" → (2, 1, 4, 3): first row, first column, last row, last column."""
    corners = [_CELL_REF.fullmatch(part) for part in ref.split(":")]
    if len(corners) != 2 or not all(corners):
        return None
    (c1, r1), (c2, r2) = ((m.group(1), m.group(2)) for m in corners)  # type: ignore[union-attr]
    return int(r1), _column_index(c1), int(r2), _column_index(c2)


def fill_merged(sheet: RawSheet, merges: list[tuple[int, int, int, int]]) -> None:
    """Every cell of a merged area reads as its top-left cell, as the clerk sees it."""
    if not merges:
        return
    by_number = dict(sheet.rows)
    for first_row, first_col, last_row, last_col in merges:
        top = by_number.get(first_row)
        value = top[first_col] if top is not None and first_col < len(top) else None
        if value is None:
            continue
        for number in range(first_row, last_row + 1):
            cells = by_number.setdefault(number, [])
            if len(cells) <= last_col:
                cells.extend([None] * (last_col + 1 - len(cells)))
            for column in range(first_col, last_col + 1):
                if cells[column] is None:
                    cells[column] = value
    sheet.rows = sorted(by_number.items())
    filled = set(by_number)
    sheet.blank_rows = [n for n in sheet.blank_rows if n not in filled]


def _column_of(letters: str, default: int) -> int:
    """A cell reference's column letters as an index; `default` (the next column) when the
    reference has none that can be read."""
    readable = letters.isascii() and letters.isalpha() and letters.isupper()
    return _column_index(letters) if readable else default


@functools.cache
def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


# ----- legacy .xls -----


def read_xls(name: str, data: bytes) -> list[RawSheet]:
    """Every worksheet of a legacy .xls (BIFF) file, read with xlrd (the long-kept reader of
    this format, loaded only for such a file) into the same rows as an .xlsx: its cell types
    and the values Excel saved; `formatting_info` adds merged areas and number formats (the
    instructions sheet left out, hidden ones listed)."""
    import xlrd
    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError

    try:
        # xlrd reports oddities on a log file (stdout by default): not the user's concern here.
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except (XLRDError, CompDocError, ValueError, IndexError, KeyError, AssertionError, EOFError,
            struct.error):  # fmt: skip
        # Also what a password-protected .xlsx looks like: an OLE container xlrd cannot open.
        raise ReadError(t("data.err.legacy_xls")) from None
    sheets: list[RawSheet] = []
    for sheet in book.sheets():
        if sheet.name == INSTRUCTIONS_SHEET:
            continue
        raw = RawSheet(file=name, sheet=sheet.name, hidden=sheet.visibility != 0)
        if not raw.hidden:
            for r in range(sheet.nrows):
                cells = [_xls_value(book, cell) for cell in sheet.row(r)]
                if any(c is not None for c in cells):
                    raw.rows.append((r + 1, cells))
            merges = [(rlo + 1, clo, rhi, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
            fill_merged(raw, merges)
        sheets.append(raw)
    return sheets


def _xls_value(book: Any, cell: Any) -> Any:
    """One xlrd cell as an .xlsx cell reads (dates, #N/A as CellError, `0000` as padded text)."""
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return CellError(xlrd.error_text_from_code.get(cell.value, "#N/A"))
    if kind == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        return moment.date() if cell.value == int(cell.value) else moment
    number = float(cell.value)
    if number.is_integer():
        shown = book.format_map.get(book.xf_list[cell.xf_index].format_key)
        pad = zero_padding(shown.format_str) if shown is not None else None
        if pad is not None and 0 <= number < 10**15:
            prefix, digits, suffix = pad
            return f"{prefix}{int(number):0{digits}d}{suffix}"
        return int(number)
    return number
