"""Windows and macOS behaviours, simulated here so that they are tested on every run.

The CI matrix (.github/workflows/plattformar.yml) runs the suite on Windows and macOS too;
these tests make the platform branches run on Linux: piped output in the Windows code pages
cp1252 and cp850, a file held open by another program (PermissionError from the replace),
CRLF files from an editor, a Python without `resource`, the default editor per platform,
git found as `git.exe`, and Windows-style paths in the machine-readable formats.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from typing import Any

import pytest
import yaml
from helpers import REPO, protokoll

from sikt_cli import files, git
from sikt_cli.cli import common
from sikt_cli.cli.output import ERRORS
from sikt_cli.diagnostics import Diagnostic, Result, Severity
from sikt_cli.errors import Refused, SiktError
from sikt_cli.render.diagnostic_formats import report_github, report_gitlab, report_json

Run = Callable[..., Any]
WORKFLOW = REPO / ".github" / "workflows" / "plattformar.yml"
COMMANDS = [
    ("validera",),
    ("uppdrag", "--alla"),
    ("protokoll", "visa", "2020-06-05"),
    ("kallelse", "2020-09-04"),
]
CODE_PAGES = ["cp1252", "cp850"]


def sikt(root: Path, *args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m sikt_cli ARGS | cat` in `root`, with stdout and stderr in `encoding`."""
    env = {
        **os.environ,
        "PYTHONIOENCODING": encoding,
        "NO_COLOR": "1",
        "XDG_CACHE_HOME": str(root.parent / "xdg"),
    }
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "sikt_cli", *args],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def assert_clean(done: subprocess.CompletedProcess[bytes], encoding: str) -> tuple[str, str]:
    """stdout and stderr, decoded strictly in the code page: nothing raised inside sikt."""
    out, err = done.stdout.decode(encoding), done.stderr.decode(encoding)
    for bad in ("Traceback", "UnicodeEncodeError", "Internt fel"):
        assert bad not in out + err, err
    return out, err


# --- piped output in a Windows code page --------------------------------------------------


@pytest.mark.parametrize("encoding", CODE_PAGES)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_piped_output_in_a_windows_code_page_keeps_swedish_letters(
    real_archive: Path, args: tuple[str, ...], encoding: str
) -> None:
    twin = real_archive.parent / "tvilling"  # the same start: kallelse creates a file
    shutil.copytree(real_archive, twin)
    utf8 = sikt(twin, *args, encoding="utf-8")
    done = sikt(real_archive, *args, encoding=encoding)
    assert done.returncode == utf8.returncode == 0, done.stderr
    out, _ = assert_clean(done, encoding)
    expected = utf8.stdout.decode("utf-8")
    swedish = {c for c in expected if c in "åäöÅÄÖ"}
    assert swedish and swedish <= set(out)
    assert "\\u" not in out and "\\x" not in out  # nothing escaped that the code page has
    if args == ("validera",):  # plain text: identical, letter for letter
        assert out == expected


def test_validera_text_in_cp1252_is_the_utf8_text(real_archive: Path) -> None:
    out, _ = assert_clean(sikt(real_archive, "validera", encoding="cp1252"), "cp1252")
    assert "frånvarande: Götene." in out
    assert out.endswith("1 varning i 3 filer.\n")


def mark_the_first_arende(root: Path) -> None:
    """Put characters that cp850 (→ ✓ ≤ –) and cp1252 (→ ✓ ≤) lack into a rubrik."""
    path = root / "protokoll" / "2020-06-05.md"
    text = path.read_text(encoding="utf-8")
    assert "rubrik: Utse sekreterare\n" in text and "## 1. Utse sekreterare\n" in text
    text = text.replace("rubrik: Utse sekreterare\n", "rubrik: → ✓ ≤ – Utse sekreterare\n")
    text = text.replace("## 1. Utse sekreterare\n", "## 1. → ✓ ≤ – Utse sekreterare\n")
    path.write_text(text, encoding="utf-8", newline="")


@pytest.mark.parametrize(
    ("encoding", "spelled"),
    [("cp850", "-> ok <= - Utse sekreterare"), ("cp1252", "-> ok <= – Utse sekreterare")],
)
def test_characters_outside_the_code_page_are_spelled_out(
    real_archive: Path, encoding: str, spelled: str
) -> None:
    mark_the_first_arende(real_archive)
    for args in COMMANDS:
        utf8 = sikt(real_archive, *args, encoding="utf-8")
        done = sikt(real_archive, *args, encoding=encoding)
        assert done.returncode == utf8.returncode, (args, done.stderr)
        out, _ = assert_clean(done, encoding)
        assert "\\u" not in out, (args, out)
    out, _ = assert_clean(
        sikt(real_archive, "protokoll", "visa", "2020-06-05", encoding=encoding), encoding
    )
    assert f"1. {spelled}" in out


