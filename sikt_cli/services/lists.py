"""`sikt medlemmar` and `sikt moten`: a list as a table, or as a mail to `rapport_till`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sikt_cli.mail.messages import Mail

LISTS = ("member_list", "meeting_list")


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]


def table(root: Path, which: str) -> Table:
    """One of the overviews in records/overview.py (`member_list`, `meeting_list`)."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.records import overview

    assert which in LISTS
    title, headers, rows = getattr(overview, which)(load_archive(root))
    return Table(title, headers, rows)


def list_mail(root: Path, which: str) -> Mail:
    """The list as a mail to the network's report address; never with a personnummer."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.mail.messages import report_mail
    from sikt_cli.records import overview
    from sikt_cli.render.lists import as_markdown
    from sikt_cli.services.personal_data import refuse_numbers, refuse_numbers_in

    what = "Förteckningen" if which == "member_list" else "Listan med mötesdatum"
    refuse_numbers(root, None, what)
    archive = load_archive(root)
    title, headers, rows = getattr(overview, which)(archive)
    text = as_markdown(title, headers, rows)
    refuse_numbers_in(text, what, "listan")
    return report_mail(archive, title, text)
