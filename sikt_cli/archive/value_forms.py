"""The forms of typed values, shared by the validator (`spec.py`) and the JSON Schemas.

Patterns use ASCII `[0-9]`, not `\\d`: a schema's `\\d` is ASCII in ECMAScript (editors,
ajv) but any Unicode digit in Python's `re`. Where a schema can check only the form, the
validator checks more: e-mail by email-validator's rules, time zones in the database.
"""

from __future__ import annotations

import re

INTEGER = re.compile(r"^[0-9]{1,6}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](-([01][0-9]|2[0-3]):[0-5][0-9])?$")
# the shape of an address a schema can check; email-validator decides the rest (offline)
_NOT_IN_ADDRESS = r'\s@<>()\[\],;:\\"'  # also no dot inside a domain label, below
EMAIL_SHAPE = re.compile(
    rf"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}.]+(\.[^{_NOT_IN_ADDRESS}.]+)+$"
)
TIME_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
# a meeting link (`lank`): an http(s) address with no space or character that ends one in
# a mail or an invitation; written without re.I, and with the quote unescaped (the `u` flag
# of ECMAScript rejects a needless escape), so that the JSON Schemas can carry it
WEB_ADDRESS = re.compile("^[Hh][Tt][Tt][Pp][Ss]?://[^\\s<>\"'`]+$")


# An address of the plainest kind, `fornamn.efternamn@kommun.se`: ASCII letters and digits
# joined by single separators, a common top-level domain, short. email-validator accepts
# every such address (tests/test_fast_paths.py holds it to that over thousands of them),
# and nearly every member's address is one, so a cold `validera` need not import it
# (compiling its patterns took about 20–40 ms of every cold run: benchmarks/RESULTS.md).
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+"
    r"(?:se|nu|eu|com|org|net)"
)
_PLAIN_MAX = 64  # no part of such an address can then pass a length limit


def email_ok(text: str) -> bool:
    """A deliverable-looking address by email-validator's rules, without DNS (works offline);
    internationalised domains such as `a@hjö.se` are accepted."""
    if len(text) <= _PLAIN_MAX and _PLAIN_ADDRESS.fullmatch(text):
        return True
    return email_validator_ok(text)


def email_validator_ok(text: str) -> bool:
    """email_ok without the shortcut for plain addresses: the shape, then the library."""
    if not EMAIL_SHAPE.match(text):
        return False
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def time_zone_ok(text: str) -> bool:
    """`text` names a zone in the time-zone database (the system's, else the tzdata package)."""
    if not TIME_ZONE.match(text):
        return False
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def known_time_zones() -> list[str]:
    """Every zone name in the time-zone database, for a "Menade du …?"."""
    import zoneinfo

    return sorted(zoneinfo.available_timezones())


_LOOSE_TIME = re.compile(r"^\s*(\d{1,2})([:.])(\d{2})(?:\s*([-–—])\s*(\d{1,2})([:.])(\d{2}))?\s*$")


def time_problem(text: str) -> tuple[str, str] | None:
    """None for a good `TT:MM` or `TT:MM-TT:MM` that ends after it starts; else the one
    real problem and how to write it, with the corrected value when it can be told."""
    if TIME.match(text):
        start, _, end = text.partition("-")
        if not end or end > start:
            return None
        if end == start:
            return (
                f"sluttiden är samma som starttiden {start}",
                f'Skriv när mötet slutar, t.ex. tid: "{start}-{_later(start)}".',
            )
        return (
            f"sluttiden {end} är före starttiden {start}",
            f'Skriv starttiden först: tid: "{end}-{start}".',
        )
    m = _LOOSE_TIME.match(text)
    if m is None:
        return "skriv timmar och minuter som TT:MM", 'Skriv t.ex. tid: "09:00-11:15".'
    h1, sep1, m1, dash, h2, sep2, m2 = m.groups()
    fixed = f"{int(h1):02d}:{m1}" + (f"-{int(h2):02d}:{m2}" if h2 else "")
    if not TIME.match(fixed):
        return "timmarna går från 00 till 23 och minuterna från 00 till 59", (
            'Skriv t.ex. tid: "09:00-11:15".'
        )
    if "." in (sep1, sep2):
        why = "skriv kolon mellan timmar och minuter, inte punkt"
    elif len(h1) == 1 or (h2 is not None and len(h2) == 1):
        why = "timmen skrivs med två siffror"
    elif dash is not None and dash != "-":
        why = "skriv ett vanligt bindestreck (-) mellan tiderna"
    else:
        why = "ta bort mellanslagen"
    problem = time_problem(fixed)
    hint = f'Skriv tid: "{fixed}".' if problem is None else problem[1]
    return (why if problem is None else f"{why}, och {problem[0]}"), hint


def _later(start: str) -> str:
    """An hour after `start` (the example end time), at most 23:59."""
    hour, minute = int(start[:2]), start[3:]
    return f"{hour + 1:02d}:{minute}" if hour < 23 else "23:59"
