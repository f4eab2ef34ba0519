"""Where a protokoll's `bilagor` are: each path checked before anything reads it.

A path in `bilagor` arrives in a pull request, so it names an attachment only when it is a
regular file inside the archive: no absolute path, no `..`, no link anywhere on the way
(each part is checked with lstat), no folder or device. All files together may be at most
MAX_BYTES: base64 makes a mail a third larger, and common mail servers refuse messages
over 20–25 MB. `sikt validera` reports a problem as SIKT119 (rules/attachments.py);
`sikt kallelse` and `sikt protokoll mejl` refuse with the same words
(services/attachments.py).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

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
        or PurePosixPath(rel).is_absolute()
        or PureWindowsPath(rel).is_absolute()
        or PureWindowsPath(rel).drive
        or any(p in ("..", ".") for p in parts)
    ):
        return f"bilagan '{rel}' ligger inte i arkivet.", _HINT_OUTSIDE
    path = root
    mode = 0
    for part in parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return (
                f"bilagan '{rel}' finns inte.",
                "Rätta sökvägen under 'bilagor' (från arkivets rot, med /), eller lägg in filen.",
            )
        if stat.S_ISLNK(mode):
            return (
                f"bilagan '{rel}' går via en symbolisk länk ({path.name}).",
                "Bilagor skickas bara från vanliga filer i arkivet; kopiera in filen.",
            )
    if not stat.S_ISREG(mode):
        return not_a_file(rel)
    return path


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
