"""The thin CLI: parse options, call one library function, pick a reporter, exit.

Only this module prints, prompts or exits. Heavy libraries (markdown-it, jinja2,
icalendar) are imported inside the commands that need them, so `sikt --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from sikt_cli import __version__
from sikt_cli.errors import SiktError
from sikt_cli.i18n import SwedishCommand, SwedishGroup, usage_error_message

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class SiktGroup(SwedishGroup):
    """Turns every error into a Swedish message and an exit code, never a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from typer._click import exceptions as ce

        kwargs["standalone_mode"] = False
        # a file name that is not UTF-8 (say Latin-1, from an old zip) is shown as
        # '\udcff' rather than failing the whole run on a UTF-8 terminal
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
                stream.reconfigure(errors="backslashreplace")
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
        except OSError as exc:  # the file system refused: about a path, not a bug in sikt
            if os.environ.get("SIKT_DEBUG"):
                raise
            where = f"'{exc.filename}'" if exc.filename else "En fil eller katalog"
            _err(
                f"{where} kan inte användas: {exc.strerror or exc}.",
                "Kontrollera att sökvägen finns, är en fil eller katalog som väntat, och att "
                "du har behörighet.",
            )
            sys.exit(EXIT_USAGE)
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
    gitlab = "gitlab"


@app.command("validera", cls=SwedishCommand)
def validera(
    sokvagar: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="SÖKVÄG",
            show_default=False,
            help="Protokoll eller kataloger att kontrollera. Standard: hela arkivet.",
        ),
    ] = None,
    format: Annotated[
        Format,
        typer.Option("--format", "-f", help="Utdataformat: text, json, github eller gitlab."),
    ] = Format.text,
    strikt: Annotated[bool, typer.Option("--strikt", help="Misslyckas även på varningar.")] = False,
    bas: Annotated[
        str | None,
        typer.Option(
            "--bas",
            metavar="REF",
            help="Jämför med en git-referens: ändringar i protokoll som var justerade där är fel.",
        ),
    ] = None,
    rot: RotOption = None,
) -> None:
    """Kontrollera protokollen mot medlemmar.yaml och mal.yaml.

    Rapporterar alla problem i alla filer i en körning, med fil:rad:kolumn, kod och tips.
    Avslutar med 0 utan fel (varningar tillåts), 1 vid fel, 2 vid felaktig användning.
    Med --bas skyddas justerade protokoll: så låser CI godkända protokoll.

    [bold]Exempel:[/bold] sikt validera · sikt validera protokoll/2020-06-05.md --format json ·
    sikt validera --bas origin/main
    """
    from sikt_cli.paths import find_root
    from sikt_cli.reporters import REPORTERS
    from sikt_cli.validate import validate

    root = find_root(explicit=rot)
    if sys.stderr.isatty() and format is Format.text:
        from rich.console import Console

        with Console(stderr=True).status("Kontrollerar protokollen …"):
            result = validate(root, sokvagar, bas=bas)
    else:
        result = validate(root, sokvagar, bas=bas)
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
    from sikt_cli.actions import tracked
    from sikt_cli.identity import resolve
    from sikt_cli.paths import find_root
    from sikt_cli.schema import did_you_mean

    root = find_root(explicit=rot)
    roster, tracker, problems = tracked(root, include_closed=alla)
    today = _parse_date(per, "--per") if per else dt.date.today()
    if mina and medlem:
        _fail(
            "--mina och --medlem kan inte användas tillsammans.",
            "Välj --mina för dina egna uppdrag eller --medlem ID för någon annans.",
        )
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
        _print_table(items, roster, today)


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


# --- the meeting cycle ----------------------------------------------------------------

protokoll_app = typer.Typer(
    cls=SwedishGroup,
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Skapa, lista, visa och justera protokoll.\n\n[bold]Exempel:[/bold] sikt protokoll lista",
)
app.add_typer(protokoll_app, name="protokoll")


def _show_outcome(path: Path, root: Path, what: str) -> None:
    from rich.console import Console

    Console(highlight=False).print(f"{what}: {path.relative_to(root).as_posix()}")


