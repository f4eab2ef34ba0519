"""What the commands share: options, printing helpers and delivering a mail.

Only the cli package prints, prompts or exits. Rich is imported inside the helpers so that
`sikt --help` does not load it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sikt_cli.cli.output import color_on_stdout, console, echo, terminal_width, write_stdout
from sikt_cli.errors import Refused
from sikt_cli.os_errors import reason as os_reason

if TYPE_CHECKING:
    from sikt_cli.diagnostics import Result
    from sikt_cli.mail.messages import Mail


def group(**options: Any) -> typer.Typer:
    """A command group with Sikt's Swedish help (`-h`/`--help`, rich markup)."""
    from sikt_cli.cli.i18n import SwedishGroup

    return typer.Typer(
        cls=SwedishGroup,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
        **options,
    )


RotOption = Annotated[
    Path | None,
    typer.Option(
        "--rot",
        metavar="KATALOG",
        help="Arkivets katalog (den med medlemmar.yaml). Standard: sökes uppåt "
        "från aktuell katalog.",
    ),
]
UtOption = Annotated[
    Path | None,
    typer.Option(
        "--ut",
        metavar="SÖKVÄG",
        help="Skriv meddelandet som ett osänt utkast (.eml) att öppna i Outlook.",
    ),
]
SkickaOption = Annotated[
    bool, typer.Option("--skicka", help="Skicka via SMTP (inställningar i SIKT_SMTP_*).")
]
JaOption = Annotated[bool, typer.Option("--ja", help="Fråga inte före sändning.")]


def print_report(result: Result) -> None:
    """The findings of a validation as `sikt validera` shows them, on stdout."""
    from sikt_cli.cli.reporters import report_text

    width = terminal_width()
    write_stdout(report_text(result, color=color_on_stdout(), width=width), form="rendered")


def print_outcome(path: Path, root: Path, what: str) -> None:
    console().print(f"{what}: {path.relative_to(root).as_posix()}")


def print_undo(created: list[Path], root: Path | None = None, *, changed: str = "") -> None:
    """How to undo what the command just created: the files are new, so never checked in,
    and removing them is the whole undo. `changed`: an edited file's own undo, as text."""
    names = [_shown(p, root) for p in created]
    if not names and not changed:
        return
    parts = []
    if len(names) > 3:
        parts.append(f"ta bort de {len(names)} nya filerna ovan (de är inte incheckade)")
    elif names:
        state = "filen är inte incheckad" if len(names) == 1 else "filerna är inte incheckade"
        listed = ", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else names[0]
        parts.append(f"ta bort {listed} ({state})")
    if changed:
        parts.append(changed)
    echo("Ångra: " + "; ".join(parts) + ".")


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def parse_date_option(value: str, flag: str) -> dt.date:
    from sikt_cli.records.reports.period import parse_day

    return parse_day(value, flag)


# The period options of every command that takes one (sikt rapport, sikt beslut; sikt sok
# --ar): read as text and checked by records/reports/period.py, so a wrong value gets the
# same Swedish message everywhere (an int option would get Click's "är inte ett heltal").
ArOption = Annotated[
    str | None, typer.Option("--ar", metavar="ÅR", help="Bara ett kalenderår, t.ex. 2020.")
]
FranOption = Annotated[
    str | None,
    typer.Option("--fran", metavar="DATUM", help="Från och med datumet (ÅÅÅÅ-MM-DD)."),
]
TillOption = Annotated[
    str | None,
    typer.Option("--till", metavar="DATUM", help="Till och med datumet (ÅÅÅÅ-MM-DD)."),
]


def period_options(
    ar: str | None, fran: str | None = None, till: str | None = None
) -> tuple[int | None, dt.date | None, dt.date | None]:
    """`--ar`, `--fran`, `--till` as a year and two days, checked against each other."""
    from sikt_cli.records.reports.period import check_choice, parse_day, parse_year

    year = parse_year(ar, "--ar") if ar is not None else None
    since = parse_day(fran, "--fran") if fran is not None else None
    until = parse_day(till, "--till") if till is not None else None
    check_choice(year, since, until)
    return year, since, until


