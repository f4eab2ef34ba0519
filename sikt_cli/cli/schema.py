"""`sikt schema`: JSON Schemas for editors, printed or written to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sikt_cli.cli.common import print_undo
from sikt_cli.cli.output import echo, write_stdout


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
    if ut is None:
        from sikt_cli.render.json_schemas import schemas
        from sikt_cli.safe_text import json_text

        write_stdout(json_text(schemas()) + "\n", form="json")
        return
    from sikt_cli.services.schemas import write_schemas

    written = write_schemas(ut)
    for path in written:
        echo(f"Skrev {path}")
    print_undo(written)
