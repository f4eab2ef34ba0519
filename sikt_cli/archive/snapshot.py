"""The data files as bytes from git (a ref's medlemmar.yaml and mal.yaml) → the model.

Used by the lock: what an approved protokoll showed at the base ref is computed from the
data files as the base ref holds them. A file that cannot be read gives an empty model.
"""

from __future__ import annotations

from sikt_cli.archive.build import build_goals, build_roster
from sikt_cli.archive.formats import MAL, MEDLEMMAR
from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE
from sikt_cli.archive.model import Goals, Roster
from sikt_cli.archive.source import decode
from sikt_cli.archive.spec import Converter
from sikt_cli.archive.yaml_tree import YMap, YNode, parse_yaml


def _node(data: bytes, rel: str) -> YNode | None:
    src, _ = decode(data, rel)
    if src is None:
        return None
    node, _ = parse_yaml(src.text, rel, 1)
    return node if isinstance(node, YMap) else None


def roster_from(data: bytes) -> Roster:
    node = _node(data, MEMBERS_FILE)
    return build_roster(Converter(MEMBERS_FILE).document(node, MEDLEMMAR, MEMBERS_FILE))


def goals_from(data: bytes) -> Goals:
    node = _node(data, GOALS_FILE)
    doc = Converter(GOALS_FILE).document(node, MAL, GOALS_FILE) if node is not None else None
    return build_goals(doc)
