"""`sikt importera`: old minutes (Word, Markdown, text) → draft protokoll files.

Every file of a run is imported and rendered before anything is written; a file that
cannot be imported is reported with its reason and the others go on. New protokoll are
created with files.create (never over an existing file) and medlemmar.yaml is changed
only through files.replace_atomically(expected=...), with the rest of it byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sikt_cli.archive.layout import MEMBERS_FILE, minutes_path, rel_path
from sikt_cli.errors import SiktError, UsageError
from sikt_cli.files import create, replace_atomically
from sikt_cli.os_errors import reason

if TYPE_CHECKING:
    from sikt_cli.importers.people import People, Person
    from sikt_cli.importers.pipeline import Defaults

SOURCE_SUFFIXES = (".docx", ".md", ".markdown", ".txt", ".doc")


@dataclass(slots=True)
class FileResult:
    source: str
    target: str | None = None
    text: str | None = None
    error: str | None = None
    hint: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    written: bool = False


@dataclass(slots=True)
class ImportRun:
    files: list[FileResult]
    proposed: list[tuple[str, str, str, str]]  # (id, namn, kommun, source)
    members_changed: bool = False
    dry_run: bool = False

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]


def _in_an_archive(path: Path) -> bool:
    """A protokoll of an archive already (protokoll/ beside a medlemmar.yaml)."""
    return path.parent.name == "protokoll" and (path.parent.parent / MEMBERS_FILE).is_file()


def source_files(paths: list[Path]) -> list[Path]:
    """The files named, and in a folder every file of a type sikt imports (sorted)."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SOURCE_SUFFIXES
                and not f.name.startswith(("~$", "."))  # Word's lock files, hidden files
                and not _in_an_archive(f)
            )
        elif p.is_file():
            found.append(p)
        elif p.exists():  # a FIFO or a device: reading it could wait forever
            raise UsageError(f"'{p}' är ingen vanlig fil.", "Ange protokollfiler eller en katalog.")
        else:
            raise UsageError(f"'{p}' finns inte.", "Ange protokollfiler eller en katalog.")
    if not found:
        raise UsageError(
            "Inga filer att importera.", "sikt importerar .docx, .md och .txt (och förklarar .doc)."
        )
    return found


def _read(path: Path) -> bytes:
    """The file's bytes, refusing a file over the limit before reading all of it."""
    from sikt_cli.importers.problems import ImportFailed
    from sikt_cli.importers.sources import MAX_BYTES

    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
            size = max(len(data), path.stat().st_size)
    except OSError as exc:
        raise ImportFailed(
            f"{path} kan inte läsas: {reason(exc)}.", "Kontrollera sökvägen."
        ) from exc
    if size > MAX_BYTES:
        raise ImportFailed(
            f"{path.name} är för stor ({size // 2**20} MB; högst {MAX_BYTES // 2**20} MB).",
            "Dela upp filen, eller ta bort inklistrade bilder.",
        )
    return data


def _one(
    path: Path,
    root: Path,
    people: People,
    defaults: Defaults,
    taken: set[Path],
    *,
    datum: dt.date | None,
    propose: bool,
) -> tuple[FileResult, list[Person]]:
    from sikt_cli.importers.pipeline import import_minutes

    result = FileResult(source=str(path))
    try:
        data = _read(path)
        imported = import_minutes(path.name, data, people, defaults, datum=datum, propose=propose)
    except SiktError as exc:
        result.error, result.hint = exc.message, exc.hint
        return result, []
    target = minutes_path(root, imported.day)
    result.counts = imported.tally.counts
    result.notes = [n.text for n in imported.tally.notes]
    result.target = rel_path(root, target)
    if target.exists() or target in taken:
        result.error = f"{result.target} finns redan och skrivs inte över."
        result.hint = "Ta bort eller flytta den befintliga filen, eller ange ett annat --datum."
        people.remove({p.id for p in imported.proposed})
        return result, []
    taken.add(target)
    result.text = imported.text
    return result, list(imported.proposed)


def _people(root: Path) -> tuple[People, Defaults, bytes]:
    from sikt_cli.archive.load import load_archive
    from sikt_cli.importers.people import People, Person
    from sikt_cli.importers.pipeline import Defaults

    members_bytes = (root / MEMBERS_FILE).read_bytes()
    roster = load_archive(root).roster
    people = People(Person(m.id, m.namn, m.kommun) for m in roster.members)
    net = roster.network
    defaults = Defaults(roster.kommuner, net.tid, net.plats, net.namn)
    return people, defaults, members_bytes


def import_files(
    root: Path,
    paths: list[Path],
    *,
    datum: dt.date | None = None,
    dry_run: bool = False,
    new_members: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> ImportRun:
    """Import every source; write the drafts (and proposed members) unless `dry_run`."""
    from sikt_cli.importers.members_file import append_members

    sources = source_files(paths)
    people, defaults, members_bytes = _people(root)
    taken: set[Path] = set()
    results: list[FileResult] = []
    proposed: list[tuple[Person, str]] = []
    for path in sources:
        result, new = _one(path, root, people, defaults, taken, datum=datum, propose=new_members)
        results.append(result)
        proposed += [(p, path.name) for p in new]
        if progress is not None:
            progress(path)
    run = ImportRun(results, [(p.id, p.namn, p.kommun, s) for p, s in proposed], dry_run=dry_run)
    new_bytes = members_bytes
    for source in dict.fromkeys(s for _, s in proposed):  # one comment per source file
        new_bytes = append_members(new_bytes, [p for p, s in proposed if s == source], source)
    if dry_run:
        return run
    if new_bytes != members_bytes:
        replace_atomically(root / MEMBERS_FILE, new_bytes, expected=members_bytes)
        run.members_changed = True
    for result in results:
        if result.text is None or result.target is None:
            continue
        try:
            create(root / result.target, result.text)
            result.written = True
        except SiktError as exc:  # FileExists: created by someone else meanwhile
            result.error, result.hint = exc.message, exc.hint
    return run
