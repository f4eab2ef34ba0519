"""Proposed members appended to medlemmar.yaml, every other byte of the file kept.

The new entries go at the end of the `medlemmar:` block list, in the list's own indentation
and the file's own line endings (and BOM). A list in flow style (`[...]`), or one that is
not the last thing in the file, is refused rather than rewritten: a rewrite would lose the
user's comments and layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sikt_cli.errors import Refused
from sikt_cli.importers.people import Person
from sikt_cli.importers.yaml_text import comment, scalar

_BOM = b"\xef\xbb\xbf"


def _refuse(why: str) -> Refused:
    return Refused(
        f"medlemmar.yaml: {why}; de föreslagna medlemmarna kan inte läggas till automatiskt.",
        "Lägg till dem för hand (se listan ovan), eller kör utan --nya-medlemmar.",
    )


def _members_node(text: str) -> tuple[Any, Any]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _refuse("filen är inte giltig YAML") from exc
    if not isinstance(root, yaml.MappingNode):
        raise _refuse("filen är ingen mappning med nycklar")
    for i, (k, v) in enumerate(root.value):
        if k.value == "medlemmar":
            return v, i == len(root.value) - 1
    raise _refuse("nyckeln 'medlemmar' saknas")


def _indent(text: str, node: Any) -> tuple[str, str]:
    """The spaces before each item's '-' and before its keys."""
    import yaml

    if not isinstance(node, yaml.SequenceNode) or not node.value:
        return "  ", "    "
    first = node.value[0]
    line = text.split("\n")[first.start_mark.line]
    dash = line.rfind("-", 0, first.start_mark.column)
    if dash < 0 or line[:dash].strip():
        raise _refuse("listans första medlem står inte på en egen rad")
    return line[:dash], " " * first.start_mark.column


def append_members(data: bytes, people: Sequence[Person], source: str) -> bytes:
    """medlemmar.yaml's bytes with `people` added at the end of its medlemmar list."""
    import yaml

    bom = _BOM if data.startswith(_BOM) else b""
    try:
        text = data[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse("filen är inte UTF-8") from exc
    eol = "\r\n" if "\r\n" in text else "\n"
    plain = text.replace("\r\n", "\n")
    node, last = _members_node(plain)
    empty = isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith("null")
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        raise _refuse("listan 'medlemmar' står i flödesstil ([...])")
    if not (isinstance(node, yaml.SequenceNode) or empty):
        raise _refuse("'medlemmar' är ingen lista")
    if not last:
        raise _refuse("listan 'medlemmar' är inte det sista i filen")
    dash, keys = _indent(plain, node)
    block = [f"{dash}{comment(f'importerat: föreslagna av sikt importera från {source}')}"]
    for p in people:
        gap = " " * max(1, len(keys) - len(dash) - 1)
        block += [f"{dash}-{gap}id: {p.id}", f"{keys}namn: {scalar(p.namn)}"]
        block.append(f"{keys}kommun: {scalar(p.kommun)}")
    head = text if text.endswith(("\n", "\r")) or not text else text + eol
    new = head + eol.join(block) + eol
    _check(new, plain, len(people))
    return bom + new.encode("utf-8")


def _check(new: str, old: str, added: int) -> None:
    """The result must read as the old file plus the new members, or nothing is written."""
    import yaml

    try:
        before = yaml.safe_load(old) or {}
        after = yaml.safe_load(new.replace("\r\n", "\n")) or {}
    except yaml.YAMLError as exc:
        raise _refuse("tillägget skulle göra filen ogiltig") from exc
    old_list = before.get("medlemmar") or []
    new_list = after.get("medlemmar") or []
    same_rest = {k: v for k, v in after.items() if k != "medlemmar"} == {
        k: v for k, v in before.items() if k != "medlemmar"
    }
    if (
        not same_rest
        or new_list[: len(old_list)] != old_list
        or len(new_list) != len(old_list) + added
    ):
        raise _refuse("tillägget skulle ändra annat än listan")
