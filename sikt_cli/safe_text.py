"""Text from files, names and servers made safe to show: one sanitiser for every human sink.

A key, a value, a member name, a file name or an SMTP reply can carry control characters
that a terminal or a CI log acts on: ESC starts colour, OSC (window title, hyperlinks) and
CSI (clear the screen) sequences, the C1 range holds 8-bit forms of the same, and the bidi
controls reorder what a reviewer reads ("Trojan Source"). rich strips BEL, BS, VT, FF and CR
but lets ESC through. Here each such character is shown as a visible escape (`\\x1b`,
`\\u202e`) instead. GitHub's runner also acts on `##[command]` anywhere in a log line (its
old command syntax), so `##[` is shown as `##\\[`.

Every function is idempotent (an escaped text has nothing left to escape), so a text may
pass the sanitiser twice — once as data, once at the console — without changing again.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 except tab and newline, DEL, C1, the bidi marks, embeddings, overrides and isolates,
# the Unicode line and paragraph separators (some viewers break lines there), and lone
# surrogates: a file name that is not UTF-8 keeps its bytes as U+DC80–U+DCFF, and written
# back raw a byte 0x9b is CSI again on a terminal that reads 8-bit controls.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    + _SURROGATES
)
_BLOCK = re.compile(f"[{_UNSAFE}]")
_LINE = re.compile(f"[{_UNSAFE}\n]")
# characters that json.dumps(ensure_ascii=False) leaves raw although a terminal acts on them
_JSON_RAW = re.compile(
    f"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069{_SURROGATES}]"
)
_CI_COMMAND = "##["
_NAMED = {"\n": "\\n", "\r": "\\r"}
# what `safe_line` changes: one unsafe character, a newline, or the start of `##[`
LINE_UNSAFE = re.compile(f"[{_UNSAFE}\n]|##\\[")


def escape_char(char: str) -> str:
    """One character as Python writes it in a literal: `\\x1b`, `\\u202e`."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _sub(pattern: re.Pattern[str], text: str) -> str:
    if pattern.search(text):
        text = pattern.sub(lambda m: escape_char(m.group()), text)
    if _CI_COMMAND in text:
        text = text.replace(_CI_COMMAND, "##\\[")
    return text


def safe_block(text: str) -> str:
    """Text that may span lines (a protokoll's body, a YAML listing): tab and newline kept."""
    return _sub(_BLOCK, text)


def safe_line(text: str) -> str:
    """Text that must stay on its line (a message, a name, a path, a table cell): newlines
    are escaped too, so nothing from a file can start a line of its own in a CI log."""
    return _sub(_LINE, text)


def has_unsafe(text: str) -> bool:
    """Whether `safe_block` would change `text`."""
    return bool(_BLOCK.search(text)) or _CI_COMMAND in text


def json_safe(serialised: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with every control character
    escaped, non-ASCII letters still readable.

    json.dumps escapes C0 but leaves DEL, C1 and the bidi controls raw; those can only occur
    inside JSON strings, so writing them as `\\uXXXX` keeps the document valid and every
    value exact when parsed back. `##[` (GitHub's old command syntax) is written `##\\u005b`.
    """
    out = _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", serialised)
    # `#` only occurs inside JSON strings, where `[` may be written as an escape
    return out.replace(_CI_COMMAND, "##\\u005b")


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """`value` as JSON that is safe to print and parses back to exactly `value`."""
    return json_safe(json.dumps(value, ensure_ascii=False, indent=indent))
