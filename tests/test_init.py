"""`sikt init`: a new network archive that validates clean at once and never overwrites."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import PINNED_SPEC, examples, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from sikt_cli.archive.load import load_archive
from sikt_cli.errors import SiktError
from sikt_cli.render.json_schemas import dumps, schemas
from sikt_cli.services.scaffold import init as scaffold

Run = Callable[..., Any]

COMMON = {
    "medlemmar.yaml",
    "mal.yaml",
    "README.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    "mallar/README.md",
    "protokoll/.gitkeep",
    "schemas/medlemmar.schema.json",
    "schemas/mal.schema.json",
    "schemas/protokoll.schema.json",
}
GITHUB = COMMON | {".github/workflows/validera.yml"}
GITLAB = COMMON | {".gitlab-ci.yml"}


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file's bytes and every entry's mtime, so that any write shows up."""
    return {
        p.relative_to(root).as_posix(): (
            p.read_bytes() if p.is_file() else None,
            p.stat().st_mtime_ns,
        )
        for p in sorted([root, *root.rglob("*")])
    }


def network_name(root: Path) -> str:
    archive = load_archive(root)
    assert [d.code for d in archive.diagnostics] == []
    return archive.roster.network.namn


# --- the acceptance ----------------------------------------------------------------------


def test_init_then_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "nytt", "--namn", "Testnätverket")
    assert result.exit_code == 0, result.output
    root = tmp_path / "nytt"
    assert files(root) == GITHUB
    lines = result.stdout.splitlines()
    assert sorted(lines[:-3]) == sorted(f"Skapade nytt/{f}" for f in GITHUB)
    assert lines[-3] == f"Arkivet installerar sikt med: python -m pip install '{PINNED_SPEC}'"
    assert lines[-2] == "Klart. Kontrollera arkivet: sikt validera --rot nytt"
    assert lines[-1] == "Ångra: ta bort katalogen nytt (inget i den är incheckat)."

    check = run("validera", "--rot", "nytt")
    assert check.exit_code == 0, check.stdout
    assert check.stdout.strip() == "Inga fel eller varningar i 2 filer."
    assert run("validera", "--rot", "nytt", "--strikt").exit_code == 0


def test_init_twice_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "nytt", "--namn", "Testnätverket").exit_code == 0
    before = snapshot(tmp_path)
    for extra in ([], ["--gitlab"]):
        again = run("init", "nytt", "--namn", "Annat namn", *extra)
        assert again.exit_code == 1
        assert "nytt/medlemmar.yaml finns redan" in again.output
        assert "Skapade" not in again.output
        assert snapshot(tmp_path) == before


