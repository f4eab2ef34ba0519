"""`sikt protokoll rätta`: record a correction of a justerat protokoll.

The secretary edits the lines that are wrong (a misspelt name, a wrong date) in the
justerat file, then runs this command: it compares the file with the version git holds at
HEAD, and records the changed lines with date, who and why in the frontmatter key
`rattelser`. The lock (`sikt validera --bas`) accepts exactly that recorded change.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.documents import minutes_bytes
from sikt_cli.archive.layout import MINUTES_DIR, minutes_path
from sikt_cli.errors import Refused
from sikt_cli.files import replace_atomically
from sikt_cli.records import corrections

_LOCKED_KEYS = re.compile(r"^\s*(status|justerad|rattelser)\s*:|^---\s*$")


@dataclass(frozen=True, slots=True)
class Recorded:
    path: Path
    lines: tuple[int, ...]


def correct(root: Path, day: dt.date, *, skal: str, av: str | None, today: dt.date) -> Recorded:
    """Record the lines changed since HEAD as one rättelse, or refuse with the reason."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.rules.locked import is_approved
    from sikt_cli.services.identity import resolve

    path = minutes_path(root, day)
    rel = f"{MINUTES_DIR}/{path.name}"
    if not path.is_file():
        raise Refused(f"Det finns inget protokoll för {day}.", "Se 'sikt protokoll lista'.")
    if not skal.strip():
        raise Refused(
            "Ange varför protokollet rättas med --skal.", 'T.ex. --skal "Felstavat namn".'
        )
    prefix = os.fsdecode(git.run(root, "rev-parse", "--show-prefix")).strip()
    # as checked out: with core.autocrlf the blob has LF and the user's file CRLF, and the
    # rättelse keeps the file's own line endings (git stores them as LF again)
    base = git.blob(root, "HEAD", f"{prefix}{rel}", checked_out=True)
    if base is None:
        raise Refused(
            f"{rel} finns inte i git (HEAD); bara ett incheckat, justerat protokoll rättas.",
            "Checka in det justerade protokollet först.",
        )
    if not is_approved(base):
        raise Refused(
            f"{rel} är inte justerat i HEAD; ett utkast ändrar du direkt i filen.",
            "'sikt protokoll rätta' är för protokoll som redan är justerade och låsta.",
        )
    new = minutes_bytes(path)
    changes = _changes(base, new, rel)
    roster = load_archive(root).roster
    who = roster.require(av, "--av").id if av else resolve(roster, root, None)
    entry = corrections.Correction(today.isoformat(), who, skal.strip(), tuple(changes))
    final = corrections.apply(base, [entry.as_data()], rel)
    if final is None:
        raise Refused(
            f"Rättelsen i {rel} kan inte skrivas in exakt; filen är oförändrad.",
            "Ändra bara hela rader i texten (inga nya eller borttagna rader) och försök igen.",
        )
    replace_atomically(path, final, expected=new)
    return Recorded(path, tuple(c.rad for c in changes))


def _changes(base: bytes, new: bytes, rel: str) -> list[corrections.LineChange]:
    if corrections.recorded(new) != corrections.recorded(base):
        raise Refused(
            f"'rattelser' i {rel} har ändrats för hand.",
            f"Återställ nyckeln (git checkout HEAD -- {rel}), gör om ändringen av raderna och "
            "kör 'sikt protokoll rätta' igen.",
        )
    changes = corrections.changed_lines(base, new)
    if changes is None:
        raise Refused(
            f"En rättelse byter bara ut hela rader, men i {rel} har rader lagts till, tagits "
            "bort eller fått andra radslut.",
            "Ändra raderna på plats (samma antal rader) och kör kommandot igen.",
        )
    if not changes:
        raise Refused(
            f"{rel} har inga ändrade rader jämfört med HEAD.",
            "Rätta först raderna i filen, kör sedan 'sikt protokoll rätta' med --skal.",
        )
    locked = [c.rad for c in changes if _LOCKED_KEYS.match(c.fore)]
    if locked:
        raise Refused(
            f"Rad {locked[0]} i {rel} (status, justerad, rattelser eller '---') rättas inte.",
            "Ett justerat protokoll förblir justerat; rätta bara protokollets innehåll.",
        )
    return changes
