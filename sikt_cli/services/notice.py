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

from sikt_cli.archive.documents import minutes_document
from sikt_cli.archive.edit import set_key
from sikt_cli.archive.layout import minutes_path
from sikt_cli.archive.load import Archive, load_archive
from sikt_cli.files import create_bytes, free_stem, make_folder, replace_atomically
from sikt_cli.mail.messages import Mail, notice_mail
from sikt_cli.records.meetings import next_meeting
from sikt_cli.render import contexts
from sikt_cli.render.templates import render
from sikt_cli.services.cycle import Outcome, plan


@dataclass(frozen=True, slots=True)
class Notice:
    """The kallelse in all its forms: Markdown text, invitation (.ics) and its sequence."""

    day: dt.date
    markdown: str
    ics: bytes
    sequence: int


@dataclass(frozen=True, slots=True)
class Kallelse:
    created: Outcome | None  # the planerat protokoll, when this run created it
    notice: Notice
    mail: Mail | None  # only when the notice is to be written out or sent


def kallelse(root: Path, day: dt.date | None, *, sending: bool) -> Kallelse:
    """Plan the meeting if needed and build its notice; with `sending`, also the mail,
    and keep the invitation's SEQUENCE in the protokoll."""
    archive = load_archive(root)
    day = day or next_meeting(archive, dt.date.today())
    created = plan(root, day)
    if created is not None:  # the new planerat file is part of the archive now
        archive = load_archive(root)
    n = notice(archive, day, record=sending)
    mail = notice_mail(archive, day, n.markdown, n.ics) if sending else None
    return Kallelse(created, n, mail)


def write_invitation(folder: Path, n: Notice) -> tuple[Path, Path]:
    """Write kallelse-D.ics into `folder` (never over a file) and return it with the path
    for its .eml draft: the pair shares one free name, kallelse-D, else -2, -3 …"""
    make_folder(folder)
    stem = free_stem(folder, f"kallelse-{n.day.isoformat()}", (".ics", ".eml"))
    ics_path = folder / f"{stem}.ics"
    create_bytes(ics_path, n.ics)
    return ics_path, folder / f"{stem}.eml"


def notice(archive: Archive, day: dt.date, *, record: bool) -> Notice:
    """Build the kallelse for `day`; with `record`, keep the invitation's SEQUENCE in the file."""
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
    sequence = notice_sequence(archive.root, day, fingerprint) if record and planned else 0
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
    return Notice(day, text, invitation(event), sequence)


def notice_sequence(root: Path, day: dt.date, fingerprint: str) -> int:
    """SEQUENCE for the invitation: kept in the protokoll's `kallelse` key, raised on change."""
    path = minutes_path(root, day)
    data = path.read_bytes()
    _, fm = minutes_document(data, path)
    current = fm.data.get("kallelse") or {}
    seq = current.get("sekvens")
    if isinstance(seq, int) and current.get("kontroll") == fingerprint:
        return seq
    new_seq = seq + 1 if isinstance(seq, int) else 0
    if fm.data.get("status") == "justerat":
        return new_seq
    record = {"sekvens": new_seq, "kontroll": fingerprint}
    replace_atomically(path, set_key(data, path.name, "kallelse", record), expected=data)
    return new_seq
