"""The machine formats of diagnostics (json, github, gitlab), the step summary, and the
counts and order that every format shares.

Reporters turn a `Result` into text; only the CLI writes it out. Everything from a file
(a path, a value inside a message) is escaped for its sink: JSON keeps the exact value with
control characters as `\\uXXXX`; GitHub's workflow commands get visible escapes and then
their own `%XX` escaping, so nothing can end a command or start another; the step summary
is escaped for Markdown. With `changed` (the files changed since `--bas`), the findings of
those files come first: they are the pull request's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence

from sikt_cli.diagnostics import Diagnostic, Result
from sikt_cli.safe_text import json_text, safe_block, safe_line

# findings shown per file in the text output and the step summary; the rest is a count
PER_FILE_LIMIT = 50
# GitHub shows at most 10 error and 10 warning annotations per step
GITHUB_ANNOTATIONS = 10
# GitHub accepts at most 1 MiB of step summary per step
STEP_SUMMARY_BYTES = 1024 * 1024


def summary(result: Result) -> str:
    files = f"{result.files_checked} {'fil' if result.files_checked == 1 else 'filer'}"
    n = len(result.accepted)
    accepted = (
        f" ({n} {'godkänt' if n == 1 else 'godkända'} fynd, se godkanda-fynd.yaml)" if n else ""
    )
    if not result.diagnostics:
        return f"Inga fel eller varningar i {files}{accepted}."
    return _counts(result.diagnostics) + f" i {files}{accepted}."


def _counts(diags: Sequence[Diagnostic]) -> str:
    """'2 fel och 1 varning' — the words of the summary line."""
    e = sum(1 for d in diags if d.is_error)
    w = len(diags) - e
    parts = [f"{e} fel"] if e else []
    if w:
        parts.append(f"{w} {'varning' if w == 1 else 'varningar'}")
    return " och ".join(parts)


def by_file(diags: Iterable[Diagnostic]) -> list[tuple[str, list[Diagnostic]]]:
    """The findings grouped by file, files in the order they first occur."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in diags:
        groups.setdefault(d.file, []).append(d)
    return list(groups.items())


def rest_summary(file: str, rest: Sequence[Diagnostic]) -> str:
    """The line that stands for the findings of a file beyond PER_FILE_LIMIT."""
    return (
        f"… och {_counts(rest)} till i {safe_line(file)} visas inte här. "
        "Alla finns med 'sikt validera --format json'."
    )


def changed_first(
    diags: Sequence[Diagnostic], changed: Collection[str]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings in changed files, and the others; each in the given order."""
    mine = [d for d in diags if d.file in changed]
    return mine, [d for d in diags if d.file not in changed]


def report_json(result: Result, **_: object) -> str:
    """A JSON list of {file, line, column, code, severity, message, hint}; file relative to
    root. Accepted findings follow, each with `accepted`: {file, line, reason} (like SARIF's
    suppressions: still in the data, marked as accepted)."""
    items = [d.to_dict() for d in result.diagnostics] + [a.to_dict() for a in result.accepted]
    return json_text(items) + "\n"


def _gh_escape(value: str, *, prop: bool = False) -> str:
    # GitHub workflow commands: %, CR and LF must be escaped, and in properties also : and ,
    # (safe_block has already made CR and every other control a visible escape)
    value = safe_block(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _gh_line(d: Diagnostic) -> str:
    kind = "error" if d.is_error else "warning"
    props = [f"file={_gh_escape(d.file, prop=True)}"]
    if d.line:
        props.append(f"line={d.line}")
    if d.column:
        props.append(f"col={d.column}")
    props.append(f"title={_gh_escape(d.code, prop=True)}")
    message = d.message + (f" Tips: {d.hint}" if d.hint else "")
    return f"::{kind} {','.join(props)}::{_gh_escape(message)}"


def _gh_rest(kind: str, rest: Sequence[Diagnostic]) -> str:
    """One annotation for the findings beyond GitHub's limit, with counts per file."""
    files = by_file(rest)
    listed = ", ".join(f"{f} ({len(ds)})" for f, ds in files[:10])
    if len(files) > 10:
        listed += f" och {len(files) - 10} filer till"
    message = (
        f"{_counts(rest)} till visas inte som markeringar (GitHub visar högst "
        f"{GITHUB_ANNOTATIONS} per sort och steg): {listed}. De står i loggen nedan och i "
        "stegets sammanfattning."
    )
    return f"::{kind} title=sikt validera::{_gh_escape(message)}"


def _plain_line(d: Diagnostic) -> str:
    """A finding as a plain log line: it starts with '- ', so never with a command's '::'."""
    where = f"{d.file}:{d.line}:{d.column}" if d.line else d.file
    hint = f" Tips: {d.hint}" if d.hint else ""
    return safe_line(f"- {where}: {d.code} {d.severity.swedish}: {d.message}{hint}")


def report_github(result: Result, *, changed: Collection[str] = (), **_: object) -> str:
    """GitHub Actions workflow commands: annotations on the lines of the pull request.

    The findings of changed files come first. Of each kind (error, warning) GitHub shows 10
    annotations per step: beyond that, 9 are annotations and the 10th counts the rest, which
    follow as plain log lines (capped per file like the text output).
    """
    mine, others = changed_first(result.diagnostics, changed)
    ordered = [*mine, *others]
    total = {True: sum(1 for d in ordered if d.is_error)}
    total[False] = len(ordered) - total[True]
    room = {k: n if n <= GITHUB_ANNOTATIONS else GITHUB_ANNOTATIONS - 1 for k, n in total.items()}
    out: list[str] = []
    rest: dict[bool, list[Diagnostic]] = {True: [], False: []}
    for d in ordered:
        if room[d.is_error]:
            room[d.is_error] -= 1
            out.append(_gh_line(d))
        else:
            rest[d.is_error].append(d)
    for is_error, kind in ((True, "error"), (False, "warning")):
        if rest[is_error]:
            out.append(_gh_rest(kind, rest[is_error]))
    for file, diags in by_file([*rest[True], *rest[False]]):
        out.extend(_plain_line(d) for d in diags[:PER_FILE_LIMIT])
        if len(diags) > PER_FILE_LIMIT:
            out.append("- " + rest_summary(file, diags[PER_FILE_LIMIT:]))
    out.append(summary(result))
    return "\n".join(out) + "\n"


def report_gitlab(result: Result, *, changed: Collection[str] = (), **_: object) -> str:
    """GitLab Code Quality report: shown on the changed lines of a merge request.

    The path stays exact (GitLab matches it against the repository; JSON escapes its
    control characters); the description is text for people, so it is escaped visibly.
    """
    import hashlib

    mine, others = changed_first(result.diagnostics, changed)
    issues = []
    seen: dict[str, int] = {}
    for d in [*mine, *others]:
        # the column tells apart two findings on one line (`narvarande: [x, x]`); a count
        # tells apart exact repeats, so every fingerprint is unique and stable across runs
        key = f"{d.file}:{d.line}:{d.column}:{d.code}:{d.message}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key += f"\0{seen[key]}"
        issues.append(
            {
                "description": safe_line(d.message + (f" Tips: {d.hint}" if d.hint else "")),
                "check_name": d.code,
                "fingerprint": hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest(),
                "severity": "major" if d.is_error else "minor",
                "location": {"path": d.file, "lines": {"begin": max(d.line, 1)}},
            }
        )
    return json_text(issues) + "\n"


# --- the step summary ($GITHUB_STEP_SUMMARY) -------------------------------------------------

# what GitHub's Markdown acts on inside a table cell: emphasis, code, links, images, HTML,
# entities, @mentions, the cell separator and the escape itself
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|<>&~@])")


