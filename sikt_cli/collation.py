"""Swedish alphabetical order: `sort_key` for names and municipalities.

CLDR's Swedish collation is the Unicode Collation Algorithm (pyuca's DUCET table) with the
`sv` "standard" tailoring below, kept here as data in CLDR's rule syntax (from
unicode-org/cldr common/collation/sv.xml): …Z, Å, Ä, Ö; Æ as a variant of Ä, Ø of Ö, Ü of
Y; case and accents only break ties. PyICU has no wheels, so the tailoring is applied to
pyuca's table here. The table is built on first use (a few hundred milliseconds), never at
import, so start-up stays lean.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

# CLDR sv.xml, collation type "standard"
SV_RULES = (
    "&D<<đ<<<Đ<<ð<<<Ð\n"
    "&Y<<ü<<<Ü<<ű<<<Ű\n"
    "&[before 1]ǀ<å<<<Å<ä<<<Ä<<æ<<<Æ<<ę<<<Ę<ö<<<Ö<<ø<<<Ø<<ő<<<Ő<<œ<<<Œ<<ô<<<Ô\n"
)

_RESET = re.compile(r"&(\[before 1\])?([^<&\s]+)")
_RELATION = re.compile(r"(<<<|<<|<)([^<&\s]+)")
# A tailored weight must fall between two of DUCET's, which has no room there, so it is a
# fraction: Python compares the keys' ints and floats alike. "[before 1]ǀ<å<ä<ö" gives å,
# ä and ö primaries just below ǀ's (P-0.75, P-0.5, P-0.25: above every letter before ǀ);
# "&Y<<ü" gives ü Y's primary and a second secondary weight below every accent's (0x21 and
# up), so Y < Ü < Ý as CLDR orders them.
_STEP = 1 / 16
_UPPER = 0x0008  # DUCET's tertiary weight for a capital letter

Weights = list[list[float]]


def sort_key(text: str) -> tuple[float, ...]:
    """The key that sorts `text` in Swedish alphabetical order."""
    return _collator().sort_key(text)  # type: ignore[no-any-return]


def parse_rules(rules: str) -> list[tuple[bool, str, list[tuple[int, str]]]]:
    """CLDR rule text as (before primary?, reset, [(strength 1–3, string), …]) chains."""
    chains = []
    for line in rules.splitlines():
        line = line.strip()
        if not line:
            continue
        m = _RESET.match(line)
        if not m:
            raise ValueError(f"not a CLDR reset: {line!r}")
        steps = [(len(r[1]), r[2]) for r in _RELATION.finditer(line, m.end())]
        chains.append((bool(m[1]), m[2], steps))
    return chains


@cache
def _collator() -> Any:
    import pyuca

    collator = pyuca.Collator()
    for before, reset, steps in parse_rules(SV_RULES):
        base = _elements(collator, reset)
        step = 1 / (1 + sum(1 for s, _ in steps if s == 1))  # n primaries fit in one gap
        primary = base[0][0] - 1 if before else base[0][0]
        current = [list(ce) for ce in base]
        secondary = 0.0
        for strength, text in steps:
            if strength == 1:
                primary += step
                current, secondary = [[primary, 0x0020, 0x0002]], 0.0
            elif strength == 2:
                secondary += _STEP
                current = [[current[0][0], 0x0020, 0x0002], [0, secondary, 0x0002]]
            else:
                first = current[0]
                current = [[first[0], first[1], _UPPER], *(list(ce) for ce in current[1:])]
            _add(collator, text, current)
    return collator


def _elements(collator: Any, text: str) -> Weights:
    return [list(ce) for ce in collator.collation_elements(unicodedata.normalize("NFD", text))]


def _add(collator: Any, text: str, elements: Weights) -> None:
    """The tailored weights for `text` as pyuca looks it up: in canonical decomposition."""
    key = [ord(c) for c in unicodedata.normalize("NFD", text)]
    collator.table.add(key, [list(ce) for ce in elements])
