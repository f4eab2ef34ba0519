"""E-mail messages: the protokoll, the kallelse with its invitation, member list, meeting dates.

Every header goes through `mail/headers.py`. Every .eml written to disk is an unsent
draft (`X-Unsent: 1`) that Outlook opens ready to send from the user's own mailbox.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Member, Minutes
from sikt_cli.dates import swedish
from sikt_cli.errors import SiktError
from sikt_cli.mail.headers import POLICY, address, header_text, sender_address

if TYPE_CHECKING:
    from sikt_cli.records.action_items import ActionItem
    from sikt_cli.render.minutes_document import MinutesDocument, MinutesText


@dataclass(slots=True)
class Mail:
    """A message and who it reaches; `unreached` are members without an address."""

    message: EmailMessage
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    unreached: list[Member] = field(default_factory=list)

    @property
    def recipients(self) -> list[str]:
        return [a.addr_spec for a in (*self.to, *self.cc)]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that travels with a mail (a protokoll's `bilagor`, see services/attachments)."""

    filename: str
    data: bytes
    maintype: str
    subtype: str


def add_files(msg: EmailMessage, files: list[Attachment]) -> None:
    """Attach `files` to the message, each under its own file name."""
    for f in files:
        msg.add_attachment(
            f.data, maintype=f.maintype, subtype=f.subtype, filename=header_text(f.filename)
        )


def _base(subject: str, to: list[Address], cc: list[Address]) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = header_text(subject)
    sender = os.environ.get("SIKT_AVSANDARE")
    if sender:
        msg["From"] = sender_address(sender)
    if to:
        msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain="sikt.invalid")
    return msg


def _recipients(archive: Archive, day: dt.date | None) -> tuple[list[Address], list[Member]]:
    to, unreached = [], []
    for m in archive.roster.members:
        if day is not None and not m.active_on(day):
            continue
        if m.epost:
            to.append(address(m.namn, m.epost))
        else:
            unreached.append(m)
    return to, unreached


def _report_to(archive: Archive) -> list[Address]:
    return [address("", a) for a in archive.roster.network.rapport_till]


def _html(title: str, parts: list[str], root: Path, *, utkast: bool = False) -> str:
    """The page around Markdown parts (kallelse, lists)."""
    from sikt_cli.render.mail_html import markdown_to_html

    return _html_page(title, [markdown_to_html(p) for p in parts], root, utkast=utkast)


def _html_page(title: str, parts: list[str], root: Path, *, utkast: bool = False) -> str:
    """mejl.html.j2 around finished HTML parts (the first boxed when there are more), CSS
    inlined."""
    from markupsafe import Markup

    from sikt_cli.render.mail_html import STYLE, inline_css
    from sikt_cli.render.templates import render

    page = render(
        "mejl.html.j2",
        {
            "titel": title,
            "utkast": utkast,
            "stil": Markup(STYLE),
            "delar": [Markup(p) for p in parts],
        },
        root,
    )
    return inline_css(page)


def mark_draft(msg: EmailMessage) -> EmailMessage:
    """Outlook opens a message with X-Unsent: 1 as a draft, ready to send."""
    if "X-Unsent" not in msg:
        msg["X-Unsent"] = "1"
    return msg


ATTACHMENTS = ("pdf", "docx", "md")


def minutes_mail(
    archive: Archive,
    minutes: Minutes,
    *,
    utkast: bool,
    audience: str = "alla",
    bilagor: tuple[str, ...] = ("pdf",),
) -> Mail:
    """The protokoll as a finished document: head and summary (decisions, new uppdrag) on
    top, then the whole minutes, in HTML and plain text from the same blocks; attached
    as PDF (`bilagor` may add "docx" and "md", the protokoll file itself).

    `audience` "alla": to the members with rapport_till in copy. "medlemmar": to the members
    only. "rapport": to rapport_till only, as published: items with `publiceras: nej` are
    left out with a visible note, and the .md (which holds them) is never attached.
    """
    from sikt_cli.archive.documents import load_markdown_file
    from sikt_cli.records.action_items import track
    from sikt_cli.render.minutes_document import MinutesText, minutes_document
    from sikt_cli.render.text_writer import to_text

    assert minutes.datum is not None
    loaded = load_markdown_file(minutes.path, minutes.rel)
    if loaded.source is None:
        first = loaded.diagnostics[0]
        raise SiktError(first.message, first.hint)
    fm = loaded.frontmatter
    source = MinutesText(fm.body if fm else "", fm.body_first_line if fm else 1)
    tracked = track(archive.minutes, archive.roster).items
    new_items = [a for a in tracked if a.file == minutes.rel]
    shown = minutes
    if audience == "rapport":
        shown, new_items, source = _published(minutes, new_items, source)
    doc = minutes_document(archive, shown, tracked, new_items, source, utkast=utkast)
    subject = f"Protokoll {archive.roster.network.namn} {minutes.datum.isoformat()}"
    if utkast:
        subject = "UTKAST: " + subject
    to, unreached = _recipients(archive, minutes.datum)
    cc = _report_to(archive) if audience == "alla" else []
    if audience == "rapport":
        to, cc, unreached = _report_to(archive), [], []
    msg = _base(subject, to, cc)
    msg.set_content(to_text(doc.mail_document()))
    msg.add_alternative(_minutes_html(subject, doc, archive.root, utkast), subtype="html")
    files = [b for b in bilagor if b != "md" or audience != "rapport"]
    for data, maintype, subtype, name in _attachments(doc, files, loaded.source.text, minutes):
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return Mail(msg, to, cc, unreached)


