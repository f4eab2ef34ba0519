"""Blocks → PDF bytes with fpdf2, as PDF/A-2b, in the bundled DejaVu Sans.

fpdf2's built-in fonts are Latin-1 only ("–", "…", "≥" would fail), so the package ships
DejaVu Sans regular and bold (`render/fonts/`, Bitstream Vera licence, see
LICENSE-DejaVu.txt) and embeds them. Italic runs are set upright: no oblique face is shipped.

`enforce_compliance=PDF/A-2B` makes fpdf2 write the XMP metadata with pdfaid part 2
conformance B, an sRGB output intent, and refuse what PDF/A forbids (unembedded fonts,
encryption). Headings become the PDF's outline (bookmarks); the document's language and
title are set, and a footer numbers the pages ("Sida 1 av 3").
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sikt_cli.render.document_blocks import (
    Block,
    BulletList,
    Document,
    Heading,
    Image,
    KeyValue,
    PageBreak,
    Paragraph,
    Runs,
    Table,
    language_tag,
    safe_link,
)

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
BODY_PT = 10.5
LINE_MM = 5.2
_HEADING_PT = {0: 17.0, 1: 14.0, 2: 12.0, 3: 11.0}
# a fixed date when the document has none, so the same document gives the same bytes
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def to_pdf(document: Document) -> bytes:
    """The document as PDF/A-2b bytes."""
    pdf = _new_pdf(document)
    pdf.add_page()
    _title(pdf, document.title)
    outline = _Outline()
    for block in document.blocks:
        _block(pdf, block, outline)
    return bytes(pdf.output())


def _new_pdf(document: Document) -> FPDF:
    from fpdf import FPDF

    class _Pages(FPDF):
        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(FAMILY, "", 8.5)
            self.cell(0, 6, f"Sida {self.page_no()} av {{nb}}", align="C")

    pdf = _Pages(format="A4", unit="mm", enforce_compliance="PDF/A-2B")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FAMILY, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.add_font(FAMILY, "BI", str(FONT_DIR / "DejaVuSans-BoldOblique.ttf"))
    meta = document.metadata
    pdf.set_title(document.title)
    pdf.set_lang(language_tag(document.lang))
    pdf.set_creator("sikt")
    if meta.author:
        pdf.set_author(meta.author)
    if meta.subject:
        pdf.set_subject(meta.subject)
    if meta.keywords:
        pdf.set_keywords(", ".join(meta.keywords))
    created = meta.created or _EPOCH
    pdf.set_creation_date(created if created.tzinfo else created.replace(tzinfo=dt.UTC))
    return pdf


class _Outline:
    """fpdf2's outline refuses a jump of more than one level (a level 3 right under the
    title): clamp each heading to one below the previous."""

    def __init__(self) -> None:
        self.level = 0

    def next(self, level: int) -> int:
        self.level = min(level, self.level + 1)
        return self.level


def _title(pdf: FPDF, title: str) -> None:
    pdf.start_section(title, 0)
    pdf.set_font(FAMILY, "B", _HEADING_PT[0])
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _block(pdf: FPDF, block: Block, outline: _Outline) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block, outline)
    elif isinstance(block, Paragraph):
        _runs(pdf, block.runs)
        pdf.ln(LINE_MM + 2)
    elif isinstance(block, BulletList):
        _bullets(pdf, block)
    elif isinstance(block, KeyValue):
        _key_value(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Image):
        pdf.image(io.BytesIO(block.png), w=min(block.width_mm, pdf.epw), alt_text=block.alt)
        pdf.ln(3)
    else:
        assert isinstance(block, PageBreak)
        pdf.add_page()


def _heading(pdf: FPDF, block: Heading, outline: _Outline) -> None:
    size = _HEADING_PT[block.level]
    if pdf.will_page_break(size * 0.35 + 3 * LINE_MM):
        pdf.add_page()  # never a heading alone at the foot of a page
    pdf.ln(2)
    pdf.start_section(block.text, outline.next(block.level))
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, size * 0.5, block.text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _runs(pdf: FPDF, runs: Runs) -> None:
    for run in runs:
        pdf.set_font(FAMILY, ("B" if run.bold else "") + ("I" if run.italic else ""), BODY_PT)
        # fpdf2 breaks the first word of a write() inside the word when it does not fit
        # the rest of the line (a link after "film: " became "https://media poolen.se")
        first = run.text.split(" ", 1)[0]
        room = pdf.w - pdf.r_margin - pdf.get_x()
        if first and pdf.get_x() > pdf.l_margin + 0.1 and pdf.get_string_width(first) > room:
            pdf.ln(LINE_MM)
        link = safe_link(run.link)
        kwargs: dict[str, Any] = {"link": link} if link else {}
        pdf.write(LINE_MM, run.text, **kwargs)


def _bullets(pdf: FPDF, block: BulletList) -> None:
    left = pdf.l_margin
    for item in block.items:
        pdf.set_x(left)
        pdf.set_font(FAMILY, "", BODY_PT)
        pdf.write(LINE_MM, "•")
        pdf.set_left_margin(left + 5)
        pdf.set_x(left + 5)
        _runs(pdf, item)
        pdf.set_left_margin(left)
        pdf.ln(LINE_MM + 0.8)
    pdf.ln(1.5)


def _key_value(pdf: FPDF, block: KeyValue) -> None:
    pdf.set_font(FAMILY, "B", BODY_PT)
    width = max((pdf.get_string_width(key + ":") for key, _ in block.rows), default=0) + 4
    left = pdf.l_margin
    for key, value in block.rows:
        pdf.set_font(FAMILY, "B", BODY_PT)
        pdf.cell(width, LINE_MM, key + ":")
        pdf.set_left_margin(left + width)
        _runs(pdf, value)
        pdf.set_left_margin(left)
        pdf.ln(LINE_MM + 0.8)
    pdf.ln(2)


def _table(pdf: FPDF, block: Table) -> None:
    from fpdf.fonts import FontFace

    if block.caption:
        pdf.set_font(FAMILY, "B", BODY_PT)
        pdf.multi_cell(0, LINE_MM, block.caption, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.set_font(FAMILY, "", BODY_PT - 1)
    with pdf.table(
        headings_style=FontFace(emphasis="BOLD"),
        text_align="LEFT",
        line_height=LINE_MM,
        padding=1.2,
    ) as table:
        for row in (block.header, *block.rows):
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.ln(3)
