"""The registry behind `--format`: the text reporter (rich, with the source line) and the
machine formats of render/diagnostic_formats.py."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

from sikt_cli.diagnostics import Result
from sikt_cli.render.diagnostic_formats import MACHINE_REPORTERS, summary


def report_text(result: Result, *, color: bool = False, width: int = 100) -> str:
    """file:line:col: CODE severity: message, the source line with a caret, and the hint."""
    from rich.console import Console
    from rich.text import Text

    buf = StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        soft_wrap=True,
    )
    for d in result.diagnostics:
        style = "bold red" if d.is_error else "bold yellow"
        head = Text()
        head.append(f"{d.file}:{d.line}:{d.column}: " if d.line else f"{d.file}: ", "bold")
        head.append(f"{d.code} {d.severity.swedish}: ", style)
        head.append(d.message)
        console.print(head)
        lines = result.sources.get(d.file)
        if lines and 0 < d.line <= len(lines):
            src = lines[d.line - 1].replace("\t", "→")
            num = str(d.line)
            console.print(Text(f"  {num} | ", "dim") + Text(src))
            if d.column > 0:
                console.print(
                    Text(" " * (len(num) + 2) + " | ", "dim")
                    + Text(" " * (d.column - 1) + "^", style)
                )
        if d.hint:
            console.print(Text("  tips: ", "cyan") + Text(d.hint))
        console.print()
    style = "bold red" if result.errors else ("bold yellow" if result.warnings else "bold green")
    console.print(Text(summary(result), style))
    return buf.getvalue()


REPORTERS: dict[str, Callable[..., str]] = {"text": report_text, **MACHINE_REPORTERS}
