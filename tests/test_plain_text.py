"""Plain text from Markdown (render/plain_text.py) and the text/plain parts that use it."""

from __future__ import annotations

from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from sikt_cli.render.lists import as_markdown
from sikt_cli.render.plain_text import markdown_to_text

Run = Callable[..., Any]

pytestmark = pytest.mark.usefixtures("no_smtp_settings")


def test_emphasis_and_escapes_become_the_words() -> None:
    md = as_markdown("Medlemmar", ["Namn"], [["Per-Anders Johansson Ögren", "Skövde", "", "x_y"]])
    assert markdown_to_text(md) == (
        "Medlemmar\n=========\n\n- Per-Anders Johansson Ögren – Skövde, x_y\n"
    )


def test_blocks() -> None:
    md = (
        "# Rubrik\n\n## Del\n\nEtt *stycke*  \nmed `kod` och [länk](https://ex.se) "
        "och <https://ex.se/a>.\n\n1. ett\n2. två\n\n- lös\n\n  punkt\n- två\n\n"
        "> citat\n\n```\nkod\n```\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert markdown_to_text(md) == (
        "Rubrik\n======\n\nDel\n---\n\nEtt stycke\nmed kod och länk (https://ex.se) och "
        "https://ex.se/a.\n\n1. ett\n2. två\n\n- lös\n\n  punkt\n\n- två\n\n> citat\n\n"
        "    kod\n\n——————————\n\na | b\n1 | 2\n"
    )


def test_empty() -> None:
    assert markdown_to_text("") == ""


def _plain(path: Path) -> str:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


@pytest.mark.parametrize("command", ["medlemmar", "moten"])
def test_list_mails_carry_no_markdown_in_their_text(
    command: str, real_archive: Path, run: Run, tmp_path: Path
) -> None:
    """The text/plain parts carried `**Per\\-Anders Johansson Ögren**` and `**2020\\-06\\-05**`."""
    out = tmp_path / "lista.eml"
    result = run(command, "--mejl", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    text = _plain(out)
    assert "**" not in text and "\\" not in text
    if command == "medlemmar":
        assert "- Per-Anders Johansson Ögren – Lidköping" in text
    else:
        assert "- 2020-06-05 – fredag 5 juni 2020, hållet, justerat" in text
