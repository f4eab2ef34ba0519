"""One source file → a draft protokoll: read, structure, recognise, resolve, compose."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from sikt_cli.importers.approvers import approver_names
from sikt_cli.importers.attendance import Attendance, absent, entries, guests, resolve
from sikt_cli.importers.compose import Draft, render
from sikt_cli.importers.head_info import meeting_info
from sikt_cli.importers.item_body import Meeting, item_body
from sikt_cli.importers.numbering import with_item_numbers
from sikt_cli.importers.people import People, Person, key
from sikt_cli.importers.problems import ImportFailed, Tally
from sikt_cli.importers.sources import read
from sikt_cli.importers.structure import Parsed, structure

TITLE_LIKENESS = 75  # rapidfuzz partial_ratio: "SIKTnätverket" is like "SIKT-nätverket"


@dataclass(frozen=True, slots=True)
class Defaults:
    """What medlemmar.yaml says about the network: municipalities and meeting defaults."""

    kommuner: tuple[str, ...]
    tid: str | None = None
    plats: str | None = None
    namn: str | None = None  # the network's name, to notice minutes of another network


@dataclass(slots=True)
class Imported:
    day: dt.date
    text: str
    tally: Tally
    proposed: list[Person] = field(default_factory=list)


def _role(
    parsed: Parsed, role: str, people: People, present: list[str], tally: Tally
) -> tuple[str | None, str]:
    names = parsed.signatures.get(role, [])
    if not names:
        return None, "saknas i källan"
    match = people.in_meeting(names[0], present)
    if match.state != "found":
        tally.add("attendance", match.state, f"{role.capitalize()}: {match.note}")
    return match.id, (f"importerat: {match.note}" if match.note and match.id else match.note)


def _attendance(
    parsed: Parsed, people: People, defaults: Defaults, tally: Tally, *, propose: bool, name: str
) -> Attendance:
    found = entries(parsed.head.get("narvarande", []), defaults.kommuner)
    att = resolve(found, people, tally, propose=propose, source=name)
    absent(parsed.head.get("franvarande", []), people, defaults.kommuner, att, tally)
    return att


def _unaccounted(
    people: People, defaults: Defaults, present: list[str], att: Attendance, tally: Tally
) -> None:
    """Municipalities the source leaves neither present nor absent (sikt validera warns)."""
    seen = {p.kommun for p in (people.by_id(i) for i in present) if p is not None}
    seen |= {v for v, _ in att.absent}
    missing = [k for k in defaults.kommuner if k not in seen]
    if missing:
        tally.add(
            "file",
            "unsure",
            "Källan anger varken närvaro eller frånvaro för: " + ", ".join(missing),
        )


def _check_title(title: str | None, network: str | None, tally: Tally) -> None:
    from rapidfuzz import fuzz

    def core(name: str) -> str:  # "nätverket" is in most names and would make all alike
        return re.sub(r"natverk\w*|[\s-]+", "", key(name))

    if not (title and network and core(title) and core(network)):
        return
    if fuzz.partial_ratio(core(title), core(network)) < TITLE_LIKENESS:
        tally.add("file", "unsure", f"Rubriken '{title}' liknar inte nätverkets namn '{network}'")


def _count_items(parsed: Parsed, tally: Tally) -> None:
    for _item in parsed.items:
        tally.add("items", "found")
    renumbered = [i for i in parsed.items if i.label != f"{i.nr}."]
    if renumbered:
        first, last = renumbered[0], renumbered[-1]
        tally.add(
            "file",
            "unsure",
            f"Ärendena {first.label}–{last.label} numrerades om till {first.nr}–{last.nr}; "
            "källans nummer står som kommentar vid varje ärende",
        )


def import_minutes(
    name: str,
    data: bytes,
    people: People,
    defaults: Defaults,
    *,
    datum: dt.date | None = None,
    propose: bool = False,
) -> Imported:
    """The protokoll text for one source; ImportFailed says in Swedish why there is none."""
    source = PurePath(name).name
    parsed = structure(read(source, data))
    if not parsed.items:
        raise ImportFailed(
            f"{source}: hittar inga numrerade ärenden ('1. Rubrik', '§ 74 Rubrik').",
            "Kontrollera att ärendena är numrerade rubriker eller stycken; se docs/import.md.",
        )
    info = meeting_info(parsed, source, datum)
    tally = Tally.empty()
    att = _attendance(parsed, people, defaults, tally, propose=propose, name=source)
    present = [member for member, _ in att.present]
    _unaccounted(people, defaults, present, att, tally)
    meeting = Meeting(people, present, info.day, tally)
    bodies = [item_body(item, meeting) for item in parsed.items]
    _count_items(parsed, tally)
    _check_title(parsed.title, defaults.namn, tally)
    names = parsed.signatures.get("justerare") or approver_names(parsed.items)
    justerare = list(
        dict.fromkeys(m.id for m in (people.in_meeting(n, present) for n in names) if m.id)
    )
    missing = [k for k, v in (("tid", info.tid), ("plats", info.plats)) if not v]
    draft = Draft(
        info=info,
        source=source,
        tid=info.tid or defaults.tid or "09:00-12:00",
        plats=info.plats or defaults.plats or "FYLL I",
        defaults_note=missing,
        ordforande=_role(parsed, "ordforande", people, present, tally),
        sekreterare=_role(parsed, "sekreterare", people, present, tally),
        justerare=justerare,
        present=[(i, with_item_numbers(c, parsed.items)) for i, c in att.present],
        guests=guests(parsed.head.get("gaster", [])),
        absent=att.absent,
        items=parsed.items,
        bodies=bodies,
        fill_in=[f"närvarande utan id: {who}" for who in att.fill_in],
    )
    return Imported(info.day, render(draft), tally, att.proposed)
