"""Agenda: numbering, one `## N. Rubrik` heading per item, goals, decisions."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.body import Heading
from sikt_cli.archive.model import Minutes
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext, per_protokoll
from sikt_cli.text import did_you_mean


@per_protokoll
def numbering(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        seen: set[int] = set()
        for expected, item in enumerate(m.arenden, start=1):
            pos = item.nr_pos or item.pos
            if item.nr in seen:
                yield diag(
                    "SIKT301",
                    m.rel,
                    pos.line,
                    pos.column,
                    f"Ärendenummer {item.nr} finns redan i dagordningen.",
                    f"Numrera ärendena 1, 2, 3 … utan dubbletter; här väntas {expected}.",
                )
            elif item.nr != expected:
                yield diag(
                    "SIKT301",
                    m.rel,
                    pos.line,
                    pos.column,
                    f"Ärende nummer {item.nr} står på plats {expected} i dagordningen.",
                    f"Numrera ärendena 1, 2, 3 … utan luckor; ändra till 'nr: {expected}' "
                    "(och rubriken i texten).",
                )
            seen.add(item.nr)


@per_protokoll
def headings(ctx: RuleContext) -> Iterator[Diagnostic]:
    for m in ctx.archive.minutes:
        if m.body is None or not m.arenden:
            continue
        by_nr: dict[int, Heading] = {}
        yield from _numbered_headings(m, by_nr)
        yield from _headings_follow_agenda(m, by_nr)


def _numbered_headings(m: Minutes, by_nr: dict[int, Heading]) -> Iterator[Diagnostic]:
    """Each `## N.` heading at level 2 and on the agenda; fills `by_nr` with the first of each."""
    assert m.body is not None
    items = {a.nr for a in m.arenden}
    for h in m.body.headings:
        if h.nr is None:
            continue
        if h.level != 2:
            yield diag(
                "SIKT305",
                m.rel,
                h.line,
                1,
                f"Rubriken '{h.text}' har nivå {h.level} ({'#' * h.level}); alla "
                "ärenderubriker ska ha nivå 2.",
                f"Skriv rubriken som '## {h.text}'.",
            )
        if h.nr not in items:
            yield diag(
                "SIKT309",
                m.rel,
                h.line,
                1,
                f"Rubriken '{h.text}' hör inte till något ärende i dagordningen.",
                f"Lägg till '- nr: {h.nr}' med rubrik under 'arenden', eller rätta numret.",
            )
            continue
        by_nr.setdefault(h.nr, h)


def _headings_follow_agenda(m: Minutes, by_nr: dict[int, Heading]) -> Iterator[Diagnostic]:
    """Every agenda item has its heading, in the agenda's order, with the same rubrik."""
    last = 0
    done: set[int] = set()
    for item in m.arenden:
        if item.nr in done:  # a duplicate number: SIKT301 already says so
            continue
        done.add(item.nr)
        h = by_nr.get(item.nr)
        if h is None:
            yield diag(
                "SIKT302",
                m.rel,
                item.pos.line,
                item.pos.column,
                f"Ärende {item.nr} ('{item.rubrik}') har ingen rubrik i texten.",
                f"Lägg till en rubrik '## {item.nr}. {item.rubrik}' i protokollets "
                "text, i dagordningens ordning.",
            )
            continue
        if h.line < last:
            yield diag(
                "SIKT303",
                m.rel,
                h.line,
                1,
                f"Rubriken för ärende {item.nr} står före en rubrik med lägre nummer.",
                "Ordna avsnitten i texten i samma ordning som dagordningen.",
            )
        last = max(last, h.line)
        if h.title.strip() != item.rubrik.strip():
            yield diag(
                "SIKT304",
                m.rel,
                h.line,
                1,
                f"Rubriken '{h.title}' skiljer sig från dagordningens '{item.rubrik}'.",
                f"Skriv samma rubrik på båda ställena: '## {item.nr}. {item.rubrik}'.",
            )


@per_protokoll
def goals(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    known = archive.goals.by_id
    if archive.goals.doc is None:
        return
    for m in archive.minutes:
        for item in m.arenden:
            for ref in item.mal:
                goal = known.get(ref.value)
                if goal is None:
                    guess = did_you_mean(ref.value, list(known))
                    yield diag(
                        "SIKT306",
                        m.rel,
                        ref.pos.line,
                        ref.pos.column,
                        f"Okänt mål '{ref.value}' i ärende {item.nr}.",
                        (f"Menade du '{guess}'? " if guess else "")
                        + "Målen finns i mal.yaml: "
                        + ", ".join(known)
                        + ".",
                    )
                elif m.datum and not goal.active_on(m.datum):
                    yield diag(
                        "SIKT307",
                        m.rel,
                        ref.pos.line,
                        ref.pos.column,
                        f"Målet '{ref.value}' gäller {goal.fran or '…'}–"
                        f"{goal.till or '…'}, inte vid mötet {m.datum}.",
                        "Välj ett mål som gäller vid mötets datum.",
                    )


@per_protokoll
def decisions(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        numbers = {a.nr for a in m.arenden}
        for b in m.beslut:
            if b.arende not in numbers:
                yield diag(
                    "SIKT308",
                    m.rel,
                    b.pos.line,
                    b.pos.column,
                    f"Beslutet hänvisar till ärende {b.arende}, som inte finns i dagordningen.",
                    "Rätta 'arende' till numret på det ärende där beslutet togs.",
                )


RULES = (numbering, headings, goals, decisions)
