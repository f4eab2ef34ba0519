"""`sikt sok FRÅGA`: full-text search over the archive, ranked, with snippets.

The index lives in the result cache and is brought up to date before every search:
only files whose content changed are read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sikt_cli.archive.layout import archive_files
from sikt_cli.errors import UsageError
from sikt_cli.records.search_query import (
    Hit,
    Question,
    SearchDoc,
    SearchResult,
    match_expression,
    parse,
    snippet,
)
from sikt_cli.records.search_store import Filters, Found, Progress, SearchIndex, index_path
from sikt_cli.records.words import Stemmer, normalize, tokens

KINDS = ("beslut", "uppdrag", "text")  # what --typ can ask for; members and goals come along


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    year: int | None = None
    goal: str | None = None
    kind: str | None = None
    limit: int = 20


def search(
    root: Path,
    query: SearchQuery,
    *,
    stemmer: str = "swedish",
    progress: Progress | None = None,
) -> SearchResult:
    """The best hits for the question; a UsageError for a question or filter that cannot be
    searched. `stemmer` names one of words.STEMMERS ("none" switches stemming off)."""
    question = parse(query.text)
    if query.limit < 1:
        raise UsageError("--antal måste vara minst 1.", "Skriv t.ex. --antal 20.")
    if query.kind is not None and query.kind not in KINDS:
        raise UsageError(f"Okänd typ '{query.kind}'.", "Välj beslut, uppdrag eller text.")
    index = SearchIndex(index_path(root), stemmer)
    try:
        reindexed = index.sync(archive_files(root), progress)
        if query.goal is not None:
            _check_goal(index, query.goal)
        index.learn({w for t in question.terms for w in t.words})
        found, total = index.search(
            match_expression(question, index.stem),
            Filters(year=query.year, goal=query.goal, kind=query.kind),
            query.limit,
        )
        index.learn({w for f in found for w, _, _ in tokens(_fields(f.doc))})
        hits = [_hit(f, question, index.stem) for f in found]
    finally:
        index.close()
    return SearchResult(query.text, hits, total, reindexed)


def _check_goal(index: SearchIndex, goal: str) -> None:
    from sikt_cli.text import did_you_mean

    known = index.goal_ids()
    if goal not in known:
        guess = did_you_mean(goal, known)
        raise UsageError(
            f"Målet '{goal}' finns inte i mal.yaml.",
            f"Menade du '{guess}'?" if guess else "Se målens id i mal.yaml.",
        )


def _fields(d: SearchDoc) -> str:
    return normalize(f"{d.rubrik}\n{d.beslut}\n{d.body}")


_TITLES = {"beslut": "Beslut {ref}", "uppdrag": "Uppdrag {ref}"}


def _hit(f: Found, question: Question, stem: Stemmer) -> Hit:
    d = f.doc
    main = d.beslut if d.kind == "beslut" else d.body
    piece = snippet(main, question, stem)
    line = d.line
    if piece is not None and d.kind == "text":
        line = d.first_line + piece.line_offset
    elif piece is None:
        piece = snippet(d.rubrik, question, stem)
    if d.kind in _TITLES:
        title = _TITLES[d.kind].format(ref=d.ref)
    elif d.kind == "text":
        title = f"Ärende {d.nr}. {d.rubrik}"
    elif d.kind == "mal":
        title = f"Mål {d.ref}"
    else:
        title = d.rubrik
    return Hit(d.kind, d.file, line, d.datum, d.nr, d.item_rubrik, d.ref, title, piece, f.score)
