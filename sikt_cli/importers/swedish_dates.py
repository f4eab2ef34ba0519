"""Dates and times as Swedish minutes write them: 2021-03-12, 12 mars 2021, 12/3 2021, 4 sept."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sikt_cli.dates import MONTHS, WEEKDAYS

_SHORT = {m[:3]: i for i, m in enumerate(MONTHS, start=1)} | {"sept": 9}
_MONTH_WORD = "|".join(sorted({*MONTHS, *_SHORT}, key=len, reverse=True))
ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
WORDS = re.compile(
    rf"\b(\d{{1,2}})(?::e|e)?\s+({_MONTH_WORD})\.?(?:\s+(\d{{4}}))?(?![\wåäö])", re.I
)
SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:\s*[-/ ]\s*(\d{4}))?\b")
TIME_RANGE = re.compile(r"(?<![\d:.])(\d{1,2})[:.](\d{2})\s*(?:-|–|—|till)\s*(\d{1,2})[:.](\d{2})")
WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})(?:en)?\b", re.I)


@dataclass(frozen=True, slots=True)
class Found:
    day: dt.date | None  # None: a day and month without a year, and nothing to anchor it
    start: int
    end: int
    with_year: bool


def _month(word: str) -> int:
    word = word.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS.index(word) + 1
    return _SHORT[word[:4] if word[:4] == "sept" else word[:3]]


def _make(year: int | None, month: int, day: int, after: dt.date | None) -> dt.date | None:
    try:
        if year is not None:
            return dt.date(year, month, day) if 1900 <= year <= 2999 else None
        if after is None:
            return None
        candidate = dt.date(after.year, month, day)
        if candidate < after:
            candidate = dt.date(after.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def find_dates(text: str, after: dt.date | None = None) -> list[Found]:
    """Every date in `text`, in order; a date without a year is the first such day on or
    after `after` (the meeting's own date), else left without a day."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern, order in ((ISO, "ymd"), (WORDS, "dmy"), (SLASH, "dmy")):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if order == "ymd":
                y, mo, d = int(m[1]), int(m[2]), int(m[3])
                year: int | None = y
            else:
                d = int(m[1])
                mo = _month(m[2]) if pattern is WORDS else int(m[2])
                year = int(m[3]) if m[3] else None
            if not 1 <= mo <= 12:
                continue
            taken.append((m.start(), m.end()))
            found.append(Found(_make(year, mo, d, after), m.start(), m.end(), year is not None))
    return sorted(found, key=lambda f: f.start)


def first_date(text: str, after: dt.date | None = None) -> Found | None:
    dates = find_dates(text, after)
    return dates[0] if dates else None


def time_range(text: str) -> tuple[str, tuple[int, int]] | None:
    """'09:00-11:15' from '09.00 – 11.15', 'kl. 9:00-11:15', with its span in `text`."""
    m = TIME_RANGE.search(text)
    if not m:
        return None
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}", (m.start(), m.end())
