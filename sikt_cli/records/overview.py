"""Overviews of the archive: the member list and the meeting dates the secretary sends to
Utbildning Skaraborg, and the per-protokoll counts of `sikt protokoll lista`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sikt_cli.archive.load import Archive
from sikt_cli.collation import sort_key
from sikt_cli.dates import swedish
from sikt_cli.records.action_items import ActionItem, Tracker

ROLE_NAMES = {"ordforande": "ordförande", "sekreterare": "sekreterare", "skolchef": "skolchef"}
STATUS_NAMES = {"planerat": "planerat", "utkast": "hållet (utkast)", "justerat": "hållet, justerat"}


def member_list(archive: Archive) -> tuple[str, list[str], list[list[str]]]:
    net = archive.roster.network
    members = sorted(archive.roster.members, key=lambda m: (sort_key(m.kommun), sort_key(m.namn)))
    rows = [
        [m.namn, m.kommun, m.organisation or "", ", ".join(ROLE_NAMES.get(r, r) for r in m.roller)]
        for m in members
    ]
    return f"Medlemmar i {net.namn}", ["Namn", "Kommun", "Organisation", "Roller"], rows


def meeting_list(archive: Archive) -> tuple[str, list[str], list[list[str]]]:
    net = archive.roster.network
    dates: dict[str, str] = {}
    for m in archive.minutes:
        if m.datum:
            dates[m.datum.isoformat()] = STATUS_NAMES.get(m.status or "", m.status or "")
    for m in archive.minutes:
        for k in m.kommande:
            dates.setdefault(k.datum.isoformat(), "kommande")
    rows = []
    for day, status in sorted(dates.items()):
        rows.append([day, swedish(dt.date.fromisoformat(day)), status])
    return f"Mötesdatum för {net.namn}", ["Datum", "Dag", "Status"], rows


@dataclass(frozen=True, slots=True)
class MinutesRow:
    """One line of `sikt protokoll lista`."""

    datum: str
    status: str | None
    present: int
    decisions: int
    given: int
    still_open: int
    file: str = ""
    problem: str = ""  # why the status is unknown (the row's counts are then not real)


def minutes_overview(archive: Archive, tracker: Tracker) -> list[MinutesRow]:
    """Per protokoll: status, attendance, decisions, uppdrag given and how many are open."""
    by_file: dict[str, list[ActionItem]] = {}
    for a in tracker.items:
        by_file.setdefault(a.file, []).append(a)
    return [
        MinutesRow(
            m.file_date,
            m.status,
            len(m.narvarande),
            len(m.beslut),
            len(by_file.get(m.rel, [])),
            sum(1 for a in by_file.get(m.rel, []) if a.is_open),
            m.rel,
            "" if m.status else _why_unknown(archive, m.rel),
        )
        for m in archive.minutes
    ]


def _why_unknown(archive: Archive, rel: str) -> str:
    """The first load error of a file whose status could not be read, as one line."""
    for d in archive.diagnostics:
        if d.file == rel and d.is_error:
            where = f"rad {d.line}: " if d.line else ""
            return f"{where}{d.message} ({d.code})"
    return "'status' saknas i frontmatter"
