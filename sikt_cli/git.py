"""The one wrapper around the git program: fixed argument lists, never a shell.

Every value sikt passes to git (a ref from `--bas`, a path from git's own listing) is one
argument of a list, so nothing in it can start another command.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sikt_cli.errors import SiktError


class GitFailed(SiktError):
    """git ran but refused (e.g. an unknown ref)."""


def program() -> str:
    """The git program's full path: shutil.which finds `git.exe` on Windows (PATHEXT), so
    Git for Windows works without a shell; a SiktError in Swedish when git is missing."""
    found = shutil.which("git")
    if found is None:
        raise SiktError(
            "git hittades inte (varken git eller git.exe finns i PATH).",
            "Installera git (på Windows: Git for Windows, https://git-scm.com) och öppna "
            "terminalen på nytt; --bas och publicering jämför med en git-referens.",
        )
    return found


def run(root: Path, *args: str, timeout: float = 60) -> bytes:
    """git's standard output, or a SiktError that says why git could not answer."""
    git = program()
    try:
        out = subprocess.run(
            [git, *args], cwd=root, capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SiktError(
            "git kunde inte köras.", "Installera git; --bas jämför med en git-referens."
        ) from exc
    if out.returncode != 0:
        raise GitFailed(
            f"git {' '.join(args[:2])} misslyckades: "
            f"{out.stderr.decode('utf-8', 'replace').strip()}",
            "Kontrollera att --bas anger en gren, tagg eller commit som finns "
            "(i CI: hämta hela historiken, fetch-depth: 0).",
        )
    return out.stdout


def blob(
    root: Path, ref: str, path: str | None = None, *, checked_out: bool = False
) -> bytes | None:
    """The bytes of `path` (relative to the repository's top) at `ref`, or of the blob `ref`
    names; None when there is no such file there.

    As git holds them, or with `checked_out` as a checkout writes them into the working tree
    (line endings and filters applied: with Git for Windows' default core.autocrlf=true the
    blob has LF and the file CRLF), for comparing with what the user edited."""
    spec = ref if path is None else f"{ref}:{path}"
    try:
        return run(root, "cat-file", "--filters" if checked_out else "blob", spec)
    except GitFailed:
        return None


def config(root: Path, name: str) -> str | None:
    """A git setting (e.g. `user.email`), or None when git or the setting is missing."""
    try:
        value = run(root, "config", name, timeout=10).decode("utf-8", "replace").strip()
    except SiktError:
        return None
    return value or None
