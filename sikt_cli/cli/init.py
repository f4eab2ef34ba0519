"""`sikt init`: a new network archive that validates clean at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sikt_cli.errors import UsageError


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
    from sikt_cli.services.scaffold import init as scaffold

    if not namn:
        raise UsageError(
            "Ange nätverkets namn med --namn.", 'T.ex. sikt init nytt --namn "Testnätverket".'
        )
    done = scaffold(katalog, namn, install=installera, gitlab=gitlab)
    for f in done.created:
        typer.echo(f"Skapade {(katalog / f).as_posix()}")
    for f in done.skipped:
        typer.echo(f"Fanns redan, lämnades orörd: {(katalog / f).as_posix()}")
    typer.echo(f"Klart. Kontrollera arkivet: sikt validera --rot {katalog.as_posix()}")