def _open_editor(path: Path) -> None:
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    try:
        command = shlex.split(editor or "")
    except ValueError:  # an unbalanced quote
        command = []
    if not editor or not command:
        _fail(
            "Ingen editor angiven." if not editor else f"Editorn '{editor}' kan inte tolkas.",
            "Sätt miljövariabeln VISUAL eller EDITOR, t.ex. EDITOR=nano, eller öppna filen själv.",
            code=EXIT_FOUND,
        )
    # the editor command is the user's own setting; the file path is passed as one argument
    try:
        subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        _fail(
            f"Editorn '{editor}' kunde inte startas: {exc.strerror or exc}.",
            "Kontrollera VISUAL/EDITOR.",
            code=EXIT_FOUND,
        )


@protokoll_app.command("ny", cls=SwedishCommand)
def protokoll_ny(
    datum: Annotated[
        str | None,
        typer.Option(
            "--datum",
            metavar="DATUM",
            help="Mötets datum. Standard: nästa 'kommande', annars idag.",
        ),
    ] = None,
    sekreterare: Annotated[
        str | None, typer.Option("--sekreterare", metavar="ID", help="Sekreterarens id.")
    ] = None,
    redigera: Annotated[
        bool, typer.Option("--redigera", help="Öppna filen i $VISUAL/$EDITOR efteråt.")
    ] = False,
    rot: RotOption = None,
) -> None:
    """Skapa protokollet för ett möte (eller gör om det planerade till utkast).

    Fyller i frontmatter, stående dagordning, föregående mötes ej inplanerade punkter och
    ett avsnitt med alla öppna uppdrag att följa upp. En befintlig fil skrivs aldrig över.

    [bold]Exempel:[/bold] sikt protokoll ny --datum 2020-09-04 --sekreterare sara-von-seth
    """
    from sikt_cli.archive import find_root, load_archive
    from sikt_cli.meeting import next_meeting, parse_day, start_draft

    root = find_root(explicit=rot)
    day = parse_day(datum) if datum else next_meeting(load_archive(root), dt.date.today())
    try:
        outcome = start_draft(root, day, sekreterare)
    except SiktError as exc:
        _fail(exc.message, exc.hint, code=EXIT_FOUND)
    label = "Skapade utkast" if outcome.action == "skapad" else "Gjorde om till utkast"
    _show_outcome(outcome.path, root, label)
    typer.echo("Kör 'sikt validera' för att se vad som återstår att fylla i.")
    if redigera:
        _open_editor(outcome.path)


@protokoll_app.command("lista", cls=SwedishCommand)
def protokoll_lista(rot: RotOption = None) -> None:
    """Lista alla protokoll: datum, status, närvaro, beslut och uppdrag.

    [bold]Exempel:[/bold] sikt protokoll lista
    """
    from rich.console import Console
    from rich.table import Table

    from sikt_cli.actions import track
    from sikt_cli.archive import find_root, load_archive

    root = find_root(explicit=rot)
    archive = load_archive(root)
    items = track(archive.minutes, archive.roster).items
    table = Table(header_style="bold")
    for col in ("Datum", "Status", "Närvarande", "Beslut", "Uppdrag givna", "varav öppna"):
        table.add_column(col)
    for m in archive.minutes:
        given = [a for a in items if a.file == m.rel]
        table.add_row(
            m.file_date,
            m.status or "?",
            str(len(m.narvarande)),
            str(len(m.beslut)),
            str(len(given)),
            str(sum(1 for a in given if a.is_open)),
        )
    console = Console(highlight=False)
    console.print(table)
    console.print(f"{len(archive.minutes)} protokoll.")


