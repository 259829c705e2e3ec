"""The briefing as a PDF in 公文 style (GB/T 9704 page, fonts, Chinese line breaking).

reportlab, not WeasyPrint: reportlab is already pinned, pure Python and fast, and needs no
system Pango; what WeasyPrint would add (CJK line-breaking rules, justified CJK text, repeated
table headers, OTF fonts) is either small code here (CJKParagraph) or built in (Table
repeatRows). reportlab embeds TrueType outlines only, so the fonts are Debian's TrueType ones:

    正文 仿宋_GB2312 → AR PL UMing CN (明体/宋体 serif; Debian has no free 仿宋)  fonts-arphic-uming
    标题 小标宋     → AR PL UMing CN, drawn with a hairline stroke (synthetic bold)
    一级标题 黑体   → WenQuanYi Micro Hei                                      fonts-wqy-microhei
    二级标题 楷体   → AR PL UKai CN                                            fonts-arphic-ukai

Pure function from text, tables and PNG bytes to bytes; nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.common import fmt
from analytics.common.labels import t

SONG = ("GongwenSong", Path("/usr/share/fonts/truetype/arphic/uming.ttc"))
HEI = ("GongwenHei", Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
KAI = ("GongwenKai", Path("/usr/share/fonts/truetype/arphic/ukai.ttc"))
PDF_FONTS = (SONG, HEI, KAI)

# Chinese line-breaking rules (GB/T 15834 practice, as in Word's 中文版式): these never begin
# a line, and these never end one.
CANNOT_START = set("，。、；：？！）》」』】〕〉”’…—·%％‰")
CANNOT_END = set("（《「『【〔〈“‘")
# Runs that must not break inside: Latin words, numbers with their decimal point, sign or %.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/%+\-]*|\s+|.", re.S)

MM = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM
# GB/T 9704: 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM


class FontMissing(RuntimeError):
    """A 公文 stand-in font is not installed (run make fonts)."""


def missing_fonts() -> list[Path]:
    """The PDF fonts that are not installed (empty when the PDF can be built)."""
    return [path for _, path in PDF_FONTS if not path.exists()]


def _register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    missing = missing_fonts()
    if missing:
        raise FontMissing(t("forum.doc.fonts_missing", files="、".join(map(str, missing))))
    for name, path in PDF_FONTS:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))


def break_lines(text: str, font: str, size: float, width: float, indent: float = 0) -> list[str]:
    """Greedy line breaking by glyph width with the Chinese rules above: a mark that may not
    start a line takes the previous character down with it, an opening mark that may not end
    a line moves down; numbers and Latin words stay whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    tokens = _TOKEN.findall(text)
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in tokens:
        w = stringWidth(token, font, size)
        line = lines[-1]
        limit = width - (indent if len(lines) == 1 else 0)
        if line and used + w > limit + 0.01:
            if token.isspace():
                lines.append([])
                used = 0.0
                continue
            carry: list[str] = []
            if token in CANNOT_START:  # take the previous character (and its marks) down
                while len(line) > 1 and line[-1] in CANNOT_START:
                    carry.insert(0, line.pop())
                if len(line) > 1:
                    carry.insert(0, line.pop())
            while len(line) > 1 and line[-1] in CANNOT_END:
                carry.insert(0, line.pop())
            lines.append(carry)
            line = carry
            used = sum(stringWidth(c, font, size) for c in carry)
        line.append(token)
        used += w
    return [text for line in lines if (text := "".join(line).strip())]


@dataclass
class _Style:
    font: str
    size: float
    leading: float
    indent_chars: float = 0
    align: str = "justify"  # justify, left, center, right
    bold: bool = False
    space_before: float = 0
    space_after: float = 0


