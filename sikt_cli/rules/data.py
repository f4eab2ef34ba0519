"""Checks of medlemmar.yaml and mal.yaml themselves: ids, municipalities, periods, e-mail."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext
from sikt_cli.text import did_you_mean


def unique_member_ids(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    seen: dict[str, int] = {}
    ids = [(m.id, m.pos) for m in archive.roster.members]
    ids += [(g.id, g.pos) for g in archive.roster.groups]
    for ident, pos in ids:
        if ident == "alla":
            yield diag(
                "SIKT201",
                MEMBERS_FILE,
                pos.line,
                pos.column,
                "Id:t 'alla' är reserverat för uppdrag till hela nätverket (@alla).",
                "Välj ett annat id.",
            )
        if ident in seen:
            yield diag(
                "SIKT201",
                MEMBERS_FILE,
                pos.line,
                pos.column,
                f"Id:t '{ident}' används redan på rad {seen[ident]}.",
                "Varje medlem och grupp behöver ett eget id; id återanvänds aldrig.",
            )
        else:
            seen[ident] = pos.line


def unique_municipalities(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    doc = archive.roster.doc
    seen: set[str] = set()
    for i, k in enumerate(archive.roster.doc.data.get("kommuner", [])):
        if k in seen:
            pos = doc.pos("kommuner", i)
            yield diag(
                "SIKT209",
                MEMBERS_FILE,
                pos.line,
                pos.column,
                f"Kommunen '{k}' står två gånger i kommuner.",
                "Ta bort dubbletten.",
            )
        seen.add(k)


def member_municipality(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    roster = archive.roster
    if not roster.kommuner:
        return
    for i, m in enumerate(roster.doc.data.get("medlemmar", [])):
        if not isinstance(m, dict) or "kommun" not in m or m["kommun"] in roster.kommuner:
            continue
        pos = roster.doc.pos("medlemmar", i, "kommun")
        guess = did_you_mean(str(m["kommun"]).removesuffix(" kommun"), roster.kommuner)
        yield diag(
            "SIKT202",
            MEMBERS_FILE,
            pos.line,
            pos.column,
            f"Kommunen '{m['kommun']}' finns inte i listan kommuner.",
            f"Menade du '{guess}'?"
            if guess
            else "Lägg till kommunen under 'kommuner' eller rätta stavningen.",
        )


def group_members(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    roster = archive.roster
    for g in roster.groups:
        for ref in g.members:
            if roster.member(ref.value) is None:
                guess = did_you_mean(ref.value, list(roster.by_id))
                yield diag(
                    "SIKT204",
                    MEMBERS_FILE,
                    ref.pos.line,
                    ref.pos.column,
                    f"Gruppen '{g.id}' har en okänd medlem '{ref.value}'.",
                    f"Menade du '{guess}'?"
                    if guess
                    else "Använd medlemmens id från listan medlemmar.",
                )


def sane_periods(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.roster.members:
        if m.fran and m.till and m.fran > m.till:
            yield diag(
                "SIKT203",
                MEMBERS_FILE,
                m.pos.line,
                m.pos.column,
                f"Medlemsperioden för '{m.id}' slutar ({m.till}) före den börjar ({m.fran}).",
                "Rätta 'fran' eller 'till'.",
            )
    seen: dict[str, int] = {}
    for g in archive.goals.goals:
        if g.id in seen:
            yield diag(
                "SIKT201",
                GOALS_FILE,
                g.pos.line,
                g.pos.column,
                f"Mål-id:t '{g.id}' används redan på rad {seen[g.id]}.",
                "Ge varje mål och deluppdrag ett eget id.",
            )
        seen.setdefault(g.id, g.pos.line)
        if g.fran and g.till and g.fran > g.till:
            yield diag(
                "SIKT203",
                GOALS_FILE,
                g.pos.line,
                g.pos.column,
                f"Perioden för '{g.id}' slutar ({g.till}) före den börjar ({g.fran}).",
                "Rätta 'fran' eller 'till'.",
            )
        if g.parent and not g.id.startswith(g.parent + "."):
            yield diag(
                "SIKT112",
                GOALS_FILE,
                g.pos.line,
                g.pos.column,
                f"Deluppdraget '{g.id}' står under '{g.parent}' men har inte dess nummer.",
                f"Numrera deluppdragen {g.parent}.1, {g.parent}.2 …",
            )


def member_names(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A blank `namn` (`namn: " "`): every document names the member by it."""
    roster = ctx.archive.roster
    for i, m in enumerate(roster.doc.data.get("medlemmar", [])):
        if isinstance(m, dict) and isinstance(m.get("namn"), str) and not m["namn"].strip():
            pos = roster.doc.pos("medlemmar", i, "namn")
            yield diag(
                "SIKT112",
                MEMBERS_FILE,
                pos.line,
                pos.column,
                f"'medlemmar[{i + 1}].namn' är tomt.",
                "Skriv medlemmens för- och efternamn, t.ex. 'namn: Sara von Seth'.",
            )


RULES = (
    unique_member_ids,
    unique_municipalities,
    member_municipality,
    member_names,
    group_members,
    sane_periods,
)
