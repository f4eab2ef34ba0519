"""YAML syntax errors in Swedish: what is wrong on which line, and how to fix it.

PyYAML's problems name the parser's state ("mapping values are not allowed here"); a
secretary needs the cause. The most common cause is indentation (a key moved a space
when copying), which the parser reports as a misplaced colon or list item: those are
recognised from the lines themselves and reported with the column the key belongs in.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic

if TYPE_CHECKING:
    import yaml


def mark_position(mark: Any, starts: list[int] | None) -> tuple[int, int]:
    """A PyYAML mark as a 0-based (line, column), lines counted at LF only."""
    if starts is None:
        return mark.line, mark.column
    line = bisect.bisect_right(starts, mark.index) - 1
    return line, mark.index - starts[line]


_TAB = ("tabbtecken kan inte användas i YAML", "Använd mellanslag för indrag, aldrig tabb.")

# (needle in the problem text of libyaml or pure-Python PyYAML, Swedish problem, hint)
_PROBLEMS = [
    (
        "exceeded maximum nesting depth",  # libyaml stops at 1,000 levels
        "strukturen är för djupt nästlad",
        "Arkivets filer har några få nivåer: kontrollera hakparenteser, klammerparenteser "
        "och indrag.",
    ),
    ("found character '\\t' that cannot start any token", *_TAB),
    ("found a tab character", *_TAB),
    (
        "that cannot start any token",
        "tecknet kan inte inleda ett värde",
        'Sätt citattecken runt värden som börjar med @, ` eller %, t.ex. plats: "@Hjo".',
    ),
    (
        "mapping values are not allowed",
        "ett kolon står på fel ställe",
        "Sätt citattecken runt värden som innehåller ': ', "
        't.ex. rubrik: "Mål: digital kompetens".',
    ),
    (
        "sequence entries are not allowed",
        "ett listelement ('- ') står på fel ställe",
        "Börja listan på en egen rad under nyckeln, med indrag: '  - värde'.",
    ),
    (
        "could not find expected ':'",
        "en nyckel saknar kolon",
        "Skriv nyckel och värde som 'nyckel: värde'; kontrollera indraget på raden ovanför.",
    ),
    (
        "did not find expected ',' or ']'",
        "en lista inom [ ] stängs inte",
        "Avsluta listan med ']' på samma rad, och skilj värdena åt med kommatecken.",
    ),
    (
        "did not find expected ',' or '}'",
        "en mappning inom { } stängs inte",
        "Avsluta med '}' och skilj värdena åt med kommatecken.",
    ),
    (
        "found unexpected end of stream",
        "ett citattecken stängs inte",
        "Kontrollera att alla citattecken och hakparenteser stängs.",
    ),
    (
        "found unknown escape character",
        "okänd kod efter '\\' inom dubbla citattecken",
        "Använd enkla citattecken ('...') eller skriv '\\\\' för ett bakstreck.",
    ),
    (
        "did not find expected key",
        "indraget stämmer inte",
        "Kontrollera att raden har samma indrag som nycklarna på samma nivå.",
    ),
    (
        "expected <block end>",
        "indraget stämmer inte",
        "Kontrollera att raden har samma indrag som nycklarna på samma nivå.",
    ),
    (
        "did not find expected node content",
        "ett värde saknas eller är felformat",
        "Kontrollera listor och hakparenteser på raden.",
    ),
    (
        "did not find expected '-' indicator",
        "ett listelement har fel indrag",
        "Ge alla '- '-rader i samma lista samma indrag.",
    ),
    (
        "but found another document",
        "filen innehåller mer än ett YAML-dokument ('---')",
        "Ta bort den extra raden '---'.",
    ),
    (
        "characters are not allowed",
        "filen innehåller otillåtna kontrolltecken",
        "Ta bort osynliga kontrolltecken (kopierade från Word eller PDF).",
    ),
]

# errors whose cause is where the construct began, not where the parser gave up
_AT_START = ("while scanning a quoted scalar", "while parsing a flow")


def yaml_error(
    exc: yaml.YAMLError, text: str, rel: str, shift: int, starts: list[int] | None = None
) -> Diagnostic:
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if context_mark is not None and context.startswith(_AT_START):
        mark = context_mark
    if mark is not None:
        line, col = mark_position(mark, starts)
        line, col = line + 1, col + 1
    elif type(exc).__name__ == "ReaderError":  # a bad character: no mark, an offset
        reader: Any = exc
        problem = str(reader.reason)
        char = reader.character
        offset = text.find(chr(char)) if isinstance(char, int) else -1
        offset = offset if offset >= 0 else min(reader.position, len(text))
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    else:
        line, col = 1, 1
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        if lines[line - 1][col - 1] == "\t":
            return diag("SIKT106", rel, line + shift, col, f"YAML-syntaxfel: {_TAB[0]}.", _TAB[1])
    problem = problem or str(exc).strip()
    if any(needle in problem for needle in _INDENT_PROBLEMS):
        for at in (line, line - 1):  # the parser may give up on the line after
            found = indentation(lines, at, shift)
            if found is not None:
                message, hint, column = found
                return diag("SIKT106", rel, at + shift, column, message, hint)
    for needle, swedish, hint in _PROBLEMS:
        if needle in problem:
            return diag("SIKT106", rel, line + shift, col, f"YAML-syntaxfel: {swedish}.", hint)
    return diag(
        "SIKT106",
        rel,
        line + shift,
        col,
        f"YAML-syntaxfel: raden kan inte tolkas ({problem}).",
        "Kontrollera indrag, kolon och citattecken på raden och raden ovanför.",
    )


# what PyYAML says when a line's indentation is wrong (and for other causes too)
_INDENT_PROBLEMS = (
    "mapping values are not allowed",
    "did not find expected key",
    "expected <block end>",
    "did not find expected '-' indicator",
    "could not find expected ':'",
)
_KEY = re.compile(r"^(- +)?([^\s#'\"\[\]{},&*!|>%@`-][^:#]*?):(?:\s|$)")


def _columns(lines: list[str], before: int) -> tuple[dict[int, tuple[str, int]], bool]:
    """The key columns (0-based) still open at line `before` (1-based), each with the key
    and line that opened it; and whether the line above opens a nested block (`key:`)."""
    open_keys: dict[int, tuple[str, int]] = {}
    lowest = None
    nested = False
    for idx in range(before - 2, -1, -1):
        text = lines[idx]
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(stripped)
        m = _KEY.match(stripped)
        if lowest is None:
            nested = m is not None and not stripped[m.end() :].split("#")[0].strip()
        if lowest is not None and indent >= lowest:
            continue
        lowest = indent
        if m is not None:
            column = indent + len(m.group(1) or "")
            open_keys.setdefault(column, (m.group(2).strip(), idx + 1))
        if indent == 0:
            break
    return open_keys, nested


def indentation(lines: list[str], line: int, shift: int = 0) -> tuple[str, str, int] | None:
    """(message, hint, column) when `line` (1-based) is a key whose indentation matches no
    open level of the lines above it; None when its indentation is not the problem.
    `shift` turns a line of `lines` into a file line (a frontmatter starts on line 2)."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    stripped = text.lstrip(" ")
    m = _KEY.match(stripped)
    if m is None or m.group(1):
        return None
    indent = len(text) - len(stripped)
    open_keys, nested = _columns(lines, line)
    if not open_keys or indent in open_keys or (nested and indent > max(open_keys)):
        return None
    expected = min(open_keys, key=lambda c: (abs(c - indent), -c))
    key, (above, above_line) = m.group(2).strip(), open_keys[expected]
    return (
        f"YAML-syntaxfel: raden har fel indrag: '{key}' börjar i kolumn {indent + 1}, men "
        f"nycklarna på den här nivån börjar i kolumn {expected + 1}.",
        f"Flytta '{key}:' till kolumn {expected + 1}, rakt under '{above}' på rad "
        f"{above_line + shift}. Indraget görs med mellanslag, lika många på varje rad i "
        "samma nivå.",
        indent + 1,
    )
