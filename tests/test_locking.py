"""`sikt validera --bas REF`: a protokoll justerat at REF is locked (SIKT504, SIKT505).

Every test uses a real git repository in a tmp dir, with the developer's git configuration
shut out (GIT_CONFIG_GLOBAL=/dev/null, GIT_CONFIG_NOSYSTEM=1), also for sikt's own git calls.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import GIT_ENV, REPO, git, protokoll

Run = Callable[..., Any]
Make = Callable[..., Path]

JUNE = "protokoll/2020-06-05.md"
SEPT = "protokoll/2020-09-04.md"
pytestmark = pytest.mark.usefixtures("isolated_git")
SEPT_BODY = "## 1. Inledning\n\nText.\n\n## 2. Temadag\n\nText.\n"


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", message)


def init(root: Path, top: Path | None = None) -> None:
    top = top or root
    git(top, "init", "-q", "-b", "main")
    commit_all(top, "arkiv")


def check(run: Run, root: Path, ref: str, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--rot", str(root), "--bas", ref, "--format", "json", *extra)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def locked(diags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in diags if d["code"] in ("SIKT504", "SIKT505")]


def line_of(path: Path, needle: bytes) -> int:
    lines = path.read_bytes().split(b"\n")
    hits = [i for i, line in enumerate(lines, start=1) if needle in line]
    assert len(hits) == 1, needle
    return hits[0]


@pytest.fixture
def repo(archive: Make) -> Path:
    """main: a justerat June protokoll; nothing else."""
    root = archive({JUNE: protokoll(status="justerat")})
    init(root)
    return root


# --- acceptance on the real archive ---------------------------------------------------------


def test_acceptance_one_word_in_the_real_june_protokoll(real_archive: Path, run: Run) -> None:
    root = real_archive
    init(root)
    assert check(run, root, "HEAD")[0] == 0
    path = root / JUNE
    old = path.read_bytes()
    assert old.count(b"Presentation \xe2\x80\x93 laget runt.") == 1
    path.write_bytes(old.replace(b"laget runt", b"varvet runt"))
    line = line_of(path, b"varvet runt")

    code, diags = check(run, root, "HEAD")
    assert code == 1
    hits = locked(diags)
    assert [(d["code"], d["file"], d["line"]) for d in hits] == [("SIKT504", JUNE, line)]
    assert hits[0]["severity"] == "error"
    assert "justerat och låst" in hits[0]["message"] and "HEAD" in hits[0]["message"]
    assert f"git checkout HEAD -- {JUNE}" in hits[0]["hint"]

    text = run("validera", "--rot", str(root), "--bas", "HEAD")
    assert text.exit_code == 1
    assert f"{JUNE}:{line}:1: SIKT504 fel" in text.stdout
    github = run("validera", "--rot", str(root), "--bas", "HEAD", "--format", "github")
    assert f"file={JUNE},line={line}" in github.stdout


# --- a PR-like branch ----------------------------------------------------------------------


def test_feature_branch_adding_an_utkast_passes(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "nytt-protokoll")
    (repo / SEPT).write_text(protokoll("2020-09-04", body=SEPT_BODY), encoding="utf-8")
    commit_all(repo, "utkast")
    code, diags = check(run, repo, "main")
    assert code == 0, diags
    assert locked(diags) == []


def test_feature_branch_editing_one_word_fails_on_that_line(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "andra-ett-ord")
    path = repo / JUNE
    path.write_bytes(path.read_bytes().replace(b"Boka lokal", b"Hyr lokal"))
    commit_all(repo, "ett ord")
    code, diags = check(run, repo, "main")
    assert code == 1
    assert [(d["code"], d["line"]) for d in locked(diags)] == [
        ("SIKT504", line_of(path, b"Hyr lokal"))
    ]
    # the same edit uncommitted in the working tree is found too
    git(repo, "checkout", "-q", "main")
    path.write_bytes(path.read_bytes().replace(b"Text.", b"Texten."))
    code, diags = check(run, repo, "main")
    assert [(d["code"], d["line"]) for d in locked(diags)] == [
        ("SIKT504", line_of(path, b"Texten."))
    ]


def test_only_files_justerat_at_the_base_are_locked(archive: Make, run: Run) -> None:
    root = archive(
        {JUNE: protokoll(status="justerat"), SEPT: protokoll("2020-09-04", body=SEPT_BODY)}
    )
    init(root)
    sept = root / SEPT
    sept.write_bytes(sept.read_bytes().replace(b"Text.", b"Mer text.", 1))
    code, diags = check(run, root, "HEAD")
    assert code == 0 and locked(diags) == []
    # justering on a branch is allowed; after that the file is locked at the new base
    sept.write_bytes(sept.read_bytes().replace(b"status: utkast", b"status: justerat"))
    assert check(run, root, "HEAD")[0] == 0
    commit_all(root, "justerat")
    sept.write_bytes(sept.read_bytes().replace(b"Mer text.", b"Annan text."))
    assert [d["line"] for d in locked(check(run, root, "HEAD")[1])] == [
        line_of(sept, b"Annan text.")
    ]


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        (b"status: justerat", b"status: utkast", "status back to utkast"),
        (b"Text.\n", b"Text.\n\nTillagt i efterhand.\n", "added lines"),
        (b"## 1. Inledning\n\nText.\n\n", b"", "deleted lines"),
    ],
)
def test_every_kind_of_change_is_sikt504(
    repo: Path, run: Run, old: bytes, new: bytes, what: str
) -> None:
    path = repo / JUNE
    data = path.read_bytes()
    assert data.count(old) == 1, what
    path.write_bytes(data.replace(old, new))
    code, diags = check(run, repo, "HEAD")
    assert code == 1, what
    assert {d["code"] for d in locked(diags)} == {"SIKT504"}, what
    assert all(d["file"] == JUNE and d["line"] >= 1 for d in locked(diags))


def test_line_endings_only_is_still_a_change(repo: Path, run: Run) -> None:
    path = repo / JUNE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, diags = check(run, repo, "HEAD")
    assert code == 1
    assert locked(diags) and {d["code"] for d in locked(diags)} == {"SIKT504"}
    assert locked(diags)[0]["line"] == 1
    assert [d["message"] for d in locked(diags)] == [
        "Protokollet är justerat och låst, men filens bytes har ändrats jämfört med HEAD "
        "(radslut eller BOM)."
    ]


def test_a_bom_only_is_reported_as_such(repo: Path, run: Run) -> None:
    path = repo / JUNE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, diags = check(run, repo, "HEAD")
    assert code == 1
    assert ["radslut eller BOM" in d["message"] for d in locked(diags)] == [True]


def test_deleting_a_justerat_protokoll_is_sikt505(repo: Path, run: Run) -> None:
    (repo / JUNE).unlink()
    code, diags = check(run, repo, "HEAD")
    assert code == 1
    hits = locked(diags)
    assert [(d["code"], d["file"]) for d in hits] == [("SIKT505", JUNE)]
    assert "tagits bort eller bytt namn" in hits[0]["message"]


def test_renaming_a_justerat_protokoll_is_sikt505_naming_the_new_file(repo: Path, run: Run) -> None:
    git(repo, "mv", JUNE, "protokoll/2020-06-06.md")
    commit_all(repo, "döpt om")
    code, diags = check(run, repo, "main~1")
    assert code == 1
    hits = locked(diags)
    assert [(d["code"], d["file"]) for d in hits] == [("SIKT505", JUNE)]
    assert "protokoll/2020-06-06.md" in hits[0]["message"]


def test_archive_in_a_subfolder_of_the_repository(archive: Make, run: Run, tmp_path: Path) -> None:
    """Another network may keep the archive in a folder of a bigger repository."""
    root = archive({JUNE: protokoll(status="justerat")})
    init(root, top=tmp_path)
    assert root.parent == tmp_path
    path = root / JUNE
    path.write_bytes(path.read_bytes().replace(b"Boka lokal", b"Hyr lokal"))
    code, diags = check(run, root, "HEAD")
    assert code == 1
    assert [(d["code"], d["file"], d["line"]) for d in locked(diags)] == [
        ("SIKT504", JUNE, line_of(path, b"Hyr lokal"))
    ]
    (root / JUNE).unlink()
    assert [d["code"] for d in locked(check(run, root, "HEAD")[1])] == ["SIKT505"]


def test_run_from_inside_the_archive_without_rot(
    repo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo / JUNE
    path.write_bytes(path.read_bytes().replace(b"Boka lokal", b"Hyr lokal"))
    monkeypatch.chdir(repo / "protokoll")
    result = run("validera", "--bas", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert [d["code"] for d in locked(json.loads(result.stdout))] == ["SIKT504"]


# --- usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["finns-inte", "main~5", "-h", "--output=/tmp/x"])
def test_unknown_ref_is_exit_2_with_a_swedish_message(repo: Path, run: Run, ref: str) -> None:
    result = run("validera", "--rot", str(repo), "--bas", ref)
    assert result.exit_code == 2
    assert f"Git-referensen '{ref}' finns inte" in result.stderr
    assert "tips:" in result.stderr and "Traceback" not in result.output


def test_bas_outside_a_git_repository_is_exit_2(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive()
    shutil.rmtree(root / ".git", ignore_errors=True)
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = run("validera", "--rot", str(root), "--bas", "HEAD", env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("Fel:") and "Traceback" not in result.output


def test_this_repository_is_clean_against_its_own_head(run: Run, tmp_path: Path) -> None:
    """The real archive copied with its history: nothing justerat has changed."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "klon"
    subprocess.run(
        ["git", "clone", "-q", str(REPO), str(clone)],
        check=True,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
    )
    code, diags = check(run, clone, "HEAD")
    assert locked(diags) == [] and code == 0
