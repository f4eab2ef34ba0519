"""Drafts: what the secretary still has to fill in, as warnings on the right lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sikt_cli.archive.body import FILL_IN, WHAT_HAPPENED, Task
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext, per_protokoll

_REQUIRED_IN_DRAFT = (
    ("sekreterare", "sekreterare", "sekreterarens id"),
    ("narvarande", "närvarolista", "de närvarandes id"),
    ("kommande", "nästa möte", "nästa mötes datum, t.ex. '- datum: 2020-10-02'"),
)


@per_protokoll
def fill_in(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        if m.status not in ("utkast", "justerat"):
            continue
        for key, what, example in _REQUIRED_IN_DRAFT:
            given = {
                "sekreterare": m.sekreterare,
                "narvarande": m.narvarande,
                "kommande": m.kommande,
            }[key]
            if (key,) in m.doc.misspelt:
                continue  # SIKT109 on the misspelt key (`närvarande`) is the one finding
            if m.status == "utkast" and not given:  # justerat: SIKT502
                pos = m.doc.key_pos.get((key,)) or m.doc.pos("status")
                yield diag(
                    "SIKT503",
                    m.rel,
                    pos.line,
                    pos.column,
                    f"Protokollet saknar {what} ('{key}').",
                    f"Fyll i {example}.",
                )
        follow_ups = {t.line: t for t in m.body.tasks if _UNTOLD.match(t.text)} if m.body else {}
        for task in follow_ups.values():
            yield _untold(m.rel, task)
        for line, column in m.body.fill_in if m.body else ():
            if line in follow_ups:
                continue
            yield diag(
                "SIKT503",
                m.rel,
                line,
                column,
                "Avsnittet är inte ifyllt ännu.",
                f"Skriv vad som sades och beslutades och ta bort '{FILL_IN}'.",
            )


# a follow-up line as `sikt protokoll ny` writes it: the uppdrag's ID, then FYLL I
_UNTOLD = re.compile(rf"^(\d{{4}}-\d{{2}}-\d{{2}}#\d+)\s+{FILL_IN}\b")


def _untold(rel: str, task: Task) -> Diagnostic:
    m = _UNTOLD.match(task.text)
    assert m is not None
    ident = m.group(1)
    return diag(
        "SIKT408",
        rel,
        task.line,
        task.column,
        f"Uppföljningen av {ident} säger inte vad som hände.",
        f"Skriv vad som hänt i stället för '{FILL_IN}: {WHAT_HAPPENED}', och kryssa i [x] om "
        f"uppdraget är klart. Vad uppdraget gäller: sikt uppdrag visa {ident}",
    )


RULES = (fill_in,)
