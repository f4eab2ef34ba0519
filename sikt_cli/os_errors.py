"""The operating system's refusals in Swedish: one errno → one sentence, with the path.

Python's `strerror` is English ("No such file or directory", "Connection refused"); every
message that reports an OSError takes its words from here, so none stays English.
"""

from __future__ import annotations

import errno
import socket

# errno → what it means for the user, as the end of a Swedish sentence
_REASONS = {
    errno.ENOENT: "filen eller katalogen finns inte",
    errno.EACCES: "du har inte behörighet",
    errno.EPERM: "du har inte behörighet",
    errno.EEXIST: "det finns redan en fil eller katalog med det namnet",
    errno.ENOSPC: "disken är full",
    errno.EISDIR: "det är en katalog, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en katalog",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ELOOP: "sökvägen har för många symboliska länkar i rad",
    errno.EBUSY: "filen används av ett annat program",
    errno.EMFILE: "för många filer är öppna",
    errno.EINVAL: "namnet eller värdet är ogiltigt här",
    errno.EIO: "läsfel på disken",
    errno.ECONNREFUSED: "servern tog inte emot anslutningen (fel port, eller ingen server där)",
    errno.ECONNRESET: "servern bröt anslutningen",
    errno.ETIMEDOUT: "inget svar i tid",
    errno.EHOSTUNREACH: "servern kan inte nås",
    errno.ENETUNREACH: "nätverket kan inte nås",
    errno.ECONNABORTED: "anslutningen avbröts",
    errno.EPIPE: "mottagaren stängde anslutningen",
}
_DQUOT = getattr(errno, "EDQUOT", None)
if _DQUOT is not None:
    _REASONS[_DQUOT] = "din diskkvot är slut"

_HINTS = {
    errno.ENOENT: "Kontrollera stavningen av sökvägen.",
    errno.EACCES: "Kontrollera filens eller katalogens rättigheter, eller välj en annan plats.",
    errno.EPERM: "Kontrollera filens eller katalogens rättigheter, eller välj en annan plats.",
    errno.EEXIST: "Välj ett annat namn; sikt skriver aldrig över en fil.",
    errno.ENOSPC: "Frigör utrymme på disken och försök igen.",
    errno.EISDIR: "Ange en fil i katalogen i stället.",
    errno.ENOTDIR: "Ta bort eller flytta filen som står i vägen, eller välj en annan sökväg.",
    errno.EROFS: "Välj en plats där du kan skriva.",
    errno.ECONNREFUSED: "Kontrollera SIKT_SMTP_VARD och SIKT_SMTP_PORT.",
    errno.ETIMEDOUT: "Kontrollera nätverket och SIKT_SMTP_VARD, och försök igen.",
}


def reason(exc: BaseException) -> str:
    """Why the operating system refused, in Swedish (no path, no final full stop)."""
    if isinstance(exc, socket.gaierror):
        return "servernamnet kan inte slås upp"
    if isinstance(exc, TimeoutError | socket.timeout) and not getattr(exc, "errno", None):
        return "inget svar i tid"
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in _REASONS:
        return _REASONS[code]
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    return f"operativsystemet nekade ({name})" if name else "operativsystemet nekade"


def hint(exc: BaseException) -> str:
    """What to do about it."""
    if isinstance(exc, TimeoutError | socket.timeout) and not getattr(exc, "errno", None):
        return _HINTS[errno.ETIMEDOUT]
    code = getattr(exc, "errno", None)
    return _HINTS.get(code, "") if isinstance(code, int) else ""


def sentence(exc: OSError) -> str:
    """'protokoll/x.md: filen eller katalogen finns inte.' — with the path when known."""
    where = exc.filename if exc.filename is not None else None
    if isinstance(where, bytes):
        where = where.decode("utf-8", "replace")
    text = reason(exc)
    if where is None:
        return text[0].upper() + text[1:] + "."
    other = f" → {exc.filename2}" if exc.filename2 is not None else ""
    return f"{where}{other}: {text}."
