"""Words: Swedish folding, slugs and did-you-mean (on words and on members) — one of each,
used by every layer."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


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


@dataclass(frozen=True, slots=True)
class MemberNames:
    """The members' ids, full names and unique first names, indexed once per roster, for
    "Menade du …?" on whatever a person wrote: an id with a typo (`eva-karlson`), an id
    with the wrong separator (`eva_karlsson`), a name (`Eva Karlsson`) or a first name
    that only one member has (`Eva`, `eva`)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]  # full names as written in medlemmar.yaml
    by_slug: dict[str, str]  # slug of an id, a full name or a unique first name → id
    by_name: dict[str, str]  # full name → id
    by_first: dict[str, str]  # unique first name → id
    # slug of a first name two or more members share → their ids, in roster order
    shared_first: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, members: Iterable[tuple[str, str]]) -> MemberNames:
        """From (id, name) pairs; a first name two members share points to neither."""
        pairs = list(members)
        by_name = {name: mid for mid, name in reversed(pairs) if name}
        # first names compared as they are looked up, folded: `Åsa` and `Asa` are one name
        firsts: dict[str, dict[str, str]] = {}  # slug → {id: the first name as written}
        for mid, name in pairs:
            if name.split():
                first = name.split()[0]
                firsts.setdefault(slugify(first), {}).setdefault(mid, first)
        by_first = {next(iter(g.values())): next(iter(g)) for g in firsts.values() if len(g) == 1}
        by_slug = {slugify(first): mid for first, mid in by_first.items()}
        by_slug |= {slugify(name): mid for name, mid in by_name.items()}
        by_slug |= {mid: mid for mid, _ in pairs}
        shared = {slug: tuple(g) for slug, g in firsts.items() if len(g) > 1}  # roster order
        ids = tuple(m for m, _ in pairs)
        return cls(ids, tuple(by_name), by_slug, by_name, by_first, shared)

    def sharing(self, value: str) -> tuple[str, ...]:
        """The ids of the members whose first name `value` is, when more than one has it
        (`Anna` with Anna Ek and Anna Berg): a first name cannot say which, so every one
        of them is proposed instead of none."""
        slug = slugify(value)
        return () if slug in self.by_slug else self.shared_first.get(slug, ())

    def suggest(self, value: str) -> str | None:
        """The member id `value` most likely means, or None."""
        slug = slugify(value)
        if slug in self.by_slug:
            return self.by_slug[slug]
        if slug in self.shared_first:  # `Anna`: any one of them would be a guess (sharing)
            return None
        guess = did_you_mean(value, self.ids) or did_you_mean(slug, self.ids)
        if guess is not None:
            return guess
        name = did_you_mean(value, self.names)
        if name is not None:
            return self.by_name[name]
        first = did_you_mean(value, tuple(self.by_first))
        return self.by_first[first] if first is not None else None
