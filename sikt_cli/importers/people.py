"""Names in old minutes → member ids in medlemmar.yaml.

Full names are compared with rapidfuzz's `fuzz.ratio` on folded, lower-case names
(accents, å/ä/ö and case ignored), so "Anna-Karin Gustafsson" finds "Anna-Karin Gustavsson".
A score of at least THRESHOLD (out of 100) is a match; below 100 it is reported as unsure.
First names alone ("Hannes får i uppdrag") are resolved only through the meeting's own
attendance, and only when exactly one person present has that first name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sikt_cli.collation import sort_key
from sikt_cli.text import fold, slugify

THRESHOLD = 85  # rapidfuzz fuzz.ratio on folded names: one or two letters wrong in a name


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    namn: str
    kommun: str


@dataclass(frozen=True, slots=True)
class Match:
    id: str | None
    state: str  # "found", "unsure" or "unmapped"
    note: str = ""  # Swedish: why it is unsure or unmapped


def key(name: str) -> str:
    name = unicodedata.normalize("NFKD", fold(name))
    name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s-]", " ", name.lower()).split())


class People:
    """The network's members (plus the ones proposed during this run)."""

    def __init__(self, members: Iterable[Person]) -> None:
        self.members: list[Person] = list(members)

    def add(self, person: Person) -> None:
        self.members.append(person)

    def remove(self, ids: set[str]) -> None:
        self.members = [m for m in self.members if m.id not in ids]

    def ids(self) -> set[str]:
        return {m.id for m in self.members}

    def by_id(self, member_id: str) -> Person | None:
        return next((m for m in self.members if m.id == member_id), None)

    def full_name(self, namn: str, kommun: str | None = None) -> Match:
        from rapidfuzz import fuzz

        wanted = key(namn)
        scored = [(fuzz.ratio(wanted, key(m.namn)), m) for m in self.members]
        hits = [(s, m) for s, m in scored if s >= THRESHOLD]
        if not hits:
            return Match(None, "unmapped", f"'{namn}' finns inte i medlemmar.yaml")
        best = max(s for s, _ in hits)
        hits = [(s, m) for s, m in hits if s == best]
        if kommun:
            local = [(s, m) for s, m in hits if key(m.kommun) == key(kommun)]
            if not local:
                where = ", ".join(sorted({m.kommun for _, m in hits}, key=sort_key))
                return Match(
                    None, "unsure", f"'{namn}' står i medlemmar.yaml under {where}, inte {kommun}"
                )
            hits = local
        if len(hits) > 1:
            where = ", ".join(sorted((f"{m.kommun} ({m.id})" for _, m in hits), key=sort_key))
            return Match(None, "unsure", f"'{namn}' finns i flera kommuner: {where}")
        person = hits[0][1]
        if best < 100:
            return Match(person.id, "unsure", f"'{namn}' tolkat som {person.namn} ({person.id})")
        return Match(person.id, "found")

    def in_meeting(self, name: str, present: Sequence[str]) -> Match:
        """A name used in the body: a full name, or a first name unique among `present`."""
        words = name.split()
        if len(words) > 1:
            full = self.full_name(name)
            if full.id is not None or full.state == "unsure":
                return full
        wanted = key(words[0]) if words else ""
        here = [p for p in (self.by_id(i) for i in present) if p is not None]
        hits = [p for p in here if key(p.namn).split()[:1] == [wanted]]
        if len(hits) == 1:
            return Match(hits[0].id, "found")
        if len(hits) > 1:
            who = ", ".join(p.id for p in hits)
            return Match(None, "unsure", f"'{name}' kan vara flera närvarande: {who}")
        return Match(None, "unmapped", f"'{name}' är ingen av de närvarande")


def new_id(namn: str, taken: set[str]) -> str:
    base = slugify(namn) or "medlem"
    candidate, n = base, 2
    while candidate in taken or candidate == "alla":
        candidate, n = f"{base}-{n}", n + 1
    return candidate
