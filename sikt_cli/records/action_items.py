"""Uppdrag: extraction from task items and the fold of follow-ups across meetings.

An uppdrag is a task item carrying one or more `@id` (member, group or `@alla`); its ID is
`<datum>#<n>`, the n-th uppdrag of that protokoll in document order. A task item that
starts with an earlier uppdrag's ID is a follow-up: `[x]` closes it, `[ ]` keeps it open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sikt_cli.archive.body import FILL_IN, Task
from sikt_cli.archive.model import Minutes, Roster
from sikt_cli.cache import reduce_by_fields
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic

EVERYONE = "alla"  # `@alla`: the whole network
_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})#(\d+)\b")
# `senast` is matched in any case: "Senast 2020-09-04" at the start of a sentence is the same.
_DUE = re.compile(r"(?:\bsenast|📅)\s*(\d{4}-\d{1,2}-\d{1,2})\b", re.IGNORECASE)
_LEADING_MENTIONS = re.compile(r"^(?:@[A-Za-z0-9-]+[\s,:;]*)+")


@dataclass(frozen=True, slots=True)
class FollowUp:
    action_id: str
    done: bool
    comment: str
    meeting: dt.date
    file: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ActionItem:
    id: str
    meeting: dt.date
    file: str
    line: int
    column: int
    assignees: tuple[str, ...]
    text: str
    due: dt.date | None
    section: int | None
    section_title: str | None
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def number(self) -> int:
        """n of the ID `<datum>#<n>`."""
        return int(self.id.split("#")[1])

    @property
    def is_open(self) -> bool:
        return not self.follow_ups or not self.follow_ups[-1].done

    @property
    def closed_on(self) -> dt.date | None:
        return None if self.is_open else self.follow_ups[-1].meeting

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due is not None and self.due < today

    def concerns(self, member_id: str, roster: Roster) -> bool:
        """True if the member is named, is in a named group, or the uppdrag is `@alla`."""
        if member_id in self.assignees or EVERYONE in self.assignees:
            return True
        return any(
            g.id in self.assignees and any(r.value == member_id for r in g.members)
            for g in roster.groups
        )


@dataclass(slots=True)
class Tracker:
    items: list[ActionItem] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def get(self, action_id: str) -> ActionItem | None:
        for item in self.items:
            if item.id == action_id:
                return item
        return None


# an uppdrag, a follow-up's task item, or a finding on a task item (Extract)
Entry = ActionItem | Task | Diagnostic


@dataclass(frozen=True, slots=True)
class Extract:
    """What one protokoll gives `track` on its own, in the order of its task items: each
    uppdrag, each follow-up (the task item, folded into its uppdrag by `track`) and each
    finding on a task item alone (SIKT401, SIKT403, SIKT407). A large archive has it made
    where the protokoll was loaded (rules.check_each), in every process at once."""

    entries: tuple[Entry, ...]


def _without(text: str, start: int, end: int) -> str:
    """The text with [start:end] cut out, joining what is left as a sentence."""
    before, after = text[:start].rstrip(" ,;"), text[end:].lstrip(" ")
    if before.endswith("(") and after.startswith(")"):
        before, after = before[:-1].rstrip(" ,;"), after[1:]
    sep = "" if not before or after[:1] in ("", ".", ",", ";", ":", "!", "?") else " "
    return " ".join((before + sep + after).split()).strip(" ,;")


def _due(
    text: str, m: Minutes, line: int, column: int, diags: list[Entry]
) -> tuple[dt.date | None, str]:
    """The due date written in the text (and the text without it), or the next meeting."""
    found = _DUE.search(text) if _may_have_due(text) else None
    if found:
        raw = found.group(1)
        cleaned = _without(text, found.start(), found.end())
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            return dt.date.fromisoformat(raw), cleaned
        except ValueError:
            diags.append(
                diag(
                    "SIKT403",
                    m.rel,
                    line,
                    column,
                    f"Ogiltigt datum i uppdraget: '{raw}'.",
                    "Skriv sista datum som 'senast ÅÅÅÅ-MM-DD', t.ex. 'senast 2020-09-04'.",
                )
            )
            return None, cleaned
    return (m.kommande[0].datum if m.kommande else None), text


def _may_have_due(text: str) -> bool:
    """False when _DUE cannot match: no 📅 and no `senast` in any case. Every character
    that _DUE's IGNORECASE takes for a letter of `senast` (`ſ` for s) case-folds to it
    (tests/test_fast_paths.py), and the search is a fifth of extracting an uppdrag."""
    return "📅" in text or "senast" in text.casefold()


def track(
    minutes: Iterable[Minutes], roster: Roster, made: Mapping[str, Extract] | None = None
) -> Tracker:
    """Extract every uppdrag and fold every follow-up, in meeting order. `made`: each
    protokoll's `extract`, where it was made already (by the process that loaded it)."""
    tracker = Tracker()
    folding = _Folding()
    dated = [m for m in minutes if m.body is not None and m.datum is not None]
    # two protokoll with one date would give the same IDs: neither is tracked (SIKT508)
    claimed = Counter(m.datum for m in dated)
    ordered = sorted((m for m in dated if claimed[m.datum] == 1), key=lambda m: (m.datum, m.rel))
    for m in ordered:
        assert m.datum is not None
        day = m.datum.isoformat()
        found = made.get(m.rel) if made is not None else None
        for entry in (found if found is not None else extract(m)).entries:
            if isinstance(entry, ActionItem):
                folding.items[entry.id] = entry
            elif isinstance(entry, Task):
                _follow_up(tracker, folding, m, day, entry)
            else:
                tracker.diagnostics.append(entry)
    # in meeting order, and by number within a meeting: the order they were found in
    tracker.items = [folding.folded(item) for item in folding.items.values()]
    return tracker


