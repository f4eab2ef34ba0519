"""`sikt schema`: the JSON Schemas for editors, written all or nothing."""

from __future__ import annotations

from pathlib import Path

from sikt_cli.errors import Refused
from sikt_cli.files import create


def write_schemas(folder: Path) -> list[Path]:
    """Write one schema file per format into `folder`; if any exists, write none."""
    from sikt_cli.render.json_schemas import dumps, schemas

    docs = schemas()
    existing = [folder / name for name in docs if (folder / name).exists()]
    if existing:
        raise Refused(
            f"{existing[0]} finns redan och skrivs inte över; inget skrevs.",
            "Ta bort de gamla schemafilerna först om du vill skapa dem på nytt.",
        )
    written = []
    for name, doc in docs.items():
        create(folder / name, dumps(doc))
        written.append(folder / name)
    return written
