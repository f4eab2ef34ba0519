"""The thin CLI: parse options, call one library function, pick a reporter, exit.

Only this module prints, prompts or exits. Heavy libraries (markdown-it, jinja2,
icalendar) are imported inside the commands that need them, so `sikt --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from sikt_cli import __version__
from sikt_cli.archive import SiktError
from sikt_cli.i18n import SwedishCommand, SwedishGroup, usage_error_message

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class SiktGroup(SwedishGroup):
    """Turns every error into a Swedish message and an exit code, never a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from typer._click import exceptions as ce

        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except ce.NoArgsIsHelpError as exc:
            sys.stdout.write(exc.format_message())
            sys.exit(EXIT_OK)
        except ce.UsageError as exc:
            cmd = exc.ctx.command_path if exc.ctx else "sikt"
            _err(usage_error_message(exc), f"Se '{cmd} --help'.")
            sys.exit(EXIT_USAGE)
        except typer.Abort:
            _err("Avbrutet.")
            sys.exit(130)
        except SiktError as exc:
            _err(exc.message, exc.hint)
            sys.exit(EXIT_USAGE)
        except (KeyboardInterrupt, EOFError):
            _err("Avbrutet.")
            sys.exit(130)
        except Exception as exc:  # last resort: a message, never a traceback
            if os.environ.get("SIKT_DEBUG"):
                raise
            _err(
                f"Internt fel i sikt {__version__}: {type(exc).__name__}: {exc}",
                "Det här är ett fel i verktyget, inte i dina filer. Kör igen med SIKT_DEBUG=1 "
                "och rapportera utskriften.",
            )
            sys.exit(EXIT_INTERNAL)
        sys.exit(code if isinstance(code, int) else 0)


def _err(message: str, hint: str = "") -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(Text("Fel: ", "bold red") + Text(message))
    if hint:
        console.print(Text("tips: ", "cyan") + Text(hint))


def _fail(message: str, hint: str = "", code: int = EXIT_USAGE) -> NoReturn:
    _err(message, hint)
    raise typer.Exit(code)


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
        typer.echo(f"sikt {__version__}")
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


RotOption = Annotated[
    Path | None,
    typer.Option(
        "--rot",
        metavar="KATALOG",
        help="Arkivets katalog (den med medlemmar.yaml). Standard: sökes uppåt "
        "från aktuell katalog.",
    ),
]


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command("validera", cls=SwedishCommand)
def validera(
    sokvagar: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[SÖKVÄGAR]...",
            show_default=False,
            help="Protokoll eller kataloger att kontrollera. Standard: hela arkivet.",
        ),
    ] = None,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Utdataformat: text, json eller github.")
    ] = Format.text,
    strikt: Annotated[bool, typer.Option("--strikt", help="Misslyckas även på varningar.")] = False,
    rot: RotOption = None,
) -> None:
    """Kontrollera protokollen mot medlemmar.yaml och mal.yaml.

    Rapporterar alla problem i alla filer i en körning, med fil:rad:kolumn, kod och tips.
    Avslutar med 0 utan fel (varningar tillåts), 1 vid fel, 2 vid felaktig användning.

    [bold]Exempel:[/bold] sikt validera · sikt validera protokoll/2020-06-05.md --format json
    """
    from sikt_cli.archive import find_root
    from sikt_cli.reporters import REPORTERS
    from sikt_cli.validate import validate

    root = find_root(explicit=rot)
    if sys.stderr.isatty() and format is Format.text:
        from rich.console import Console

        with Console(stderr=True).status("Kontrollerar protokollen …"):
            result = validate(root, sokvagar)
    else:
        result = validate(root, sokvagar)
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(REPORTERS[format.value](result, color=color))
    raise typer.Exit(result.exit_code(strict=strikt))


# --- uppdrag --------------------------------------------------------------------------

