"""The one error family of the library. Kept in its own tiny module so the CLI can catch it
without importing the loader, YAML and the model at start-up."""

from __future__ import annotations


class SiktError(Exception):
    """An error the user must fix before the command can run; the message is Swedish."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
