"""`sikt beslut` and `sikt beslut visa`: the decision log, and one decision in its context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sikt_cli.archive.layout import archive_files
from sikt_cli.cache import cached
from sikt_cli.errors import Refused, UsageError
from sikt_cli.records.decisions import (
    ID,
    DecisionFilter,
    DecisionRecord,
    chain,
    item_text,
    select,
)
from sikt_cli.records.reports.period import check_choice
from sikt_cli.text import did_you_mean


@dataclass(frozen=True, slots=True)
class Register:
    decisions: list[DecisionRecord]  # oldest first, superseding resolved
    goals: dict[str, str]  # goal id → its name or text
    archive_errors: int  # errors `sikt validera` reports: the log may be incomplete


def register(root: Path, *, cache: bool = True) -> Register:
    """Every decision in the archive; an unchanged archive is answered from the cache."""

    def compute() -> dict[str, Any]:
        from sikt_cli.archive.load import load_archive
        from sikt_cli.records.decisions import decision_records
        from sikt_cli.rules import run_rules

        archive = load_archive(root)
        found = [*archive.diagnostics, *run_rules(archive)]
        errors = sum(1 for d in found if d.is_error)
        goals = {g.id: g.namn for g in archive.goals.goals}
        return {"beslut": Register(decision_records(archive.minutes), goals, errors)}

    result: Register = cached(root, archive_files(root), "beslut", compute, enabled=cache)
    return result


@dataclass(frozen=True, slots=True)
class Listing:
    decisions: list[DecisionRecord]  # newest first
    by_id: dict[str, DecisionRecord]
    today: dt.date
    archive_errors: int


def list_decisions(root: Path, f: DecisionFilter, *, today: dt.date | None = None) -> Listing:
    """The decisions the filter selects, newest first; a UsageError for an unknown goal."""
    reg = register(root)
    if f.goal is not None and f.goal not in reg.goals:
        guess = did_you_mean(f.goal, list(reg.goals))
        raise UsageError(
            f"Målet '{f.goal}' finns inte i mal.yaml.",
            f"Menade du '{guess}'?" if guess else "Se målens id i mal.yaml.",
        )
    check_choice(f.year, f.since, f.until)
    by_id = {d.id: d for d in reg.decisions}
    return Listing(select(reg.decisions, f), by_id, today or dt.date.today(), reg.archive_errors)


@dataclass(frozen=True, slots=True)
class DecisionView:
    decision: DecisionRecord
    chain: list[DecisionRecord]  # oldest first, this one included
    item_lines: list[tuple[int, str]]  # the agenda item's text: (file line, text)
    goals: dict[str, str]
    today: dt.date


def find_decision(root: Path, decision_id: str, *, today: dt.date | None = None) -> DecisionView:
    """One decision with its chain and the agenda item's text, or a Refused error."""
    reg = register(root)
    by_id = {d.id: d for d in reg.decisions}
    d = by_id.get(decision_id.strip())
    if d is None:
        shape = "" if ID.match(decision_id.strip()) else "Ett besluts id ser ut som 2020-06-05#b1. "
        guess = did_you_mean(decision_id, list(by_id))
        raise Refused(
            f"Inget beslut har id '{decision_id}'.",
            shape
            + (f"Menade du '{guess}'? " if guess else "")
            + "Se 'sikt beslut' för alla beslut och deras id.",
        )
    return DecisionView(
        d, chain(d, by_id), _item_lines(root, d), reg.goals, today or dt.date.today()
    )


def _item_lines(root: Path, d: DecisionRecord) -> list[tuple[int, str]]:
    from sikt_cli.archive.body import parse_body
    from sikt_cli.archive.documents import load_markdown_file

    loaded = load_markdown_file(root / d.file, d.file)
    if loaded.frontmatter is None or loaded.source is None:
        return []
    fm = loaded.frontmatter
    return item_text(parse_body(fm.body, fm.body_first_line), loaded.source.lines, d.item_nr)
