"""`sikt protokoll maskera`: replace a personnummer (or a phrase) on one line with
`[maskerat]` and record in `maskeringar` when, by whom, why and what kind (never the value).

Allowed in a justerat protokoll: that is what it is for. Every other byte stays as it
was; the new bytes are checked with `records.masking.masking_mismatch` (the rule the lock
applies) before they are written, atomically and only if the file did not change meanwhile.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.documents import Loaded, minutes_bytes, minutes_document
from sikt_cli.archive.layout import minutes_path
from sikt_cli.archive.model import Roster
from sikt_cli.errors import Refused, SiktError, UsageError
from sikt_cli.files import LineEdit, replace_atomically
from sikt_cli.records.masking import (
    KEY,
    MASK,
    TEXT_KIND,
    block_span,
    mask_numbers,
    masking_mismatch,
)
from sikt_cli.records.personal_data import scan_line

WHO = (
    "Ange vem som maskerar med --av DITT-ID, eller sätt 'git config user.email' till din "
    "adress under 'epost' i medlemmar.yaml."
)


@dataclass(frozen=True, slots=True)
class Masked:
    path: Path
    line: int
    kind: str
    count: int  # values replaced on the line
    av: str


def masker(root: Path, av: str | None) -> str:
    """--av, else the member whose epost is `git config user.email`."""
    from sikt_cli.archive.load import load_archive

    roster: Roster = load_archive(root).roster
    if av:
        return roster.require(av, "--av:", error=UsageError).id
    email = git.config(root, "user.email")
    for m in roster.members:
        if email and m.epost and m.epost.lower() == email.lower():
            return m.id
    raise SiktError(
        f"Ingen medlem i medlemmar.yaml har e-postadressen '{email}' (git config user.email)."
        if email
        else "Vet inte vem som maskerar.",
        WHO,
    )


def mask(
    root: Path, day: dt.date, line: int, *, skal: str, text: str | None, av: str | None
) -> Masked:
    """Mask line `line` of protokoll/D.md and record it; a SiktError says why not."""
    path = minutes_path(root, day)
    if not path.is_file():
        raise Refused(f"Det finns inget protokoll för {day}.", "Se 'sikt protokoll lista'.")
    reason = _reason(skal)
    who = masker(root, av)
    data = minutes_bytes(path)
    loaded, _ = minutes_document(data, path)
    assert loaded.frontmatter is not None and loaded.source is not None
    lines = loaded.source.lines
    span = block_span(loaded)
    if not 1 <= line <= len(lines) or line in (1, loaded.frontmatter.end_line):
        raise UsageError(
            f"{path.name} har ingen rad {line} att maskera.",
            f"Ange en rad mellan 2 och {len(lines)}; 'sikt validera' visar raden.",
        )
    if span and span[0] <= line <= span[1]:
        raise UsageError(
            f"Rad {line} hör till '{KEY}' och maskeras inte.",
            "Raderna under frontmatter flyttas när en maskering antecknas: se radnumret nu "
            "med 'sikt validera'.",
        )
    new_line, kind, count = _masked_line(lines[line - 1], line, text)
    entry = [
        f"- datum: {dt.date.today().isoformat()}",
        f"  av: {who}",
        f"  rad: {line}",
        f"  typ: {kind}",
        f"  skal: {json.dumps(reason, ensure_ascii=False)}",
    ]
    edit = LineEdit(data)
    edit.replace[line] = new_line  # never line 1, so never behind a BOM
    insert_entry(edit, loaded, entry, path.name)
    new = edit.apply()
    _same_meaning(loaded, new, path.name, line)
    problem = masking_mismatch(data, new)
    if problem is not None:  # the lock would not accept it: write nothing
        raise Refused(f"{path.name}: maskeringen kan inte skrivas ({problem}). Inget ändrades.")
    replace_atomically(path, new, expected=data)
    return Masked(path, line, kind, count, who)


def _same_meaning(before: Loaded, new: bytes, name: str, line: int) -> None:
    """Refuse when the masked frontmatter no longer reads as before: `- [maskerat] …` at
    the start of a plain YAML value would turn a text into a list."""
    from sikt_cli.archive.documents import parse_markdown

    after = parse_markdown(new, name)
    old = {(d.code, d.message) for d in before.diagnostics}
    worse = [d for d in after.diagnostics if (d.code, d.message) not in old]
    if worse:
        raise Refused(
            f"{name}: med [maskerat] på rad {line} blir frontmatter fel ({worse[0].code}: "
            f"{worse[0].message}). Inget ändrades.",
            "Värdet står utan citattecken och börjar med det som ska maskeras. Maskera en "
            "större del av värdet med --text, som börjar med något annat än numret, "
            "eller sätt citattecken runt värdet i ett utkast.",
        )


def _reason(skal: str) -> str:
    reason = " ".join(skal.split())
    if not reason:
        raise UsageError("--skal får inte vara tomt.", 'Skriv varför, t.ex. --skal "Personnummer".')
    if any(f.is_number for f in scan_line(reason, contact=False)):
        raise UsageError("--skal innehåller ett personnummer.", "Skriv skälet utan numret.")
    return reason


def _masked_line(current: str, line: int, text: str | None) -> tuple[str, str, int]:
    if text is not None:
        if not text.strip() or "\n" in text or MASK in text:
            raise UsageError("--text ska vara en bit text på raden.", "T.ex. --text 'Anna Ek'.")
        count = current.count(text)
        if not count:
            raise Refused(
                f"Texten '{text}' står inte på rad {line}.",
                "Skriv texten exakt som på raden (stora och små bokstäver räknas).",
            )
        return current.replace(text, MASK), TEXT_KIND, count
    masked = mask_numbers(current)
    if masked is None:
        raise Refused(
            f"Rad {line} har inget personnummer eller samordningsnummer.",
            "Kontrollera raden med 'sikt validera', eller ange vad som ska maskeras med --text.",
        )
    return masked


def insert_entry(edit: LineEdit, loaded: Loaded, entry: list[str], name: str) -> None:
    """Add the entry to `maskeringar`: a new block before the closing `---`, or one more
    item at the end of a block list. Other styles are refused (the exact frontmatter
    editor of issue 11 is to take this over)."""
    fm = loaded.frontmatter
    assert fm is not None and loaded.source is not None
    span = block_span(loaded)
    if span is None:
        edit.insert_before[fm.end_line] = [f"{KEY}:", *(f"  {e}" for e in entry)]
        return
    lines = loaded.source.lines
    first, last = span
    value = loaded.doc.data.get(KEY) if loaded.doc else None
    key_line = lines[first - 1]
    items = [i for i in range(first + 1, last + 1) if re.match(r"^ *- ", lines[i - 1])]
    block = re.fullmatch(rf"{KEY}:\s*(#.*)?", key_line)
    if not block or not items or not isinstance(value, list) or not value:
        raise Refused(
            f"{name}: '{KEY}' står inte som en lista med en '- ' per rad; inget ändrades.",
            f"Skriv om '{KEY}' som en blocklista (som 'sikt protokoll maskera' skriver den), "
            "eller ta bort en tom nyckel, och försök igen.",
        )
    indent = re.match(r"^ *", lines[items[0] - 1])
    pad = indent.group() if indent else ""
    end = max(i for i in range(first + 1, last + 1) if lines[i - 1].strip()[:1] not in ("", "#"))
    edit.insert_before.setdefault(end + 1, []).extend(pad + e for e in entry)
