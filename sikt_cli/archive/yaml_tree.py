"""YAML composed with positions: every node keeps its file line and column.

Why not `yaml.safe_load`: YAML 1.1 resolvers change meaning silently (`10:30` is the
sexagesimal integer 630, `NO` is False) and duplicate keys silently keep the last value.
We only *compose* the YAML (libyaml's C parser when available) and keep every scalar as
text with its position; `archive/spec.py` converts it per field and diagnoses what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sikt_cli.archive.yaml_errors import mark_position as _where
from sikt_cli.archive.yaml_errors import yaml_error
from sikt_cli.cache import reduce_by_fields
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic

if TYPE_CHECKING:
    pass


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
            return None, [yaml_error(exc, text, rel, shift, starts)]
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return None, [yaml_error(exc, text, rel, shift, starts)]
    except RecursionError:
        return None, [diag("SIKT106", rel, first_line, 1, "YAML-strukturen är för djupt nästlad.")]
    if node is None:
        return None, []
    diags: list[Diagnostic] = []
    try:
        if starts is None:
            return _convert_lf(node, rel, shift, diags), diags
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
        return YSeq([_convert(n, rel, shift, diags, starts, depth) for n in node.value], pos)
    pairs: list[tuple[YNode, YNode]] = []
    seen: dict[str, Pos] = {}
    for k, v in node.value:
        key = _convert(k, rel, shift, diags, starts, depth)
        if isinstance(key, YScalar):
            if key.text in seen:
                diags.append(_duplicate(rel, key, seen[key.text]))
                continue
            seen[key.text] = key.pos
        pairs.append((key, _convert(v, rel, shift, diags, starts, depth)))
    return YMap(pairs, pos)


def _convert_lf(node: Any, rel: str, shift: int, diags: list[Diagnostic], depth: int = 0) -> YNode:
    """`_convert` for text whose lines PyYAML counts as sikt does (no NEL, LS or PS: nearly
    every file): the same tree and diagnostics, with marks read directly and scalar items,
    keys and values built in place (a quarter less time than the general walk)."""
    m = node.start_mark
    pos = Pos(m.line + 1 + shift, m.column + 1)
    kind = node.id
    if kind == "scalar":
        return YScalar(str(node.value), not node.style, pos)  # libyaml: "" for plain empty
    if depth >= MAX_DEPTH:
        raise _TooDeep(pos)
    depth += 1
    if kind == "sequence":
        items: list[YNode] = []
        for n in node.value:
            if n.id == "scalar":
                m = n.start_mark
                at = Pos(m.line + 1 + shift, m.column + 1)
                items.append(YScalar(str(n.value), not n.style, at))
            else:
                items.append(_convert_lf(n, rel, shift, diags, depth))
        return YSeq(items, pos)
    pairs: list[tuple[YNode, YNode]] = []
    seen: dict[str, Pos] = {}
    for k, v in node.value:
        key: YNode
        if k.id == "scalar":
            m = k.start_mark
            key = YScalar(str(k.value), not k.style, Pos(m.line + 1 + shift, m.column + 1))
            if key.text in seen:
                diags.append(_duplicate(rel, key, seen[key.text]))
                continue
            seen[key.text] = key.pos
        else:
            key = _convert_lf(k, rel, shift, diags, depth)
        value: YNode
        if v.id == "scalar":
            m = v.start_mark
            value = YScalar(str(v.value), not v.style, Pos(m.line + 1 + shift, m.column + 1))
        else:
            value = _convert_lf(v, rel, shift, diags, depth)
        pairs.append((key, value))
    return YMap(pairs, pos)


def _duplicate(rel: str, key: YScalar, first: Pos) -> Diagnostic:
    return diag(
        "SIKT107",
        rel,
        key.pos.line,
        key.pos.column,
        f"Nyckeln '{key.text}' finns redan på rad {first.line}; bara en av dem kan gälla.",
        "Ta bort eller slå ihop den ena av de två raderna.",
    )


Pos.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
