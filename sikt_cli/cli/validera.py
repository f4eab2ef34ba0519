"""`sikt validera`: check the archive and report every finding in the chosen format."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from sikt_cli.cli.common import RotOption, color_on_stdout


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


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
    from sikt_cli.archive.layout import find_root
    from sikt_cli.cli.reporters import REPORTERS
    from sikt_cli.services.validate import validate

    root = find_root(explicit=rot)
    if sys.stderr.isatty() and format is Format.text:
        from rich.console import Console

        with Console(stderr=True).status("Kontrollerar protokollen …"):
            result = validate(root, sokvagar, bas=bas)
    else:
        result = validate(root, sokvagar, bas=bas)
    sys.stdout.write(REPORTERS[format.value](result, color=color_on_stdout()))
    raise typer.Exit(result.exit_code(strict=strikt))
