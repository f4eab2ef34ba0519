"""`sikt protokoll lista` and `sikt protokoll visa`: the archive's protokoll, and one of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sikt_cli.archive.layout import minutes_path
from sikt_cli.errors import Refused
from sikt_cli.records.overview import MinutesRow


def overview(root: Path) -> list[MinutesRow]:
    from sikt_cli.archive.load import load_archive
    from sikt_cli.records.action_items import track
    from sikt_cli.records.overview import minutes_overview

    archive = load_archive(root)
    return minutes_overview(archive, track(archive.minutes, archive.roster))


@dataclass(frozen=True, slots=True)
class Shown:
    frontmatter: str  # the YAML block with its --- lines, "" when the file has none
    body: str


def show(root: Path, day: dt.date) -> Shown:
    """The protokoll's frontmatter and body as written, or a Refused error saying why not."""
    from sikt_cli.archive.documents import load_markdown_file

    path = minutes_path(root, day)
    if not path.is_file():
        raise Refused(f"Det finns inget protokoll för {day}.", "Se 'sikt protokoll lista'.")
    loaded = load_markdown_file(path, path.name)
    if loaded.source is None:
        first = loaded.diagnostics[0]
        raise Refused(first.message, first.hint)
    fm = loaded.frontmatter
    if fm is None:
        return Shown("", loaded.source.text)
    return Shown("\n".join(loaded.source.lines[: fm.end_line]), fm.body)