@protokoll_app.command("visa", cls=SwedishCommand)
def protokoll_visa(
    datum: Annotated[str, typer.Argument(metavar="DATUM", help="Mötets datum.")],
    rot: RotOption = None,
) -> None:
    """Visa ett protokoll i terminalen.

    [bold]Exempel:[/bold] sikt protokoll visa 2020-06-05
    """
    from rich.console import Console
    from rich.markdown import Markdown

    from sikt_cli.meeting import minutes_path, parse_day
    from sikt_cli.paths import find_root

    root = find_root(explicit=rot)
    path = minutes_path(root, parse_day(datum))
    if not path.is_file():
        _fail(
            f"Det finns inget protokoll för {datum}.", "Se 'sikt protokoll lista'.", code=EXIT_FOUND
        )
    from sikt_cli.loading import read_source, split_frontmatter

    src, diags = read_source(path, path.name)
    if src is None:
        _fail(diags[0].message, diags[0].hint, code=EXIT_FOUND)
    fm, diags = split_frontmatter(src)
    body = fm.body if fm else src.text
    header = "\n".join(src.lines[: fm.end_line]) if fm else ""
    console = Console(highlight=False)
    if header:
        from rich.syntax import Syntax

        console.print(Syntax(header, "yaml", theme="ansi_light", word_wrap=True))
    console.print(Markdown(body))


@protokoll_app.command("justera", cls=SwedishCommand)
def protokoll_justera(
    datum: Annotated[str, typer.Argument(metavar="DATUM", help="Mötets datum.")],
    justerare: Annotated[
        list[str] | None,
        typer.Option("--justerare", metavar="ID", help="Justerare (kan anges flera gånger)."),
    ] = None,
    rot: RotOption = None,
) -> None:
    """Justera ett protokoll: kontrollera det strikt och lås det.

    Sätter 'status: justerat' och 'justerad: <idag>' och ändrar inga andra rader.

    [bold]Exempel:[/bold] sikt protokoll justera 2020-09-04 --justerare karina-bronell
    """
    from sikt_cli.diagnostics import Result, sort_diagnostics
    from sikt_cli.meeting import approve, parse_day
    from sikt_cli.paths import find_root
    from sikt_cli.reporters import report_text

    root = find_root(explicit=rot)
    try:
        outcome, problems = approve(root, parse_day(datum), justerare or [], dt.date.today())
    except SiktError as exc:
        _fail(exc.message, exc.hint, code=EXIT_FOUND)
    if outcome is None:
        from sikt_cli.validate import source_lines

        result = Result(root, sort_diagnostics(problems), 1, source_lines(root, problems))
        sys.stdout.write(report_text(result, color=sys.stdout.isatty()))
        _fail(
            "Protokollet justerades inte: rätta felen och varningarna ovan först.", code=EXIT_FOUND
        )
    _show_outcome(outcome.path, root, "Justerat och låst")


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


def _deliver(mail: Any, *, ut: Path | None, skicka: bool, ja: bool, default_name: str) -> None:
    """Write the message as a draft and/or send it; report who is not reached."""
    from rich.console import Console

    from sikt_cli.mail import write_draft
    from sikt_cli.writing import make_folder

    console = Console(highlight=False, stderr=True)
    if mail.unreached:
        names = ", ".join(m.namn for m in mail.unreached)
        console.print(
            f"Nås inte ({len(mail.unreached)} utan e-postadress i medlemmar.yaml): {names}",
            markup=False,
        )
    if ut is not None:
        # an existing file is a file, whatever its name (and is then never overwritten)
        as_folder = ut.is_dir() or (
            not ut.exists() and (str(ut).endswith(("/", os.sep)) or not ut.suffix)
        )
        if as_folder:
            make_folder(ut)
        path = ut / default_name if as_folder else ut
        write_draft(mail, path)
        typer.echo(f"Skrev utkast: {path} (öppna filen i Outlook och tryck Skicka)")
    if not skicka:
        if ut is None:
            typer.echo(f"Ämne: {mail.message['Subject']}")
            typer.echo("Till: " + (", ".join(mail.recipients) or "(ingen)"))
            typer.echo("Lägg till --ut FIL.eml för ett utkast eller --skicka för att skicka.")
        return
    from sikt_cli.smtp import send, settings

    cfg = settings()
    if not mail.recipients:
        _fail(
            "Meddelandet har inga mottagare med e-postadress.",
            "Lägg till 'epost' för medlemmarna i medlemmar.yaml.",
            code=EXIT_FOUND,
        )
    typer.echo(f"Ämne: {mail.message['Subject']}")
    typer.echo(f"Från: {cfg.sender} via {cfg.host}:{cfg.port} (inloggning: {cfg.auth})")
    typer.echo("Till: " + ", ".join(mail.recipients))
    if not ja:
        typer.echo("Skicka? [j/N] ", nl=False)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("j", "ja", "y", "yes"):
            _fail("Inget skickades.", code=EXIT_FOUND)
    result = send(mail.message, mail.recipients, cfg)
    for addr in result.accepted:
        typer.echo(f"Skickat till {addr}")
    for addr, reason in result.refused.items():
        console.print(f"Nekad av servern: {addr} ({reason})", markup=False)
    if result.refused:
        _fail(f"{len(result.refused)} mottagare nåddes inte.", code=EXIT_FOUND)


