"""Dates the way a Swedish reader writes them: "fredag 4 september 2020"."""

from __future__ import annotations

import datetime as dt

from sikt_cli.errors import UsageError

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def swedish(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def parse_day(value: str) -> dt.date:
    """A meeting date from the command line; years far outside a network's life are typos
    (and would overflow the calendar code's year arithmetic)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            f"'{value}' är inte ett datum ÅÅÅÅ-MM-DD.", "Skriv t.ex. 2020-09-04."
        ) from exc
    if not 1900 <= day.year <= 2999:
        raise UsageError(f"Året i '{value}' är orimligt för ett möte.", "Skriv t.ex. 2020-09-04.")
    return day
