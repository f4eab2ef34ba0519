"""`sikt kallelse`: the chair's notice with its agenda and calendar invitation.

The invitation's SEQUENCE is kept in the protokoll's `kallelse` key: Outlook replaces an
event by UID only when SEQUENCE rises, so a changed notice must carry a higher number,
and an unchanged re-send keeps it. A justerat file is never edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sikt_cli.archive.documents import minutes_bytes, minutes_document
from sikt_cli.archive.edit import set_key
from sikt_cli.archive.layout import minutes_path
from sikt_cli.archive.load import Archive, load_archive, with_file
from sikt_cli.files import create_bytes, free_stem, make_folder
from sikt_cli.mail.messages import Mail, draft_bytes, notice_mail
from sikt_cli.records.meetings import next_meeting
from sikt_cli.render import contexts
from sikt_cli.render.templates import render
from sikt_cli.transaction import Transaction


@dataclass(frozen=True, slots=True)
class Notice:
    """The kallelse in all its forms: Markdown text, invitation (.ics) and its sequence."""

    day: dt.date
    markdown: str
    ics: bytes
    sequence: int


@dataclass(frozen=True, slots=True)
class Kallelse:
    created: Path | None  # the planerat protokoll, when this run created it
    notice: Notice
    mail: Mail | None  # only when the notice is to be written out or sent
    invitation: Path | None = None  # kallelse-D.ics, with --ut
    draft: Path | None = None  # kallelse-D.eml, with --ut


def kallelse(root: Path, day: dt.date | None, *, sending: bool, ut: Path | None = None) -> Kallelse:
    """Plan the meeting if needed and build its notice; with `sending`, also the mail and
    the invitation's SEQUENCE kept in the protokoll; with `ut`, the .ics and .eml drafts.

    All or nothing: everything is rendered first, then the planerat protokoll, the
    SEQUENCE record and the drafts are written together, or none of them. Nothing is
    written or sent while a personnummer stands in the archive."""
    from sikt_cli.services.personal_data import refuse_numbers, refuse_numbers_in

    if sending:
        refuse_numbers(root, None, "Kallelsen")
    archive = load_archive(root)
    day = day or next_meeting(archive, dt.date.today())
    path = minutes_path(root, day)
    existed = path.exists()
    if existed:
        current = minutes_bytes(path)
    else:  # the planerat protokoll, in memory until everything else is rendered
        ctx = contexts.meeting(archive, day, status="planerat")
        current = render("protokoll.md.j2", ctx, root).encode("utf-8")
        archive = with_file(archive, path, current)
    if sending:
        ctx = contexts.notice(archive, day)
        refuse_numbers_in(render("kallelse.md.j2", ctx, root), "Kallelsen", "kallelsen")
    n, final = notice(archive, day, record=sending, data=current, path=path)
    tx = Transaction()
    if existed:
        tx.replace(path, final, expected=current)
    else:
        tx.create(path, final)
    mail = notice_mail(archive, day, n.markdown, n.ics) if sending else None
    ics_path = eml_path = None
    if ut is not None and mail is not None:
        make_folder(ut)
        stem = free_stem(ut, f"kallelse-{day.isoformat()}", (".ics", ".eml"))
        ics_path, eml_path = ut / f"{stem}.ics", ut / f"{stem}.eml"
        tx.create(ics_path, n.ics)
        tx.create(eml_path, draft_bytes(mail))
    tx.commit()
    return Kallelse(None if existed else path, n, mail, ics_path, eml_path)


def write_invitation(folder: Path, n: Notice) -> tuple[Path, Path]:
    """Write kallelse-D.ics into `folder` (never over a file) and return it with the path
    for its .eml draft: the pair shares one free name, kallelse-D, else -2, -3 …"""
    make_folder(folder)
    stem = free_stem(folder, f"kallelse-{n.day.isoformat()}", (".ics", ".eml"))
    ics_path = folder / f"{stem}.ics"
    create_bytes(ics_path, n.ics)
    return ics_path, folder / f"{stem}.eml"


def notice(
    archive: Archive, day: dt.date, *, record: bool, data: bytes, path: Path
) -> tuple[Notice, bytes]:
    """The kallelse for `day`, and the protokoll's bytes (`data`) with, when `record`,
    the invitation's SEQUENCE kept in its `kallelse` key. Writes nothing."""
    from sikt_cli.render.ics import Attendee, MeetingEvent, invitation

    ctx = contexts.notice(archive, day)
    text = render("kallelse.md.j2", ctx, archive.root)
    roster = archive.roster
    planned = archive.minutes_on(day.isoformat())
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
    sequence, data = sequence_record(data, path, fingerprint) if record else (0, data)
    event = MeetingEvent(
        network=roster.network.namn,
        day=day,
        tid=tid or "09:00",
        tidszon=roster.network.tidszon,
        plats=plats,
        summary=f"{roster.network.namn}: nätverksträff",
        description=text,
        organizer=Attendee(chair.namn, chair.epost) if chair and chair.epost else None,
        attendees=attendees,
        sequence=sequence,
    )
    return Notice(day, text, invitation(event), sequence), data


def sequence_record(data: bytes, path: Path, fingerprint: str) -> tuple[int, bytes]:
    """SEQUENCE for the invitation and the protokoll's bytes with it recorded: kept in the
    `kallelse` key, raised when the notice changed. A justerat protokoll is not edited."""
    _, fm = minutes_document(data, path)
    current = fm.data.get("kallelse") or {}
    seq = current.get("sekvens")
    if isinstance(seq, int) and current.get("kontroll") == fingerprint:
        return seq, data
    new_seq = seq + 1 if isinstance(seq, int) else 0
    if fm.data.get("status") == "justerat":
        return new_seq, data
    record = {"sekvens": new_seq, "kontroll": fingerprint}
    return new_seq, set_key(data, path.name, "kallelse", record)
