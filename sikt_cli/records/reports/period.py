"""The period a report covers: a calendar year, or from one day to another.

The checks every report shares: `--fran` after `--till`, a year before the first meeting,
a period without meetings. Each gives a Swedish message naming the meetings there are.
The options themselves (`parse_year`, `parse_day`, `check_choice`) are read here for every
command that takes a period (`sikt rapport`, `sikt beslut`, `sikt sok --ar`), so that
they say the same thing; this module stays light for them (no archive import at run time).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sikt_cli.errors import Refused, UsageError

if TYPE_CHECKING:
    from sikt_cli.records.reports.facts import Facts, MeetingFacts

FIRST_YEAR, LAST_YEAR = 1900, 2999
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date
    year: int | None = None  # a calendar year (`--ar`, `sikt rapport ar ÅR`)

    @property
    def label(self) -> str:
        """'2020', or '2020-01-01–2020-06-30'."""
        return str(self.year) if self.year is not None else f"{self.start}–{self.end}"

    @property
    def in_words(self) -> str:
        """'under 2020' / 'under 2020-01-01–2020-06-30': for 'inget under …'."""
        return f"under {self.label}"

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def parse_year(value: str, flag: str = "--ar") -> int:
    """A year as the user wrote it: ASCII digits, FIRST_YEAR to LAST_YEAR."""
    digits = value.strip()
    if not digits.isascii() or not digits.isdigit():
        raise UsageError(f"{flag} ska vara ett årtal, inte '{value}'.", "Till exempel 2020.")
    if len(digits) > 4:  # and int() of thousands of digits would raise
        raise UsageError(*_unreasonable(digits))
    year = int(digits)
    check_year(year)
    return year


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(*_unreasonable(str(year)))


def _unreasonable(year: str) -> tuple[str, str]:
    return (
        f"Året {year} är orimligt.",
        f"Ange ett år mellan {FIRST_YEAR} och {LAST_YEAR}, t.ex. 2020.",
    )


def parse_day(value: str, flag: str) -> dt.date:
    """A day as the user wrote it (`--fran`, `--till`): ISO YYYY-MM-DD."""
    try:
        if not _ISO_DAY.fullmatch(value):  # fromisoformat also takes 20200101, 2020-W01-1
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{flag} ska vara ett datum ÅÅÅÅ-MM-DD, inte '{value}'.", "Till exempel 2020-09-04."
        ) from None


def check_choice(
    year: int | None = None, since: dt.date | None = None, until: dt.date | None = None
) -> None:
    """`--ar` with `--fran`/`--till`, or `--fran` after `--till`: a UsageError."""
    if year is not None and (since or until):
        raise UsageError(
            "--ar kan inte kombineras med --fran eller --till.",
            "Ange antingen ett år (--ar 2020) eller ett datumintervall (--fran/--till).",
        )
    if since and until and since > until:
        raise UsageError(
            f"--fran {since} ligger efter --till {until}.",
            "Byt plats på datumen eller ta bort ett av dem.",
        )
    if year is not None:
        check_year(year)


def period(
    facts: Facts,
    *,
    year: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> Period:
    """The period the options name, checked: without `until` it runs to today (from the
    first meeting without `since`). UsageError for options that contradict each other,
    Refused for a period without meetings."""
    check_choice(year, since, until)
    held = held_meetings(facts)
    first = held[0].day if held else None
    if year is not None:
        chosen = Period(dt.date(year, 1, 1), dt.date(year, 12, 31), year)
    else:
        now = today or dt.date.today()
        start = since or min(first or now, now, until or now)  # `--till` before the first
        chosen = Period(start, until or max(now, start))
    _require_meetings(facts, chosen, held)
    return chosen


def held_meetings(facts: Facts) -> list[MeetingFacts]:
    """The meetings that took place (not `planerat`), oldest first."""
    return [m for m in facts.meetings if m.status != "planerat"]


def in_period(facts: Facts, p: Period) -> list[MeetingFacts]:
    return [m for m in held_meetings(facts) if p.holds(m.day)]


def _require_meetings(facts: Facts, p: Period, held: list[MeetingFacts]) -> None:
    if any(p.holds(m.day) for m in held):
        return
    left = [x for x in facts.left_out if x.day is not None and p.holds(x.day)]
    if left:
        files = ", ".join(x.file for x in left)
        raise Refused(
            f"Alla protokoll {p.in_words} har fel och kan inte räknas: {files}.",
            "Rätta felen (sikt validera) och kör rapporten igen.",
        )
    if not held:
        raise Refused(
            "Arkivet har inga hållna möten att rapportera om.",
            "Lägg till protokoll i protokoll/ (sikt protokoll ny).",
        )
    years = ", ".join(str(y) for y in sorted({m.day.year for m in held}))
    if len(held) == 1:
        there = f"Arkivet har ett möte: {held[0].day}."
    else:
        there = (
            f"Arkivet har {len(held)} möten mellan {held[0].day} och {held[-1].day} (år: {years})."
        )
    if p.year is None and p.start == p.end < held[0].day:  # `--till` before the first
        raise Refused(
            f"Inga möten hölls till och med {p.end}: det första var {held[0].day}.", there
        )
    if p.end < held[0].day:
        raise Refused(
            f"{p.label} ligger före det första mötet ({held[0].day}): inget att rapportera.",
            there,
        )
    if p.year is None and p.start > held[-1].day:
        raise Refused(
            f"Inga möten hölls från och med {p.start}: det senaste var {held[-1].day}.", there
        )
    raise Refused(f"Inga möten hölls {p.in_words}.", there + " Välj en period med möten.")
