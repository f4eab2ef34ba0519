"""`sikt uppdrag`: the uppdrag a user asked for, and one uppdrag with its history.

The everyday questions are answered from the result cache: the open uppdrag are stored
apart from the whole history, so `--mina` loads only what it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sikt_cli.archive.layout import archive_files
from sikt_cli.archive.model import Roster
from sikt_cli.cache import cached
from sikt_cli.errors import Refused, UsageError
from sikt_cli.records.action_items import ActionItem, Selection, Tracker, select
from sikt_cli.text import did_you_mean


def tracked(
    root: Path, *, include_closed: bool = True, cache: bool = True
) -> tuple[Roster, Tracker, int]:
    """The roster, the uppdrag with their follow-ups, and the archive's error count.

    An unchanged archive is answered from `.sikt-cache/` (keyed by every file's content
    hash and the tool's version) without parsing anything.
    """

    def compute() -> dict[str, Any]:
        from sikt_cli.rules import load_checked

        # every error `sikt validera` would report: a wrong date or a duplicated file can
        # hide or misnumber uppdrag, so the list must say it may be incomplete
        archive, ctx, found = load_checked(root)
        errors = sum(1 for d in found if d.is_error)
        tracker = ctx.tracker
        open_only = Tracker([a for a in tracker.items if a.is_open], tracker.diagnostics)
        return {
            "uppdrag": (archive.roster, tracker, errors),
            "uppdrag-oppna": (archive.roster, open_only, errors),
        }

    entry = "uppdrag" if include_closed else "uppdrag-oppna"
    roster, tracker, errors = cached(root, archive_files(root), entry, compute, enabled=cache)
    return roster, tracker, errors


@dataclass(frozen=True, slots=True)
class Query:
    """What `sikt uppdrag` was asked: whose, which, and as of which day."""

    mina: bool = False
    jag: str | None = None
    medlem: str | None = None
    kommun: str | None = None
    alla: bool = False
    forsenade: bool = False
    per: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    items: list[ActionItem]
    roster: Roster
    today: dt.date
    archive_errors: int  # errors `sikt validera` reports: the list may be incomplete


def list_items(root: Path, query: Query) -> Listing:
    """The selected uppdrag, sorted by due date; a SiktError for an unknown member/kommun."""
    from sikt_cli.services.identity import resolve

    if query.mina and query.medlem:
        raise UsageError(
            "--mina och --medlem kan inte användas tillsammans.",
            "Välj --mina för dina egna uppdrag eller --medlem ID för någon annans.",
        )
    roster, tracker, problems = tracked(root, include_closed=query.alla)
    today = query.per or dt.date.today()
    member = resolve(roster, root, query.jag) if query.mina else query.medlem
    if member:
        roster.require(member, error=UsageError)
    if query.kommun and query.kommun not in roster.kommuner:
        guess = did_you_mean(query.kommun, roster.kommuner)
        raise UsageError(
            f"'{query.kommun}' finns inte bland kommunerna i medlemmar.yaml.",
            f"Menade du '{guess}'?" if guess else "Kommuner: " + ", ".join(roster.kommuner),
        )
    selection = Selection(
        member=member,
        kommun=query.kommun,
        include_closed=query.alla,
        overdue_on=today if query.forsenade else None,
    )
    return Listing(select(tracker.items, roster, selection), roster, today, problems)


def find_item(root: Path, action_id: str) -> tuple[ActionItem, Roster]:
    """One uppdrag with its whole history, or a Refused error with the closest ID."""
    roster, tracker, _ = tracked(root)
    item = tracker.get(action_id)
    if item is None:
        guess = did_you_mean(action_id, [a.id for a in tracker.items])
        raise Refused(
            f"Inget uppdrag har ID '{action_id}'.",
            (f"Menade du '{guess}'? " if guess else "") + "Se 'sikt uppdrag --alla' för alla ID.",
        )
    return item, roster
