"""The record part of a protokoll page as neutral document blocks (render/document_blocks).

The head (date, time, place, chair, secretary, approvers), attendance, decisions, the new
uppdrag with their status today, what is not published, the coming meetings and the points
not yet planned: built once as blocks from the page's plain data (site_minutes.py) and
written by html_writer, the one HTML writer for finished documents, which escapes every
text. The agenda items' own text follows on the page (site_markdown.py: it keeps the
stable anchors `arende-N`, `uppdrag-N` and the links between follow-ups and uppdrag, which
the neutral blocks do not carry).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from sikt_cli.render.document_blocks import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    Metadata,
    Paragraph,
    Run,
    Table,
    text,
)


def _head(ctx: dict[str, Any]) -> KeyValue:
    rows = [("Datum", ctx["datum_text"]), ("Tid", ctx["tid"]), ("Plats", ctx["plats"])]
    rows += [("Ordförande", ctx["ordforande"]), ("Sekreterare", ctx["sekreterare"])]
    rows += [("Justerare", ", ".join(ctx["justerare"])), ("Justerat", ctx["justerad"])]
    return KeyValue(tuple((k, text(v)) for k, v in rows if v))


def _attendance(ctx: dict[str, Any]) -> list[Block]:
    out: list[Block] = [Heading(1, "Närvaro")]
    if ctx["narvarande"]:
        people = [
            p["namn"] + (f", {p['kommun']}" if p["kommun"] else "") for p in ctx["narvarande"]
        ]
        out += [Heading(2, "Närvarande"), BulletList(tuple(text(p) for p in people))]
    if ctx["franvarande"]:
        out += [Heading(2, "Frånvarande"), Paragraph(text(", ".join(ctx["franvarande"])))]
    if ctx["gaster"]:
        out += [Heading(2, "Gäster"), BulletList(tuple(text(g) for g in ctx["gaster"]))]
    return out


def _decisions(ctx: dict[str, Any]) -> list[Block]:
    if not ctx["beslut"]:
        return [Heading(1, "Beslut"), Paragraph(text("Inga beslut."))]
    items = tuple(
        (
            Run(b["id"], bold=True),
            Run(f", ärende {b['arende']}" + (f" {b['rubrik']}" if b["rubrik"] else "") + ": "),
            Run(b["text"]),
            Run(f" ({b['status']})", italic=True),
        )
        for b in ctx["beslut"]
    )
    return [Heading(1, "Beslut"), BulletList(items)]


def _action_items(ctx: dict[str, Any]) -> list[Block]:
    if not ctx["uppdrag"]:
        return [Heading(1, "Nya uppdrag"), Paragraph(text("Inga nya uppdrag."))]
    rows = tuple((u["id"], u["vem"], u["text"], u["senast"], u["status"]) for u in ctx["uppdrag"])
    table = Table(
        ("Uppdrag", "Vem", "Vad", "Senast", "Status"),
        rows,
        caption="Uppdrag från mötet och deras status i dag",
    )
    return [Heading(1, "Nya uppdrag"), table]


def minutes_document(ctx: dict[str, Any]) -> Document:
    """The record of the protokoll page as a Document (its title is the page's h1)."""
    blocks: list[Block] = []
    if ctx["utkast"]:
        blocks.append(
            Paragraph(
                (
                    Run("UTKAST", bold=True),
                    Run(f" Protokollet har status {ctx['status']} och är inte justerat."),
                )
            )
        )
    blocks += [_head(ctx), *_attendance(ctx), *_decisions(ctx), *_action_items(ctx)]
    if ctx["noter"]:
        blocks += [
            Heading(1, "Det som inte publiceras"),
            BulletList(tuple(text(n) for n in ctx["noter"])),
        ]
    if ctx["kommande"]:
        coming = [k["datum_text"] + (f": {k['not']}" if k["not"] else "") for k in ctx["kommande"]]
        blocks += [Heading(1, "Kommande möten"), BulletList(tuple(text(c) for c in coming))]
    if ctx["ej_inplanerat"]:
        points = tuple(text(e) for e in ctx["ej_inplanerat"])
        blocks += [Heading(1, "Ej inplanerat"), BulletList(points)]
    return Document(ctx["titel"], tuple(blocks), metadata=Metadata(subject=ctx["datum"]))


def minutes_record_html(ctx: dict[str, Any]) -> Markup:
    """The record written by html_writer (which escapes every text)."""
    from sikt_cli.render.html_writer import to_html

    return Markup(to_html(minutes_document(ctx)))
