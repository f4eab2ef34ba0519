"""All or nothing for a command that writes several files, or a file and a record.

Every file is rendered first; the writes are then done in order, and if one fails, the
ones already done are undone (a created file removed, a replaced one given back its
bytes), so the tree is as it was. Each single write is itself atomic (files.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli import files


@dataclass(frozen=True, slots=True)
class _Write:
    path: Path
    data: bytes
    expected: bytes | None  # None: a new file


@dataclass(slots=True)
class Transaction:
    writes: list[_Write] = field(default_factory=list)

    def create(self, path: Path, data: bytes) -> None:
        self.writes.append(_Write(path, data, None))

    def replace(self, path: Path, data: bytes, *, expected: bytes) -> None:
        if data != expected:
            self.writes.append(_Write(path, data, expected))

    def commit(self) -> None:
        """Do every write, or none: on a failure the done ones are undone and it re-raises."""
        for w in self.writes:  # refuse before anything is written
            if w.expected is None and w.path.exists():
                raise files.FileExists(
                    f"{w.path} finns redan och skrivs inte över; inget skrevs.",
                    "Ta bort eller döp om filen först om du vill skapa den på nytt.",
                )
        done: list[_Write] = []
        try:
            for w in self.writes:
                if w.expected is None:
                    files.create_bytes(w.path, w.data)
                else:
                    files.replace_atomically(w.path, w.data, expected=w.expected)
                done.append(w)
        except BaseException:
            for w in reversed(done):
                _undo(w)
            raise


def _undo(w: _Write) -> None:
    try:
        if w.expected is None:
            w.path.unlink(missing_ok=True)
        else:
            files.replace_atomically(w.path, w.expected, expected=w.data)
    except Exception:
        pass
