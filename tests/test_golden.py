"""Renderers against golden files in tests/golden/ (SIKT_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import golden

from sikt_cli.mail.messages import plain_text
from sikt_cli.services.minutes_mail import minutes_mail
from sikt_cli.services.notice import kallelse


def test_kallelse_markdown(real_archive: Path) -> None:
    k = kallelse(real_archive, dt.date(2020, 9, 4), sending=False)
    golden("kallelse-2020-09-04.md", k.notice.markdown)


def test_minutes_mail_text(real_archive: Path) -> None:
    """The June minutes mail's text/plain part: the finished document, as plain text."""
    mail, _ = minutes_mail(real_archive, dt.date(2020, 6, 5), utkast=False)
    golden("protokoll-mejl-2020-06-05.md", plain_text(mail))


def test_a_changed_rendering_fails_against_its_golden_file() -> None:
    with pytest.raises(AssertionError, match="skiljer sig"):
        golden("kallelse-2020-09-04.md", "något annat\n", update=False)


def test_a_missing_golden_file_says_how_to_make_it() -> None:
    with pytest.raises(AssertionError, match="SIKT_UPDATE_GOLDEN=1"):
        golden("finns-inte.md", "x", update=False)
