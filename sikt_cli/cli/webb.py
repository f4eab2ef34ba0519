"""`sikt webb --ut MAPP`: the public web archive (services/webb.py does the work)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sikt_cli.cli.common import RotOption
from sikt_cli.cli.output import console, echo


def webb(
    ut: Annotated[
        Path,
        typer.Option("--ut", metavar="MAPP", help="Katalogen webbplatsen skrivs i (ny eller tom)."),
    ],
    utkast: Annotated[
        bool, typer.Option("--utkast", help="Ta med utkast och planerade möten (märkta UTKAST).")
    ] = False,
    med_epost: Annotated[
        bool, typer.Option("--med-epost", help="Visa medlemmarnas e-postadresser.")
    ] = False,
    url: Annotated[
        str,
        typer.Option(
            "--url",
            metavar="ADRESS",
            help="Webbplatsens publicerade adress, för sitemap.xml och nyhetsflödet.",
        ),
    ] = "",
    rot: RotOption = None,
) -> None:
    """Bygg en statisk, sökbar och tillgänglig webbplats av de justerade protokollen.

    Startsida, en sida per justerat protokoll (/protokoll/ÅÅÅÅ-MM-DD/), beslutsregister,
    uppdrag, mål, medlemmar (namn och kommun), tillgänglighetsredogörelse, sökning,
    sitemap.xml och nyhetsflöde (atom.xml). Utkast och planerade möten publiceras bara
    med --utkast; det som är märkt publiceras: nej utelämnas med sin notering. sikt
    vägrar bygga så länge ett personnummer står i arkivet (sikt protokoll maskera) och
    skriver aldrig över filer som inte är från en tidigare sikt webb. Se docs/webb.md.

    [bold]Exempel:[/bold] sikt webb --ut site/ · sikt webb --ut site/ --url
    https://natverket.github.io/protokoll/
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.services.webb import WebOptions, build_site

    root = find_root(explicit=rot)
    options = WebOptions(out=ut, drafts=utkast, with_email=med_epost, url=url)
    with _Bar() as bar:
        built = build_site(root, options, bar)
    for warning in built.warnings:
        echo(f"Varning: {warning}", err=True)
    echo(
        f"Byggde {built.pages} sidor ({built.protokoll} protokoll) i {ut.as_posix()}: "
        f"{built.written} filer skrivna, {built.removed} borttagna från förra bygget."
    )
    if not url:
        echo("sitemap.xml skrevs inte: ange webbplatsens adress med --url.", err=True)
    if not built.search:
        echo("Webbplatsen har ingen sökning.", err=True)


class _Bar:
    """A progress bar on stderr while pages are rendered and indexed (only on a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Bar:
        if sys.stderr.isatty():
            from rich.progress import Progress

            # no refresh thread: the protokoll pages are rendered in forked workers
            self.bar = Progress(console=console(stderr=True), transient=True, auto_refresh=False)
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            return
        if stage not in self.tasks:
            label = "Bygger sidor" if stage == "sidor" else "Bygger sökindex"
            self.tasks[stage] = self.bar.add_task(label, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total, refresh=True)
