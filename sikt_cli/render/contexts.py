"""One context builder per template: the model shaped into plain data that templates format.

Templates arrive in pull requests and only format; every decision (names, dates in
Swedish, which items, which goals) is made here, in Python.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from sikt_cli.archive.body import FILL_IN, WHAT_HAPPENED
from sikt_cli.archive.layout import MEMBERS_FILE
from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import AgendaItem, Minutes
from sikt_cli.dates import swedish
from sikt_cli.records.action_items import ActionItem, assignee_names, shown_text
from sikt_cli.records.meetings import FOLLOW_UP, open_actions, previous, proposed_agenda


def _agenda_entry(archive: Archive, nr: int, rubrik: str, mal: list[str]) -> dict[str, Any]:
    goals = archive.goals.by_id
    return {
        "nr": nr,
        "rubrik": rubrik,
        "mal": mal,
        "mal_text": [f"{g} {goals[g].namn}" for g in mal if g in goals],
        "uppfoljning": rubrik == FOLLOW_UP,
    }


def agenda(archive: Archive, items: list[AgendaItem]) -> list[dict[str, Any]]:
    """A protokoll's own agenda, as the templates show it."""
    return [_agenda_entry(archive, a.nr, a.rubrik, [r.value for r in a.mal]) for a in items]


def _open_action(a: ActionItem, archive: Archive, day: dt.date) -> dict[str, Any]:
    return {
        "id": a.id,
        "mentions": " ".join("@" + x for x in a.assignees),
        "who": assignee_names(a, archive.roster),
        "text": a.text,
        "what": shown_text(a, archive.roster),  # after "who": the name not read twice
        "due": a.due.isoformat() if a.due else "",
        "overdue": a.overdue(day),
    }


def meeting(
    archive: Archive, day: dt.date, *, status: str, sekreterare: str | None = None
) -> dict[str, Any]:
    """Everything the protokoll and kallelse templates may use, as plain data."""
    roster = archive.roster
    net = roster.network
    prev = previous(archive, day)
    upcoming = next((k for m in archive.minutes for k in m.kommande if k.datum == day), None)
    chairs = roster.with_role("ordforande")
    chair = chairs[0] if chairs else None
    return {
        "natverk": net.namn,
        "natverk_fullt": net.fullt_namn or net.namn,
        "rapport_till": list(net.rapport_till),
        "datum": day.isoformat(),
        "datum_text": swedish(day),
        "tid": (upcoming.tid if upcoming and upcoming.tid else net.tid) or "",
        "plats": (upcoming.plats if upcoming and upcoming.plats else net.plats) or "",
        "status": status,
        "ordforande": chair.id if chair else "",
        "ordforande_namn": chair.namn if chair else "",
        "sekreterare": sekreterare or "",
        "arenden": [
            _agenda_entry(archive, p.nr, p.rubrik, list(p.mal))
            for p in proposed_agenda(archive, day)
        ],
        "open_actions": [_open_action(a, archive, day) for a in open_actions(archive, day)],
        "members": [
            {"id": m.id, "namn": m.namn, "kommun": m.kommun}
            for m in roster.members
            if m.active_on(day)
        ],
        "kommuner": list(roster.kommuner),
        "fill_in": FILL_IN,
        "what_happened": WHAT_HAPPENED,
        "foregaende": prev.file_date if prev else "",
    }


def notice(archive: Archive, day: dt.date) -> dict[str, Any]:
    """The kallelse: the meeting's context, with the planned protokoll's own agenda,
    time and place when that file exists."""
    ctx = meeting(archive, day, status="planerat")
    planned = archive.minutes_on(day.isoformat())
    if planned is not None and planned.arenden:
        ctx["arenden"] = agenda(archive, list(planned.arenden))
        ctx["tid"] = planned.tid or ctx["tid"]
        ctx["plats"] = planned.plats or ctx["plats"]
    ctx["lank"] = meeting_link_value(archive, planned)[0] or ""
    ctx["bilagor"] = [PurePosixPath(b).name for b in planned.bilagor] if planned else []
    return ctx


def meeting_link_value(archive: Archive, planned: Minutes | None) -> tuple[str | None, str]:
    """`lank` as written, and the file it is written in: the protokoll's when it has the
    key (even an invalid or empty one, which `sikt kallelse` then refuses, as `sikt
    validera` reports it), else the network's in medlemmar.yaml."""
    if planned is not None and planned.lank is not None:
        return planned.lank, planned.rel
    return archive.roster.network.lank, MEMBERS_FILE
