"""'Kommande träffar' / 'Nästa möte' → `kommande`; 'Punkter som inte är inplanerade' →
`ej_inplanerat`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sikt_cli.importers.assignments import ASSIGNMENT
from sikt_cli.importers.blocks import plain
from sikt_cli.importers.people import People
from sikt_cli.importers.problems import Tally
from sikt_cli.importers.swedish_dates import first_date

UPCOMING_TITLE = re.compile(r"kommande (?:träffar|möten)|nästa (?:möte|träff)", re.I)
NEXT_MEETING = re.compile(r"^nästa (?:möte|träff)\s*(?:är|blir|:|–|-)?\s*(?=\S*\d)", re.I)
NOT_PLANNED = re.compile(
    r"^(?:punkter som (?:inte|ej) är inplanerade|ej inplanerade? (?:punkter|frågor)|"
    r"ej inplanerat|framtida punkter)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Upcoming:
    datum: dt.date
    ansvarig: str | None
    not_: str | None


def upcoming(
    line: str, people: People, present: list[str], meeting: dt.date | None, tally: Tally
) -> Upcoming | None:
    """A line naming a coming meeting's date, with who sends the invitation if it says so."""
    text = plain(line)
    found = first_date(text, after=meeting)
    if found is None or found.start > 20:
        return None
    if found.day is None:
        tally.add("items", "unsure", f"Kommande möte '{text}': året framgår inte")
        return None
    ansvarig = not_ = None
    m = ASSIGNMENT.match(text)
    if m:
        match = people.in_meeting(m.group("name"), present)
        if match.id:
            ansvarig = match.id
            not_ = text[m.start("verb") :].strip().rstrip(".")
    return Upcoming(found.day, ansvarig, not_)
