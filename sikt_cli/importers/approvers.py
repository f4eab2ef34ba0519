"""Justerare named in an item: "Till justerare valdes Leila Nordin", "X utsågs att justera"."""

from __future__ import annotations

import re

from sikt_cli.importers.blocks import plain
from sikt_cli.importers.structure import Item

_CHOSEN = (
    re.compile(r"(?:till |som )?justerare (?:valdes|utsågs)\s+(?P<names>[^.]+)", re.I),
    re.compile(r"(?P<names>[^.]+?)\s+(?:valdes|utsågs) (?:till|att) just", re.I),
)


def approver_names(items: list[Item]) -> list[str]:
    """The names, in the order written, from items about choosing justerare."""
    for item in items:
        if "juster" not in item.rubrik.lower():
            continue
        for b in item.blocks:
            for pattern in _CHOSEN:
                m = pattern.search(plain(b.text))
                if m:
                    parts = re.split(r",\s*|\s+och\s+", m.group("names").strip())
                    return [p.strip() for p in parts if p.strip()]
    return []
