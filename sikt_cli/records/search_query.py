"""A search question → terms, a safe FTS5 MATCH expression, and highlighted snippets.

The user's text never reaches MATCH: it is cut into words by the same tokenizer as the
index, each term is stemmed and written as a quoted FTS5 string, so `"`, `*`, `NEAR(`,
`AND` or `col:` in a question are ordinary characters, never query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sikt_cli.errors import UsageError
from sikt_cli.records.words import Stemmer, normalize, tokens

KINDS = ("text", "beslut", "uppdrag", "medlem", "mal")  # what a document can be
MAX_LENGTH = 1000  # characters in a question
MAX_TERMS = 32
_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    """A word, or a phrase of words that must stand in this order."""

    words: tuple[str, ...]  # lowercase, as written
    exclude: bool = False

    def stems(self, stemmer: Stemmer) -> tuple[str, ...]:
        return tuple(stemmer(w) for w in self.words)


@dataclass(frozen=True, slots=True)
class Question:
    terms: tuple[Term, ...]

    @property
    def wanted(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.exclude)

    @property
    def unwanted(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.exclude)


_HINT = 'Skriv ord att söka efter, t.ex. sikt sok avtal eller sikt sok "Office365 och Teams".'


def parse(text: str) -> Question:
    """Words, "phrases" and -excluded words; a UsageError for a question that cannot be
    searched (no words, only exclusions, too long, not valid text)."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # undecodable bytes from argv
        raise UsageError(
            "Frågan innehåller tecken som inte är giltig UTF-8.",
            "Skriv frågan igen, t.ex. med terminalen inställd på UTF-8.",
        )
    if len(text) > MAX_LENGTH:
        raise UsageError(
            f"Frågan är för lång ({len(text)} tecken, högst {MAX_LENGTH}).",
            "Sök på några få ord som bör finnas i texten.",
        )
    terms: list[Term] = []
    for m in _PIECE.finditer(normalize(text)):
        if m.group(3) is not None:
            raw, exclude = m.group(3), m.group(3).startswith("-") and len(m.group(3)) > 1
            raw = raw[1:] if exclude else raw
        else:
            raw, exclude = m.group(2), m.group(1) == "-"
        words = tuple(w for w, _, _ in tokens(raw))
        if words:
            terms.append(Term(words, exclude))
    question = Question(tuple(terms))
    if not question.wanted:
        what = "bara ord som ska uteslutas" if terms else "inga ord att söka efter"
        raise UsageError(f"Frågan innehåller {what}.", _HINT)
    count = sum(len(t.words) for t in terms)
    if count > MAX_TERMS:
        raise UsageError(
            f"Frågan har för många ord ({count}, högst {MAX_TERMS}).",
            "Sök på några få ord som bör finnas i texten.",
        )
    return question


def _quoted(stems: tuple[str, ...]) -> str:
    # stems hold only letters and digits; doubling a quote is FTS5's escape all the same
    return '"' + " ".join(s.replace('"', '""') for s in stems) + '"'


def match_expression(question: Question, stemmer: Stemmer) -> str:
    """The FTS5 MATCH text: every wanted term, none of the unwanted ones."""
    wanted = " AND ".join(_quoted(t.stems(stemmer)) for t in question.wanted)
    if not question.unwanted:
        return wanted
    unwanted = " OR ".join(_quoted(t.stems(stemmer)) for t in question.unwanted)
    return f"({wanted}) NOT ({unwanted})"


@dataclass(frozen=True, slots=True)
class Snippet:
    """A line of a hit with the matched words marked as (start, end) in `text`."""

    text: str
    line_offset: int  # which line of the field it came from, 0-based
    marks: tuple[tuple[int, int], ...]


SNIPPET_WIDTH = 160


def snippet(field: str, question: Question, stemmer: Stemmer) -> Snippet | None:
    """The line of `field` with the most matched words, cut around the first match."""
    wanted = {s for t in question.wanted for s in t.stems(stemmer)}
    best: tuple[int, int, str, list[tuple[int, int]]] | None = None
    for i, line in enumerate(normalize(field).split("\n")):
        marks = [(a, b) for w, a, b in tokens(line) if stemmer(w) in wanted]
        if marks and (best is None or len(marks) > best[0]):
            best = (len(marks), i, line, marks)
    if best is None:
        return None
    _, offset, line, marks = best
    start = 0
    if len(line) > SNIPPET_WIDTH:
        start = max(0, marks[0][0] - SNIPPET_WIDTH // 4)
        start = line.rfind(" ", 0, start) + 1 if start else 0
    text = line[start : start + SNIPPET_WIDTH]
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET_WIDTH < len(line) else ""
    shift = len(prefix) - start
    kept = tuple((a + shift, b + shift) for a, b in marks if a >= start and b - start <= len(text))
    return Snippet(prefix + text + suffix, offset, kept)


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # text, beslut, uppdrag, medlem or mal
    file: str
    line: int
    date: str  # the meeting's date; empty for members and goals
    item_nr: int | None
    item_rubrik: str
    ref: str  # decision, uppdrag, member or goal id
    title: str
    snippet: Snippet | None
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int  # matches before --antal
    reindexed: int  # files (re)indexed for this search


def from_arguments(args: list[str]) -> str:
    """The question from the command line: an argument with spaces in it was quoted in
    the shell (`sikt sok "Office365 och Teams"`), so it is searched as a phrase."""
    parts = []
    for arg in args:
        if len(arg.split()) > 1 and '"' not in arg and not arg.lstrip().startswith("-"):
            parts.append(f'"{arg}"')
        else:
            parts.append(arg)
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One searchable piece of the archive and where it stands.

    `rubrik`, `beslut` and `body` are the three weighted fields; `first_line` is the file
    line of the first line of `body` (or of the field that holds the text)."""

    file: str
    kind: str  # one of KINDS
    line: int
    rubrik: str = ""
    beslut: str = ""
    body: str = ""
    first_line: int = 0
    datum: str = ""  # the meeting's date, for --ar and sorting
    nr: int | None = None  # the agenda item it stands under
    item_rubrik: str = ""
    ref: str = ""  # the decision, uppdrag, member or goal id
    goals: tuple[str, ...] = ()  # the agenda item's goals, for --mal
