"""The registry of diagnostic codes: stable ids, default severity and a Swedish title.

Codes are an API (CI configurations and docs refer to them): never renumber, only add.
`SIKT1xx` files and YAML, `SIKT2xx` members and attendance, `SIKT3xx` agenda, goals and
decisions, `SIKT4xx` uppdrag, `SIKT5xx` lifecycle and locking, `SIKT6xx` (601–619) personal data
and publication.
"""

from __future__ import annotations

from dataclasses import dataclass

from sikt_cli.diagnostics import Diagnostic, Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


_ALL = [
    Code("SIKT100", E, "Filen kan inte läsas"),
    Code("SIKT101", E, "Filen är inte UTF-8"),
    Code("SIKT102", E, "Filen är för stor"),
    Code("SIKT103", E, "Filen är tom"),
    Code("SIKT104", E, "Frontmatter saknas"),
    Code("SIKT105", E, "Frontmatter avslutas inte"),
    Code("SIKT106", E, "YAML-syntaxfel"),
    Code("SIKT107", E, "Dubblerad nyckel"),
    Code("SIKT108", E, "YAML-ankare och alias är inte tillåtna"),
    Code("SIKT109", E, "Okänd nyckel"),
    Code("SIKT110", E, "Fel typ"),
    Code("SIKT111", E, "Obligatorisk nyckel saknas"),
    Code("SIKT112", E, "Ogiltigt värde"),
    Code("SIKT113", E, "Filnamnet stämmer inte med datum"),
    Code("SIKT114", E, "Datafil saknas"),
    Code("SIKT115", E, "Symbolisk länk i arkivet"),
    Code("SIKT116", E, "Ingen vanlig fil"),
    Code("SIKT117", E, "Okänd tidszon"),
    Code("SIKT118", W, "Filnamn som bara skiljer sig i stora och små bokstäver"),
    Code("SIKT119", E, "Bilagan kan inte skickas"),
    Code("SIKT201", E, "Dubblerat id"),
    Code("SIKT202", E, "Kommunen finns inte i kommuner"),
    Code("SIKT203", E, "Orimlig period"),
    Code("SIKT204", E, "Okänd medlem"),
    Code("SIKT205", E, "Medlem utanför sin medlemsperiod"),
    Code("SIKT206", E, "Ordförande eller sekreterare inte närvarande"),
    Code("SIKT207", E, "Både närvarande och frånvarande"),
    Code("SIKT208", W, "Kommunen varken representerad eller frånvarande"),
    Code("SIKT209", W, "Dubblerad post i listan"),
    Code("SIKT210", E, "Okänd kommun eller medlem bland frånvarande"),
    Code("SIKT211", E, "Justeraren var inte närvarande"),
    Code("SIKT212", W, "Justeraren är ordförande eller sekreterare"),
    Code("SIKT301", E, "Ärendenumren går inte 1..n"),
    Code("SIKT302", E, "Rubrik för ärende saknas i texten"),
    Code("SIKT303", E, "Ärenderubrikerna står i fel ordning"),
    Code("SIKT304", W, "Rubriktexten skiljer sig från dagordningen"),
    Code("SIKT305", E, "Ärenderubrik på fel nivå"),
    Code("SIKT306", E, "Okänt mål"),
    Code("SIKT307", E, "Målet gäller inte vid mötets datum"),
    Code("SIKT308", E, "Beslutet hänvisar till ett ärende som saknas"),
    Code("SIKT309", E, "Rubrik för ett ärende som inte finns i dagordningen"),
    Code("SIKT310", E, "Beslutet ersätter ett okänt beslut"),
    Code("SIKT311", E, "Beslutet ersätter inte ett tidigare beslut"),
    Code("SIKT401", E, "Uppdrag utan ansvarig"),
    Code("SIKT402", E, "Okänd ansvarig i uppdrag"),
    Code("SIKT403", E, "Ogiltigt datum i uppdrag"),
    Code("SIKT404", E, "Uppföljning av okänt uppdrag"),
    Code("SIKT405", E, "Uppföljning av uppdrag från samma eller senare möte"),
    Code("SIKT406", E, "Uppdraget är redan avslutat"),
    Code("SIKT407", E, "Sista datum före mötet"),
    Code("SIKT408", W, "Uppföljningen säger inte vad som hände"),
    Code("SIKT501", E, "Okänd status"),
    Code("SIKT502", E, "Justerat protokoll är ofullständigt"),
    Code("SIKT503", W, "Uppgift att fylla i"),
    Code("SIKT504", E, "Justerat protokoll har ändrats"),
    Code("SIKT505", E, "Justerat protokoll har tagits bort eller bytt namn"),
    Code("SIKT506", E, "Justerat protokoll är inte längre en vanlig fil"),
    Code("SIKT507", E, "Ändring i medlemmar.yaml eller mal.yaml ändrar ett justerat protokoll"),
    Code("SIKT508", E, "Två protokoll har samma datum"),
    Code("SIKT510", E, "Felaktig signeringsnyckel"),
    Code("SIKT511", E, "Justerat protokoll saknar signatur"),
    Code("SIKT512", E, "Signaturen är inte gjord av ordförande, sekreterare eller justerare"),
    Code("SIKT513", E, "Protokollet har ändrats efter signeringen"),
    Code("SIKT514", W, "Signeringsnyckel ändrad jämfört med basen"),
    Code("SIKT515", E, "Undantag från signering godtas inte"),
    Code("SIKT520", W, "Godkänt fynd finns inte längre"),
    Code("SIKT521", E, "Fyndet kan inte godkännas"),
    Code("SIKT601", E, "Personnummer eller samordningsnummer"),
    Code("SIKT602", W, "Kanske ett personnummer"),
    Code("SIKT603", W, "Telefonnummer"),
    Code("SIKT604", W, "E-postadress"),
    Code("SIKT605", E, "Skäl saknas för att inte publicera"),
    Code("SIKT606", E, "Okänd medlem i maskering"),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def diag(code: str, file: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    """Build a diagnostic with the registered severity of `code`."""
    return Diagnostic(
        file=file,
        line=line,
        column=column,
        code=code,
        message=message,
        severity=CODES[code].severity,
        hint=hint,
    )
