"""`sikt protokoll mejl`: the protokoll as mail, only when it may be sent.

A protokoll with errors is never sent; a draft (not justerat) only when asked for, and
then marked UTKAST.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sikt_cli.archive.layout import minutes_path
from sikt_cli.diagnostics import Blocked
from sikt_cli.errors import Refused
from sikt_cli.mail.messages import Mail


def minutes_mail(root: Path, day: dt.date, *, utkast: bool) -> tuple[Mail, str]:
    """The mail and the draft's default file name, or a Refused/Blocked error saying why not."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.mail.messages import minutes_mail as build
    from sikt_cli.services.validate import validate

    path = minutes_path(root, day)
    if not path.is_file():
        raise Refused(f"Det finns inget protokoll för {day}.", "Se 'sikt protokoll lista'.")
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
    mail = build(archive, minutes, utkast=minutes.status != "justerat")
    return mail, f"protokoll-{path.stem}.eml"
