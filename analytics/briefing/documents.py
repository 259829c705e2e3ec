"""The briefing pack as files: Word (公文 style), PDF (Chinese font embedded, page numbers) and
Excel (one sheet per table), with charts drawn server-side by matplotlib (no browser, no web).

Pure functions from text, tables and PNG bytes to file bytes; nothing here reads the database.
The text given is the (possibly edited) narrative: its first line is the title, lines such as
"一、…" are level-1 headings, short lines such as "（一）…" are level-2 headings, the rest body.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.briefing import pdf
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import printable_all
from analytics.dataio.export import to_xlsx_bytes
from analytics.visual import output_charts, style

# Debian's fonts-wqy-microhei (TrueType collection): reportlab embeds TrueType outlines only,
# and fonts-noto-cjk ships OTF/CFF, which it cannot embed. zenhei is the second choice.
CJK_FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)

# 公文 fonts (GB/T 9704): the first name is what an office PC has; Word falls back to the
# altName recorded in the document's font table when it is missing.
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
FONT_FALLBACKS: dict[str, str] = {
    "方正小标宋简体": "宋体",
    "小标宋": "宋体",
    "宋体": "SimSun",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
    "楷体": "KaiTi",
    "仿宋_GB2312": "仿宋",
    "仿宋": "FangSong",
}

_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


FontMissing = pdf.FontMissing  # no Chinese TrueType font to draw the charts or the PDF with


def cjk_font_path() -> Path:
    """The first installed Chinese TrueType font for the charts (raises FontMissing with a
    Chinese message, also when one of the PDF's 公文 fonts is missing)."""
    missing = pdf.missing_fonts()
    if missing:
        raise FontMissing(t("forum.doc.fonts_missing", files="、".join(map(str, missing))))
    for path in CJK_FONT_CANDIDATES:
        if path.exists():
            return path
    raise FontMissing("未找到中文 TrueType 字体（文泉驿微米黑）。请运行 make fonts 安装后重试。")


@dataclass(frozen=True)
class Block:
    """One paragraph of the narrative: kind is title, h1, h2 or body."""

    kind: str
    text: str


def parse_blocks(text: str) -> list[Block]:
    """Split the narrative into blocks: first non-empty line the title, then headings and body."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not blocks:
            blocks.append(Block("title", line))
        elif _H1.match(line) and len(line) <= 30:
            blocks.append(Block("h1", line))
        elif _H2.match(line) and len(line) <= 40 and "。" not in line[:-1]:
            blocks.append(Block("h2", line))
        else:
            blocks.append(Block("body", line))
    return blocks


# ----- charts (matplotlib, drawn with the embedded-capable CJK font) -----


@dataclass(frozen=True)
class ChartImage:
    """A chart as PNG bytes with its caption."""

    caption: str
    png: bytes


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    plt.rcParams["font.family"] = [name]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["text.parse_math"] = False  # a "$…$" in a name is text, not TeX that may fail
    return plt


def _bar_png(
    labels: list[str],
    values: list[float],
    colors: list[str],
    percent: bool = False,
    horizontal: bool = False,
    reference: float | None = None,
) -> bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=150)
    positions = range(len(labels))
    if horizontal:
        bars = ax.barh(list(positions), values, color=colors)
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        if reference is not None:
            ax.axvline(reference, color="#6B7280", linestyle="--", linewidth=1)
    else:
        bars = ax.bar(list(positions), values, color=colors, width=0.6)
        ax.set_xticks(list(positions), labels)
        pad = max(0.0, (4 - len(labels)) / 2)  # one or two bars keep a normal width
        ax.set_xlim(-0.6 - pad, len(labels) - 0.4 + pad)
    texts = [fmt.pct(v, 0 if horizontal else 1) if percent else fmt.count(v) for v in values]
    ax.bar_label(bars, labels=texts, padding=2, fontsize=9)
    value_axis = ax.xaxis if horizontal else ax.yaxis
    if percent:
        value_axis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v * 100:.0f}%"))
    else:
        value_axis.set_major_locator(plt.MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.margins(x=0.12 if horizontal else 0.05, y=0.05 if horizontal else 0.15)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # long CJK labels stay whole
    plt.close(fig)
    return buffer.getvalue()


def chart_images(
    participation: pd.DataFrame,
    output: pd.DataFrame,
    awards_chart: pd.DataFrame,
    quota: pd.DataFrame,
) -> list[ChartImage]:
    """The briefing's four charts as PNGs: participation by group, output, awards, quotas."""
    participation, output, awards_chart, quota = printable_all(  # any text in the database
        (participation, output, awards_chart, quota)
    )
    images = []
    if len(participation):
        images.append(
            ChartImage(
                t("forum.chart.participation"),
                _bar_png(list(participation["study_group"]), list(participation["rate"]),
                         [style.PALETTE[0]] * len(participation),
                         percent=True),
            )
        )  # fmt: skip
    images.append(
        ChartImage(
            t("forum.chart.output"),
            _bar_png(list(output["type"]), [float(v) for v in output["reports"]],
                     [style.color_of(name, output_charts.REPORT_TYPE_COLORS, i)
                      for i, name in enumerate(output["type"])]),
        )
    )  # fmt: skip
    if len(awards_chart):
        labels = [f"{r.level}{r.prize}" for r in awards_chart.itertuples()]
        images.append(
            ChartImage(
                t("forum.chart.awards"),
                _bar_png(labels, [float(v) for v in awards_chart["awards"]],
                         [style.color_of(p, output_charts.PRIZE_COLORS, 0)
                          for p in awards_chart["prize"]]),
            )
        )  # fmt: skip
    shown = quota[quota["progress"].notna()]
    if len(shown):
        images.append(
            ChartImage(
                t("forum.chart.quota"),
                _bar_png(list(shown["label"]), [float(v) for v in shown["progress"]],
                         [style.STATUS_COLORS[s] for s in shown["status"]], percent=True,
                         horizontal=True, reference=1.0),
            )
        )  # fmt: skip
    return images


# ----- Word -----


def _font_table_with_fallbacks(blob: bytes) -> bytes:
    """Add 公文 fonts to word/fontTable.xml with their altName, so Word substitutes sensibly."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FONT_FALLBACKS.items()
    )
    text = blob.decode("utf-8")
    return text.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _set_run_fonts(element, east_asia: str, size_pt: float, bold: bool = False) -> None:
    """Set Latin and East Asian fonts on a run or a style's run properties (w:rFonts)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    element.font.name = LATIN_FONT
    element.font.size = Pt(size_pt)
    element.font.bold = bold
    rpr = element.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def docx_bytes(
    text: str,
    figures: pd.DataFrame | None = None,
    images: list[ChartImage] | None = None,
    footer: str | None = None,
    signed: dt.date | None = None,
) -> bytes:
    """The narrative as an editable Word document in 公文 style, with figures and charts after.

    Title 方正小标宋简体 二号 centred; 一、 headings 黑体 三号; （一） headings 楷体_GB2312 三号;
    body 仿宋_GB2312 三号, first line indented two characters, 28 pt line spacing; A4 with
    公文 margins; page numbers "第 N 页 / 共 M 页" in the footer; 内部资料 in the header; the
    office and date signed under the text; the figures table's bold header row repeats on every
    page; title, author and subject in the file's properties.
    """
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    text, figures, images, footer = printable_all((text, figures, images, footer))  # XML-safe
    doc = Document()
    for part in doc.part.package.iter_parts():
        if str(part.partname).endswith("/fontTable.xml"):
            part._blob = _font_table_with_fallbacks(part.blob)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    styles = doc.styles
    normal = styles["Normal"]
    _set_run_fonts(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, font, size in (("Title", TITLE_FONT, 22), ("Heading 1", H1_FONT, 16),
                             ("Heading 2", H2_FONT, 16)):  # fmt: skip
        style = styles[name]
        _set_run_fonts(style, font, size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = Pt(28)
        style.paragraph_format.first_line_indent = Pt(0 if name == "Title" else 32)
        # The template draws a rule under Title; a 公文 title has none.
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"
        ):
            ppr.remove(border)
    body_style = styles.add_style("公文正文", WD_STYLE_TYPE.PARAGRAPH)
    body_style.base_style = normal
    body_style.paragraph_format.first_line_indent = Pt(32)
    body_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    blocks = parse_blocks(text)
    props = doc.core_properties
    props.title = blocks[0].text if blocks else ""
    props.author = props.last_modified_by = t("forum.doc.office")
    props.subject = t("forum.doc.subject")
    props.comments = t("forum.doc.internal")
    mark = section.header.paragraphs[0]
    _set_run_fonts(mark.add_run(t("forum.doc.internal")), H1_FONT, 14)

    for block in blocks:
        if block.kind == "title":
            p = doc.add_paragraph(block.text, style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(28)
        elif block.kind == "h1":
            doc.add_paragraph(block.text, style="Heading 1")
        elif block.kind == "h2":
            doc.add_paragraph(block.text, style="Heading 2")
        else:
            doc.add_paragraph(block.text, style="公文正文")

    for line in (t("forum.doc.office"), signed and fmt.date(signed)):
        if line:  # 落款: office and date, right-aligned under the text
            p = doc.add_paragraph(line, style="公文正文")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.right_indent = Pt(32)

    if figures is not None and len(figures):
        doc.add_paragraph(t("forum.doc.figures"), style="Heading 1")
        table = doc.add_table(rows=1, cols=len(figures.columns))
        _repeat_header(table.rows[0])
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, figures.columns, strict=True):
            cell.text = str(name)
        for row in figures.itertuples(index=False):
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
        for i, row in enumerate(table.rows):
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        _set_run_fonts(run, H1_FONT if i == 0 else BODY_FONT, 12, bold=i == 0)
    if images:
        doc.add_paragraph(t("forum.doc.charts"), style="Heading 1")
        for image in images:
            doc.add_picture(io.BytesIO(image.png), width=Cm(15.5))
            caption = doc.add_paragraph(image.caption)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer:
        doc.add_paragraph(footer, style="公文正文")
    _page_number_footer(section)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _repeat_header(row) -> None:
    """Mark a table row as its header (w:tblHeader): Word repeats it on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _page_number_footer(section) -> None:
    """Footer "第 N 页 / 共 M 页" from PAGE and NUMPAGES fields (Word fills them in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    template = t("forum.doc.page", n="\0PAGE\0", total="\0NUMPAGES\0")
    for piece in template.split("\0"):
        if piece in ("PAGE", "NUMPAGES"):
            # begin · instruction · separate · cached result · end: Word and LibreOffice
            # recompute the result; a reader that does not still sees a number.
            for kind in ("begin", "instr", "separate", "result", "end"):
                run = paragraph.add_run()
                _set_run_fonts(run, BODY_FONT, 14)
                if kind == "instr":
                    node = OxmlElement("w:instrText")
                    node.set(qn("xml:space"), "preserve")
                    node.text = f" {piece} "
                    run._r.append(node)
                elif kind == "result":
                    run.text = "1"
                else:
                    node = OxmlElement("w:fldChar")
                    node.set(qn("w:fldCharType"), kind)
                    run._r.append(node)
        elif piece:
            _set_run_fonts(paragraph.add_run(piece), BODY_FONT, 14)


# ----- PDF (analytics.briefing.pdf) -----


def pdf_bytes(
    text: str,
    figures: pd.DataFrame | None = None,
    images: list[ChartImage] | None = None,
    footer: str | None = None,
    signed: dt.date | None = None,
) -> bytes:
    """The narrative as a 公文-style PDF (see analytics.briefing.pdf), signed by the office."""
    text, figures, images, footer = printable_all((text, figures, images, footer))
    blocks = [(b.kind, b.text) for b in parse_blocks(text)]
    return pdf.pdf_bytes(
        blocks, figures, [(i.caption, i.png) for i in images or []], footer,
        office=t("forum.doc.office"), signed=signed, title=blocks[0][1] if blocks else "",
    )  # fmt: skip


def workbook_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The briefing's tables as a reader opens them in Excel: no code columns (指标代码), units
    and statuses in words, each key figure typed by its own unit, and without the narrative's
    internal data sheet (its items are code names, not headings a reader knows)."""
    return {
        name: reader_table(frame)
        for name, frame in tables.items()
        if name != t("forum.sheet.facts")
    }


def reader_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One briefing table for a reader's download: the code column (指标代码) dropped, units
    in words, and each row typed by its unit (frame.attrs["row_units"], see to_xlsx_bytes)."""
    unit_col, key_col = t("forum.col.unit"), t("forum.col.key")
    frame = frame.drop(columns=[c for c in (key_col,) if c in frame.columns])
    if unit_col in frame.columns:
        units = list(frame[unit_col])
        frame = frame.assign(**{unit_col: [t(f"common.unit.{u}") for u in units]})
        frame.attrs["row_units"] = units
    return frame


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """Every table behind the briefing, one sheet each, typed (analytics.dataio.export)."""
    return to_xlsx_bytes(workbook_tables(printable_all(tables)))
