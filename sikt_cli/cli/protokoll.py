"""`sikt protokoll ny|lista|visa|justera|signera|mejl|pdf`: the secretary's side of the cycle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sikt_cli.cli.common import (
    JaOption,
    RotOption,
    SkickaOption,
    UtOption,
    deliver,
    group,
    open_editor,
    print_outcome,
    print_undo,
)
from sikt_cli.cli.i18n import SwedishCommand
from sikt_cli.cli.output import cell, console, echo, markdown, print_wrapped, yaml_listing

if TYPE_CHECKING:
    from sikt_cli.services.signing import Signed

app = group(
    no_args_is_help=True,
    help="Skapa, lista, visa och justera protokoll.\n\n[bold]Exempel:[/bold] sikt protokoll lista",
)

DatumArgument = Annotated[str, typer.Argument(metavar="DATUM", help="Mötets datum.")]

JagOption = Annotated[
    str | None,
    typer.Option(
        "--jag", metavar="ID", help="Ditt medlems-id (annars din nyckel, SIKT_JAG eller git)."
    ),
]


@app.command("ny", cls=SwedishCommand)
def ny(
    datum: Annotated[
        str | None,
        typer.Option(
            "--datum",
            metavar="DATUM",
            help="Mötets datum. Standard: nästa 'kommande', annars idag.",
        ),
    ] = None,
    sekreterare: Annotated[
        str | None, typer.Option("--sekreterare", metavar="ID", help="Sekreterarens id.")
    ] = None,
    redigera: Annotated[
        bool, typer.Option("--redigera", help="Öppna filen i $VISUAL/$EDITOR efteråt.")
    ] = False,
    rot: RotOption = None,
) -> None:
    """Skapa protokollet för ett möte (eller gör om det planerade till utkast).

    Fyller i frontmatter, stående dagordning, föregående mötes ej inplanerade punkter och
    ett avsnitt med alla öppna uppdrag att följa upp. En befintlig fil skrivs aldrig över.

    [bold]Exempel:[/bold] sikt protokoll ny --datum 2020-09-04 --sekreterare sara-von-seth
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.archive.load import load_archive
    from sikt_cli.dates import parse_day
    from sikt_cli.records.meetings import next_meeting
    from sikt_cli.services.cycle import start_draft

    root = find_root(explicit=rot)
    day = parse_day(datum) if datum else next_meeting(load_archive(root), dt.date.today())
    outcome = start_draft(root, day, sekreterare)
    label = "Skapade utkast" if outcome.action == "skapad" else "Gjorde om till utkast"
    print_outcome(outcome.path, root, label)
    if outcome.follow_ups:
        echo(
            f"{outcome.follow_ups} öppna uppdrag har en rad under 'Uppföljning av uppdrag': "
            "skriv vad som hänt i stället för 'FYLL I: vad hände?'. Vad de gäller: sikt uppdrag"
        )
    echo("Kör 'sikt validera' för att se vad som återstår att fylla i.")
    if outcome.action == "skapad":
        print_undo([outcome.path], root)
    else:
        print_undo([], changed=_restore_hint(root, outcome.path))
    if redigera:
        open_editor(outcome.path)


def _restore_hint(root: Path, path: Path) -> str:
    """How to undo an edit: git restore when git holds the file, else what changed."""
    from sikt_cli import git
    from sikt_cli.errors import SiktError

    rel = path.relative_to(root).as_posix()
    try:
        git.run(root, "ls-files", "--error-unmatch", "--", rel, timeout=10)
    except SiktError:
        return f"ta bort {rel} och kör 'sikt kallelse {path.stem}' igen (filen är inte incheckad)"
    return f"git restore {rel}"


@app.command("lista", cls=SwedishCommand)
def lista(rot: RotOption = None) -> None:
    """Lista alla protokoll: datum, status, närvaro, beslut och uppdrag.

    [bold]Exempel:[/bold] sikt protokoll lista
    """
    from rich.table import Table

    from sikt_cli.archive.layout import find_root
    from sikt_cli.services.minutes_view import overview

    rows = overview(find_root(explicit=rot))
    table = Table(header_style="bold")
    for col in ("Datum", "Status", "Närvarande", "Beslut", "Uppdrag givna", "varav öppna"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            cell(r.datum),
            cell(r.status or "?"),
            str(r.present),
            str(r.decisions),
            str(r.given),
            str(r.still_open),
        )
    out = console()
    out.print(table)
    out.print(f"{len(rows)} protokoll.")
    unknown = [r for r in rows if not r.status]
    for r in unknown:  # why a row says ? (and its zeros mean nothing)
        print_wrapped(out, cell(f"? {r.file}: {r.problem}"), 4)
    if unknown:
        out.print(f"Se felen med tips: sikt validera {' '.join(r.file for r in unknown)}")


