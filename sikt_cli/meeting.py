"""The meeting cycle: plan (planerat) → write (utkast) → approve (justerat).

One file per meeting carries the whole cycle. This module shapes the data the templates
format, creates and converts protokoll files, and approves them, changing only the lines
it means to change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sikt_cli.action_views import who
from sikt_cli.actions import ActionItem, track
from sikt_cli.archive import MINUTES_DIR, Archive, SiktError, load_archive
from sikt_cli.body import FILL_IN
from sikt_cli.dates import swedish
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.loading import decode, parse_yaml, split_frontmatter
from sikt_cli.model import Minutes
from sikt_cli.schema import PROTOKOLL, Converter
from sikt_cli.writing import LineEdit, create, replace_atomically, split_lines

FOLLOW_UP = "Uppföljning av uppdrag"
FIRST = ("Utse sekreterare", "Föregående protokoll", FOLLOW_UP)
LAST = ("Övrigt", "Kommande träffar och innehåll")


def minutes_path(root: Path, day: dt.date) -> Path:
    return root / MINUTES_DIR / f"{day.isoformat()}.md"


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


def parse_day(value: str) -> dt.date:
    """A meeting date from the command line; years far outside a network's life are typos
    (and would overflow the calendar code's year arithmetic)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise SiktError(
            f"'{value}' är inte ett datum ÅÅÅÅ-MM-DD.", "Skriv t.ex. 2020-09-04."
        ) from exc
    if not 1900 <= day.year <= 2999:
        raise SiktError(f"Året i '{value}' är orimligt för ett möte.", "Skriv t.ex. 2020-09-04.")
    return day


def context(
    archive: Archive, day: dt.date, *, status: str, sekreterare: str | None = None
) -> dict[str, Any]:
    """Everything the protokoll and kallelse templates may use, as plain data."""
    roster = archive.roster
    net = roster.network
    prev = previous(archive, day)
    upcoming = next((k for m in archive.minutes for k in m.kommande if k.datum == day), None)
    chairs = roster.with_role("ordforande")
    chair = chairs[0] if chairs else None
    candidates = list(prev.ej_inplanerat) if prev else []
    titles = [*FIRST, *candidates, *LAST]
    goals = archive.goals.by_id
    prev_items = {a.rubrik: a for a in prev.arenden} if prev else {}
    arenden = []
    for nr, rubrik in enumerate(titles, start=1):
        mal = [r.value for r in prev_items[rubrik].mal] if rubrik in prev_items else []
        arenden.append(
            {
                "nr": nr,
                "rubrik": rubrik,
                "mal": mal,
                "mal_text": [f"{g} {goals[g].namn}" for g in mal if g in goals],
                "uppfoljning": rubrik == FOLLOW_UP,
            }
        )
    actions = [
        {
            "id": a.id,
            "mentions": " ".join("@" + x for x in a.assignees),
            "who": who(a, roster),
            "text": a.text,
            "due": a.due.isoformat() if a.due else "",
            "overdue": a.overdue(day),
        }
        for a in open_actions(archive, day)
    ]
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
        "arenden": arenden,
        "open_actions": actions,
        "members": [
            {"id": m.id, "namn": m.namn, "kommun": m.kommun}
            for m in roster.members
            if m.active_on(day)
        ],
        "kommuner": list(roster.kommuner),
        "fill_in": FILL_IN,
        "foregaende": prev.file_date if prev else "",
    }


def _render(name: str, ctx: dict[str, Any], root: Path) -> str:
    from sikt_cli.templates import render

    return render(name, ctx, root)


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path
    action: str  # "skapad", "utkast", "justerat"


def plan(root: Path, day: dt.date) -> Outcome | None:
    """Create protokoll/D.md as planerat with the proposed dagordning; None if it exists."""
    path = minutes_path(root, day)
    if path.exists():
        return None
    archive = load_archive(root)
    text = _render("protokoll.md.j2", context(archive, day, status="planerat"), root)
    create(path, text)
    return Outcome(path, "skapad")


def start_draft(root: Path, day: dt.date, sekreterare: str | None) -> Outcome:
    """Create protokoll/D.md as utkast, or turn a planerat one into the utkast."""
    archive = load_archive(root)
    if sekreterare and archive.roster.member(sekreterare) is None:
        raise SiktError(
            f"'{sekreterare}' är inte en medlem i medlemmar.yaml.",
            "Ange sekreterarens id från medlemmar.yaml.",
        )
    path = minutes_path(root, day)
    ctx = context(archive, day, status="utkast", sekreterare=sekreterare)
    if not path.exists():
        create(path, _render("protokoll.md.j2", ctx, root))
        return Outcome(path, "skapad")
    data = path.read_bytes()
    fm = _frontmatter_doc(data, path)
    status = fm.data.get("status")
    if status != "planerat":
        raise SiktError(
            f"{path} finns redan (status: {status or 'okänd'}) och skrivs inte över.",
            "Bara ett planerat protokoll (från 'sikt kallelse') görs om till utkast. Öppna "
            "filen och fortsätt skriva i den.",
        )
    edit = LineEdit(data)
    line = fm.key_pos[("status",)].line
    edit.replace[line] = _set_value(data, line, "utkast")
    block = _render("protokoll-utkast.yaml.j2", ctx, root)
    new_lines = _drop_existing_keys(
        block.rstrip("\n").split("\n"),
        set(fm.data) | {k[0] for k in fm.key_pos if isinstance(k[0], str)},
    )
    end = _end_line(data, path)
    if new_lines:
        edit.insert_before[end] = new_lines
    body_headings = _body_numbers(data)
    for a in fm.data.get("arenden", []) or []:
        if isinstance(a, dict) and a.get("nr") not in body_headings and "rubrik" in a:
            edit.append += ["", f"## {a['nr']}. {a['rubrik']}", "", f"{FILL_IN}."]
    replace_atomically(path, edit.apply(), expected=data)
    return Outcome(path, "utkast")


