"""Queries over the meetings: the next and the previous one, the uppdrag open before a
meeting, and the agenda proposed for a new one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Minutes
from sikt_cli.records.action_items import ActionItem, track

FOLLOW_UP = "Uppföljning av uppdrag"
FIRST = ("Utse sekreterare", "Föregående protokoll", FOLLOW_UP)
LAST = ("Övrigt", "Kommande träffar och innehåll")


def next_meeting(archive: Archive, today: dt.date) -> dt.date:
    """The first `kommande` date after the latest protokoll; else today."""
    held = [m.datum for m in archive.minutes if m.datum and m.status != "planerat"]
    latest = max(held, default=None)
    dates = sorted(
        k.datum for m in archive.minutes for k in m.kommande if latest is None or k.datum > latest
    )
    return dates[0] if dates else today


def previous(archive: Archive, day: dt.date) -> Minutes | None:
    earlier = [m for m in archive.minutes if m.datum and m.datum < day]
    return earlier[-1] if earlier else None


def open_actions(archive: Archive, day: dt.date) -> list[ActionItem]:
    """Uppdrag open before the meeting on `day`, in ID order."""
    before = [m for m in archive.minutes if m.datum and m.datum < day]
    return [a for a in track(before, archive.roster).items if a.is_open]


@dataclass(frozen=True, slots=True)
class ProposedItem:
    nr: int
    rubrik: str
    mal: tuple[str, ...]


def proposed_agenda(archive: Archive, day: dt.date) -> list[ProposedItem]:
    """The standing items, the previous meeting's ej inplanerade points (with the goals
    they had there), and the closing items, numbered from 1."""
    prev = previous(archive, day)
    candidates = list(prev.ej_inplanerat) if prev else []
    prev_items = {a.rubrik: a for a in prev.arenden} if prev else {}
    out = []
    for nr, rubrik in enumerate([*FIRST, *candidates, *LAST], start=1):
        mal = tuple(r.value for r in prev_items[rubrik].mal) if rubrik in prev_items else ()
        out.append(ProposedItem(nr, rubrik, mal))
    return out
