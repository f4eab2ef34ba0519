"""YAML scalars written by hand: plain where that reads the same to every YAML parser,
else double-quoted (a JSON string is a valid YAML double-quoted scalar)."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü][\w .()åäöÅÄÖéÉüÜ/-]*$")  # no comma: flow lists
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def scalar(value: str) -> str:
    if (
        _PLAIN.fullmatch(value)
        and value.lower() not in _RESERVED
        and not value.endswith((" ", ":"))
        and ": " not in value
        and " #" not in value
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    # YAML refuses DEL, C1 controls and U+FFFE/FFFF raw, and reads U+2028 as a line break:
    # such characters are written as escapes (control characters below 0x20 json escapes)
    return "".join(c if c.isprintable() else _escape(c) for c in quoted)


def _escape(c: str) -> str:
    return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"


def comment(text: str) -> str:
    """A YAML comment; a line break would end the comment and start YAML."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return "# " + " ".join(text.split()) if text.strip() else ""
