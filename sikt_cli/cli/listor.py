"""`sikt medlemmar` and `sikt moten`: the lists the secretary sends to the principal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sikt_cli.cli.common import JaOption, RotOption, SkickaOption, UtOption, deliver
from sikt_cli.cli.output import cell, console
from sikt_cli.errors import UsageError


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
    _show("member_list", rot, mejl=mejl, ut=ut, skicka=skicka, ja=ja, name="medlemmar.eml")


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
    _show("meeting_list", rot, mejl=mejl, ut=ut, skicka=skicka, ja=ja, name="moten.eml")


def _show(
    which: str, rot: Path | None, *, mejl: bool, ut: Path | None, skicka: bool, ja: bool, name: str
) -> None:
    """The list as a table, or (with --mejl) as a mail to rapport_till."""
    from sikt_cli.archive.layout import find_root
    from sikt_cli.services.lists import list_mail, table

    root = find_root(explicit=rot)
    if mejl:
        deliver(list_mail(root, which), ut=ut, skicka=skicka, ja=ja, default_name=name)
        return
    if ut is not None or skicka:
        raise UsageError("--ut och --skicka kräver --mejl.", "Lägg till --mejl.")
    from rich.table import Table

    shown = table(root, which)
    # cells, not str: names from medlemmar.yaml are shown as written (escaped), never as markup
    out = Table(title=cell(shown.title), header_style="bold")
    for h in shown.headers:
        out.add_column(h)
    for row in shown.rows:
        out.add_row(*(cell(c) for c in row))
    console().print(out)
