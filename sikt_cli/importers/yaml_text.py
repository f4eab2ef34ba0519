"""YAML scalars written by hand: plain where that reads the same to every YAML parser,
else double-quoted (a JSON string is a valid YAML double-quoted scalar)."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü][\w .,()åäöÅÄÖéÉüÜ/-]*$")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def scalar(value: str) -> str:
    if (
        _PLAIN.match(value)
        and value.lower() not in _RESERVED
        and not value.endswith((" ", ":"))
        and ": " not in value
        and " #" not in value
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def comment(text: str) -> str:
    """A YAML comment; a line break would end the comment and start YAML."""
    return "# " + " ".join(text.split()) if text else ""
