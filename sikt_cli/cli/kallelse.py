"""`sikt kallelse` and `sikt mallar`: the chair's notice, and the templates in effect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sikt_cli.cli.common import JaOption, RotOption, SkickaOption, deliver, print_undo
from sikt_cli.cli.output import cell, console, echo, markdown


def kallelse(
    datum: Annotated[
        str | None,
        typer.Argument(
            metavar="DATUM", help="Mötets datum. Standard: nästa 'kommande', annars idag."
        ),
    ] = None,
    ut: Annotated[
        Path | None,
        typer.Option(
            "--ut",
            metavar="SÖKVÄG",
            help="Skriv kallelsen som utkast (.eml) och kalenderinbjudan (.ics) hit: en "
            "katalog, eller ett filnamn som slutar på .eml.",
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
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.notice import kallelse as build

    root = find_root(explicit=rot)
    k = build(root, parse_day(datum) if datum else None, sending=ut is not None or skicka, ut=ut)
    out = console()
    if k.created:
        out.print(f"Skapade planerat protokoll: {k.created.relative_to(root).as_posix()}")
    created = [p for p in (k.created, k.invitation, k.draft) if p is not None]
    if k.mail is None:
        print_undo(created, root)  # beside the line that says it was created
        out.print(markdown(k.notice.markdown))
        return
    if k.invitation is not None and k.draft is not None:
        echo(f"Skrev kalenderinbjudan: {k.invitation} ({_version_text(k.notice.sequence)})")
    deliver(k.mail, ut=None, skicka=skicka, ja=ja, default_name="", written=k.draft)
    print_undo(created, root)


def _version_text(sequence: int) -> str:
    """The invitation's SEQUENCE as the chair reads it: a changed notice is a new version."""
    if sequence == 0:
        return "version 1 av inbjudan"
    return f"version {sequence + 1} av inbjudan: ersätter den förra i kalendern"


def mallar(rot: RotOption = None) -> None:
    """Lista mallarna som gäller och var de kommer ifrån.

    En fil i arkivets mallar/ ersätter standardmallen med samma namn.

    [bold]Exempel:[/bold] sikt mallar
    """
    from rich.table import Table

    from sikt_cli.archive.layout import find_root
    from sikt_cli.render.templates import in_effect

    root = find_root(explicit=rot)
    table = Table(header_style="bold")
    table.add_column("Mall")
    table.add_column("Källa")
    for t in in_effect(root):
        where = t.path.relative_to(root).as_posix() if t.path else "standard (i sikt)"
        table.add_row(cell(t.name), cell(where))
    console().print(table)
