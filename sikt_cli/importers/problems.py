"""What an importer reports: a file it cannot read, and notes on what it was unsure of."""

from __future__ import annotations

from dataclasses import dataclass

from sikt_cli.errors import Refused

# the four things counted per file, and how sure the importer was of each
CATEGORIES = ("attendance", "items", "decisions", "uppdrag")
STATES = ("found", "unsure", "unmapped")


class ImportFailed(Refused):
    """One source file cannot be imported; the others of the run go on."""


@dataclass(frozen=True, slots=True)
class Note:
    category: str  # one of CATEGORIES, or "file"
    state: str  # one of STATES
    text: str  # Swedish, for the summary


@dataclass(slots=True)
class Tally:
    """Found / unsure / unmapped per category, and the notes behind the doubtful ones."""

    counts: dict[str, dict[str, int]]
    notes: list[Note]

    @classmethod
    def empty(cls) -> Tally:
        return cls({c: dict.fromkeys(STATES, 0) for c in CATEGORIES}, [])

    def add(self, category: str, state: str, text: str = "") -> None:
        if category in self.counts:
            self.counts[category][state] += 1
        if text:
            self.notes.append(Note(category, state, text))
