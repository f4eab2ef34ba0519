"""A folder name that is not UTF-8 (Latin-1 `arkiv-å`, bytes b"arkiv-\\xe5") under `--bas`.

Such names come from old file servers and zip archives. `sikt validera --bas HEAD` reads
git's listing and git's prefix for the archive, which carry the name's raw bytes: the lock
must still work (a changed justerat protokoll is an error) and never exit 70.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GOALS, MEMBERS, git, protokoll, write_tree

P = "protokoll/2020-06-05.md"
LATIN1 = b"arkiv-\xe5"
APPROVED = protokoll(
    status="justerat",
    extra_frontmatter="justerare: [cia-ek]\njusterad: 2020-06-12\n",
)


def _latin1_folder(parent: Path) -> Path:
    """parent/arkiv-\\xe5, or a skip where the file system refuses names that are not UTF-8."""
    if os.name == "nt" or sys.getfilesystemencoding().lower() != "utf-8":
        pytest.skip("namn som inte är UTF-8 finns bara som bytes på POSIX med UTF-8")
    path = parent / os.fsdecode(LATIN1)  # the byte 0xe5 kept as a surrogate, as the OS has it
    try:
        path.mkdir()
    except OSError as exc:  # e.g. APFS: EILSEQ
        pytest.skip(f"filsystemet vägrar namn som inte är UTF-8: {exc}")
    assert os.fsencode(path.name) == LATIN1
    return path


def _validera(root: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIKT_")}
    env.update({"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", "SIKT_CACHE": "av"})
    env.update({"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"})
    return subprocess.run(
        [sys.executable, "-m", "sikt_cli", "validera", "--bas", "HEAD", "--rot", str(root),
         "--format", "json"],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60,
        check=False,
    )  # fmt: skip


def _commit_archive(repo: Path, root: Path) -> None:
    write_tree(root, {"medlemmar.yaml": MEMBERS, "mal.yaml": GOALS, P: APPROVED})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bas")


def _codes(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "Internt fel" not in result.stderr
    return [(d["file"], d["code"]) for d in json.loads(result.stdout)]


@pytest.mark.parametrize("where", ["repository", "sub-folder"])
def test_a_latin1_archive_folder_under_bas(tmp_path: Path, where: str) -> None:
    if where == "repository":  # the repository itself is named arkiv-\xe5
        repo = root = _latin1_folder(tmp_path)
    else:  # the archive is repo/arkiv-\xe5: git's prefix carries the raw byte
        repo = tmp_path / "repo"
        repo.mkdir()
        root = _latin1_folder(repo)
    _commit_archive(repo, root)
    assert _codes(_validera(root, cwd=root)) == []
    path = root / P
    path.write_text(APPROVED.replace("Text.", "Ändrad text."), encoding="utf-8")
    result = _validera(root, cwd=repo)
    assert result.returncode == 1
    assert _codes(result) == [(P, "SIKT504")]  # the lock: a justerat protokoll changed
