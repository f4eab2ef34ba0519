"""Diagnostics: what a check found, where, and how to fix it.

Every problem the tool finds in the archive becomes a `Diagnostic` rather than an
exception, so one bad file never hides the problems of the others.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.cache import reduce_by_fields
from sikt_cli.errors import Refused


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def swedish(self) -> str:
        return "fel" if self is Severity.ERROR else "varning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding. `line` and `column` are 1-based; 0 means "the whole file"."""

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(compare=False)
    hint: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, object]:
        """The documented JSON shape (an API: keep the keys stable)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class Accepted:
    """A finding accepted in godkanda-fynd.yaml: counted, not reported."""

    diagnostic: Diagnostic
    reason: str
    line: int  # where its entry starts in godkanda-fynd.yaml

    def to_dict(self) -> dict[str, object]:
        """The finding's JSON shape plus `accepted` (an API: keep the keys stable)."""
        return {
            **self.diagnostic.to_dict(),
            "accepted": {"file": "godkanda-fynd.yaml", "line": self.line, "reason": self.reason},
        }


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of a validation run."""

    root: Path
    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    sources: dict[str, list[str]] = field(default_factory=dict, compare=False)
    accepted: tuple[Accepted, ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def exit_code(self, *, strict: bool = False) -> int:
        if self.errors or (strict and self.warnings):
            return 1
        return 0


class Blocked(Refused):
    """The command refuses because of findings in the files; the CLI shows `result`
    (every finding with its line) before the message."""

    def __init__(self, message: str, hint: str = "", *, result: Result) -> None:
        super().__init__(message, hint)
        self.result = result


def sort_diagnostics(diags: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Stable order: file, line, column, code; duplicates removed."""
    return tuple(sorted(set(diags)))


Diagnostic.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
