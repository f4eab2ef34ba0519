"""`sikt importera`: old minutes from Word or Markdown into draft protokoll."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sikt_cli.cli.common import RotOption, parse_date_option, print_undo
from sikt_cli.cli.output import console, write_stdout

if TYPE_CHECKING:
    from sikt_cli.services.importera import ImportRun


class Format(enum.StrEnum):
    text = "text"
    json = "json"


_CATEGORIES = (
    ("attendance", "Närvaro"),
    ("items", "Ärenden"),
    ("decisions", "Beslut"),
    ("uppdrag", "Uppdrag"),
)


def importera(
    kallor: Annotated[
        list[Path],
        typer.Argument(
            metavar="KÄLLA",
            show_default=False,
            help="Filer att importera (.docx, .md, .txt), eller en katalog med sådana.",
        ),
    ],
    datum: Annotated[
        str | None,
        typer.Option("--datum", metavar="ÅÅÅÅ-MM-DD", help="Mötets datum när källan saknar det."),
    ] = None,
    torrkorning: Annotated[
        bool, typer.Option("--torrkorning", help="Visa vad som skulle skrivas; skriv inget.")
    ] = False,
    nya_medlemmar: Annotated[
        bool,
        typer.Option(
            "--nya-medlemmar",
            help="Lägg till okända personer i närvarolistan som föreslagna medlemmar "
            "i medlemmar.yaml.",
        ),
    ] = False,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Utdataformat: text eller json.")
    ] = Format.text,
    rot: RotOption = None,
) -> None:
    """Importera gamla protokoll från Word (.docx), Markdown eller text.

    Varje källa blir protokoll/ÅÅÅÅ-MM-DD.md med status utkast; befintliga filer skrivs
    aldrig över. Det sikt är osäker på märks med FYLL I eller en kommentar '# importerat: …'
    som sikt validera visar. Se docs/import.md för vad som känns igen.

    [bold]Exempel:[/bold] sikt importera gamla/protokoll-2020-06.docx --datum 2020-06-05 ·
    sikt importera gamla/ --torrkorning
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.services.importera import import_files

    root = find_root(explicit=rot)
    day = parse_date_option(datum, "--datum") if datum is not None else None

    def run_all(progress: Callable[[Path], None] | None = None) -> ImportRun:
        return import_files(
            root, kallor, datum=day, dry_run=torrkorning, new_members=nya_medlemmar,
            progress=progress,
        )  # fmt: skip

    run = _with_progress(run_all, kallor, show=format is Format.text)
    if format is Format.json:
        write_stdout(json.dumps(as_json(run), ensure_ascii=False, indent=2) + "\n", form="json")
    else:
        _show(run)
    raise typer.Exit(1 if run.failed else 0)


def _with_progress(
    run_all: Callable[[Callable[[Path], None] | None], ImportRun], kallor: list[Path], *, show: bool
) -> ImportRun:
    """A progress bar on stderr while a folder (or several files) is imported."""
    from sikt_cli.services.importera import source_files

    count = len(source_files(kallor))
    if count < 2 or not show or not sys.stderr.isatty():
        return run_all(None)
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("Importerar …", total=count)
        return run_all(lambda _path: bar.advance(task))


def as_json(run: ImportRun) -> dict[str, object]:
    return {
        "dry_run": run.dry_run,
        "files": [
            {
                "source": f.source,
                "target": f.target,
                "written": f.written,
                "error": f.error,
                "hint": f.hint or None,
                "counts": f.counts,
                "notes": f.notes,
                **({"text": f.text} if run.dry_run and f.text is not None else {}),
            }
            for f in run.files
        ],
        "new_members": [
            {"id": i, "namn": n, "kommun": k, "source": s} for i, n, k, s in run.proposed
        ],
        "members_changed": run.members_changed,
    }


def _show(run: ImportRun) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    if run.dry_run:
        for f in run.files:
            if f.text is not None:
                out.print(Text(f"--- {f.target} (skrivs inte: --torrkorning)", "bold"))
                sys.stdout.flush()
                write_stdout(f.text)  # escaped as a block: the lines stay lines
    table = Table(title=Text("Importerat (funna/osäkra/omappade)"), header_style="bold")
    for h in ("Källa", "Protokoll"):
        table.add_column(h, overflow="fold")
    for _, name in _CATEGORIES:
        table.add_column(name, no_wrap=True)
    for f in run.files:
        cells = [
            "/".join(str(f.counts[c][s]) for s in ("found", "unsure", "unmapped"))
            if f.counts
            else "–"
            for c, _ in _CATEGORIES
        ]
        where = f.target or "–"
        if f.error:
            where = "fel"
        elif not f.written and not run.dry_run:
            where = "–"
        table.add_row(Text(Path(f.source).name), Text(where), *cells)
    out.print(table)
    for f in run.files:
        for note in f.notes:
            out.print(Text(f"{Path(f.source).name}: {note}"), soft_wrap=True)
    for i, n, k, s in run.proposed:
        verb = "föreslås" if run.dry_run else "tillagd i medlemmar.yaml"
        out.print(Text(f"Ny medlem {verb}: {n}, {k} ({i}) från {s}"), soft_wrap=True)
    err = console(stderr=True)
    for f in run.failed:
        err.print(Text("Fel: ", "bold red") + Text(f"{f.source}: {f.error}"), soft_wrap=True)
        if f.hint:
            err.print(Text("tips: ", "cyan") + Text(f.hint), soft_wrap=True)
    written = sum(1 for f in run.files if f.written)
    if not run.dry_run:
        out.print(Text(f"{written} av {len(run.files)} filer importerade som utkast."))
        restore = "git restore medlemmar.yaml" if run.members_changed else ""
        targets = [Path(f.target) for f in run.files if f.written and f.target]
        print_undo(targets, changed=restore)
