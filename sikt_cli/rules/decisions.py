"""Checks on the decision log: a decision can only supersede an earlier, real decision."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext
from sikt_cli.text import did_you_mean


def supersedes(ctx: RuleContext) -> Iterator[Diagnostic]:
    """`ersatter` names a decision that exists (SIKT310) and was taken earlier (SIKT311)."""
    records = ctx.decisions()
    by_id = {d.id: d for d in records}
    for d in records:
        if d.supersedes is None:
            continue
        target = by_id.get(d.supersedes)
        if target is None:
            guess = did_you_mean(d.supersedes, [r.id for r in records if r.meeting < d.meeting])
            yield diag(
                "SIKT310",
                d.file,
                d.supersedes_line,
                d.supersedes_column,
                f"Beslutet ersätter '{d.supersedes}', men inget beslut har det id:t.",
                (f"Menade du '{guess}'? " if guess else "")
                + "Ett besluts id är mötets datum och beslutets nummer i listan 'beslut', "
                "t.ex. 2020-06-05#b1 (se 'sikt beslut').",
            )
        elif target.meeting >= d.meeting:
            yield diag(
                "SIKT311",
                d.file,
                d.supersedes_line,
                d.supersedes_column,
                f"Beslutet ersätter '{d.supersedes}' från mötet {target.meeting}; ett beslut kan "
                "bara ersätta beslut från tidigare möten.",
                "Skriv id:t för ett beslut från ett tidigare möte, eller ta bort 'ersatter'. Ska "
                "det andra beslutet ersätta det här, skriv 'ersatter' i det i stället.",
            )


RULES = (supersedes,)