@app.command("kallelse", cls=SwedishCommand)
def kallelse(
    datum: Annotated[
        str | None,
        typer.Argument(
            metavar="[DATUM]", help="Mötets datum. Standard: nästa 'kommande', annars idag."
        ),
    ] = None,
    ut: Annotated[
        Path | None,
        typer.Option(
            "--ut",
            metavar="KATALOG",
            help="Skriv kallelsen som utkast (.eml) och kalenderinbjudan (.ics) hit.",
        ),
    ] = None,
    skicka: SkickaOption = False,
    ja: JaOption = False,
    rot: RotOption = None,
) -> None:
    """Ordförandens kallelse med dagordning och uppdrag att rapportera.

    Finns inget protokoll för datumet skapas det som 'planerat' med föreslagen dagordning.
    Med --ut skrivs ett e-postutkast med kalenderinbjudan; med --skicka skickas det.

    [bold]Exempel:[/bold] sikt kallelse 2020-09-04 · sikt kallelse 2020-09-04 --ut utkast/
    """
    from rich.console import Console
    from rich.markdown import Markdown

    from sikt_cli.archive import find_root, load_archive
    from sikt_cli.meeting import next_meeting, notice, parse_day, plan

    root = find_root(explicit=rot)
    day = parse_day(datum) if datum else next_meeting(load_archive(root), dt.date.today())
    outcome = plan(root, day)
    console = Console(highlight=False)
    if outcome:
        console.print(
            f"Skapade planerat protokoll: {outcome.path.relative_to(root).as_posix()}", markup=False
        )
    sending = ut is not None or skicka
    n = notice(root, day, record=sending)
    if not sending:
        console.print(Markdown(n.markdown))
        return
    from sikt_cli.mail import notice_mail
    from sikt_cli.writing import create_bytes, make_folder

    mail = notice_mail(load_archive(root), day, n.markdown, n.ics)
    target = None
    if ut is not None:
        make_folder(ut)
        # one free name for the pair: kallelse-D.ics/.eml, else -2, -3 … (never overwrite)
        base = stem = f"kallelse-{day.isoformat()}"
        number = 2
        while (ut / f"{stem}.ics").exists() or (ut / f"{stem}.eml").exists():
            stem, number = f"{base}-{number}", number + 1
        ics_path = ut / f"{stem}.ics"
        create_bytes(ics_path, n.ics)
        typer.echo(f"Skrev kalenderinbjudan: {ics_path} (SEQUENCE {n.sequence})")
        target = ut / f"{stem}.eml"
    _deliver(mail, ut=target, skicka=skicka, ja=ja, default_name=target.name if target else "")


@app.command("mallar", cls=SwedishCommand)
def mallar(rot: RotOption = None) -> None:
    """Lista mallarna som gäller och var de kommer ifrån.

    En fil i arkivets mallar/ ersätter standardmallen med samma namn.

    [bold]Exempel:[/bold] sikt mallar
    """
    from rich.console import Console
    from rich.table import Table

    from sikt_cli.paths import find_root
    from sikt_cli.templates import in_effect

    root = find_root(explicit=rot)
    table = Table(header_style="bold")
    table.add_column("Mall")
    table.add_column("Källa")
    for t in in_effect(root):
        where = t.path.relative_to(root).as_posix() if t.path else "standard (i sikt)"
        table.add_row(t.name, where)
    Console(highlight=False).print(table)


