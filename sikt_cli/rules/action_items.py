"""Uppdrag: assignees must exist; follow-ups must refer to earlier, open uppdrag."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.layout import MEMBERS_FILE
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.records.action_items import EVERYONE
from sikt_cli.rules.context import RuleContext


def assignees(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    roster = archive.roster
    if MEMBERS_FILE in archive.unreadable:  # its own diagnostic says why
        return
    groups = {g.id for g in roster.groups}
    for m in archive.minutes:
        if m.body is None:
            continue
        for task in m.body.tasks:
            for mention in task.mentions:
                name = mention.name
                if name == EVERYONE or name in groups or roster.member(name):
                    continue
                yield diag(
                    "SIKT402",
                    m.rel,
                    mention.line,
                    mention.column,
                    f"Okänd ansvarig '@{name}' i uppdraget.",
                    roster.hint_for(name).replace("'gaster'", "'grupper'")
                    + " Hela nätverket skrivs @alla.",
                )


def follow_ups(ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from ctx.tracker.diagnostics


RULES = (assignees, follow_ups)
