"""Masking: a value on one line replaced by `[maskerat]`, and the check that a change to a
justerat protokoll is exactly the recorded masking.

`sikt protokoll maskera` writes the change; the lock on justerade protokoll (`--bas`) and
the signature check call `masking_mismatch(old, new)` on the bytes at the ref and now:
None means that every difference is explained by the entries added to `maskeringar`.
Pure functions over bytes; the value masked is never recorded, only its kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sikt_cli.archive.documents import Loaded, parse_markdown
from sikt_cli.archive.yaml_tree import YMap, YScalar
from sikt_cli.records.personal_data import NUMBER_KINDS, SAMORDNINGSNUMMER, scan_line

MASK = "[maskerat]"
KEY = "maskeringar"
TEXT_KIND = "text"
_MAX_LINE = 20_000  # the general check backtracks; a longer line is not explained


def mask_numbers(line: str) -> tuple[str, str, int] | None:
    """The line with its identity numbers masked, their kind and how many: the numbers
    written with a separator if there are any, else the bare ones. None if there are none."""
    found = [f for f in scan_line(line, contact=False) if f.is_number]
    chosen = [f for f in found if f.separated] or found
    if not chosen:
        return None
    out = line
    for f in sorted(chosen, key=lambda f: f.column, reverse=True):
        out = out[: f.column - 1] + MASK + out[f.end - 1 :]
    kinds = {f.kind for f in chosen}
    kind = SAMORDNINGSNUMMER if kinds == {SAMORDNINGSNUMMER} else NUMBER_KINDS[0]
    return out, kind, len(chosen)


def _number_variants(line: str) -> set[str]:
    """Every line `maskera` could have made from `line` by masking identity numbers."""
    found = [f for f in scan_line(line, contact=False) if f.is_number]
    out = set()
    for subset in ([f for f in found if f.separated], [f for f in found if not f.separated], found):
        masked = line
        for f in sorted(subset, key=lambda f: f.column, reverse=True):
            masked = masked[: f.column - 1] + MASK + masked[f.end - 1 :]
        if subset:
            out.add(masked)
    return out


def replaced_by_mask(old: str, new: str) -> bool:
    """True when `new` is `old` with one or more non-empty stretches replaced by MASK."""
    parts = new.split(MASK)
    if len(parts) < 2 or len(old) > _MAX_LINE or len(parts) > 50:
        return False
    pattern = "".join(re.escape(p) + "(.+?)" for p in parts[:-1]) + re.escape(parts[-1])
    return re.fullmatch(pattern, old, re.S) is not None


@dataclass(frozen=True, slots=True)
class _Side:
    lines: list[tuple[int, str]]  # (file line, text) outside the maskeringar block
    entries: list[Any]
    bom: bool
    crlf: bool
    total: int  # lines in the file


def _side(data: bytes) -> _Side | str:
    loaded = parse_markdown(data, "x")
    if loaded.source is None or loaded.frontmatter is None or loaded.doc is None:
        return "filen kan inte läsas som ett protokoll"
    if loaded.yaml_problems:
        return "frontmatter kan inte läsas"
    first, last = block_span(loaded) or (0, -1)
    lines = [(i, t) for i, t in enumerate(loaded.source.lines, start=1) if not first <= i <= last]
    entries = loaded.doc.data.get(KEY) or []
    return _Side(
        lines, list(entries), loaded.source.had_bom, loaded.source.crlf, len(loaded.source.lines)
    )


def block_span(loaded: Loaded) -> tuple[int, int] | None:
    """File lines (inclusive) of the top-level `maskeringar` key and its value."""
    node, fm = loaded.node, loaded.frontmatter
    if not isinstance(node, YMap) or fm is None:
        return None
    for i, (key, _) in enumerate(node.pairs):
        if isinstance(key, YScalar) and key.text == KEY:
            nxt = node.pairs[i + 1][0].pos.line if i + 1 < len(node.pairs) else fm.end_line
            return key.pos.line, nxt - 1
    return None


def masking_explains(old: bytes, new: bytes) -> bool:
    """True when `new` differs from `old` exactly by recorded maskings."""
    return masking_mismatch(old, new) is None


def masking_mismatch(old: bytes, new: bytes) -> str | None:
    """None when every difference between the two versions of a protokoll is a masking
    recorded in entries added at the end of `maskeringar`; else why not (Swedish)."""
    a, b = _side(old), _side(new)
    if isinstance(a, str) or isinstance(b, str):
        return str(a if isinstance(a, str) else b)
    if (a.bom, a.crlf) != (b.bom, b.crlf):
        return "radslut eller BOM har ändrats"
    n_old = len(a.entries)
    if b.entries[:n_old] != a.entries or len(b.entries) == n_old:
        return "inga nya poster har lagts till sist i 'maskeringar', eller en gammal har ändrats"
    added = b.entries[n_old:]
    if any(not isinstance(e, dict) or not {"rad", "typ"} <= e.keys() for e in added):
        return "en ny post i 'maskeringar' saknar 'rad' eller 'typ'"
    if len(a.lines) != len(b.lines):
        return "rader har lagts till eller tagits bort utanför 'maskeringar'"
    changed = [(o, t, u) for (o, t), (_, u) in zip(a.lines, b.lines, strict=True) if t != u]
    if not changed:
        return "maskeringen ändrade ingen rad"
    # a later entry's `rad` was counted after earlier entries grew the file: it may stand
    # below the line it masked by at most what the file grew
    return _explain(changed, added, max(b.total - a.total, 0))


def _explain(changed: list[tuple[int, str, str]], added: list[Any], shift: int) -> str | None:
    covered: set[int] = set()
    for k, e in enumerate(added):
        rad = e["rad"]
        hits = [o for o, _, _ in changed if (rad == o if k == 0 else o <= rad <= o + shift)]
        if not hits:
            return f"ingen ändrad rad svarar mot maskeringen av rad {rad}"
        covered.update(hits)
    for o, before, after in changed:
        if o not in covered:
            return f"rad {o} har ändrats utan en maskering"
        kinds = {
            e["typ"]
            for k, e in enumerate(added)
            if (e["rad"] == o if k == 0 else o <= e["rad"] <= o + shift)
        }
        if kinds <= set(NUMBER_KINDS):
            if after not in _number_variants(before):
                return f"rad {o} har ändrats mer än att personnummer ersatts med {MASK}"
        elif not replaced_by_mask(before, after):
            return f"rad {o} har ändrats mer än att text ersatts med {MASK}"
    return None
