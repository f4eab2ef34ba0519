"""File names that work on Linux but not on Windows and macOS, or the other way round.

Windows (NTFS) and macOS (APFS, by default) compare names without case: `2020-06-05.md`
and `2020-06-05.MD` are one file there, and a checkout keeps only one of them; Linux (and
CI) keeps both. sikt reads the names exactly (`medlemmar.yaml`, `mal.yaml`, `*.md`), on
every platform, so a name with capitals is found on a laptop and not in CI, or never read.
Each such name is a SIKT118 warning saying which, and the rename that fixes it.
"""

from __future__ import annotations

import os
from pathlib import Path

from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE, MINUTES_DIR
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.platform_names import name_key

_SAME = "skiljer sig bara i stora och små bokstäver"
_UNREAD = "och filen läses inte: sikt läser bara protokoll som slutar på '.md' med små bokstäver"
_CI_ONLY = "det namn sikt läser: filen hittas på Windows och macOS men inte på Linux (t.ex. i CI)"


def case_findings(root: Path) -> list[Diagnostic]:
    """SIKT118 for the data files and the protokoll whose names collide or are not read."""
    return [*_data_files(root), *_minutes(root)]


def _names(folder: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(folder) if not e.name.startswith("."))
    except OSError:
        return []


def _groups(names: list[str]) -> list[list[str]]:
    """Names that are one name on Windows and macOS, each group in sorted order."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name_key(name), []).append(name)
    return list(groups.values())


def _twin(rel: str, name: str, kept: str) -> Diagnostic:
    """`name` beside `kept`, the one sikt reads: one of them is lost on Windows and macOS."""
    return diag(
        "SIKT118",
        rel,
        0,
        0,
        f"'{name}' och '{kept}' {_SAME}: på Windows och macOS är de samma fil, och en "
        f"utcheckning där får bara den ena. sikt läser '{kept}'.",
        f"För över det som ska vara kvar till '{kept}' och ta bort den andra: git rm {rel}",
    )


def _wrong_case(rel: str, wanted: str, effect: str) -> Diagnostic:
    """A name that sikt does not read as written: it reads exactly `wanted`."""
    return diag(
        "SIKT118",
        rel,
        0,
        0,
        f"Filnamnet '{rel}' {_SAME} från '{wanted}', {effect}.",
        f"Döp om filen: git mv {rel} {wanted}",
    )


def _data_files(root: Path) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    names = _names(root)
    for wanted in (MEMBERS_FILE, GOALS_FILE):
        variants = [n for n in names if name_key(n) == name_key(wanted) and n != wanted]
        if not variants:
            continue
        kept = wanted if wanted in names else variants.pop(0)
        if kept != wanted:
            out.append(_wrong_case(kept, wanted, _CI_ONLY))
        out += [_twin(n, n, kept) for n in variants]
    return out


def _minutes(root: Path) -> list[Diagnostic]:
    folder = root / MINUTES_DIR
    if folder.is_symlink():
        return []
    out: list[Diagnostic] = []
    for group in _groups(_names(folder)):
        read = [n for n in group if n.endswith(".md")]
        kept = (read or group)[0]
        out += [_twin(f"{MINUTES_DIR}/{n}", n, kept) for n in group if n != kept]
        stem, dot, suffix = kept.rpartition(".")
        if not read and dot and suffix.lower() == "md":
            out.append(_wrong_case(f"{MINUTES_DIR}/{kept}", f"{MINUTES_DIR}/{stem}.md", _UNREAD))
    return out
