"""The changelog: towncrier fragments per change, checked on every pull request.

`towncrier check` is run for real, in a real git repository with this project's
configuration, with and without a fragment; `towncrier build --draft` renders this repo's
pending fragments.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import GIT_ENV, REPO, git

CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["towncrier"]
TYPES = {t["directory"]: t["name"] for t in CONFIG["type"]}
FRAGMENTS = REPO / CONFIG["directory"]


def towncrier(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "towncrier", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A repository with this project's towncrier setup on main, and a branch `arbete` that
    changes a file but has no fragment yet."""
    root = tmp_path / "repo"
    (root / "changelog.d").mkdir(parents=True)
    for name in ("pyproject.toml", "CHANGELOG.md", "changelog.d/.gitkeep"):
        shutil.copy(REPO / name, root / name)
    (root / "sikt_cli").mkdir()
    (root / "sikt_cli" / "kod.py").write_text("x = 1\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "arbete")
    (root / "sikt_cli" / "kod.py").write_text("x = 2\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "change without a fragment")
    return root


def test_a_change_without_a_fragment_is_flagged(branch: Path) -> None:
    done = towncrier(branch, "check", "--compare-with", "main")
    assert done.returncode == 1
    assert "No new newsfragments found on this branch." in done.stdout


def test_a_change_with_a_fragment_passes(branch: Path) -> None:
    (branch / "changelog.d" / "42.bugfix.md").write_text("Rättat.\n", encoding="utf-8")
    git(branch, "add", "-A")
    git(branch, "commit", "-q", "-m", "fragment")
    done = towncrier(branch, "check", "--compare-with", "main")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Found:\n1. {branch / 'changelog.d' / '42.bugfix.md'}" in done.stdout


def test_a_fragment_of_an_unknown_type_is_flagged(branch: Path) -> None:
    (branch / "changelog.d" / "42.bugg.md").write_text("Rättat.\n", encoding="utf-8")
    git(branch, "add", "-A")
    git(branch, "commit", "-q", "-m", "misnamed fragment")
    done = towncrier(branch, "check", "--compare-with", "main")
    assert done.returncode == 1
    assert "Invalid news fragment name: 42.bugg.md" in done.stderr


def test_draft_renders_the_pending_fragments() -> None:
    done = towncrier(REPO, "build", "--draft", "--version", "9.9.9")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^## 9\.9\.9 – \d{4}-\d{2}-\d{2}$", done.stdout, re.M)
    pending = sorted(p for p in FRAGMENTS.iterdir() if p.name != ".gitkeep")
    assert pending, "the work on this branch has fragments"
    for fragment in pending:
        kind = fragment.name.split(".")[1]
        assert f"### {TYPES[kind]}" in done.stdout
        text = " ".join(fragment.read_text(encoding="utf-8").split())
        assert text in " ".join(done.stdout.split()), fragment.name
    assert (REPO / "CHANGELOG.md").read_text(encoding="utf-8").count("## 9.9.9") == 0


def test_every_fragment_is_named_for_a_known_type() -> None:
    pattern = re.compile(rf"(?:\d+|\+[\w-]+)\.({'|'.join(TYPES)})(?:\.\d+)?\.md")
    for fragment in FRAGMENTS.iterdir():
        if fragment.name != ".gitkeep":
            assert pattern.fullmatch(fragment.name), fragment.name


def test_changelog_is_ready_for_towncrier_and_linked_from_the_docs() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.count(CONFIG["start_string"]) == 1
    assert "## 0.1.0 – " in text
    for doc in ("guide.md", "ci.md", "utgavor.md"):
        assert "](../CHANGELOG.md)" in (REPO / "docs" / doc).read_text(encoding="utf-8"), doc
