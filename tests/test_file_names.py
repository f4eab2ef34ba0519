"""Names that differ only in case, and paths too long for Windows (issue 23).

Windows and macOS compare file names without case; Linux, where CI runs, does not. What
this machine can show (two names beside each other, a name sikt does not read) is run for
real; what only a case-insensitive file system or Windows can show is simulated: the check
called on a folder as Windows would read it, and `platform_names.on_windows` for the path length.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import protokoll

from sikt_cli import files, platform_names
from sikt_cli.archive.file_names import case_findings
from sikt_cli.archive.source import read_regular
from sikt_cli.errors import Refused

Run = Callable[..., Any]
Make = Callable[..., Path]
SAME = "skiljer sig bara i stora och små bokstäver"


def _case_sensitive() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a").touch()
        return not (Path(folder) / "A").exists()


case_sensitive = pytest.mark.skipif(
    not _case_sensitive(),
    reason="två namn som bara skiljer sig i stora och små bokstäver kan inte finnas här",
)


def findings(run: Run, root: Path) -> tuple[int, list[tuple[str, str, str, str]]]:
    result = run("validera", "--rot", str(root), "--format", "json")
    found = json.loads(result.stdout)
    return result.exit_code, [
        (d["file"], d["severity"], d["message"], d["hint"]) for d in found if d["code"] == "SIKT118"
    ]


def test_a_protokoll_ending_in_capital_md_is_named_not_silently_skipped(
    archive: Make, run: Run
) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll(), "protokoll/2020-09-04.MD": "x"})
    assert findings(run, root) == (
        0,
        [
            (
                "protokoll/2020-09-04.MD",
                "warning",
                f"Filnamnet 'protokoll/2020-09-04.MD' {SAME} från 'protokoll/2020-09-04.md', och "
                "filen läses inte: sikt läser bara protokoll som slutar på '.md' med små "
                "bokstäver.",
                "Döp om filen: git mv protokoll/2020-09-04.MD protokoll/2020-09-04.md",
            )
        ],
    )


@case_sensitive
def test_two_protokoll_whose_names_differ_only_in_case(archive: Make, run: Run) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll(), "protokoll/2020-06-05.MD": "x"})
    assert findings(run, root) == (
        0,
        [
            (
                "protokoll/2020-06-05.MD",
                "warning",
                f"'2020-06-05.MD' och '2020-06-05.md' {SAME}: på Windows och macOS är de samma "
                "fil, och en utcheckning där får bara den ena. sikt läser '2020-06-05.md'.",
                "För över det som ska vara kvar till '2020-06-05.md' och ta bort den andra: "
                "git rm protokoll/2020-06-05.MD",
            )
        ],
    )


@case_sensitive
def test_mal_yaml_with_a_capital_is_found_only_on_windows_and_macos(
    archive: Make, run: Run
) -> None:
    root = archive(goals=None)
    (root / "Mal.yaml").write_text("mal: []\n", encoding="utf-8")
    result = run("validera", "--rot", str(root), "--format", "json")
    codes = sorted(d["code"] for d in json.loads(result.stdout))
    assert (result.exit_code, codes) == (1, ["SIKT114", "SIKT118"])  # Linux: mal.yaml missing
    assert findings(run, root)[1] == [
        (
            "Mal.yaml",
            "warning",
            f"Filnamnet 'Mal.yaml' {SAME} från 'mal.yaml', det namn sikt läser: filen hittas "
            "på Windows och macOS men inte på Linux (t.ex. i CI).",
            "Döp om filen: git mv Mal.yaml mal.yaml",
        )
    ]


def test_medlemmar_yaml_with_a_capital_as_windows_reads_it(tmp_path: Path) -> None:
    """On Windows and macOS `medlemmar.yaml` opens `Medlemmar.yaml`, so validera runs there
    and must say that CI will not find it: the check sees the folder's real names."""
    (tmp_path / "Medlemmar.yaml").write_text("x\n", encoding="utf-8")
    assert [(d.file, d.code, d.hint) for d in case_findings(tmp_path)] == [
        ("Medlemmar.yaml", "SIKT118", "Döp om filen: git mv Medlemmar.yaml medlemmar.yaml")
    ]


@case_sensitive
def test_on_linux_a_capital_medlemmar_yaml_says_how_to_rename_it(archive: Make, run: Run) -> None:
    root = archive()
    (root / "medlemmar.yaml").rename(root / "Medlemmar.yaml")
    result = run("validera", "--rot", str(root))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Fel: '{root}' innehåller ingen medlemmar.yaml.\n"
        "tips: Här finns 'Medlemmar.yaml', men filen ska heta medlemmar.yaml med små "
        "bokstäver (på Linux, t.ex. i CI, är det olika namn): git mv Medlemmar.yaml "
        "medlemmar.yaml\n"
    )


