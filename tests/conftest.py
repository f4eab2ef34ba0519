"""Fixtures: archives built in tmp dirs, a copy of the real archive, a CLI runner, git and
SMTP isolation. What tests import by name is in helpers.py."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import (
    GIT_ENV,
    GOALS,
    MEMBERS,
    REPO,
    SMTP_NAMES,
    VCS_INSTALL,
    protokoll,
    write_distribution,
    write_tree,
)
from typer.testing import CliRunner

from sikt_cli.cli.app import app


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


@pytest.fixture(scope="session")
def _vcs_distribution(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_distribution(tmp_path_factory.mktemp("dist"), "0.1.0", VCS_INSTALL)


@pytest.fixture(autouse=True)
def pinned_sikt(_vcs_distribution: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sikt init` writes where the running sikt was installed from, and refuses a local
    checkout (which the test run is). Every test sees sikt installed from a git URL at a
    commit (helpers.PINNED_SPEC), read from a real dist-info by the real code; tests of the
    lookup itself undo this with monkeypatch.undo() or patch it again."""
    from importlib.metadata import PathDistribution

    from sikt_cli.services import pinned_install

    found = PathDistribution(next(_vcs_distribution.glob("*.dist-info")))
    monkeypatch.setattr(pinned_install, "running_distribution", lambda: found)


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """`sikt validera --format github` appends to $GITHUB_STEP_SUMMARY: when the suite itself
    runs in GitHub Actions, tests must not write into the real step summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fuzz: a hypothesis suite (marked automatically); `.ci/run` runs them once "
        "more with SIKT_HYPOTHESIS_SCALE=10",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every `@given` test is `-m fuzz`, so the higher-count run cannot miss a new suite."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.fuzz)
