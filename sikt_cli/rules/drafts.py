"""Drafts: what the secretary still has to fill in, as warnings on the right lines."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive import Archive
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.meeting import FILL_IN

_REQUIRED_IN_DRAFT = (
    ("sekreterare", "sekreterare", "sekreterarens id"),
    ("narvarande", "närvarolista", "de närvarandes id"),
    ("kommande", "nästa möte", "nästa mötes datum, t.ex. '- datum: 2020-10-02'"),
)


def fill_in(archive: Archive) -> Iterator[Diagnostic]:
    for m in archive.minutes:
        if m.status not in ("utkast", "justerat"):
            continue
        for key, what, example in _REQUIRED_IN_DRAFT:
            if m.status == "utkast" and not m.doc.data.get(key):  # justerat: SIKT502
                pos = m.doc.key_pos.get((key,)) or m.doc.pos("status")
                yield diag("SIKT503", m.rel, pos.line, pos.column,
                           f"Protokollet saknar {what} ('{key}').",
                           f"Fyll i {example}.")
        lines = archive.sources.get(m.rel, [])
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), 0)
        for i in range(closing + 1, len(lines)):
            col = lines[i].find(FILL_IN)
            if col >= 0:
                yield diag("SIKT503", m.rel, i + 1, col + 1,
                           "Avsnittet är inte ifyllt ännu.",
                           f"Skriv vad som sades och beslutades och ta bort '{FILL_IN}'.")


RULES = (fill_in,)
