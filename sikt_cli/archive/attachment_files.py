"""Where a protokoll's `bilagor` are: each path checked before anything reads it.

A path in `bilagor` arrives in a pull request, so it names an attachment only when it is a
regular file inside the archive: no absolute path, no `..`, no link anywhere on the way
(each part is checked with lstat), no folder or device. All files together may be at most
MAX_BYTES: base64 makes a mail a third larger, and common mail servers refuse messages
over 20–25 MB. `sikt validera` reports a problem as SIKT119 (check_attachments, on every
run, outside the result cache: the attachments are not protokoll, so a file removed, moved
or grown since the last run changes no fingerprint the cache sees; a stat per path, nothing
read, and nothing imported that a warm run does not already need); `sikt kallelse` and
`sikt protokoll mejl` refuse with the same words (services/attachments.py).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.os_errors import hint, reason
from sikt_cli.platform_names import case_twin

if TYPE_CHECKING:
    from sikt_cli.archive.model import Minutes

MAX_BYTES = 10 * 1024 * 1024
Problem = tuple[str, str]  # (what is wrong, how to fix it)

_HINT_OUTSIDE = "Lägg filen i arkivet (t.ex. i bilagor/) och skriv sökvägen från arkivets rot."


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def locate(root: Path, rel: str) -> Path | Problem:
    """The path of `rel` under `root`, each part checked; or what is wrong with it."""
    parts = PurePosixPath(rel).parts
    if (
        not rel.strip()
        or "\\" in rel
        or "\0" in rel
        or PurePosixPath(rel).is_absolute()
        or PureWindowsPath(rel).is_absolute()
        or PureWindowsPath(rel).drive
        or any(p in ("..", ".") for p in parts)
    ):
        return f"bilagan '{rel}' ligger inte i arkivet.", _HINT_OUTSIDE
    hidden = next((p for p in parts if p.startswith(".")), None)
    if hidden is not None:  # .git/config may hold a token; .sikt-cache/ is the tool's
        return (
            f"bilagan '{rel}' ligger i en dold fil eller mapp ({hidden}).",
            "Bilagor skickas bara från synliga filer i arkivet, t.ex. i bilagor/; git:s och "
            "sikts egna filer skickas aldrig.",
        )
    path = root
    mode = 0
    for i, part in enumerate(parts):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError as exc:
            actual = _as_named(path.parent, parts[i:]) if exc.errno == errno.ENOENT else None
            if actual is not None:  # `Bilagor/x.pdf`: found on Windows and macOS, not in CI
                return _other_case(rel, "/".join((*parts[:i], *actual)))
            return _unreadable(rel, exc)
        if stat.S_ISLNK(mode):
            return (
                f"bilagan '{rel}' går via en symbolisk länk ({path.name}).",
                "Bilagor skickas bara från vanliga filer i arkivet; kopiera in filen.",
            )
    if not stat.S_ISREG(mode):
        return not_a_file(rel)
    return path


def _as_named(folder: Path, parts: tuple[str, ...]) -> list[str] | None:
    """`parts` under `folder` as the files are really named, each found with another case
    (or Unicode form) where the exact name is missing; None when one is not there at all."""
    out: list[str] = []
    for part in parts:
        path = folder / part
        name = part if os.path.lexists(path) else case_twin(path)
        if name is None:
            return None
        out.append(name)
        folder = folder / name
    return out


def _other_case(rel: str, actual: str) -> Problem:
    return (
        f"bilagan '{rel}' finns inte; i arkivet heter den '{actual}'.",
        "Skriv namnet med samma stora och små bokstäver som filen: Linux (och CI) skiljer på "
        "dem, Windows och macOS gör det inte.",
    )


def _unreadable(rel: str, exc: OSError) -> Problem:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return (
            f"bilagan '{rel}' finns inte.",
            "Rätta sökvägen under 'bilagor' (från arkivets rot, med /), eller lägg in filen.",
        )
    return f"bilagan '{rel}' kan inte läsas: {reason(exc)}.", hint(exc)


def not_a_file(rel: str) -> Problem:
    return (
        f"bilagan '{rel}' är inte en vanlig fil.",
        "Ange en fil, inte en mapp eller annan sorts fil.",
    )


def too_large(rel: str, size: int) -> Problem:
    return (
        f"bilagan '{rel}' ({megabytes(size)}) får inte plats: bilagorna får vara högst "
        f"{megabytes(MAX_BYTES)} tillsammans.",
        "Lägg filen i Teams eller på en delad yta och skriv länken i protokollets text i "
        "stället, eller ta bort den ur 'bilagor'.",
    )


# (protokoll file, line, column, the path as written)
AttachmentRef = tuple[str, int, int, str]


def attachment_refs(minutes: list[Minutes]) -> list[AttachmentRef]:
    """Every `bilagor` entry of the protokoll, with its position, for check_attachments."""
    out: list[AttachmentRef] = []
    for m in minutes:
        for i, rel in zip(m.bilagor_nr, m.bilagor, strict=True):
            pos = m.doc.pos("bilagor", i)
            out.append((m.rel, pos.line, pos.column, str(rel)))
    return out


def _finding(rel: str, line: int, column: int, problem: Problem) -> Diagnostic:
    message, hint = problem
    return diag("SIKT119", rel, line, column, message[:1].upper() + message[1:], hint)


def check_attachments(root: Path, refs: list[AttachmentRef]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    totals: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for rel, line, column, name in refs:
        if (rel, name) in seen:  # the same file twice is sent once
            continue
        seen.add((rel, name))
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
