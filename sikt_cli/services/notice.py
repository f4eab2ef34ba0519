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
from sikt_cli.archive.value_forms import WEB_ADDRESS
from sikt_cli.errors import Refused
from sikt_cli.files import make_folder, out_target
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
    ics: bytes  # as stored and attached: no METHOD (RFC 4791 §4.1)
    sequence: int
    request: bytes = b""  # the mail's text/calendar part: METHOD:REQUEST (RFC 6047 §2.4)


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
        # unreadable: refused whether previewed or sent, never a default agenda instead
        _, fm = minutes_document(current, path)
        if sending and fm.data.get("status") == "justerat":
            raise approved_refusal(path, day, "En kallelse till det skrivs inte")
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
    mail = None
    if sending:
        from sikt_cli.services.attachments import attachments

        planned = archive.minutes_on(day.isoformat())
        files = attachments(root, planned) if planned else []
        mail = notice_mail(archive, day, n.markdown, n.ics, request=n.request, files=files)
    ics_path = eml_path = None
    if ut is not None and mail is not None:
        eml_path = out_target(ut, f"kallelse-{day.isoformat()}.eml", (".ics",))
        make_folder(eml_path.parent)
        ics_path = eml_path.with_suffix(".ics")
        tx.create(ics_path, n.ics)
        tx.create(eml_path, draft_bytes(mail))
    tx.commit()
    return Kallelse(None if existed else path, n, mail, ics_path, eml_path)


def approved_refusal(path: Path, day: dt.date, what: str) -> Refused:
    """A justerat meeting is over and its protokoll locked: what to do instead."""
    return Refused(
        f"Mötet {day.isoformat()} är redan justerat ({path.parent.name}/{path.name} är "
        f"låst). {what}.",
        f"Ska något i protokollet ändras: ändra raderna och kör 'sikt protokoll rätta "
        f'{day.isoformat()} --skal "varför"\' (se docs/justering.md). Gäller det ett nytt '
        "möte, ange dess datum.",
    )


def notice(
    archive: Archive, day: dt.date, *, record: bool, data: bytes, path: Path
) -> tuple[Notice, bytes]:
    """The kallelse for `day`, and the protokoll's bytes (`data`) with, when `record`,
    the invitation's SEQUENCE kept in its `kallelse` key. Writes nothing."""
    from sikt_cli.render.ics import Attendee, MeetingEvent, invitation
    from sikt_cli.render.plain_text import markdown_to_text

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
    link = meeting_link(*contexts.meeting_link_value(archive, planned))
    # the link only when there is one: an unchanged notice keeps its SEQUENCE
    parts = [day.isoformat(), tid, plats, *([link] if link else []), text]
    parts += sorted(a.email for a in attendees)
    fingerprint = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
    sequence, data = sequence_record(data, path, fingerprint) if record else (0, data)
    event = MeetingEvent(
        network=roster.network.namn,
        day=day,
        tid=tid or "09:00",
        tidszon=roster.network.tidszon,
        plats=plats,
        summary=f"{roster.network.namn}: nätverksträff",
        description=markdown_to_text(text),
        organizer=Attendee(chair.namn, chair.epost) if chair and chair.epost else None,
        attendees=attendees,
        sequence=sequence,
        url=link or None,
    )
    stamp = dt.datetime.now(dt.UTC)
    stored = invitation(event, stamp=stamp)
    request = invitation(event, method="REQUEST", stamp=stamp)
    return Notice(day, text, stored, sequence, request), data


def meeting_link(value: str | None, where: str) -> str:
    """`lank` as it goes into the mail and the invitation: an http(s) address, exactly as
    `sikt validera` accepts it (archive/spec.py's Url), or nothing when there is no key."""
    if value is None:
        return ""
    if not WEB_ADDRESS.fullmatch(value):
        raise Refused(
            f"{where}: 'lank' är inte en webbadress: '{value}'.",
            "Skriv hela länken, som börjar med https://, utan mellanslag, t.ex. "
            "'lank: https://teams.microsoft.com/l/…'.",
        )
    return value


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