def extract(m: Minutes) -> Extract:
    """The protokoll's own part of `track` (it needs a body and a `datum`)."""
    assert m.body is not None and m.datum is not None
    day = m.datum.isoformat()
    entries: list[Entry] = []
    titles: dict[int, str] | None = None
    n = 0
    for task in m.body.tasks:
        if _ID.match(task.text):
            entries.append(task)
        elif not task.mentions and task.odd_mentions:
            continue  # SIKT402 on each `@eva_karlsson` says what was meant
        elif not task.mentions:
            entries.append(
                _at(
                    "SIKT401",
                    m,
                    task,
                    "Uppgiften saknar ansvarig: ett uppdrag behöver minst en @medlem.",
                    "Skriv t.ex. '- [ ] @sara-von-seth Skicka protokollet', @grupp-id eller "
                    "@alla. Är det inget uppdrag, skriv en vanlig punkt utan [ ].",
                )
            )
        else:
            n += 1
            titles = _titles(m) if titles is None else titles
            entries.append(_new_item(m, day, task, n, titles, entries))
    return Extract(tuple(entries))


@dataclass(slots=True)
class _Folding:
    """The uppdrag found so far, by ID, and the follow-ups of each so far: each uppdrag
    is made once with all its follow-ups at the end (making it again at every follow-up
    was a third of `track`, serial in `validera`)."""

    items: dict[str, ActionItem] = field(default_factory=dict)
    follow_ups: dict[str, list[FollowUp]] = field(default_factory=dict)

    def last(self, action_id: str) -> FollowUp | None:
        done = self.follow_ups.get(action_id)
        return done[-1] if done else None

    def folded(self, item: ActionItem) -> ActionItem:
        done = self.follow_ups.get(item.id)
        if not done:
            return item
        # the fields in slot order, as pickling reads them; follow_ups is the last
        make, values = reduce_by_fields(item)
        return make(*values[:-1], tuple(done))  # type: ignore[no-any-return]


assert ActionItem.__slots__[-1] == "follow_ups", "_Folding.folded passes the others in order"


def _titles(m: Minutes) -> dict[int, str]:
    """The agenda's rubrik per number; for a heading missing from the agenda (SIKT309),
    its own text."""
    assert m.body is not None
    headings = {h.nr: h.title for h in m.body.headings if h.nr is not None and h.level <= 2}
    return headings | {a.nr: a.rubrik for a in m.arenden}


def _at(code: str, m: Minutes, task: Task, message: str, hint: str) -> Diagnostic:
    return diag(code, m.rel, task.line, task.column, message, hint)


def _new_item(
    m: Minutes, day: str, task: Task, n: int, titles: dict[int, str], diags: list[Entry]
) -> ActionItem:
    """The n-th uppdrag of the protokoll: its assignees, text without the due date, due date."""
    assert m.datum is not None
    due, text = _due(task.text, m, task.line, task.column, diags)
    if due is not None and due < m.datum:
        diags.append(
            _at(
                "SIKT407",
                m,
                task,
                f"Sista datum {due.isoformat()} ligger före mötet ({day}).",
                "Rätta datumet efter 'senast': ett uppdrag förfaller inte innan det ges.",
            )
        )
    return ActionItem(
        id=f"{day}#{n}",
        meeting=m.datum,
        file=m.rel,
        line=task.line,
        column=task.column,
        assignees=tuple(dict.fromkeys(x.name for x in task.mentions)),
        text=_LEADING_MENTIONS.sub("", text).strip(),
        due=due,
        section=task.section,
        section_title=titles.get(task.section) if task.section else None,
    )


