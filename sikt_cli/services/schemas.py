"""`sikt schema`: the JSON Schemas for editors, written all or nothing."""

from __future__ import annotations

from pathlib import Path

from sikt_cli.files import create, free_stem, occupied


def write_schemas(folder: Path) -> list[Path]:
    """Write one schema file per format into `folder`; if any exists, write none."""
    from sikt_cli.render.json_schemas import dumps, schemas

    docs = schemas()
    existing = [folder / name for name in docs if (folder / name).exists()]
    if existing:  # a set of files: a free folder is proposed, as a free name elsewhere
        free = folder.parent / free_stem(folder.parent, folder.name, ("",))
        raise occupied(existing[0], free)
    written = []
    for name, doc in docs.items():
        create(folder / name, dumps(doc))
        written.append(folder / name)
    return written
