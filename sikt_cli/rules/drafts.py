"""Drafts: what the secretary still has to fill in, as warnings on the right lines."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.body import FILL_IN
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext

_REQUIRED_IN_DRAFT = (
    ("sekreterare", "sekreterare", "sekreterarens id"),
    ("narvarande", "närvarolista", "de närvarandes id"),
    ("kommande", "nästa möte", "nästa mötes datum, t.ex. '- datum: 2020-10-02'"),
)


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
        for line, column in m.body.fill_in if m.body else ():
            yield diag(
                "SIKT503",
                m.rel,
                line,
                column,
                "Avsnittet är inte ifyllt ännu.",
                f"Skriv vad som sades och beslutades och ta bort '{FILL_IN}'.",
            )


RULES = (fill_in,)
