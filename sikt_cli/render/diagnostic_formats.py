"""The machine formats of diagnostics (json, github, gitlab) and the summary line.

Reporters turn a `Result` into text; only the CLI writes it out.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sikt_cli.diagnostics import Diagnostic, Result


def summary(result: Result) -> str:
    files = f"{result.files_checked} {'fil' if result.files_checked == 1 else 'filer'}"
    if not result.diagnostics:
        return f"Inga fel eller varningar i {files}."
    e, w = result.errors, result.warnings
    parts = [f"{e} fel"] if e else []
    if w:
        parts.append(f"{w} {'varning' if w == 1 else 'varningar'}")
    return " och ".join(parts) + f" i {files}."


def report_json(result: Result, **_: object) -> str:
    """A JSON list of {file, line, column, code, severity, message, hint}; file relative to root."""
    return (
        json.dumps([d.to_dict() for d in result.diagnostics], ensure_ascii=False, indent=2) + "\n"
    )


def _gh_escape(value: str, *, prop: bool = False) -> str:
    # GitHub workflow commands: %, CR and LF must be escaped, and in properties also : and ,
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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


def report_github(result: Result, **_: object) -> str:
    """GitHub Actions workflow commands: annotations on the lines of the pull request."""
    out = [_gh_line(d) for d in result.diagnostics]
    out.append(summary(result))
    return "\n".join(out) + "\n"


def report_gitlab(result: Result, **_: object) -> str:
    """GitLab Code Quality report: shown on the changed lines of a merge request."""
    import hashlib

    issues = []
    seen: dict[str, int] = {}
    for d in result.diagnostics:
        # the column tells apart two findings on one line (`narvarande: [x, x]`); a count
        # tells apart exact repeats, so every fingerprint is unique and stable across runs
        key = f"{d.file}:{d.line}:{d.column}:{d.code}:{d.message}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key += f"\0{seen[key]}"
        issues.append(
            {
                "description": d.message + (f" Tips: {d.hint}" if d.hint else ""),
                "check_name": d.code,
                "fingerprint": hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest(),
                "severity": "major" if d.is_error else "minor",
                "location": {"path": d.file, "lines": {"begin": max(d.line, 1)}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# the machine formats; the text format, which colours with rich, is in cli/reporters.py
MACHINE_REPORTERS: dict[str, Callable[..., str]] = {
    "json": report_json,
    "github": report_github,
    "gitlab": report_gitlab,
}
