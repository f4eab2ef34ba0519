"""Edits of a protokoll's frontmatter as new bytes: the value of one key, keeping the rest.

Pure functions: the archive package never writes a file. A service computes the new bytes
here and writes them with `files.replace_atomically`, which refuses if the file changed.
"""

from __future__ import annotations

import re

from sikt_cli.files import split_lines

_KEY_LINE = re.compile(r"^(\s*[A-Za-z_]+:)(\s*)([^#]*?)(\s*(#.*)?)$")


def set_value(data: bytes, line: int, value: str) -> str:
    """The line with its value replaced, keeping key, spacing and trailing comment."""
    text = split_lines(data)[line - 1][0].decode("utf-8")
    if line == 1:
        text = text.lstrip("\ufeff")
    m = _KEY_LINE.match(text)
    if not m:
        key = text.split(":", 1)[0]
        return f"{key}: {value}"
    space, tail = m.group(2), m.group(4) or ""
    if not m.group(3) and tail.startswith("#"):  # 'key:   # comment': the spaces are the comment's
        space, tail = " ", (space or " ") + tail
    return f"{m.group(1)}{space or ' '}{value}{tail}"


def continuation(data: bytes, line: int, end: int) -> range:
    """The lines after a top-level key's line that still belong to its value (a block list)."""
    lines = [text for text, _ in split_lines(data)]
    last = probe = line
    while probe + 1 < end:
        text = lines[probe]  # the line after `probe`
        if text[:1] in (b" ", b"\t", b"-"):
            last = probe = probe + 1
        elif not text.strip() or text.startswith(b"#"):  # e.g. '# - id': the list goes on
            probe += 1
        else:
            break
    return range(line + 1, last + 1)


def drop_existing_keys(lines: list[str], existing: set[str]) -> list[str]:
    """Remove top-level key blocks (key line and its indented/comment lines) already present."""
    out: list[str] = []
    skipping = False
    for line in lines:
        top = re.match(r"^([a-z_]+):", line)
        if top:
            skipping = top.group(1) in existing
        if not skipping:
            out.append(line)
    return out
