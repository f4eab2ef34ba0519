"""Work per goal: the agenda items, decisions and uppdrag linked to each goal, per year.

An agenda item is linked to a goal by its `mal`; its decisions and the uppdrag given under
it follow. A goal (`mal-1`) counts what is linked to it and to its sub-goals. Items not for
publication are counted, but listed without their rubrik or text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sikt_cli.records.decisions import under_goal
from sikt_cli.records.reports.facts import Facts, GoalFacts
from sikt_cli.records.reports.period import Period, in_period

WITHHELD = "(publiceras inte)"


@dataclass(frozen=True, slots=True)
class LinkedItem:
    day: dt.date
    nr: int
    rubrik: str  # WITHHELD when not for publication
    file: str


@dataclass(frozen=True, slots=True)
class LinkedDecision:
    id: str
    day: dt.date
    text: str  # WITHHELD when not for publication
    state: str


@dataclass(frozen=True, slots=True)
class LinkedAction:
    id: str
    day: dt.date
    text: str  # WITHHELD when not for publication
    closed: bool


@dataclass(frozen=True, slots=True)
class GoalWork:
    id: str
    name: str
    parent: str | None
    items: tuple[LinkedItem, ...]
    decisions: tuple[LinkedDecision, ...]
    action_items: tuple[LinkedAction, ...]
    per_year: tuple[tuple[int, int, int, int], ...]  # (year, items, decisions, uppdrag)

    @property
    def idle(self) -> bool:
        return not self.items


@dataclass(frozen=True, slots=True)
class GoalReport:
    period: Period
    goals: tuple[GoalWork, ...]  # goals and sub-goals in mal.yaml's order

    @property
    def sub_goals(self) -> tuple[GoalWork, ...]:
        """The sub-goals (mal-1.1), or the goals themselves where a goal has none."""
        parents = {g.parent for g in self.goals if g.parent}
        return tuple(g for g in self.goals if g.parent or g.id not in parents)


def _goal_work(facts: Facts, p: Period, goal: GoalFacts, as_of: dt.date) -> GoalWork:
    meetings = in_period(facts, p)
    files = {m.file for m in meetings}
    items = [
        LinkedItem(m.day, i.nr, i.rubrik if i.published else WITHHELD, m.file)
        for m in meetings
        for i in m.items
        if under_goal(i.goals, goal.id)
    ]
    keys = {(i.file, i.nr) for i in items}
    decisions = [
        LinkedDecision(
            d.id,
            d.meeting,
            WITHHELD if (d.file, d.item_nr) in facts.withheld else d.text,
            d.state_text(as_of),
        )
        for d in facts.decisions
        if d.file in files and (d.file, d.item_nr) in keys
    ]
    actions = [
        LinkedAction(
            a.id,
            a.meeting,
            WITHHELD if (a.file, a.section) in facts.withheld else a.text,
            a.closed_on is not None and a.closed_on <= as_of,
        )
        for a in facts.action_items
        if a.file in files and (a.file, a.section) in keys
    ]
    years = sorted({m.day.year for m in meetings})
    per_year = tuple(
        (
            y,
            sum(1 for i in items if i.day.year == y),
            sum(1 for d in decisions if d.day.year == y),
            sum(1 for a in actions if a.day.year == y),
        )
        for y in years
    )
    return GoalWork(
        goal.id, goal.name, goal.parent, tuple(items), tuple(decisions), tuple(actions), per_year
    )


def goal_report(facts: Facts, p: Period, as_of: dt.date) -> GoalReport:
    """Every goal that held during the period, with what was linked to it."""
    return GoalReport(
        p,
        tuple(
            _goal_work(facts, p, g, as_of) for g in facts.goals if g.active_during(p.start, p.end)
        ),
    )
