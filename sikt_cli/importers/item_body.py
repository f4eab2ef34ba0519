"""One item's blocks → its Markdown body, with uppdrag as task items, and its decisions,
coming meetings and not-yet-planned points picked out on the way."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sikt_cli.importers.assignments import assignment
from sikt_cli.importers.blocks import Block, clean, plain
from sikt_cli.importers.decisions import BLOCK_START, CLAUSE, clauses, inline_decision
from sikt_cli.importers.people import People
from sikt_cli.importers.problems import Tally
from sikt_cli.importers.structure import Item
from sikt_cli.importers.upcoming import (
    NEXT_MEETING,
    NOT_PLANNED,
    UPCOMING_TITLE,
    Upcoming,
    upcoming,
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ(\d])")


@dataclass(slots=True)
class Meeting:
    people: People
    present: list[str]
    day: dt.date | None
    tally: Tally


@dataclass(slots=True)
class ItemOut:
    chunks: list[list[str]] = field(default_factory=list)  # paragraphs and lists
    decisions: list[str] = field(default_factory=list)
    kommande: list[Upcoming] = field(default_factory=list)
    ej_inplanerat: list[str] = field(default_factory=list)


def _doubt(note: str) -> str:
    return "<!-- importerat: " + " ".join(note.replace("-->", "—>").split()) + " -->"


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def _paragraph(b: Block, meeting: Meeting, out: ItemOut) -> None:
    joined = " ".join(clean(line) for line in b.lines)
    parts = sentences(joined)
    lines: list[tuple[str, str]] = []  # ("task"|"text", line)
    for s in parts:
        decision = inline_decision(s)
        if decision:
            out.decisions.append(decision)
            meeting.tally.add("decisions", "found")
        task = assignment(s, meeting.people, meeting.present, meeting.day)
        if task:
            meeting.tally.add("uppdrag", task.match.state, task.match.note)
            lines.append(("task" if task.line.startswith("- [") else "fill", task.line))
            if task.match.id and task.match.note:
                lines.append(("fill", _doubt(task.match.note)))
        else:
            lines.append(("text", s))
    if all(kind == "text" for kind, _ in lines):
        out.chunks.append(list(b.lines))
        return
    current: list[str] = []
    current_kind = ""
    for kind, line in lines:
        if current and (kind != current_kind or kind == "fill"):
            out.chunks.append([" ".join(current)] if current_kind != "task" else current)
            current = []
        current.append(line)
        current_kind = kind
    if current:
        out.chunks.append([" ".join(current)] if current_kind != "task" else current)


def _list_item(b: Block, meeting: Meeting, out: ItemOut) -> None:
    text = " ".join(clean(line) for line in b.lines)
    task = assignment(text, meeting.people, meeting.present, meeting.day)
    if task:
        meeting.tally.add("uppdrag", task.match.state, task.match.note)
        out.chunks.append([task.line])
        if task.match.id and task.match.note:
            out.chunks.append([_doubt(task.match.note)])
    else:
        # "*", not "-": a plain list next to task items stays its own list, not an uppdrag list
        marker = f"{b.number}." if b.number is not None else "*"
        out.chunks.append([f"{marker} {text}"])


def _table(b: Block) -> list[str]:
    width = max(len(r) for r in b.rows)
    rows = [[c.replace("|", "\\|") for c in [*r, *[""] * (width - len(r))]] for r in b.rows]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return [lines[0], "|" + " --- |" * width, *lines[1:]]


def item_body(item: Item, meeting: Meeting) -> ItemOut:
    out = ItemOut()
    in_upcoming = bool(UPCOMING_TITLE.search(item.rubrik))
    mode = ""  # "", "beslut" (att-clauses follow) or "ej" (not-planned points follow)
    for b in item.blocks:
        text = plain(b.text)
        if b.kind == "heading" or (b.bold and b.kind == "para"):
            mode = "beslut" if BLOCK_START.match(text) else mode
            mode = "ej" if NOT_PLANNED.match(text) else mode
            out.chunks.append([f"**{text}**"])
            continue
        if b.kind == "table":
            out.chunks.append(_table(b))
            continue
        if mode != "ej" and (BLOCK_START.match(text) or NOT_PLANNED.match(text)):
            mode = "ej" if NOT_PLANNED.match(text) else "beslut"
            out.chunks.append(list(b.lines))
            continue
        if mode == "ej" and b.kind in ("para", "item") and len(text) < 80:
            out.ej_inplanerat.append(text)
            out.chunks.append([f"- {text}"])
            continue
        if mode == "beslut" and CLAUSE.match(text):
            for decision in clauses(text):
                out.decisions.append(decision)
                meeting.tally.add("decisions", "found")
            out.chunks.append([f"* {text}"] if b.kind == "item" else list(b.lines))
            continue
        mode = "" if mode == "beslut" else mode
        if in_upcoming or NEXT_MEETING.match(text):
            coming = upcoming(text, meeting.people, meeting.present, meeting.day, meeting.tally)
            if coming:
                out.kommande.append(coming)
        if b.kind == "item":
            _list_item(b, meeting, out)
        else:
            _paragraph(b, meeting, out)
    return out
