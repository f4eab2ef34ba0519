"""The registry behind `--format`: the text reporter (rich, with the source line) and the
machine formats of render/diagnostic_formats.py.

The text reporter is bounded whatever the input: a source line is shown once however many
findings it has, only a window of a long line is shown, and after PER_FILE_LIMIT findings
in one file the rest of that file is a count. Everything from a file is escaped
(safe_text.safe_line): a value can neither steer the terminal nor start a line of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

from sikt_cli.cli.output import print_wrapped
from sikt_cli.diagnostics import Diagnostic, Result
from sikt_cli.render.diagnostic_formats import (
    MACHINE_REPORTERS,
    PER_FILE_LIMIT,
    by_file,
    rest_summary,
    summary,
)
from sikt_cli.safe_text import safe_line

# a long source line is shown as a window of this many characters around the column
WINDOW = 160
_BEFORE = 60


def source_window(line: str, column: int, window: int = WINDOW) -> tuple[str, int]:
    """The part of `line` to show and the caret's 1-based column in it (0: no caret)."""
    if len(line) <= window:
        return line, column
    before = min(_BEFORE, window // 3)
    start = max(0, min(column - 1 - before, len(line) - window)) if column > 0 else 0
    end = start + window
    shown = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
    return shown, (column - start + (1 if start else 0)) if column > 0 else 0


def report_text(
    result: Result, *, color: bool = False, width: int | None = None, **_: object
) -> str:
    """file:line:col: CODE severity: message, the source line with a caret, and the hint.

    With a `width` (a terminal's), messages and hints are wrapped between words and a
    source line is cut to fit, so that the caret stays under its column; without one
    (a pipe, a CI log) nothing is wrapped."""
    from rich.text import Text

    from sikt_cli.cli.output import console as make_console

    buf = StringIO()
    console = make_console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width or 10_000,
        soft_wrap=width is None,
    )
    for file, diags in by_file(result.diagnostics):
        shown: set[int] = set()
        for d in diags[:PER_FILE_LIMIT]:
            _print_one(console, d, result.sources.get(d.file), shown)
        if len(diags) > PER_FILE_LIMIT:
            console.print(Text(rest_summary(file, diags[PER_FILE_LIMIT:]), "bold"))
            console.print()
    style = "bold red" if result.errors else ("bold yellow" if result.warnings else "bold green")
    console.print(Text(summary(result), style))
    return buf.getvalue()


def _print_one(console: Any, d: Diagnostic, lines: list[str] | None, shown: set[int]) -> None:
    from rich.text import Text

    style = "bold red" if d.is_error else "bold yellow"
    head = Text()
    where = f"{d.file}:{d.line}:{d.column}: " if d.line else f"{d.file}: "
    head.append(safe_line(where), "bold")
    head.append(f"{d.code} {d.severity.swedish}: ", style)
    head.append(safe_line(d.message))
    print_wrapped(console, head, 4)
    if lines and 0 < d.line <= len(lines) and d.line not in shown:
        shown.add(d.line)  # a line with many findings is shown once, with the first caret
        num = str(d.line)
        window = min(WINDOW, console.width - len(num) - 6)  # "  N | " and the ellipses
        src, column = source_window(lines[d.line - 1].replace("\t", "→"), d.column, window)
        console.print(Text(f"  {num} | ", "dim") + Text(safe_line(src)))
        if column > 0:
            console.print(
                Text(" " * (len(num) + 2) + " | ", "dim") + Text(" " * (column - 1) + "^", style)
            )
    if d.hint:
        print_wrapped(console, Text("  tips: ", "cyan") + Text(safe_line(d.hint)), 8)
    console.print()


REPORTERS: dict[str, Callable[..., str]] = {"text": report_text, **MACHINE_REPORTERS}