@app.command("visa", cls=SwedishCommand)
def visa(datum: DatumArgument, rot: RotOption = None) -> None:
    """Visa ett protokoll i terminalen.

    [bold]Exempel:[/bold] sikt protokoll visa 2020-06-05
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.minutes_view import show

    shown = show(find_root(explicit=rot), parse_day(datum))
    out = console()
    if shown.frontmatter:
        out.print(yaml_listing(shown.frontmatter))
    out.print(markdown(shown.body))


@app.command("justera", cls=SwedishCommand)
def justera(
    datum: DatumArgument,
    justerare: Annotated[
        list[str] | None,
        typer.Option("--justerare", metavar="ID", help="Justerare (kan anges flera gånger)."),
    ] = None,
    signera: Annotated[
        bool,
        typer.Option(
            "--signera",
            help="Signera justeringen med din SSH-nyckel (en tagg justerat/DATUM/ID).",
        ),
    ] = False,
    jag: JagOption = None,
    rot: RotOption = None,
) -> None:
    """Justera ett protokoll: kontrollera det strikt och lås det.

    Sätter 'status: justerat' och 'justerad: <idag>' och ändrar inga andra rader. Med
    --signera signeras det incheckade protokollet (se docs/justering.md).

    [bold]Exempel:[/bold] sikt protokoll justera 2020-09-04 --justerare karina-bronell --signera
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.cycle import approve
    from sikt_cli.services.signing import sign, signing_key

    root = find_root(explicit=rot)
    if signera:  # before anything changes: without a key there is nothing to sign with
        signing_key(root)
    day = parse_day(datum)
    outcome = approve(root, day, justerare or [], dt.date.today())
    print_outcome(outcome.path, root, "Justerat och låst")
    if signera:
        _print_signed(sign(root, day, jag, dt.date.today()))


def _print_signed(done: Signed) -> None:
    echo(f"Signerade {done.tag} (innehåll {done.blob[:12]}).")
    if not done.listed:
        echo(
            f"Obs: din nyckel står inte som 'nyckel' för {done.signer} i medlemmar.yaml, så "
            "'sikt validera --signaturer' godtar inte signaturen förrän den gör det."
        )
    echo(f"Dela signaturen: git push origin {done.tag}")


@app.command("signera", cls=SwedishCommand)
def signera(datum: DatumArgument, jag: JagOption = None, rot: RotOption = None) -> None:
    """Signera ett justerat och incheckat protokoll med din SSH-nyckel.

    Skapar en signerad tagg justerat/DATUM/ID som anger protokollet, dig, dagens datum och
    filens innehåll (blob). 'sikt validera --signaturer' kontrollerar den.

    [bold]Exempel:[/bold] sikt protokoll signera 2020-09-04
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.signing import sign

    root = find_root(explicit=rot)
    _print_signed(sign(root, parse_day(datum), jag, dt.date.today()))


def ratta(
    datum: DatumArgument,
    skal: Annotated[
        str, typer.Option("--skal", metavar="TEXT", help="Varför protokollet rättas.")
    ] = "",
    av: Annotated[
        str | None,
        typer.Option(
            "--av", metavar="ID", help="Ditt medlems-id (annars SIKT_JAG eller git user.email)."
        ),
    ] = None,
    rot: RotOption = None,
) -> None:
    """Rätta ett justerat protokoll: skriv in de ändrade raderna som en rättelse.

    Ändra först raderna som är fel direkt i filen. Kommandot jämför filen med den som är
    incheckad i git och skriver in rättelsen (datum, vem, varför och raderna) under
    'rattelser'. Låset i CI godtar då precis den ändringen, och inget annat.

    [bold]Exempel:[/bold] sikt protokoll rätta 2020-06-05 --skal "Felstavat namn"
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.correction import correct

    root = find_root(explicit=rot)
    done = correct(root, parse_day(datum), skal=skal, av=av, today=dt.date.today())
    rows = ", ".join(str(n) for n in done.lines)
    print_outcome(done.path, root, f"Rättelsen (rad {rows}) är inskriven i")
    echo("Checka in filen; CI godtar precis den rättelsen.")


app.command("rätta", cls=SwedishCommand)(ratta)
app.command("ratta", cls=SwedishCommand, hidden=True)(ratta)  # for keyboards without å, ä, ö


