"""A protokoll's Markdown body → headings and task items with file lines.

Uses markdown-it-py tokens and their line maps, never regexes over raw text, so a task
item inside a fenced code block, a block quote or raw HTML is never taken for an uppdrag.
markdown-it is imported here only, so commands that never read a body start faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sikt_cli.cache import reduce_by_fields

FILL_IN = "FYLL I"  # what `sikt protokoll ny` writes where the secretary has to write
WHAT_HAPPENED = "vad hände?"  # after FILL_IN on each follow-up line `sikt protokoll ny` writes
_HEADING_NR = re.compile(r"^(\d+)\.\s+(.*)$")
_TASK = re.compile(r"^\[([ xX])\]\s+")
# `@` first, then "not after a word, @ or .": the same matches as a leading look-behind,
# found three times faster (the regex engine then searches for the `@` alone)
_MENTION = re.compile(r"@(?<![\w@.]@)([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w@])", re.I)
# what a person may have meant as a mention but is none: `@eva_karlsson`, `@Åsa`, `@eva.k`
_ODD_MENTION = re.compile(r"@(?<![\w@.]@)([^\s@,;:()\[\]<>\"'`*]+)")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int  # file line
    nr: int | None  # the N of "N. Rubrik", if any
    title: str  # the Rubrik of "N. Rubrik", else the whole text


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Task:
    """A GFM task-list item: `- [ ] text` or `- [x] text`."""

    checked: bool
    text: str  # the item's plain text, markup removed, checkbox removed
    line: int  # file line of the item
    column: int  # file column of the list marker
    end_line: int  # last file line of the item
    mentions: tuple[Mention, ...]
    section: int | None  # agenda number of the `## N.` section it stands under
    odd_mentions: tuple[Mention, ...] = ()  # `@eva_karlsson`: meant as a mention, none


@dataclass(frozen=True, slots=True)
class Body:
    headings: tuple[Heading, ...]
    tasks: tuple[Task, ...]
    fill_in: tuple[tuple[int, int], ...] = ()  # (file line, column) of each FILL_IN marker


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    # commonmark keeps raw HTML blocks as html_block tokens: a task line inside a <div>
    # stays inside the HTML and is not parsed as a list item. Inline parsing is switched
    # off for the whole document (it is most of the cost) and done only for task items.
    # text_join only joins the inline children that this parser never makes.
    md = MarkdownIt("commonmark")
    md.disable(["inline", "text_join"])
    return md


@cache
def _inline_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


# The characters at which CommonMark's inline rules (escape, code span, emphasis, link,
# image, autolink, raw HTML, entity) can start. A task item's text after its checkbox
# that holds none of them parses to text and line breaks only, which is what _plain and
# _mentions make of it; that is nearly every uppdrag, and markdown-it's inline parser
# was a third of a cold load.
_INLINE_MARKUP = frozenset("\\`*_[]<>&!~")


def _children(inline: Any, after_box: int) -> list[Any] | str:
    """Inline tokens of one paragraph, parsed on demand; or, when the text after the
    checkbox (from `after_box`) has no markup, that text itself."""
    text: str = inline.content
    rest = text[after_box:]
    if _INLINE_MARKUP.isdisjoint(rest):
        return rest
    tokens = _inline_parser().parseInline(text)
    return list(tokens[0].children or []) if tokens else []


# The tokens parse_body has nothing to do with: most of a protokoll's tokens.
_PASSED = frozenset(("inline", "paragraph_open", "paragraph_close", "heading_close"))

MAX_NR_DIGITS = 9  # an agenda number has at most 6 digits (spec.py); int() fails past 4,300


def _number(digits: str) -> int | None:
    """The agenda number of a `## N.` heading; None for a number no agenda can hold (the
    heading is then ordinary text, and the agenda item it was meant for lacks a heading)."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_NR_DIGITS else None


