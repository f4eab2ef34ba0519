"""The `sikt` command: the group, the one place errors become exit codes, and the command tree.

Each command lives in its own module of this package and calls one service. The tree is
built lazily (`cli/tree.py`): `sikt <cmd>` imports and builds only that command's module,
and `sikt --help` lists every command from the table without importing any. Heavy
libraries (markdown-it, jinja2, icalendar, rich) are imported inside the commands that
need them.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Annotated, Any

import typer

import sikt_cli
from sikt_cli.cli import plain_values, tree
from sikt_cli.cli.i18n import SwedishGroup, usage_error_message
from sikt_cli.cli.output import ERRORS, echo, print_error, write_stdout
from sikt_cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, SiktError

EXIT_INTERNAL = 70


# stderr's default is backslashreplace: an arrow in a message would show as \u2192
_FRAGILE = ("strict", "surrogateescape", "backslashreplace")


class SiktGroup(SwedishGroup):
    """Turns every error into a Swedish message and an exit code, never a traceback; builds
    a command only when it runs (or its help is shown)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = tree.LazyCommands(self._build)
        self._listing = False

    def _build(self, name: str) -> Any:
        return tree.build(
            name,
            rich_markup_mode=self.rich_markup_mode,
            pretty_exceptions_short=app.pretty_exceptions_short,
            suggest_commands=self.suggest_commands,
        )

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # Typer's own reads every value, building them all

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        commands = self.commands
        if self._listing and isinstance(commands, tree.LazyCommands):
            if cmd_name in commands and not commands.built(cmd_name):
                return tree.listing(cmd_name)  # `sikt --help` shows only name and help
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        # a character the terminal's encoding lacks (an ASCII C locale; Python then uses
        # 'surrogateescape', which still fails on å; a piped Windows code page such as
        # cp1252 or cp850 lacks → and ✓) is spelled out or escaped, never an error
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, io.TextIOWrapper) and stream.errors in _FRAGILE:
                stream.reconfigure(errors=ERRORS)
        plain_values.plain_coercion(self)  # --version without pydantic, as every command's options
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
        from sikt_cli.cli.common import print_report

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


# the commands themselves: `cli/tree.py`


def main() -> None:
    app()
