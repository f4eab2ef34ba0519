"""Where things are in an archive: its root, its data files and its protokoll.

Light on purpose: a warm run (answered from the cache) and `sikt --help` import this,
not the YAML loader or the model.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from sikt_cli.errors import SiktError
from sikt_cli.platform_names import case_twin, long_path_hint

MEMBERS_FILE = "medlemmar.yaml"
GOALS_FILE = "mal.yaml"
MINUTES_DIR = "protokoll"
# findings accepted with a reason (archive/accepted.py): reviewed like every other file
ACCEPTED_FILE = "godkanda-fynd.yaml"


class RootNotFound(SiktError):
    pass


def find_root(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The folder holding medlemmar.yaml: `explicit` if given, else walking up from `start`."""
    if explicit is not None:
        root = explicit.expanduser()
        if not root.is_dir():
            raise RootNotFound(
                f"Katalogen '{explicit}' finns inte.",
                long_path_hint(root)
                or "Ange arkivets katalog med --rot, den som innehåller medlemmar.yaml.",
            )
        if not (root / MEMBERS_FILE).is_file():
            raise RootNotFound(
                f"'{explicit}' innehåller ingen {MEMBERS_FILE}.",
                _members_hint(root)
                or "Ange katalogen som innehåller medlemmar.yaml, eller skapa ett nytt arkiv.",
            )
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MEMBERS_FILE).is_file():
            return folder
    raise RootNotFound(
        f"Hittar ingen {MEMBERS_FILE} i '{here}' eller någon katalog ovanför.",
        _members_hint(here)
        or "Gå till nätverkets arkiv (katalogen med medlemmar.yaml) eller ange det med --rot.",
    )


def _members_hint(folder: Path) -> str | None:
    """Why medlemmar.yaml was not found where the user is: it is written with capitals
    (found on Windows and macOS, not on Linux, e.g. in CI), or the path is too long."""
    twin = case_twin(folder / MEMBERS_FILE)
    if twin is not None:
        return (
            f"Här finns '{twin}', men filen ska heta {MEMBERS_FILE} med små bokstäver (på "
            f"Linux, t.ex. i CI, är det olika namn): git mv {twin} {MEMBERS_FILE}"
        )
    return long_path_hint(folder / MEMBERS_FILE)


def rel_path(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")


def fast_rel(root: Path, path: Path) -> str:
    """rel_path without resolving symlinks for the common case of root/protokoll/X.md
    (Path.resolve is the slowest step of a warm run over thousands of files)."""
    if path.parent.parent == root and path.parent.name == MINUTES_DIR:
        return f"{MINUTES_DIR}/{path.name}"
    return rel_path(root, path)


def is_minutes_name(name: str) -> bool:
    """Whether a name in protokoll/ is a protokoll the loader reads: `*.md` in lower case
    (a `.MD` is SIKT118's warning, never read), not hidden. The one definition."""
    return name.endswith(".md") and not name.startswith(".")


def minutes_files(root: Path) -> list[Path]:
    folder = root / MINUTES_DIR
    if not folder.is_dir():
        return []
    names = sorted(e.name for e in os.scandir(folder) if is_minutes_name(e.name))
    return [folder / n for n in names]


def minutes_path(root: Path, day: dt.date) -> Path:
    """Where the protokoll of the meeting on `day` lives: protokoll/YYYY-MM-DD.md."""
    return root / MINUTES_DIR / f"{day.isoformat()}.md"


def _listing(folder: str) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(folder))
    except OSError:
        return []


def archive_files(root: Path, extra_files: list[Path] | None = None) -> list[tuple[str, str]]:
    """(name relative to root, absolute path) of every file a validation depends on.

    Plain strings and `os.scandir`, no Path objects: a warm run over ten thousand protokoll
    spends its time here and in hashing them (cache.fingerprint).
    """
    base = str(root)
    named = [(MEMBERS_FILE, f"{base}/{MEMBERS_FILE}"), (GOALS_FILE, f"{base}/{GOALS_FILE}")]
    data = {MEMBERS_FILE, GOALS_FILE}
    # names that differ only in case count too: they are SIKT118 (archive/file_names.py)
    named += [(n, f"{base}/{n}") for n in _listing(base) if n.lower() in data and n not in data]
    named += [
        (f"{MINUTES_DIR}/{n}", f"{base}/{MINUTES_DIR}/{n}")
        for n in _listing(f"{base}/{MINUTES_DIR}")
        if n.lower().endswith(".md") and not n.startswith(".")
    ]
    named += [(rel_path(root, p), str(p)) for p in extra_files or []]
    return named
