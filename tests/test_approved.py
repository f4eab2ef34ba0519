"""Approved means approved, and nothing is lost: each way the lock was bypassed, or a user's
work lost, reproduced in a real git repository (issue 11)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, git, needs_symlinks, protokoll

from sikt_cli import files
from sikt_cli.errors import Refused

Run = Callable[..., Any]
Make = Callable[..., Path]
P = "protokoll/2020-06-05.md"
JUSTERAT = protokoll(status="justerat").replace(
    "status: justerat\n", "status: justerat\njusterad: 2020-06-12\n"
)


def committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bas")
    return root


def validera(run: Run, root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--rot", str(root), "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def codes(diags: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((d["file"], d["code"]) for d in diags)


@needs_symlinks
def test_a_justerat_file_moved_behind_a_symlink_is_caught(archive: Make, run: Run) -> None:
    root = committed(archive({P: JUSTERAT}))
    git(root, "switch", "-q", "-c", "pr")
    git(root, "mv", P, "bilaga.txt")
    (root / P).symlink_to("../bilaga.txt")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "länk")
    code, diags = validera(run, root, "--bas", "main")
    assert code == 1
    assert (P, "SIKT506") in codes(diags)  # the lock: the file became a link
    # and in every later run, the link itself is an error: editing bilaga.txt is not silent
    code, diags = validera(run, root)
    assert code == 1 and (P, "SIKT115") in codes(diags)


def test_renaming_the_chair_in_medlemmar_yaml_is_caught_and_tidigare_keeps_history(
    archive: Make, run: Run
) -> None:
    root = committed(archive({P: JUSTERAT}))
    members = root / "medlemmar.yaml"
    original = members.read_text(encoding="utf-8")
    members.write_text(original.replace("namn: Anna Ek", "namn: Anna Berg"), encoding="utf-8")
    code, diags = validera(run, root, "--bas", "main")
    assert code == 1
    [d] = [d for d in diags if d["code"] == "SIKT507"]
    assert d["file"] == "medlemmar.yaml" and d["line"] == 12
    assert "visas nu som Anna Berg (Hjo) i stället för Anna Ek (Hjo)" in d["message"]
    assert f"det justerade protokollet {P}" in d["message"]
    kept = original.replace(
        "    namn: Anna Ek\n",
        "    namn: Anna Berg\n    tidigare: [{till: 2026-11-30, namn: Anna Ek}]\n",
    )
    members.write_text(kept, encoding="utf-8")
    assert validera(run, root, "--bas", "main") == (0, [])


def test_justera_is_blocked_when_the_data_files_cannot_be_read(archive: Make, run: Run) -> None:
    draft = (
        protokoll(status="utkast")
        .replace(
            "narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: [anna-ek, bo-ek, cia-ek, okand]"
        )
        .replace("mal: [mal-1.1]", "mal: [mal-99]")
    )
    root = archive({P: draft})
    (root / "medlemmar.yaml").write_text("natverk: [\n", encoding="utf-8")
    (root / "mal.yaml").write_text("mal: [\n", encoding="utf-8")
    result = run("protokoll", "justera", "2020-06-05", "--rot", str(root))
    assert result.exit_code == 1
    assert "justerades inte" in result.stderr
    assert (root / P).read_text(encoding="utf-8") == draft


def test_justera_in_flow_style_keeps_every_key(archive: Make, run: Run) -> None:
    flow = (
        "---\n{datum: 2020-06-05, status: utkast, ordforande: anna-ek, sekreterare: bo-ek,\n"
        "  narvarande: [anna-ek, bo-ek, cia-ek], arenden: [{nr: 1, rubrik: Inledning}],\n"
        "  kommande: [{datum: 2020-09-04}]}\n---\n\n## 1. Inledning\n\nText.\n"
    )
    root = archive({P: flow})
    result = run("protokoll", "justera", "2020-06-05", "--rot", str(root))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((root / P).read_text(encoding="utf-8").split("---")[1])
    assert data["status"] == "justerat" and data["sekreterare"] == "bo-ek"
    assert data["arenden"] == [{"nr": 1, "rubrik": "Inledning"}]
    assert validera(run, root)[0] == 0


def test_a_save_during_an_edit_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"gammal\n")
    real = files._write_temp

    def saved_meanwhile(target: Path, data: bytes, failed: str, kept: str) -> Path:
        tmp = real(target, data, failed, kept)
        time.sleep(0.01)
        target.write_bytes(b"sparad av editorn\n")  # the user's save lands here
        return tmp

    monkeypatch.setattr(files, "_write_temp", saved_meanwhile)
    with pytest.raises(Refused, match="ändrades medan sikt arbetade"):
        files.replace_atomically(path, b"ny\n", expected=b"gammal\n")
    assert path.read_bytes() == b"sparad av editorn\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.md"]  # no temp or lock left


def test_a_second_sikt_run_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"x\n")
    with files.edit_lock(path), pytest.raises(Refused, match="annat sikt-kommando"):
        files.replace_atomically(path, b"y\n", expected=b"x\n")
    assert path.read_bytes() == b"x\n"


@needs_symlinks
def test_a_symlinked_protokoll_is_not_replaced_by_a_file(tmp_path: Path) -> None:
    (tmp_path / "verklig.md").write_bytes(b"x\n")
    link = tmp_path / "p.md"
    link.symlink_to("verklig.md")
    with pytest.raises(Refused, match="symbolisk länk"):
        files.replace_atomically(link, b"y\n", expected=b"x\n")
    assert link.is_symlink() and (tmp_path / "verklig.md").read_bytes() == b"x\n"


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL finns inte på Windows")
def test_sigkill_during_a_create_leaves_no_truncated_file(tmp_path: Path) -> None:
    target = tmp_path / "protokoll" / "2020-09-04.md"
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from sikt_cli import files\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    print('skriver', flush=True); time.sleep(30)\n"
        "os.fsync = slow\n"
        f"files.create_bytes(Path({str(target)!r}), b'x' * 5_000_000)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "skriver"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert not target.exists()  # the name appears only when the whole file is on disk


def test_a_broken_notice_template_leaves_no_planned_file(archive: Make, run: Run) -> None:
    root = committed(archive({P: JUSTERAT}))
    (root / "mallar").mkdir()
    (root / "mallar" / "kallelse.md.j2").write_text("{{ finns_inte }}\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "mall")
    result = run("kallelse", "2020-09-04", "--ut", str(root / "utkast"), "--rot", str(root))
    assert result.exit_code == 1
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_kallelse_writes_all_or_nothing(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """The planerat protokoll, the .ics and the .eml: a failure at any of the writes
    leaves the tree as it was."""
    root = committed(archive({P: JUSTERAT}))
    calls = {"n": 0}
    real = files.create_bytes

    def flaky(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == failing:
            raise Refused(f"{path} kunde inte skrivas: disken är full.", "Frigör plats.")
        real(path, data)

    monkeypatch.setattr(files, "create_bytes", flaky)
    result = run("kallelse", "2020-09-04", "--ut", str(root / "utkast"), "--rot", str(root))
    assert result.exit_code == 1 and "disken är full" in result.stderr
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


def test_the_cache_key_changes_with_the_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    from sikt_cli import code_stamp

    before = code_stamp.dependency_stamp(code_stamp.PARSERS)
    assert before == code_stamp.dependency_stamp(("yaml", "markdown_it"))
    assert before != code_stamp.dependency_stamp(("yaml",))
    stamps = {code_stamp.dependency_stamp((m,)) for m in ("finns_inte_alls", "yaml")}
    assert len(stamps) == 2
    assert code_stamp.code_stamp().endswith(":" + before)


def test_a_recorded_correction_passes_and_the_same_edit_unrecorded_fails(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKT_CACHE", "av")
    root = committed(archive({P: JUSTERAT}))
    path = root / P
    path.write_text(JUSTERAT.replace("Boka lokal", "Boka en lokal"), encoding="utf-8")
    code, diags = validera(run, root, "--bas", "main")
    assert code == 1 and {d["code"] for d in diags} == {"SIKT504"}  # unrecorded
    result = run("protokoll", "rätta", "2020-06-05", "--skal", "Ordet saknades", "--av", "bo-ek",
                 "--rot", str(root))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert validera(run, root, "--bas", "main") == (0, [])
    # a second, unrecorded change beside the recorded one is caught again
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Annan text."), "utf-8")
    code, diags = validera(run, root, "--bas", "main")
    assert code == 1 and {d["code"] for d in diags} == {"SIKT504"}


@pytest.mark.slow
def test_the_workflow_catches_a_pull_request_that_edits_the_lock_too(tmp_path: Path) -> None:
    """The repo's workflow checks the lock with sikt installed from the base ref: a pull
    request that switches the lock off in sikt_cli/ and edits a justerat protokoll fails."""
    if shutil.which("git") is None:
        pytest.skip("git saknas")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("sikt_cli", "protokoll"):
        shutil.copytree(REPO / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE", "medlemmar.yaml", "mal.yaml"):
        shutil.copy(REPO / name, repo / name)
    committed(repo)
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    git(repo, "switch", "-q", "-c", "pr")
    lock = repo / "sikt_cli" / "rules" / "locked.py"
    lock.write_text(
        lock.read_text(encoding="utf-8").replace(
            "    _require_commit(root, ref)\n", "    return []  # låset avstängt\n", 1
        ),
        encoding="utf-8",
    )
    june = repo / "protokoll" / "2020-06-05.md"
    june.write_text(june.read_text(encoding="utf-8").replace("ett år", "tio år", 1), "utf-8")
    git(repo, "commit", "-q", "-am", "pr")
    workflow = yaml.safe_load((REPO / ".github/workflows/validera.yml").read_text("utf-8"))
    steps = {s["name"]: s["run"] for s in workflow["jobs"]["validera"]["steps"] if "run" in s}
    env = {
        **os.environ,
        "BASE_REF": "main",
        "BAS": str(tmp_path / "bas"),
        "GITHUB_WORKSPACE": str(repo),
        "SIKT_CACHE": "av",
    }
    env.pop("VIRTUAL_ENV", None)
    for name in (
        "Installera sikt från målgrenen",
        "Låset på justerade protokoll (målgrenens sikt)",
    ):
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", steps[name]],
            cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if name.startswith("Installera"):
            assert result.returncode == 0, result.stderr[-2000:]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "::error file=protokoll/2020-06-05.md" in result.stdout
    assert "SIKT504" in result.stdout


def test_a_correction_shows_in_the_minutes_mail(
    real_archive: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SIKT_CACHE", "av")
    for name in ("SIKT_AVSANDARE", "SIKT_SMTP_VARD"):
        monkeypatch.delenv(name, raising=False)
    root = committed(real_archive)
    june = root / P
    june.write_text(june.read_text("utf-8").replace("Karina berättar", "Karina Bronell berättar"))
    fixed = run("protokoll", "rätta", "2020-06-05", "--skal", "Fullständigt namn", "--av",
                "sara-von-seth", "--rot", str(root))  # fmt: skip
    assert fixed.exit_code == 0, fixed.output
    out = tmp_path / "p.eml"
    assert (
        run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(root)).exit_code == 0
    )
    import email
    from email import policy

    msg = email.message_from_bytes(out.read_bytes(), policy=policy.default)
    plain = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "\nRättelser efter justeringen\n───" in plain
    assert "Sara von Seth: Fullständigt namn (rad 90)" in " ".join(plain.split())
