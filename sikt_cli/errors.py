"""The one error family of the library, each class carrying its exit code.

Kept in its own tiny module so the CLI can catch it without importing the loader, YAML
and the model at start-up. The CLI maps `exc.exit_code` to the process's exit status in
one place (`cli/app.py`); nothing else decides an error's exit code.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK = 0
EXIT_FOUND = 1  # errors found in the archive, or the archive's state refuses the action
EXIT_USAGE = 2  # bad usage or environment: a flag, no archive root, a setting, a git ref
EXIT_INTERRUPTED = 130


class SiktError(Exception):
    """An error the user must fix before the command can run; the message is Swedish.

    The base class is a usage or environment error (exit 2): a wrong argument, no archive,
    a missing setting. Subclass `Refused` when the archive's own state stops the command.
    """

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SiktError):
    """A wrong argument or option value (exit 2)."""


class Refused(SiktError):
    """The command was understood but the archive says no (exit 1): the file exists,
    the protokoll is not justerat, it has errors, the member is unknown."""

    exit_code: ClassVar[int] = EXIT_FOUND
