"""`sikt beslut` and `sikt beslut visa`: the decision log, and one decision in context."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from sikt_cli.cli.common import ArOption, FranOption, RotOption, TillOption, group, period_options
from sikt_cli.cli.i18n import SwedishCommand
from sikt_cli.cli.output import console, print_error, write_stdout, write_stdout_bytes

if TYPE_CHECKING:
    from sikt_cli.services.beslut import DecisionView, Listing

app = group(
    invoke_without_command=True,
)


class ListFormat(enum.StrEnum):
    tabell = "tabell"
    json = "json"
    csv = "csv"
    md = "md"


MalOption = Annotated[
    str | None,
    typer.Option(
        "--mal", metavar="ID", help="Beslut i ärenden kopplade till målet eller dess delmål."
    ),
]
TextOption = Annotated[
    str | None,
    typer.Option(
        "--text",
        metavar="ORD",
        help="Beslut vars text eller rubrik har orden (alla böjningsformer).",
    ),
]
FormatOption = Annotated[
    ListFormat, typer.Option("--format", "-f", help="tabell, json, csv eller md.")
]


@app.callback()
def beslut(
    ctx: typer.Context,
    ar: ArOption = None,
    fran: FranOption = None,
    till: TillOption = None,
    mal: MalOption = None,
    text: TextOption = None,
    format: FormatOption = ListFormat.tabell,
    rot: RotOption = None,
) -> None:
    """Visa beslutsregistret: alla beslut i arkivet, nyast först.

    Varje beslut visas med datum, ärende, ärendets mål, texten och fil:rad. Ett beslut som
    ersatts av ett senare beslut (ersatter) eller har upphört (giltig_till) markeras.

    [bold]Exempel:[/bold] sikt beslut --ar 2020 · sikt beslut --mal mal-1 --format md ·
    sikt beslut visa 2020-06-05#b1
    """
    if ctx.invoked_subcommand:
        ctx.obj = rot
        return
    from sikt_cli.archive.layout import find_root
    from sikt_cli.records.decisions import DecisionFilter
    from sikt_cli.render.decision_formats import FORMATS
    from sikt_cli.services.beslut import list_decisions

    year, since, until = period_options(ar, fran, till)
    selection = DecisionFilter(
        year=year,
        since=since,
        until=until,
        goal=mal,
        text=text,
    )
    listing = list_decisions(find_root(explicit=rot), selection)
    if listing.archive_errors:
        print_error(
            f"Arkivet har {listing.archive_errors} fel som kan påverka registret.",
            "Kör 'sikt validera' för detaljer.",
        )
    if format is ListFormat.tabell:
        _print_table(listing)
        return
    out = FORMATS[format.value](listing.decisions, listing.today)
    if isinstance(out, bytes):  # csv: UTF-8 with BOM, `;`, CRLF (render/csv_writer.py)
        write_stdout_bytes(out, block=True)
        return
    write_stdout(out, form="json" if format.value == "json" else "text")


def _print_table(listing: Listing) -> None:
    from rich.table import Table
    from rich.text import Text

    from sikt_cli.render.decision_formats import TABLE_COLUMNS, rows

    out = console()
    if not listing.decisions:
        out.print("Inga beslut att visa.")
        return
    table = Table(header_style="bold")
    for col in TABLE_COLUMNS:
        table.add_column(col, overflow="fold", no_wrap=col in ("Id", "Datum"))
    for cells, style in rows(listing.decisions, listing.today):
        table.add_row(*(Text(c) for c in cells), style=style)
    out.print(table)
    n = len(listing.decisions)
    gone = sum(1 for d in listing.decisions if d.state(listing.today) != "gäller")
    out.print(f"{n} beslut" + (f", varav {gone} ersatta eller upphörda." if gone else "."))


@app.command("visa", cls=SwedishCommand)
def visa(
    ctx: typer.Context,
    beslut_id: Annotated[
        str, typer.Argument(metavar="ID", help="Beslutets id, t.ex. 2020-06-05#b1.")
    ],
    rot: RotOption = None,
) -> None:
    """Visa ett beslut med ärendets text och kedjan av beslut som ersätter varandra.

    [bold]Exempel:[/bold] sikt beslut visa 2020-06-05#b1
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.services.beslut import find_decision

    _print_view(find_decision(find_root(explicit=rot or ctx.obj), beslut_id))


def _print_view(view: DecisionView) -> None:
    from rich.text import Text

    d, today, c = view.decision, view.today, console()
    goals = ", ".join(f"{g} ({view.goals[g]})" if g in view.goals else g for g in d.goals)
    c.print(Text(f"Beslut {d.id}", "bold"))
    for label, value in (
        ("Beslut", d.text),
        ("Möte", f"{d.meeting}, ärende {d.item_nr}. {d.item_rubrik}"),
        ("Mål", goals or "–"),
        ("Status", d.state_text(today)),
        ("Ersätter", d.supersedes or "–"),
        ("Källa", f"{d.file}:{d.line}"),
    ):
        c.print(Text(f"{label + ':':<10}", "bold") + Text(value), soft_wrap=True)
    if len(view.chain) > 1:
        c.print(Text("Kedja:", "bold"))
        for x in view.chain:
            mark = "→ " if x.id == d.id else "  "
            line = f"{mark}{x.id}  {x.state_text(today)}  {x.file}:{x.line}  {x.text}"
            c.print(Text(line), soft_wrap=True)
    if view.item_lines:
        c.print(Text(f"Ärendets text ({d.file}:{view.item_lines[0][0]}):", "bold"))
        for n, line in view.item_lines:
            c.print(Text(f"{n:>5}  {line}"), soft_wrap=True)
