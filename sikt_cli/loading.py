"""Files → documents with line marks. Every failure becomes a diagnostic, never an exception.

Why not python-frontmatter: it silently returns no metadata when the file starts with a
BOM or the closing `---` is missing, and its YAML errors carry lines counted from the
start of the frontmatter, not of the file. We split the frontmatter ourselves and keep the
offsets, so every YAML mark and every markdown-it token map becomes a real file line.

Why not `yaml.safe_load`: YAML 1.1 resolvers change meaning silently (`10:30` is the
sexagesimal integer 630, `NO` is False) and duplicate keys silently keep the last value.
We only *compose* the YAML (libyaml's C parser when available) and keep every scalar as
text with its position; `schema.py` converts it per field and diagnoses what is wrong.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.pickling import reduce_by_fields

MAX_BYTES = 1024 * 1024  # a protokoll is a few KB; anything past 1 MiB is a mistake
_BOM = "\ufeff"

if TYPE_CHECKING:
    import yaml


@cache
def _yaml() -> tuple[Any, type]:
    """PyYAML and its fastest safe loader, imported on first use (not for `sikt --help`
    or a cached answer). libyaml composes several times faster than pure Python."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


@dataclass(slots=True)
class Loaded:
    """What loading a file gave: its source and root node when they could be read."""

    rel: str
    source: Source | None = None
    node: YNode | None = None
    frontmatter: Frontmatter | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_source(path: Path, rel: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read and decode a file; say what is wrong when it cannot be used as UTF-8 text."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                diag(
                    "SIKT102",
                    rel,
                    0,
                    0,
                    f"Filen är {size // 1024} KiB; gränsen är {MAX_BYTES // 1024} KiB.",
                    "Ett protokoll eller en datafil är några KB. Kontrollera att rätt fil "
                    "ligger här (inte en bilaga eller en export).",
                )
            ]
        data = path.read_bytes()
    except IsADirectoryError:
        return None, [diag("SIKT100", rel, 0, 0, "Sökvägen är en katalog, inte en fil.")]
    except OSError as exc:
        return None, [
            diag(
                "SIKT100",
                rel,
                0,
                0,
                f"Filen kan inte läsas: {exc.strerror or exc}.",
                "Kontrollera att filen finns och att du har läsrättighet.",
            )
        ]
    return decode(data, rel)


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
    return _convert(node, rel, shift, diags, starts), diags


def _convert(
    node: Any, rel: str, shift: int, diags: list[Diagnostic], starts: list[int] | None = None
) -> YNode:
    line, column = _where(node.start_mark, starts)
    pos = Pos(line + 1 + shift, column + 1)
    if node.id == "scalar":
        return YScalar(str(node.value), not node.style, pos)  # libyaml: "" for plain empty
    if node.id == "sequence":
        return YSeq([_convert(n, rel, shift, diags, starts) for n in node.value], pos)
    pairs: list[tuple[YNode, YNode]] = []
    seen: dict[str, Pos] = {}
    for k, v in node.value:
        key = _convert(k, rel, shift, diags, starts)
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
        pairs.append((key, _convert(v, rel, shift, diags, starts)))
    return YMap(pairs, pos)


_TAB = ("tabbtecken kan inte användas i YAML", "Använd mellanslag för indrag, aldrig tabb.")

# (needle in the problem text of libyaml or pure-Python PyYAML, Swedish problem, hint)
_PROBLEMS = [
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


def load_yaml_file(path: Path, rel: str) -> Loaded:
    """Load a whole-file YAML data file (medlemmar.yaml, mal.yaml)."""
    src, diags = read_source(path, rel)
    loaded = Loaded(rel=rel, source=src, diagnostics=diags)
    if src is None:
        return loaded
    if not src.text.strip():
        loaded.diagnostics.append(diag("SIKT103", rel, 1, 1, "Filen är tom."))
        return loaded
    loaded.node, more = parse_yaml(src.text, rel, 1)
    loaded.diagnostics.extend(more)
    return loaded


def load_markdown_file(path: Path, rel: str) -> Loaded:
    """Load a protokoll: frontmatter tree plus body with its file line offset."""
    src, diags = read_source(path, rel)
    loaded = Loaded(rel=rel, source=src, diagnostics=diags)
    if src is None:
        return loaded
    fm, more = split_frontmatter(src)
    loaded.diagnostics.extend(more)
    if fm is None:
        return loaded
    loaded.frontmatter = fm
    loaded.node, more = parse_yaml(fm.yaml_text, rel, fm.yaml_first_line)
    loaded.diagnostics.extend(more)
    return loaded


Pos.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
