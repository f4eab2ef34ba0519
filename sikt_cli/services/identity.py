"""Who is asking: `--jag`, else SIKT_JAG, else `git config user.email` matched to a member."""

from __future__ import annotations

import os
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.model import Roster
from sikt_cli.errors import SiktError
from sikt_cli.text import did_you_mean

HOW_TO = (
    "Ange vem du är på något av tre sätt: flaggan --jag DITT-ID, miljövariabeln "
    "SIKT_JAG=DITT-ID, eller 'git config user.email' satt till din adress under 'epost' i "
    "medlemmar.yaml."
)


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
    email = git.config(root, "user.email")
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
