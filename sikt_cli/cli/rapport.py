"""`sikt rapport narvaro|mal|uppdrag|ar`: reports for the network and its principal."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sikt_cli.cli.common import (
    ArOption,
    FranOption,
    JaOption,
    RotOption,
    SkickaOption,
    TillOption,
    deliver,
    group,
    period_options,
)
from sikt_cli.cli.i18n import SwedishCommand
from sikt_cli.cli.output import cell, console, echo, write_stdout, write_stdout_bytes
from sikt_cli.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sikt_cli.records.reports.facts import Facts, LeftOut
    from sikt_cli.records.reports.period import Period
    from sikt_cli.render.charts import Chart
    from sikt_cli.services.reports import PeriodChoice

app = group(
    no_args_is_help=True,
    help="Rapporter om närvaro, mål och uppdrag, och årets verksamhetsberättelse.",
)


class ListFormat(enum.StrEnum):
    tabell = "tabell"
    json = "json"
    csv = "csv"


class DocFormat(enum.StrEnum):
    docx = "docx"
    pdf = "pdf"
    html = "html"
    md = "md"
    json = "json"


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="tabell, json eller csv.")]
DiagramOption = Annotated[
    Path | None,
    typer.Option(
        "--diagram",
        metavar="FIL",
        help="Skriv diagrammet till en ny fil: .svg eller .png.",
    ),
]


def _choice(ar: str | None, fran: str | None, till: str | None) -> PeriodChoice:
    from sikt_cli.services.reports import PeriodChoice

    year, since, until = period_options(ar, fran, till)
    return PeriodChoice(year=year, since=since, until=until)


def _left_out(facts: Facts, p: Period) -> list[dict[str, Any]]:
    """The period's protokoll left out: named on stderr, and returned as their JSON."""
    from sikt_cli.render.report_formats import left_out_json
    from sikt_cli.services.reports import left_out_in

    left = left_out_in(facts, p)
    _notice(left)
    return left_out_json(left)


def _notice(left: Sequence[LeftOut]) -> None:
    """The protokoll left out, on stderr: the numbers are right for the rest."""
    if left:
        names = "; ".join(f"{x.file} ({x.errors} fel, första: {x.first})" for x in left)
        err = console(stderr=True, soft_wrap=True)
        err.print(cell(f"Obs: {len(left)} protokoll har fel och räknas inte med: {names}"))
        err.print(cell("Rätta felen (sikt validera) så kommer de med i rapporten."))


def _table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    from rich.table import Table

    out = Table(title=cell(title), header_style="bold", title_justify="left")
    for h in headers:
        out.add_column(h, overflow="fold", no_wrap=h not in ("Namn", "Uppdrag"))
    for row in rows:
        out.add_row(*(cell(c) for c in row))
    console().print(out)


def _emit(
    form: ListFormat, data: dict[str, Any], tables: list[tuple[str, Any]], left: list[Any]
) -> None:
    """The report as JSON, CSV (its first table) or tables in the terminal."""
    if form is ListFormat.json:
        write_stdout(
            json.dumps({**data, "left_out": left}, ensure_ascii=False, indent=2) + "\n", form="json"
        )
        return
    if form is ListFormat.csv:
        from sikt_cli.render.csv_writer import write_csv

        headers, rows = tables[0][1]
        write_stdout_bytes(write_csv(headers, rows), block=True)
        return
    for title, (headers, rows) in tables:
        _table(title, headers, rows)


def _diagram(path: Path | None, chart: Chart) -> None:
    if path is None:
        return
    from sikt_cli.files import create, create_bytes, make_folder

    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise UsageError(
            f"--diagram {path}: filen ska sluta på .svg eller .png.", "Till exempel närvaro.svg."
        )
    make_folder(path.parent)
    if suffix == ".svg":
        create(path, chart.svg)
    else:
        create_bytes(path, chart.png)
    echo(f"Skrev diagram: {path}")


@app.command("narvaro", cls=SwedishCommand)
def narvaro(
    ar: ArOption = None,
    fran: FranOption = None,
    till: TillOption = None,
    per_medlem: Annotated[
        bool, typer.Option("--per-medlem", help="Visa varje medlem i stället för kommunerna.")
    ] = False,
    format: FormatOption = ListFormat.tabell,
    diagram: DiagramOption = None,
    rot: RotOption = None,
) -> None:
    """Närvaro per kommun och möte, och summan för perioden.

    Varje kommun är närvarande (N), frånvarande med anmälan (F) eller ej redovisad (–)
    vid varje möte. Utan --ar, --fran och --till gäller rapporten alla hållna möten.

    [bold]Exempel:[/bold] sikt rapport narvaro --ar 2020 · sikt rapport narvaro --per-medlem ·
    sikt rapport narvaro --ar 2020 --diagram narvaro.svg
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.render import report_formats as rf
    from sikt_cli.render.report_charts import attendance_chart
    from sikt_cli.services.reports import attendance_report

    a, facts = attendance_report(find_root(explicit=rot), _choice(ar, fran, till))
    per_meeting = len(a.meetings) <= 12
    table = rf.attendance_table(a, members=per_medlem, per_meeting=per_meeting)
    n = len(a.meetings)
    title = f"Närvaro {a.period.label} ({n} {'möte' if n == 1 else 'möten'})"
    left = _left_out(facts, a.period)
    _emit(format, rf.attendance_json(a), [(title, table)], left)
    if format is ListFormat.tabell and per_meeting:
        echo("N närvarande, F frånvarande med anmälan, – ej redovisad.")
    elif format is ListFormat.tabell:
        echo("Fler än 12 möten: bara summorna visas. Använd --diagram eller --format json.")
    _diagram(diagram, attendance_chart(a))


@app.command("mal", cls=SwedishCommand)
def mal(
    ar: ArOption = None,
    fran: FranOption = None,
    till: TillOption = None,
    format: FormatOption = ListFormat.tabell,
    diagram: DiagramOption = None,
    rot: RotOption = None,
) -> None:
    """Arbetet per mål och delmål: ärenden, beslut och uppdrag.

    Ärenden, beslut och uppdrag kopplade till varje mål, per år. Ett delmål utan ärenden
    i perioden nämns: "mal-2.1: inget under 2020".

    [bold]Exempel:[/bold] sikt rapport mal --ar 2020 · sikt rapport mal --format json
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.render import report_formats as rf
    from sikt_cli.render.report_charts import goals_chart
    from sikt_cli.services.reports import goals_report

    g, facts = goals_report(find_root(explicit=rot), _choice(ar, fran, till))
    left = _left_out(facts, g.period)
    _emit(format, rf.goals_json(g), [(f"Mål {g.period.label}", rf.goal_table(g))], left)
    if format is ListFormat.tabell:
        for line in rf.goal_lines(g):
            echo(line)
    _diagram(diagram, goals_chart(g))


