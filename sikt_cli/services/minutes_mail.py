"""`sikt protokoll mejl`: the protokoll as mail, only when it may be sent.

A protokoll with errors is never sent; a draft (not justerat) only when asked for, and
then marked UTKAST. A protokoll with a personnummer is refused with the way out (`maskera`).

When something in it is not for publication (`publiceras: nej`), two mails are made: the
whole protokoll to the members, and to `rapport_till` the published view, where each
withheld item is a note "Ärende N publiceras inte: skäl" (see records/publication.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from sikt_cli.archive.layout import minutes_path
from sikt_cli.archive.model import Minutes
from sikt_cli.diagnostics import Blocked
from sikt_cli.errors import Refused, UsageError
from sikt_cli.mail.messages import Mail

if TYPE_CHECKING:
    from sikt_cli.archive.load import Archive
    from sikt_cli.render.minutes_document import MinutesDocument


def minutes_mail(
    root: Path, day: dt.date, *, utkast: bool, bilagor: tuple[str, ...] = ("pdf",)
) -> tuple[Mail, str]:
    """The first of `minutes_mails`: the one mail, or the members' one when something is not
    for publication (the mail to rapport_till is then the second of `minutes_mails`)."""
    return minutes_mails(root, day, utkast=utkast, bilagor=bilagor)[0]


def minutes_mails(
    root: Path, day: dt.date, *, utkast: bool, bilagor: tuple[str, ...] = ("pdf",)
) -> list[tuple[Mail, str]]:
    """The mails with their drafts' default file names, or a Refused/Blocked error saying
    why not: one mail, or two when something is not for publication."""
    from sikt_cli.mail.messages import minutes_mail as build
    from sikt_cli.mail.messages import plain_text
    from sikt_cli.records.publication import has_withheld
    from sikt_cli.services.personal_data import refuse_numbers_in

    kinds = attachment_kinds(bilagor)
    archive, minutes = _sendable(root, day, utkast=utkast)
    draft = minutes.status != "justerat"
    stem = minutes.path.stem
    if not has_withheld(minutes):
        mails = [(build(archive, minutes, utkast=draft, bilagor=kinds), f"protokoll-{stem}.eml")]
    else:
        audiences = [("medlemmar", "")]
        if archive.roster.network.rapport_till:
            audiences.append(("rapport", "-rapport"))
        mails = [
            (
                build(archive, minutes, utkast=draft, audience=a, bilagor=kinds),
                f"protokoll-{stem}{s}.eml",
            )
            for a, s in audiences
        ]
    for mail, name in mails:
        refuse_numbers_in(plain_text(mail), "Protokollet", name)
        refuse_numbers_in(html_text(mail), "Protokollet", f"{name} (HTML)")
    _attach_bilagor(root, minutes, mails)
    return mails


def minutes_file(root: Path, day: dt.date, *, fmt: str, utkast: bool) -> tuple[bytes, str]:
    """`sikt protokoll pdf`: the minutes as PDF or Word bytes and their default file name,
    under the same conditions as the mail (no errors, no personnummer, justerat unless
    `utkast`)."""
    from sikt_cli.render.text_writer import to_text
    from sikt_cli.services.personal_data import refuse_numbers_in

    if fmt not in ("pdf", "docx"):
        raise UsageError(f"Okänt format '{fmt}'.", "Välj --format pdf eller --format docx.")
    archive, minutes = _sendable(root, day, utkast=utkast, verb="skrivs")
    doc = _document(archive, minutes).document()
    name = f"protokoll-{minutes.path.stem}.{fmt}"
    refuse_numbers_in(to_text(doc), "Protokollet", name)
    if fmt == "pdf":
        from sikt_cli.render.pdf_writer import to_pdf

        return to_pdf(doc), name
    from sikt_cli.render.docx_writer import to_docx

    return to_docx(doc), name


def attachment_kinds(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--bilaga` values checked: pdf, docx, md; each once, in the order given."""
    from sikt_cli.mail.messages import ATTACHMENTS

    for value in values:
        if value not in ATTACHMENTS:
            raise UsageError(
                f"Okänd bilaga '{value}'.",
                "Välj --bilaga pdf, --bilaga docx eller --bilaga md (protokollfilen); "
                "flaggan kan upprepas.",
            )
    return tuple(dict.fromkeys(values))


def html_text(mail: Mail) -> str:
    """The HTML part's source: a template in mallar/ could add what the text part lacks."""
    part = mail.message.get_body(preferencelist=("html",))
    content = part.get_content() if part is not None else ""
    return content if isinstance(content, str) else ""


def _document(archive: Archive, minutes: Minutes) -> MinutesDocument:
    from sikt_cli.archive.documents import load_markdown_file
    from sikt_cli.records.action_items import track
    from sikt_cli.render.minutes_document import MinutesText, minutes_document

    fm = load_markdown_file(minutes.path, minutes.rel).frontmatter
    source = MinutesText(fm.body if fm else "", fm.body_first_line if fm else 1)
    tracked = track(archive.minutes, archive.roster).items
    new_items = [a for a in tracked if a.file == minutes.rel]
    draft = minutes.status != "justerat"
    return minutes_document(archive, minutes, tracked, new_items, source, utkast=draft)


def _sendable(
    root: Path, day: dt.date, *, utkast: bool, verb: str = "skickas"
) -> tuple[Archive, Minutes]:
    """The archive and the protokoll, when it may leave the network: it exists, holds no
    personnummer, has no errors, and is justerat (or `utkast` allows a draft)."""
    from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE, MINUTES_DIR
    from sikt_cli.archive.load import load_archive
    from sikt_cli.services.personal_data import refuse_numbers
    from sikt_cli.services.validate import validate

    path = minutes_path(root, day)
    if not path.is_file():
        raise Refused(f"Det finns inget protokoll för {day}.", "Se 'sikt protokoll lista'.")
    mine = {f"{MINUTES_DIR}/{path.name}", MEMBERS_FILE, GOALS_FILE}  # goals: in the summary
    refuse_numbers(root, mine, "Protokollet")
    result = validate(root, [path])
    errors = [d for d in result.diagnostics if d.is_error and d.file.endswith(path.name)]
    if errors:
        raise Blocked(
            f"Protokollet har {len(errors)} fel och {verb} inte.",
            "Rätta felen ovan (sikt validera) och försök igen.",
            result=result,
        )
    archive = load_archive(root)
    minutes = archive.minutes_on(path.stem)
    assert minutes is not None
    if minutes.status != "justerat" and not utkast:
        raise Refused(
            f"Protokollet har status '{minutes.status}' och är inte justerat.",
            "Justera det först (sikt protokoll justera), eller "
            f"{'skicka' if verb == 'skickas' else 'skriv'} det som utkast med --utkast.",
        )
    return archive, minutes


def _attach_bilagor(root: Path, minutes: Minutes, mails: list[tuple[Mail, str]]) -> None:
    """The protokoll's `bilagor` on each mail but the published one to rapport_till (the
    second, made only when something is withheld): a file cannot be checked for what the
    published view leaves out."""
    from sikt_cli.mail.messages import add_files
    from sikt_cli.services.attachments import attachments

    files = attachments(root, minutes)
    for mail, _ in mails[:1]:
        add_files(mail.message, files)
