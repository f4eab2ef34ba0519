"""The registry by file type: which reader turns a source file's bytes into blocks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from sikt_cli.importers.blocks import Block, markdown_blocks
from sikt_cli.importers.docx_reader import docx_blocks
from sikt_cli.importers.problems import ImportFailed

MAX_BYTES = 20 * 1024 * 1024  # a year of minutes in Word is well under 5 MB


def _text(data: bytes, name: str) -> list[Block]:
    if b"\x00" in data[:4096]:
        raise ImportFailed(
            f"{name} är ingen textfil (innehåller binära data).",
            "Ange en Markdown- eller textfil i UTF-8, eller ett Word-dokument (.docx).",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # old Windows text files
    return markdown_blocks(text.replace("\r\n", "\n").replace("\r", "\n"))


def _old_word(data: bytes, name: str) -> list[Block]:
    raise ImportFailed(
        f"{name} är ett gammalt Word-dokument (.doc), som sikt inte läser.",
        "Öppna filen i Word och spara den som Word-dokument (.docx): Arkiv → Spara som.",
    )


READERS: dict[str, Callable[[bytes, str], list[Block]]] = {
    ".docx": docx_blocks,
    ".md": _text,
    ".markdown": _text,
    ".txt": _text,
    ".doc": _old_word,
}


def read(name: str, data: bytes) -> list[Block]:
    """Blocks of one source file, or ImportFailed with a Swedish message saying why not."""
    suffix = PurePath(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ImportFailed(
            f"{name}: filtypen '{suffix or '(ingen)'}' kan inte importeras.",
            "sikt importerar .docx, .md och .txt.",
        )
    if not data.strip():
        raise ImportFailed(f"{name} är tom.", "Ange ett protokoll med innehåll.")
    if len(data) > MAX_BYTES:
        raise ImportFailed(
            f"{name} är för stor ({len(data) // 2**20} MB; högst {MAX_BYTES // 2**20} MB).",
            "Dela upp filen, eller ta bort inklistrade bilder.",
        )
    return reader(data, name)
