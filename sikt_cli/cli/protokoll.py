"""`sikt protokoll ny|lista|visa|justera|mejl`: the secretary's side of the meeting cycle."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from sikt_cli.cli.common import (
    JaOption,
    RotOption,
    SkickaOption,
    UtOption,
    console,
    deliver,
    open_editor,
    print_outcome,
)
from sikt_cli.cli.i18n import SwedishCommand, SwedishGroup

app = typer.Typer(
    cls=SwedishGroup,
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Skapa, lista, visa och justera protokoll.\n\n[bold]Exempel:[/bold] sikt protokoll lista",
)

DatumArgument = Annotated[str, typer.Argument(metavar="DATUM", help="Mötets datum.")]


@app.command("ny", cls=SwedishCommand)
def ny(
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
    from sikt_cli.archive.layout import find_root
    from sikt_cli.archive.load import load_archive
    from sikt_cli.dates import parse_day
    from sikt_cli.records.meetings import next_meeting
    from sikt_cli.services.cycle import start_draft

    root = find_root(explicit=rot)
    day = parse_day(datum) if datum else next_meeting(load_archive(root), dt.date.today())
    outcome = start_draft(root, day, sekreterare)
    label = "Skapade utkast" if outcome.action == "skapad" else "Gjorde om till utkast"
    print_outcome(outcome.path, root, label)
    typer.echo("Kör 'sikt validera' för att se vad som återstår att fylla i.")
    if redigera:
        open_editor(outcome.path)


@app.command("lista", cls=SwedishCommand)
def lista(rot: RotOption = None) -> None:
    """Lista alla protokoll: datum, status, närvaro, beslut och uppdrag.

    [bold]Exempel:[/bold] sikt protokoll lista
    """
    from rich.table import Table

    from sikt_cli.archive.layout import find_root
    from sikt_cli.services.minutes_view import overview

    rows = overview(find_root(explicit=rot))
    table = Table(header_style="bold")
    for col in ("Datum", "Status", "Närvarande", "Beslut", "Uppdrag givna", "varav öppna"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.datum,
            r.status or "?",
            str(r.present),
            str(r.decisions),
            str(r.given),
            str(r.still_open),
        )
    out = console()
    out.print(table)
    out.print(f"{len(rows)} protokoll.")


@app.command("visa", cls=SwedishCommand)
def visa(datum: DatumArgument, rot: RotOption = None) -> None:
    """Visa ett protokoll i terminalen.

    [bold]Exempel:[/bold] sikt protokoll visa 2020-06-05
    """
    from rich.markdown import Markdown

    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.minutes_view import show

    shown = show(find_root(explicit=rot), parse_day(datum))
    out = console()
    if shown.frontmatter:
        from rich.syntax import Syntax

        out.print(Syntax(shown.frontmatter, "yaml", theme="ansi_light", word_wrap=True))
    out.print(Markdown(shown.body))


@app.command("justera", cls=SwedishCommand)
def justera(
    datum: DatumArgument,
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
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.cycle import approve

    root = find_root(explicit=rot)
    outcome = approve(root, parse_day(datum), justerare or [], dt.date.today())
    print_outcome(outcome.path, root, "Justerat och låst")


def ratta(
    datum: DatumArgument,
    skal: Annotated[
        str, typer.Option("--skal", metavar="TEXT", help="Varför protokollet rättas.")
    ] = "",
    av: Annotated[
        str | None,
        typer.Option(
            "--av", metavar="ID", help="Ditt medlems-id (annars SIKT_JAG eller git user.email)."
        ),
    ] = None,
    rot: RotOption = None,
) -> None:
    """Rätta ett justerat protokoll: skriv in de ändrade raderna som en rättelse.

    Ändra först raderna som är fel direkt i filen. Kommandot jämför filen med den som är
    incheckad i git och skriver in rättelsen (datum, vem, varför och raderna) under
    'rattelser'. Låset i CI godtar då precis den ändringen, och inget annat.

    [bold]Exempel:[/bold] sikt protokoll rätta 2020-06-05 --skal "Felstavat namn"
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.correction import correct

    root = find_root(explicit=rot)
    done = correct(root, parse_day(datum), skal=skal, av=av, today=dt.date.today())
    rows = ", ".join(str(n) for n in done.lines)
    print_outcome(done.path, root, f"Rättelsen (rad {rows}) är inskriven i")
    typer.echo("Checka in filen; CI godtar precis den rättelsen.")


app.command("rätta", cls=SwedishCommand)(ratta)
app.command("ratta", cls=SwedishCommand, hidden=True)(ratta)  # for keyboards without å, ä, ö


@app.command("mejl", cls=SwedishCommand)
def mejl(
    datum: DatumArgument,
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
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.minutes_mail import minutes_mail

    mail, name = minutes_mail(find_root(explicit=rot), parse_day(datum), utkast=utkast)
    deliver(mail, ut=ut, skicka=skicka, ja=ja, default_name=name)
