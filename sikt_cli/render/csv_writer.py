"""The one CSV writer: every command that writes CSV goes through it.

The form is the one Swedish Excel opens with a double-click (docs/uppdrag.md, "CSV i
Excel"): UTF-8 with a byte order mark (without it Excel reads the file as Windows-1252 and
shows "Ã¶" for "ö"), `;` between cells (Excel in a Swedish locale splits on the list
separator, which is `;` because `,` is the decimal comma), and lines ending in CRLF as RFC
4180 and Excel expect (a line break inside a quoted cell stays as written).

Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula (CSV injection: `=HYPERLINK(…)` in an uppdrag text). Following OWASP's
advice, such a text cell is written with a leading apostrophe, which Excel and LibreOffice
show as text and do not display. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int
DELIMITER = ";"
BOM = "\ufeff"


def safe_cell(value: Cell) -> Cell:
    """A text cell that a spreadsheet would evaluate, neutralised; anything else unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A header row and the rows, every text cell formula-safe: UTF-8 with BOM, `;`, CRLF."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    # a file name that is not UTF-8 keeps its bytes (surrogates): the CLI shows them escaped
    return (BOM + buf.getvalue()).encode("utf-8", "surrogateescape")
