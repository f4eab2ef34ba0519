"""The one frontmatter editor: new bytes in which exactly one key's value changed, or a refusal.

Every edit of a protokoll's frontmatter (justera, ny, kallelse's invitation record, rättelser)
goes through here. The YAML is composed with PyYAML to find the key's and the value's exact
character span (flow style, block scalars, next-line values, explicit `? key` entries and
comments included); only that span is replaced, or a new `key: value` is inserted at one
point. The result is composed again and compared with the original: every other key's source
text must be byte-identical and the edited key must hold exactly the intended value. Whatever
does not pass that check is refused with a Swedish message and the file is left unchanged:
this module never guesses.

Pure functions: the archive package never writes a file. A service writes the new bytes with
`files.replace_atomically(path, new, expected=old)`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sikt_cli.errors import Refused

_EOL = re.compile(r"\r\n|\r|\n")
# text that YAML reads as itself when written plain, in block and in flow context alike
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9ÅÄÖåäöéÉüÜ_./][A-Za-z0-9ÅÄÖåäöéÉüÜ _.@/+-]*$")
_RESERVED = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"}
_RESERVED |= {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}


class EditRefused(Refused):
    """The frontmatter is written in a way this editor cannot change exactly."""


@dataclass(frozen=True, slots=True)
class _Split:
    """A protokoll's text around its YAML block (character offsets into `text`)."""

    bom: bytes
    text: str  # the whole file after the BOM, line endings as in the file
    start: int  # first character of the YAML block
    end: int  # first character of the closing `---` line
    eol: str  # the file's line ending, for new lines


def _split(data: bytes, rel: str) -> _Split:
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = data[len(bom) :].decode("utf-8")
    except UnicodeDecodeError:
        raise EditRefused(
            f"{rel} kan inte läsas som UTF-8 och ändras inte.", "Spara filen som UTF-8."
        ) from None
    lines = [(m.start(), m.end(), m.group()) for m in _EOL.finditer(text)]
    starts = [0] + [e for _, e, _ in lines]
    if not lines or text[: lines[0][0]].rstrip() != "---":
        raise EditRefused(
            f"{rel} har ingen frontmatter som börjar med '---' och ändras inte.",
            "Kör 'sikt validera' och rätta filen först.",
        )
    for i in range(1, len(starts)):
        line_end = lines[i][0] if i < len(lines) else len(text)
        if text[starts[i] : line_end].rstrip() in ("---", "..."):
            return _Split(bom, text, starts[1], starts[i], lines[0][2])
    raise EditRefused(
        f"{rel}: frontmattern avslutas inte med '---'; filen ändras inte.",
        "Kör 'sikt validera' och rätta filen först.",
    )


def _compose(yaml_text: str, rel: str) -> Any:
    """The root mapping node with marks; a refusal for anything but a plain mapping."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        events = list(yaml.parse(yaml_text, Loader=loader))
        root = yaml.compose(yaml_text, Loader=loader)
    except yaml.YAMLError:
        raise EditRefused(
            f"{rel}: frontmattern är inte giltig YAML; filen ändras inte.",
            "Kör 'sikt validera' och rätta felet först.",
        ) from None
    if any(getattr(e, "anchor", None) for e in events) or any(
        type(e).__name__ == "AliasEvent" for e in events
    ):
        raise EditRefused(
            f"{rel}: frontmattern använder YAML-ankare (&/*); sikt ändrar den inte.",
            "Skriv ut värdena i stället för ankare och alias.",
        )
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        raise EditRefused(
            f"{rel}: frontmattern är inte en mappning med nycklar; filen ändras inte.",
            "Skriv en nyckel per rad: 'nyckel: värde'.",
        )
    keys = [k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)]
    if len(keys) != len(root.value) or len(set(keys)) != len(keys):
        raise EditRefused(
            f"{rel}: frontmattern har en nyckel två gånger eller en nyckel som inte är text; "
            "filen ändras inte.",
            "Kör 'sikt validera' och rätta felet först.",
        )
    return root


def scalar(value: object) -> str:
    """`value` as YAML flow text that our loader reads back as exactly that value."""
    if isinstance(value, bool) or value is None:
        raise TypeError("no booleans or nulls in the frontmatter")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(str(k))}: {scalar(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN_SAFE.fullmatch(text) and text not in _RESERVED and not text.endswith(" "):
        if ": " not in text and " #" not in text:
            return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _plain(node: Any) -> Any:
    """A composed node as plain data with every scalar as text (no YAML 1.1 resolving)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    return node.value


def _as_text(value: object) -> Any:
    if isinstance(value, dict):
        return {str(k): _as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_text(v) for v in value]
    return str(value)


def _spans(root: Any, yaml_text: str) -> dict[str, str]:
    """Each top-level key's source text of key and value, for the sameness check."""
    if root is None:
        return {}
    return {
        k.value: yaml_text[k.start_mark.index : v.end_mark.index].rstrip() for k, v in root.value
    }


def set_key(data: bytes, rel: str, key: str, value: object, *, after: str = "status") -> bytes:
    """The file with `key` set to `value`: its value span replaced, or `key: value` inserted
    after the `after` key (or at the end of the frontmatter)."""
    fm = _split(data, rel)
    yaml_text = fm.text[fm.start : fm.end]
    root = _compose(yaml_text, rel)
    new_yaml = _with_value(yaml_text, root, key, scalar(value), after, fm.eol, rel)
    _verify(yaml_text, new_yaml, rel, {key: value})
    return fm.bom + (fm.text[: fm.start] + new_yaml + fm.text[fm.end :]).encode("utf-8")


