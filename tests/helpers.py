"""Helpers the tests import: fixture data, tree builders, git, golden files.

Fixtures that pytest injects live in conftest.py; everything a test imports by name
lives here (`from helpers import MEMBERS, protokoll`), so no test imports conftest.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def examples(default: int) -> int:
    """A hypothesis suite's example count: `default` times SIKT_HYPOTHESIS_SCALE (1 unless
    set). The one place every `@given` test reads it; `.ci/run` runs them once more at 10."""
    scale = os.environ.get("SIKT_HYPOTHESIS_SCALE", "1")
    return default * max(1, int(scale)) if scale.isdigit() else default


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


GOLDEN = Path(__file__).resolve().parent / "golden"


def golden(name: str, actual: str, *, update: bool | None = None) -> None:
    """Compare `actual` with tests/golden/NAME; SIKT_UPDATE_GOLDEN=1 rewrites the file.

    Golden files are small source → expected-output pairs for importers and renderers;
    an update shows up in the diff for review.
    """
    path = GOLDEN / name
    if update is None:
        update = os.environ.get("SIKT_UPDATE_GOLDEN") == "1"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"{path} saknas: kör med SIKT_UPDATE_GOLDEN=1 och granska filen"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} skiljer sig från den sparade: kör med SIKT_UPDATE_GOLDEN=1"


# --- the installed sikt-cli, as an installer records it (PEP 610) -------------------------

PINNED_COMMIT = "0123456789abcdef0123456789abcdef01234567"
PINNED_URL = "https://github.com/sikt-natverket/sikt"
PINNED_SPEC = f"sikt-cli @ git+{PINNED_URL}@{PINNED_COMMIT}"
VCS_INSTALL = {
    "url": PINNED_URL,
    "vcs_info": {"vcs": "git", "commit_id": PINNED_COMMIT, "requested_revision": "main"},
}


def write_distribution(folder: Path, version: str, direct_url: dict[str, object] | None) -> Path:
    """A sikt-cli dist-info in `folder`, as pip writes it; `direct_url` None is an index
    install. Returns `folder`, for sys.path or importlib.metadata.PathDistribution."""
    import json

    info = folder / f"sikt_cli-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.4\nName: sikt-cli\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return folder


def _can_symlink() -> bool:
    """Windows lets only administrators or Developer Mode create symbolic links."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        try:
            (Path(folder) / "link").symlink_to(Path(folder) / "target")
        except (OSError, NotImplementedError):
            return False
    return True


needs_symlinks = __import__("pytest").mark.skipif(
    not _can_symlink(),
    reason="symboliska länkar kräver administratör eller utvecklarläge på Windows",
)


def loads_in_both(monkeypatch: Any, marker: Path) -> Callable[[], bool]:
    """Makes a pooled `load_archive` share its protokoll between this process and a worker
    even in a small test archive: this process waits 20 ms per protokoll it loads (without
    that it would load them all before the worker has started). Every process appends its
    pid to `marker` per protokoll; the function returned says whether this process and at
    least one other each loaded some. Only where workers are forked (a spawned worker
    does not inherit the wrapper): elsewhere it changes nothing and says True."""
    import multiprocessing

    from sikt_cli.archive import load

    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: True

    main_pid = os.getpid()
    real = load._load_one

    def slow_here(*args: Any) -> Any:
        with marker.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        if os.getpid() == main_pid:
            time.sleep(0.02)
        return real(*args)

    monkeypatch.setattr(load, "_load_one", slow_here)

    def both() -> bool:
        pids = {int(p) for p in marker.read_text(encoding="utf-8").split()}
        return main_pid in pids and len(pids) >= 2

    return both
