"""Accepted findings: godkanda-fynd.yaml applied to the findings of a validation.

Only a warning in a justerat protokoll can be accepted: anything else can be fixed (a
draft is edited, an error in a justerat protokoll is corrected with `sikt protokoll
rätta`). An entry that no longer matches any finding is reported (SIKT520), so the file
never keeps stale entries that would hide a later, different finding.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from sikt_cli.archive.accepted import Acceptance, fingerprint
from sikt_cli.archive.layout import ACCEPTED_FILE
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Accepted, Diagnostic


def line_of(d: Diagnostic, sources: Mapping[str, list[str]]) -> str:
    lines = sources.get(d.file) or []
    return lines[d.line - 1] if 0 < d.line <= len(lines) else ""


def apply(
    diags: Iterable[Diagnostic],
    entries: list[Acceptance],
    *,
    sources: Mapping[str, list[str]],
    statuses: Mapping[str, str | None],
    scope: Collection[str] | None,
) -> tuple[list[Diagnostic], list[Accepted]]:
    """The findings still to report (with the entries' own problems) and the accepted ones.

    `statuses` maps each protokoll to its status; `scope` (the files chosen on the
    command line, None for all) limits which entries can be reported as stale.
    """
    by_key: dict[tuple[str, str, str], Acceptance] = {}
    out: list[Diagnostic] = []
    for e in entries:
        if statuses.get(e.fil) != "justerat":
            out.append(_not_acceptable(e, _why_not(e, statuses)))
        else:
            by_key.setdefault(e.key, e)
    accepted: list[Accepted] = []
    used: set[tuple[str, str, str]] = set()
    for d in diags:
        key = (d.code, d.file, fingerprint(d.code, d.message, line_of(d, sources)))
        entry = by_key.get(key)
        if entry is None:
            out.append(d)
        elif d.is_error:
            out += [d, _not_acceptable(entry, f"{d.code} är ett fel, inte en varning")]
            used.add(key)
        else:
            accepted.append(Accepted(d, entry.motivering, entry.line))
            used.add(key)
    for key, e in by_key.items():
        if key not in used and (scope is None or e.fil in scope):
            out.append(_stale(e))
    return out, accepted


def _why_not(e: Acceptance, statuses: Mapping[str, str | None]) -> str:
    if e.fil not in statuses:
        return f"{e.fil} är inget protokoll i arkivet"
    return f"{e.fil} är inte justerat (status: {statuses[e.fil] or 'okänd'})"


def _not_acceptable(e: Acceptance, why: str) -> Diagnostic:
    return diag(
        "SIKT521",
        ACCEPTED_FILE,
        e.line,
        e.column,
        f"Fyndet {e.kod} i {e.fil} kan inte godkännas: {why}.",
        "Bara varningar i justerade protokoll godkänns. Rätta fyndet i stället och ta bort posten.",
    )


def _stale(e: Acceptance) -> Diagnostic:
    return diag(
        "SIKT520",
        ACCEPTED_FILE,
        e.line,
        e.column,
        f"Det godkända fyndet {e.kod} i {e.fil} finns inte längre: det har rättats eller ändrats.",
        "Ta bort posten. Kan det ändrade fyndet inte heller rättas, godkänn det på nytt med "
        f"'sikt validera {e.fil} --godkann {e.kod} --motivering \"…\"'.",
    )
