"""The checks. Each module holds one family; each rule yields diagnostics from a context.

A rule is `def rule(ctx: RuleContext) -> Iterator[Diagnostic]`; add it to its module's
`RULES` tuple and it runs in `sikt validera`, `sikt uppdrag` and `protokoll justera`.
Mark it `@per_protokoll` (rules/context.py) when it looks at one protokoll at a time: then a
large archive checks it in the loader's workers (`check_each`), the others (`WHOLE_ARCHIVE`:
the data files, and what compares protokoll) in the main process afterwards.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, NoReturn

from sikt_cli.archive.load import Archive, load_archive, paused_gc
from sikt_cli.archive.model import Minutes
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules import (
    action_items,
    agenda,
    attendance,
    data,
    decisions,
    drafts,
    lifecycle,
    personal_data,
    signatures,
)
from sikt_cli.rules.context import Made, Rule, RuleContext, is_per_protokoll

RULES: tuple[Rule, ...] = (
    *data.RULES,
    *attendance.RULES,
    *agenda.RULES,
    *decisions.RULES,
    *action_items.RULES,
    *lifecycle.RULES,
    *drafts.RULES,
    *personal_data.RULES,
    *signatures.RULES,
)


PER_PROTOKOLL: tuple[Rule, ...] = tuple(r for r in RULES if is_per_protokoll(r))
WHOLE_ARCHIVE: tuple[Rule, ...] = tuple(r for r in RULES if not is_per_protokoll(r))


def run_rules(
    archive: Archive, ctx: RuleContext | None = None, *, rules: tuple[Rule, ...] = RULES
) -> list[Diagnostic]:
    """Every rule's diagnostics; pass `ctx` to reuse an uppdrag tracker already built."""
    ctx = ctx or RuleContext(archive)
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(rule(ctx))
    return found


def check_each(archive: Archive) -> tuple[list[Diagnostic], Minutes, Made]:
    """The per-protokoll rules over an archive of one protokoll, the protokoll as the
    whole-archive rules need it (`slim`), and what they need made of it (`Made`):
    `load_archive(check=...)` runs it where the protokoll was built (a worker, for a large
    archive) and keeps what it returns."""
    (m,) = archive.minutes
    return run_rules(archive, rules=PER_PROTOKOLL), slim(m), Made.of(m)


# What the whole-archive rules and services/validate read of a protokoll checked by
# check_each, besides its `Made`: a worker sends the protokoll back with only these. The
# rest (attendance, agenda, body, ...) was most of the bytes pickled per protokoll, and of
# the time to pickle and unpickle it (benchmarks/RESULTS.md, 2026-12-02).
KEPT = ("rel", "path", "doc", "datum", "status", "bilagor", "bilagor_nr")
LEFT_OUT = tuple(f.name for f in dataclasses.fields(Minutes) if f.name not in KEPT)


class LeftOut:
    """In place of a field `slim` left out: any use of it fails loudly (a rule reading it
    would otherwise find less in a large archive than in a small one)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _refuse(self, *_: object) -> NoReturn:
        raise TypeError(
            f"Minutes.{self.name} is left out of a protokoll checked in a worker "
            "(rules.LEFT_OUT): a whole-archive rule that reads it must not run on it"
        )

    __iter__ = __len__ = __bool__ = __contains__ = __getitem__ = __eq__ = __hash__ = _refuse

    def __getattr__(self, attr: str) -> NoReturn:
        self._refuse()

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return LeftOut, (self.name,)


# one per field: pickled once per message of many protokoll, not once per protokoll
_LEFT_OUT = {name: LeftOut(name) for name in LEFT_OUT}


def slim(m: Minutes) -> Minutes:
    """The protokoll without the fields in LEFT_OUT (each a LeftOut), but a field that is
    None stays None: whether there is a body, say, is still known."""
    left_out: dict[str, Any] = {
        name: _LEFT_OUT[name] for name in LEFT_OUT if getattr(m, name) is not None
    }
    return dataclasses.replace(m, **left_out)


def check_archive(archive: Archive, ctx: RuleContext | None = None) -> list[Diagnostic]:
    """Every rule's diagnostics, for an archive loaded with `load_archive(check=check_each)`:
    only the whole-archive rules are left when the loader has checked each protokoll.
    Pass `ctx` to use the uppdrag tracker it builds afterwards (run_rules)."""
    if archive.checked is None:
        return run_rules(archive, ctx)
    return archive.checked + run_rules(archive, ctx, rules=WHOLE_ARCHIVE)


def load_checked(
    root: Path, *, extra_files: list[Path] | None = None, stamp: bool = False
) -> tuple[Archive, RuleContext, list[Diagnostic]]:
    """The archive, its rule context, and every finding on it (the loader's and every
    rule's), as `sikt validera` and `sikt uppdrag` check it: a large archive has each
    protokoll checked by the process that loads it (check_each)."""
    archive = load_archive(
        root, extra_files=extra_files, note=personal_data.text_note, check=check_each, stamp=stamp
    )
    ctx = RuleContext(archive)
    with paused_gc():  # see paused_gc: the rules build as many objects again
        found = archive.diagnostics + check_archive(archive, ctx)
    return archive, ctx, found
