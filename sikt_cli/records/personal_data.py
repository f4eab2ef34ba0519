"""Personal data in text: personnummer, samordningsnummer, phone numbers, e-mail addresses.

The one detector every sender, `sikt validera` and the masking use. Pure: text in,
findings with line and column out; the value found is never part of a finding's message.

The number rules (check digit, date, samordningsnummer's day + 60, the century of `+`)
are the `personnummer` library's, not a hand-written Luhn; phone numbers are
`phonenumbers`' (region SE). Both are imported only when a line could hold a number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sikt_cli.diagnostics import Severity

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "telefonnummer"
EMAIL = "epost"
NUMBER_KINDS = (PERSONNUMMER, SAMORDNINGSNUMMER)

# A dash from Word (en dash, minus sign) is still a separator for the reader.
_DASHES = "\u2010\u2011\u2012\u2013\u2212"
# [0-9], not \d: a run of Arabic-Indic or full-width digits is no Swedish number
_SEPARATED = re.compile(
    rf"(?<![\w+{_DASHES}-])([0-9]{{6}}|[0-9]{{8}})([-+{_DASHES}])([0-9]{{4}})(?!\w)"
)
_BARE = re.compile(r"(?<![\w+-])([0-9]{10}|[0-9]{12})(?![\w-])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# what a Swedish phone number starts like (0…, +46, 0046) followed by enough digits; the
# matcher is slow, so only lines with such a stretch (not dates, not times) are given to it
_PHONE_LIKE = re.compile(r"(?:\+\s*46|\b0)[\s(]*\d(?:[\s()/-]*\d){4,}")
_WORTH_A_LOOK = re.compile(r"\d{6}|\w@")  # not ' @bo-ek', a mention
EARLIEST_YEAR = 1850  # no one alive, or in an archive of minutes, was born before


@dataclass(frozen=True, slots=True)
class Finding:
    """Personal data at a place in a text. `column` and `end` are 1-based character
    columns (end exclusive); the value itself is not kept."""

    line: int
    column: int
    end: int
    kind: str  # PERSONNUMMER, SAMORDNINGSNUMMER, PHONE or EMAIL
    separated: bool = True  # a personnummer written with '-' or '+' (not a bare run of digits)

    @property
    def severity(self) -> Severity:
        """A personnummer written as one is an error; a bare run of digits that passes the
        check (one in ten random numbers does), a phone number or an address, a warning."""
        if self.kind in NUMBER_KINDS and self.separated:
            return Severity.ERROR
        return Severity.WARNING

    @property
    def is_number(self) -> bool:
        return self.kind in NUMBER_KINDS


def identity_number_kind(candidate: str, today: dt.date | None = None) -> str | None:
    """PERSONNUMMER or SAMORDNINGSNUMMER when `candidate` (digits, optionally with '-' or
    '+') has a valid check digit and a plausible date of birth; else None."""
    from personnummer import personnummer as pnr

    try:
        number = pnr.Personnummer(candidate)
        born = number.get_date()
    except (pnr.PersonnummerException, ValueError, TypeError):
        return None
    if not EARLIEST_YEAR <= born.year or born > (today or dt.date.today()):
        return None
    return SAMORDNINGSNUMMER if number.is_coordination_number() else PERSONNUMMER


# Superset pre-checks of _WORTH_A_LOOK and _PHONE_LIKE that run at C speed. Python's re
# has no fast scan for a pattern that starts with a class, a lookbehind or an alternation:
# those two searches cost ~0.4 ms per 5 KB protokoll, serially after the parallel load
# (four seconds at 10,000). A literal first character ("0", "+", "@") lets re skip ahead.
_ZERO_RUN = re.compile(r"0[\s(]*\d(?:[\s()/-]*\d){4,}")  # _PHONE_LIKE's `\b0…` without \b
_PLUS_46 = re.compile(r"\+\s*46[\s(]*\d(?:[\s()/-]*\d){4,}")
_WORD_AT = re.compile(r"\w@")
_WORD = re.compile(r"\w")
# A text's UTF-8 with continuation bytes deleted has one byte per character; these lead
# bytes are the only ones that start a non-ASCII \d (tests/test_fast_paths.py checks this
# against all of Unicode). Mapping them and ASCII digits to "0", the rest to " ", six
# digits in a row become b"000000"; å, ä, ö and dashes never do.
_DIGIT_LEADS = (0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA, 0xEF, 0xF0)
_DIGITISH = bytes(
    ord("0") if 0x30 <= b <= 0x39 or b in _DIGIT_LEADS else ord(" ") for b in range(256)
)
_CONTINUATION = bytes(range(0x80, 0xC0))


def _could_hold(text: str) -> bool:
    """True when _WORTH_A_LOOK or _PHONE_LIKE might match: never False when either does."""
    one_byte_each = text.encode("utf-8", "surrogatepass").translate(_DIGITISH, _CONTINUATION)
    if b"000000" in one_byte_each:
        return True  # six characters in a row that are, or may be, digits
    at = text.find("@", 1)
    while at > 0:
        if _WORD_AT.match(text, at - 1):
            return True
        at = text.find("@", at + 1)
    if _PLUS_46.search(text):
        return True
    found = _ZERO_RUN.search(text)
    while found is not None:  # `\b0`: a 0 that does not go on a word (2020-09-04 does)
        start = found.start()
        if start == 0 or not _WORD.match(text, start - 1):
            return True
        found = _ZERO_RUN.search(text, start + 1)
    return False


def worth_scanning(text: str) -> bool:
    """False when no line of `text` can hold a finding: one search over a whole file is
    much cheaper than one per line."""
    return _could_hold(text) and bool(_WORTH_A_LOOK.search(text) or _PHONE_LIKE.search(text))


def scan_line(
    text: str,
    line: int = 1,
    *,
    contact: bool = True,
    exempt: Iterable[str] = (),
    today: dt.date | None = None,
) -> list[Finding]:
    """The personal data on one line. With `contact`, phone numbers and e-mail addresses
    too, except the addresses in `exempt` (compared without case)."""
    found: list[Finding] = []
    if not worth_scanning(text):
        return found
    taken: list[tuple[int, int]] = []
    for m in _SEPARATED.finditer(text):
        kind = identity_number_kind(f"{m.group(1)}{_plain_sign(m.group(2))}{m.group(3)}", today)
        if kind:
            found.append(Finding(line, m.start() + 1, m.end() + 1, kind))
            taken.append(m.span())
    for m in _BARE.finditer(text):
        kind = identity_number_kind(m.group(1), today)
        if kind:
            found.append(Finding(line, m.start() + 1, m.end() + 1, kind, separated=False))
            taken.append(m.span())
    if contact:
        found += _contact(text, line, taken, {a.lower() for a in exempt})
    return sorted(found, key=lambda f: (f.line, f.column))


def _plain_sign(sign: str) -> str:
    return "+" if sign == "+" else "-"


def _contact(text: str, line: int, taken: list[tuple[int, int]], exempt: set[str]) -> list[Finding]:
    found: list[Finding] = []
    for m in _EMAIL.finditer(text):
        if m.group().lower() not in exempt:
            found.append(Finding(line, m.start() + 1, m.end() + 1, EMAIL))
        taken.append(m.span())
    if not _PHONE_LIKE.search(text):
        return found
    for start, end in _phone_spans(text):
        if not any(start < e and s < end for s, e in taken):
            found.append(Finding(line, start + 1, end + 1, PHONE))
    return found


@cache
def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


def _phone_spans(text: str) -> list[tuple[int, int]]:
    ph = _phonenumbers()
    return [(m.start, m.end) for m in ph.PhoneNumberMatcher(text, "SE")]


def scan(
    text: str,
    first_line: int = 1,
    *,
    contact: bool = True,
    exempt: Iterable[str] = (),
    today: dt.date | None = None,
) -> list[Finding]:
    """Every finding in a text whose first line is file line `first_line`."""
    exempt = frozenset(exempt)
    found: list[Finding] = []
    for i, line in enumerate(text.split("\n")):
        found += scan_line(line, first_line + i, contact=contact, exempt=exempt, today=today)
    return found


KIND_NAMES = {
    PERSONNUMMER: "ett personnummer",
    SAMORDNINGSNUMMER: "ett samordningsnummer",
    PHONE: "ett telefonnummer",
    EMAIL: "en e-postadress",
}
