"""Renderers against golden files in tests/golden/ (SIKT_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import golden

from sikt_cli.archive.load import load_archive
from sikt_cli.records.action_items import track
from sikt_cli.render import contexts
from sikt_cli.render.templates import render
from sikt_cli.services.notice import kallelse


def test_kallelse_markdown(real_archive: Path) -> None:
    k = kallelse(real_archive, dt.date(2020, 9, 4), sending=False)
    golden("kallelse-2020-09-04.md", k.notice.markdown)


def test_minutes_mail_summary(real_archive: Path) -> None:
    archive = load_archive(real_archive)
    minutes = archive.minutes_on("2020-06-05")
    assert minutes is not None
    new = [a for a in track(archive.minutes, archive.roster).items if a.file == minutes.rel]
    ctx = contexts.minutes_mail(archive, minutes, new, utkast=False)
    golden("protokoll-mejl-2020-06-05.md", render("protokoll-mejl.md.j2", ctx, archive.root))


def test_a_changed_rendering_fails_against_its_golden_file() -> None:
    with pytest.raises(AssertionError, match="skiljer sig"):
        golden("kallelse-2020-09-04.md", "något annat\n", update=False)


def test_a_missing_golden_file_says_how_to_make_it() -> None:
    with pytest.raises(AssertionError, match="SIKT_UPDATE_GOLDEN=1"):
        golden("finns-inte.md", "x", update=False)
