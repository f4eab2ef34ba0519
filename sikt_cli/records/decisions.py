"""The decision log: every `beslut` of the archive with its id, agenda item and goals.

A decision's id is `<datum>#b<n>`: the n-th decision in that protokoll's `beslut` list, in
frontmatter order (an uppdrag's is `<datum>#<n>`, so the two cannot be confused). Ids are
stable because justerade protokoll are locked. A later decision supersedes an earlier one
with `ersatter: <id>`; one with `giltig_till` has lapsed after that day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sikt_cli.archive.body import Body
from sikt_cli.archive.model import Minutes
from sikt_cli.cache import reduce_by_fields
from sikt_cli.records.words import stems, swedish

ID = re.compile(r"^(\d{4}-\d{2}-\d{2})#b(\d+)$")


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    id: str
    meeting: dt.date
    file: str
    line: int
    item_nr: int
    item_rubrik: str
    goals: tuple[str, ...]
    text: str
    supersedes: str | None = None  # as written under `ersatter`
    supersedes_line: int = 0
    supersedes_column: int = 0
    valid_until: dt.date | None = None
    superseded_by: str | None = None  # the later decision that replaces this one

    def state(self, today: dt.date) -> str:
        """`gäller`, `ersatt` (by a later decision) or `upphört` (after `giltig_till`)."""
        if self.superseded_by:
            return "ersatt"
        if self.valid_until is not None and self.valid_until < today:
            return "upphört"
        return "gäller"

    def state_text(self, today: dt.date) -> str:
        """The state as a reader wants it: `ersatt av 2021-03-05#b1`, `upphörde 2021-12-31`."""
        state = self.state(today)
        if state == "ersatt":
            return f"ersatt av {self.superseded_by}"
        if state == "upphört":
            return f"upphörde {self.valid_until}"
        return f"gäller till {self.valid_until}" if self.valid_until else "gäller"


def decision_records(
    minutes: Iterable[Minutes], made: Mapping[str, tuple[DecisionRecord, ...]] | None = None
) -> list[DecisionRecord]:
    """Every decision, oldest first, with `superseded_by` filled in from later `ersatter`.
    `made`: each protokoll's `decisions_of`, where it was made already (by the process that
    loaded it)."""
    taken = [(m, own) for m in minutes if (own := _own(m, made))]
    taken.sort(key=lambda pair: (pair[0].file_date, pair[0].rel))
    found = [d for _, own in taken for d in own]
    by_id = {d.id: d for d in found}
    replaced: dict[str, str] = {}
    for d in found:
        target = by_id.get(d.supersedes or "")
        if target is not None and target.meeting < d.meeting and target.id not in replaced:
            replaced[target.id] = d.id  # the first later decision that names it (SIKT310/311)
    # only the superseded are copied: at 10,000 protokoll copying every decision was half of
    # `supersedes`, serial in `validera`
    return [
        dataclasses.replace(d, superseded_by=replaced[d.id]) if d.id in replaced else d
        for d in found
    ]


def _own(
    m: Minutes, made: Mapping[str, tuple[DecisionRecord, ...]] | None
) -> tuple[DecisionRecord, ...]:
    own = made.get(m.rel) if made is not None else None
    return own if own is not None else decisions_of(m)


def decisions_of(m: Minutes) -> tuple[DecisionRecord, ...]:
    """The protokoll's own decisions, none yet superseded; none without a `datum`."""
    if not m.beslut or m.datum is None:
        return ()
    day = m.file_date
    items = {a.nr: a for a in m.arenden}
    out = []
    for n, b in enumerate(m.beslut, 1):
        item = items.get(b.arende)
        out.append(
            DecisionRecord(
                id=f"{day}#b{n}",
                meeting=m.datum,
                file=m.rel,
                line=b.pos.line,
                item_nr=b.arende,
                item_rubrik=item.rubrik if item else "",
                goals=tuple(g.value for g in item.mal) if item else (),
                text=b.text,
                supersedes=b.ersatter.value if b.ersatter else None,
                supersedes_line=b.ersatter.pos.line if b.ersatter else 0,
                supersedes_column=b.ersatter.pos.column if b.ersatter else 0,
                valid_until=b.giltig_till,
            )
        )
    return tuple(out)


def valid_supersedes(d: DecisionRecord, by_id: dict[str, DecisionRecord]) -> bool:
    target = by_id.get(d.supersedes or "")
    return target is not None and target.meeting < d.meeting


def chain(d: DecisionRecord, by_id: dict[str, DecisionRecord]) -> list[DecisionRecord]:
    """The decisions `d` belongs with, oldest first: what it replaced and what replaced it."""
    before: list[DecisionRecord] = []
    seen = {d.id}
    cur = d
    while cur.supersedes and valid_supersedes(cur, by_id) and cur.supersedes not in seen:
        cur = by_id[cur.supersedes]
        seen.add(cur.id)
        before.insert(0, cur)
    after: list[DecisionRecord] = []
    cur = d
    while cur.superseded_by and cur.superseded_by not in seen:
        cur = by_id[cur.superseded_by]
        seen.add(cur.id)
        after.append(cur)
    return [*before, d, *after]


@dataclass(frozen=True, slots=True)
class DecisionFilter:
    year: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    goal: str | None = None  # this goal or any of its sub-goals (mal-1 → mal-1.2)
    text: str | None = None  # every word, in any of its forms, in the text or the rubrik


def under_goal(goals: Iterable[str], goal: str) -> bool:
    return any(g == goal or g.startswith(goal + ".") for g in goals)


def select(records: Iterable[DecisionRecord], f: DecisionFilter) -> list[DecisionRecord]:
    """The decisions the filter lets through, newest first."""
    words = set(stems(f.text, swedish).split()) if f.text else set()
    out = []
    for d in records:
        if f.year is not None and d.meeting.year != f.year:
            continue
        if (f.since and d.meeting < f.since) or (f.until and d.meeting > f.until):
            continue
        if f.goal is not None and not under_goal(d.goals, f.goal):
            continue
        if words and not words <= set(stems(f"{d.item_rubrik} {d.text}", swedish).split()):
            continue
        out.append(d)
    return sorted(out, key=lambda d: (d.meeting, d.id), reverse=True)


def item_text(body: Body | None, lines: list[str], nr: int) -> list[tuple[int, str]]:
    """The agenda item's section of the text, as (file line, text), heading first."""
    if body is None:
        return []
    tops = [h for h in body.headings if h.level <= 2]
    for i, h in enumerate(tops):
        if h.nr == nr:
            end = tops[i + 1].line if i + 1 < len(tops) else len(lines) + 1
            section = [(n, lines[n - 1]) for n in range(h.line, min(end, len(lines) + 1))]
            while section and not section[-1][1].strip():
                section.pop()
            return section
    return []


# sent back from the loader's workers (rules.check_each): see cache.reduce_by_fields
DecisionRecord.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
