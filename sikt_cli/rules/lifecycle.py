"""Lifecycle: the file name matches the date; a justerat protokoll is complete."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext


def file_name(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        if m.datum is None:
            continue
        if m.file_date != m.datum.isoformat():
            pos = m.doc.pos("datum")
            hint = (
                f"Döp om filen till protokoll/{m.datum.isoformat()}.md eller rätta datum."
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.file_date)
                else f"Protokoll heter ÅÅÅÅ-MM-DD.md: döp om filen till {m.datum.isoformat()}.md."
            )
            yield diag(
                "SIKT113",
                m.rel,
                pos.line,
                pos.column,
                f"Filnamnet '{m.path.name}' stämmer inte med datum {m.datum.isoformat()}.",
                hint,
            )


def approved_complete(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        if m.status != "justerat":
            continue
        pos = m.doc.pos("status")
        for present, what, key in (
            (m.ordforande, "ordförande", "ordforande"),
            (m.sekreterare, "sekreterare", "sekreterare"),
            (m.narvarande, "närvarolista", "narvarande"),
        ):
            if not present:
                yield diag(
                    "SIKT502",
                    m.rel,
                    pos.line,
                    pos.column,
                    f"Protokollet är justerat men saknar {what} ('{key}').",
                    f"Fyll i '{key}' eller sätt 'status: utkast' tills protokollet är klart.",
                )


RULES = (file_name, approved_complete)
