"""Markdown → plain text for the text/plain part of a mail and an invitation's DESCRIPTION.

Rendered from markdown-it-py's tokens, never by stripping characters from the source: the
reader sees "Per-Anders Johansson Ögren", not `**Per\\-Anders Johansson Ögren**`. Emphasis
becomes its text, a heading its text (h1 and h2 underlined), a list item a line that
starts with "- " or its number, a link its text and address, code and quotes indented.
The same parser and preset as the HTML part (mail_html.py), so both show the same words.
"""

from __future__ import annotations

from typing import Any

_UNDERLINE = {"h1": "=", "h2": "-"}
_INDENT = "    "


def markdown_to_text(text: str) -> str:
    """The text a reader of `text` sees, as plain lines ending in a newline."""
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    md: Any = MarkdownIt("js-default", {"linkify": False, "typographer": False})
    tree = SyntaxTreeNode(md.parse(text))
    lines = _blocks(tree.children, tight=False)
    return "\n".join(lines).rstrip() + "\n" if lines else ""


def _blocks(nodes: list[Any], *, tight: bool) -> list[str]:
    out: list[str] = []
    for node in nodes:
        lines = _block(node)
        if not lines:
            continue
        if out and not tight:
            out.append("")
        out.extend(lines)
    return out


def _block(node: Any) -> list[str]:
    kind = node.type
    if kind == "heading":
        title = _inline(node.children[0]) if node.children else ""
        mark = _UNDERLINE.get(node.tag)
        return [title, mark * len(title)] if mark and title else [title]
    if kind == "paragraph":
        return _inline(node.children[0]).split("\n") if node.children else []
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "blockquote":
        return [f"> {line}".rstrip() for line in _blocks(node.children, tight=False)]
    if kind in ("fence", "code_block"):
        return [(_INDENT + line).rstrip() for line in node.content.rstrip("\n").split("\n")]
    if kind == "hr":
        return ["—" * 10]
    if kind == "table":
        return _table(node)
    if kind == "html_block":
        return str(node.content).rstrip("\n").split("\n")
    return _blocks(node.children, tight=False)


def _list(node: Any) -> list[str]:
    items = node.children
    tight = any(c.type == "paragraph" and c.hidden for item in items for c in item.children)
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
    out: list[str] = []
    for i, item in enumerate(items):
        marker = f"{start + i}. " if node.type == "ordered_list" else "- "
        lines = _blocks(item.children, tight=tight) or [""]
        if out and not tight:
            out.append("")
        out.append(marker + lines[0])
        out.extend((" " * len(marker) + line) if line else "" for line in lines[1:])
    return out


def _table(node: Any) -> list[str]:
    rows = []
    for section in node.children:
        for row in section.children:
            cells = [_inline(cell.children[0]) if cell.children else "" for cell in row.children]
            rows.append(" | ".join(cells).rstrip())
    return rows


def _inline(node: Any) -> str:
    """An inline node's text: emphasis and code as their words, breaks as newlines."""
    kind = node.type
    if kind in ("text", "code_inline", "html_inline"):
        return str(node.content)
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "link":
        label = "".join(_inline(c) for c in node.children)
        href = str(node.attrs.get("href", ""))
        shown = href.removeprefix("mailto:")
        if node.markup == "autolink":  # <https://…>: the address as it works, encoded
            return shown
        return f"{label} ({shown})" if shown and shown != label else label
    if kind == "image":
        return "".join(_inline(c) for c in node.children)
    return "".join(_inline(c) for c in node.children)
