"""Words: Swedish folding, slugs and did-you-mean — one of each, used by every layer."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence


def fold(text: str) -> str:
    """Swedish letters folded to ASCII, the rule for keys and ids (`närvarande` → `narvarande`)."""
    table = str.maketrans("åäöÅÄÖéüÉÜ", "aaoAAOeuEU")
    return text.translate(table)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def did_you_mean(word: str, candidates: Sequence[str]) -> str | None:
    """The closest candidate, comparing with Swedish letters folded and case ignored."""
    folded = {fold(c).lower(): c for c in candidates}
    w = fold(word).lower()
    if w in folded:
        return folded[w]
    hits = difflib.get_close_matches(w, list(folded), n=1, cutoff=0.6)
    return folded[hits[0]] if hits else None


def suggest_member(value: str, ids: Sequence[str], names: dict[str, str]) -> str | None:
    """The member id closest to `value`, compared as an id, as a slug and as a full name
    ('Hannes Berggren' → 'hannes-berggren'); `names` maps full names to ids."""
    guess = did_you_mean(value, ids) or did_you_mean(slugify(value), ids)
    if guess is None:
        name = did_you_mean(value, list(names))
        guess = names[name] if name else None
    return guess


def member_hint(value: str, ids: Sequence[str], names: dict[str, str]) -> str:
    """The hint for an unknown member reference in a file."""
    guess = suggest_member(value, ids, names)
    if guess:
        return f"Menade du '{guess}'? Medlemmar anges med sitt id från medlemmar.yaml."
    return "Lägg till personen i medlemmar.yaml eller skriv hen under 'gaster'."
