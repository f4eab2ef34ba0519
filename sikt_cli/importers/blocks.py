"""The one shape every source is read into: a list of blocks in document order.

A Word document and a Markdown file look alike once read: headings with a level,
paragraphs with their lines (hard breaks kept), list items (numbered or not) and table
rows. Everything the importer recognises works on blocks, never on the source format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

_BOLD = re.compile(r"^\*\*(.+)\*\*:?$|^__(.+)__:?$")
_HARD_BREAK = re.compile(r"(?:  +|\\)$")


@dataclass(slots=True)
class Block:
    kind: str  # "heading", "para", "item" (list item), "table"
    lines: list[str]  # the text, one entry per source line (hard breaks kept)
    level: int = 0  # heading level
    number: int | None = None  # the number of a numbered list item
    bold: bool = False  # the whole paragraph is bold (a heading in many templates)
    rows: list[list[str]] = field(default_factory=list)  # table cells

    @property
    def text(self) -> str:
        return " ".join(clean(line) for line in self.lines).strip()


def clean(line: str) -> str:
    """A line without its hard break and without emphasis markers around all of it."""
    line = _HARD_BREAK.sub("", line.rstrip("\n")).strip()
    m = _BOLD.match(line)
    return (m.group(1) or m.group(2)).strip() if m else line


def plain(text: str) -> str:
    """Text without Markdown emphasis, for recognising (the body keeps the original)."""
    return re.sub(r"\*\*|__", "", text).strip()


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown (or plain text) source, from markdown-it's block tokens."""
    tokens = _parser().parse(text)
    lines = text.split("\n")
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != 0 or tok.nesting == -1:
            i += 1
            continue
        if tok.type == "heading_open":
            out.append(Block("heading", [tokens[i + 1].content.strip()], level=int(tok.tag[1:])))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            i = _list_items(tokens, i, lines, out)
            continue
        elif tok.type == "table_open":
            i = _table(tokens, i, out)
            continue
        elif tok.map and tok.type != "hr":
            raw = lines[tok.map[0] : tok.map[1]]
            raw = [r for r in raw if r.strip()]
            if raw:
                bold = len(raw) == 1 and bool(_BOLD.match(raw[0].strip()))
                out.append(Block("para", raw, bold=bold))
        i += 1
    return out


def _list_items(tokens: list[Any], i: int, lines: list[str], out: list[Block]) -> int:
    ordered = tokens[i].type == "ordered_list_open"
    depth = 0
    while i < len(tokens):
        tok = tokens[i]
        depth += (
            tok.nesting
            if tok.type.endswith("_list_open") or tok.type.endswith("_list_close")
            else 0
        )
        if tok.type == "list_item_open" and tok.level == 1 and tok.map:
            raw = [r for r in lines[tok.map[0] : tok.map[1]] if r.strip()]
            first = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s?", "", raw[0]) if raw else ""
            number = int(tok.info) if ordered and tok.info.isdigit() else None
            out.append(Block("item", [first, *raw[1:]], number=number))
        i += 1
        if depth == 0:
            return i
    return i


def _table(tokens: list[Any], i: int, out: list[Block]) -> int:
    rows: list[list[str]] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        if tokens[i].type == "tr_open":
            rows.append([])
        elif tokens[i].type == "inline" and rows:
            rows[-1].append(tokens[i].content.strip())
        i += 1
    out.append(Block("table", [" | ".join(r) for r in rows], rows=rows))
    return i + 1
