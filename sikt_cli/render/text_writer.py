"""Blocks → plain text (the text/plain part of a mail): no Markdown, no escapes, no markup.

Lines are wrapped at 76 characters, list items with a hanging indent, so the text reads the
same in a terminal, a plain-text mail reader and a quoted reply. A link whose text differs
from its address is written "text (adress)".
"""

from __future__ import annotations

import textwrap

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
    safe_link,
)

WIDTH = 76
_UNDERLINE = {1: "─"}  # the title is underlined "═"; level 2 and 3 stand alone


def to_text(document: Document) -> str:
    """The whole document: the title, then the blocks separated by blank lines."""
    parts = [_heading(document.title, "═")]
    parts += [out for block in document.blocks if (out := _block(block))]
    return "\n\n".join(parts) + "\n"


def runs_text(runs: Runs) -> str:
    """The runs as plain text; a link shown with its address."""
    out = []
    for run in runs:
        link = safe_link(run.link)
        if link and link.removeprefix("mailto:") != run.text.strip():
            out.append(f"{run.text} ({link.removeprefix('mailto:')})")
        else:
            out.append(run.text)
    return "".join(out)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return _heading(block.text, _UNDERLINE.get(block.level))
    if isinstance(block, Paragraph):
        return _wrap(runs_text(block.runs))
    if isinstance(block, BulletList):
        return "\n".join(_wrap(runs_text(item), "• ", "  ") for item in block.items)
    if isinstance(block, KeyValue):
        return _key_value(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return _wrap(f"Bild: {block.alt}")
    assert isinstance(block, PageBreak)
    return ""


def _heading(value: str, underline: str | None) -> str:
    return f"{value}\n{underline * len(value)}" if underline else value


def _wrap(value: str, first: str = "", rest: str = "") -> str:
    lines = []
    for i, line in enumerate(value.split("\n")):
        lines += textwrap.wrap(
            line,
            WIDTH,
            initial_indent=first if i == 0 else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [rest.rstrip()]
    return "\n".join(lines)


def _key_value(block: KeyValue) -> str:
    width = max((len(key) for key, _ in block.rows), default=0) + 2
    return "\n".join(
        _wrap(runs_text(value), f"{key}:".ljust(width), " " * width) for key, value in block.rows
    )


def _table(block: Table) -> str:
    rows = [block.header, *block.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(block.header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()

    out = [block.caption] if block.caption else []
    out += [line(block.header), "  ".join("─" * w for w in widths)]
    out += [line(row) for row in block.rows]
    return "\n".join(out)