def approve(
    root: Path, day: dt.date, justerare: list[str], today: dt.date
) -> tuple[Outcome | None, list[Diagnostic]]:
    """Strictly validate protokoll/D.md; if clean, set status justerat and justerad in place."""
    from sikt_cli.validate import validate

    path = minutes_path(root, day)
    if not path.exists():
        raise SiktError(f"{path} finns inte.", "Ange datumet för ett befintligt protokoll.")
    data = path.read_bytes()
    result = validate(root, [path])
    archive_ok = load_archive(root)
    for j in justerare:
        if archive_ok.roster.member(j) is None:
            raise SiktError(
                f"Justeraren '{j}' är inte en medlem i medlemmar.yaml.",
                "Ange justerarnas id från medlemmar.yaml.",
            )
    mine = [d for d in result.diagnostics if d.file == f"{MINUTES_DIR}/{path.name}"]
    if mine:
        return None, mine
    fm = _frontmatter_doc(data, path)
    status = fm.data.get("status")
    if status == "justerat":
        raise SiktError(f"{path.name} är redan justerat.", "Ett justerat protokoll ändras inte.")
    if status != "utkast":
        raise SiktError(
            f"{path.name} har status '{status}'; bara ett utkast kan justeras.",
            "Skriv protokollet först: 'sikt protokoll ny'.",
        )
    edit = LineEdit(data)
    status_line = fm.key_pos[("status",)].line
    edit.replace[status_line] = _set_value(data, status_line, "justerat")
    updates = {"justerad": today.isoformat()}
    if justerare:
        updates["justerare"] = "[" + ", ".join(justerare) + "]"
    for key, value in updates.items():
        if (key,) in fm.key_pos:
            line = fm.key_pos[(key,)].line
            edit.replace[line] = _set_value(data, line, value)
            edit.delete.update(_continuation(data, line, _end_line(data, path)))
        else:
            edit.insert_before.setdefault(status_line + 1, []).append(f"{key}: {value}")
    replace_atomically(path, edit.apply(), expected=data)
    return Outcome(path, "justerat"), []


def _frontmatter_doc(data: bytes, path: Path) -> Any:
    src, diags = decode(data, path.name)
    if src is None:
        raise SiktError(f"{path} kan inte läsas: {diags[0].message}", diags[0].hint)
    fm, diags = split_frontmatter(src)
    if fm is None:
        raise SiktError(f"{path}: {diags[0].message}", diags[0].hint)
    node, diags = parse_yaml(fm.yaml_text, path.name, fm.yaml_first_line)
    if diags:
        raise SiktError(
            f"{path}:{diags[0].line}: {diags[0].message}",
            "Rätta felet (se 'sikt validera') och försök igen.",
        )
    conv = Converter(path.name)
    return conv.document(node, PROTOKOLL, "Frontmatter")


def _end_line(data: bytes, path: Path) -> int:
    src, _ = decode(data, path.name)
    assert src is not None
    fm, _ = split_frontmatter(src)
    assert fm is not None
    return fm.end_line


def _body_numbers(data: bytes) -> set[int]:
    from sikt_cli.body import parse_body

    src, _ = decode(data, "x")
    if src is None:
        return set()
    fm, _ = split_frontmatter(src)
    if fm is None:
        return set()
    return {h.nr for h in parse_body(fm.body, fm.body_first_line).headings if h.nr is not None}


_KEY_LINE = re.compile(r"^(\s*[A-Za-z_]+:)(\s*)([^#]*?)(\s*(#.*)?)$")


def _set_value(data: bytes, line: int, value: str) -> str:
    """The line with its value replaced, keeping key, spacing and trailing comment."""
    text = split_lines(data)[line - 1][0].decode("utf-8")
    if line == 1:
        text = text.lstrip("\ufeff")
    m = _KEY_LINE.match(text)
    if not m:
        key = text.split(":", 1)[0]
        return f"{key}: {value}"
    space, tail = m.group(2), m.group(4) or ""
    if not m.group(3) and tail.startswith("#"):  # 'key:   # comment': the spaces are the comment's
        space, tail = " ", (space or " ") + tail
    return f"{m.group(1)}{space or ' '}{value}{tail}"