def deliver(
    mail: Mail,
    *,
    ut: Path | None,
    skicka: bool,
    ja: bool,
    default_name: str,
    written: Path | None = None,
) -> None:
    """Write the message as a draft and/or send it; report who is not reached.

    `written`: the draft was already written by the service (with the files it belongs
    with, all or nothing); it is only reported here."""
    from sikt_cli.files import make_folder, out_target
    from sikt_cli.mail.messages import write_draft

    err = console(stderr=True, soft_wrap=True)  # a reply or a list of names: one line
    if mail.unreached:
        names = ", ".join(m.namn for m in mail.unreached)
        err.print(f"Nås inte ({len(mail.unreached)} utan e-postadress i medlemmar.yaml): {names}")
    if not mail.recipients and not skicka:
        err.print(
            "Varning: meddelandet har inga mottagare (ingen har e-postadress i medlemmar.yaml). "
            "Skriv in mottagarna i Outlook innan du skickar."
        )
    if ut is not None:
        path = out_target(ut, default_name)
        make_folder(path.parent)
        write_draft(mail, path)
        echo(f"Skrev utkast: {path} (öppna filen i Outlook och tryck Skicka)")
        print_undo([path])
    if written is not None:
        echo(f"Skrev utkast: {written} (öppna filen i Outlook och tryck Skicka)")
    if not skicka:
        if ut is None and written is None:
            echo(f"Ämne: {mail.message['Subject']}")
            echo("Till: " + (", ".join(mail.recipients) or "(ingen)"))
            echo("Lägg till --ut FIL.eml för ett utkast eller --skicka för att skicka.")
        return
    _send(mail, ja=ja, err=err)


def _send(mail: Mail, *, ja: bool, err: Any) -> None:
    from sikt_cli.mail.smtp import send, settings

    cfg = settings()
    if not mail.recipients:
        raise Refused(
            "Meddelandet har inga mottagare med e-postadress.",
            "Lägg till 'epost' för medlemmarna i medlemmar.yaml.",
        )
    echo(f"Ämne: {mail.message['Subject']}")
    echo(f"Från: {cfg.sender} via {cfg.host}:{cfg.port} (inloggning: {cfg.auth})")
    echo("Till: " + ", ".join(mail.recipients))
    if not ja:
        echo("Skicka? [j/N] ", nl=False)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("j", "ja", "y", "yes"):
            raise Refused("Inget skickades.")
    result = send(mail.message, mail.recipients, cfg)
    for addr in result.accepted:
        echo(f"Skickat till {addr}")
    for addr, reason in result.refused.items():  # the server's reply: escaped like any text
        err.print(f"Nekad av servern: {addr} ({reason})")
    if result.refused:
        raise Refused(f"{len(result.refused)} mottagare nåddes inte.")


def open_editor(path: Path) -> None:
    """Open `path` in the user's VISUAL/EDITOR, or the platform's own editor when neither is
    set; the editor is the user's own setting and the path is passed as one argument
    (never through a shell)."""
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    command = _split_editor(editor) if editor else default_editor()
    if not command:
        raise Refused(
            f"Editorn '{editor}' kan inte tolkas." if editor else "Ingen editor hittades.",
            "Sätt miljövariabeln VISUAL eller EDITOR, t.ex. EDITOR=nano (i PowerShell: "
            "$env:EDITOR = 'notepad'), eller öppna filen själv.",
        )
    try:
        subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        raise Refused(
            f"Editorn '{editor or command[0]}' kunde inte startas: {os_reason(exc)}.",
            "Kontrollera VISUAL/EDITOR.",
        ) from exc


def _split_editor(editor: str) -> list[str]:
    """EDITOR as an argument list. On Windows a path such as C:\\Program Files\\x.exe keeps
    its backslashes (POSIX splitting would eat them) and loses only its quotes."""
    import shlex

    try:
        if sys.platform == "win32":
            return [part.strip('"') for part in shlex.split(editor, posix=False)]
        return shlex.split(editor)
    except ValueError:  # an unbalanced quote
        return []


def default_editor() -> list[str]:
    """The editor every installation of the platform has: Notepad on Windows, TextEdit
    through `open -W -t` on macOS (waits until the window is closed), else nano, then vi."""
    import shutil

    if sys.platform == "win32":
        return ["notepad"]
    if sys.platform == "darwin":
        return ["open", "-W", "-t"]
    for name in ("nano", "vi"):
        found = shutil.which(name)
        if found:
            return [found]
    return []
