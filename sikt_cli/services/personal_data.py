"""The gate every sender passes: nothing is mailed while a personnummer stands.

`protokoll mejl`, `kallelse --ut/--skicka` and `medlemmar/moten --mejl` call `refuse_numbers`
before they build anything, and `refuse_numbers_in` on the finished text (a template in
`mallar/` could bring one in). There is no flag to send anyway: the way out is
`sikt protokoll maskera`, which records the redaction.
"""

from __future__ import annotations

from pathlib import Path

from sikt_cli.archive.layout import MINUTES_DIR
from sikt_cli.diagnostics import Blocked, Diagnostic, Result

CODE = "SIKT601"
HOW_TO = (
    'Maskera numret: sikt protokoll maskera DATUM RAD --skal "…" (raden står ovan). '
    "I ett utkast kan du också ta bort det. Det går inte att skicka ändå."
)


def refuse_numbers(
    root: Path, files: set[str] | None, what: str, *, action: str = "skicka"
) -> None:
    """Blocked, naming every file:line, when a personnummer or samordningsnummer stands in
    `files` (relative names; None: anywhere in the archive). `action` is the verb of the
    message: "skicka" (mail) or "publicera" (the web archive)."""
    from sikt_cli.services.validate import validate

    result = validate(root)
    found = tuple(
        d for d in result.diagnostics if d.code == CODE and (files is None or d.file in files)
    )
    if found:
        raise Blocked(
            f"{what} {action}s inte: {_count(len(found))} står på {_places(found)}.",
            _how_to(found[0]).replace("att skicka ändå", f"att {action} ändå"),
            result=Result(root, found, result.files_checked, result.sources),
        )


def _how_to(first: Diagnostic) -> str:
    """The way out, with the first number's own command when it stands in a protokoll."""
    name = Path(first.file)
    if name.parent.name != MINUTES_DIR or name.suffix != ".md":
        return "Ta bort numret ur " + first.file + ". Det går inte att skicka ändå."
    return HOW_TO.replace("DATUM RAD", f"{name.stem} {first.line}").replace(
        " (raden står ovan)", ""
    )


def refuse_numbers_in(text: str, what: str, name: str, *, action: str = "skicka") -> None:
    """The same check on the text about to be sent (`name` says which text)."""
    from sikt_cli.records.personal_data import scan
    from sikt_cli.rules.personal_data import to_diagnostic

    found = tuple(to_diagnostic(name, f, None) for f in scan(text, contact=False) if f.separated)
    if found:
        raise Blocked(
            f"{what} {action}s inte: {_count(len(found))} står i den färdiga texten "
            f"({_places(found)}), troligen från en mall i mallar/.",
            "Ta bort numret ur mallen eller ur filen det kommer från.",
            result=Result(Path(), found, 1, {name: text.split("\n")}),
        )


def _count(n: int) -> str:
    return "ett personnummer eller samordningsnummer" if n == 1 else f"{n} personnummer"


def _places(found: tuple[Diagnostic, ...]) -> str:
    return ", ".join(f"{d.file}:{d.line}" for d in found)
