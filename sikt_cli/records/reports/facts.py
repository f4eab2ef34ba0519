"""What the reports read, taken once from the archive: small, picklable, and cached.

Every protokoll with an error (as `sikt validera` reports it) is left out of the facts and
named in `left_out` with its first error, so that no report counts from a half-valid file
without saying so. Items not for publication keep their place and their counts, never
their text: reports go to the principal (records/publication.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sikt_cli.archive.load import Archive
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.records.action_items import ActionItem, track
from sikt_cli.records.decisions import DecisionRecord, decision_records
from sikt_cli.records.publication import withheld_items


@dataclass(frozen=True, slots=True)
class ItemFacts:
    nr: int
    rubrik: str  # "" when not for publication
    goals: tuple[str, ...]
    published: bool


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    file: str
    day: dt.date
    status: str
    tid: str
    plats: str
    chair: str  # name
    present: tuple[tuple[str, str], ...]  # (member id, municipality that day)
    absent: tuple[str, ...]  # municipalities and member ids, as written
    items: tuple[ItemFacts, ...]
    upcoming: tuple[tuple[dt.date, str, str], ...]  # (day, tid, plats) from `kommande`


def _overlaps(since: dt.date | None, until: dt.date | None, start: dt.date, end: dt.date) -> bool:
    """Whether a validity period (open at either end) shares a day with start..end."""
    return (since is None or since <= end) and (until is None or start <= until)


@dataclass(frozen=True, slots=True)
class MemberFacts:
    id: str
    name: str
    municipality: str
    organisation: str
    roles: tuple[str, ...]
    since: dt.date | None
    until: dt.date | None

    def active_during(self, start: dt.date, end: dt.date) -> bool:
        return _overlaps(self.since, self.until, start, end)


@dataclass(frozen=True, slots=True)
class GoalFacts:
    id: str
    name: str
    parent: str | None
    since: dt.date | None
    until: dt.date | None

    def active_during(self, start: dt.date, end: dt.date) -> bool:
        return _overlaps(self.since, self.until, start, end)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A protokoll the reports do not count, and why (its first error)."""

    file: str
    day: dt.date | None  # from the file name
    errors: int
    first: str  # "rad 12: SIKT204 Okänd medlem 'x' i 'narvarande'."


@dataclass(frozen=True, slots=True)
class Facts:
    network: str
    full_name: str
    principal: str
    report_to: tuple[str, ...]
    municipalities: tuple[str, ...]
    members: tuple[MemberFacts, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group id, member ids)
    goals: tuple[GoalFacts, ...]
    meetings: tuple[MeetingFacts, ...]  # every readable, error-free protokoll, oldest first
    decisions: tuple[DecisionRecord, ...]  # of those meetings, oldest first
    action_items: tuple[ActionItem, ...]  # given at those meetings, texts of withheld removed
    left_out: tuple[LeftOut, ...]
    data_errors: tuple[str, ...]  # errors in medlemmar.yaml or mal.yaml: no report then
    # agenda items (file, nr) not for publication: their decisions and uppdrag lose their text
    withheld: frozenset[tuple[str, int]]


def _file_day(rel: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(rel.rsplit("/", 1)[-1].removesuffix(".md"))
    except ValueError:
        return None


def _left_out(diagnostics: Iterable[Diagnostic]) -> tuple[list[LeftOut], list[str]]:
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.is_error:
            by_file.setdefault(d.file, []).append(d)
    left, data = [], []
    for file, found in sorted(by_file.items()):
        found.sort(key=lambda d: (d.line, d.column))
        first = found[0]
        where = f"rad {first.line}: " if first.line else ""
        text = f"{where}{first.code} {first.message}"
        if file.startswith("protokoll/"):
            left.append(LeftOut(file, _file_day(file), len(found), text))
        else:
            data.append(f"{file}: {len(found)} fel, första på {text}")
    return left, data


def collect(archive: Archive, diagnostics: Iterable[Diagnostic]) -> Facts:
    """The facts of the archive; `diagnostics` are what `sikt validera` finds in it."""
    left, data = _left_out(diagnostics)
    skip = {x.file for x in left}
    kept = [m for m in archive.minutes if m.rel not in skip and m.datum is not None]
    roster = archive.roster
    withheld = frozenset((m.rel, a.nr) for m in kept for a in withheld_items(m))
    meetings = []
    for m in kept:
        assert m.datum is not None
        day = m.datum
        present = tuple(
            (r.value, member.as_of(day)[1])
            for r in m.narvarande
            if (member := roster.member(r.value)) is not None
        )
        items = tuple(
            ItemFacts(
                a.nr,
                "" if (m.rel, a.nr) in withheld else a.rubrik,
                tuple(g.value for g in a.mal),
                (m.rel, a.nr) not in withheld,
            )
            for a in m.arenden
        )
        meetings.append(
            MeetingFacts(
                m.rel,
                day,
                m.status or "",
                m.tid or "",
                m.plats or "",
                roster.name_on(m.ordforande.value if m.ordforande else None, day),
                present,
                tuple(r.value for r in m.franvarande),
                items,
                tuple((k.datum, k.tid or "", k.plats or "") for k in m.kommande),
            )
        )
    net = roster.network
    return Facts(
        network=net.namn,
        full_name=net.fullt_namn or "",
        principal=net.huvudman or "",
        report_to=net.rapport_till,
        municipalities=roster.kommuner,
        members=tuple(
            MemberFacts(m.id, m.namn, m.kommun, m.organisation or "", m.roller, m.fran, m.till)
            for m in roster.members
        ),
        groups=tuple((g.id, tuple(r.value for r in g.members)) for g in roster.groups),
        goals=tuple(GoalFacts(g.id, g.namn, g.parent, g.fran, g.till) for g in archive.goals.goals),
        meetings=tuple(meetings),
        decisions=tuple(decision_records(kept)),
        action_items=tuple(track(kept, roster).items),
        left_out=tuple(left),
        data_errors=tuple(data),
        withheld=withheld,
    )
