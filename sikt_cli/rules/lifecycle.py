"""Lifecycle: the file name matches the date, one protokoll per date, a justerat protokoll
is complete."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext, per_protokoll


@per_protokoll
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


@per_protokoll
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


def unique_dates(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Two protokoll with the same `datum` (a copied file whose date was not changed) would
    give the same uppdrag IDs; the uppdrag of both are left out until one is corrected."""
    by_date: dict[str, list[str]] = {}
    for m in ctx.archive.minutes:
        if m.datum is not None:
            by_date.setdefault(m.datum.isoformat(), []).append(m.rel)
    for m in ctx.archive.minutes:
        if m.datum is None or len(by_date[m.datum.isoformat()]) < 2:
            continue
        others = ", ".join(r for r in by_date[m.datum.isoformat()] if r != m.rel)
        pos = m.doc.pos("datum")
        yield diag(
            "SIKT508",
            m.rel,
            pos.line,
            pos.column,
            f"Protokollet har samma datum ({m.datum.isoformat()}) som {others}; deras "
            "uppdrag räknas inte förrän det är rättat.",
            "Varje möte har ett protokoll: rätta 'datum' (och filnamnet) i kopian, eller ta "
            "bort den.",
        )


RULES = (file_name, unique_dates, approved_complete)
