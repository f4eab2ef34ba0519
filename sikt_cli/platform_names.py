"""File names as Windows and macOS see them: case-insensitive comparison, case twins, and
the path length Windows allows without long paths. Functions, so that tests can simulate
Windows on any machine."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path


def on_windows() -> bool:
    """Whether paths follow Windows' rules (a function, so that tests can simulate it)."""
    return os.name == "nt"


def name_key(name: str) -> str:
    """A file name as a case-insensitive file system compares it (Windows' NTFS, macOS'
    APFS by default): case folded, and composed (macOS also equates NFC and NFD å)."""
    return unicodedata.normalize("NFC", name).casefold()


def case_twin(path: Path) -> str | None:
    """Another name in `path`'s folder that is `path`'s name but for case (or Unicode form):
    on Windows and macOS the two are one file, and a checkout there keeps only one."""
    try:
        names = [p.name for p in path.parent.iterdir()]
    except OSError:
        return None
    key = name_key(path.name)
    return next((n for n in sorted(names) if n != path.name and name_key(n) == key), None)


WINDOWS_MAX_PATH = 260  # characters including the terminating NUL: a path can have 259


def long_path_hint(path: Path) -> str | None:
    """What to do when `path` is longer than Windows allows without long paths; None when
    it is not (or this is not Windows)."""
    if not on_windows():
        return None
    length = len(os.path.abspath(path))  # noqa: PTH100 - the length Windows counts
    if length < WINDOWS_MAX_PATH:
        return None
    return (
        f"Sökvägen är {length} tecken lång; Windows klarar högst {WINDOWS_MAX_PATH - 1} om "
        "inte långa sökvägar är påslagna. Flytta arkivet till en kortare sökväg (t.ex. "
        "C:\\sikt), eller be IT slå på LongPathsEnabled och kör "
        "'git config --global core.longpaths true'."
    )
