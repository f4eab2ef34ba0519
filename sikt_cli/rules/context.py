"""What every rule is given: the loaded archive and the uppdrag tracked over it, built once;
and the mark of a rule that needs only one protokoll at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import cast

from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Minutes
from sikt_cli.cache import reduce_by_fields
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.records.action_items import Extract, Tracker, extract, track
from sikt_cli.records.decisions import DecisionRecord, decision_records, decisions_of


@dataclass(slots=True)
class RuleContext:
    archive: Archive
    _tracker: Tracker | None = field(default=None, repr=False)

    @property
    def tracker(self) -> Tracker:
        """Every uppdrag with its follow-ups; `track` runs at most once per context."""
        if self._tracker is None:
            made = {rel: x.uppdrag for rel, x in self._made().items() if x.uppdrag is not None}
            self._tracker = track(self.archive.minutes, self.archive.roster, made or None)
        return self._tracker

    def decisions(self) -> list[DecisionRecord]:
        """Every decision of the archive (records.decisions.decision_records)."""
        made = {rel: x.beslut for rel, x in self._made().items()}
        return decision_records(self.archive.minutes, made or None)

    def _made(self) -> dict[str, Made]:
        return cast("dict[str, Made]", self.archive.made)


@dataclass(frozen=True, slots=True)
class Made:
    """What the whole-archive rules need of a protokoll that the per-protokoll rules have
    checked (`rules.check_each`), made by the process that loaded it: its part of `track`
    (none without a body or a `datum`) and its decisions. The main process then only
    folds them together, and is sent these instead of the agenda and the body."""

    uppdrag: Extract | None
    beslut: tuple[DecisionRecord, ...]

    @classmethod
    def of(cls, m: Minutes) -> Made:
        whole = m.body is not None and m.datum is not None
        return cls(extract(m) if whole else None, decisions_of(m))


Made.__reduce__ = reduce_by_fields  # type: ignore[method-assign]


Rule = Callable[[RuleContext], Iterator[Diagnostic]]

_PER_PROTOKOLL = "per_protokoll"


def per_protokoll(rule: Rule) -> Rule:
    """Marks a rule that looks at one protokoll at a time (with the roster and goals): its
    findings on an archive are its findings on each protokoll alone, in the archive's order,
    and none without protokoll. A large archive runs such rules in the loader's workers, on
    the protokoll each has just built (`rules.check_each`); tests/test_rule_scope.py holds
    every marked rule to it."""
    vars(rule)[_PER_PROTOKOLL] = True
    return rule


def is_per_protokoll(rule: Rule) -> bool:
    return bool(vars(rule).get(_PER_PROTOKOLL, False))
