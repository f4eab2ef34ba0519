"""`sikt uppdrag` and `sikt uppdrag visa`: who is to do what, and one uppdrag's history."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sikt_cli.cli.common import RotOption, group, parse_date_option
from sikt_cli.cli.i18n import SwedishCommand
from sikt_cli.cli.output import (
    cell,
    console,
    print_error,
    print_wrapped,
    write_stdout,
    write_stdout_bytes,
)
from sikt_cli.errors import UsageError
from sikt_cli.safe_text import safe_line

if TYPE_CHECKING:
    from sikt_cli.render.action_item_formats import TableRow
    from sikt_cli.services.uppdrag import Listing

app = group(
    invoke_without_command=True,
)


class ListFormat(enum.StrEnum):
    tabell = "tabell"
    json = "json"
    csv = "csv"
    md = "md"
    ics = "ics"
    ics_todo = "ics-todo"


MinaOption = Annotated[bool, typer.Option("--mina", help="Bara dina uppdrag (se --jag).")]
JagOption = Annotated[
    str | None,
    typer.Option(
        "--jag",
        metavar="ID",
        help="Ditt medlems-id. Annars SIKT_JAG eller git config user.email matchad mot 'epost'.",
    ),
]
MedlemOption = Annotated[
    str | None, typer.Option("--medlem", metavar="ID", help="Uppdrag som rör en medlem.")
]
KommunOption = Annotated[
    str | None, typer.Option("--kommun", metavar="NAMN", help="Uppdrag som rör en kommun.")
]
AllaOption = Annotated[bool, typer.Option("--alla", help="Även avslutade uppdrag.")]
ForsenadeOption = Annotated[
    bool, typer.Option("--forsenade", help="Bara försenade (per idag eller --per).")
]
PerOption = Annotated[
    str | None, typer.Option("--per", metavar="DATUM", help="Räkna försening per detta datum.")
]
TABLE_LIMIT = 50  # rows: a screenful or two; rich lays out ~1 ms per row (30,000 took 40 s)
AntalOption = Annotated[
    int,
    typer.Option(
        "--antal",
        metavar="N",
        help=f"Visa högst N rader i tabellen (standard {TABLE_LIMIT}; 0 = alla). "
        "json, csv, md och ics ger alltid alla.",
    ),
]
FormatOption = Annotated[
    ListFormat, typer.Option("--format", "-f", help="tabell, json, csv, md, ics eller ics-todo.")
]


@app.callback()
def uppdrag(
    ctx: typer.Context,
    mina: MinaOption = False,
    jag: JagOption = None,
    medlem: MedlemOption = None,
    kommun: KommunOption = None,
    alla: AllaOption = False,
    forsenade: ForsenadeOption = False,
    per: PerOption = None,
    format: FormatOption = ListFormat.tabell,
    antal: AntalOption = TABLE_LIMIT,
    rot: RotOption = None,
) -> None:
    """Visa nätverkets uppdrag: vem som ska göra vad, och till när.

    Utan flaggor: alla öppna uppdrag i nätverket, sorterade på sista datum. Tabellen
    visar de första 50 (--antal); sammanfattningen räknar alla.

    [bold]Exempel:[/bold] sikt uppdrag --mina --jag hannes-berggren ·
    sikt uppdrag --alla --format json
    """
    if ctx.invoked_subcommand:
        ctx.obj = rot
        return
    from sikt_cli.archive.layout import find_root
    from sikt_cli.render.action_item_formats import FORMATS
    from sikt_cli.services.uppdrag import Query, list_items

    if antal < 0:
        raise UsageError(
            f"--antal måste vara 0 eller mer, inte {antal}.",
            f"Skriv t.ex. --antal {TABLE_LIMIT}, eller --antal 0 för alla.",
        )
    root = find_root(explicit=rot)
    query = Query(
        mina=mina,
        jag=jag,
        medlem=medlem,
        kommun=kommun,
        alla=alla,
        forsenade=forsenade,
        per=parse_date_option(per, "--per") if per else None,
    )
    listing = list_items(root, query)
    if listing.archive_errors:
        print_error(
            f"Arkivet har {listing.archive_errors} fel som kan påverka listan.",
            "Kör 'sikt validera' för detaljer.",
        )
    if format is ListFormat.tabell:
        _print_table(listing, antal)
        return
    out = FORMATS[format.value](listing.items, listing.roster, listing.today)
    if isinstance(out, bytes):  # csv and ics end lines in CRLF; a csv cell may hold a newline
        write_stdout_bytes(out, block=format is ListFormat.csv)
    else:
        write_stdout(out, form="json" if format is ListFormat.json else "text")


def _print_table(listing: Listing, limit: int) -> None:
    """The first `limit` rows (0: all), then how many were left out and how to see them,
    then the summary of every uppdrag listed."""
    from rich.table import Table

    from sikt_cli.render.action_item_formats import TABLE_COLUMNS, summary, table_rows

    out = console()
    if not listing.items:
        out.print("Inga uppdrag att visa.")
        return
    shown = listing.items[:limit] if limit else listing.items
    rows = table_rows(shown, listing.roster, listing.today)
    if out.width < TABLE_WIDTH:
        _print_blocks(out, rows)
    else:
        table = Table(show_lines=False, header_style="bold")
        for col in TABLE_COLUMNS:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(cell(c) for c in row.cells), style=row.style)
        out.print(table)
    if len(shown) < len(listing.items):
        out.print(
            f"Visar {len(shown)} av {len(listing.items)} uppdrag (de med närmast sista datum). "
            "Visa alla med --antal 0, eller skriv dem till en fil med --format csv."
        )
    out.print(summary(listing.items, listing.today))


TABLE_WIDTH = 100  # narrower than this, six columns break every word: one block per uppdrag


def _print_blocks(out: Any, rows: list[TableRow]) -> None:
    """One uppdrag per block, for a narrow terminal: ID and who, then what, then when and
    where; the text wraps between words, indented under the ID."""
    from rich.text import Text

    for row in rows:
        ident, who, what, due, age, where = row.cells
        out.print(Text(safe_line(f"{ident} · {who}"), style=f"bold {row.style}".strip()))
        print_wrapped(out, Text(safe_line(what), style=row.style), 2, first=2)
        when = Text(safe_line(f"Senast {due} · {age} · {where}"), style=row.style or "dim")
        print_wrapped(out, when, 2, first=2)
        out.print()


@app.command("visa", cls=SwedishCommand)
def visa(
    ctx: typer.Context,
    uppdrag_id: Annotated[
        str, typer.Argument(metavar="ID", help="Uppdragets ID, t.ex. 2020-06-05#3.")
    ],
    rot: RotOption = None,
) -> None:
    """Visa ett uppdrag med hela dess historik.

    [bold]Exempel:[/bold] sikt uppdrag visa 2020-06-05#3
    """
    from rich.text import Text

    from sikt_cli.archive.layout import find_root
    from sikt_cli.records.action_items import assignee_names
    from sikt_cli.services.uppdrag import find_item

    item, roster = find_item(find_root(explicit=rot or ctx.obj), uppdrag_id)
    today = dt.date.today()
    c = console()
    state = "öppet" if item.is_open else f"avslutat {item.closed_on}"
    if item.overdue(today):
        state += " (försenat)"
    given = f"{item.meeting}" + (
        f", ärende {item.section}. {item.section_title}" if item.section else ""
    )
    c.print(cell(f"Uppdrag {item.id}", "bold"))
    for label, value in (
        ("Vad", item.text),
        ("Vem", assignee_names(item, roster)),
        ("Senast", item.due.isoformat() if item.due else "–"),
        ("Status", state),
        ("Givet", given),
        ("Källa", f"{item.file}:{item.line}"),
    ):
        c.print(Text(f"{label + ':':<8}", "bold") + cell(value))
    c.print(Text("Historik:", "bold"))
    c.print(cell(f"  {item.meeting}  givet  {item.file}:{item.line}"))
    for f in item.follow_ups:
        mark = "avslutat" if f.done else "öppet  "
        c.print(cell(f"  {f.meeting}  {mark}  {f.file}:{f.line}  {f.comment}"))
