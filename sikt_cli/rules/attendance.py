"""Attendance: who was there, in which role, and which municipalities are accounted for."""

from __future__ import annotations

from collections.abc import Iterator

from sikt_cli.archive.layout import MEMBERS_FILE
from sikt_cli.archive.model import Minutes, Ref, Roster
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules.context import RuleContext, per_protokoll
from sikt_cli.text import did_you_mean


def _refs(m: Minutes) -> Iterator[tuple[str, Ref]]:
    for role in ("ordforande", "sekreterare"):
        ref = getattr(m, role)
        if ref is not None:
            yield role, ref
    for ref in m.narvarande:
        yield "narvarande", ref
    for ref in m.justerare:
        yield "justerare", ref
    for a in m.arenden:
        if a.ansvarig:
            yield "arenden.ansvarig", a.ansvarig
    for k in m.kommande:
        if k.ansvarig:
            yield "kommande.ansvarig", k.ansvarig


@per_protokoll
def known_members(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    roster = archive.roster
    if MEMBERS_FILE in archive.unreadable:  # its own diagnostic says why
        return
    for m in archive.minutes:
        for key, ref in _refs(m):
            member = roster.member(ref.value)
            if member is None:
                yield diag(
                    "SIKT204",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"Okänd medlem '{ref.value}' i '{key}'.",
                    roster.hint_for(ref.value),
                )
            elif m.datum and not member.active_on(m.datum):
                yield diag(
                    "SIKT205",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"'{ref.value}' var inte medlem {m.datum} (medlem "
                    f"{member.fran or '…'}–{member.till or '…'}).",
                    "Kontrollera datumet eller medlemsperioden i medlemmar.yaml.",
                )


@per_protokoll
def duplicates(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        for key, refs in (
            ("narvarande", m.narvarande),
            ("franvarande", m.franvarande),
            ("justerare", m.justerare),
        ):
            seen: set[str] = set()
            for ref in refs:
                if ref.value in seen:
                    yield diag(
                        "SIKT209",
                        m.rel,
                        ref.pos.line,
                        ref.pos.column,
                        f"'{ref.value}' står två gånger i '{key}'.",
                        "Ta bort dubbletten.",
                    )
                seen.add(ref.value)


@per_protokoll
def roles_present(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    for m in archive.minutes:
        if not m.narvarande:
            continue
        present = {r.value for r in m.narvarande}
        for role, label in (("ordforande", "Ordföranden"), ("sekreterare", "Sekreteraren")):
            ref = getattr(m, role)
            if ref is not None and ref.value not in present and archive.roster.member(ref.value):
                yield diag(
                    "SIKT206",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"{label} '{ref.value}' står inte bland de närvarande.",
                    f"Lägg till '{ref.value}' under 'narvarande' eller rätta '{role}'.",
                )


@per_protokoll
def approvers(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Justerare are optional (ordförande and sekreterare sign), but one given was there
    (SIKT211) and is someone else than the two who sign anyway (SIKT212)."""
    archive = ctx.archive
    for m in archive.minutes:
        present = {r.value for r in m.narvarande}
        roles = {"ordförande": m.ordforande, "sekreterare": m.sekreterare}
        for ref in m.justerare:
            if archive.roster.member(ref.value) is None:
                continue  # SIKT204, with its "Menade du"
            role = next((k for k, r in roles.items() if r and r.value == ref.value), None)
            if present and ref.value not in present:
                yield diag(
                    "SIKT211",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"Justeraren '{ref.value}' står inte bland de närvarande.",
                    f"En justerare var med på mötet: lägg till '{ref.value}' under "
                    "'narvarande' om hen var där, annars välj en av de närvarande.",
                )
            elif role is not None:
                yield diag(
                    "SIKT212",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"Justeraren '{ref.value}' är också mötets {role} och skriver redan "
                    "under protokollet.",
                    f"Ta bort '{ref.value}' ur 'justerare' eller välj en annan av de "
                    "närvarande. Justerare behövs inte: ordföranden och sekreteraren skriver "
                    "under.",
                )


@per_protokoll
def absent(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    roster = archive.roster
    if MEMBERS_FILE in archive.unreadable:
        return
    for m in archive.minutes:
        present = {r.value for r in m.narvarande}
        for ref in m.franvarande:
            if ref.value in roster.kommuner:
                continue
            if roster.member(ref.value) is None:
                kommun = did_you_mean(ref.value.removesuffix(" kommun"), roster.kommuner)
                hint = f"Menade du '{kommun}'?" if kommun else roster.hint_for(ref.value)
                yield diag(
                    "SIKT210",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"'{ref.value}' under 'franvarande' är varken en kommun eller en medlem.",
                    hint + " Frånvarande anges som kommunnamn eller medlems-id.",
                )
            elif ref.value in present:
                yield diag(
                    "SIKT207",
                    m.rel,
                    ref.pos.line,
                    ref.pos.column,
                    f"'{ref.value}' står både som närvarande och frånvarande.",
                    "Ta bort personen från den ena listan.",
                )


@per_protokoll
def municipalities_accounted(ctx: RuleContext) -> Iterator[Diagnostic]:
    archive = ctx.archive
    roster = archive.roster
    for m in archive.minutes:
        if not m.narvarande or not roster.kommuner:
            continue
        # a misspelt id is SIKT204 with its "Menade du": the member it most likely means
        # counts for the municipality, so one typo does not also accuse the municipality
        meant = (_meant(roster, r.value) for r in m.narvarande)
        represented = {roster.by_id[v].kommun for v in meant if v is not None and v in roster.by_id}
        listed = {r.value for r in m.franvarande}
        listed |= {roster.by_id[v].kommun for v in listed if v in roster.by_id}
        missing = [k for k in roster.kommuner if k not in represented and k not in listed]
        if missing:
            pos = m.doc.pos("narvarande")
            yield diag(
                "SIKT208",
                m.rel,
                pos.line,
                pos.column,
                "Kommuner varken representerade eller angivna som frånvarande: "
                + ", ".join(missing)
                + ".",
                "Lägg till dem under 'franvarande' så att närvaron blir fullständig.",
            )


RULES = (known_members, duplicates, roles_present, approvers, absent, municipalities_accounted)


def _meant(roster: Roster, value: str) -> str | None:
    """The member a name in `narvarande` most likely means: the id, the closest id, or, for
    a first name members share who are all from one municipality, the first of them."""
    if value in roster.by_id:
        return value
    if (guess := roster.suggest(value)) is not None:
        return guess
    shared = roster.names.sharing(value)
    same = shared and len({roster.by_id[i].kommun for i in shared}) == 1
    return shared[0] if same else None
