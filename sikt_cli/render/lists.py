"""Lists (member list, meeting dates) as the Markdown that a list mail carries."""

from __future__ import annotations


def as_markdown(title: str, headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown list (tables are not in the mail HTML preset): one line per row."""
    lines = [f"# {title}", ""]
    for row in rows:
        first, *rest = row
        extra = ", ".join(v for v in rest if v)
        lines.append(f"- **{_escape(first)}**" + (f" – {_escape(extra)}" if extra else ""))
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    """Backslash-escape Markdown punctuation so names are shown as written."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|" else c for c in text)
