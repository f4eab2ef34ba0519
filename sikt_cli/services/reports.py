"""`sikt rapport narvaro|mal|uppdrag|ar`: the facts once (cached), then one report each.

Each function returns the report's data or raises: UsageError for options that contradict
each other, Refused for a period without meetings or an archive whose medlemmar.yaml or
mal.yaml has errors (every number depends on them). A protokoll with errors is left out
and named in the report's `left_out` (records/reports/facts.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sikt_cli.archive.layout import archive_files
from sikt_cli.cache import cached
from sikt_cli.errors import Refused
from sikt_cli.records.reports.action_items import ActionReport, action_report
from sikt_cli.records.reports.annual import AnnualReport, annual_report
from sikt_cli.records.reports.attendance import Attendance, attendance
from sikt_cli.records.reports.facts import Facts, LeftOut
from sikt_cli.records.reports.goals import GoalReport, goal_report
from sikt_cli.records.reports.period import Period, period


@dataclass(frozen=True, slots=True)
class PeriodChoice:
    """What the shared options `--ar`, `--fran`, `--till` asked for."""

    year: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def load_facts(root: Path, *, cache: bool = True) -> Facts:
    """The archive's facts; an unchanged archive is answered from the cache."""

    def compute() -> dict[str, Any]:
        from sikt_cli.archive.load import load_archive
        from sikt_cli.records.reports.facts import collect
        from sikt_cli.rules import run_rules

        archive = load_archive(root)
        return {"rapport": collect(archive, [*archive.diagnostics, *run_rules(archive)])}

    facts: Facts = cached(root, archive_files(root), "rapport", compute, enabled=cache)
    if facts.data_errors:
        raise Refused(
            "Rapporten görs inte: " + "; ".join(facts.data_errors),
            "Alla siffror beror på medlemmar.yaml och mal.yaml. Rätta felen (sikt validera) "
            "och kör rapporten igen.",
        )
    return facts


def _setup(root: Path, choice: PeriodChoice, today: dt.date | None = None) -> tuple[Facts, Period]:
    facts = load_facts(root)
    chosen = period(facts, year=choice.year, since=choice.since, until=choice.until, today=today)
    return facts, chosen


def attendance_report(root: Path, choice: PeriodChoice) -> tuple[Attendance, Facts]:
    facts, p = _setup(root, choice)
    return attendance(facts, p), facts


def goals_report(
    root: Path, choice: PeriodChoice, *, today: dt.date | None = None
) -> tuple[GoalReport, Facts]:
    facts, p = _setup(root, choice, today)
    return goal_report(facts, p, min(p.end, today or dt.date.today())), facts


def uppdrag_report(
    root: Path, choice: PeriodChoice, *, today: dt.date | None = None
) -> tuple[ActionReport, Facts]:
    facts, p = _setup(root, choice, today)
    return action_report(facts, p, today or dt.date.today()), facts


def year_report(root: Path, year: int, *, today: dt.date | None = None) -> AnnualReport:
    facts, p = _setup(root, PeriodChoice(year=year))
    return annual_report(facts, p, today or dt.date.today())


def left_out_in(facts: Facts, p: Period) -> list[LeftOut]:
    """The protokoll of the period that have errors and are not counted."""
    return [x for x in facts.left_out if x.day is not None and p.holds(x.day)]
