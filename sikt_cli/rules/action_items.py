"""Uppdrag: assignees must exist; follow-ups must refer to earlier, open uppdrag."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.layout import MEMBERS_FILE
from sikt_cli.archive.model import Roster
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.records.action_items import EVERYONE
from sikt_cli.rules.context import RuleContext, per_protokoll
from sikt_cli.text import slugify


@per_protokoll
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
                    _hint(roster, _as_written(name, task.text)) + " Hela nätverket skrivs @alla.",
                )
            for odd in task.odd_mentions:
                yield diag(
                    "SIKT402",
                    m.rel,
                    odd.line,
                    odd.column,
                    f"Okänd ansvarig '@{odd.name}' i uppdraget: ett id skrivs med a–z, siffror "
                    "och bindestreck.",
                    _hint(roster, odd.name),
                )


def _as_written(name: str, text: str) -> str:
    """`Eva Karlsson` for `@Eva Karlsson ska …`: a name written after the @, up to the next
    lowercase word, to tell apart two members who share a first name."""
    import re

    words = re.match(rf".*?@{re.escape(name)}((?:\s+[A-ZÅÄÖ][\w-]*)+)", text)
    return f"{name}{words.group(1)}" if words else name


def _hint(roster: Roster, written: str) -> str:
    words = written.split()
    for n in range(len(words), 0, -1):  # the longest run of words that names a member
        if slugify(" ".join(words[:n])) in roster.names.by_slug:
            return roster.hint_for(" ".join(words[:n])).replace("'gaster'", "'grupper'")
    return roster.hint_for(words[0] if words else written).replace("'gaster'", "'grupper'")


def follow_ups(ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from ctx.tracker.diagnostics


RULES = (assignees, follow_ups)