@app.command("uppdrag", cls=SwedishCommand)
def uppdrag(
    ar: ArOption = None,
    fran: FranOption = None,
    till: TillOption = None,
    format: FormatOption = ListFormat.tabell,
    diagram: DiagramOption = None,
    rot: RotOption = None,
) -> None:
    """Uppdrag givna i perioden: avslutade, öppna och försenade.

    Per år och per kommun, med mediantiden till avslutat. Läget gäller periodens slut
    (eller i dag).

    [bold]Exempel:[/bold] sikt rapport uppdrag --ar 2020 · sikt rapport uppdrag --format csv
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.render import report_formats as rf
    from sikt_cli.render.report_charts import actions_chart
    from sikt_cli.services.reports import uppdrag_report

    r, facts = uppdrag_report(find_root(explicit=rot), _choice(ar, fran, till))
    left = _left_out(facts, r.period)
    tables = [
        (f"Uppdrag {r.period.label} per år (läget {r.as_of})", rf.tally_table(r.per_year, "År")),
        ("Per kommun", rf.tally_table(r.per_municipality, "Kommun")),
    ]
    _emit(format, rf.actions_json(r), tables, left)
    if format is ListFormat.tabell:
        echo(f"{r.total.given} uppdrag givna. {rf.median_text(r)}")
    _diagram(diagram, actions_chart(r))


@app.command("ar", cls=SwedishCommand)
def ar(
    year: Annotated[str, typer.Argument(metavar="ÅR", help="Kalenderåret, t.ex. 2020.")],
    format: Annotated[
        DocFormat | None,
        typer.Option(
            "--format", "-f", help="docx, pdf, html, md eller json (standard: md, docx med --mejl)."
        ),
    ] = None,
    ut: Annotated[
        Path | None,
        typer.Option(
            "--ut",
            metavar="SÖKVÄG",
            help="Skriv till en ny fil (eller en katalog); med --mejl ett utkast (.eml).",
        ),
    ] = None,
    mejl: Annotated[
        bool, typer.Option("--mejl", help="Gör berättelsen till e-post till rapport_till.")
    ] = False,
    skicka: SkickaOption = False,
    ja: JaOption = False,
    rot: RotOption = None,
) -> None:
    """Verksamhetsberättelsen för ett kalenderår, med tre diagram.

    Nätverket och huvudmannen, hållna möten, närvaro per kommun, arbetet per mål med
    besluten, uppdragen, medlemmarna och nästa års planerade möten.

    docx och pdf skrivs till en fil (--ut); html, md och json utan --ut till skärmen.
    Med --mejl blir berättelsen ett meddelande till natverk.rapport_till med dokumentet
    bifogat.

    [bold]Exempel:[/bold] sikt rapport ar 2020 --format docx --ut berattelse.docx ·
    sikt rapport ar 2020 --mejl --ut berattelse.eml
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.records.reports.period import parse_year

    number = parse_year(year, "ÅR")
    root = find_root(explicit=rot)
    form = (format or (DocFormat.docx if mejl else DocFormat.md)).value
    if mejl:
        _mail(root, number, form, ut=ut, skicka=skicka, ja=ja)
        return
    if skicka:
        raise UsageError("--skicka kräver --mejl.", "Lägg till --mejl.")
    _write_document(root, number, form, ut)


def _mail(root: Path, year: int, form: str, *, ut: Path | None, skicka: bool, ja: bool) -> None:
    from sikt_cli.services.annual_report import annual_mail

    report, mail = annual_mail(root, year, form)
    _warn_left_out_of(report)
    deliver(mail, ut=ut, skicka=skicka, ja=ja, default_name=f"verksamhetsberattelse-{year}.eml")


def _warn_left_out_of(report: Any) -> None:
    _notice(report.left_out)


def _write_document(root: Path, year: int, form: str, ut: Path | None) -> None:
    from sikt_cli.files import create_bytes, make_folder, target_file
    from sikt_cli.services.annual_report import annual_file, file_name

    if ut is None and form in ("docx", "pdf"):
        raise UsageError(
            f"--format {form} skrivs till en fil.",
            f"Lägg till --ut, t.ex. --ut {file_name(year, form)}.",
        )
    report, data = annual_file(root, year, form)
    _warn_left_out_of(report)
    if ut is None:
        write_stdout(data.decode("utf-8"), form="json" if form == "json" else "text")
        return
    path = target_file(ut, file_name(year, form))
    make_folder(path.parent)
    create_bytes(path, data)
    echo(f"Skrev {path}")
