"""Everything a command prints goes through here, sanitised: one console, one echo, one writer.

Text from files, names and server replies can carry control and bidi characters that a
terminal or a CI log acts on; `sikt_cli/safe_text.py` shows them escaped, and these helpers
apply it at the sink so that no command has to remember. Rich is imported inside the helpers
so that `sikt --help` does not load it.
"""

from __future__ import annotations

import codecs
import functools
import os
import sys
from typing import TYPE_CHECKING, Any, Literal

import typer

from sikt_cli.safe_text import LINE_UNSAFE, has_unsafe, json_safe, safe_block, safe_line

if TYPE_CHECKING:
    from rich.console import Console

# how already formatted output is written: see write_stdout
OutputForm = Literal["text", "json", "rendered"]


def console(*, stderr: bool = False, **options: Any) -> Console:
    """The one console every command prints through: what it prints is sanitised.

    A `str` or `Text` argument is shown on its line with control and bidi characters
    escaped (safe_text.safe_line); any other renderable (a table, Markdown, YAML) is
    sanitised segment by segment as it is rendered, so a new command cannot forget it.
    Build Markdown and YAML with `markdown()` and `yaml_listing()`, and table cells with
    `cell()`, so that the layout is computed on the escaped text.
    """
    options.setdefault("highlight", False)
    if os.environ.get("NO_COLOR"):  # no-color.org: and no bold or dim either, plain text
        options["color_system"] = None
    return _console_class()(stderr=stderr, **options)


def terminal_width() -> int | None:
    """The columns to fit text to: COLUMNS when set, else the terminal's width; None when
    stdout is a pipe or a file (nothing is wrapped there: one finding per line for grep
    and CI logs)."""
    if not (os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty()):
        return None
    return max(MIN_WIDTH, console().width)


MIN_WIDTH = 40


def print_wrapped(out: Console, text: Any, indent: int, *, first: int = 0) -> None:
    """A rich `Text` wrapped between words at the console's width, the first line indented
    by `first`, the others by `indent`; on one line when the console does not wrap."""
    from rich.text import Text

    if out.soft_wrap:
        out.print(Text(" " * first) + text)
        return
    for i, line in enumerate(text.wrap(out, max(20, out.width - indent))):
        line.rstrip()  # the space the line was broken at
        out.print(Text(" " * (first if i == 0 else indent)) + line)


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            super().print(*(_safe_renderable(o) for o in objects), **kwargs)

        def render(self, renderable: Any, options: Any = None) -> Any:
            for seg in super().render(renderable, options):
                if seg.control or not has_unsafe(seg.text):
                    yield seg
                else:
                    yield Segment(safe_block(seg.text), seg.style, seg.control)

    return SafeConsole


def _safe_renderable(obj: Any) -> Any:
    from rich.text import Text

    if isinstance(obj, str):
        return Text(safe_line(obj))
    if isinstance(obj, Text):
        return safe_rich_text(obj)
    return obj


def safe_rich_text(text: Any) -> Any:
    """A rich `Text` with every unsafe character (and newline) escaped, styles kept."""
    from rich.text import Span, Text

    plain = text.plain
    if not LINE_UNSAFE.search(plain):
        return text
    out = text[0:0]
    pos = 0
    for m in LINE_UNSAFE.finditer(plain):
        out.append_text(text[pos : m.start()])
        piece = text[m.start() : m.end()]
        escaped = safe_line(piece.plain)
        spans = [Span(0, len(escaped), s.style) for s in piece.spans]
        out.append_text(Text(escaped, style=piece.style, spans=spans))
        pos = m.end()
    out.append_text(text[pos:])
    return out


def cell(value: str, style: str = "") -> Any:
    """A table cell from file data: one line, escaped, never read as markup."""
    from rich.text import Text

    return Text(safe_line(value), style)


def markdown(source: str) -> Any:
    """Markdown from a file, ready to print: escaped before layout; links show their address."""
    from rich.markdown import Markdown

    return Markdown(safe_block(source), hyperlinks=False)


def yaml_listing(source: str) -> Any:
    """YAML from a file, highlighted, escaped before layout."""
    from rich.syntax import Syntax

    return Syntax(safe_block(source), "yaml", theme="ansi_light", word_wrap=True)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """A plain line (paths, addresses, subjects) with unsafe characters escaped."""
    typer.echo(safe_line(text), err=err, nl=nl)


def write_stdout(text: str, *, form: OutputForm = "text") -> None:
    """Output that is already formatted: `json` is kept exact (controls as \\uXXXX),
    `text` is escaped as a block, `rendered` came from `console()` (its own colours). CSV
    and .ics are bytes: `write_stdout_bytes` (Windows' text-mode stdout would make each CRLF
    line end \\r\\r\\n)."""
    if form == "json":
        text = json_safe(text)
    elif form != "rendered":
        text = safe_block(text)
    sys.stdout.write(text)


def write_stdout_bytes(data: bytes, *, line_end: str = "\r\n", block: bool = False) -> None:
    """Bytes of a line-based text format (.ics): each line escaped, the line ends kept.
    With `block`, a line may hold a newline (a quoted CSV cell) and keeps it."""
    text = data.decode("utf-8", "surrogateescape")
    escape = safe_block if block else safe_line
    safe = line_end.join(escape(line) for line in text.split(line_end))
    sys.stdout.flush()
    sys.stdout.buffer.write(safe.encode("utf-8", "surrogateescape"))
    sys.stdout.flush()


# characters a Windows code page (cp1252, cp850) or an ASCII locale lacks, spelled in ASCII;
# anything else it lacks is written as a \\uXXXX escape, never an UnicodeEncodeError
SPELLED = {
    "\u2192": "->",  # →
    "\u2190": "<-",  # ←
    "\u2713": "ok",  # ✓
    "\u2714": "ok",  # ✔
    "\u2717": "x",  # ✗
    "\u2264": "<=",  # ≤
    "\u2265": ">=",  # ≥
    "\u2013": "-",  # – (not in cp850)
    "\u2014": "-",  # —
    "\u2026": "...",  # …
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "*",  # •
}
ERRORS = "sikt-spell"


def _spell_out(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    out = "".join(
        SPELLED.get(ch) or ch.encode("ascii", "backslashreplace").decode("ascii") for ch in chunk
    )
    return out, exc.end


codecs.register_error(ERRORS, _spell_out)


def color_on_stdout() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def print_error(message: str, hint: str = "") -> None:
    """'Fel: …' and 'tips: …' on stderr; the text is shown as written, never as markup, and
    with anything from a file (names, values, server replies) escaped onto its line."""
    from rich.text import Text

    err = console(stderr=True, soft_wrap=True)
    err.print(Text("Fel: ", "bold red") + Text(safe_line(message)))
    if hint:
        err.print(Text("tips: ", "cyan") + Text(safe_line(hint)))
