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

from sikt_cli.archive.layout import minutes_path
from sikt_cli.archive.model import Minutes
from sikt_cli.diagnostics import Blocked
from sikt_cli.errors import Refused
from sikt_cli.mail.messages import Mail


def minutes_mail(root: Path, day: dt.date, *, utkast: bool) -> tuple[Mail, str]:
    """The first of `minutes_mails`: the one mail, or the members' one when something is not
    for publication (the mail to rapport_till is then the second of `minutes_mails`)."""
    return minutes_mails(root, day, utkast=utkast)[0]


def minutes_mails(root: Path, day: dt.date, *, utkast: bool) -> list[tuple[Mail, str]]:
    """The mails with their drafts' default file names, or a Refused/Blocked error saying
    why not: one mail, or two when something is not for publication."""
    from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE, MINUTES_DIR
    from sikt_cli.archive.load import load_archive
    from sikt_cli.mail.messages import minutes_mail as build
    from sikt_cli.mail.messages import plain_text
    from sikt_cli.records.publication import has_withheld
    from sikt_cli.services.personal_data import refuse_numbers, refuse_numbers_in
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
            f"Protokollet har {len(errors)} fel och skickas inte.",
            "Rätta felen ovan (sikt validera) och försök igen.",
            result=result,
        )
    archive = load_archive(root)
    minutes = archive.minutes_on(path.stem)
    assert minutes is not None
    if minutes.status != "justerat" and not utkast:
        raise Refused(
            f"Protokollet har status '{minutes.status}' och är inte justerat.",
            "Justera det först (sikt protokoll justera), eller skicka det som utkast med --utkast.",
        )
    draft = minutes.status != "justerat"
    if not has_withheld(minutes):
        mails = [(build(archive, minutes, utkast=draft), f"protokoll-{path.stem}.eml")]
    else:
        audiences = [("medlemmar", "")]
        if archive.roster.network.rapport_till:
            audiences.append(("rapport", "-rapport"))
        mails = [
            (build(archive, minutes, utkast=draft, audience=a), f"protokoll-{path.stem}{s}.eml")
            for a, s in audiences
        ]
    for mail, name in mails:
        refuse_numbers_in(plain_text(mail), "Protokollet", name)
    _attach_bilagor(root, minutes, mails)
    return mails


def _attach_bilagor(root: Path, minutes: Minutes, mails: list[tuple[Mail, str]]) -> None:
    """The protokoll's `bilagor` on each mail but the published one to rapport_till (the
    second, made only when something is withheld): a file cannot be checked for what the
    published view leaves out."""
    from sikt_cli.mail.messages import add_files
    from sikt_cli.services.attachments import attachments

    files = attachments(root, minutes)
    for mail, _ in mails[:1]:
        add_files(mail.message, files)
