"""Rättelser: recorded corrections of a justerat protokoll, and whether they explain a change.

A rättelse replaces whole lines (a misspelt name, a wrong date) and is recorded in the
frontmatter key `rattelser`, one entry per correction:

    rattelser: [{datum: 2026-12-01, av: sara-von-seth, skal: "Felstavat namn",
                 rader: [{rad: 84, fore: "gammal rad", efter: "ny rad"}]}]

`rad` is the line number in the file as it was before that entry was recorded. The lock
accepts a changed justerat protokoll only when replaying the new entries on the approved
text, with the same editor that recorded them, gives the new text byte for byte: an
unrecorded change, or a record that does not match the change, stays an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sikt_cli.archive.documents import parse_markdown
from sikt_cli.archive.edit import EditRefused, set_key

KEY = "rattelser"
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True, slots=True)
class LineChange:
    rad: int
    fore: str
    efter: str


@dataclass(frozen=True, slots=True)
class Correction:
    datum: str
    av: str
    skal: str
    rader: tuple[LineChange, ...]

    def as_data(self) -> dict[str, Any]:
        return {
            "datum": self.datum,
            "av": self.av,
            "skal": self.skal,
            "rader": [{"rad": r.rad, "fore": r.fore, "efter": r.efter} for r in self.rader],
        }


def recorded(data: bytes) -> list[dict[str, Any]]:
    """The `rattelser` entries of a protokoll as plain data ([] when there are none)."""
    doc = parse_markdown(data, "x").doc
    value = doc.data.get(KEY) if doc is not None else None
    return [dict(e) for e in value] if isinstance(value, list) else []


def lines(data: bytes) -> list[bytes]:
    """The file's lines with their line endings, numbered as the loader numbers them."""
    return _LINE.findall(data)


def _text(line: bytes) -> str:
    return line.rstrip(b"\r\n").decode("utf-8", "replace").removeprefix("\ufeff")


def changed_lines(old: bytes, new: bytes) -> list[LineChange] | None:
    """The lines that differ, when `new` only replaces lines of `old`; None otherwise."""
    a, b = lines(old), lines(new)
    if len(a) != len(b):
        return None
    out = []
    for i, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        if x != y:
            if x.rstrip(b"\r\n") == y.rstrip(b"\r\n"):  # only the line ending changed
                return None
            out.append(LineChange(i, _text(x), _text(y)))
    return out


def apply(data: bytes, entries: list[dict[str, Any]], rel: str) -> bytes | None:
    """Replay `entries` (new rättelser, in order) on `data`; None when one does not fit."""
    base = recorded(data)
    current = data
    for n, entry in enumerate(entries, start=1):
        rows = lines(current)
        for change in entry.get("rader") or []:
            i = change.get("rad") if isinstance(change, dict) else None
            if not isinstance(i, int) or not 0 < i <= len(rows):
                return None
            if _text(rows[i - 1]) != change.get("fore"):
                return None
            eol = rows[i - 1][len(rows[i - 1].rstrip(b"\r\n")) :]
            rows[i - 1] = str(change.get("efter", "")).encode("utf-8") + eol
        try:
            current = set_key(b"".join(rows), rel, KEY, [*base, *entries[:n]], after="justerad")
        except (EditRefused, TypeError):
            return None
    return current


def explains(old: bytes, new: bytes, rel: str) -> bool:
    """True when `new` is `old` plus recorded rättelser and nothing else."""
    before, after = recorded(old), recorded(new)
    if len(after) <= len(before) or after[: len(before)] != before:
        return False
    return apply(old, after[len(before) :], rel) == new
