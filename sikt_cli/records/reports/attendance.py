"""Attendance per municipality (and per member) per meeting, and in total.

A municipality is present when one of its members is among `narvarande` (its municipality
as it was that day), absent when it or one of its members stands under `franvarande`, and
otherwise not accounted for: the minutes say nothing about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sikt_cli.records.reports.facts import Facts, MeetingFacts
from sikt_cli.records.reports.period import Period, in_period

PRESENT = "present"
ABSENT = "absent"
UNACCOUNTED = "unaccounted"
NONE = "none"  # a member who was not a member that day
STATES = (PRESENT, ABSENT, UNACCOUNTED)
STATE_NAMES = {
    PRESENT: "närvarande",
    ABSENT: "frånvarande",
    UNACCOUNTED: "ej redovisad",
    NONE: "",
}


@dataclass(frozen=True, slots=True)
class Row:
    """A municipality (or member) with its state at each meeting and the totals."""

    name: str
    municipality: str
    states: tuple[str, ...]  # one per meeting of the report

    def count(self, state: str) -> int:
        return sum(1 for s in self.states if s == state)


@dataclass(frozen=True, slots=True)
class Attendance:
    period: Period
    meetings: tuple[dt.date, ...]
    municipalities: tuple[Row, ...]  # in medlemmar.yaml's order
    members: tuple[Row, ...]  # by municipality, then name

    def with_state_in_all(self, state: str) -> list[str]:
        """Municipalities that had `state` at least once (present) or always (the others)."""
        if state == PRESENT:
            return [r.name for r in self.municipalities if r.count(PRESENT)]
        return [r.name for r in self.municipalities if r.states and r.count(state) == len(r.states)]


def _municipality_state(m: MeetingFacts, municipality: str, members: dict[str, str]) -> str:
    if any(k == municipality for _, k in m.present):
        return PRESENT
    if any(a == municipality or members.get(a) == municipality for a in m.absent):
        return ABSENT
    return UNACCOUNTED


def attendance(facts: Facts, p: Period) -> Attendance:
    meetings = in_period(facts, p)
    home = {x.id: x.municipality for x in facts.members}
    towns = tuple(
        Row(k, k, tuple(_municipality_state(m, k, home) for m in meetings))
        for k in facts.municipalities
    )
    people = []
    for x in sorted(facts.members, key=lambda x: (x.municipality, x.name)):
        if not x.active_during(p.start, p.end):
            continue
        states = []
        for m in meetings:
            if not x.active_during(m.day, m.day):
                states.append(NONE)
            elif any(i == x.id for i, _ in m.present):
                states.append(PRESENT)
            elif x.id in m.absent:
                states.append(ABSENT)
            else:
                states.append(UNACCOUNTED)
        people.append(Row(x.name, x.municipality, tuple(states)))
    return Attendance(p, tuple(m.day for m in meetings), towns, tuple(people))
