"""`sikt sok FRÅGA`: full-text search over the whole archive."""

from __future__ import annotations

import enum
import sys
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sikt_cli.cli.common import ArOption, RotOption, period_options
from sikt_cli.cli.i18n import SwedishCommand
from sikt_cli.cli.output import color_on_stdout, console, write_stdout, write_stdout_bytes

if TYPE_CHECKING:
    from sikt_cli.records.search_query import SearchResult


class SearchCommand(SwedishCommand):
    """Everything that is not one of the command's own options is part of the question.

    Click would read `-Mediapoolen` as a cluster of short options (`-M -e …`, and `-f`
    would take the rest as the format), so the question's `-ord` never reach it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        takes_value: set[str] = set()
        flags: set[str] = set()
        for param in self.get_params(ctx):
            if param.param_type_name == "option":
                names = [*param.opts, *param.secondary_opts]
                (flags if getattr(param, "is_flag", False) else takes_value).update(names)
        options: list[str] = []
        question: list[str] = []
        rest = iter(args)
        for arg in rest:
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if arg == "--":
                question.extend(rest)
            elif name in flags:
                options.append(arg)
            elif name in takes_value:
                options.append(arg)
                if "=" not in arg:
                    value = next(rest, None)
                    if value is None:
                        ctx.fail(f"Flaggan {arg} behöver ett värde.")
                    options.append(str(value))
            else:
                question.append(arg)
        return super().parse_args(ctx, [*options, "--", *question])


class SearchFormat(enum.StrEnum):
    tabell = "tabell"
    json = "json"
    csv = "csv"
    md = "md"


class Kind(enum.StrEnum):
    beslut = "beslut"
    uppdrag = "uppdrag"
    text = "text"


def sok(
    fraga: Annotated[
        list[str],
        typer.Argument(metavar="FRÅGA", help='Ord, "fraser" och -ord som inte får finnas.'),
    ],
    ar: ArOption = None,
    mal: Annotated[
        str | None,
        typer.Option(
            "--mal", metavar="ID", help="Bara ärenden kopplade till målet eller dess delmål."
        ),
    ] = None,
    typ: Annotated[
        Kind | None, typer.Option("--typ", help="Bara beslut, uppdrag eller text (ärendenas text).")
    ] = None,
    antal: Annotated[int, typer.Option("--antal", metavar="N", help="Visa högst N träffar.")] = 20,
    format: Annotated[
        SearchFormat, typer.Option("--format", "-f", help="tabell, json, csv eller md.")
    ] = SearchFormat.tabell,
    rot: RotOption = None,
) -> None:
    """Sök i hela arkivet: protokollens text, rubriker, beslut, uppdrag, medlemmar och mål.

    Alla böjningsformer hittas (avtal, avtalet, avtalen); å, ä och ö räknas som egna
    bokstäver. Bäst träff först: rubriker och beslut väger tyngre än löptext.

    [bold]Exempel:[/bold] sikt sok avtalet · sikt sok "Office365 och Teams" ·
    sikt sok Teams -temadag --ar 2020 · sikt sok avtal --typ beslut --format json
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.records.search_query import from_arguments
    from sikt_cli.render.search_formats import FORMATS
    from sikt_cli.services.sok import SearchQuery, search

    year = period_options(ar)[0] if ar is not None else None
    query = SearchQuery(
        from_arguments(fraga), year=year, goal=mal, kind=typ.value if typ else None, limit=antal
    )
    with _Progress() as progress:
        result = search(find_root(explicit=rot), query, progress=progress)
    if format is SearchFormat.tabell:
        _print_table(result)
        return
    out = FORMATS[format.value](result)
    if isinstance(out, bytes):  # csv: UTF-8 with BOM, `;`, CRLF (render/csv_writer.py)
        write_stdout_bytes(out, block=True)
        return
    write_stdout(out, form="json" if format.value == "json" else "text")


class _Progress:
    """A progress bar on stderr, shown only once indexing has taken more than a second."""

    DELAY = 1.0

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < self.DELAY or not sys.stderr.isatty():
                return
            from rich.progress import Progress

            self.bar = Progress(console=console(stderr=True), transient=True)
            self.task = self.bar.add_task("Bygger sökindex", total=total)
            self.bar.start()
        self.bar.update(self.task, completed=done, total=total)


def _print_table(result: SearchResult) -> None:
    from rich.table import Table
    from rich.text import Text

    from sikt_cli.render.search_formats import segments, where

    out = console()
    if not result.hits:
        out.print(Text(f"Inga träffar för {result.query}."))
        return
    table = Table(header_style="bold", show_lines=True)
    for col in ("#", "Träff", "Utdrag", "Källa"):
        table.add_column(col, overflow="fold")
    mark = "bold yellow" if color_on_stdout() else "bold"
    for n, hit in enumerate(result.hits, 1):
        place = where(hit)
        title = Text.assemble((hit.title, "bold"), "\n" + place if place else "")
        snippet = Text()
        for text, matched in segments(hit.snippet):
            snippet.append(text, mark if matched else "")
        table.add_row(str(n), title, snippet, Text(f"{hit.file}:{hit.line}"))
    out.print(table)
    shown, total = len(result.hits), result.total
    if shown < total:
        out.print(f"Visar {shown} av {total} träffar. Visa fler med --antal {total}.")
    else:
        out.print(f"{total} träff." if total == 1 else f"{total} träffar.")
