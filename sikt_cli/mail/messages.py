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
from sikt_cli.archive.source import Frontmatter
from sikt_cli.dates import swedish
from sikt_cli.errors import SiktError
from sikt_cli.mail.headers import POLICY, address, header_text, sender_address

if TYPE_CHECKING:
    from sikt_cli.records.action_items import ActionItem


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
    from markupsafe import Markup

    from sikt_cli.render.mail_html import STYLE, inline_css, markdown_to_html
    from sikt_cli.render.templates import render

    page = render(
        "mejl.html.j2",
        {
            "titel": title,
            "utkast": utkast,
            "stil": Markup(STYLE),
            "delar": [Markup(markdown_to_html(p)) for p in parts],
        },
        root,
    )
    return inline_css(page)


def mark_draft(msg: EmailMessage) -> EmailMessage:
    """Outlook opens a message with X-Unsent: 1 as a draft, ready to send."""
    if "X-Unsent" not in msg:
        msg["X-Unsent"] = "1"
    return msg


def minutes_mail(
    archive: Archive, minutes: Minutes, *, utkast: bool, audience: str = "alla"
) -> Mail:
    """The protokoll: decisions and new uppdrag on top, the whole text, the .md attached.

    `audience` "alla": to the members with rapport_till in copy. "medlemmar": to the members
    only. "rapport": to rapport_till only, as published: items with `publiceras: nej` are
    left out with a visible note, and the .md (which holds them) is not attached.
    """
    from sikt_cli.archive.documents import load_markdown_file
    from sikt_cli.records.action_items import track
    from sikt_cli.render import contexts
    from sikt_cli.render.templates import render

    assert minutes.datum is not None
    loaded = load_markdown_file(minutes.path, minutes.rel)
    if loaded.source is None:
        first = loaded.diagnostics[0]
        raise SiktError(first.message, first.hint)
    fm = loaded.frontmatter
    body = fm.body if fm else ""
    new_items = [a for a in track(archive.minutes, archive.roster).items if a.file == minutes.rel]
    shown, notes = minutes, ""
    if audience == "rapport":
        shown, new_items, body, notes = _published(minutes, new_items, body, fm)
    ctx = contexts.minutes_mail(archive, shown, new_items, utkast=utkast)
    summary = render("protokoll-mejl.md.j2", ctx, archive.root) + notes
    subject = f"Protokoll {archive.roster.network.namn} {minutes.datum.isoformat()}"
    if utkast:
        subject = "UTKAST: " + subject
    to, unreached = _recipients(archive, minutes.datum)
    cc = _report_to(archive) if audience == "alla" else []
    if audience == "rapport":
        to, cc, unreached = _report_to(archive), [], []
    msg = _base(subject, to, cc)
    msg.set_content(summary + "\n" + body)
    msg.add_alternative(
        _html(subject, [summary, body], archive.root, utkast=utkast), subtype="html"
    )
    if audience != "rapport":
        msg.add_attachment(
            loaded.source.text.encode("utf-8"),
            maintype="text",
            subtype="markdown",
            filename=minutes.path.name,
            params={"charset": "utf-8"},
        )
    return Mail(msg, to, cc, unreached)


def _published(
    minutes: Minutes, new_items: list[ActionItem], body: str, fm: Frontmatter | None
) -> tuple[Minutes, list[ActionItem], str, str]:
    """The protokoll, its new uppdrag and body as published, and the notes on what is not."""
    from sikt_cli.records import publication

    kept = {a.nr for a in publication.publishable_items(minutes)}
    shown = replace(
        minutes,
        arenden=tuple(a for a in minutes.arenden if a.nr in kept),
        beslut=tuple(b for b in minutes.beslut if b.arende in kept),
    )
    items = [a for a in new_items if a.section in kept]
    body = publication.published_body(minutes, body, fm.body_first_line if fm else 1)
    notes = [publication.item_note(a) for a in publication.withheld_items(minutes)]
    if not minutes.publiceras:
        notes = [publication.minutes_note(minutes)]
    return shown, items, body, "\n" + "".join(f"{n}\n\n" for n in notes)


def notice_mail(archive: Archive, day: dt.date, notice_md: str, ics: bytes) -> Mail:
    """The kallelse: text, HTML and the invitation as alternatives, plus the .ics attached."""
    net = archive.roster.network
    subject = f"Kallelse {net.namn} {swedish(day)}"
    to, unreached = _recipients(archive, day)
    msg = _base(subject, to, [])
    msg.set_content(notice_md)
    msg.add_alternative(_html(subject, [notice_md], archive.root), subtype="html")
    msg.add_alternative(
        ics, maintype="text", subtype="calendar", params={"method": "REQUEST", "charset": "utf-8"}
    )
    msg.add_attachment(
        ics, maintype="application", subtype="ics", filename=f"kallelse-{day.isoformat()}.ics"
    )
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
    msg = _base(subject, to, cc)
    msg.set_content(markdown)
    msg.add_alternative(_html(subject, [markdown], archive.root), subtype="html")
    return Mail(msg, to, cc, [])


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
