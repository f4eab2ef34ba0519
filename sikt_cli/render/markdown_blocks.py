"""A protokoll's Markdown body → document blocks, through markdown-it tokens.

What a reader outside the terminal must never see is gone here, in one place: the
checkbox of a task item (the caller renders uppdrag and follow-ups itself, by file line),
Markdown escapes and emphasis marks (they become runs), HTML comments (commented-out
lines), raw HTML markup (shown as its text), images (their alt text: nothing is loaded).
Each block is paired with the agenda number of the `## N.` section it stands in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sikt_cli.render.document_blocks import (
    Block,
    BulletList,
    Heading,
    Paragraph,
    Run,
    Runs,
    Table,
    joined,
)

# (file line of a list item, its own runs) → the runs to show instead (an uppdrag, a
# follow-up), or None: the item is shown as written, without a checkbox
TaskRuns = Callable[[int, Runs], Runs | None]
# a text run's words → the words people read (e.g. @member-id → the member's name)
TextFilter = Callable[[str], str]
# file line of a list item → its anchor on a web page ("" for none)
ItemAnchor = Callable[[int], str]

_HEADING_NR = re.compile(r"^(\d+)\.(?:\s+|$)")
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md: Any = MarkdownIt("commonmark").enable("table")
    # an autolink's text as written: markdown-it decodes it ('%20' → ' ', punycode → Unicode),
    # and a text that differs from where the link goes is how a link is disguised
    md.normalizeLinkText = lambda url: url
    return md


@dataclass(slots=True)
class _Walk:
    tokens: list[Any]
    first_line: int
    task_runs: TaskRuns
    words: TextFilter
    anchor: ItemAnchor
    section: int | None = None
    out: list[tuple[int | None, Block]] = field(default_factory=list)

    def emit(self, block: Block) -> None:
        self.out.append((self.section, block))


def _no_anchor(_line: int) -> str:
    return ""


def body_blocks(
    text: str,
    first_line: int,
    task_runs: TaskRuns,
    words: TextFilter = str,
    anchor: ItemAnchor = _no_anchor,
) -> list[tuple[int | None, Block]]:
    """The body's blocks, each with its section's agenda number (None before the first
    numbered heading). `first_line` is the file line of the body's first line."""
    walk = _Walk(list(_parser().parse(text)), first_line, task_runs, words, anchor)
    i = 0
    while i < len(walk.tokens):
        i = _block(walk, i)
    return walk.out


def _block(walk: _Walk, i: int) -> int:
    """Emit the block that starts at token i; the index after it."""
    tok = walk.tokens[i]
    kind = tok.type
    if kind == "heading_open":
        _heading(walk, tok, walk.tokens[i + 1])
        return i + 3
    if kind == "paragraph_open":
        runs = inline_runs(walk.tokens[i + 1], walk.words)
        if runs:
            walk.emit(Paragraph(runs))
        return i + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        return _list(walk, i)
    if kind == "table_open":
        return _table(walk, i)
    if kind in ("fence", "code_block"):
        content = tok.content.rstrip("\n")
        if content:
            walk.emit(Paragraph((Run(content),)))
    elif kind == "html_block":
        content = _COMMENT.sub("", tok.content).strip()
        if content:
            walk.emit(Paragraph((Run(content),)))
    # blockquote, hr and closing tokens add nothing of their own; their content is walked
    return i + 1


def _heading(walk: _Walk, tok: Any, inline: Any) -> None:
    value = "".join(run.text for run in inline_runs(inline, walk.words)).strip()
    level = int(tok.tag[1:])
    if level <= 2:
        m = _HEADING_NR.match(value)
        walk.section = int(m.group(1)) if m and len(m.group(1)) <= 6 else None
    if value:
        walk.emit(Heading(max(1, min(level - 1, 3)), value))


