"""The annual report (verksamhetsberättelse) for a calendar year, as data.

The network and its principal, the meetings held, attendance per municipality, the work per
goal with its decisions, the uppdrag, the member list and next year's planned meetings.
Rendering (blocks → docx, pdf, html, md) is render/annual_report.py's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sikt_cli.records.reports.action_items import ActionReport, action_report
from sikt_cli.records.reports.attendance import PRESENT, Attendance, attendance
from sikt_cli.records.reports.facts import Facts, LeftOut, MemberFacts
from sikt_cli.records.reports.goals import GoalReport, goal_report
from sikt_cli.records.reports.period import Period, held_meetings, in_period

ROLE_NAMES = {"ordforande": "ordförande", "sekreterare": "sekreterare", "skolchef": "skolchef"}


@dataclass(frozen=True, slots=True)
class HeldMeeting:
    day: dt.date
    tid: str
    plats: str
    chair: str
    present: int  # members present
    municipalities: int  # municipalities present


@dataclass(frozen=True, slots=True)
class PlannedMeeting:
    day: dt.date
    tid: str
    plats: str


@dataclass(frozen=True, slots=True)
class AnnualReport:
    year: int
    network: str
    full_name: str
    principal: str
    meetings: tuple[HeldMeeting, ...]
    attendance: Attendance
    goals: GoalReport
    action_items: ActionReport
    members: tuple[MemberFacts, ...]  # members during the year, by municipality and name
    planned: tuple[PlannedMeeting, ...]  # next year's
    left_out: tuple[LeftOut, ...]  # protokoll of the year not counted, and why


def planned_meetings(facts: Facts, year: int) -> list[PlannedMeeting]:
    """Meetings planned for `year`: `kommande` dates and `planerat` protokoll."""
    found: dict[dt.date, PlannedMeeting] = {}
    for m in facts.meetings:
        if m.status == "planerat" and m.day.year == year:
            found[m.day] = PlannedMeeting(m.day, m.tid, m.plats)
    held = {m.day for m in held_meetings(facts)}
    for m in facts.meetings:
        for day, tid, plats in m.upcoming:
            if day.year == year and day not in found and day not in held:
                found[day] = PlannedMeeting(day, tid, plats)
    return [found[d] for d in sorted(found)]


def annual_report(facts: Facts, p: Period, today: dt.date) -> AnnualReport:
    assert p.year is not None
    meetings = tuple(
        HeldMeeting(
            m.day,
            m.tid,
            m.plats,
            m.chair,
            len(m.present),
            len({k for _, k in m.present}),
        )
        for m in in_period(facts, p)
    )
    people = tuple(
        sorted(
            (x for x in facts.members if x.active_during(p.start, p.end)),
            key=lambda x: (x.municipality, x.name),
        )
    )
    return AnnualReport(
        year=p.year,
        network=facts.network,
        full_name=facts.full_name,
        principal=facts.principal,
        meetings=meetings,
        attendance=attendance(facts, p),
        goals=goal_report(facts, p, min(p.end, today)),
        action_items=action_report(facts, p, today),
        members=people,
        planned=tuple(planned_meetings(facts, p.year + 1)),
        left_out=tuple(x for x in facts.left_out if x.day is not None and p.holds(x.day)),
    )


def roles_text(m: MemberFacts) -> str:
    return ", ".join(ROLE_NAMES.get(r, r) for r in m.roles)


def present_somewhere(report: AnnualReport) -> int:
    return sum(1 for r in report.attendance.municipalities if r.count(PRESENT))
