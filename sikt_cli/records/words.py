"""Words as search sees them: one tokenizer and one Swedish stemmer for index and query.

The index stores each text twice: as written (for snippets) and as a row of stems (for
matching), because Python's sqlite3 cannot register an FTS5 tokenizer. Both sides of a
search go through `tokens` and a `Stemmer`, so `avtalet`, `avtalen` and `avtal` meet at
`avtal`. Letters keep their diacritics: `får` and `far` are different words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

# Letters and digits only: the same characters FTS5's unicode61 keeps in a token, so a
# row of our stems joined by spaces is tokenized back into exactly those stems.
WORD = re.compile(r"[^\W_]+")

Stemmer = Callable[[str], str]  # a lowercase word → its stem


def normalize(text: str) -> str:
    """NFC, so a decomposed `å` (a + ring) is the same letter as a composed one."""
    return unicodedata.normalize("NFC", text)


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(lowercase word, start, end) of every word in `text` (already normalized)."""
    for m in WORD.finditer(text):
        yield m.group().lower(), m.start(), m.end()


@cache
def _snowball() -> Callable[[str], str]:
    import snowballstemmer

    stem = snowballstemmer.stemmer("swedish").stemWord
    return cache(stem)  # an archive has few distinct words and many repeats


def swedish(word: str) -> str:
    """The Snowball project's Swedish stem: `avtalets` → `avtal`, `mediapoolens` →
    `mediapool`."""
    return str(_snowball()(word))


def unstemmed(word: str) -> str:
    """No stemming: a word matches only itself (for tests and comparisons)."""
    return word


STEMMERS: dict[str, Stemmer] = {"swedish": swedish, "none": unstemmed}


def stems(text: str, stemmer: Stemmer) -> str:
    """The stems of every word of `text`, space separated, in order (phrases keep working)."""
    return " ".join(map(stemmer, WORD.findall(normalize(text).lower())))
