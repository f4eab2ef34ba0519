"""The uppdrag given in a period: closed, open and overdue, per year and per municipality.

The state is the one on the report's day (the period's end, or today if that is earlier):
an uppdrag closed at a later meeting was still open then. An uppdrag for `@alla` counts
under "Alla"; one for a group under each of its members' municipalities.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sikt_cli.records.action_items import EVERYONE, ActionItem
from sikt_cli.records.reports.facts import Facts
from sikt_cli.records.reports.period import Period

ALL = "Alla"
CLOSED = "closed"
OPEN = "open"
OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Tally:
    label: str
    given: int
    closed: int
    open: int  # open and not overdue
    overdue: int


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: str
    day: dt.date
    assignees: tuple[str, ...]  # names
    municipalities: tuple[str, ...]
    text: str
    due: dt.date | None
    state: str
    closed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ActionReport:
    period: Period
    as_of: dt.date
    total: Tally
    per_year: tuple[Tally, ...]
    per_municipality: tuple[Tally, ...]  # municipalities with uppdrag, in medlemmar.yaml order
    median_days_to_close: float | None
    items: tuple[ActionRow, ...]


def state_on(a: ActionItem, day: dt.date) -> str:
    """CLOSED, OVERDUE or OPEN as the follow-ups up to `day` leave it."""
    if closed_day(a, day) is not None:
        return CLOSED
    if a.due is not None and a.due < day:
        return OVERDUE
    return OPEN


def closed_day(a: ActionItem, day: dt.date) -> dt.date | None:
    last = next((f for f in reversed(a.follow_ups) if f.meeting <= day), None)
    return last.meeting if last is not None and last.done else None


def _tally(label: str, states: list[str]) -> Tally:
    return Tally(
        label,
        len(states),
        states.count(CLOSED),
        states.count(OPEN),
        states.count(OVERDUE),
    )


def _municipalities(a: ActionItem, facts: Facts) -> tuple[str, ...]:
    home = {m.id: m.municipality for m in facts.members}
    groups = dict(facts.groups)
    found: list[str] = []
    for x in a.assignees:
        if x == EVERYONE:
            found.append(ALL)
        for member in groups.get(x, (x,)):
            if member in home:
                found.append(home[member])
    return tuple(dict.fromkeys(found))


def action_report(facts: Facts, p: Period, today: dt.date) -> ActionReport:
    as_of = min(p.end, today)
    names = {m.id: m.name for m in facts.members}
    given = [a for a in facts.action_items if p.holds(a.meeting)]
    rows = []
    for a in given:
        withheld = (a.file, a.section) in facts.withheld
        rows.append(
            ActionRow(
                a.id,
                a.meeting,
                tuple(ALL if x == EVERYONE else names.get(x, x) for x in a.assignees),
                _municipalities(a, facts),
                "(publiceras inte)" if withheld else a.text,
                a.due,
                state_on(a, as_of),
                closed_day(a, as_of),
            )
        )
    years = sorted({r.day.year for r in rows})
    per_year = tuple(_tally(str(y), [r.state for r in rows if r.day.year == y]) for y in years)
    order = [*facts.municipalities, ALL]
    towns = tuple(
        _tally(k, [r.state for r in rows if k in r.municipalities])
        for k in order
        if any(k in r.municipalities for r in rows)
    )
    waits = [(r.closed_on - r.day).days for r in rows if r.closed_on is not None]
    return ActionReport(
        p,
        as_of,
        _tally("Totalt", [r.state for r in rows]),
        per_year,
        towns,
        statistics.median(waits) if waits else None,
        tuple(rows),
    )
