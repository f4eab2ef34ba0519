"""The checks. Each module holds one family; each rule yields diagnostics from a context.

A rule is `def rule(ctx: RuleContext) -> Iterator[Diagnostic]`; add it to its module's
`RULES` tuple and it runs in `sikt validera`, `sikt uppdrag` and `protokoll justera`.
"""

from __future__ import annotations

from sikt_cli.archive.load import Archive
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules import (
    action_items,
    agenda,
    attendance,
    data,
    decisions,
    drafts,
    lifecycle,
    personal_data,
    signatures,
)
from sikt_cli.rules.context import Rule, RuleContext

RULES: tuple[Rule, ...] = (
    *data.RULES,
    *attendance.RULES,
    *agenda.RULES,
    *decisions.RULES,
    *action_items.RULES,
    *lifecycle.RULES,
    *drafts.RULES,
    *personal_data.RULES,
    *signatures.RULES,
)


def run_rules(archive: Archive, ctx: RuleContext | None = None) -> list[Diagnostic]:
    """Every rule's diagnostics; pass `ctx` to reuse an uppdrag tracker already built."""
    ctx = ctx or RuleContext(archive)
    found: list[Diagnostic] = []
    for rule in RULES:
        found.extend(rule(ctx))
    return found
