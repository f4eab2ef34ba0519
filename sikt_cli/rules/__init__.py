"""The checks. Each module holds one family; each rule yields diagnostics from the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sikt_cli.archive import Archive
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules import actions, agenda, attendance, data, drafts, lifecycle

Rule = Callable[[Archive], Iterator[Diagnostic]]

RULES: tuple[Rule, ...] = (
    *data.RULES,
    *attendance.RULES,
    *agenda.RULES,
    *actions.RULES,
    *lifecycle.RULES,
    *drafts.RULES,
)


def run_rules(archive: Archive) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in RULES:
        found.extend(rule(archive))
    return found
