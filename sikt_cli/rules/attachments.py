"""SIKT119: every path under a protokoll's `bilagor` names a file that can be sent.

Checked on every run, outside the result cache: the attachments are not protokoll, so a
file removed, moved or grown since the last run changes no fingerprint the cache sees.
A stat per path; nothing is read.
"""

from __future__ import annotations

from pathlib import Path

from sikt_cli.archive.attachment_files import MAX_BYTES, Problem, locate, too_large
from sikt_cli.archive.model import Minutes
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic

# (protokoll file, line, column, the path as written)
AttachmentRef = tuple[str, int, int, str]


def attachment_refs(minutes: list[Minutes]) -> list[AttachmentRef]:
    """Every `bilagor` entry of the protokoll, with its position, for check_attachments."""
    out: list[AttachmentRef] = []
    for m in minutes:
        for i, rel in enumerate(m.bilagor):
            pos = m.doc.pos("bilagor", i)
            out.append((m.rel, pos.line, pos.column, str(rel)))
    return out


def _finding(rel: str, line: int, column: int, problem: Problem) -> Diagnostic:
    message, hint = problem
    return diag("SIKT119", rel, line, column, message[:1].upper() + message[1:], hint)


def check_attachments(root: Path, refs: list[AttachmentRef]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    totals: dict[str, int] = {}
    for rel, line, column, name in refs:
        found = locate(root, name)
        if not isinstance(found, Path):
            out.append(_finding(rel, line, column, found))
            continue
        try:
            size = found.stat().st_size
        except OSError:  # removed between the two calls: reported on the next run
            continue
        totals[rel] = totals.get(rel, 0) + size
        if totals[rel] > MAX_BYTES:
            out.append(_finding(rel, line, column, too_large(name, size)))
    return out