def test_a_name_added_in_another_case_is_seen_by_a_warm_run(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SIKT_CACHE", raising=False)
    root = archive()
    assert findings(run, root) == (0, [])
    assert (root / ".sikt-cache").is_dir()  # the next run is answered from the cache …
    (root / "protokoll" / "2020-09-04.Md").write_text("x\n", encoding="utf-8")
    assert [f[0] for f in findings(run, root)[1]] == ["protokoll/2020-09-04.Md"]  # … not stale


# --- --ut and new files never take a name that collides on Windows and macOS ---------------


def test_kallelse_drafts_skip_a_name_taken_in_another_case(
    real_archive: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SIKT_AVSANDARE", "SIKT_SMTP_VARD"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "ut"
    out.mkdir()
    (out / "Kallelse-2020-09-04.EML").write_bytes(b"gammal\n")
    result = run("kallelse", "2020-09-04", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 2, result.output
    assert " ".join(result.stderr.split()) == (
        f"Fel: {out / 'Kallelse-2020-09-04.EML'} finns redan och skrivs inte över; inget skrevs. "
        f"tips: Ange ett ledigt namn, t.ex. --ut {(out / 'kallelse-2020-09-04-2.eml').as_posix()}, "
        "eller ta bort den gamla filen först."
    )
    assert sorted(p.name for p in out.iterdir()) == ["Kallelse-2020-09-04.EML"]
    assert (out / "Kallelse-2020-09-04.EML").read_bytes() == b"gammal\n"


def test_free_stem_compares_names_as_windows_and_macos_do(tmp_path: Path) -> None:
    (tmp_path / "A.ICS").touch()
    (tmp_path / "a-2.eml").touch()
    assert files.free_stem(tmp_path, "a", (".ics", ".eml")) == "a-3"
    assert files.free_stem(tmp_path / "finns-inte", "a", (".ics",)) == "a"
    key = platform_names.name_key
    assert key("Å.md") == key("a\u030a.MD")  # macOS: NFC and NFD


@case_sensitive
def test_a_new_file_is_not_created_beside_its_case_twin(archive: Make, run: Run) -> None:
    root = archive()
    (root / "protokoll" / "2020-09-04.MD").write_text("x\n", encoding="utf-8")
    result = run("protokoll", "ny", "--datum", "2020-09-04", "--rot", str(root))
    assert result.exit_code == 2
    path = root / "protokoll" / "2020-09-04.md"
    assert result.stderr == (
        f"Fel: {root}/protokoll/2020-09-04.MD finns redan, och 2020-09-04.md {SAME}: på "
        "Windows och macOS är det samma fil. Inget skrevs.\n"
        "tips: Välj ett annat namn, eller döp om eller ta bort 2020-09-04.MD först.\n"
    )
    assert not path.exists()


# --- paths longer than Windows' MAX_PATH ---------------------------------------------------


@pytest.fixture
def deep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder 300 characters deep, with Windows' rules switched on."""
    monkeypatch.setattr(platform_names, "on_windows", lambda: True)
    folder = tmp_path
    while len(str(folder)) < 300:
        folder = folder / ("nätverkets-gemensamma-dokument-" + "x" * 20)
    return folder


def long_hint(path: Path) -> str:
    return (
        f"Sökvägen är {len(str(path.absolute()))} tecken lång; Windows klarar högst 259 om "
        "inte långa sökvägar är påslagna. Flytta arkivet till en kortare sökväg (t.ex. "
        "C:\\sikt), eller be IT slå på LongPathsEnabled och kör "
        "'git config --global core.longpaths true'."
    )


def test_a_write_that_windows_refuses_for_its_length_says_why(
    deep: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep.mkdir(parents=True)
    target = deep / "kallelse-2020-09-04.eml"

    def too_long(*args: Any, **kwargs: Any) -> Any:  # what Windows says past MAX_PATH
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(files.tempfile, "mkstemp", too_long)
    with pytest.raises(Refused) as caught:
        files.create_bytes(target, b"x")
    assert caught.value.message == (
        f"{target} kan inte skapas: filen eller katalogen finns inte. Inget sparades."
    )
    assert caught.value.hint == long_hint(target)


def test_a_read_that_windows_refuses_for_its_length_says_why(deep: Path) -> None:
    path = deep / "protokoll" / "2020-06-05.md"
    data, problems = read_regular(path, "protokoll/2020-06-05.md")
    assert data is None and [(d.code, d.hint) for d in problems] == [("SIKT100", long_hint(path))]


def test_a_short_path_or_another_system_gets_the_usual_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert platform_names.long_path_hint(tmp_path / "a.md") is None  # not Windows
    monkeypatch.setattr(platform_names, "on_windows", lambda: True)
    assert platform_names.long_path_hint(tmp_path / "a.md") is None  # Windows, short
    _, problems = read_regular(tmp_path / "a.md", "a.md")
    assert problems[0].hint == "Kontrollera att filen finns och att du har läsrättighet."


def test_an_archive_too_deep_for_windows_is_named_with_the_fix(deep: Path, run: Run) -> None:
    result = run("validera", "--rot", str(deep))
    assert result.exit_code == 2
    assert result.stderr == f"Fel: Katalogen '{deep}' finns inte.\ntips: {long_hint(deep)}\n"


@pytest.mark.skipif(os.name == "nt", reason="Windows has no POSIX permission bits")
def test_a_new_file_gets_the_mode_of_the_umask_not_mkstemps_0600(tmp_path: Path) -> None:
    """A PDF, a draft or a site page that only its writer can read cannot be attached,
    shared or served: a new file gets what `open()` would give it."""
    old = os.umask(0o027)
    try:
        files.create_bytes(tmp_path / "a.pdf", b"%PDF")
    finally:
        os.umask(old)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o640
