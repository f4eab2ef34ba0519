"""Safe writes: create exclusively and durably, replace atomically, never lose a save.

A user's file is never overwritten by accident: a new file is written in full to a
temporary file and then published under its name without replacing anything; an edit goes
to a temporary file that replaces the original in one `os.replace`, under a lock file,
after checking that the file did not change since it was read and while it was written.
The same code runs on Linux, macOS and Windows (no fcntl, no directory fsync on Windows).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.errors import Refused, SiktError
from sikt_cli.os_errors import reason
from sikt_cli.platform_names import case_twin, long_path_hint, name_key


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
            f"Katalogen {folder} kan inte skapas: {reason(exc)}.",
            long_path_hint(folder) or "Kontrollera sökvägen och att du har skrivrättighet där.",
        ) from exc


def create_bytes(path: Path, data: bytes) -> None:
    """Create a new file; refuse (FileExists) if anything is already there.

    Durable and never half-written: the bytes go to a temporary file in the same folder,
    are flushed to disk, and only then published under the name without replacing
    anything (a hard link, or on Windows an exclusive rename); a crash leaves either no
    file or the whole file, never a truncated one.
    """
    make_folder(path.parent)
    if os.path.lexists(path):
        raise _exists(path)
    twin = case_twin(path)
    if twin is not None:
        raise FileExists(
            f"{path.parent / twin} finns redan, och {path.name} skiljer sig bara i stora och "
            "små bokstäver: på Windows och macOS är det samma fil. Inget skrevs.",
            f"Välj ett annat namn, eller döp om eller ta bort {twin} först.",
        )
    tmp = _write_temp(path, data, "kan inte skapas", "Inget sparades.")
    try:
        _publish(tmp, path)
    except FileExistsError as exc:
        raise _exists(path) from exc
    except OSError as exc:
        raise Refused(
            f"{path} kan inte skapas: {reason(exc)}.",
            long_path_hint(path) or "Kontrollera sökvägen och att du har skrivrättighet där.",
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _exists(path: Path) -> FileExists:
    return occupied(path)


def _write_temp(path: Path, data: bytes, failed: str, kept: str) -> Path:
    """`data` in a new temporary file beside `path`, flushed to disk."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise Refused(
            f"{path} {failed}: {reason(exc)}. {kept}",
            long_path_hint(path) or "Kontrollera sökvägen och att du har skrivrättighet där.",
        ) from exc
    tmp = Path(name)
    with contextlib.suppress(OSError):  # mkstemp makes 0600: a new file gets the umask's mode
        tmp.chmod(_new_file_mode())
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise Refused(
                f"{path} kunde inte skrivas: {reason(exc)}. {kept}",
                "Kontrollera att det finns plats på disken och försök igen.",
            ) from exc
        raise
    return tmp


def _new_file_mode() -> int:
    """The mode `open()` would give a new file: 0666 less the process's umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _publish(tmp: Path, path: Path) -> None:
    """Give the finished temporary file its name, never replacing a file already there."""
    if os.name == "nt":  # Windows' rename refuses an existing target: exclusive as it is
        tmp.rename(path)
        return
    try:
        os.link(tmp, path)  # fails with FileExistsError if anything has the name
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: an exclusive create instead
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(tmp.read_bytes())
            f.flush()
            os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a new name in `folder` durable, where the platform can (not on Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _signature(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


REPLACE_TRIES = 4  # a file held open by Word, OneDrive or an antivirus is retried


def replace_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Write `data` to `path` through a temporary file and one os.replace.

    With `expected`, refuse if the file no longer holds those bytes, and refuse if it
    changes while the new version is being written (a save in an editor): the user's
    version is kept. A lock file beside it keeps two sikt runs from editing it at once.
    A symbolic link is never replaced by a file.
    """
    if path.is_symlink():
        raise Refused(
            f"{path} är en symbolisk länk; sikt skriver inte genom länkar.",
            "Ersätt länken med den riktiga filen och kör kommandot igen.",
        )
    with edit_lock(path):
        before = _signature(path)
        if expected is not None and path.read_bytes() != expected:
            raise _changed(path)
        tmp = _write_temp(path, data, "kan inte ändras", "Filen är oförändrad.")
        try:
            tmp.chmod(path.stat().st_mode & 0o777)
            if _signature(path) != before:  # saved by someone else meanwhile
                raise _changed(path)
            _replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _changed(path: Path) -> Refused:
    return Refused(
        f"{path} ändrades medan sikt arbetade; inget skrevs och din version är kvar.",
        "Spara filen färdigt och kör kommandot igen.",
    )


