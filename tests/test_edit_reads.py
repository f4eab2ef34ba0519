"""The commands that edit a protokoll read it as the loader does (archive.source.read_regular):
a regular file of at most 1 MiB, never through a link, never a FIFO that would block."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import needs_symlinks, protokoll

FIFO = "Sökvägen är en namngiven pipe (FIFO), inte en vanlig fil, och läses inte."
LINK = "Filen är en symbolisk länk; sikt läser inte filer genom länkar."
LINK_HINT = "Ersätt länken med en vanlig fil med samma innehåll, eller ta bort den ur arkivet."
COMMANDS = [
    ("protokoll", "ny", "--datum", "2020-09-04", "--sekreterare", "bo-ek"),
    ("protokoll", "justera", "2020-09-04"),
    ("kallelse", "2020-09-04"),
]


def sikt(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIKT_")}
    env.update({"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", "SIKT_CACHE": "av"})
    return subprocess.run(
        [sys.executable, "-m", "sikt_cli", *args, "--rot", str(root)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,  # a FIFO opened for reading without a writer would block for ever
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO:er finns bara på POSIX-system")
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_fifo_in_place_of_a_protokoll_is_refused_not_waited_on(
    archive: Callable[..., Path], args: tuple[str, ...]
) -> None:
    root = archive()
    path = root / "protokoll" / "2020-09-04.md"
    os.mkfifo(path)
    result = sikt(root, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Fel: {path} kan inte läsas: {FIFO}\n"), result.stderr


@needs_symlinks
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_symlinked_protokoll_is_refused_and_its_target_unread(
    archive: Callable[..., Path], tmp_path: Path, args: tuple[str, ...]
) -> None:
    root = archive()
    target = tmp_path / "annan.md"
    target.write_text(protokoll("2020-09-04", status="planerat"), encoding="utf-8")
    before = target.read_bytes()
    path = root / "protokoll" / "2020-09-04.md"
    path.symlink_to(target)
    result = sikt(root, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Fel: {path} kan inte läsas: {LINK}\ntips: {LINK_HINT}\n"
    assert path.is_symlink() and target.read_bytes() == before


@needs_symlinks
def test_maskera_refuses_a_symlinked_protokoll(
    archive: Callable[..., Path], tmp_path: Path
) -> None:
    root = archive()
    target = tmp_path / "annan.md"
    target.write_text(protokoll("2020-09-04", status="justerat"), encoding="utf-8")
    path = root / "protokoll" / "2020-09-04.md"
    path.symlink_to(target)
    result = sikt(root, "protokoll", "maskera", "2020-09-04", "3", "--skal", "x", "--av", "bo-ek")
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Fel: {path} kan inte läsas: {LINK}\ntips: {LINK_HINT}\n"


def test_extra_arguments_are_named_in_swedish(tmp_path: Path) -> None:
    """Found here: Click 8.2+ says "argument(s) (…)", which came out as "s) (2020-09-04"."""
    result = sikt(tmp_path, "protokoll", "ny", "2020-09-04", "2020-10-02")
    assert (result.returncode, result.stderr) == (
        2,
        "Fel: För många argument: 2020-09-04 2020-10-02.\n"
        "tips: Se 'python -m sikt_cli protokoll ny --help'.\n",
    )
