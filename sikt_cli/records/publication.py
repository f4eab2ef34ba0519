"""What may be published: agenda items and protokoll marked `publiceras: nej` are left out.

The one answer for every reader outside the network: the mail to `rapport_till` today,
the web archive and the reports later. Members get everything; everyone else gets the
published view, where a withheld item is replaced by a visible note and its decisions,
uppdrag and text are gone (reports may count withheld items, never show their text).
"""

from __future__ import annotations

from dataclasses import dataclass

from sikt_cli.archive.body import Body
from sikt_cli.archive.model import AgendaItem, Minutes


def item_note(item: AgendaItem) -> str:
    """The visible note in place of a withheld item: 'Ärende 5 publiceras inte: skäl'."""
    return f"Ärende {item.nr} publiceras inte: {(item.skal or '').strip() or 'skäl saknas'}"


def minutes_note(minutes: Minutes) -> str:
    """The note in place of a withheld protokoll's content."""
    return f"Protokollet publiceras inte: {(minutes.skal or '').strip() or 'skäl saknas'}"


def withheld_items(minutes: Minutes) -> list[AgendaItem]:
    """The agenda items not for publication (every item when the whole protokoll is)."""
    if not minutes.publiceras:
        return list(minutes.arenden)
    return [a for a in minutes.arenden if not a.publiceras]


def publishable_items(minutes: Minutes) -> list[AgendaItem]:
    withheld = {a.nr for a in withheld_items(minutes)}
    return [a for a in minutes.arenden if a.nr not in withheld]


def has_withheld(minutes: Minutes) -> bool:
    """True when anything in the protokoll is not for publication."""
    return bool(withheld_items(minutes)) or not minutes.publiceras


@dataclass(frozen=True, slots=True)
class Section:
    """A `## N.` section of the body: its agenda number and file lines (inclusive)."""

    nr: int | None
    first: int
    last: int


def sections(body: Body, body_first_line: int, body_last_line: int) -> list[Section]:
    """The body split at its level-1 and level-2 headings; text before the first heading
    is a section without a number."""
    heads = [h for h in body.headings if h.level <= 2]
    out: list[Section] = []
    if not heads or heads[0].line > body_first_line:
        end = heads[0].line - 1 if heads else body_last_line
        out.append(Section(None, body_first_line, end))
    for i, h in enumerate(heads):
        end = heads[i + 1].line - 1 if i + 1 < len(heads) else body_last_line
        out.append(Section(h.nr, h.line, end))
    return out


def withheld_lines(minutes: Minutes, body_first_line: int, body_last_line: int) -> set[int]:
    """File lines of the body that are not for publication."""
    if not minutes.publiceras:
        return set(range(body_first_line, body_last_line + 1))
    withheld = {a.nr for a in withheld_items(minutes)}
    if not withheld or minutes.body is None:
        return set()
    return {
        line
        for s in sections(minutes.body, body_first_line, body_last_line)
        if s.nr in withheld
        for line in range(s.first, s.last + 1)
    }


def published_body(minutes: Minutes, body: str, body_first_line: int) -> str:
    """The body as published: each withheld section replaced by its heading number and
    note, the whole body by the protokoll's note. A withheld section keeps its number of
    lines (blank ones after the note), so every later line keeps its file line: that is
    how an uppdrag or follow-up further down is found."""
    if not minutes.publiceras:
        return minutes_note(minutes) + "\n"
    withheld = {a.nr: a for a in withheld_items(minutes)}
    if not withheld or minutes.body is None:
        return body
    lines = body.split("\n")
    last = body_first_line + len(lines) - 1
    out: list[str] = []
    for s in sections(minutes.body, body_first_line, last):
        chunk = lines[s.first - body_first_line : s.last - body_first_line + 1]
        if s.nr in withheld:
            out += _in_lines(f"## {s.nr}.", item_note(withheld[s.nr]), len(chunk))
        else:
            out += chunk
    return "\n".join(out)


def _in_lines(heading: str, note: str, count: int) -> list[str]:
    """The heading and the note in `count` lines (a one-line section: the heading says it)."""
    if count >= 3:
        return [heading, "", note] + [""] * (count - 3)
    return [heading, note] if count == 2 else [f"{heading} {note}"]