def _flowable_class():
    from reportlab.platypus import Flowable

    class CJKParagraph(Flowable):
        """A paragraph broken by break_lines and drawn justified (character spacing spread
        evenly, last line flush left), centred or right-aligned; splits across pages."""

        def __init__(self, text: str, style: _Style, first: bool = True,
                     lines: list[str] | None = None, ends: bool = True) -> None:  # fmt: skip
            super().__init__()
            self.text, self.style, self.first, self.ends = text, style, first, ends
            self.fixed = lines is not None  # the tail of a split keeps its lines
            self.lines: list[str] = lines or []

        def _indent(self) -> float:
            return self.style.indent_chars * self.style.size if self.first else 0

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            s = self.style
            self.width = avail_width
            if not self.fixed:
                self.lines = break_lines(self.text, s.font, s.size, avail_width, self._indent())
            self.height = len(self.lines) * s.leading
            return avail_width, self.height

        def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
            return self.style.space_before if self.first else 0

        def getSpaceAfter(self) -> float:  # noqa: N802
            return self.style.space_after

        def split(self, avail_width: float, avail_height: float) -> list:
            self.wrap(avail_width, avail_height)
            fit = int(avail_height // self.style.leading)
            if fit >= len(self.lines):
                return [self]
            if fit < 2 or len(self.lines) - fit < 2:  # no widow or orphan line
                fit = min(fit, len(self.lines) - 2)
                if fit < 2:
                    return []
            return [
                CJKParagraph("", self.style, self.first, self.lines[:fit], ends=False),
                CJKParagraph("", self.style, False, self.lines[fit:]),
            ]

        def draw(self) -> None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            s, c = self.style, self.canv
            for i, line in enumerate(self.lines):
                y = self.height - (i + 1) * s.leading + (s.leading - s.size) * 0.6
                x = self._indent() if i == 0 else 0
                natural = stringWidth(line, s.font, s.size)
                room = self.width - x - natural
                text = c.beginText()
                text.setFont(s.font, s.size)
                if s.bold:
                    text.setTextRenderMode(2)  # fill + a hairline stroke: a bolder 小标宋
                    c.setLineWidth(s.size / 40)
                spacing = 0.0
                if s.align == "center":
                    x += room / 2
                elif s.align == "right":
                    x += room
                elif (
                    s.align == "justify"
                    and len(line) > 1
                    and (i < len(self.lines) - 1 or not self.ends)
                ):
                    spacing = max(0.0, room / (len(line) - 1))
                text.setCharSpace(spacing)
                text.setTextOrigin(x, y)
                text.textOut(line)
                c.drawText(text)

    return CJKParagraph


def _styles() -> dict[str, _Style]:
    song, hei, kai = SONG[0], HEI[0], KAI[0]
    return {
        "title": _Style(song, 22, 34, align="center", bold=True, space_after=18),
        "h1": _Style(hei, 16, 28, indent_chars=2, align="left"),
        "h2": _Style(kai, 16, 28, indent_chars=2, align="left"),
        "body": _Style(song, 16, 28, indent_chars=2),
        "cell": _Style(song, 10.5, 15, align="left"),
        "head": _Style(hei, 10.5, 15, align="center", bold=True),
        "caption": _Style(kai, 10.5, 15, align="center"),
        "signoff": _Style(song, 16, 28, align="right"),
        "note": _Style(kai, 12, 20, align="left"),
    }


def pdf_bytes(
    blocks: list[tuple[str, str]],
    figures: pd.DataFrame | None = None,
    images: list[tuple[str, bytes]] | None = None,
    footer: str | None = None,
    office: str | None = None,
    signed: dt.date | None = None,
    title: str = "",
) -> bytes:
    """The narrative (kind, text blocks) as a 公文-style PDF: justified text with Chinese line
    breaking, a key-figures table whose bold header repeats on every page, charts two to a
    row, the office and date signed at the end, 内部资料 on every page, "第 N 页 / 共 M 页"."""
    from reportlab.lib import colors
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import CondPageBreak, Image, SimpleDocTemplate, Spacer, Table
    from reportlab.platypus import TableStyle as RLTableStyle

    _register()
    CJKParagraph = _flowable_class()  # noqa: N806 (a class)
    styles = _styles()
    width = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT

    def para(text: str, style: str) -> object:
        return CJKParagraph(text, styles[style])

    story: list = [para(text, kind) for kind, text in blocks]
    if office or signed:
        story.append(Spacer(1, 28))
        story += [para(line, "signoff") for line in (office, signed and fmt.date(signed)) if line]
    if figures is not None and len(figures):
        story += [CondPageBreak(120), Spacer(1, 14), para(t("forum.doc.figures"), "h1")]
        data = [[para(str(c), "head") for c in figures.columns]]
        data += [
            [para(fmt.PLACEHOLDER if pd.isna(v) else str(v), "cell") for v in row]
            for row in figures.itertuples(index=False)
        ]
        n = len(figures.columns)
        table = Table(data, colWidths=[width * 0.34] + [width * 0.66 / (n - 1)] * (n - 1),
                      repeatRows=1)  # fmt: skip
        table.setStyle(
            RLTableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), SONG[0]),  # else reportlab sets Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6B7280")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E5E7EB")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story.append(table)
    if images:
        story += [CondPageBreak(160), Spacer(1, 14), para(t("forum.doc.charts"), "h1")]
        cell_w = width / 2 - 6
        cells = []
        for caption, png in images:
            pixels_w, pixels_h = ImageReader(io.BytesIO(png)).getSize()
            picture = Image(io.BytesIO(png), width=cell_w, height=cell_w * pixels_h / pixels_w)
            cells.append([picture, para(caption, "caption")])
        rows = [cells[i : i + 2] + [[Spacer(1, 1)]] * (2 - len(cells[i : i + 2]))
                for i in range(0, len(cells), 2)]  # fmt: skip
        grid = Table(rows, colWidths=[width / 2] * 2)
        grid.setStyle(
            RLTableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SONG[0])]
            )
        )
        story.append(grid)
    if footer:
        story += [Spacer(1, 12), para(footer, "note")]

    class NumberedCanvas(rl_canvas.Canvas):
        """Holds every page until the end so each can say how many pages there are."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFillColor(colors.black)
                self.setFont(HEI[0], 14)
                self.drawString(MARGIN_LEFT, PAGE_H - 22 * MM, t("forum.doc.internal"))
                self.setFont(SONG[0], 12)
                self.drawCentredString(
                    PAGE_W / 2, 20 * MM, t("forum.doc.page", n=self._pageNumber, total=total)
                )
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title,
        author=office or t("app.title"), subject=t("forum.doc.subject"),
        creator=t("app.title"), initialFontName=SONG[0],
    )  # fmt: skip
    document.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
