"""Decisions: "Beslut: …", "… beslutade att …", "Beslut är taget att …", and a "Beslut"
block whose `att …` clauses are one decision each."""

from __future__ import annotations

import re

from sikt_cli.importers.blocks import plain

_INLINE = (
    re.compile(r"^Beslut\s*:\s*(?!$)(?P<text>.+)$", re.I),
    re.compile(r"\bBeslut (?:är|var|blev) taget att (?P<text>.+)$", re.I),
    re.compile(
        r"\b(?:beslutade|beslöt|beslutar|beslöts)\s+(?:mötet\s+|nätverket\s+)?att\s+"
        r"(?P<text>.+)$",
        re.I,
    ),
)
BLOCK_START = re.compile(r"^(?:beslut|beslutades|mötet beslutade|nätverket beslutade)\s*:?$", re.I)
CLAUSE = re.compile(r"^att\s+(?P<text>\S.*)$", re.I)


def as_decision(text: str) -> str:
    """The clause as a sentence: first letter capital, a full stop at the end."""
    text = plain(text).strip().rstrip(",;")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def inline_decision(sentence: str) -> str | None:
    for pattern in _INLINE:
        m = pattern.search(plain(sentence))
        if m:
            return as_decision(re.sub(r"^att\s+", "", m.group("text").strip(), flags=re.I))
    return None


def clauses(text: str) -> list[str]:
    """Each `att …` clause of a decision block line ("att A, samt att B" is two)."""
    parts = re.split(r",?\s+(?:samt|och)\s+(?=att\s)|;\s*(?=att\s)", plain(text).strip())
    out = []
    for part in parts:
        m = CLAUSE.match(part.strip())
        if m:
            out.append(as_decision(m.group("text")))
    return out
