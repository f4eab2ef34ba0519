"""The protokoll's `bilagor`: files in the archive that travel with the kallelse and minutes.

Each path is checked by archive/attachment_files (inside the archive, no link on the way,
a regular file, at most MAX_BYTES together) — the same check `sikt validera` reports as
SIKT119 — and then opened without following a link and checked again on the open file.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path, PurePosixPath

from sikt_cli.archive.attachment_files import MAX_BYTES, Problem, locate, not_a_file, too_large
from sikt_cli.archive.model import Minutes
from sikt_cli.errors import Refused
from sikt_cli.mail.messages import Attachment
from sikt_cli.os_errors import hint, reason

__all__ = ["MAX_BYTES", "attachments"]


def attachments(root: Path, minutes: Minutes) -> list[Attachment]:
    """The protokoll's bilagor, read; Refused with the file and line when one cannot go."""
    out: list[Attachment] = []
    total = 0
    for i, rel in zip(minutes.bilagor_nr, minutes.bilagor, strict=True):
        where = f"{minutes.rel}:{minutes.doc.pos('bilagor', i).line}"
        data = _read(root, str(rel), where, MAX_BYTES - total)
        total += len(data)
        kind, _ = mimetypes.guess_type(PurePosixPath(str(rel)).name)
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        out.append(Attachment(PurePosixPath(str(rel)).name, data, maintype, subtype))
    return out


def _refused(where: str, problem: Problem) -> Refused:
    return Refused(f"{where}: {problem[0]}", problem[1])


def _read(root: Path, rel: str, where: str, room: int) -> bytes:
    path = locate(root, rel)
    if not isinstance(path, Path):
        raise _refused(where, path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(
            f"{where}: bilagan '{rel}' kan inte läsas: {reason(exc)}.", hint(exc)
        ) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # changed between the check and the open
        os.close(fd)
        raise _refused(where, not_a_file(rel))
    with os.fdopen(fd, "rb") as f:
        data = f.read(room + 1)
    if len(data) > room:
        raise _refused(where, too_large(rel, max(info.st_size, len(data))))
    return data
