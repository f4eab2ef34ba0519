"""Where things are in an archive, and the fingerprint of its content.

Light on purpose: a warm run (answered from the cache) and `sikt --help` import this,
not the YAML loader or the model.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sikt_cli.errors import SiktError

MEMBERS_FILE = "medlemmar.yaml"
GOALS_FILE = "mal.yaml"
MINUTES_DIR = "protokoll"


class RootNotFound(SiktError):
    pass


def find_root(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The folder holding medlemmar.yaml: `explicit` if given, else walking up from `start`."""
    if explicit is not None:
        root = explicit.expanduser()
        if not root.is_dir():
            raise RootNotFound(
                f"Katalogen '{explicit}' finns inte.",
                "Ange arkivets katalog med --rot, den som innehåller medlemmar.yaml.",
            )
        if not (root / MEMBERS_FILE).is_file():
            raise RootNotFound(
                f"'{explicit}' innehåller ingen {MEMBERS_FILE}.",
                "Ange katalogen som innehåller medlemmar.yaml, eller skapa ett nytt arkiv.",
            )
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MEMBERS_FILE).is_file():
            return folder
    raise RootNotFound(
        f"Hittar ingen {MEMBERS_FILE} i '{here}' eller någon katalog ovanför.",
        "Gå till nätverkets arkiv (katalogen med medlemmar.yaml) eller ange det med --rot.",
    )


def rel_path(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")


def _fast_rel(root: Path, path: Path) -> str:
    """rel_path without resolving symlinks for the common case of root/protokoll/X.md
    (Path.resolve is the slowest step of a warm run over thousands of files)."""
    if path.parent.parent == root and path.parent.name == MINUTES_DIR:
        return f"{MINUTES_DIR}/{path.name}"
    return rel_path(root, path)


def minutes_files(root: Path) -> list[Path]:
    folder = root / MINUTES_DIR
    if not folder.is_dir():
        return []
    names = sorted(
        e.name for e in os.scandir(folder) if e.name.endswith(".md") and not e.name.startswith(".")
    )
    return [folder / n for n in names]


Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
RACY_NS = 2_000_000_000  # a file changed this close to when its digest was taken is re-read


def fingerprint(
    root: Path,
    extra_files: list[Path] | None = None,
    known: dict[str, tuple[Stat, str]] | None = None,
    taken_ns: int = 0,
) -> tuple[str, dict[str, tuple[Stat, str]], int]:
    """One hash of everything a validation depends on: every file's name and content.

    `known` maps a file to the stat and content digest seen at `taken_ns` (like git's
    index): a file whose stat is unchanged and older than that moment is not read again.
    Returns the hash, the map to remember and how many files had to be read. Plain
    strings, no Path objects: a warm run over ten thousand protokoll spends its time here.
    """
    known = known or {}
    base = str(root)
    named = [(MEMBERS_FILE, f"{base}/{MEMBERS_FILE}"), (GOALS_FILE, f"{base}/{GOALS_FILE}")]
    try:
        names = sorted(e.name for e in os.scandir(f"{base}/{MINUTES_DIR}"))
    except OSError:
        names = []
    named += [
        (f"{MINUTES_DIR}/{n}", f"{base}/{MINUTES_DIR}/{n}")
        for n in names
        if n.endswith(".md") and not n.startswith(".")
    ]
    named += [(rel_path(root, p), str(p)) for p in extra_files or []]
    h = hashlib.sha256()
    seen: dict[str, tuple[Stat, str]] = {}
    read = 0
    for rel, path in named:
        try:
            st = os.stat(path)  # noqa: PTH116 - str paths, see above
            stat: Stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            old = known.get(rel)
            if old is not None and old[0] == stat and max(stat[1], stat[2]) < taken_ns - RACY_NS:
                digest = old[1]
            else:
                with open(path, "rb") as f:  # noqa: PTH123 - a str path is cheaper here
                    digest = hashlib.sha256(f.read()).hexdigest()
                read += 1
            seen[rel] = (stat, digest)
            h.update(f"{rel}\0{digest}\0".encode("utf-8", "surrogateescape"))
        except OSError as exc:  # (a name that is not UTF-8 is kept as its own bytes)
            h.update(f"{rel}\0!{type(exc).__name__}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest(), seen, read
