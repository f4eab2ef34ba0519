"""`sikt init`: a new network archive that validates clean at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sikt_cli.cli.common import print_undo
from sikt_cli.cli.output import echo
from sikt_cli.errors import UsageError


def init(
    namn: Annotated[str, typer.Option("--namn", metavar="NAMN", help="Nätverkets namn.")],
    katalog: Annotated[
        Path,
        typer.Argument(
            metavar="KATALOG",
            help="Ny katalog för arkivet. Standard: den aktuella katalogen.",
            show_default=False,
        ),
    ] = Path(),
    gitlab: Annotated[
        bool, typer.Option("--gitlab", help="GitLab CI i stället för GitHub/Forgejo Actions.")
    ] = False,
    webb: Annotated[
        bool,
        typer.Option(
            "--webb",
            help="Även ett flöde som bygger och publicerar webbplatsen (GitHub/GitLab Pages).",
        ),
    ] = False,
    installera: Annotated[
        str | None,
        typer.Option(
            "--installera",
            metavar="KRAV",
            help=(
                "Hur README och CI installerar sikt: ett låst pip-krav, t.ex. "
                "'sikt-cli==0.2.0' eller 'sikt-cli @ git+https://…@COMMIT'. "
                "Standard: exakt den sikt som körs nu."
            ),
        ),
    ] = None,
) -> None:
    """Skapa ett nytt protokollarkiv för ett nätverk.

    Skapar medlemmar.yaml, mal.yaml, protokoll/, mallar/, README, CI-flöde och
    pre-commit-inställning. Skriver aldrig över en fil. README och CI installerar
    exakt den sikt som körs nu (eller --installera), låst till version eller commit.

    [bold]Exempel:[/bold] sikt init nytt --namn "Testnätverket" ·
    sikt init nytt --namn "Testnätverket" --webb
    """
    from sikt_cli.services.scaffold import init as scaffold

    if not namn:
        raise UsageError(
            "Ange nätverkets namn med --namn.", 'T.ex. sikt init nytt --namn "Testnätverket".'
        )
    existed = katalog.exists()
    done = scaffold(katalog, namn, install=installera, gitlab=gitlab, webb=webb)
    for f in done.created:
        echo(f"Skapade {(katalog / f).as_posix()}")
    for f in done.skipped:
        echo(f"Fanns redan, lämnades orörd: {(katalog / f).as_posix()}")
    echo(f"Arkivet installerar sikt med: python -m pip install '{done.install}'")
    echo(f"Klart. Kontrollera arkivet: sikt validera --rot {katalog.as_posix()}")
    if not existed:
        echo(f"Ångra: ta bort katalogen {katalog.as_posix()} (inget i den är incheckat).")
    else:
        print_undo([katalog / f for f in done.created])
