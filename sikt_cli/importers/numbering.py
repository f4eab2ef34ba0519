"""The source's own item numbers (`§ 74`) next to sikt's 1..n, for notes that cite them."""

from __future__ import annotations

import re

from sikt_cli.importers.structure import Item

_RANGE = re.compile(r"§+\s*(\d+)(?:\s*[–-]\s*(\d+))?")


def with_item_numbers(note: str, items: list[Item]) -> str:
    """'ej § 91–97' → 'ej § 91–97 (ärende 4–10 här)' when the source numbered with §."""
    by_label = {int(i.label[1:].strip()): i.nr for i in items if i.label.startswith("§")}
    if not by_label:
        return note

    def mapped(m: re.Match[str]) -> str:
        first, last = by_label.get(int(m[1])), by_label.get(int(m[2] or m[1]))
        if first is None or last is None:
            return m[0]
        here = f"{first}" if first == last else f"{first}–{last}"
        return f"{m[0]} (ärende {here} här)"

    return _RANGE.sub(mapped, note)
