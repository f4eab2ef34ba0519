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


def email_ok(text: str) -> bool:
    """A deliverable-looking address by email-validator's rules, without DNS (works offline);
    internationalised domains such as `a@hjö.se` are accepted."""
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