def _replace(tmp: Path, path: Path) -> None:
    delay = 0.1
    for attempt in range(REPLACE_TRIES):
        try:
            tmp.replace(path)
            return
        except PermissionError as exc:  # Windows: the file is open in another program
            if attempt == REPLACE_TRIES - 1:
                raise Refused(
                    f"{path} kan inte ersättas: filen används av ett annat program "
                    "(till exempel Word, Anteckningar, OneDrive eller ett antivirusprogram). "
                    "Filen är oförändrad.",
                    "Stäng filen i det andra programmet, vänta tills synkningen är klar och "
                    "försök igen.",
                ) from exc
            time.sleep(delay)
            delay *= 3
        except OSError as exc:
            raise Refused(
                f"{path} kunde inte skrivas: {reason(exc)}. Filen är oförändrad.",
                "Kontrollera att det finns plats på disken och försök igen.",
            ) from exc


LOCK_SUFFIX = ".sikt-las"
STALE_SECONDS = 600


@contextlib.contextmanager
def edit_lock(path: Path) -> Iterator[None]:
    """An exclusive lock file beside `path` for one sikt edit (portable: no fcntl)."""
    lock = path.with_name(f".{path.name}{LOCK_SUFFIX}")
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        age = time.time() - _mtime(lock)
        stale = age > STALE_SECONDS
        raise Refused(
            f"{path} ändras redan av ett annat sikt-kommando (låsfilen {lock.name} finns"
            + (f" sedan {int(age // 60)} minuter" if stale else "")
            + "); inget skrevs.",
            f"Vänta tills det är klart. Kör inget annat sikt-kommando? Ta då bort {lock}."
            if stale
            else "Vänta tills det andra kommandot är klart och försök igen.",
        ) from None
    except OSError as exc:
        raise Refused(
            f"{path} kan inte ändras: {reason(exc)}. Filen är oförändrad.",
            "Kontrollera att du har skrivrättighet i katalogen.",
        ) from exc
    os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


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
    that a set of files written together (kallelse-D.ics and .eml) overwrites nothing.
    Names are compared as Windows and macOS compare them: `Kallelse-D.eml` takes the name
    `kallelse-D.eml` on Linux too, so the folder can be copied or checked out anywhere."""
    try:
        taken = {name_key(p.name) for p in folder.iterdir()}
    except OSError:
        taken = set()
    candidate, n = stem, 2
    while any(name_key(f"{candidate}{s}") in taken for s in suffixes):
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


def out_target(ut: Path, default_name: str, companions: tuple[str, ...] = ()) -> Path:
    """The file an `--ut` option writes (see target_file), the same in every command: when it,
    or a companion written with it (same name, another suffix: kallelse-D.ics beside
    kallelse-D.eml), already exists, refuse (FileExists) and propose the first free name."""
    path = target_file(ut, default_name)
    suffixes = (path.suffix, *(s for s in companions if s != path.suffix))
    taken = [t for s in suffixes if (t := _taken(path.with_suffix(s))) is not None]
    if taken:
        free = path.parent / f"{free_stem(path.parent, path.stem, suffixes)}{path.suffix}"
        raise occupied(taken[0], free)
    return path


def _taken(path: Path) -> Path | None:
    """`path` when it exists, or the name that is it on Windows and macOS (case, Unicode form)."""
    if os.path.lexists(path):
        return path
    twin = case_twin(path)
    return path.with_name(twin) if twin else None


def occupied(path: Path, free: Path | None = None) -> FileExists:
    """The one refusal for a name that is taken: nothing written, a free name proposed."""
    if free is None:
        return FileExists(
            f"{path} finns redan och skrivs inte över; inget skrevs.",
            "Ta bort eller döp om filen först om du vill skapa den på nytt.",
        )
    return FileExists(
        f"{path} finns redan och skrivs inte över; inget skrevs.",
        f"Ange ett ledigt namn, t.ex. --ut {free.as_posix()}, eller ta bort den gamla filen först.",
    )
