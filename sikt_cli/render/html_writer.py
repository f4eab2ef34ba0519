"""Blocks → HTML: every text escaped here, in one place; links only http(s) and mailto.

`to_html` gives a fragment (the title as <h1>, sections as <h2>–<h4>) for a mail or a page
template; `to_html_page` a whole page with its language and title. Images are embedded as
`data:` PNG by default (a mail loads nothing remote); a site passes `image_src` to link files.
A link is judged by `safe_link` unless the caller passes its own judge (`links`): the web
archive keeps its relative links and drops `mailto:` without `--med-epost`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

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

ImageSource = Callable[[Image], str]
LinkJudge = Callable[[str | None], str | None]  # a link → the href to write, or None (text)


def to_html(
    document: Document,
    *,
    image_src: ImageSource | None = None,
    title: bool = True,
    links: LinkJudge = safe_link,
) -> str:
    """The document as an HTML fragment: <h1> title (unless `title=False`), then the blocks."""
    source = image_src or data_uri
    parts = [f"<h1>{escape(document.title)}</h1>"] if title else []
    parts += [out for block in document.blocks if (out := _block(block, source, links))]
    return "\n".join(parts) + "\n"


def to_html_page(
    document: Document, *, style: str = "", image_src: ImageSource | None = None
) -> str:
    """A complete HTML page (UTF-8, the document's language, its title)."""
    head = f'<meta charset="utf-8">\n<title>{escape(document.title)}</title>\n'
    if document.metadata.author:
        head += f'<meta name="author" content="{escape(document.metadata.author)}">\n'
    if style:
        safe_style = style.replace("</", "<\\/")  # no </style> can end the element early
        head += f"<style>\n{safe_style}\n</style>\n"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(document.lang)}">\n<head>\n{head}</head>\n'
        f"<body>\n{to_html(document, image_src=image_src)}</body>\n</html>\n"
    )


def runs_html(runs: Runs, links: LinkJudge = safe_link) -> str:
    out = []
    for run in runs:
        piece = escape(run.text)
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        if run.italic:
            piece = f"<em>{piece}</em>"
        link = links(run.link) if run.link is not None else None
        if link:
            piece = f'<a href="{escape(link)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def data_uri(image: Image) -> str:
    return "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")


def _id(anchor: str) -> str:
    return f' id="{escape(anchor)}"' if anchor else ""


def _block(block: Block, image_src: ImageSource, links: LinkJudge) -> str:
    if isinstance(block, Heading):
        level = block.level + 1
        return f"<h{level}{_id(block.anchor)}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{runs_html(block.runs, links)}</p>".replace("\n", "<br>\n")
    if isinstance(block, BulletList):
        anchors = block.anchors or ("",) * len(block.items)
        items = "".join(
            f"<li{_id(anchor)}>{runs_html(item, links)}</li>\n"
            for item, anchor in zip(block.items, anchors, strict=True)
        )
        return f"<ul>\n{items}</ul>"
    if isinstance(block, KeyValue):
        rows = "".join(
            f'<tr><th scope="row">{escape(key)}</th><td>{runs_html(value, links)}</td></tr>\n'
            for key, value in block.rows
        )
        return f'<table class="uppgifter">\n{rows}</table>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        # a class, not a style attribute: a page's CSP may refuse inline styles (the web
        # archive's does); the page's stylesheet sizes it (max-width: 100%)
        return f'<img class="diagram" src="{escape(image_src(block))}" alt="{escape(block.alt)}">'

    assert isinstance(block, PageBreak)
    return ""


def _table(block: Table) -> str:
    caption = f"<caption>{escape(block.caption)}</caption>\n" if block.caption else ""
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in block.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>\n"
        for row in block.rows
    )
    return f"<table>\n{caption}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"
