"""Bytes → text → frontmatter and body: decoding and splitting, with file line offsets.

Why not python-frontmatter: it silently returns no metadata when the file starts with a
BOM or the closing `---` is missing, and its YAML errors carry lines counted from the
start of the frontmatter, not of the file. We split the frontmatter ourselves and keep the
offsets, so every YAML mark and every markdown-it token map becomes a real file line.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from sikt_cli.cache import Stat, digest, stamp_of
from sikt_cli.cache_key import OPEN_FLAGS, read_at_most
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.os_errors import reason

MAX_BYTES = 1024 * 1024  # a protokoll is a few KB; anything past 1 MiB is a mistake
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded text file: BOM removed, CRLF folded to LF, line numbers unchanged."""

    rel: str
    text: str
    had_bom: bool = False
    crlf: bool = False

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(slots=True)
class Frontmatter:
    """A Markdown file split into its YAML block and its body, with file line offsets."""

    yaml_text: str
    yaml_first_line: int  # file line of the first YAML line
    body: str
    body_first_line: int  # file line of the first body line
    end_line: int  # file line of the closing `---`


def read_source(path: Path, rel: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read and decode a file; say what is wrong when it cannot be used as UTF-8 text."""
    data, diags = read_regular(path, rel)
    if data is None:
        return None, diags
    return decode(data, rel)


def read_source_stamped(
    path: Path, rel: str
) -> tuple[Source | None, list[Diagnostic], tuple[Stat, str] | None]:
    """`read_source`, and the file's stamp from before it was read with the digest of the
    bytes read, when it was read (what cache.Cache.fingerprint_read is given)."""
    data, diags, stamp = read_stamped(path, rel)
    if data is None or stamp is None:
        return None, diags, None
    src, problems = decode(data, rel)
    return src, problems, (stamp, digest(data))


def read_regular(
    path: Path, rel: str, limit: int = MAX_BYTES
) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a regular file of at most `limit` bytes, or the diagnostic saying why not.

    A pull request can commit a symlink (to /etc/passwd, to /dev/zero) and a local user can
    leave a FIFO: neither is ever opened for reading, and no byte of a link's target is
    read. The size is checked on the open descriptor and at most `limit` + 1 bytes are read,
    so a file that grows while it is read is still refused.
    """
    data, diags, _ = read_stamped(path, rel, limit)
    return data, diags


def read_stamped(
    path: Path, rel: str, limit: int = MAX_BYTES
) -> tuple[bytes | None, list[Diagnostic], Stat | None]:
    """`read_regular`, and the file's lstat (cache.Stat) from before it was read, when it was."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return None, [_not_regular(st.st_mode, rel)], None
        stamp = stamp_of(st)
        fd = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link made after the lstat
            return None, [_not_regular(stat.S_IFLNK, rel)], None
        return None, [_unreadable(rel, exc, path)], None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, [_not_regular(st.st_mode, rel)], None
        if st.st_size > limit:
            return None, [_too_large(rel, st.st_size, limit)], None
        data = read_at_most(fd, limit + 1)
    except OSError as exc:
        return None, [_unreadable(rel, exc, path)], None
    finally:
        os.close(fd)
    if len(data) > limit:
        return None, [_too_large(rel, len(data), limit)], None
    return data, [], stamp


def _not_regular(mode: int, rel: str) -> Diagnostic:
    if stat.S_ISLNK(mode):
        return link_diagnostic(rel)
    if stat.S_ISDIR(mode):
        return diag("SIKT100", rel, 0, 0, "Sökvägen är en katalog, inte en fil.")
    kind = (
        "en namngiven pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "en socket"
        if stat.S_ISSOCK(mode)
        else "en enhetsfil"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "en speciell fil"
    )
    return diag(
        "SIKT116",
        rel,
        0,
        0,
        f"Sökvägen är {kind}, inte en vanlig fil, och läses inte.",
        "Ta bort den ur arkivet; protokoll och datafiler ska vara vanliga textfiler.",
    )


def link_diagnostic(rel: str, *, folder: bool = False) -> Diagnostic:
    """SIKT115 for a symbolic link in the archive: named, never followed, target not shown."""
    if folder:
        return diag(
            "SIKT115",
            rel,
            0,
            0,
            "Katalogen är en symbolisk länk; sikt läser inget genom länkar.",
            "Gör den till en vanlig katalog i arkivet med filerna i (inte en länk).",
        )
    return diag(
        "SIKT115",
        rel,
        0,
        0,
        "Filen är en symbolisk länk; sikt läser inte filer genom länkar.",
        "Ersätt länken med en vanlig fil med samma innehåll, eller ta bort den ur arkivet.",
    )


def _unreadable(rel: str, exc: OSError, path: Path) -> Diagnostic:
    from sikt_cli.platform_names import long_path_hint

    return diag(
        "SIKT100",
        rel,
        0,
        0,
        f"Filen kan inte läsas: {reason(exc)}.",
        long_path_hint(path) or "Kontrollera att filen finns och att du har läsrättighet.",
    )


def _too_large(rel: str, size: int, limit: int) -> Diagnostic:
    return diag(
        "SIKT102",
        rel,
        0,
        0,
        f"Filen är {size // 1024} KiB; gränsen är {limit // 1024} KiB.",
        "Ett protokoll eller en datafil är några KB. Kontrollera att rätt fil "
        "ligger här (inte en bilaga eller en export).",
    )


def decode(data: bytes, rel: str) -> tuple[Source | None, list[Diagnostic]]:
    """Decode UTF-8 with or without BOM; LF and CRLF give identical text and lines."""
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        return None, [
            diag(
                "SIKT101",
                rel,
                line,
                col,
                "Filen innehåller NUL-tecken och är inte UTF-8-text "
                "(kanske UTF-16 eller en binärfil).",
                "Spara filen som UTF-8 (i VS Code: 'Save with Encoding' → 'UTF-8').",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        byte = data[exc.start]
        guess = ""
        try:
            guessed = data[exc.start : exc.start + 1].decode("cp1252")
            guess = f" ('{guessed}' i Windows-1252)"
        except UnicodeDecodeError:
            pass
        return None, [
            diag(
                "SIKT101",
                rel,
                line,
                col,
                f"Filen är inte UTF-8: byte 0x{byte:02X}{guess} kan inte avkodas. "
                "Filen är troligen sparad som Windows-1252/Latin-1.",
                "Spara om filen som UTF-8, t.ex. i VS Code med 'Save with Encoding' → "
                "'UTF-8', eller: iconv -f cp1252 -t utf-8 FIL > NY_FIL",
            )
        ]
    crlf = "\r\n" in text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(_BOM):  # a second BOM after decoding is still noise
        text = text[1:]
    return Source(rel=rel, text=text, had_bom=had_bom, crlf=crlf), []


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


_MD_START = re.compile(r"^(#{1,6}\s+\S|[-*+]\s+\[[ xX]\]|\d+\.\s)")


def split_frontmatter(src: Source) -> tuple[Frontmatter | None, list[Diagnostic]]:
    """Split `---` YAML `---` from the body, keeping file line numbers."""
    lines = src.lines
    if not src.text.strip():
        return None, [
            diag(
                "SIKT103",
                src.rel,
                1,
                1,
                "Filen är tom.",
                "Skapa protokollet med 'sikt protokoll ny' så får det frontmatter och rubriker.",
            )
        ]
    if lines[0].rstrip() != "---":
        return None, [
            diag(
                "SIKT104",
                src.rel,
                1,
                1,
                "Frontmatter saknas: filen ska börja med en rad med bara '---'.",
                "Lägg frontmatter överst: '---', nycklarna (datum, status, narvarande, "
                "arenden …) och en avslutande '---'.",
            )
        ]
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return (
                Frontmatter(
                    yaml_text="\n".join(lines[1:i]),
                    yaml_first_line=2,
                    body="\n".join(lines[i + 1 :]),
                    body_first_line=i + 2,
                    end_line=i + 1,
                ),
                [],
            )
    return None, [
        diag(
            "SIKT105",
            src.rel,
            _missing_end_line(lines),
            1,
            "Frontmatter avslutas inte: raden '---' efter sista nyckeln saknas.",
            "Lägg till en rad med bara '---' mellan frontmatter och protokollets text.",
        )
    ]


def _missing_end_line(lines: list[str]) -> int:
    """Best guess at where the closing `---` belongs: before the first Markdown line."""
    for i in range(1, len(lines)):
        if _MD_START.match(lines[i]) and not lines[i].startswith("# "):
            j = i
            while j > 1 and not lines[j - 1].strip():
                j -= 1
            return j + 1 if j < i else i + 1
    return len(lines)
