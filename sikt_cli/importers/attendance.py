"""Attendance: "Namn, Kommun[ Organisation]" lines, tables with X, "Anmält förhinder",
partial presence ("ej § 91–97", "ordf. § 74–88", kept as a note), absent municipalities."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sikt_cli.importers.blocks import Block, clean, plain
from sikt_cli.importers.people import Match, People, Person, key, new_id
from sikt_cli.importers.problems import Tally

_ABSENT = re.compile(r"^(?:anmält förhinder|förhinder|frånvarande|ej närvarande)$", re.I)
_PARTIAL = re.compile(
    r"(?:^|[\s(,–-])((?:ej|ordf\.?|ordförande|från|till|fr\.?\s?o\.?\s?m\.?|t\.?\s?o\.?\s?m\.?)"
    r"\s*§+\s*\d+(?:\s*[–-]\s*\d+)?)\)?\s*$",
    re.I,
)
_TRAILING_ABSENT = re.compile(r"[\s(,–-]+(anmält förhinder|förhinder)\)?\s*$", re.I)
_TRAILING_X = re.compile(r"\s+[Xx✓]$")
_MUNICIPALITY_SUFFIX = re.compile(r"\s+kommuns?$", re.I)


@dataclass(frozen=True, slots=True)
class Entry:
    namn: str
    kommun: str | None
    present: bool
    note: str | None  # partial presence, as the source says it
    source: str  # the line as written, for notes


@dataclass(slots=True)
class Attendance:
    present: list[tuple[str, str]] = field(default_factory=list)  # (id, YAML comment)
    absent: list[tuple[str, str]] = field(default_factory=list)  # (kommun or id, comment)
    fill_in: list[str] = field(default_factory=list)  # people no id could be given
    proposed: list[Person] = field(default_factory=list)


def municipality(text: str, kommuner: Sequence[str]) -> tuple[str | None, str]:
    """The municipality at the start of `text` and the rest (an organisation)."""
    text = _MUNICIPALITY_SUFFIX.sub("", text.strip())
    for k in sorted(kommuner, key=len, reverse=True):
        if key(text).startswith(key(k)) and (len(text) == len(k) or not text[len(k)].isalnum()):
            rest = text[len(k) :].strip(" ,-–")
            return k, _MUNICIPALITY_SUFFIX.sub("", rest)
    return None, text


def _entry(
    namn: str, rest: str, mark: str, source: str, kommuner: Sequence[str], *, table: bool = False
) -> Entry:
    present, note = True, None
    mark = mark.strip()
    if _ABSENT.match(mark):
        present = False
    elif "§" in mark:
        note = mark
    elif table and mark.upper() not in ("X", "✓"):
        present = False  # a table row without an X
    kommun, _org = municipality(rest, kommuner) if rest else (None, "")
    return Entry(namn.strip(), kommun, present, note, source)


def parse_line(line: str, kommuner: Sequence[str]) -> Entry | None:
    text = plain(clean(line)).strip(" -•*")
    if not text:
        return None
    mark = ""
    for pattern in (_TRAILING_ABSENT, _PARTIAL):
        m = pattern.search(text)
        if m:
            mark, text = m.group(1), text[: m.start()].strip(" ,–-(")
            break
    else:
        if _TRAILING_X.search(text):
            text = _TRAILING_X.sub("", text)
    namn, _, rest = text.partition(",")
    if not rest:
        m = re.match(r"^(.+?)\s*\((.+)\)$", text)
        if m:
            namn, rest = m.group(1), m.group(2)
    return _entry(namn, rest, mark, line.strip(), kommuner)


def _table_entries(rows: list[list[str]], kommuner: Sequence[str]) -> list[Entry]:
    if not rows:
        return []
    header = [key(c) for c in rows[0]]
    named = any(h in ("namn", "kommun") for h in header)
    col_name = header.index("namn") if "namn" in header else 0
    col_kommun = header.index("kommun") if "kommun" in header else 1
    body = rows[1:] if named else rows
    # an empty cell means "not there" only in a table that has a column for presence
    marked = max(len(r) for r in rows) > 2
    out: list[Entry] = []
    for row in body:
        cells = [*row, "", ""]
        marks = [c for i, c in enumerate(row) if i not in (col_name, col_kommun)]
        mark = next((c for c in marks if c.strip()), "")
        source = " | ".join(row)
        entry = _entry(cells[col_name], cells[col_kommun], mark, source, kommuner, table=marked)
        if entry.namn:
            out.append(entry)
    return out


def entries(blocks: list[Block], kommuner: Sequence[str]) -> list[Entry]:
    out: list[Entry] = []
    for b in blocks:
        if b.kind == "table":
            out += _table_entries(b.rows, kommuner)
            continue
        for line in b.lines:
            # "Anna Ek, Hjo; Bo Ek, Skara" on one line, as Word templates often have it
            for part in line.split(";"):
                entry = parse_line(part, kommuner)
                if entry:
                    out.append(entry)
    return out


def _absent_part(part: str, people: People, kommuner: Sequence[str]) -> tuple[str | None, str]:
    kommun, rest = municipality(part, kommuner)
    if kommun and not rest:
        return kommun, ""
    entry = parse_line(part, kommuner)
    match = people.full_name(entry.namn, entry.kommun) if entry else None
    if match and match.id:
        return match.id, ""
    return None, match.note if match else part


def absent(
    blocks: list[Block], people: People, kommuner: Sequence[str], att: Attendance, tally: Tally
) -> None:
    """The 'Frånvarande' section: municipalities ("Karlsborg kommun, Essunga kommun") or people."""
    for b in blocks:
        lines = [plain(clean(x)) for x in b.lines] if b.kind != "table" else []
        for line in lines:
            parts = [p.strip() for p in re.split(r"[,;]|\s+och\s+", line) if p.strip()]
            if not all(municipality(p, kommuner)[0] for p in parts):
                parts = [line]  # "Namn, Kommun": one person
            for part in parts:
                value, why = _absent_part(part, people, kommuner)
                if value in {i for i, _ in att.present}:
                    tally.add(
                        "attendance",
                        "unsure",
                        f"'{part}' står både som närvarande och "
                        "frånvarande; behölls som närvarande",
                    )
                elif value:
                    att.absent.append((value, ""))
                    tally.add("attendance", "found")
                else:
                    tally.add("attendance", "unmapped", f"Frånvarande '{part}': {why}")
                    att.fill_in.append(f"frånvarande '{part}'")
        if b.kind == "table":
            for e in _table_entries(b.rows, kommuner):
                _person(e, people, att, tally, propose=False, source="")


def resolve(
    entries_: list[Entry], people: People, tally: Tally, *, propose: bool, source: str
) -> Attendance:
    att = Attendance()
    for e in entries_:
        _person(e, people, att, tally, propose=propose, source=source)
    return att


def _person(
    e: Entry, people: People, att: Attendance, tally: Tally, *, propose: bool, source: str
) -> None:
    match: Match = people.full_name(e.namn, e.kommun)
    comment = f"importerat: {e.note}" if e.note else ""
    target = att.present if e.present else att.absent
    if match.id is not None:
        if match.state == "unsure":
            comment = "; ".join(x for x in (comment, f"importerat: {match.note}") if x)
        tally.add("attendance", match.state, match.note)
        if match.id not in {i for i, _ in target}:
            target.append((match.id, comment))
        return
    if propose and match.state == "unmapped" and e.kommun and len(e.namn.split()) >= 2:
        person = Person(new_id(e.namn, people.ids()), e.namn, e.kommun)
        people.add(person)
        att.proposed.append(person)
        tally.add(
            "attendance", "unsure", f"Ny medlem föreslagen: {e.namn}, {e.kommun} ({person.id})"
        )
        target.append((person.id, f"importerat: ny medlem, föreslagen från {source}"))
        return
    tally.add("attendance", match.state, f"Närvarolistan: {match.note} (rad '{e.source}')")
    att.fill_in.append(f"'{e.source}' ({match.note})")


def guests(blocks: list[Block]) -> list[str]:
    """'Gäster' / 'Övriga närvarande': each line (or table row) as written."""
    out: list[str] = []
    for b in blocks:
        rows = [", ".join(c for c in r if c) for r in b.rows] if b.kind == "table" else b.lines
        out += [t for t in (plain(clean(r)).strip(" -•*") for r in rows) if t]
    return out
