"""What every rule is given: the loaded archive and the uppdrag tracked over it, built once;
and the mark of a rule that needs only one protokoll at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sikt_cli.archive.load import Archive
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.records.action_items import Tracker, track


@dataclass(slots=True)
class RuleContext:
    archive: Archive
    _tracker: Tracker | None = field(default=None, repr=False)

    @property
    def tracker(self) -> Tracker:
        """Every uppdrag with its follow-ups; `track` runs at most once per context."""
        if self._tracker is None:
            self._tracker = track(self.archive.minutes, self.archive.roster)
        return self._tracker


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