@app.command("mejl", cls=SwedishCommand)
def mejl(
    datum: DatumArgument,
    ut: UtOption = None,
    skicka: SkickaOption = False,
    utkast: Annotated[
        bool, typer.Option("--utkast", help="Tillåt ett ojusterat utkast (märks UTKAST).")
    ] = False,
    bilaga: Annotated[
        list[str] | None,
        typer.Option(
            "--bilaga",
            metavar="pdf|docx|md",
            help="Bifoga protokollet som pdf (standard), docx eller md (protokollfilen); "
            "kan upprepas.",
        ),
    ] = None,
    ja: JaOption = False,
    rot: RotOption = None,
) -> None:
    """Protokollet som e-post till medlemmarna, med kopia till rapportadressen.

    Meddelandet är det färdiga protokollet: mötesuppgifter, justering, beslut och nya
    uppdrag överst, sedan närvaro per kommun, varje ärende, nästa möte. Protokollet bifogas
    som PDF; med --bilaga md bifogas protokollfilen (.md) också eller i stället. Bara ett
    protokoll utan fel, och utan personnummer, kan skickas. Har ett ärende 'publiceras: nej'
    blir det två meddelanden: hela protokollet till medlemmarna, och till rapportadressen
    utan det ärendet (en rad säger att det inte publiceras och varför).

    [bold]Exempel:[/bold] sikt protokoll mejl 2020-06-05 --ut protokoll.eml
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.minutes_mail import minutes_mails

    root, day = find_root(explicit=rot), parse_day(datum)
    mails = minutes_mails(root, day, utkast=utkast, bilagor=tuple(bilaga or ["pdf"]))
    targets = _draft_targets(ut, [name for _, name in mails])
    for (mail, name), target in zip(mails, targets, strict=True):
        deliver(mail, ut=target, skicka=skicka, ja=ja, default_name=name)


def _draft_targets(ut: Path | None, names: list[str]) -> list[Path | None]:
    """Where each draft goes; all are checked before any is written (all or nothing).
    A file name given with --ut gets '-rapport' for the mail to rapport_till."""
    from sikt_cli.files import out_target, target_file

    if ut is None:
        return [None] * len(names)
    out: list[Path | None] = []
    for i, name in enumerate(names):
        path = target_file(ut, name)
        if i and path == target_file(ut, names[0]):
            path = path.with_name(f"{path.stem}-rapport{path.suffix}")
        out.append(out_target(path, path.name))
    return out


@app.command("pdf", cls=SwedishCommand)
def pdf(
    datum: DatumArgument,
    fmt: Annotated[
        str, typer.Option("--format", metavar="pdf|docx", help="pdf (standard) eller docx (Word).")
    ] = "pdf",
    ut: Annotated[
        Path | None,
        typer.Option("--ut", metavar="SÖKVÄG", help="Filen eller katalogen att skriva till."),
    ] = None,
    utkast: Annotated[
        bool, typer.Option("--utkast", help="Tillåt ett ojusterat utkast (märks UTKAST).")
    ] = False,
    rot: RotOption = None,
) -> None:
    """Skriver protokollet som PDF (PDF/A-2b, för arkivering) eller som Word-fil.

    Samma färdiga protokoll som i 'sikt protokoll mejl'. Utan --ut skrivs
    protokoll-DATUM.pdf (eller .docx) i aktuell katalog. En befintlig fil skrivs aldrig
    över; då föreslås ett ledigt namn.

    [bold]Exempel:[/bold] sikt protokoll pdf 2020-06-05 --format docx --ut protokoll.docx
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.files import create_bytes, out_target
    from sikt_cli.services.minutes_mail import minutes_file

    root, day = find_root(explicit=rot), parse_day(datum)
    data, name = minutes_file(root, day, fmt=fmt, utkast=utkast)
    path = out_target(ut if ut else Path(name), name)
    create_bytes(path, data)
    echo(f"Skrev {path} ({len(data) // 1024 + 1} kB).")
    print_undo([path], root)


@app.command("maskera", cls=SwedishCommand)
def maskera(
    datum: DatumArgument,
    rad: Annotated[int, typer.Argument(metavar="RAD", help="Raden i filen ('sikt validera').")],
    skal: Annotated[str, typer.Option("--skal", metavar="TEXT", help="Varför det maskeras.")],
    text: Annotated[
        str | None,
        typer.Option("--text", metavar="TEXT", help="Maskera den här texten i stället."),
    ] = None,
    av: Annotated[
        str | None,
        typer.Option("--av", metavar="ID", help="Vem som maskerar. Standard: git user.email."),
    ] = None,
    rot: RotOption = None,
) -> None:
    """Ersätt ett personnummer på en rad med \\[maskerat] och anteckna det i protokollet.

    Fungerar även i ett justerat protokoll. Under 'maskeringar' antecknas datum, vem,
    raden, vad för slags uppgift och skälet, aldrig själva värdet. Originalet finns kvar i
    git-historiken. Med --text maskeras en fras i stället (t.ex. ett namn).

    [bold]Exempel:[/bold] sikt protokoll maskera 2020-06-05 24 --skal "Personnummer publiceras inte"
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.dates import parse_day
    from sikt_cli.services.masking import mask

    root = find_root(explicit=rot)
    done = mask(root, parse_day(datum), rad, skal=skal, text=text, av=av)
    what = {"text": "texten", "samordningsnummer": "samordningsnumret"}.get(
        done.kind, "personnumret"
    )
    times = f" ({done.count} ställen)" if done.count > 1 else ""
    print_outcome(done.path, root, f"Maskerade {what} på rad {rad}{times}")
    echo(
        "Antecknat under 'maskeringar'. Granska ändringen (git diff) och checka in den; "
        "originalet finns kvar i git-historiken."
    )
