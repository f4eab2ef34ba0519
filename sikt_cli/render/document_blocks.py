"""The neutral block model of a finished document (minutes, annual report, web page).

A builder (the minutes, a report) turns the model into a `Document` of blocks; one writer per
format turns the blocks into bytes or text: `pdf_writer`, `docx_writer`, `html_writer`,
`text_writer`. Blocks hold only finished text — no Markdown, no escapes, no markup — so every
writer escapes for its own format in one place, and a builder never thinks about formats.

Everything is a frozen dataclass of tuples: a document can be built once and handed to all
writers, compared in tests, and cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

_SAFE_LINK_SCHEMES = ("https://", "http://", "mailto:")


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text in one style. `link` is an http(s) or mailto URL; any other link is
    dropped (kept as text) by `safe_link`, so a `javascript:` link never reaches a writer."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


Runs = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; level 1 is the document's main sections (the title is separate).
    `anchor` is an id a web page links to (`arende-5`); other formats ignore it."""

    level: int
    text: str
    anchor: str = ""

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1, 2 or 3, not {self.level}")


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: Runs


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted list; each item is a line of runs. `anchors`, when given, has an id (or
    "") per item, for a web page to link to (`uppdrag-2`); other formats ignore it."""

    items: tuple[Runs, ...]
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyValue:
    """Label–value rows, e.g. the head of the minutes ("Datum" → "fredag 5 juni 2020")."""

    rows: tuple[tuple[str, Runs], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text cells; every row has as many cells as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(f"table row has {len(row)} cells, header {len(self.header)}")


@dataclass(frozen=True, slots=True)
class Image:
    """A picture (a chart): PNG bytes for every format, an SVG for the web if there is one.
    `alt` is required: it is the text a screen reader reads and the text/plain writer prints.
    `width_mm` is the printed width (PDF, Word)."""

    png: bytes
    alt: str
    svg: str | None = None
    width_mm: float = 160.0


@dataclass(frozen=True, slots=True)
class PageBreak:
    """A new page in PDF and Word; nothing in HTML and text."""


Block = Heading | Paragraph | BulletList | KeyValue | Table | Image | PageBreak


@dataclass(frozen=True, slots=True)
class Metadata:
    """What goes in the file's properties (PDF info/XMP, Word core properties, HTML meta).
    `created` fixes the creation date, so the same document gives the same bytes."""

    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    created: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    lang: str = "sv"
    metadata: Metadata = field(default_factory=Metadata)


def text(value: str, *, bold: bool = False, italic: bool = False) -> Runs:
    """One run as a line: the common case."""
    return (Run(value, bold=bold, italic=italic),)


def paragraph(value: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
    return Paragraph(text(value, bold=bold, italic=italic))


def joined(runs: Sequence[Run]) -> Runs:
    """Neighbouring runs of one style and link as one run (writers wrap whole words, and
    a line built from pieces equals the same line built at once)."""
    out: list[Run] = []
    for run in runs:
        last = out[-1] if out else None
        if last and (last.bold, last.italic, last.link) == (run.bold, run.italic, run.link):
            out[-1] = Run(last.text + run.text, run.bold, run.italic, run.link)
        else:
            out.append(run)
    return tuple(out)


def plain(runs: Runs) -> str:
    """The runs' text, styles dropped."""
    return "".join(run.text for run in runs)


def safe_link(link: str | None) -> str | None:
    """The link if its scheme is http, https or mailto; otherwise None (shown as text)."""
    if link is None:
        return None
    stripped = link.strip()
    if stripped.lower().startswith(_SAFE_LINK_SCHEMES) and not any(ord(c) < 0x21 for c in stripped):
        return stripped
    return None


def language_tag(lang: str) -> str:
    """The BCP 47 tag with a region for formats that want one (Word, PDF): sv → sv-SE."""
    return {"sv": "sv-SE", "en": "en-GB"}.get(lang, lang)