def test_files_are_complete(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    assert run("init", str(root), "--namn", "Testnätverket").exit_code == 0
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Testnätverket\n")
    for command in (
        "sikt validera",
        "sikt kallelse",
        "sikt protokoll ny",
        "sikt protokoll justera",
        "sikt protokoll mejl",
        "sikt uppdrag --mina",
    ):
        assert command in readme
    assert f"python -m pip install '{PINNED_SPEC}'\n" in readme
    assert f"`pipx install '{PINNED_SPEC}'`" in readme
    assert "{{" not in readme
    assert "sikt mallar" in (root / "mallar/README.md").read_text(encoding="utf-8")
    assert (root / "protokoll/.gitkeep").read_bytes() == b""
    assert ".sikt-cache/" in (root / ".gitignore").read_text(encoding="utf-8")
    for name, doc in schemas().items():  # the same schemas as `sikt schema` writes
        assert (root / "schemas" / name).read_text(encoding="utf-8") == dumps(doc)
    members = yaml.safe_load((root / "medlemmar.yaml").read_text(encoding="utf-8"))
    assert members["natverk"]["namn"] == "Testnätverket"
    assert members["kommuner"] == [] and members["medlemmar"] == []


def test_init_gitlab(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    result = run("init", str(root), "--namn", "Testnätverket", "--gitlab")
    assert result.exit_code == 0, result.output
    assert files(root) == GITLAB
    assert run("validera", "--rot", str(root)).exit_code == 0


def test_init_here_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "--namn", "Testnätverket")
    assert result.exit_code == 0, result.output
    assert files(tmp_path) == GITHUB
    assert "Skapade medlemmar.yaml" in result.stdout
    assert result.stdout.splitlines()[-2].endswith("sikt validera --rot .")
    assert result.stdout.splitlines()[-1] == (
        "Ångra: ta bort de 11 nya filerna ovan (de är inte incheckade)."
    )


# --- the name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        'Nät "A": #1',
        "Skaraborgs IKT: 'SIKT' # nr 2",
        "Åsa & Östens nätverk – ÅÄÖ åäö",
        "- [ ] @alla *fet* {a: b}",
        "null",
        "true",
        "0123",
        "2020-06-05",
        "09:00",
        "C:\\nätverk\\n",
        "{{ installera }} och {{ namn }} och {{ namn_yaml }}",
        "Nät\u00a0verket",
        "  kant  ",
        "😀 IKT",
        "%YAML 1.2",
        "&ankare *alias !tag |",
    ],
)
def test_name_round_trips(name: str, tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    result = run("init", str(root), "--namn", name)
    assert result.exit_code == 0, result.output
    text = (root / "medlemmar.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["natverk"]["namn"] == name  # any YAML reader
    assert network_name(root) == name  # sikt's own reader
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] == "# " + " ".join(name.split())
    assert run("validera", "--rot", str(root)).exit_code == 0
    # the CI files do not take the name
    workflow = (root / ".github/workflows/validera.yml").read_text(encoding="utf-8")
    assert f"python -m pip install '{PINNED_SPEC}'\n" in workflow


@pytest.mark.parametrize(
    "name",
    [
        "Rad ett\nRad två",
        "Rad ett\r\nRad två",
        "Rad ett\rRad två",
        "Slut\n",
        "Tab\there",
        "NEL\x85här",
        "Radavskiljare\u2028här",
        "Stycke\u2029här",
        "DEL\x7fhär",
        "ESC\x1bhär",
        "NUL\x00här",
        "Icke\uffffhär",
    ],
)
def test_name_with_line_break_or_control_character_is_refused(
    name: str, tmp_path: Path, run: Run
) -> None:
    root = tmp_path / "nytt"
    result = run("init", str(root), "--namn", name)
    assert result.exit_code == 1
    assert "på en rad" in result.output
    assert not root.exists()


@pytest.mark.parametrize(("name", "code"), [("", 2), ("   ", 1)])
def test_empty_name_is_refused(name: str, code: int, tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    result = run("init", str(root), "--namn", name)
    assert result.exit_code == code
    assert "--namn" in result.output
    assert not root.exists()


def test_missing_name_is_refused(tmp_path: Path, run: Run) -> None:
    result = run("init", str(tmp_path / "nytt"))
    assert result.exit_code == 2
    assert "--namn" in result.output
    assert not (tmp_path / "nytt").exists()


_TRICKY = st.sampled_from(list("\"':#{}[]-&*!|>%@`\\ \t\n\r\x85\u2028\x7f\ufeff\u00a0åäöÅÄÖ"))


@settings(max_examples=examples(60), deadline=None)
@given(st.text(st.one_of(_TRICKY, st.characters()), min_size=1, max_size=24))
def test_any_name_round_trips_or_is_refused(name: str) -> None:
    """Whatever the name, init either refuses it, or writes a medlemmar.yaml that gives back
    exactly that name; it refuses only names with a line break or a control character."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "nytt"
        try:
            scaffold(root, name)
        except SiktError:
            assert not root.exists()
            assert not name.strip() or not name.isprintable()
            return
        text = (root / "medlemmar.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text)["natverk"]["namn"] == name
        assert network_name(root) == name


# --- never overwrite -----------------------------------------------------------------------


@pytest.mark.parametrize("existing", ["README.md", ".gitignore", "schemas/mal.schema.json"])
def test_existing_files_are_left_untouched(existing: str, tmp_path: Path, run: Run) -> None:
    root = write_tree(tmp_path / "nytt", {existing: "Vårt eget innehåll.\n"})
    os.utime(root / existing, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(root)[existing]
    result = run("init", str(root), "--namn", "Testnätverket")
    assert result.exit_code == 0, result.output
    assert f"Fanns redan, lämnades orörd: {root.as_posix()}/{existing}" in result.stdout
    assert f"Skapade {root.as_posix()}/{existing}" not in result.stdout
    assert snapshot(root)[existing] == before
    assert files(root) == GITHUB
    if existing != "schemas/mal.schema.json":  # a stale schema is the user's to update
        assert run("validera", "--rot", str(root)).exit_code == 0


def test_target_is_a_file(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "nytt"
    target.write_text("en fil\n", encoding="utf-8")
    result = run("init", str(target), "--namn", "Testnätverket")
    assert result.exit_code == 1
    assert "inte en katalog" in result.output
    assert target.read_text(encoding="utf-8") == "en fil\n"


def test_a_file_where_a_folder_belongs_is_refused_before_anything_is_written(
    tmp_path: Path, run: Run
) -> None:
    root = write_tree(tmp_path / "nytt", {"protokoll": "en fil\n"})
    result = run("init", str(root), "--namn", "Testnätverket")
    assert result.exit_code == 1, result.output
    assert "Internt fel" not in result.output
    assert "protokoll" in result.output and "inte en katalog" in result.output
    assert sorted(p.name for p in root.iterdir()) == ["protokoll"]  # nothing half-made
    assert (root / "protokoll").read_text(encoding="utf-8") == "en fil\n"


# --- the new archive in use ---------------------------------------------------------------


def test_new_archive_takes_a_first_meeting(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    assert run("init", str(root), "--namn", "Testnätverket").exit_code == 0
    members = root / "medlemmar.yaml"
    text = members.read_text(encoding="utf-8")
    text = text.replace("kommuner: []", "kommuner: [Hjo]", 1)
    text = text.replace(
        "medlemmar: []", "medlemmar:\n  - id: anna-ek\n    namn: Anna Ek\n    kommun: Hjo\n#", 1
    )
    members.write_text(text, encoding="utf-8")
    assert run("validera", "--rot", str(root)).exit_code == 0

    made = run("protokoll", "ny", "--datum", "2026-01-15", "--rot", str(root))
    assert made.exit_code == 0, made.output
    assert "protokoll/2026-01-15.md" in made.stdout
    draft = (root / "protokoll/2026-01-15.md").read_text(encoding="utf-8")
    assert "# - anna-ek" in draft  # the member is offered for the attendance list

    check = run("validera", "--format", "json", "--rot", str(root))
    assert check.exit_code == 0, check.stdout
    found = json.loads(check.stdout)
    assert found, "a fresh draft has things to fill in"
    assert {d["code"] for d in found} == {"SIKT503"}
    assert all(d["severity"] == "warning" for d in found)