def test_an_error_message_on_stderr_is_spelled_out_too(real_archive: Path) -> None:
    done = sikt(real_archive, "protokoll", "visa", "2020→09", encoding="cp850")
    assert done.returncode == 2
    _, err = assert_clean(done, "cp850")
    assert err.startswith("Fel: '2020->09' är inte ett datum ÅÅÅÅ-MM-DD.\n"), err


def test_the_error_handler_spells_known_characters_and_escapes_the_rest() -> None:
    assert "→ ✓ ≤ ≥ – — … å ☃".encode("cp850", ERRORS) == (b"-> ok <= >= - - ... \x86 \\u2603")
    assert "å→".encode("ascii", ERRORS) == b"\\xe5->"  # an ASCII C locale


# --- a file held open by another program (Windows sharing violation) -----------------------


def flaky_replace(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[float]:
    """Path.replace raises PermissionError `failures` times, then replaces; the back-off
    delays are recorded instead of slept."""
    real = Path.replace
    calls = {"n": 0}
    slept: list[float] = []

    def replace(self: Path, target: Any) -> Path:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise PermissionError(13, "Åtkomst nekad", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    monkeypatch.setattr(files.time, "sleep", slept.append)
    return slept


def test_a_replace_that_fails_three_times_then_succeeds_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "protokoll.md"
    path.write_bytes(b"gammal\n")
    slept = flaky_replace(monkeypatch, failures=3)
    files.replace_atomically(path, b"ny\n", expected=b"gammal\n")
    assert path.read_bytes() == b"ny\n"
    assert slept == pytest.approx([0.1, 0.3, 0.9])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["protokoll.md"]  # no temp file left


HELD = (
    "kan inte ersättas: filen används av ett annat program (till exempel Word, "
    "Anteckningar, OneDrive eller ett antivirusprogram). Filen är oförändrad."
)


def test_a_replace_that_keeps_failing_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "protokoll.md"
    path.write_bytes(b"gammal\n")
    slept = flaky_replace(monkeypatch, failures=99)
    with pytest.raises(Refused) as info:
        files.replace_atomically(path, b"ny\n", expected=b"gammal\n")
    assert str(info.value) == f"{path} {HELD}"
    assert info.value.hint == (
        "Stäng filen i det andra programmet, vänta tills synkningen är klar och försök igen."
    )
    assert len(slept) == files.REPLACE_TRIES - 1
    assert path.read_bytes() == b"gammal\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["protokoll.md"]


def test_justera_on_a_held_file_prints_the_swedish_message(
    archive: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    path = root / "protokoll" / "2020-06-05.md"
    before = path.read_bytes()
    flaky_replace(monkeypatch, failures=99)
    result = run("protokoll", "justera", "2020-06-05", "--rot", str(root))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Internt fel" not in result.output
    assert " ".join(result.stderr.split()) == (
        f"Fel: {path} {HELD} tips: Stäng filen i det andra programmet, vänta tills "
        "synkningen är klar och försök igen."
    )
    assert path.read_bytes() == before


# --- CRLF from an editor --------------------------------------------------------------------


def test_an_archive_saved_with_crlf_reads_as_with_lf(real_archive: Path, run: Run) -> None:
    lf = run("validera", "--rot", str(real_archive))
    for path in [*real_archive.glob("*.yaml"), *(real_archive / "protokoll").glob("*.md")]:
        data = path.read_bytes()
        assert b"\r\n" not in data
        path.write_bytes(data.replace(b"\n", b"\r\n"))
    crlf = run("validera", "--rot", str(real_archive))
    assert (crlf.exit_code, crlf.stdout) == (lf.exit_code, lf.stdout)
    shown = run("protokoll", "visa", "2020-06-05", "--rot", str(real_archive))
    assert shown.exit_code == 0 and "Föregående protokoll" in shown.stdout
    assert "\r" not in shown.stdout


# --- no `resource` module (Windows) ----------------------------------------------------------


def test_templates_render_without_the_resource_module(
    real_archive: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = real_archive.parent / "tvilling"
    shutil.copytree(real_archive, twin)
    with_limits = run("kallelse", "2020-09-04", "--rot", str(real_archive))
    monkeypatch.setitem(sys.modules, "resource", None)  # `import resource` → ImportError
    without = run("kallelse", "2020-09-04", "--rot", str(twin))
    assert without.exit_code == with_limits.exit_code == 0, without.output
    assert without.stdout == with_limits.stdout
    assert "Kallelse till SIKT-nätverket" in without.stdout
    assert (twin / "protokoll" / "2020-09-04.md").read_bytes() == (
        real_archive / "protokoll" / "2020-09-04.md"
    ).read_bytes()


def test_memory_cap_is_a_no_op_without_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    from sikt_cli.render.sandbox import memory_cap

    monkeypatch.setitem(sys.modules, "resource", None)
    with memory_cap():
        big = bytearray(64 * 1024 * 1024)  # would still fit under the cap; nothing raised
    assert len(big) == 64 * 1024 * 1024


# --- the default editor per platform ---------------------------------------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The argument lists open_editor starts, instead of starting them."""
    seen: list[list[str]] = []

    def fake_run(command: list[str], **_: Any) -> subprocess.CompletedProcess[bytes]:
        seen.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return seen


def which_of(found: dict[str, str]) -> Callable[[str], str | None]:
    return lambda name, *a, **k: found.get(name)


@pytest.mark.parametrize(
    ("platform", "found", "command"),
    [
        ("win32", {}, ["notepad"]),
        ("darwin", {}, ["open", "-W", "-t"]),
        ("linux", {"nano": "/usr/bin/nano", "vi": "/usr/bin/vi"}, ["/usr/bin/nano"]),
        ("linux", {"vi": "/usr/bin/vi"}, ["/usr/bin/vi"]),
        ("freebsd14", {"vi": "/usr/bin/vi"}, ["/usr/bin/vi"]),
    ],
)
def test_without_editor_the_platforms_own_editor_opens(
    launched: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
    platform: str,
    found: dict[str, str],
    command: list[str],
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(shutil, "which", which_of(found))
    common.open_editor(Path("protokoll") / "2020-09-04.md")
    assert launched == [[*command, str(Path("protokoll") / "2020-09-04.md")]]


def test_no_editor_anywhere_says_how_to_set_one(
    launched: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", which_of({}))
    with pytest.raises(Refused) as info:
        common.open_editor(Path("x.md"))
    assert str(info.value) == "Ingen editor hittades."
    assert info.value.hint == (
        "Sätt miljövariabeln VISUAL eller EDITOR, t.ex. EDITOR=nano (i PowerShell: "
        "$env:EDITOR = 'notepad'), eller öppna filen själv."
    )
    assert launched == []


def test_a_windows_editor_path_keeps_its_backslashes(
    launched: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("EDITOR", '"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst')
    common.open_editor(Path("x.md"))
    assert launched == [["C:\\Program Files\\Notepad++\\notepad++.exe", "-multiInst", "x.md"]]


def test_a_posix_editor_setting_is_split_like_a_shell(
    launched: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("VISUAL", "code --wait")
    common.open_editor(Path("x.md"))
    assert launched == [["code", "--wait", "x.md"]]


# --- git found as git.exe ----------------------------------------------------------------


def test_git_runs_the_program_which_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git for Windows is `git.exe`: sikt runs the full path shutil.which gives (PATHEXT)."""
    real = shutil.which("git")
    assert real is not None
    exe = tmp_path / "Git" / "cmd" / "git.exe"
    exe.parent.mkdir(parents=True)
    shutil.copy2(real, exe)
    asked: list[str] = []

    def which(name: str, *_: Any, **__: Any) -> str | None:
        asked.append(name)
        return str(exe)

    monkeypatch.setattr(git.shutil, "which", which)
    assert git.program() == str(exe)
    assert git.run(tmp_path, "--version").startswith(b"git version ")
    assert asked == ["git", "git"]


def test_missing_git_is_a_swedish_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git.shutil, "which", lambda *a, **k: None)
    with pytest.raises(SiktError) as info:
        git.run(tmp_path, "status")
    assert str(info.value) == "git hittades inte (varken git eller git.exe finns i PATH)."
    assert info.value.hint.startswith("Installera git (på Windows: Git for Windows")
    assert git.config(tmp_path, "user.email") is None  # a missing setting, not a crash


def test_validera_bas_without_git_exits_with_the_message(
    real_archive: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(git.shutil, "which", lambda *a, **k: None)
    result = run("validera", "--rot", str(real_archive), "--bas", "main")
    assert result.exit_code != 0 and result.exit_code != 70, result.output
    assert "git hittades inte (varken git eller git.exe finns i PATH)." in result.stderr


# --- paths in the machine-readable formats ---------------------------------------------------


def windows_result(tmp_path: Path) -> Result:
    rel = PureWindowsPath("protokoll\\2020-06-05.md")
    diag = Diagnostic(rel.as_posix(), 9, 3, "SIKT208", "Götene saknas.", Severity.WARNING)
    return Result(tmp_path, (diag,), 1, {})


def test_paths_are_forward_slashes_in_json_github_and_gitlab(tmp_path: Path) -> None:
    result = windows_result(tmp_path)
    assert '"file": "protokoll/2020-06-05.md"' in report_json(result)
    assert "file=protokoll/2020-06-05.md,line=9" in report_github(result)
    assert '"path": "protokoll/2020-06-05.md"' in report_gitlab(result)
    for text in (report_json(result), report_github(result), report_gitlab(result)):
        assert "\\\\" not in text and "protokoll\\" not in text


def test_rel_path_gives_forward_slashes(tmp_path: Path) -> None:
    from sikt_cli.archive.layout import rel_path

    path = tmp_path / "protokoll" / "2020-06-05.md"
    path.parent.mkdir()
    path.touch()
    assert rel_path(tmp_path.resolve(), path) == "protokoll/2020-06-05.md"


# --- the key folder by platform convention ------------------------------------------------


def test_the_key_lives_in_the_platforms_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from sikt_cli import cache_key

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = platformdirs.user_cache_path("sikt", appauthor=False) / "nyckel"
    assert cache_key.key_file() == expected
    if sys.platform.startswith("linux"):
        assert expected == tmp_path / ".cache" / "sikt" / "nyckel"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_key.key_file() == tmp_path / "xdg" / "sikt" / "nyckel"


# --- the CI matrix --------------------------------------------------------------------------


def test_the_platform_workflow_runs_the_suite_on_three_systems() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    wf = yaml.safe_load(text)
    on = wf.pop(True)  # PyYAML reads the key `on` as True
    assert set(on) == {"pull_request", "push"} and on["push"] == {"branches": ["main"]}
    assert "pull_request_target" not in text
    assert wf["permissions"] == {"contents": "read"}
    (job,) = wf["jobs"].values()
    assert "permissions" not in job
    matrix = job["strategy"]["matrix"]
    assert matrix == {
        "os": ["ubuntu-latest", "windows-latest", "macos-latest"],
        "python": ["3.11", "3.14"],
    }
    assert job["strategy"]["fail-fast"] is False
    assert job["runs-on"] == "${{ matrix.os }}"
    steps = job["steps"]
    assert steps[0]["with"] == {"persist-credentials": False}
    assert steps[1]["with"] == {"python-version": "${{ matrix.python }}"}
    runs = {s.get("if", ""): s["run"] for s in steps if "run" in s}
    assert runs == {
        "": 'python -m pip install -e ".[test]"',
        "runner.os != 'Windows'": "python -m pytest -q",
        "runner.os == 'Windows'": 'python -m pytest -q -m "not slow"',
    }
    for script in runs.values():
        assert "${{" not in script and "&&" not in script  # PowerShell 5.1 has no &&


def test_the_matrix_covers_the_lowest_and_highest_supported_python() -> None:
    import tomllib

    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    versions = [
        c.rsplit(" :: ", 1)[1]
        for c in meta["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    ]
    assert meta["requires-python"] == f">={versions[0]}"
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = wf["jobs"].values()
    assert job["strategy"]["matrix"]["python"] == [versions[0], versions[-1]]


# --- instructions a Windows user can follow --------------------------------------------------


@pytest.mark.parametrize(
    "rel", ["README.md", "docs/guide.md", "sikt_cli/stommar/README.md"], ids=str
)
def test_windows_instructions_are_powershell_51_safe(rel: str) -> None:
    import re

    text = (REPO / rel).read_text(encoding="utf-8")
    blocks = re.findall(r"^```powershell\n(.*?)^```", text, re.M | re.S)
    assert len(blocks) == 1, rel
    lines = blocks[0].splitlines()
    assert any(line.startswith("py -m pip install") for line in lines)
    for line in lines:  # one command a line; Windows PowerShell 5.1 has no && or ||
        assert "&&" not in line and "||" not in line and ";" not in line, line
    assert "pipx" in text.split("```powershell", 1)[1]


def test_readme_keeps_its_two_line_sh_block_first() -> None:
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"^```(\w+)\n(.*?)^```", text, re.M | re.S)
    assert first is not None and first.group(1) == "sh"
    assert first.group(2).splitlines() == [
        "pip install -e . && sikt validera",
        "pip install -e '.[test]' && python -m pytest",
    ]
    assert text.index("```sh") < text.index("## På Windows") < text.index("## Månadens")


@pytest.mark.parametrize(
    "rel", ["README.md", "docs/guide.md", "sikt_cli/stommar/README.md"], ids=str
)
def test_windows_lines_work_in_the_terminal_they_are_typed_in(rel: str) -> None:
    """`pipx ensurepath` changes PATH only for terminals opened later, and pip's Scripts
    folder is not in PATH with python.org's default install: a line may run `sikt` or
    `pipx` only after the line that says to open a new terminal."""
    import re

    text = (REPO / rel).read_text(encoding="utf-8")
    (block,) = re.findall(r"^```powershell\n(.*?)^```", text, re.M | re.S)
    new_terminal = False
    for line in block.splitlines():
        new_terminal = new_terminal or (line.startswith("#") and "ny" in line)
        if line.split(" ", 1)[0] in ("sikt", "pipx"):
            assert new_terminal, f"{rel}: '{line}' körs innan en ny terminal öppnats"
