"""The reports as data for programs (JSON, documented in docs/rapporter.md) and as rows for
tables (the terminal, CSV, the annual report's documents). English keys; Swedish cells."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sikt_cli.records.reports.action_items import ActionReport, Tally
from sikt_cli.records.reports.annual import AnnualReport, roles_text
from sikt_cli.records.reports.attendance import (
    ABSENT,
    PRESENT,
    STATE_NAMES,
    UNACCOUNTED,
    Attendance,
    Row,
)
from sikt_cli.records.reports.facts import LeftOut
from sikt_cli.records.reports.goals import GoalReport, GoalWork
from sikt_cli.records.reports.period import Period

LETTERS = {PRESENT: "N", ABSENT: "F", UNACCOUNTED: "–", "none": ""}
Table = tuple[list[str], list[list[str]]]  # headers, rows
STATE_WORDS = {"closed": "avslutat", "open": "öppet", "overdue": "försenat"}


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def period_json(p: Period) -> dict[str, Any]:
    return {"from": p.start.isoformat(), "to": p.end.isoformat(), "year": p.year}


def left_out_json(left: tuple[LeftOut, ...] | list[LeftOut]) -> list[dict[str, Any]]:
    return [{"file": x.file, "errors": x.errors, "first_error": x.first} for x in left]


def _row_json(r: Row) -> dict[str, Any]:
    return {
        "name": r.name,
        "municipality": r.municipality,
        "states": list(r.states),
        "present": r.count(PRESENT),
        "absent": r.count(ABSENT),
        "unaccounted": r.count(UNACCOUNTED),
    }


def attendance_json(a: Attendance) -> dict[str, Any]:
    return {
        "period": period_json(a.period),
        "meetings": [d.isoformat() for d in a.meetings],
        "municipalities": [_row_json(r) for r in a.municipalities],
        "members": [_row_json(r) for r in a.members],
    }


def _goal_json(g: GoalWork) -> dict[str, Any]:
    return {
        "id": g.id,
        "name": g.name,
        "parent": g.parent,
        "idle": g.idle,
        "items": [
            {"date": i.day.isoformat(), "nr": i.nr, "title": i.rubrik, "file": i.file}
            for i in g.items
        ],
        "decisions": [
            {"id": d.id, "date": d.day.isoformat(), "text": d.text, "state": d.state}
            for d in g.decisions
        ],
        "action_items": [
            {"id": a.id, "date": a.day.isoformat(), "text": a.text, "closed": a.closed}
            for a in g.action_items
        ],
        "per_year": [
            {"year": y, "items": i, "decisions": d, "action_items": u} for y, i, d, u in g.per_year
        ],
    }


def goals_json(g: GoalReport) -> dict[str, Any]:
    return {"period": period_json(g.period), "goals": [_goal_json(x) for x in g.goals]}


def _tally_json(t: Tally) -> dict[str, Any]:
    return {
        "label": t.label,
        "given": t.given,
        "closed": t.closed,
        "open": t.open,
        "overdue": t.overdue,
    }


def actions_json(r: ActionReport) -> dict[str, Any]:
    return {
        "period": period_json(r.period),
        "as_of": r.as_of.isoformat(),
        "total": _tally_json(r.total),
        "per_year": [_tally_json(t) for t in r.per_year],
        "per_municipality": [_tally_json(t) for t in r.per_municipality],
        "median_days_to_close": r.median_days_to_close,
        "items": [
            {
                "id": a.id,
                "date": a.day.isoformat(),
                "assignees": list(a.assignees),
                "municipalities": list(a.municipalities),
                "text": a.text,
                "due": _day(a.due),
                "state": a.state,
                "closed_on": _day(a.closed_on),
            }
            for a in r.items
        ],
    }


def annual_json(r: AnnualReport) -> dict[str, Any]:
    return {
        "year": r.year,
        "network": {"name": r.network, "full_name": r.full_name, "principal": r.principal},
        "meetings": [
            {
                "date": m.day.isoformat(),
                "time": m.tid,
                "place": m.plats,
                "chair": m.chair,
                "members_present": m.present,
                "municipalities_present": m.municipalities,
            }
            for m in r.meetings
        ],
        "attendance": attendance_json(r.attendance),
        "goals": goals_json(r.goals),
        "action_items": actions_json(r.action_items),
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "municipality": m.municipality,
                "organisation": m.organisation,
                "roles": list(m.roles),
            }
            for m in r.members
        ],
        "planned_meetings": [
            {"date": m.day.isoformat(), "time": m.tid, "place": m.plats} for m in r.planned
        ],
        "left_out": left_out_json(r.left_out),
    }


def attendance_table(a: Attendance, *, members: bool, per_meeting: bool) -> Table:
    """Municipalities (or members) with a letter per meeting (N, F, –) and the totals."""
    rows_of = a.members if members else a.municipalities
    head = ["Medlem", "Kommun"] if members else ["Kommun"]
    one_year = len({d.year for d in a.meetings}) == 1
    dates = [d.isoformat()[5:] if one_year else d.isoformat() for d in a.meetings]
    totals = ["Närv.", "Frånv.", "Ej red."] if per_meeting else []
    headers = [*head, *(dates if per_meeting else []), *totals]
    if not per_meeting:
        headers += ["Närvarande", "Frånvarande", "Ej redovisad"]
    rows = []
    for r in rows_of:
        first = [r.name, r.municipality] if members else [r.name]
        letters = [LETTERS[s] for s in r.states] if per_meeting else []
        counts = [str(r.count(s)) for s in (PRESENT, ABSENT, UNACCOUNTED)]
        rows.append([*first, *letters, *counts])
    return headers, rows


def goal_table(g: GoalReport) -> Table:
    headers = ["Mål", "Ärenden", "Beslut", "Uppdrag", "Namn"]
    rows = []
    for x in g.goals:
        name = x.name if len(x.name) <= 60 else x.name[:59] + "…"
        rows.append(
            [x.id, str(len(x.items)), str(len(x.decisions)), str(len(x.action_items)), name]
        )
    return headers, rows


def goal_lines(g: GoalReport) -> list[str]:
    """Per sub-goal: its agenda items and decisions, or 'mal-2.1: inget under 2020'."""
    out = []
    for x in g.sub_goals:
        if x.idle:
            out.append(f"{x.id}: inget {g.period.in_words}")
            continue
        out.append(f"{x.id}:")
        out += [f"  {i.day} ärende {i.nr}: {i.rubrik}" for i in x.items]
        out += [f"  beslut {d.id}: {d.text}" for d in x.decisions]
    return out


def idle_lines(g: GoalReport) -> list[str]:
    """'mal-2.1: inget under 2020' for each sub-goal without agenda items."""
    return [f"{x.id}: inget {g.period.in_words}" for x in g.sub_goals if x.idle]


def tally_table(tallies: tuple[Tally, ...] | list[Tally], first: str) -> Table:
    headers = [first, "Givna", "Avslutade", "Öppna", "Försenade"]
    rows = [[t.label, str(t.given), str(t.closed), str(t.open), str(t.overdue)] for t in tallies]
    return headers, rows


def action_item_table(r: ActionReport, *, open_only: bool = False) -> Table:
    """The uppdrag of the report (only those not closed, with `open_only`)."""
    headers = ["Id", "Ansvarig", "Uppdrag", "Senast", "Status"]
    rows = [
        [
            a.id,
            ", ".join(a.assignees),
            a.text,
            _day(a.due) or "",
            STATE_WORDS[a.state] + (f" {a.closed_on}" if a.closed_on else ""),
        ]
        for a in r.items
        if not (open_only and a.state == "closed")
    ]
    return headers, rows


def member_table(r: AnnualReport) -> Table:
    headers = ["Namn", "Kommun", "Organisation", "Roller"]
    return headers, [[m.name, m.municipality, m.organisation, roles_text(m)] for m in r.members]


def median_text(r: ActionReport) -> str:
    if r.median_days_to_close is None:
        return "Inget uppdrag från perioden var avslutat den " + r.as_of.isoformat() + "."
    days = r.median_days_to_close
    shown = f"{days:g}".replace(".", ",")
    return f"Mediantid till avslutat uppdrag: {shown} dagar."


def state_name(state: str) -> str:
    return STATE_NAMES.get(state, state)
