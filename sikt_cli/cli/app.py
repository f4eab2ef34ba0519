"""The `sikt` command: the group, the one place errors become exit codes, and the command tree.

Each command lives in its own module of this package and calls one service. Heavy
libraries (markdown-it, jinja2, icalendar, rich) are imported inside the commands that
need them, so `sikt --help` stays fast.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Annotated, Any

import typer

import sikt_cli
from sikt_cli.cli import (
    beslut,
    init,
    kallelse,
    listor,
    protokoll,
    rapport,
    schema,
    sok,
    uppdrag,
    validera,
    webb,
)
from sikt_cli.cli.common import print_report
from sikt_cli.cli.i18n import SwedishCommand, SwedishGroup, usage_error_message
from sikt_cli.cli.importera import importera as importera_command
from sikt_cli.cli.output import ERRORS, echo, print_error, write_stdout
from sikt_cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, SiktError

EXIT_INTERNAL = 70


# stderr's default is backslashreplace: an arrow in a message would show as \u2192
_FRAGILE = ("strict", "surrogateescape", "backslashreplace")


class SiktGroup(SwedishGroup):
    """Turns every error into a Swedish message and an exit code, never a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        # a character the terminal's encoding lacks (an ASCII C locale; Python then uses
        # 'surrogateescape', which still fails on å; a piped Windows code page such as
        # cp1252 or cp850 lacks → and ✓) is spelled out or escaped, never an error
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, io.TextIOWrapper) and stream.errors in _FRAGILE:
                stream.reconfigure(errors=ERRORS)
        try:
            code = super().main(*args, **kwargs)
        except BaseException as exc:
            sys.exit(_exit_code(exc))
        sys.exit(code if isinstance(code, int) else 0)


def _exit_code(exc: BaseException) -> int:
    """The one mapping from an exception to what the user sees and the exit code."""
    from typer._click import exceptions as ce

    if isinstance(exc, SystemExit):
        raise exc
    if isinstance(exc, ce.NoArgsIsHelpError):
        write_stdout(exc.format_message(), form="rendered")  # sikt's own help text
        return EXIT_OK
    if isinstance(exc, ce.UsageError):
        cmd = exc.ctx.command_path if exc.ctx else "sikt"
        print_error(usage_error_message(exc), f"Se '{cmd} --help'.")
        return EXIT_USAGE
    if isinstance(exc, typer.Abort | KeyboardInterrupt | EOFError):
        print_error("Avbrutet.")
        return EXIT_INTERRUPTED
    if isinstance(exc, SiktError):
        result = getattr(exc, "result", None)
        if result is not None:  # the findings that made the command refuse, first
            print_report(result)
        print_error(exc.message, exc.hint)
        return exc.exit_code
    if os.environ.get("SIKT_DEBUG"):
        raise exc
    if isinstance(exc, OSError):  # the file system refused: about a path, not a bug in sikt
        from sikt_cli import os_errors

        print_error(
            os_errors.sentence(exc),
            os_errors.hint(exc)
            or "Kontrollera att sökvägen finns, är en fil eller katalog som väntat, och att "
            "du har behörighet.",
        )
        return EXIT_USAGE
    # last resort: a message, never a traceback
    print_error(
        f"Internt fel i sikt {sikt_cli.__version__}: {type(exc).__name__}: {exc}",
        "Det här är ett fel i verktyget, inte i dina filer. Kör igen med SIKT_DEBUG=1 "
        "och rapportera utskriften.",
    )
    return EXIT_INTERNAL


app = typer.Typer(
    cls=SiktGroup,
    name="sikt",
    help=(
        "Kontrollerade, sökbara protokoll för ett kommunalt nätverk.\n\n"
        "Exempel: [bold]sikt validera[/bold] · [bold]sikt uppdrag --mina --jag sara-von-seth[/bold]"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        echo(f"sikt {sikt_cli.__version__}")  # looked up only here: lean start-up
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Visa versionen och avsluta."
        ),
    ] = False,
) -> None:
    """Kontrollerade, sökbara protokoll för ett kommunalt nätverk."""


def _command(name: str, function: Any) -> None:
    app.command(name, cls=SwedishCommand)(function)


_command("validera", validera.validera)
app.add_typer(uppdrag.app, name="uppdrag")
app.add_typer(protokoll.app, name="protokoll")
_command("kallelse", kallelse.kallelse)
_command("mallar", kallelse.mallar)
_command("medlemmar", listor.medlemmar)
_command("moten", listor.moten)
_command("schema", schema.schema)
app.add_typer(beslut.app, name="beslut")
app.add_typer(rapport.app, name="rapport")
app.command("sok", cls=sok.SearchCommand)(sok.sok)
_command("init", init.init)
_command("importera", importera_command)
_command("webb", webb.webb)


def main() -> None:
    app()
