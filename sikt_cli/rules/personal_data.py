"""Personal data and publication: personnummer on their line, `publiceras: nej` needs a reason.

Every line of every file is scanned, frontmatter and comments included: the file itself
is the allmän handling that is mailed and may be published. Phone numbers and e-mail
addresses are only warned about where they would be published (not in a withheld item).
"""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE
from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Minutes
from sikt_cli.archive.source import read_source, split_frontmatter
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.records.personal_data import (
    EMAIL,
    KIND_NAMES,
    PHONE,
    Finding,
    scan_line,
    worth_scanning,
)
from sikt_cli.records.publication import withheld_lines
from sikt_cli.rules.context import RuleContext, per_protokoll

REASON_EXAMPLE = 'skal: "Sekretess enligt 23 kap. 1 § OSL"'


def own_addresses(archive: Archive) -> set[str]:
    """The network's own addresses: rapport_till and the members' epost."""
    roster = archive.roster
    return {a.lower() for a in roster.network.rapport_till} | {
        m.epost.lower() for m in roster.members if m.epost
    }


def file_findings(m: Minutes, exempt: set[str]) -> list[Finding]:
    """Every finding in one protokoll file, read as the loader reads it; addresses in
    `exempt` (lower case) are not findings."""
    src, _ = read_source(m.path, m.rel)
    if src is None or not worth_scanning(src.text):
        return []
    lines = src.lines
    fm, _ = split_frontmatter(src)
    quiet: set[int] = set()
    if fm is not None:
        quiet = withheld_lines(m, fm.body_first_line, len(lines))
    found: list[Finding] = []
    for i, text in enumerate(lines, start=1):
        found += scan_line(text, i, contact=i not in quiet, exempt=exempt)
    return found


def text_note(text: str) -> bool:
    """The loader's note on a protokoll for `identity_numbers` (`load_archive(note=...)`):
    False when its text cannot hold a finding, so the file need not be read again here.
    The same test `file_findings` makes first; run where the file was read (a worker)."""
    return worth_scanning(text)


def data_file_findings(archive: Archive, rel: str) -> list[Finding]:
    found: list[Finding] = []
    for i, text in enumerate(archive.sources.get(rel, []), start=1):
        found += scan_line(text, i, contact=False)
    return found


def to_diagnostic(rel: str, f: Finding, day: str | None) -> Diagnostic:
    """The finding as `sikt validera` and every sender show it (never with the value)."""
    where = f'sikt protokoll maskera {day} {f.line} --skal "…"' if day else ""
    if f.kind == PHONE:
        return diag(
            "SIKT603",
            rel,
            f.line,
            f.column,
            "Här står ett telefonnummer; det publiceras med protokollet.",
            "Ta bort numret om det inte behövs. Ett ärende som inte ska publiceras märks "
            "med 'publiceras: nej' och 'skal' i dagordningen.",
        )
    if f.kind == EMAIL:
        return diag(
            "SIKT604",
            rel,
            f.line,
            f.column,
            "Här står en e-postadress som inte är nätverkets; den publiceras med protokollet.",
            "Ta bort adressen om den inte behövs. Adresserna i rapport_till och "
            "medlemmarnas epost i medlemmar.yaml varnas det inte för.",
        )
    fix = f"maskera det: {where}" if where else "ta bort det ur filen"
    if f.separated:
        return diag(
            "SIKT601",
            rel,
            f.line,
            f.column,
            f"Här står {KIND_NAMES[f.kind]}. Det får aldrig mejlas eller publiceras.",
            f"Ta bort det ur texten, eller {fix} (så görs det i ett justerat protokoll)."
            if where
            else "Ta bort det ur filen: personnummer hör inte hemma i arkivet.",
        )
    return diag(
        "SIKT602",
        rel,
        f.line,
        f.column,
        f"Talet kan vara {KIND_NAMES[f.kind]} (kontrollsiffran och datumet stämmer).",
        f"Är det ett personnummer: ta bort det eller {fix}. Är det ett telefonnummer "
        "eller ett annat nummer: skriv det med mellanrum, t.ex. 070-521 72 30.",
    )


def data_identity_numbers(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Personnummer and contact details in medlemmar.yaml and mal.yaml."""
    for rel in (MEMBERS_FILE, GOALS_FILE):
        for f in data_file_findings(ctx.archive, rel):
            yield to_diagnostic(rel, f, None)


@per_protokoll
def identity_numbers(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Personnummer and contact details in each protokoll."""
    archive = ctx.archive
    exempt: set[str] | None = None  # taken once, and only for a file worth reading again
    for m in archive.minutes:
        if archive.notes.get(m.rel) is False:  # text_note: the text read holds none
            continue
        exempt = own_addresses(archive) if exempt is None else exempt
        for f in file_findings(m, exempt):
            yield to_diagnostic(m.rel, f, m.file_date)


@per_protokoll
def withheld_reason(ctx: RuleContext) -> Iterator[Diagnostic]:
    for m in ctx.archive.minutes:
        if not m.publiceras and not (m.skal or "").strip():
            pos = m.doc.pos("publiceras")
            yield diag(
                "SIKT605",
                m.rel,
                pos.line,
                pos.column,
                "Protokollet har 'publiceras: nej' men inget skäl ('skal').",
                f"Skriv varför det inte publiceras, t.ex. {REASON_EXAMPLE}.",
            )
        for a in m.arenden:
            if not a.publiceras and not (a.skal or "").strip():
                pos = a.publiceras_pos or a.pos
                yield diag(
                    "SIKT605",
                    m.rel,
                    pos.line,
                    pos.column,
                    f"Ärende {a.nr} har 'publiceras: nej' men inget skäl ('skal').",
                    f"Skriv varför ärendet inte publiceras, t.ex. {REASON_EXAMPLE}.",
                )


@per_protokoll
def masking_members(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    if MEMBERS_FILE in archive.unreadable:
        return
    for m in archive.minutes:
        for k in m.maskeringar:
            if archive.roster.member(k.av.value) is None:
                yield diag(
                    "SIKT606",
                    m.rel,
                    k.av.pos.line,
                    k.av.pos.column,
                    f"'{k.av.value}' i maskeringar är inte en medlem i medlemmar.yaml.",
                    archive.roster.hint_for(k.av.value),
                )


RULES = (data_identity_numbers, identity_numbers, withheld_reason, masking_members)
