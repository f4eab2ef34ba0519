"""The protokoll's `bilagor`: files in the archive that travel with the kallelse and minutes.

A path in `bilagor` arrives in a pull request, so it is read only when it names a regular
file inside the archive: no absolute path, no `..`, no link anywhere on the way (each part
is checked with lstat, and the file is opened without following a link), no folder or
device. All files together may be at most MAX_BYTES: base64 makes a mail a third larger,
and common mail servers refuse messages over 20–25 MB.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from sikt_cli.archive.model import Minutes
from sikt_cli.errors import Refused
from sikt_cli.mail.messages import Attachment

MAX_BYTES = 10 * 1024 * 1024
_HINT_OUTSIDE = "Lägg filen i arkivet (t.ex. i bilagor/) och skriv sökvägen från arkivets rot."


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def attachments(root: Path, minutes: Minutes) -> list[Attachment]:
    """The protokoll's bilagor, read; Refused with the file and line when one cannot go."""
    out: list[Attachment] = []
    total = 0
    for i, rel in enumerate(minutes.bilagor):
        where = f"{minutes.rel}:{minutes.doc.pos('bilagor', i).line}"
        data = _read(root, str(rel), where, MAX_BYTES - total)
        total += len(data)
        kind, _ = mimetypes.guess_type(PurePosixPath(str(rel)).name)
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        out.append(Attachment(PurePosixPath(str(rel)).name, data, maintype, subtype))
    return out


def _inside(root: Path, rel: str, where: str) -> Path:
    """The path of `rel` under `root`, each part checked: no link, nothing outside."""
    parts = PurePosixPath(rel).parts
    if (
        not rel.strip()
        or "\\" in rel
        or PurePosixPath(rel).is_absolute()
        or PureWindowsPath(rel).is_absolute()
        or PureWindowsPath(rel).drive
        or any(p in ("..", ".") for p in parts)
    ):
        raise Refused(f"{where}: bilagan '{rel}' ligger inte i arkivet.", _HINT_OUTSIDE)
    path = root
    for part in parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            raise Refused(
                f"{where}: bilagan '{rel}' finns inte.",
                "Rätta sökvägen under 'bilagor' (från arkivets rot, med /), eller lägg in filen.",
            ) from None
        if stat.S_ISLNK(mode):
            raise Refused(
                f"{where}: bilagan '{rel}' går via en symbolisk länk ({path.name}).",
                "Bilagor skickas bara från vanliga filer i arkivet; kopiera in filen.",
            )
    return path


def _read(root: Path, rel: str, where: str, room: int) -> bytes:
    path = _inside(root, rel, where)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"{where}: bilagan '{rel}' kan inte läsas: {exc.strerror or exc}.") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise Refused(
            f"{where}: bilagan '{rel}' är inte en vanlig fil.",
            "Ange en fil, inte en mapp eller annan sorts fil.",
        )
    with os.fdopen(fd, "rb") as f:
        data = f.read(room + 1)
    if len(data) > room:
        size = max(info.st_size, len(data))
        raise Refused(
            f"{where}: bilagan '{rel}' ({_megabytes(size)}) får inte plats: "
            f"bilagorna får vara högst {_megabytes(MAX_BYTES)} tillsammans.",
            "Lägg filen i Teams eller på en delad yta och skriv länken i protokollets text i "
            "stället, eller ta bort den ur 'bilagor'.",
        )
    return data
