"""The checks. Each module holds one family; each rule yields diagnostics from a context.

A rule is `def rule(ctx: RuleContext) -> Iterator[Diagnostic]`; add it to its module's
`RULES` tuple and it runs in `sikt validera`, `sikt uppdrag` and `protokoll justera`.
Mark it `@per_protokoll` (rules/context.py) when it looks at one protokoll at a time: then a
large archive checks it in the loader's workers (`check_each`), the others (`WHOLE_ARCHIVE`:
the data files, and what compares protokoll) in the main process afterwards.
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
from sikt_cli.rules.context import Rule, RuleContext, is_per_protokoll

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


PER_PROTOKOLL: tuple[Rule, ...] = tuple(r for r in RULES if is_per_protokoll(r))
WHOLE_ARCHIVE: tuple[Rule, ...] = tuple(r for r in RULES if not is_per_protokoll(r))


def run_rules(
    archive: Archive, ctx: RuleContext | None = None, *, rules: tuple[Rule, ...] = RULES
) -> list[Diagnostic]:
    """Every rule's diagnostics; pass `ctx` to reuse an uppdrag tracker already built."""
    ctx = ctx or RuleContext(archive)
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(rule(ctx))
    return found


def check_each(archive: Archive) -> list[Diagnostic]:
    """The per-protokoll rules over an archive of one protokoll: `load_archive(check=...)`
    runs it where the protokoll was built (a worker, for a large archive)."""
    return run_rules(archive, rules=PER_PROTOKOLL)


def check_archive(archive: Archive) -> list[Diagnostic]:
    """Every rule's diagnostics, for an archive loaded with `load_archive(check=check_each)`:
    only the whole-archive rules are left when the loader has checked each protokoll."""
    if archive.checked is None:
        return run_rules(archive)
    return archive.checked + run_rules(archive, rules=WHOLE_ARCHIVE)
