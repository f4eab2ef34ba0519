"""Fixture archives built in tmp dirs from small helpers, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sikt_cli.cli.app import app

REPO = Path(__file__).resolve().parent.parent

MEMBERS = """\
natverk:
  namn: Testnätverket
  rapport_till: [rapport@example.se]
  plats: Teamsmöte
  tid: "09:00-11:15"
kommuner: [Hjo, Skara, Vara]
grupper:
  - id: arbetsgrupp
    namn: Arbetsgruppen
    medlemmar: [anna-ek, bo-ek]
medlemmar:
  - id: anna-ek
    namn: Anna Ek
    kommun: Hjo
    epost: anna.ek@example.se
    roller: [ordforande]
  - id: bo-ek
    namn: Bo Ek
    kommun: Skara
  - id: cia-ek
    namn: Cia Ek
    kommun: Vara
"""

GOALS = """\
mal:
  - id: mal-1
    namn: Mål ett
    uppdrag:
      - id: mal-1.1
        text: Första deluppdraget
      - id: mal-1.2
        text: Bara 2020
        fran: 2020-01-01
        till: 2020-12-31
"""


def protokoll(
    datum: str = "2020-06-05",
    *,
    status: str = "utkast",
    extra_frontmatter: str = "",
    body: str | None = None,
    arenden: str | None = None,
) -> str:
    """A valid protokoll text; override parts to build a broken one."""
    if arenden is None:
        arenden = """\
arenden:
  - nr: 1
    rubrik: Inledning
  - nr: 2
    rubrik: Temadag
    mal: [mal-1.1]
"""
    if body is None:
        body = """\
## 1. Inledning

Text.

## 2. Temadag

- [ ] @bo-ek Boka lokal senast 2020-08-01
"""
    return (
        "---\n"
        f"datum: {datum}\n"
        f"status: {status}\n"
        "ordforande: anna-ek\n"
        "sekreterare: bo-ek\n"
        "narvarande: [anna-ek, bo-ek, cia-ek]\n"
        + arenden
        + "kommande:\n  - datum: 2020-09-04\n"
        + extra_frontmatter
        + "---\n\n"
        + body
    )


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create files under root: {relative path: text or bytes}."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(
                textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8"
            )
    return root


@pytest.fixture
def archive(tmp_path: Path) -> Callable[..., Path]:
    """archive({"protokoll/2020-06-05.md": protokoll()}) → a root with members and goals."""

    def make(
        files: dict[str, str | bytes] | None = None,
        *,
        members: str = MEMBERS,
        goals: str | None = GOALS,
    ) -> Path:
        root = tmp_path / "arkiv"
        tree: dict[str, str | bytes] = {"medlemmar.yaml": members}
        if goals is not None:
            tree["mal.yaml"] = goals
        tree.update(files if files is not None else {"protokoll/2020-06-05.md": protokoll()})
        return write_tree(root, tree)

    return make


@pytest.fixture
def real_archive(tmp_path: Path) -> Path:
    """A copy of this repo's own archive (medlemmar.yaml, mal.yaml, protokoll/)."""
    root = tmp_path / "sikt"
    root.mkdir()
    for name in ("medlemmar.yaml", "mal.yaml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "protokoll", root / "protokoll")
    return root


@pytest.fixture
def run() -> Callable[..., object]:
    """run("validera", "--rot", str(root)) → click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> object:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return invoke


# --- shared by the tests that use git and e-mail -------------------------------------------

GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
SMTP_NAMES = (
    "SIKT_AVSANDARE",
    "SIKT_SMTP_VARD",
    "SIKT_SMTP_PORT",
    "SIKT_SMTP_ANVANDARE",
    "SIKT_SMTP_LOSENORD",
    "SIKT_SMTP_OAUTH_TOKEN",
    "SIKT_SMTP_TLS",
)


def git(root: Path, *args: str) -> str:
    """Run git in `root` with a fixed committer and no global or system configuration."""
    out = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e.se", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """sikt's own git calls see no global or system configuration either."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def no_smtp_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own SIKT_* settings must not leak into drafts or sending."""
    for name in SMTP_NAMES:
        monkeypatch.delenv(name, raising=False)
