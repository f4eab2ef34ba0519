"""Safe writes: create exclusively, replace atomically, edit only the bytes meant.

A user's file is never overwritten by accident: new files are created with O_EXCL, and
edits go to a temporary file in the same folder that replaces the original in one
`os.replace`, after checking that the file did not change since it was read.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.errors import Refused, SiktError


class FileExists(SiktError):
    """The path given holds a file already: nothing is written over it (exit 2, as for any
    path argument that cannot be used)."""


def create(path: Path, text: str) -> None:
    """Create a new text file (UTF-8); refuse (FileExists) if anything is already there."""
    create_bytes(path, text.encode("utf-8"))


def blocking_file(folder: Path) -> Path | None:
    """The file (not a folder) that stands where `folder` or one of its parents should be."""
    return next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)


def make_folder(folder: Path) -> None:
    """Create `folder` and its parents; a SiktError that says why when that is impossible."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = blocking_file(folder)
        if blocker is not None:
            raise Refused(
                f"{blocker} finns och är inte en katalog.",
                "Ange en annan sökväg, eller flytta filen som står i vägen.",
            ) from exc
        raise Refused(
            f"Katalogen {folder} kan inte skapas: {exc.strerror or exc}.",
            "Kontrollera sökvägen och att du har skrivrättighet där.",
        ) from exc


def create_bytes(path: Path, data: bytes) -> None:
    """Create a new file; refuse (FileExists) if anything is already there."""
    make_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise FileExists(
            f"{path} finns redan och skrivs inte över.",
            "Ta bort eller döp om filen först om du vill skapa den på nytt.",
        ) from exc
    except OSError as exc:
        raise Refused(
            f"{path} kan inte skapas: {exc.strerror or exc}.",
            "Kontrollera sökvägen och att du har skrivrättighet där.",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException as exc:
        path.unlink(missing_ok=True)  # ours (O_EXCL): never leave a half-written file
        if isinstance(exc, OSError):
            raise Refused(
                f"{path} kunde inte skrivas: {exc.strerror or exc}. Inget sparades.",
                "Kontrollera att det finns plats på disken och försök igen.",
            ) from exc
        raise


def replace_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Write `data` to `path` through a temporary file and os.replace.

    With `expected`, refuse if the file no longer holds those bytes (someone else edited it).
    """
    if expected is not None and path.read_bytes() != expected:
        raise Refused(f"{path} ändrades medan sikt arbetade; inget skrevs.", "Kör kommandot igen.")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise Refused(
            f"{path} kan inte ändras: {exc.strerror or exc}. Filen är oförändrad.",
            "Kontrollera att du har skrivrättighet i katalogen.",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).chmod(path.stat().st_mode & 0o777)
        Path(tmp).replace(path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise Refused(
                f"{path} kunde inte skrivas: {exc.strerror or exc}. Filen är oförändrad.",
                "Kontrollera att det finns plats på disken och försök igen.",
            ) from exc
        raise


@dataclass(slots=True)
class LineEdit:
    """Edits on the raw bytes of a file, by 1-based line, keeping BOM and line endings."""

    data: bytes
    replace: dict[int, str] = field(default_factory=dict)
    insert_before: dict[int, list[str]] = field(default_factory=dict)
    append: list[str] = field(default_factory=list)
    delete: set[int] = field(default_factory=set)

    def apply(self) -> bytes:
        lines = split_lines(self.data)
        crlf = len(lines) > 1 and lines[0][1] == b"\r\n"
        eol = b"\r\n" if crlf else b"\n"
        out: list[bytes] = []
        bom = b""
        if lines[0][0].startswith(b"\xef\xbb\xbf"):
            bom, lines[0] = b"\xef\xbb\xbf", (lines[0][0][3:], lines[0][1])
        for i, (line, end) in enumerate(lines, start=1):
            for new in self.insert_before.get(i, []):
                out.append(new.encode("utf-8") + eol)
            if i in self.delete:
                continue
            if i in self.replace:
                out.append(self.replace[i].encode("utf-8") + end)
            else:
                out.append(line + end)
        data = bom + b"".join(out)
        if self.append:
            if not data.endswith((b"\n", b"\r")):
                data += eol
            data += b"".join(a.encode("utf-8") + eol for a in self.append)
        return data


_EOL = re.compile(rb"\r\n|\r|\n")


def split_lines(data: bytes) -> list[tuple[bytes, bytes]]:
    """Each line's bytes and its line ending, numbered as the loader numbers them:
    CRLF, LF and a lone CR each end a line (see loading.decode)."""
    out: list[tuple[bytes, bytes]] = []
    start = 0
    for m in _EOL.finditer(data):
        out.append((data[start : m.start()], m.group()))
        start = m.end()
    out.append((data[start:], b""))
    return out


def free_stem(folder: Path, stem: str, suffixes: tuple[str, ...]) -> str:
    """`stem`, or stem-2, stem-3 … : the first for which no folder/stem+suffix exists, so
    that a set of files written together (kallelse-D.ics and .eml) overwrites nothing."""
    candidate, n = stem, 2
    while any((folder / f"{candidate}{s}").exists() for s in suffixes):
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def target_file(ut: Path, default_name: str) -> Path:
    """An `--ut` path names a file, or a folder to put `default_name` in: an existing folder, or a
    path that does not exist and ends in a separator or has no suffix. An existing file
    is a file, whatever its name (and is then never overwritten)."""
    as_folder = ut.is_dir() or (
        not ut.exists() and (str(ut).endswith(("/", os.sep)) or not ut.suffix)
    )
    return ut / default_name if as_folder else ut