@protokoll_app.command("mejl", cls=SwedishCommand)
def protokoll_mejl(
    datum: Annotated[str, typer.Argument(metavar="DATUM", help="Mötets datum.")],
    ut: UtOption = None,
    skicka: SkickaOption = False,
    utkast: Annotated[
        bool, typer.Option("--utkast", help="Tillåt ett ojusterat utkast (märks UTKAST).")
    ] = False,
    ja: JaOption = False,
    rot: RotOption = None,
) -> None:
    """Protokollet som e-post till medlemmarna, med kopia till rapportadressen.

    Beslut och nya uppdrag sammanfattas överst; protokollet (.md) bifogas. Bara ett
    protokoll utan fel kan skickas.

    [bold]Exempel:[/bold] sikt protokoll mejl 2020-06-05 --ut protokoll.eml
    """
    from sikt_cli.archive import find_root, load_archive
    from sikt_cli.mail import minutes_mail
    from sikt_cli.meeting import minutes_path, parse_day
    from sikt_cli.validate import validate

    root = find_root(explicit=rot)
    path = minutes_path(root, parse_day(datum))
    if not path.is_file():
        _fail(
            f"Det finns inget protokoll för {datum}.", "Se 'sikt protokoll lista'.", code=EXIT_FOUND
        )
    result = validate(root, [path])
    errors = [d for d in result.diagnostics if d.is_error and d.file.endswith(path.name)]
    if errors:
        from sikt_cli.reporters import report_text

        sys.stdout.write(report_text(result))
        _fail(
            f"Protokollet har {len(errors)} fel och skickas inte.",
            "Rätta felen ovan (sikt validera) och försök igen.",
            code=EXIT_FOUND,
        )
    archive = load_archive(root)
    minutes = archive.minutes_on(path.stem)
    assert minutes is not None
    if minutes.status != "justerat" and not utkast:
        _fail(
            f"Protokollet har status '{minutes.status}' och är inte justerat.",
            "Justera det först (sikt protokoll justera), eller skicka det som utkast med --utkast.",
            code=EXIT_FOUND,
        )
    mail = minutes_mail(archive, minutes, utkast=minutes.status != "justerat")
    _deliver(mail, ut=ut, skicka=skicka, ja=ja, default_name=f"protokoll-{path.stem}.eml")


@app.command("medlemmar", cls=SwedishCommand)
def medlemmar(
    mejl: Annotated[bool, typer.Option("--mejl", help="Gör förteckningen till e-post.")] = False,
    ut: UtOption = None,
    skicka: SkickaOption = False,
    ja: JaOption = False,
    rot: RotOption = None,
) -> None:
    """Förteckningen över nätverkets medlemmar: namn, kommun, organisation, roller.

    Med --mejl blir den ett meddelande till rapportadressen (natverk.rapport_till).

    [bold]Exempel:[/bold] sikt medlemmar · sikt medlemmar --mejl --ut medlemmar.eml
    """
    _list_or_mail(
        "member_list", rot, mejl=mejl, ut=ut, skicka=skicka, ja=ja, default_name="medlemmar.eml"
    )


@app.command("moten", cls=SwedishCommand)
def moten(
    mejl: Annotated[bool, typer.Option("--mejl", help="Gör listan till e-post.")] = False,
    ut: UtOption = None,
    skicka: SkickaOption = False,
    ja: JaOption = False,
    rot: RotOption = None,
) -> None:
    """Nätverkets mötesdatum: hållna, planerade och kommande.

    Med --mejl blir listan ett meddelande till rapportadressen (natverk.rapport_till).

    [bold]Exempel:[/bold] sikt moten · sikt moten --mejl --ut moten.eml
    """
    _list_or_mail(
        "meeting_list", rot, mejl=mejl, ut=ut, skicka=skicka, ja=ja, default_name="moten.eml"
    )


def _list_or_mail(report: str, rot: Path | None, **options: Any) -> None:
    """Build one of the lists in reports.py and show it, or make it an e-mail."""
    from sikt_cli import reports
    from sikt_cli.archive import find_root, load_archive

    archive = load_archive(find_root(explicit=rot))
    title, headers, rows = getattr(reports, report)(archive)
    _table_or_mail(archive, title, headers, rows, **options)


