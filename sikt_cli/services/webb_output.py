"""Where the web archive is written: a new or empty folder, or a site sikt built before.

A build leaves `.sikt-webb.json` in the folder: every file it wrote, with its SHA-256. A
rebuild replaces and removes only those files, and only while they are as sikt wrote them;
a folder with any other file, or with a file changed by hand, is refused before anything
is written, so a user's files are never replaced or deleted. The files are written all or
nothing through transaction.py (each one atomically, files.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.errors import Refused
from sikt_cli.render.site_render import MANIFEST, manifest

HINT = "Ange en ny eller tom katalog med --ut, eller en som sikt webb byggt förut."


@dataclass(slots=True)
class Plan:
    folder: Path
    previous: dict[str, str] = field(default_factory=dict)  # path → sha256 of the last build


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _present(folder: Path) -> list[str]:
    """Every entry under `folder` that is not a folder, as posix paths."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        for d in dirnames:
            if (here / d).is_symlink():
                out.append((here / d).relative_to(folder).as_posix())
        out += [(here / f).relative_to(folder).as_posix() for f in filenames]
    return sorted(out)


def _previous(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        if data.get("generator") != "sikt webb" or not isinstance(files, dict):
            raise ValueError
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Refused(
            f"{folder / MANIFEST} kan inte läsas; {folder} skrivs inte över.", HINT
        ) from exc


def plan(folder: Path) -> Plan:
    """Refuse a folder sikt may not write into; else what the last build left there."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise Refused(f"{folder} finns och är inte en katalog.", HINT)
    if not folder.exists():
        return Plan(folder)
    present = _present(folder)
    if not present:
        return Plan(folder)
    if MANIFEST not in present:
        raise Refused(
            f"{folder} innehåller redan filer ({present[0]}) och är ingen webbplats från "
            "sikt webb; inget skrevs.",
            HINT,
        )
    previous = _previous(folder)
    foreign = [p for p in present if p != MANIFEST and p not in previous]
    if foreign:
        raise Refused(
            f"{folder} innehåller {len(foreign)} filer som sikt webb inte skrivit "
            f"(t.ex. {foreign[0]}); inget skrevs.",
            "Flytta dem därifrån, eller bygg i en ny katalog med --ut.",
        )
    for path, sha in previous.items():
        target = folder / path
        if target.is_file() and _sha(target.read_bytes()) != sha:
            raise Refused(
                f"{target} har ändrats sedan sikt webb skrev den; inget skrevs.",
                "Flytta filen därifrån (ändringen går annars förlorad) och bygg igen.",
            )
    return Plan(folder, previous)


def write(plan: Plan, files: dict[str, bytes]) -> tuple[int, int]:
    """Write the site; (files created or replaced, files of the last build removed)."""
    book = manifest({p: _sha(d) for p, d in files.items()})
    if not plan.previous:
        return _write_new(plan.folder, {**files, MANIFEST: book}), 0
    return _write_over(plan, files, book)


def _write_new(folder: Path, files: dict[str, bytes]) -> int:
    """A new (or empty) folder: the whole site is written into a fresh private folder beside
    it and renamed into place in one step, so there is never half a site, and thousands of
    files cost no flush each (a site is rebuilt from the archive, not kept like a protokoll)."""
    import shutil
    import tempfile

    from sikt_cli.files import make_folder

    make_folder(folder.parent)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise Refused(
            f"{folder} kan inte skapas: {exc.strerror or exc}.",
            "Kontrollera sökvägen och att du har skrivrättighet där.",
        ) from exc
    try:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as f:
                f.write(data)
        staging.chmod(0o755)
        if folder.is_dir():
            folder.rmdir()  # empty (plan checked it): only an empty folder is ever removed
        staging.rename(folder)
    except OSError as exc:
        raise Refused(
            f"{folder} kunde inte skrivas: {exc.strerror or exc}. Inget skrevs.",
            "Kontrollera att katalogen är tom, att det finns plats och att du har skrivrättighet.",
        ) from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return len(files) - 1


def _write_over(plan: Plan, files: dict[str, bytes], book: bytes) -> tuple[int, int]:
    """Over a previous build: only changed files, through the transaction (all or none)."""
    from sikt_cli.transaction import Transaction

    folder = plan.folder
    tx = Transaction()
    written = 0
    for path, data in sorted(files.items()):
        target = folder / path
        if path in plan.previous and target.is_file():
            old = target.read_bytes()
            if old != data:
                tx.replace(target, data, expected=old)
                written += 1
        else:
            tx.create(target, data)
            written += 1
    if (folder / MANIFEST).is_file():
        tx.replace(folder / MANIFEST, book, expected=(folder / MANIFEST).read_bytes())
    else:
        tx.create(folder / MANIFEST, book)
    tx.commit()
    return written, _remove_stale(folder, plan.previous, files)


def _remove_stale(folder: Path, previous: dict[str, str], files: dict[str, bytes]) -> int:
    """Remove what the last build wrote and this one did not, if still as sikt wrote it."""
    removed = 0
    for path, sha in sorted(previous.items()):
        target = folder / path
        if path in files or not target.is_file() or target.is_symlink():
            continue
        if _sha(target.read_bytes()) == sha:
            target.unlink()
            removed += 1
            _prune(target.parent, folder)
    return removed


def _prune(folder: Path, top: Path) -> None:
    """Remove folders left empty by `_remove_stale`, up to the site's root."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