def _follow_up(tracker: Tracker, folding: _Folding, m: Minutes, day: str, task: Task) -> None:
    """Fold one follow-up into its uppdrag, or say why it cannot be one."""
    assert m.datum is not None
    ref = _ID.match(task.text)
    assert ref is not None  # extract took the task item for a follow-up by it
    # leading zeros dropped as int() would, without int(): 4,301+ digits raise ValueError
    action_id = f"{ref.group(1)}#{ref.group(2).lstrip('0') or '0'}"
    problem = _follow_up_problem(folding, m, day, task, ref, action_id)
    if problem is not None:
        tracker.diagnostics.append(problem)
        return
    comment = task.text[ref.end() :].strip(" :–-")
    if comment.startswith(FILL_IN):  # `protokoll ny`'s placeholder says nothing (SIKT408)
        comment = ""
    fu = FollowUp(action_id, task.checked, comment, m.datum, m.rel, task.line, task.column)
    folding.follow_ups.setdefault(action_id, []).append(fu)


def _follow_up_problem(
    folding: _Folding, m: Minutes, day: str, task: Task, ref: re.Match[str], action_id: str
) -> Diagnostic | None:
    given = ref.group(1)
    try:
        dt.date.fromisoformat(given)
    except ValueError:
        return _at(
            "SIKT404",
            m,
            task,
            f"Uppföljningen avser {action_id}, men {given} är inget giltigt datum.",
            "Skriv uppdragets ID som det står i 'sikt uppdrag --alla', t.ex. 2020-06-05#3.",
        )
    if given >= day:
        return _at(
            "SIKT405",
            m,
            task,
            f"Uppföljningen avser {action_id}, som är från samma eller ett senare möte.",
            "Ett uppdrag följs upp på ett senare möte; kontrollera datumet i ID:t.",
        )
    if action_id not in folding.items:
        known = [i for i in folding.items if i.startswith(given)]
        return _at(
            "SIKT404",
            m,
            task,
            f"Uppföljningen avser {action_id}, men inget uppdrag har det ID:t.",
            "Uppdrag från det mötet: " + ", ".join(known) + "."
            if known
            else "Se 'sikt uppdrag --alla' för alla uppdrag och deras ID.",
        )
    prev = folding.last(action_id)
    if task.checked and prev is not None and prev.done:
        return _at(
            "SIKT406",
            m,
            task,
            f"Uppdraget {action_id} avslutades redan {prev.meeting.isoformat()} "
            f"({prev.file}:{prev.line}).",
            "Ta bort bocken eller uppföljningen; ett avslutat uppdrag kan inte avslutas igen.",
        )
    return None


@dataclass(frozen=True, slots=True)
class Selection:
    member: str | None = None
    kommun: str | None = None
    include_closed: bool = False
    overdue_on: dt.date | None = None


def select(items: Iterable[ActionItem], roster: Roster, sel: Selection) -> list[ActionItem]:
    """Filter and sort by due date (no due date last), then by ID."""
    out = []
    for a in items:
        if not sel.include_closed and not a.is_open:
            continue
        if sel.member and not a.concerns(sel.member, roster):
            continue
        if sel.kommun and not any(
            a.concerns(m.id, roster) for m in roster.members if m.kommun == sel.kommun
        ):
            continue
        if sel.overdue_on and not a.overdue(sel.overdue_on):
            continue
        out.append(a)
    return sorted(out, key=lambda a: (a.due or dt.date.max, a.meeting, a.number))


_LEAD_IN = re.compile(r"^.{1,40}?\s[–—:-]\s+")  # "4 september – " before the subject
_NOT_A_VERB = frozenset({"och", "eller", "samt", "med"})  # "Eva och Hannes …" keeps "Eva"


def shown_text(a: ActionItem, roster: Roster) -> str:
    """The uppdrag's text for a line that names the assignees first ("Mattias Gustafsson:
    …"), so that the name is not read twice: an assignee's name or first name standing as
    the subject — first in the text, or first after a lead-in such as "4 september – " — is
    left out when a verb follows. Every other word stays."""
    value = a.text
    lead_in = _LEAD_IN.match(value)
    places = [("", value)] + ([(lead_in.group(0), value[lead_in.end() :])] if lead_in else [])
    for key in a.assignees:
        member = roster.member(key)
        if member is None:
            continue
        for name in (member.namn, *member.namn.split()[:1]):  # a blank name: none
            for lead, rest in places:
                after = rest[len(name) :].strip() if rest.startswith(name + " ") else ""
                verb = after.split(maxsplit=1)[0] if after else ""
                if verb[:1].islower() and verb not in _NOT_A_VERB:
                    return lead + after
    return value


def assignee_names(a: ActionItem, roster: Roster) -> str:
    """Who the uppdrag is for, as people read it: names, group names, "Alla"."""
    groups = {g.id: g.namn for g in roster.groups}
    return ", ".join(
        "Alla" if x == EVERYONE else groups.get(x) or roster.name_of(x) for x in a.assignees
    )


# stored in the result cache: 30,000 uppdrag took seconds to unpickle through the default
# `_dataclass_setstate` (cache.reduce_by_fields says why)
for _cls in (FollowUp, ActionItem, Tracker, Extract):
    _cls.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
