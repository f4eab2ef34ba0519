"""E-mail messages: the protokoll, the kallelse with its invitation, member list, meeting dates.

Headers are only set through `email.message.EmailMessage` and addresses through
`headerregistry.Address(addr_spec=...)`, after control characters are removed, so no value
from the archive can add or change a header. Every .eml written to disk is an unsent
draft (`X-Unsent: 1`) that Outlook opens ready to send from the user's own mailbox.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from email.headerregistry import Address, AddressHeader, BaseHeader, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from sikt_cli.archive import Archive, SiktError
from sikt_cli.dates import swedish
from sikt_cli.model import Member, Minutes

# C0 and C1 controls and the Unicode line and paragraph separators: everything
# str.splitlines() breaks on, which EmailMessage refuses in a header value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# The email package decodes RFC 2047 encoded words ("=?utf-8?q?...?=") in a value it is
# given, so such text would reach the header decoded, CR LF included, and could add a
# header. A WORD JOINER (invisible) between "=" and "?" keeps it literal text.
_NO_ENCODED_WORD = "=\N{WORD JOINER}?"


def header_text(value: str) -> str:
    """One line of plain text: CR, LF, NUL and other control characters become spaces,
    and text that looks like an encoded word stays literal."""
    return _CONTROL.sub(" ", value).strip().replace("=?", _NO_ENCODED_WORD)


def address(name: str, email: str) -> Address:
    try:
        return Address(display_name=header_text(name), addr_spec=header_text(email))
    except (ValueError, IndexError) as exc:
        raise SiktError(
            f"Ogiltig e-postadress för {header_text(name)}: '{email}'.",
            "Rätta adressen i medlemmar.yaml.",
        ) from exc


class _Policy(EmailPolicy):
    """`email.policy.default`, but a header is only written as it reads back.

    CPython's folder (3.11 and others; gh-144156, gh-100884) can write an empty encoded word
    or drop the space between two encoded words at a fold, so "Per-Anders Johansson Ögren"
    in a long To list came back as "Per-Anders Johansson  Ögren", and can encode the comma
    between addresses. A folded To/Cc/Subject is parsed back; if it differs, it is written
    one address per line, or on one line up to the 998-character limit of RFC 5322.
    """

    def fold(self, name: str, value: str) -> str:
        return self._checked(name, value, super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = super().fold_binary(name, value)
        text = folded.decode("ascii", "surrogateescape")
        checked = self._checked(name, value, text)
        return folded if checked == text else checked.encode("ascii", "surrogateescape")

    def _checked(self, name: str, value: str, folded: str) -> str:
        if (
            not isinstance(value, BaseHeader)
            or not isinstance(value, AddressHeader | UnstructuredHeader)
            or self._same(name, value, folded)
        ):
            return folded
        wide = self.clone(max_line_length=998)
        candidates = [value.fold(policy=wide)]
        if isinstance(value, AddressHeader) and len(value.addresses) > 1:
            lines = [self.header_factory(name, [a]).fold(policy=wide) for a in value.addresses]
            parts = [line.split(":", 1)[1].strip() for line in lines]
            candidates.insert(
                0, f"{name}: " + ("," + self.linesep + " ").join(parts) + self.linesep
            )
        return next((c for c in candidates if self._same(name, value, c)), folded)

    def _same(self, name: str, value: str, folded: str) -> bool:
        unfolded = re.sub(r"\r?\n(?=[ \t])", "", folded.split(":", 1)[1]).strip()
        back = self.header_factory(name, unfolded)
        if isinstance(value, AddressHeader):
            return isinstance(back, AddressHeader) and [
                (a.display_name, a.addr_spec) for a in back.addresses
            ] == [(a.display_name, a.addr_spec) for a in value.addresses]
        return str(back) == str(value)


POLICY = _Policy()


def sender_address(value: str) -> Address:
    """SIKT_AVSANDARE as an address; an error that names the variable if it is not one."""
    try:
        return address("", value.strip())
    except SiktError:
        raise SiktError(
            f"SIKT_AVSANDARE är inte en e-postadress: '{header_text(value)}'.",
            "Skriv bara adressen, t.ex. sekreterare@kommun.se, utan namn eller <>.",
        ) from None


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

    from sikt_cli.html import STYLE, inline_css, markdown_to_html
    from sikt_cli.templates import render

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


def minutes_mail(archive: Archive, minutes: Minutes, *, utkast: bool) -> Mail:
    """The protokoll: decisions and new uppdrag on top, the whole text, the .md attached."""
    from sikt_cli.action_views import who
    from sikt_cli.actions import track
    from sikt_cli.loading import read_source, split_frontmatter
    from sikt_cli.templates import render

    assert minutes.datum is not None
    day = minutes.datum
    src, diags = read_source(minutes.path, minutes.rel)
    if src is None:
        raise SiktError(diags[0].message, diags[0].hint)
    fm, _ = split_frontmatter(src)
    body = fm.body if fm else ""
    net = archive.roster.network
    new_items = [a for a in track(archive.minutes, archive.roster).items if a.file == minutes.rel]
    goals = archive.goals.by_id
    roster = archive.roster
    ctx: dict[str, Any] = {
        "natverk": net.namn,
        "datum": day.isoformat(),
        "datum_text": swedish(day),
        "tid": minutes.tid or "",
        "plats": minutes.plats or "",
        "utkast": utkast,
        "ordforande": _name(archive, minutes.ordforande.value if minutes.ordforande else None),
        "sekreterare": _name(archive, minutes.sekreterare.value if minutes.sekreterare else None),
        "narvarande": [_name(archive, r.value) for r in minutes.narvarande],
        "franvarande": [
            r.value if r.value in roster.kommuner else _name(archive, r.value)
            for r in minutes.franvarande
        ],
        "beslut": [
            {
                "arende": b.arende,
                "text": b.text,
                "rubrik": next((a.rubrik for a in minutes.arenden if a.nr == b.arende), ""),
            }
            for b in minutes.beslut
        ],
        "uppdrag": [
            {
                "id": a.id,
                "vem": who(a, roster),
                "text": a.text,
                "senast": a.due.isoformat() if a.due else "",
            }
            for a in new_items
        ],
        "arenden": [
            {
                "nr": a.nr,
                "rubrik": a.rubrik,
                "mal": [f"{r.value} {goals[r.value].namn}" for r in a.mal if r.value in goals],
            }
            for a in minutes.arenden
        ],
        "kommande": [
            {"datum": k.datum.isoformat(), "datum_text": swedish(k.datum), "not": k.not_ or ""}
            for k in minutes.kommande
        ],
    }
    summary = render("protokoll-mejl.md.j2", ctx, archive.root)
    subject = f"Protokoll {net.namn} {day.isoformat()}"
    if utkast:
        subject = "UTKAST: " + subject
    to, unreached = _recipients(archive, day)
    cc = _report_to(archive)
    msg = _base(subject, to, cc)
    msg.set_content(summary + "\n" + body)
    msg.add_alternative(
        _html(subject, [summary, body], archive.root, utkast=utkast), subtype="html"
    )
    msg.add_attachment(
        src.text.encode("utf-8"),
        maintype="text",
        subtype="markdown",
        filename=minutes.path.name,
        params={"charset": "utf-8"},
    )
    return Mail(msg, to, cc, unreached)


def _name(archive: Archive, member_id: str | None) -> str:
    if not member_id:
        return ""
    m = archive.roster.member(member_id)
    return m.namn if m else member_id


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


def write_draft(mail: Mail, path: Path) -> None:
    """Write the message as an unsent draft .eml, never over an existing file."""
    from sikt_cli.writing import create_bytes

    mark_draft(mail.message)
    create_bytes(path, mail.message.as_bytes())
