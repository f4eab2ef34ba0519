"""Approved minutes keep their meaning when medlemmar.yaml or mal.yaml change.

A justerat protokoll names members, municipalities and goals by id; what it shows comes
from the data files. Under `--bas REF`, every id that a protokoll justerat at REF refers to
is shown as it was on the meeting's date, with the data files of REF and of now: a
difference (a renamed member, a moved municipality, a goal's new text, an id that is gone)
is an error on the data file's line, naming the protokoll it touches. Past values are kept
with `tidigare` (and retired members and goals with `till`), so history stays exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE
from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Goals, Minutes, Roster
from sikt_cli.archive.snapshot import goals_from, roster_from
from sikt_cli.archive.source import read_regular
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic

MEMBER_HINT = (
    "Låt justerade protokoll visa det som gällde: lägg det gamla värdet under 'tidigare' hos "
    "medlemmen med sista dagen det gällde, t.ex. tidigare: [{till: 2026-11-30, namn: …}]. "
    "En medlem tas inte bort: avsluta medlemskapet med 'till: ÅÅÅÅ-MM-DD'."
)
GOAL_HINT = (
    "Låt justerade protokoll visa det som gällde: lägg den gamla texten under 'tidigare' med "
    "sista dagen den gällde, eller ge målet ett nytt id och avsluta det gamla med 'till:'."
)


def check_data_files(root: Path, ref: str, prefix: str, approved: set[str]) -> list[Diagnostic]:
    """Findings for changes in the data files that alter a protokoll in `approved` (names
    relative to the archive root of protokoll justerat at `ref`)."""
    old_members = git.blob(root, ref, f"{prefix}{MEMBERS_FILE}")
    old_goals = git.blob(root, ref, f"{prefix}{GOALS_FILE}")
    now_members = read_regular(root / MEMBERS_FILE, MEMBERS_FILE)[0]  # None: missing, a link …
    now_goals = read_regular(root / GOALS_FILE, GOALS_FILE)[0]
    if (old_members, old_goals) == (now_members, now_goals) or not approved:
        return []
    from sikt_cli.archive.load import load_archive

    archive = load_archive(root)
    minutes = [m for m in archive.minutes if m.rel in approved and m.datum is not None]
    found: dict[tuple[str, str], tuple[Diagnostic, list[str]]] = {}
    if old_members is not None and old_members != now_members:
        for d, rel in _members(roster_from(old_members), archive, minutes):
            found.setdefault((d.file, d.message), (d, []))[1].append(rel)
    if old_goals is not None and old_goals != now_goals:
        for d, rel in _goals(goals_from(old_goals), archive.goals, minutes):
            found.setdefault((d.file, d.message), (d, []))[1].append(rel)
    return [_naming(d, rels) for d, rels in found.values()]


def _naming(d: Diagnostic, rels: list[str]) -> Diagnostic:
    names = sorted(set(rels))
    which = (
        f"det justerade protokollet {names[0]}"
        if len(names) == 1
        else "de justerade protokollen " + ", ".join(names)
    )
    return diag(
        d.code, d.file, d.line, d.column, f"{d.message} Det ändrar vad {which} visar.", d.hint
    )


def _member_ids(m: Minutes) -> set[str]:
    refs = [m.ordforande, m.sekreterare, *m.narvarande, *m.justerare, *m.franvarande]
    refs += [a.ansvarig for a in m.arenden] + [k.ansvarig for k in m.kommande]
    ids = {r.value for r in refs if r is not None}
    if m.body is not None:
        ids |= {x.name for t in m.body.tasks for x in t.mentions}
    return ids


def _members(
    old: Roster, archive: Archive, minutes: list[Minutes]
) -> Iterator[tuple[Diagnostic, str]]:
    new = archive.roster
    for m in minutes:
        assert m.datum is not None
        for member_id in sorted(_member_ids(m)):
            before = old.by_id.get(member_id)
            if before is None:
                continue  # not a member at the base (a group, @alla, a municipality)
            after = new.by_id.get(member_id)
            then = before.as_of(m.datum)
            if after is None:
                yield (
                    diag(
                        "SIKT507",
                        MEMBERS_FILE,
                        0,
                        0,
                        f"Medlemmen '{member_id}' ({then[0]}) har tagits bort ur {MEMBERS_FILE}.",
                        MEMBER_HINT,
                    ),
                    m.rel,
                )
            elif after.as_of(m.datum) != then:
                now = after.as_of(m.datum)
                yield (
                    diag(
                        "SIKT507",
                        MEMBERS_FILE,
                        after.pos.line,
                        after.pos.column,
                        f"Medlemmen '{member_id}' visas nu som {now[0]} ({now[1]}) i stället för "
                        f"{then[0]} ({then[1]}).",
                        MEMBER_HINT,
                    ),
                    m.rel,
                )
        yield from _municipalities(old, new, m)


def _municipalities(old: Roster, new: Roster, m: Minutes) -> Iterator[tuple[Diagnostic, str]]:
    for ref in m.franvarande:
        if ref.value in old.kommuner and ref.value not in new.kommuner:
            line = new.doc.pos("kommuner").line if new.doc is not None else 0
            yield (
                diag(
                    "SIKT507",
                    MEMBERS_FILE,
                    line,
                    1,
                    f"Kommunen '{ref.value}' har tagits bort ur 'kommuner'.",
                    "Justerade protokoll nämner den: låt den stå kvar i 'kommuner'.",
                ),
                m.rel,
            )


def _goals(old: Goals, new: Goals, minutes: list[Minutes]) -> Iterator[tuple[Diagnostic, str]]:
    for m in minutes:
        assert m.datum is not None
        for goal_id in sorted({r.value for a in m.arenden for r in a.mal}):
            before = old.by_id.get(goal_id)
            if before is None:
                continue
            after = new.by_id.get(goal_id)
            then = before.name_on(m.datum)
            if after is None:
                yield (
                    diag(
                        "SIKT507",
                        GOALS_FILE,
                        0,
                        0,
                        f"Målet '{goal_id}' har tagits bort ur {GOALS_FILE}.",
                        GOAL_HINT,
                    ),
                    m.rel,
                )
            elif after.name_on(m.datum) != then:
                yield (
                    diag(
                        "SIKT507",
                        GOALS_FILE,
                        after.pos.line,
                        after.pos.column,
                        f"Målet '{goal_id}' har fått en ny text: '{after.name_on(m.datum)}' i "
                        f"stället för '{then}'.",
                        GOAL_HINT,
                    ),
                    m.rel,
                )