def _continuation(data: bytes, line: int, end: int) -> range:
    """The lines after a top-level key's line that still belong to its value (a block list)."""
    lines = [text for text, _ in split_lines(data)]
    last = probe = line
    while probe + 1 < end:
        text = lines[probe]  # the line after `probe`
        if text[:1] in (b" ", b"\t", b"-"):
            last = probe = probe + 1
        elif not text.strip() or text.startswith(b"#"):  # e.g. '# - id': the list goes on
            probe += 1
        else:
            break
    return range(line + 1, last + 1)


def _drop_existing_keys(lines: list[str], existing: set[str]) -> list[str]:
    """Remove top-level key blocks (key line and its indented/comment lines) already present."""
    out: list[str] = []
    skipping = False
    for line in lines:
        top = re.match(r"^([a-z_]+):", line)
        if top:
            skipping = top.group(1) in existing
        if not skipping:
            out.append(line)
    return out


def notice_text(archive: Archive, day: dt.date) -> str:
    """The kallelse as Markdown, from the protokoll file for `day` if it exists."""
    ctx = context(archive, day, status="planerat")
    planned = archive.minutes_on(day.isoformat())
    if planned is not None and planned.arenden:
        goals = archive.goals.by_id
        ctx["arenden"] = [
            {
                "nr": a.nr,
                "rubrik": a.rubrik,
                "mal": [r.value for r in a.mal],
                "mal_text": [f"{r.value} {goals[r.value].namn}" for r in a.mal if r.value in goals],
                "uppfoljning": a.rubrik == FOLLOW_UP,
            }
            for a in planned.arenden
        ]
        ctx["tid"] = planned.tid or ctx["tid"]
        ctx["plats"] = planned.plats or ctx["plats"]
    return _render("kallelse.md.j2", ctx, archive.root)


def notice_sequence(root: Path, day: dt.date, fingerprint: str) -> int:
    """SEQUENCE for the invitation: kept in the protokoll's `kallelse` key, raised on change.

    Outlook replaces an event by UID only when SEQUENCE rises, so a changed notice must
    carry a higher number; an unchanged re-send keeps it. A justerat file is not edited.
    """
    path = minutes_path(root, day)
    data = path.read_bytes()
    fm = _frontmatter_doc(data, path)
    current = fm.data.get("kallelse") or {}
    seq = current.get("sekvens")
    if isinstance(seq, int) and current.get("kontroll") == fingerprint:
        return seq
    new_seq = seq + 1 if isinstance(seq, int) else 0
    if fm.data.get("status") == "justerat":
        return new_seq
    value = f"{{sekvens: {new_seq}, kontroll: {fingerprint}}}"
    edit = LineEdit(data)
    if ("kallelse",) in fm.key_pos:
        line = fm.key_pos[("kallelse",)].line
        if fm.value_pos.get(("kallelse",), fm.key_pos[("kallelse",)]).line != line:
            raise SiktError(
                f"{path.name}: 'kallelse' ska stå på en rad: {value}.",
                "Skriv nyckeln som 'kallelse: {sekvens: 0, kontroll: …}'.",
            )
        edit.replace[line] = _set_value(data, line, value)
    else:
        edit.insert_before[fm.key_pos[("status",)].line + 1] = [f"kallelse: {value}"]
    replace_atomically(path, edit.apply(), expected=data)
    return new_seq


@dataclass(frozen=True, slots=True)
class Notice:
    """The kallelse in all its forms: Markdown text, invitation (.ics) and its sequence."""

    day: dt.date
    markdown: str
    ics: bytes
    sequence: int


def notice(root: Path, day: dt.date, *, record: bool) -> Notice:
    """Build the kallelse for `day`; with `record`, keep the invitation's SEQUENCE in the file."""
    import hashlib

    from sikt_cli.calendar import Attendee, MeetingEvent, invitation

    archive = load_archive(root)
    text = notice_text(archive, day)
    roster = archive.roster
    planned = archive.minutes_on(day.isoformat())
    ctx = context(archive, day, status="planerat")
    tid = (planned.tid if planned and planned.tid else ctx["tid"]) or ""
    plats = (planned.plats if planned and planned.plats else ctx["plats"]) or ""
    chair_id = planned.ordforande.value if planned and planned.ordforande else ctx["ordforande"]
    chair = roster.member(chair_id) if chair_id else None
    attendees = tuple(
        Attendee(m.namn, m.epost) for m in roster.members if m.epost and m.active_on(day)
    )
    fingerprint = hashlib.sha256(
        "\n".join([day.isoformat(), tid, plats, text, *sorted(a.email for a in attendees)]).encode()
    ).hexdigest()[:12]
    sequence = notice_sequence(root, day, fingerprint) if record and planned else 0
    organizer = Attendee(chair.namn, chair.epost) if chair and chair.epost else None
    event = MeetingEvent(
        network=roster.network.namn,
        day=day,
        tid=tid or "09:00",
        tidszon=roster.network.tidszon,
        plats=plats,
        summary=f"{roster.network.namn}: nätverksträff",
        description=text,
        organizer=organizer,
        attendees=attendees,
        sequence=sequence,
    )
    return Notice(day, text, invitation(event), sequence)


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem.suffix, or stem-2, stem-3 … so that nothing is overwritten."""
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path