def _table_or_mail(
    archive: Any,
    title: str,
    headers: list[str],
    rows: list[list[str]],
    *,
    mejl: bool,
    ut: Path | None,
    skicka: bool,
    ja: bool,
    default_name: str,
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sikt_cli.mail import report_mail
    from sikt_cli.reports import as_markdown

    if not mejl:
        if ut is not None or skicka:
            _fail("--ut och --skicka kräver --mejl.", "Lägg till --mejl.")
        # Text, not str: names from medlemmar.yaml are shown as written, never as rich markup.
        table = Table(title=Text(title), header_style="bold")
        for h in headers:
            table.add_column(h)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        Console(highlight=False).print(table)
        return
    mail = report_mail(archive, title, as_markdown(title, headers, rows))
    _deliver(mail, ut=ut, skicka=skicka, ja=ja, default_name=default_name)


@app.command("schema", cls=SwedishCommand)
def schema(
    ut: Annotated[
        Path | None,
        typer.Option("--ut", metavar="KATALOG", help="Skriv schemana hit (en fil per format)."),
    ] = None,
) -> None:
    """JSON Schema för medlemmar.yaml, mal.yaml och protokollens frontmatter.

    Schemana byggs från samma definitioner som sikt validera använder. Editorer som VS Code
    kan då fylla i och kontrollera nycklar medan man skriver.

    [bold]Exempel:[/bold] sikt schema --ut schemas/
    """
    from sikt_cli.json_schemas import dumps, schemas
    from sikt_cli.writing import create

    docs = schemas()
    if ut is None:
        import json

        typer.echo(json.dumps(docs, ensure_ascii=False, indent=2))
        return
    existing = [ut / name for name in docs if (ut / name).exists()]
    if existing:  # write all three or none
        _fail(
            f"{existing[0]} finns redan och skrivs inte över; inget skrevs.",
            "Ta bort de gamla schemafilerna först om du vill skapa dem på nytt.",
            code=EXIT_FOUND,
        )
    for name, doc in docs.items():
        path = ut / name
        try:
            create(path, dumps(doc))
        except SiktError as exc:
            _fail(exc.message, exc.hint, code=EXIT_FOUND)
        typer.echo(f"Skrev {path}")


@app.command("init", cls=SwedishCommand)
def init(
    katalog: Annotated[
        Path, typer.Argument(metavar="[KATALOG]", help="Ny katalog för arkivet (standard: här).")
    ] = Path(),
    namn: Annotated[str, typer.Option("--namn", metavar="NAMN", help="Nätverkets namn.")] = "",
    gitlab: Annotated[
        bool, typer.Option("--gitlab", help="GitLab CI i stället för GitHub/Forgejo Actions.")
    ] = False,
    installera: Annotated[
        str,
        typer.Option(
            "--installera", metavar="PAKET", help="Hur CI installerar sikt (pip-specifikation)."
        ),
    ] = "sikt-cli",
) -> None:
    """Skapa ett nytt protokollarkiv för ett nätverk.

    Skapar medlemmar.yaml, mal.yaml, protokoll/, mallar/, README, CI-flöde och
    pre-commit-inställning. Skriver aldrig över en fil.

    [bold]Exempel:[/bold] sikt init nytt --namn "Testnätverket"
    """
    from sikt_cli.scaffold import init as scaffold

    if not namn:
        _fail("Ange nätverkets namn med --namn.", 'T.ex. sikt init nytt --namn "Testnätverket".')
    try:
        done = scaffold(katalog, namn, install=installera, gitlab=gitlab)
    except SiktError as exc:
        _fail(exc.message, exc.hint, code=EXIT_FOUND)
    for f in done.created:
        typer.echo(f"Skapade {(katalog / f).as_posix()}")
    for f in done.skipped:
        typer.echo(f"Fanns redan, lämnades orörd: {(katalog / f).as_posix()}")
    typer.echo(f"Klart. Kontrollera arkivet: sikt validera --rot {katalog.as_posix()}")


def main() -> None:
    app()
