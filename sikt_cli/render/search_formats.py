"""The forms of `sikt sok`: json (fields), md (`**…**` around matches) and csv."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sikt_cli.records.search_query import Hit, SearchResult, Snippet

KIND_NAMES = {"text": "text", "beslut": "beslut", "uppdrag": "uppdrag", "medlem": "medlem",
              "mal": "mål"}  # fmt: skip
_SPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def segments(piece: Snippet | None) -> list[tuple[str, bool]]:
    """The snippet as (text, is a match) pieces, in order."""
    if piece is None:
        return []
    out: list[tuple[str, bool]] = []
    at = 0
    for a, b in piece.marks:
        if a > at:
            out.append((piece.text[at:a], False))
        out.append((piece.text[a:b], True))
        at = b
    if at < len(piece.text):
        out.append((piece.text[at:], False))
    return out


def where(hit: Hit) -> str:
    """`2020-06-05, ärende 5. Mediapoolen` — the place a reader looks for."""
    parts = [hit.date] if hit.date else []
    if hit.item_nr is not None and hit.kind != "text":  # a text hit's title is the item
        parts.append(f"ärende {hit.item_nr}. {hit.item_rubrik}".rstrip(". "))
    return ", ".join(parts)


def to_dict(hit: Hit) -> dict[str, Any]:
    """One hit as documented in docs/beslut.md (English keys: an API)."""
    item = {"nr": hit.item_nr, "rubrik": hit.item_rubrik} if hit.item_nr is not None else None
    return {
        "kind": hit.kind,
        "id": hit.ref or None,
        "title": hit.title,
        "date": hit.date or None,
        "item": item,
        "file": hit.file,
        "line": hit.line,
        "snippet": hit.snippet.text if hit.snippet else "",
        "highlights": [list(m) for m in hit.snippet.marks] if hit.snippet else [],
        "score": round(hit.score, 4),
    }


def to_json(result: SearchResult) -> str:
    data = {"query": result.query, "total": result.total, "hits": [to_dict(h) for h in result.hits]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))


def to_markdown(result: SearchResult) -> str:
    """A numbered list; the matched words in bold, everything else escaped."""
    lines = []
    for n, hit in enumerate(result.hits, 1):
        text = "".join(f"**{_md(t)}**" if hit_ else _md(t) for t, hit_ in segments(hit.snippet))
        place = where(hit)
        head = f"{n}. **{_md(hit.title)}**" + (f" ({_md(place)})" if place else "")
        lines.append(f"{head} `{hit.file}:{hit.line}`" + (f"  \n   {text}" if text else ""))
    return "\n".join(lines) + ("\n" if lines else "")


CSV_COLUMNS = ("typ", "id", "rubrik", "datum", "arende", "utdrag", "fil", "rad")


def to_csv(result: SearchResult) -> bytes:
    from sikt_cli.render.csv_writer import write_csv

    return write_csv(
        CSV_COLUMNS,
        (
            [
                KIND_NAMES[h.kind],
                h.ref,
                h.title,
                h.date,
                f"{h.item_nr}. {h.item_rubrik}" if h.item_nr is not None else "",
                h.snippet.text if h.snippet else "",
                h.file,
                h.line,
            ]
            for h in result.hits
        ),
    )


FORMATS: dict[str, Callable[[SearchResult], str | bytes]] = {
    "json": to_json,
    "csv": to_csv,
    "md": to_markdown,
}