def _minutes_html(subject: str, doc: MinutesDocument, root: Path, utkast: bool) -> str:
    from sikt_cli.render.document_blocks import Document
    from sikt_cli.render.html_writer import to_html

    top = to_html(Document(doc.title, doc.head + doc.summary))
    rest = to_html(Document(doc.title, doc.body), title=False)
    return _html_page(subject, [top, rest], root, utkast=utkast)


def _attachments(
    doc: MinutesDocument, kinds: list[str], source: str, minutes: Minutes
) -> list[tuple[bytes, str, str, str]]:
    """(bytes, maintype, subtype, file name) of each attachment asked for, in order."""
    stem = f"protokoll-{minutes.path.stem}"
    out = []
    for kind in dict.fromkeys(kinds):
        if kind == "pdf":
            from sikt_cli.render.pdf_writer import to_pdf

            out.append((to_pdf(doc.document()), "application", "pdf", f"{stem}.pdf"))
        elif kind == "docx":
            from sikt_cli.render.docx_writer import DOCX_TYPE, to_docx

            out.append((to_docx(doc.document()), "application", DOCX_TYPE, f"{stem}.docx"))
        elif kind == "md":
            out.append((source.encode("utf-8"), "text", "markdown", minutes.path.name))
    return out


def _published(
    minutes: Minutes, new_items: list[ActionItem], source: MinutesText
) -> tuple[Minutes, list[ActionItem], MinutesText]:
    """The protokoll, its new uppdrag and body as published, with notes on what is not."""
    from sikt_cli.records import publication

    kept = {a.nr for a in publication.publishable_items(minutes)}
    shown = replace(
        minutes,
        arenden=tuple(a for a in minutes.arenden if a.nr in kept),
        beslut=tuple(b for b in minutes.beslut if b.arende in kept),
    )
    items = [a for a in new_items if a.section in kept]
    withheld = publication.withheld_items(minutes)
    notes = [publication.item_note(a) for a in withheld]
    hidden = None
    if not minutes.publiceras:  # the note stands in place of the body, once
        notes, hidden = [], publication.minutes_note(minutes)
    return (
        shown,
        items,
        replace(
            source,
            notes=tuple(notes),
            withheld={a.nr: publication.item_note(a) for a in withheld},
            withheld_all=hidden,
        ),
    )


NO_RECIPIENTS = (
    "OBS: Ingen medlem har en e-postadress i medlemmar.yaml, så utkastet har inga mottagare. "
    "Skriv in mottagarna i Outlook innan du skickar, eller lägg till 'epost' för medlemmarna "
    "och skapa kallelsen igen."
)


def notice_mail(
    archive: Archive,
    day: dt.date,
    notice_md: str,
    ics: bytes,
    *,
    request: bytes,
    files: list[Attachment] | None = None,
) -> Mail:
    """The kallelse: text, HTML and the invitation (`request`, with METHOD:REQUEST) as
    alternatives; the stored form of the invitation (`ics`, no METHOD) and the bilagor
    attached. With no member to send it to, the text says so on its first line."""
    from sikt_cli.render.plain_text import markdown_to_text

    net = archive.roster.network
    subject = f"Kallelse {net.namn} {swedish(day)}"
    to, unreached = _recipients(archive, day)
    if not to:
        notice_md = f"**{NO_RECIPIENTS}**\n\n{notice_md}"
    msg = _base(subject, to, [])
    msg.set_content(markdown_to_text(notice_md))
    msg.add_alternative(_html(subject, [notice_md], archive.root), subtype="html")
    msg.add_alternative(
        request,
        maintype="text",
        subtype="calendar",
        params={"method": "REQUEST", "charset": "utf-8"},
    )
    msg.add_attachment(
        ics, maintype="application", subtype="ics", filename=f"kallelse-{day.isoformat()}.ics"
    )
    add_files(msg, files or [])
    return Mail(msg, to, [], unreached)


def report_mail(archive: Archive, subject: str, markdown: str) -> Mail:
    """A message to `rapport_till` (member list, meeting dates)."""
    cc: list[Address] = []
    to = _report_to(archive)
    if not to:
        raise SiktError(
            "natverk.rapport_till saknas i medlemmar.yaml.",
            "Ange vart förteckningen ska skickas, t.ex. rapport_till: [utbildning@skaraborg.se].",
        )
    from sikt_cli.render.plain_text import markdown_to_text

    msg = _base(subject, to, cc)
    msg.set_content(markdown_to_text(markdown))
    msg.add_alternative(_html(subject, [markdown], archive.root), subtype="html")
    return Mail(msg, to, cc, [])


def attach(mail: Mail, data: bytes, filename: str, maintype: str, subtype: str) -> None:
    """A file attached to the message (the annual report's document)."""
    mail.message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)


def plain_text(mail: Mail) -> str:
    """The text/plain part of the message: what a reader without HTML sees."""
    part = mail.message.get_body(preferencelist=("plain",))
    if not isinstance(part, EmailMessage):
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else ""


def draft_bytes(mail: Mail) -> bytes:
    """The message as the bytes of an unsent draft (.eml) that Outlook opens ready to send.

    Every line ends in CRLF, as RFC 5322 requires of a message: the email package's default
    policy writes LF, and Outlook has been reported to show such a file wrongly."""
    mark_draft(mail.message)
    return bytes(mail.message.as_bytes(policy=POLICY.clone(linesep="\r\n")))


def write_draft(mail: Mail, path: Path) -> None:
    """Write the message as an unsent draft .eml, never over an existing file."""
    from sikt_cli.files import create_bytes

    create_bytes(path, draft_bytes(mail))