def _with_value(
    yaml_text: str, root: Any, key: str, text: str, after: str, eol: str, rel: str
) -> str:
    pairs = {k.value: (k, v) for k, v in root.value} if root is not None else {}
    if key in pairs:
        k, v = pairs[key]
        start, end = v.start_mark.index, _value_end(v)
        colon = yaml_text.index(":", k.end_mark.index)
        if start == end or not yaml_text[start:end].strip():  # `key:` with no value
            return yaml_text[: colon + 1] + " " + text + yaml_text[colon + 1 :]
        old = yaml_text[start:end]
        tail = old[len(old.rstrip("\r\n")) :]  # a block scalar's span ends with its breaks
        between = yaml_text[colon + 1 : start]
        if _EOL.search(between) and "#" not in between:  # `key:` then the value below it:
            start, text = colon + 1, " " + text  # the new value goes on the key's line
        return yaml_text[:start] + text + tail + yaml_text[end:]
    if root is not None and root.flow_style:  # `{…, key: text}` before the closing brace
        close = yaml_text.rindex("}", 0, root.end_mark.index)
        cut = len(yaml_text[:close].rstrip())
        sep = "" if yaml_text[:cut].endswith(("{", ",")) else ","
        return yaml_text[:cut] + f"{sep} {key}: {text}" + yaml_text[cut:]
    return _insert_line(yaml_text, pairs.get(after), f"{key}: {text}", eol, root)


def _value_end(node: Any) -> int:
    """Where a value's own text ends: for a block collection, at its last item, so that
    comment lines after it (which PyYAML counts into its span) stay where they are."""
    import yaml

    if isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _value_end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return int(node.end_mark.index)


def _insert_line(yaml_text: str, anchor: Any, line: str, eol: str, root: Any) -> str:
    """`line` as a new top-level entry after the anchor pair's value, else at the end."""
    indent = " " * (root.start_mark.column if root is not None else 0)
    if anchor is None:
        at = len(yaml_text)
    else:
        end = _value_end(anchor[1])
        if end and yaml_text[end - 1] in "\r\n":  # the value's span ends with its line break
            at = end
        else:  # the rest of the value's last line (a comment, say) stays with it
            brk = _EOL.search(yaml_text, end)
            at = brk.end() if brk else len(yaml_text)
    before = yaml_text[:at]
    if before and not before.endswith(("\n", "\r")):
        before += eol
    return before + indent + line + eol + yaml_text[at:]


def add_keys(data: bytes, rel: str, block: str) -> bytes:
    """The file with the top-level keys of the YAML `block` that it lacks added at the end of
    its frontmatter, each with its comment lines; keys it has already are left as they are."""
    fm = _split(data, rel)
    yaml_text = fm.text[fm.start : fm.end]
    root = _compose(yaml_text, rel)
    if root is not None and root.flow_style:
        raise EditRefused(
            f"{rel}: frontmattern är skriven i flödesstil ({{…}}); sikt lägger inte till "
            "nycklar i den.",
            "Skriv frontmattern med en nyckel per rad (blockstil) och kör kommandot igen.",
        )
    have = set(_spans(root, yaml_text))
    lines = _missing_entries(block, have)
    if not lines:
        return data
    new_yaml = yaml_text
    if new_yaml and not new_yaml.endswith(("\n", "\r")):
        new_yaml += fm.eol
    new_yaml += "".join(ln + fm.eol for ln in lines)
    added = _compose(block, rel)
    expected = {k.value: _plain(v) for k, v in added.value if k.value not in have} if added else {}
    _verify(yaml_text, new_yaml, rel, expected, literal=True)
    return fm.bom + (fm.text[: fm.start] + new_yaml + fm.text[fm.end :]).encode("utf-8")


def _missing_entries(block: str, have: set[str]) -> list[str]:
    """The lines of `block`'s top-level entries (with their comments) whose key is not in `have`."""
    out: list[str] = []
    keep = True
    for line in block.rstrip("\n").split("\n"):
        top = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):", line)
        if top:
            keep = top.group(1) not in have
        if keep:
            out.append(line)
    return out


def _verify(
    old_yaml: str, new_yaml: str, rel: str, changed: dict[str, Any], *, literal: bool = False
) -> None:
    """Refuse unless only `changed` differ and hold exactly the intended values."""
    old_root = _compose(old_yaml, rel)
    try:
        new_root = _compose(new_yaml, rel)
    except EditRefused:
        new_root = None
    old = _spans(old_root, old_yaml)
    new = _spans(new_root, new_yaml) if new_root is not None else {}
    values = {k.value: _plain(v) for k, v in new_root.value} if new_root is not None else {}
    same_others = {k: v for k, v in old.items() if k not in changed} == {
        k: v for k, v in new.items() if k not in changed
    }
    intended = all(values.get(k) == (v if literal else _as_text(v)) for k, v in changed.items())
    if new_root is None or not same_others or not intended:
        raise EditRefused(
            f"{rel}: frontmattern är skriven på ett sätt som sikt inte kan ändra exakt "
            f"({', '.join(changed)}); filen ändras inte.",
            "Skriv nyckeln på en egen rad som 'nyckel: värde' och kör kommandot igen, eller "
            "ändra den för hand.",
        )
