"""Words: Swedish folding, slugs and did-you-mean — one of each, used by every layer."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence


def fold(text: str) -> str:
    """Swedish letters folded to ASCII, the rule for keys and ids (`närvarande` → `narvarande`)."""
    table = str.maketrans("åäöÅÄÖéüÉÜ", "aaoAAOeuEU")
    return text.translate(table)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


_CUTOFF = 0.6  # difflib's default: 'narvarande' for 'närvarnde', not 'plats' for 'datum'
_MAX_RANKED = 64  # difflib ratios computed per word at most (adversarial lists only)


@functools.lru_cache(maxsize=16)
def _index(candidates: tuple[str, ...]) -> tuple[dict[str, str], tuple[str, ...]]:
    """The candidates folded once per list, not once per unknown reference."""
    folded = {fold(c).lower(): c for c in candidates}
    return folded, tuple(folded)


def did_you_mean(word: str, candidates: Sequence[str]) -> str | None:
    """The closest candidate, comparing with Swedish letters folded and case ignored.

    The answer is difflib.get_close_matches(word, candidates, n=1, cutoff=0.6), found
    without comparing in Python against every candidate (8,000 members × 2,000 unknown
    references took 72 s that way). rapidfuzz's Indel ratio (C++) is an upper bound of
    difflib's ratio: it counts the longest common subsequence, difflib its matching
    blocks, which are never more. So the candidates under the cutoff there are never the
    answer, and going through the rest best bound first, the search stops at the first
    bound below the best difflib ratio found.
    """
    folded, keys = _index(tuple(candidates))
    w = fold(word).lower()
    if w in folded:
        return folded[w]
    best = _closest(w, keys)
    return folded[best] if best is not None else None


def _closest(word: str, keys: tuple[str, ...]) -> str | None:
    from rapidfuzz import fuzz, process

    near = process.extract(  # the best _MAX_RANKED bounds over the cutoff (default limit: 5)
        word, keys, scorer=fuzz.ratio, score_cutoff=_CUTOFF * 100 - 1e-6, limit=_MAX_RANKED
    )
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)  # as get_close_matches: the word is b, each candidate a
    best: tuple[float, str] | None = None
    for key, bound, _ in near:
        if best is not None and bound / 100 < best[0] - 1e-9:
            break  # no later candidate can beat (or tie) the best ratio
        matcher.set_seq1(key)
        ratio = matcher.ratio()
        if ratio >= _CUTOFF and (best is None or (ratio, key) > best):
            best = (ratio, key)  # ties as get_close_matches: the larger string wins
    return best[1] if best is not None else None


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
