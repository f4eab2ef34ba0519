"""Blocks → the parts of a protokoll: the head (title, time and place, attendance), the
numbered items with their blocks, and the signatures at the end.

Items are recognised at any heading level, as bold numbered paragraphs, as Word's numbered
paragraphs and as `§ 74 Rubrik`; items are renumbered 1..n (sikt's rule) and the source's
own label is kept so the summary and a YAML comment can name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sikt_cli.importers.blocks import Block, clean, plain
from sikt_cli.importers.people import key

_ITEM = re.compile(r"^(?:(\d{1,3})\s*[.):]|§\s*(\d{1,4})\s*[.:]?)\s*(\S.*)$")
_HEAD_KEYS = {
    "tid och plats": "tid",
    "tid": "tid",
    "plats": "tid",
    "datum": "tid",
    "narvarande": "narvarande",
    "deltagare": "narvarande",
    "narvaro": "narvarande",
    "narvarande ledamoter": "narvarande",
    "franvarande": "franvarande",
    "anmalt forhinder": "franvarande",
    "arenden": "arenden",
    "dagordning": "arenden",
    "gaster": "gaster",
    "ovriga narvarande": "gaster",
}
_INLINE_HEAD = re.compile(
    r"^(tid och plats|tid|plats|datum|närvarande|deltagare|frånvarande|anmält förhinder|"
    r"gäster|övriga närvarande)\s*:\s*(.*)$",
    re.I,
)
_SIGNATURE = re.compile(
    r"^(ordförande|mötesordförande|sekreterare|vid protokollet|justerare|justeras)\s*:?\s*(.*)$",
    re.I,
)
ROLE = {
    "ordforande": "ordforande",
    "motesordforande": "ordforande",
    "sekreterare": "sekreterare",
    "vid protokollet": "sekreterare",
    "justerare": "justerare",
    "justeras": "justerare",
}


@dataclass(slots=True)
class Item:
    nr: int
    rubrik: str
    label: str  # the source's own numbering: "4." or "§ 74"
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Parsed:
    title: str | None = None
    head: dict[str, list[Block]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    signatures: dict[str, list[str]] = field(default_factory=dict)


def _item_heading(b: Block, expected: int, in_agenda: bool) -> tuple[str, str] | None:
    text = plain(b.text)
    if b.kind == "item" and b.number is not None and len(b.lines) == 1:
        # a numbered list before "Ärenden" may be the attendance ("1. Anna Ek, Hjo")
        if (in_agenda or expected > 1 or "," not in text) and b.number == expected:
            if len(text) < 100 and not text.endswith((".", ":")):
                return f"{b.number}.", text
    if b.kind != "heading" and not b.bold:
        return None
    m = _ITEM.match(text)
    if not m:
        return None
    label = f"{m[1]}." if m[1] else f"§ {m[2]}"
    return label, m[3].strip()


def _signature(b: Block) -> tuple[str, list[str]] | None:
    if b.kind != "para" or len(b.lines) > 4:
        return None
    lines = [plain(clean(line)) for line in b.lines]
    m = _SIGNATURE.match(lines[0])
    if not m:
        return None
    names = [n for n in [m[2].strip(), *lines[1:]] if n]
    if any(len(n.split()) > 5 for n in names):
        return None
    return ROLE[key(m[1])], names


def structure(blocks: list[Block]) -> Parsed:
    parsed = Parsed()
    section: str | None = None
    pending: str | None = None  # a role line ("Ordförande") whose name is the next paragraph
    for b in blocks:
        if pending and b.kind == "para" and len(b.lines) == 1 and len(b.text.split()) <= 5:
            parsed.signatures.setdefault(pending, []).append(plain(b.text))
            pending = None
            continue
        pending = None
        found = _item_heading(b, len(parsed.items) + 1, section == "arenden")
        if found:
            label, rubrik = found
            parsed.items.append(Item(len(parsed.items) + 1, rubrik, label))
            continue
        sig = _signature(b)
        if sig:
            parsed.signatures.setdefault(sig[0], []).extend(sig[1])
            pending = None if sig[1] else sig[0]
            continue
        text = plain(b.text)
        if not parsed.items and (b.kind == "heading" or b.bold):
            head_key = _HEAD_KEYS.get(key(text.rstrip(":")))
            if head_key:
                section = head_key
                continue
            if parsed.title is None and b.kind == "heading":
                parsed.title = text
                continue
        if parsed.items:
            parsed.items[-1].blocks.append(b)
            continue
        inline = _INLINE_HEAD.match(plain(clean(b.lines[0]))) if b.kind == "para" else None
        if inline:
            head_key = _HEAD_KEYS[key(inline[1])]
            rest = [inline[2], *b.lines[1:]] if inline[2] else b.lines[1:]
            parsed.head.setdefault(head_key, []).append(Block("para", rest))
            section = head_key
            continue
        parsed.head.setdefault(section or "", []).append(b)
    return parsed
