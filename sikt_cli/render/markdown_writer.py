"""Blocks → Markdown (`--format md`): headings, lists and pipe tables, text escaped.

Images become their text alternative in italics: Markdown to a terminal or a wiki has no
chart, but the reader still gets what it shows.
"""

from __future__ import annotations

import re

from sikt_cli.render.document_blocks import (
    Block,
    BulletList,
    Document,
    Heading,
    Image,
    KeyValue,
    Paragraph,
    Runs,
    Table,
    safe_link,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def escape(value: str) -> str:
    """Markdown's special characters escaped; a line start that would make a list or a
    heading is escaped too."""
    out = _SPECIAL.sub(r"\\\1", value.replace("\n", " "))
    return re.sub(r"^([+-]|\d+\.)(\s)", r"\\\1\2", out)


def runs_md(runs: Runs) -> str:
    out = []
    for run in runs:
        piece = escape(run.text)
        if run.bold:
            piece = f"**{piece}**"
        if run.italic:
            piece = f"*{piece}*"
        link = safe_link(run.link)
        if link:
            piece = f"[{piece}](<{link.replace('>', '%3E')}>)"
        out.append(piece)
    return "".join(out)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * (block.level + 1) + " " + escape(block.text)
    if isinstance(block, Paragraph):
        return runs_md(block.runs)
    if isinstance(block, BulletList):
        return "\n".join(f"- {runs_md(item)}" for item in block.items)
    if isinstance(block, KeyValue):
        return "\n".join(f"- **{escape(k)}:** {runs_md(v)}" for k, v in block.rows)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return f"*Diagram: {escape(block.alt)}*"
    return ""


def _table(block: Table) -> str:
    lines = ["| " + " | ".join(escape(h) for h in block.header) + " |"]
    lines.append("|" + "|".join("---" for _ in block.header) + "|")
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows]
    if block.caption:
        lines.insert(0, f"*{escape(block.caption)}*\n")
    return "\n".join(lines)


def to_markdown(document: Document) -> str:
    parts = ["# " + escape(document.title)]
    parts += [out for block in document.blocks if (out := _block(block))]
    return "\n\n".join(parts) + "\n"
