"""YAML composed with positions: every node keeps its file line and column.

Why not `yaml.safe_load`: YAML 1.1 resolvers change meaning silently (`10:30` is the
sexagesimal integer 630, `NO` is False) and duplicate keys silently keep the last value.
We only *compose* the YAML (libyaml's C parser when available) and keep every scalar as
text with its position; `archive/spec.py` converts it per field and diagnoses what is wrong.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sikt_cli.cache import reduce_by_fields
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic

if TYPE_CHECKING:
    import yaml


@cache
def _yaml() -> tuple[Any, type]:
    """PyYAML and its fastest safe loader, imported on first use (not for `sikt --help`
    or a cached answer). libyaml composes several times faster than pure Python."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Composer(base):  # type: ignore[misc]
        """Tags are never read (scalars stay text, see above): resolving every scalar
        against YAML 1.1's implicit-type regexes was a tenth of composing."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return "tag:yaml.org,2002:str"

    return yaml, Composer


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based position in a file."""

    line: int
    column: int = 1


@dataclass(slots=True)
class YScalar:
    text: str
    plain: bool  # unquoted: `null`, `~` and the empty string mean "no value"
    pos: Pos

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(slots=True)
class YSeq:
    items: list[YNode]
    pos: Pos


@dataclass(slots=True)
class YMap:
    pairs: list[tuple[YNode, YNode]]
    pos: Pos


YNode = YScalar | YSeq | YMap


_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def _lf_starts(text: str) -> list[int] | None:
    """Where each LF-separated line starts, when YAML would count lines differently.

    YAML also breaks lines at NEL, LS and PS (U+0085, U+2028, U+2029, e.g. pasted from
    Word); the rest of sikt, the editors and the line edits of justera count LF only.
    None when the text has none of them, so PyYAML's own line numbers are right.
    """
    if not any(c in text for c in _YAML_ONLY_BREAKS):
        return None
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _where(mark: Any, starts: list[int] | None) -> tuple[int, int]:
    """A PyYAML mark as a 0-based (line, column), lines counted at LF only."""
    if starts is None:
        return mark.line, mark.column
    line = bisect.bisect_right(starts, mark.index) - 1
    return line, mark.index - starts[line]


def parse_yaml(text: str, rel: str, first_line: int) -> tuple[YNode | None, list[Diagnostic]]:
    """Compose YAML into a position-carrying tree, without resolving any scalar."""
    yaml, loader = _yaml()
    shift = first_line - 1
    starts = _lf_starts(text)
    if "&" in text or "*" in text:  # cheap pre-check; confirm with the event stream
        try:
            for event in yaml.parse(text, Loader=loader):
                anchor = getattr(event, "anchor", None)
                m = event.start_mark
                if anchor is not None and m is not None:
                    line, column = _where(m, starts)
                    return None, [
                        diag(
                            "SIKT108",
                            rel,
                            line + 1 + shift,
                            column + 1,
                            f"YAML-ankare eller alias ('{anchor}') är inte tillåtna i arkivets "
                            "filer.",
                            "Skriv ut värdet på varje ställe där det behövs. Ankare kan "
                            "användas för att bygga enorma dokument och göra filen svårläst.",
                        )
                    ]
        except yaml.YAMLError as exc:
            return None, [_yaml_error(exc, text, rel, shift, starts)]
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return None, [_yaml_error(exc, text, rel, shift, starts)]
    except RecursionError:
        return None, [diag("SIKT106", rel, first_line, 1, "YAML-strukturen är för djupt nästlad.")]
    if node is None:
        return None, []
    diags: list[Diagnostic] = []
    try:
        return _convert(node, rel, shift, diags, starts), diags
    except _TooDeep as deep:
        return None, [
            diag(
                "SIKT106",
                rel,
                deep.pos.line,
                deep.pos.column,
                f"YAML-strukturen är för djupt nästlad (mer än {MAX_DEPTH} nivåer).",
                "Arkivets filer har några få nivåer: kontrollera hakparenteser, "
                "klammerparenteser och indrag.",
            )
        ]


MAX_DEPTH = 64  # the archive's formats nest 4 levels; libyaml composes far deeper trees


class _TooDeep(Exception):
    """Raised at the first node past MAX_DEPTH: converting (and later the per-field
    conversion in spec.py, pickling into the cache) would otherwise hit RecursionError."""

    def __init__(self, pos: Pos) -> None:
        super().__init__(pos)
        self.pos = pos


def _convert(
    node: Any,
    rel: str,
    shift: int,
    diags: list[Diagnostic],
    starts: list[int] | None = None,
    depth: int = 0,
) -> YNode:
    line, column = _where(node.start_mark, starts)
    pos = Pos(line + 1 + shift, column + 1)
    if node.id == "scalar":
        return YScalar(str(node.value), not node.style, pos)  # libyaml: "" for plain empty
    if depth >= MAX_DEPTH:
        raise _TooDeep(pos)
    depth += 1
    if node.id == "sequence":
        if starts is None:  # the common case inlined: a list of scalars (narvarande: [...])
            items: list[YNode] = []
            for n in node.value:
                if n.id == "scalar":
                    m = n.start_mark
                    at = Pos(m.line + 1 + shift, m.column + 1)
                    items.append(YScalar(str(n.value), not n.style, at))
                else:
                    items.append(_convert(n, rel, shift, diags, starts, depth))
            return YSeq(items, pos)
        return YSeq([_convert(n, rel, shift, diags, starts, depth) for n in node.value], pos)
    pairs: list[tuple[YNode, YNode]] = []
    seen: dict[str, Pos] = {}
    for k, v in node.value:
        key = _convert(k, rel, shift, diags, starts, depth)
        if isinstance(key, YScalar):
            if key.text in seen:
                first = seen[key.text]
                diags.append(
                    diag(
                        "SIKT107",
                        rel,
                        key.pos.line,
                        key.pos.column,
                        f"Nyckeln '{key.text}' finns redan på rad {first.line}; "
                        "bara en av dem kan gälla.",
                        "Ta bort eller slå ihop den ena av de två raderna.",
                    )
                )
                continue
            seen[key.text] = key.pos
        pairs.append((key, _convert(v, rel, shift, diags, starts, depth)))
    return YMap(pairs, pos)


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


def _yaml_error(
    exc: yaml.YAMLError, text: str, rel: str, shift: int, starts: list[int] | None = None
) -> Diagnostic:
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if context_mark is not None and context.startswith(_AT_START):
        mark = context_mark
    if mark is not None:
        line, col = _where(mark, starts)
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


Pos.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
