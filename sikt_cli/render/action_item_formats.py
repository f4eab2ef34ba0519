"""The forms of `sikt uppdrag`: table rows, json, csv, md, ics and ics-todo — a registry by
format name."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sikt_cli.archive.model import Roster
from sikt_cli.records.action_items import ActionItem, assignee_names
from sikt_cli.render.csv_writer import write_csv


def summary(items: list[ActionItem], today: dt.date) -> str:
    open_ = sum(1 for a in items if a.is_open)
    late = sum(1 for a in items if a.overdue(today))
    closed = len(items) - open_

    def count(n: int, one: str, many: str) -> str:  # ett uppdrag: öppet, två: öppna
        return f"{n} {one if n == 1 else many}"

    return (
        f"{count(open_, 'öppet', 'öppna')}, {count(late, 'försenat', 'försenade')}, "
        f"{count(closed, 'avslutat', 'avslutade')}."
    )


def to_dict(a: ActionItem, today: dt.date) -> dict[str, Any]:
    """The documented JSON shape of one uppdrag (docs/uppdrag.md); keys are an API."""
    return {
        "id": a.id,
        "meeting": a.meeting.isoformat(),
        "file": a.file,
        "line": a.line,
        "assignees": list(a.assignees),
        "text": a.text,
        "due": a.due.isoformat() if a.due else None,
        "state": "open" if a.is_open else "closed",
        "overdue": a.overdue(today),
        "age_days": (today - a.meeting).days,
        "agenda_item": {"nr": a.section, "title": a.section_title} if a.section else None,
        "closed_on": a.closed_on.isoformat() if a.closed_on else None,
        "follow_ups": [
            {
                "meeting": f.meeting.isoformat(),
                "done": f.done,
                "comment": f.comment,
                "file": f.file,
                "line": f.line,
            }
            for f in a.follow_ups
        ],
    }


def to_json(items: list[ActionItem], roster: Roster, today: dt.date) -> str:
    return json.dumps([to_dict(a, today) for a in items], ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "id",
    "ansvariga",
    "uppdrag",
    "senast",
    "status",
    "forsenat",
    "alder_dagar",
    "mote",
    "arende",
    "fil",
    "rad",
)


def to_csv(items: list[ActionItem], roster: Roster, today: dt.date) -> bytes:
    """One row per uppdrag, columns as CSV_COLUMNS (docs/uppdrag.md), formula-safe cells."""
    return write_csv(
        CSV_COLUMNS,
        (
            [
                a.id,
                " ".join(a.assignees),
                a.text,
                a.due.isoformat() if a.due else "",
                "öppet" if a.is_open else "avslutat",
                "ja" if a.overdue(today) else "nej",
                (today - a.meeting).days,
                a.meeting.isoformat(),
                f"{a.section}. {a.section_title}" if a.section else "",
                a.file,
                a.line,
            ]
            for a in items
        ),
    )


def to_markdown(items: list[ActionItem], roster: Roster, today: dt.date) -> str:
    """Ready to paste into a kallelse or a new protokoll's follow-up section."""
    lines = []
    for a in items:
        mentions = " ".join("@" + x for x in a.assignees)
        box = "[ ]" if a.is_open else "[x]"
        due = f" (senast {a.due.isoformat()})" if a.due else ""
        late = " **försenat**" if a.overdue(today) else ""
        lines.append(f"- {box} {a.id} {mentions} {a.text}{due}{late}")
    return "\n".join(lines) + ("\n" if lines else "")


def _printable(name: str) -> str:
    """A file name that is not UTF-8 (kept by Python as surrogates) with U+FFFD for them."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _calendar(roster: Roster) -> Any:
    """A calendar without METHOD: a file to import, not an iTIP message (RFC 4791 §4.1)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//sikt//uppdrag//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Uppdrag {roster.network.namn}")
    return cal


def _about(a: ActionItem, roster: Roster) -> str:
    return (
        f"Ansvariga: {assignee_names(a, roster)}\nFrån mötet {a.meeting}"
        + (f", ärende {a.section}. {a.section_title}" if a.section else "")
        + f"\n{_printable(a.file)}:{a.line}"
    )


def to_ics(items: list[ActionItem], roster: Roster, today: dt.date) -> bytes:
    """Each uppdrag with a due date as an all-day event on that day: what Outlook imports
    (it ignores VTODO on import; see docs/uppdrag.md). Shown as free time, never busy."""
    from icalendar import Event

    cal = _calendar(roster)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for a in items:
        if a.due is None:
            continue
        ev = Event()
        ev.add("uid", f"uppdrag-{a.id.replace('#', '-')}@sikt")
        ev.add("dtstamp", stamp)
        done = "" if a.is_open else "(avslutat) "
        ev.add("summary", f"{done}Uppdrag {a.id}: {a.text}")
        ev.add("description", _about(a, roster))
        ev.add("dtstart", a.due)
        ev.add("dtend", a.due + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        ev.add("x-microsoft-cdo-busystatus", "FREE")
        ev.add("x-microsoft-cdo-alldayevent", "TRUE")
        cal.add_component(ev)
    return bytes(cal.to_ical())


def to_ics_todo(items: list[ActionItem], roster: Roster, today: dt.date) -> bytes:
    """Each uppdrag as a VTODO with its due date: tasks for Thunderbird and CalDAV."""
    from icalendar import Todo

    cal = _calendar(roster)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for a in items:
        todo = Todo()
        todo.add("uid", f"uppdrag-{a.id.replace('#', '-')}@sikt")
        todo.add("dtstamp", stamp)
        todo.add("summary", f"{a.id}: {a.text}")
        todo.add("description", _about(a, roster))
        todo.add("dtstart", a.meeting)
        if a.due:
            todo.add("due", a.due)
        todo.add("status", "NEEDS-ACTION" if a.is_open else "COMPLETED")
        if a.closed_on:
            todo.add("completed", dt.datetime.combine(a.closed_on, dt.time(12), dt.UTC))
        cal.add_component(todo)
    return bytes(cal.to_ical())


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the terminal table, and how it is to be shown."""

    cells: tuple[str, ...]
    style: str  # "red" when late, "dim" when closed, "" otherwise


TABLE_COLUMNS = ("ID", "Vem", "Vad", "Senast", "Ålder", "Möte · ärende")


def table_rows(items: list[ActionItem], roster: Roster, today: dt.date) -> list[TableRow]:
    rows = []
    for a in items:
        late = a.overdue(today)
        due = a.due.isoformat() if a.due else "–"
        if late:
            due += " (försenat)"
        if not a.is_open:
            due += f" (avslutat {a.closed_on})"
        where = f"{a.meeting} · {a.section}. {a.section_title}" if a.section else str(a.meeting)
        age = f"{(today - a.meeting).days} d"
        cells = (a.id, assignee_names(a, roster), a.text, due, age, where)
        rows.append(TableRow(cells, "red" if late else ("dim" if not a.is_open else "")))
    return rows


Formatter = Callable[[list[ActionItem], Roster, dt.date], "str | bytes"]

FORMATS: dict[str, Formatter] = {
    "json": to_json,
    "csv": to_csv,
    "md": to_markdown,
    "ics": to_ics,
    "ics-todo": to_ics_todo,
}
