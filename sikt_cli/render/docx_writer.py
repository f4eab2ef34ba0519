"""Blocks → Word (.docx) bytes with python-docx, for Word-based diaries (diarium).

Headings use Word's own "Heading 1–3" styles (the title "Title"), so the navigation pane
and a table of contents work; lists use "List Bullet"; tables are real Word tables with a
repeated header row; every picture carries its alt text in `wp:docPr/@descr`, which is what
Word shows under "Alternativ text". The document's language is set on the default style, so
Word checks Swedish spelling.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

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

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def to_docx(document: Document) -> bytes:
    """The document as .docx bytes."""
    import docx

    word: Any = docx.Document()
    _properties(word, document)
    word.add_heading(document.title, 0)
    for block in document.blocks:
        _block(word, block)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _properties(word: Any, document: Document) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    meta = document.metadata
    props = word.core_properties
    props.title = document.title
    props.author = meta.author
    props.last_modified_by = meta.author
    props.subject = meta.subject
    props.keywords = ", ".join(meta.keywords)
    props.language = language_tag(document.lang)
    created = meta.created or _EPOCH
    props.created = props.modified = created
    props.revision = 1
    rpr = word.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language_tag(document.lang))
    rpr.append(lang)


def _block(word: Any, block: Block) -> None:
    if isinstance(block, Heading):
        word.add_heading(block.text, block.level)
    elif isinstance(block, Paragraph):
        _runs(word.add_paragraph(), block.runs)
    elif isinstance(block, BulletList):
        for item in block.items:
            _runs(word.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, KeyValue):
        for key, value in block.rows:
            paragraph = word.add_paragraph()
            paragraph.add_run(f"{key}: ").bold = True
            _runs(paragraph, value)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, Image):
        _image(word, block)
    else:
        assert isinstance(block, PageBreak)
        word.add_page_break()


def _runs(paragraph: Any, runs: Runs) -> None:
    for run in runs:
        link = safe_link(run.link)
        if link:
            _hyperlink(paragraph, run.text, link, bold=run.bold, italic=run.italic)
            continue
        added = paragraph.add_run(run.text)
        added.bold = run.bold or None
        added.italic = run.italic or None


def _hyperlink(paragraph: Any, value: str, url: str, *, bold: bool, italic: bool) -> None:
    """python-docx has no hyperlink API: a w:hyperlink with an external relationship."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    rel_id = paragraph.part.relate_to(url, _HYPERLINK_REL, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    for on, tag in ((bold, "w:b"), (italic, "w:i")):
        if on:
            rpr.append(OxmlElement(tag))
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = value
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _table(word: Any, block: Table) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    if block.caption:
        word.add_paragraph(block.caption, style="Caption")
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, value in zip(header.cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(value).bold = True
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    header._tr.get_or_add_trPr().append(repeat)
    repeat.set(qn("w:val"), "true")
    for row in block.rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def _image(word: Any, block: Image) -> None:
    from docx.shared import Mm

    shape = word.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", block.alt)
    doc_pr.set("title", block.alt)