def _list(walk: _Walk, i: int) -> int:
    """A (possibly nested) list as one flat BulletList; nested items follow their parent."""
    items: list[Runs] = []
    anchors: list[str] = []
    depth = 0
    ordered = walk.tokens[i].type == "ordered_list_open"
    number = int(walk.tokens[i].attrGet("start") or 1)
    while True:
        tok = walk.tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                break
        elif tok.type == "list_item_open":
            runs = _item(walk, i)
            if runs:
                prefix = f"{number}. " if ordered and depth == 1 else "– " * (depth - 1)
                items.append(_merged([Run(prefix), *runs]) if prefix else runs)
                anchors.append(walk.anchor(walk.first_line + tok.map[0]) if tok.map else "")
            number += 1 if depth == 1 else 0
        i += 1
    if items:
        walk.emit(BulletList(tuple(items), tuple(anchors) if any(anchors) else ()))
    return i + 1


def _item(walk: _Walk, i: int) -> Runs:
    """A list item's own text (its first paragraph; nested lists are items of their own)."""
    tok = walk.tokens[i]
    nxt = walk.tokens[i + 1] if i + 1 < len(walk.tokens) else None
    if nxt is None or nxt.type != "paragraph_open":
        return ()
    runs = inline_runs(walk.tokens[i + 2], walk.words)
    if tok.map:
        rendered = walk.task_runs(walk.first_line + tok.map[0], runs)
        if rendered is not None:
            return relinked(rendered, runs)
    if runs and _CHECKBOX.match(runs[0].text):  # a task item that is no uppdrag: no box
        first = runs[0]
        unboxed = Run(_CHECKBOX.sub("", first.text, count=1), first.bold, first.italic, first.link)
        runs = (unboxed, *runs[1:]) if unboxed.text else runs[1:]
    return runs


def _table(walk: _Walk, i: int) -> int:
    rows: list[tuple[str, ...]] = []
    row: list[str] = []
    while walk.tokens[i].type != "table_close":
        tok = walk.tokens[i]
        if tok.type == "tr_open":
            row = []
        elif tok.type == "inline":
            row.append("".join(r.text for r in inline_runs(tok, walk.words)))
        elif tok.type == "tr_close":
            rows.append(tuple(row))
        i += 1
    if rows:
        width = len(rows[0])
        body = tuple((*r, *([""] * width))[:width] for r in rows[1:])
        walk.emit(Table(rows[0], body))
    return i + 1


def relinked(runs: Runs, source: Runs) -> Runs:
    """`runs` with the links of `source` put back where their text recurs: an uppdrag is
    shown from its plain text, and its links should stay links."""
    links = [(r.text, r.link) for r in source if r.link and r.text.strip()]
    out = list(runs)
    for label, href in links:
        for j, run in enumerate(out):
            at = run.text.find(label) if run.link is None else -1
            if at < 0:
                continue
            pieces = (run.text[:at], label, run.text[at + len(label) :])
            out[j : j + 1] = [
                Run(piece, run.bold, run.italic, href if k == 1 else None)
                for k, piece in enumerate(pieces)
                if piece
            ]
            break
    return tuple(out)


def inline_runs(inline: Any, words: TextFilter = str) -> Runs:
    """An inline token's children as runs: styles as flags, links kept, escapes resolved."""
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    for child in inline.children or []:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            link = str(child.attrGet("href") or "") or None
        elif kind == "link_close":
            link = None
        else:
            value = _inline_text(child, words)
            if value:
                runs.append(Run(value, bold=bold > 0, italic=italic > 0, link=link))
    return _merged(runs)


def _inline_text(child: Any, words: TextFilter) -> str:
    kind = child.type
    if kind == "text":
        return words(child.content)
    if kind == "code_inline":
        return str(child.content)
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "\n"
    if kind == "image":
        return str(child.content)  # the alt text: a remote image would track the reader
    if kind == "html_inline":
        return _COMMENT.sub("", child.content)
    return ""


def _merged(runs: list[Run]) -> Runs:
    """Neighbouring runs of one style joined, so writers wrap whole words; spaces folded."""
    out = [Run(re.sub(r" {2,}", " ", r.text), r.bold, r.italic, r.link) for r in joined(runs)]
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].link)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].link)
    return tuple(r for r in out if r.text)