def parse_body(text: str, first_line: int) -> Body:
    """Parse the body; `first_line` is the file line of the body's first line."""
    tokens = _parser().parse(text)
    lines = text.split("\n")
    headings: list[Heading] = []
    tasks: list[Task] = []
    section: int | None = None
    quotes = 0  # block quotes open around the token
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind in _PASSED:
            continue
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "heading_open" and tok.map:
            h = _heading(tok, tokens[i + 1].content.strip(), first_line)
            headings.append(h)
            if h.level <= 2:
                section = h.nr
        elif (
            kind == "list_item_open"
            and tok.map
            and not quotes
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "paragraph_open"
        ):
            task = _task(tok, tokens[i + 2], lines, first_line, section)
            if task is not None:
                tasks.append(task)
    marks: tuple[tuple[int, int], ...] = ()
    if FILL_IN in text:  # a draft's; a justerat protokoll has none
        marks = tuple(
            (first_line + i, line.find(FILL_IN) + 1)
            for i, line in enumerate(lines)
            if FILL_IN in line
        )
    return Body(tuple(headings), tuple(tasks), marks)


def _heading(tok: Any, content: str, first_line: int) -> Heading:
    m = _HEADING_NR.match(content)
    nr = _number(m.group(1)) if m else None
    return Heading(
        level=int(tok.tag[1:]),
        text=content,
        line=first_line + tok.map[0],
        nr=nr,
        title=m.group(2).strip() if m and nr is not None else content,
    )


def _task(
    tok: Any, inline: Any, lines: list[str], first_line: int, section: int | None
) -> Task | None:
    """The task item a list item opens with (`tok`, its first paragraph's `inline`), if any."""
    m = _TASK.match(inline.content)
    if not m:
        return None
    src = lines[tok.map[0]] if tok.map[0] < len(lines) else ""
    children = _children(inline, m.end())
    mentions, odd = _mentions(children, lines, tok.map[0], first_line)
    plain = children if isinstance(children, str) else _plain(children, strip_box=True)
    return Task(
        checked=m.group(1) in "xX",
        text=" ".join(plain.split()),
        line=first_line + tok.map[0],
        column=len(src) - len(src.lstrip()) + 1,
        end_line=first_line + tok.map[1] - 1,
        mentions=mentions,
        section=section,
        odd_mentions=odd,
    )


def _plain(children: list[Any], *, strip_box: bool = False) -> str:
    if strip_box:
        return _TASK.sub("", _plain(children), count=1)
    parts: list[str] = []
    for c in children:
        if c.type in ("text", "code_inline", "html_inline"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif c.type == "image":
            parts.append(c.content)
    return "".join(parts)


def _mentions(
    children: list[Any] | str, lines: list[str], start: int, first_line: int
) -> tuple[tuple[Mention, ...], tuple[Mention, ...]]:
    """@names in text (not in code spans or link targets), with their source positions;
    and the @words that are no mention (`@eva_karlsson`), for a "Menade du" of their own."""
    found: list[Mention] = []
    odd: list[Mention] = []
    searched_from: dict[int, int] = {}
    if isinstance(children, str):
        texts = [children]
    else:
        texts = [c.content for c in children if c.type == "text"]
    for text in texts:
        if "@" not in text:  # a follow-up's text, nearly always
            continue
        for m in _MENTION.finditer(text):
            name = m.group(1)
            line_idx, col = _locate("@" + name, lines, start, searched_from)
            found.append(Mention(name=name, line=first_line + line_idx, column=col))
        for m in _ODD_MENTION.finditer(text):
            word = m.group(1).rstrip(".!?-")
            if word and not _MENTION.fullmatch("@" + word):
                line_idx, col = _locate("@" + word, lines, start, {})
                odd.append(Mention(name=word, line=first_line + line_idx, column=col))
    return tuple(found), tuple(odd)


def _locate(needle: str, lines: list[str], start: int, searched: dict[int, int]) -> tuple[int, int]:
    for idx in range(start, min(start + 50, len(lines))):
        col = lines[idx].find(needle, searched.get(idx, 0))
        if col >= 0:
            searched[idx] = col + len(needle)
            return idx, col + 1
    return start, 1


Heading.__reduce__ = reduce_by_fields  # type: ignore[method-assign]

Mention.__reduce__ = reduce_by_fields  # type: ignore[method-assign]

Task.__reduce__ = reduce_by_fields  # type: ignore[method-assign]

Body.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
