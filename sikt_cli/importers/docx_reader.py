"""A Word document (.docx) → blocks, by its Word styles, with python-docx.

python-docx reads the document's own structure: paragraph styles ("Heading 2", "Rubrik 2",
"List Number"), numbering, bold runs, line breaks and tables, so a heading is a heading
because Word says so, not because of how its text looks. The zip is inspected before
python-docx opens it, so a zip bomb or a zip of something else is a message, not a hang.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from sikt_cli.importers.blocks import Block
from sikt_cli.importers.problems import ImportFailed

MAX_UNPACKED = 200 * 1024 * 1024  # a real minutes document unpacks to a few MB
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.I)
_TITLE_STYLES = ("title", "rubrik", "titel")


def docx_blocks(data: bytes, name: str) -> list[Block]:
    _check_package(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        return _walk(document)
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise ImportFailed(
            f"{name} kan inte läsas som Word-dokument: paketet är skadat.",
            "Öppna filen i Word och spara den på nytt som .docx.",
        ) from exc


def _check_package(data: bytes, name: str) -> None:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFailed(
            f"{name} är krypterad (lösenordsskyddad) eller ett gammalt Word-dokument (.doc).",
            "Öppna filen i Word, ta bort lösenordet (Arkiv → Info → Skydda dokument) "
            "och spara som .docx.",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(
            f"{name} är inte ett Word-dokument (inget giltigt .docx-paket).",
            "Kontrollera filen; spara den från Word som .docx.",
        ) from exc
    if "word/document.xml" not in names:
        raise ImportFailed(
            f"{name} är ett zip-arkiv men inget Word-dokument (word/document.xml saknas).",
            "Ange ett Word-dokument (.docx).",
        )
    if unpacked > MAX_UNPACKED:
        raise ImportFailed(
            f"{name} packas upp till mer än {MAX_UNPACKED // 2**20} MB och läses inte.",
            "Dela upp dokumentet eller ta bort stora bilder.",
        )


def _walk(document: Any) -> list[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[Block] = []
    counters: dict[str, int] = {}
    for child in document.iter_inner_content():
        if isinstance(child, Table):
            rows = [[" ".join(c.text.split()) for c in row.cells] for row in child.rows]
            out.append(Block("table", [" | ".join(r) for r in rows], rows=rows))
        elif isinstance(child, Paragraph):
            block = _paragraph(child, counters)
            if block is not None:
                out.append(block)
    return out


def _paragraph(p: Any, counters: dict[str, int]) -> Block | None:
    text = p.text.replace("\t", " ")
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None
    style = (p.style.name if p.style is not None else "") or ""
    m = _HEADING_STYLE.match(style.strip())
    if m:
        return Block("heading", [" ".join(lines)], level=int(m.group(1)))
    if style.strip().lower() in _TITLE_STYLES:
        return Block("heading", [" ".join(lines)], level=1)
    runs = [r for r in p.runs if r.text.strip()]
    bold = bool(runs) and all(_is_bold(r, p) for r in runs)
    numbered = _numbering(p)
    if numbered is not None:
        counters[numbered] = counters.get(numbered, 0) + 1
        return Block("item", lines, number=counters[numbered], bold=bold)
    if style.lower().startswith(("list bullet", "punktlista")):
        return Block("item", lines)
    return Block("para", lines, bold=bold and len(lines) == 1)


def _is_bold(run: Any, p: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    return bool(p.style is not None and p.style.font.bold)


def _numbering(p: Any) -> str | None:
    """The list a numbered paragraph belongs to ("List Number" style or Word numbering)."""
    ppr = p._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is not None and num_pr.numId is not None:
        return f"num{num_pr.numId.val}"
    style = (p.style.name if p.style is not None else "") or ""
    if style.lower().startswith(("list number", "numrerad lista")):
        return style
    return None
