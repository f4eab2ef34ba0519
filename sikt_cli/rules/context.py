"""What every rule is given: the loaded archive and the uppdrag tracked over it, built once."""

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
