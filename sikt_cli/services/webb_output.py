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

WRITERS = 2  # threads that write a new site's files
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


def write(plan: Plan, files: dict[str, bytes], staging: Staging | None = None) -> tuple[int, int]:
    """Write the site; (files created or replaced, files of the last build removed).
    `staging`: a new site's folder already partly filled (build_site stages the pages
    while Pagefind runs); it is completed and renamed into place, or removed on failure."""
    book = manifest({p: _sha(d) for p, d in files.items()})
    if not plan.previous:
        staged = staging or Staging(plan.folder)
        try:
            return staged.finish({**files, MANIFEST: book}), 0
        finally:
            staged.discard()
    return _write_over(plan, files, book)


class Staging:
    """A new (or empty) folder: the whole site is written into a fresh private folder beside
    it and renamed into place in one step, so there is never half a site, and thousands of
    files cost no flush each (a site is rebuilt from the archive, not kept like a protokoll)."""

    def __init__(self, folder: Path) -> None:
        import tempfile

        from sikt_cli.files import make_folder

        self.folder = folder
        self.staged: dict[str, bytes] = {}
        self.made: set[Path] = set()
        make_folder(folder.parent)
        try:
            self.path = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        except OSError as exc:
            raise Refused(
                f"{folder} kan inte skapas: {exc.strerror or exc}.",
                "Kontrollera sökvägen och att du har skrivrättighet där.",
            ) from exc

    def add(self, files: dict[str, bytes]) -> None:
        """Write the files into the private folder (again, where one changed); on two
        threads, as creating thousands of small files is mostly waiting on the kernel."""
        from concurrent.futures import ThreadPoolExecutor

        todo = [(p, d) for p, d in files.items() if self.staged.get(p) != d]
        try:
            for path, _ in todo:
                parent = (self.path / path).parent
                if parent not in self.made:
                    parent.mkdir(parents=True, exist_ok=True)
                    self.made.add(parent)
            with ThreadPoolExecutor(WRITERS) as pool:
                list(pool.map(self._write, todo, chunksize=64))
        except OSError as exc:
            raise self._failed(exc) from exc

    def _write(self, item: tuple[str, bytes]) -> None:
        path, data = item
        target = self.path / path
        if path in self.staged:  # our own file in our private folder, made again
            target.write_bytes(data)
        else:
            with target.open("xb") as f:
                f.write(data)
        self.staged[path] = data

    def adopt(self, files: dict[str, bytes]) -> None:
        """Files already written into the private folder by another program (Pagefind)."""
        self.staged.update(files)

    def finish(self, files: dict[str, bytes]) -> int:
        """The site complete and renamed into place; the number of files (manifest aside)."""
        self.add(files)
        try:
            for path in [p for p in self.staged if p not in files]:
                (self.path / path).unlink()
                del self.staged[path]
            self.path.chmod(0o755)
            if self.folder.is_dir():
                self.folder.rmdir()  # empty (plan checked it): only an empty folder is removed
            self.path.rename(self.folder)
        except OSError as exc:
            raise self._failed(exc) from exc
        return len(files) - 1

    def discard(self) -> None:
        """Remove the private folder unless it became the site."""
        import shutil

        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)

    def _failed(self, exc: OSError) -> Refused:
        return Refused(
            f"{self.folder} kunde inte skrivas: {exc.strerror or exc}. Inget skrevs.",
            "Kontrollera att katalogen är tom, att det finns plats och att du har skrivrättighet.",
        )


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
