"""`sikt validera FIL --godkann KOD --motivering "…"`: an entry in godkanda-fynd.yaml for
a warning in a justerat protokoll (rules/accepted.py applies the file to a validation)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sikt_cli.archive.accepted import fingerprint, load_acceptances
from sikt_cli.archive.layout import ACCEPTED_FILE, rel_path
from sikt_cli.codes import CODES
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.errors import Refused, UsageError
from sikt_cli.rules.accepted import line_of
from sikt_cli.text import did_you_mean

_HEADER = """\
# Fynd som 'sikt validera' räknar som godkända i stället för att visa dem: varningar i
# justerade (låsta) protokoll som inte kan rättas. Varje post har en motivering och
# granskas i pull requesten som alla andra ändringar. En post läggs till med
#   sikt validera protokoll/ÅÅÅÅ-MM-DD.md --godkann KOD --motivering "…"
# och gäller bara så länge fyndet är detsamma (fingeravtryck). Se docs/filformat.md.
godkanda:
"""


@dataclass(frozen=True, slots=True)
class Acceptances:
    """What `--godkann` wrote: the findings, and the lines of their entries."""

    path: Path
    findings: tuple[Diagnostic, ...]
    first_line: int
    last_line: int
    created: bool


def accept(root: Path, paths: list[Path], code: str, reason: str) -> Acceptances:
    """Write an entry to godkanda-fynd.yaml for every finding `code` in the protokoll `paths`."""
    from sikt_cli.services.validate import validate

    code, reason = _check_request(code, reason, paths)
    rels = [rel_path(root, p) for p in paths]
    result = validate(root, paths)
    statuses = result_statuses(root, rels)
    for rel in rels:
        if statuses.get(rel) != "justerat":
            raise Refused(
                f"{rel} är inte ett justerat protokoll"
                + (f" (status: {statuses[rel]})" if statuses.get(rel) else "")
                + "; fynd där kan rättas och godkänns inte.",
                "Rätta fyndet i filen. Bara varningar i justerade (låsta) protokoll godkänns.",
            )
    found = [d for d in result.diagnostics if d.code == code and d.file in rels]
    already = [
        a for a in result.accepted if a.diagnostic.code == code and a.diagnostic.file in rels
    ]
    if not found and already:
        raise Refused(
            f"{code} i {already[0].diagnostic.file} är redan godkänt "
            f"({ACCEPTED_FILE}, rad {already[0].line}).",
            "Inget att göra. Ändras fyndet slutar posten gälla, och 'sikt validera' säger till.",
        )
    if not found:
        others = sorted({d.code for d in result.diagnostics if d.file in rels})
        raise Refused(
            f"Inget fynd {code} att godkänna i {', '.join(rels)}.",
            ("Fynden där: " + ", ".join(others) + "." if others else "Filen har inga fynd.")
            + " Redan godkända fynd räknas i sammanfattningen av 'sikt validera'.",
        )
    if any(d.is_error for d in found):
        raise Refused(
            f"{code} är ett fel och kan inte godkännas.",
            "Rätta ett justerat protokoll med 'sikt protokoll rätta DATUM --skal \"…\"'.",
        )
    return _write(root, found, reason, result.sources)


def _check_request(code: str, reason: str, paths: list[Path]) -> tuple[str, str]:
    code = code.strip().upper()
    if code not in CODES:
        guess = did_you_mean(code, list(CODES))
        raise UsageError(
            f"'{code}' är ingen känd kod.",
            (f"Menade du '{guess}'? " if guess else "") + "Koderna står i docs/diagnostik.md.",
        )
    if not " ".join(reason.split()):
        raise UsageError(
            "--godkann kräver en motivering.",
            'Skriv varför fyndet inte kan rättas: --motivering "Källan nämner inte Götene."',
        )
    if not paths:
        raise UsageError(
            "Ange protokollet vars fynd ska godkännas.",
            f'T.ex. sikt validera protokoll/2020-06-05.md --godkann {code} --motivering "…"',
        )
    return code, " ".join(reason.split())


def result_statuses(root: Path, rels: Iterable[str]) -> dict[str, str | None]:
    """The status of each named protokoll (None: unreadable); absent names are left out."""
    from sikt_cli.archive.documents import minutes_document
    from sikt_cli.errors import SiktError

    out: dict[str, str | None] = {}
    for rel in rels:
        path = root / rel
        if not rel.endswith(".md") or not path.is_file():
            continue
        try:
            _, fm = minutes_document(path.read_bytes(), path)
        except (SiktError, OSError):
            out[rel] = None
            continue
        status = fm.data.get("status")
        out[rel] = status if isinstance(status, str) else None
    return out


def _entry(d: Diagnostic, reason: str, sources: Mapping[str, list[str]]) -> list[str]:
    from sikt_cli.importers.yaml_text import scalar

    return [
        f"  - kod: {d.code}",
        f"    fil: {scalar(d.file)}",
        f"    fingeravtryck: {fingerprint(d.code, d.message, line_of(d, sources))}",
        f"    meddelande: {scalar(d.message)}",
        f"    motivering: {scalar(reason)}",
    ]


def _write(
    root: Path, found: list[Diagnostic], reason: str, sources: Mapping[str, list[str]]
) -> Acceptances:
    from sikt_cli.files import create, replace_atomically

    path = root / ACCEPTED_FILE
    lines = [line for d in found for line in _entry(d, reason, sources)]
    if not path.exists():
        text = _HEADER + "\n".join(lines) + "\n"
        create(path, text)
        first = _HEADER.count("\n") + 1
        return Acceptances(path, tuple(found), first, first + len(lines) - 1, True)
    old = path.read_bytes()
    _require_appendable(root, old)
    head = old if old.endswith(b"\n") else old + b"\n"
    new = head + ("\n".join(lines) + "\n").encode("utf-8")
    replace_atomically(path, new, expected=old)
    first = head.count(b"\n") + 1
    return Acceptances(path, tuple(found), first, first + len(lines) - 1, False)


def _require_appendable(root: Path, old: bytes) -> None:
    """Appending works when the file is valid and ends in its block list of entries."""
    _, problems = load_acceptances(root)
    errors = [d for d in problems if d.is_error]
    text = old.decode("utf-8", "replace")
    last = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    block = bool(last) and (last[-1].startswith("  ") or last[-1].rstrip() == "godkanda:")
    if errors or not block:
        where = f" (rad {errors[0].line}: {errors[0].message})" if errors else ""
        raise Refused(
            f"{ACCEPTED_FILE} kan inte utökas{where}.",
            "Rätta filen så att 'godkanda:' är en lista med en '  - kod: …' per post sist i "
            "filen (se docs/filformat.md), och försök igen.",
        )