def md_escape(text: str) -> str:
    """Text for a Markdown table cell, shown as written: one line, controls visible, and
    every mark Markdown acts on backslash-escaped (so no `|`, HTML, link or @mention)."""
    return _MD_PUNCTUATION.sub(r"\\\1", safe_line(text))


_HEADER = "| Fil | Rad | Kod | Sort | Meddelande |\n|---|---:|---|---|---|\n"


def _md_row(d: Diagnostic) -> str:
    message = d.message + (f" Tips: {d.hint}" if d.hint else "")
    cells = (d.file, str(d.line or ""), d.code, d.severity.swedish, message)
    return "| " + " | ".join(md_escape(c) for c in cells) + " |\n"


def _md_rest_row(text: str) -> str:
    return f"| {md_escape(text)} | | | | |\n"


def _md_section(title: str, diags: Sequence[Diagnostic]) -> list[str]:
    rows = [f"\n### {title}\n\n", _HEADER]
    for file, group in by_file(diags):
        rows.extend(_md_row(d) for d in group[:PER_FILE_LIMIT])
        if len(group) > PER_FILE_LIMIT:
            rows.append(_md_rest_row(rest_summary(file, group[PER_FILE_LIMIT:])))
    return rows


def step_summary(
    result: Result, *, changed: Collection[str] = (), budget: int = STEP_SUMMARY_BYTES
) -> str:
    """Every finding as Markdown tables for GitHub's step summary: the changed files' first,
    at most PER_FILE_LIMIT per file with a count of the rest, and at most `budget` bytes
    (GitHub refuses a step summary over 1 MiB): what does not fit is a count."""
    mine, others = changed_first(result.diagnostics, changed)
    head = f"## sikt validera\n\n{md_escape(summary(result))}\n"
    rows: list[str] = []
    if mine:
        rows += _md_section("Filer som ändrats i den här ändringen", mine)
    if others:
        rows += _md_section("Övriga filer" if mine else "Fynd", others)
    reserve = 400  # room for the line that counts what did not fit
    out, used = [head], len(head.encode())
    for i, row in enumerate(rows):
        size = len(row.encode("utf-8", "surrogateescape"))
        if used + size > budget - reserve:
            left = sum(1 for r in rows[i:] if r.startswith("| ") and not r.startswith("| Fil "))
            out.append(f"\n… och {left} rader till får inte plats (GitHub tillåter 1 MiB).\n")
            break
        out.append(row)
        used += size
    return "".join(out)


# the machine formats; the text format, which colours with rich, is in cli/reporters.py
MACHINE_REPORTERS: dict[str, Callable[..., str]] = {
    "json": report_json,
    "github": report_github,
    "gitlab": report_gitlab,
}