uppdrag_app = typer.Typer(
    cls=SwedishGroup,
    invoke_without_command=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(uppdrag_app, name="uppdrag")


class ListFormat(enum.StrEnum):
    tabell = "tabell"
    json = "json"
    csv = "csv"
    md = "md"
    ics = "ics"


def _parse_date(value: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{flag} ska vara ett datum ÅÅÅÅ-MM-DD, inte '{value}'.", "Till exempel 2020-09-04.")


@uppdrag_app.callback()
def uppdrag(
    ctx: typer.Context,
    mina: Annotated[bool, typer.Option("--mina", help="Bara dina uppdrag (se --jag).")] = False,
    jag: Annotated[
        str | None,
        typer.Option(
            "--jag",
            metavar="ID",
            help="Ditt medlems-id. Annars SIKT_JAG eller git "
            "config user.email matchad mot 'epost'.",
        ),
    ] = None,
    medlem: Annotated[
        str | None, typer.Option("--medlem", metavar="ID", help="Uppdrag som rör en medlem.")
    ] = None,
    kommun: Annotated[
        str | None, typer.Option("--kommun", metavar="NAMN", help="Uppdrag som rör en kommun.")
    ] = None,
    alla: Annotated[bool, typer.Option("--alla", help="Även avslutade uppdrag.")] = False,
    forsenade: Annotated[
        bool, typer.Option("--forsenade", help="Bara försenade (per idag eller --per).")
    ] = False,
    per: Annotated[
        str | None, typer.Option("--per", metavar="DATUM", help="Räkna försening per detta datum.")
    ] = None,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="tabell, json, csv, md eller ics.")
    ] = ListFormat.tabell,
    rot: RotOption = None,
) -> None:
    """Visa nätverkets uppdrag: vem som ska göra vad, och till när.

    Utan flaggor: alla öppna uppdrag i nätverket, sorterade på sista datum.

    [bold]Exempel:[/bold] sikt uppdrag --mina --jag hannes-berggren ·
    sikt uppdrag --alla --format json
    """
    if ctx.invoked_subcommand:
        ctx.obj = rot
        return
    from sikt_cli.action_views import Selection, select, to_csv, to_ics, to_json, to_markdown
    from sikt_cli.actions import track
    from sikt_cli.archive import find_root, load_archive
    from sikt_cli.identity import resolve
    from sikt_cli.schema import did_you_mean

    root = find_root(explicit=rot)
    archive = load_archive(root)
    roster = archive.roster
    today = _parse_date(per, "--per") if per else dt.date.today()
    member = medlem
    if mina:
        member = resolve(roster, root, jag)
    if member and roster.member(member) is None:
        guess = did_you_mean(member, list(roster.by_id))
        _fail(
            f"'{member}' är inte en medlem i medlemmar.yaml.",
            f"Menade du '{guess}'?" if guess else "Se medlemmarnas id i medlemmar.yaml.",
        )
    if kommun and kommun not in roster.kommuner:
        guess = did_you_mean(kommun, roster.kommuner)
        _fail(
            f"'{kommun}' finns inte bland kommunerna i medlemmar.yaml.",
            f"Menade du '{guess}'?" if guess else "Kommuner: " + ", ".join(roster.kommuner),
        )
    tracker = track(archive.minutes, roster)
    problems = sum(1 for d in archive.diagnostics if d.is_error) + len(tracker.diagnostics)
    if problems:
        _err(
            f"Arkivet har {problems} fel som kan påverka listan.",
            "Kör 'sikt validera' för detaljer.",
        )
    items = select(
        tracker.items,
        roster,
        Selection(
            member=member,
            kommun=kommun,
            include_closed=alla,
            overdue_on=today if forsenade else None,
        ),
    )
    if format is ListFormat.json:
        sys.stdout.write(to_json(items, today))
    elif format is ListFormat.csv:
        sys.stdout.write(to_csv(items, today))
    elif format is ListFormat.md:
        sys.stdout.write(to_markdown(items, roster, today))
    elif format is ListFormat.ics:
        sys.stdout.buffer.write(to_ics(items, roster, today))
        sys.stdout.flush()
    else:
        _print_table(items, archive.roster, today)


def _print_table(items: list[Any], roster: Any, today: dt.date) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sikt_cli.action_views import summary, who

    console = Console(highlight=False)
    if not items:
        console.print("Inga uppdrag att visa.")
        return
    table = Table(show_lines=False, header_style="bold")
    for col in ("ID", "Vem", "Vad", "Senast", "Ålder", "Möte · ärende"):
        table.add_column(col, overflow="fold")
    for a in items:
        late = a.overdue(today)
        style = "red" if late else ("dim" if not a.is_open else "")
        due = a.due.isoformat() if a.due else "–"
        if late:
            due += " (försenat)"
        if not a.is_open:
            due += f" (avslutat {a.closed_on})"
        table.add_row(
            Text(a.id),
            Text(who(a, roster)),
            Text(a.text),
            Text(due),
            Text(f"{(today - a.meeting).days} d"),
            Text(f"{a.meeting} · {a.section}. {a.section_title}" if a.section else str(a.meeting)),
            style=style,
        )
    console.print(table)
    console.print(summary(items, today))


@uppdrag_app.command("visa", cls=SwedishCommand)
def uppdrag_visa(
    ctx: typer.Context,
    uppdrag_id: Annotated[
        str, typer.Argument(metavar="ID", help="Uppdragets ID, t.ex. 2020-06-05#3.")
    ],
    rot: RotOption = None,
) -> None:
    """Visa ett uppdrag med hela dess historik.

    [bold]Exempel:[/bold] sikt uppdrag visa 2020-06-05#3
    """
    from rich.console import Console
    from rich.text import Text

    from sikt_cli.action_views import who
    from sikt_cli.actions import track
    from sikt_cli.archive import find_root, load_archive
    from sikt_cli.schema import did_you_mean

    root = find_root(explicit=rot or ctx.obj)
    archive = load_archive(root)
    tracker = track(archive.minutes, archive.roster)
    item = tracker.get(uppdrag_id)
    if item is None:
        guess = did_you_mean(uppdrag_id, [a.id for a in tracker.items])
        _fail(
            f"Inget uppdrag har ID '{uppdrag_id}'.",
            (f"Menade du '{guess}'? " if guess else "") + "Se 'sikt uppdrag --alla' för alla ID.",
            code=EXIT_FOUND,
        )
    today = dt.date.today()
    c = Console(highlight=False)
    state = "öppet" if item.is_open else f"avslutat {item.closed_on}"
    if item.overdue(today):
        state += " (försenat)"
    c.print(Text(f"Uppdrag {item.id}", "bold"))
    for label, value in (
        ("Vad", item.text),
        ("Vem", who(item, archive.roster)),
        ("Senast", item.due.isoformat() if item.due else "–"),
        ("Status", state),
        (
            "Givet",
            f"{item.meeting}"
            + (f", ärende {item.section}. {item.section_title}" if item.section else ""),
        ),
        ("Källa", f"{item.file}:{item.line}"),
    ):
        c.print(Text(f"{label + ':':<8}", "bold") + Text(value))
    c.print(Text("Historik:", "bold"))
    c.print(Text(f"  {item.meeting}  givet  {item.file}:{item.line}"))
    for f in item.follow_ups:
        mark = "avslutat" if f.done else "öppet  "
        c.print(Text(f"  {f.meeting}  {mark}  {f.file}:{f.line}  {f.comment}"))


def main() -> None:
    app()
