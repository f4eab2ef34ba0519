"""Who is asking: `--jag`, else SIKT_JAG, else `git config user.email` matched to a member."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sikt_cli.errors import SiktError
from sikt_cli.model import Roster
from sikt_cli.schema import did_you_mean

HOW_TO = (
    "Ange vem du är på något av tre sätt: flaggan --jag DITT-ID, miljövariabeln "
    "SIKT_JAG=DITT-ID, eller 'git config user.email' satt till din adress under 'epost' i "
    "medlemmar.yaml."
)


def git_email(root: Path) -> str | None:
    """The repo's `user.email`, or None when git or the setting is missing."""
    try:
        out = subprocess.run(
            ["git", "config", "user.email"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    email = out.stdout.strip()
    return email or None


def resolve(roster: Roster, root: Path, jag: str | None) -> str:
    """The member id of the user, or a SiktError that says exactly how to set it."""
    for source, value in (("--jag", jag), ("SIKT_JAG", os.environ.get("SIKT_JAG"))):
        if value:
            if roster.member(value) is None:
                guess = did_you_mean(value, list(roster.by_id))
                raise SiktError(
                    f"{source} anger '{value}', som inte är en medlem i medlemmar.yaml.",
                    (f"Menade du '{guess}'? " if guess else "") + HOW_TO,
                )
            return value
    email = git_email(root)
    if email:
        for m in roster.members:
            if m.epost and m.epost.lower() == email.lower():
                return m.id
        raise SiktError(
            f"Ingen medlem i medlemmar.yaml har e-postadressen '{email}' (från git config "
            "user.email).",
            HOW_TO,
        )
    raise SiktError("Vet inte vem du är.", HOW_TO)
