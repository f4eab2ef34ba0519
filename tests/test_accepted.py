"""godkanda-fynd.yaml: warnings in justerade protokoll accepted with a written reason.

`sikt validera FIL --godkann KOD --motivering "…"` writes the entry; `sikt validera` then
counts the finding instead of showing it, until the finding changes (SIKT520)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, protokoll

JUNE = "protokoll/2020-06-05.md"
# Vara is neither represented nor absent: SIKT208, a warning
LOCKED = protokoll(status="justerat").replace(
    "narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: [anna-ek, bo-ek]"
)
REASON = "Källan nämner inte Vara, och protokollet är justerat."
VARA = "Kommuner varken representerade eller angivna som frånvarande: Vara."
ENTRY = f"""\
  - kod: SIKT208
    fil: {JUNE}
    fingeravtryck: efe3d3cb30ed05b8
    meddelande: "{VARA}"
    motivering: "{REASON}"
"""
HEADER = """\
# Fynd som 'sikt validera' räknar som godkända i stället för att visa dem: varningar i
# justerade (låsta) protokoll som inte kan rättas. Varje post har en motivering och
# granskas i pull requesten som alla andra ändringar. En post läggs till med
#   sikt validera protokoll/ÅÅÅÅ-MM-DD.md --godkann KOD --motivering "…"
# och gäller bara så länge fyndet är detsamma (fingeravtryck). Se docs/filformat.md.
godkanda:
"""
ACCEPTED_SUMMARY = "Inga fel eller varningar i 4 filer (1 godkänt fynd, se godkanda-fynd.yaml).\n"


@pytest.fixture
def locked(archive: Callable[..., Path]) -> Path:
    return archive({JUNE: LOCKED})


def _accept(run: Callable[..., Any], root: Path, *extra: str) -> Any:
    return run("validera", "--rot", str(root), str(root / JUNE), *extra)


def test_this_repo_passes_strict_with_the_goetene_finding_accepted(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    """The archive's own June protokoll never mentions Götene; CI runs --strikt."""
    for name in ("medlemmar.yaml", "mal.yaml", "godkanda-fynd.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "protokoll", tmp_path / "protokoll")
    result = run("validera", "--strikt", "--rot", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ACCEPTED_SUMMARY
    found = json.loads(run("validera", "-f", "json", "--rot", str(tmp_path)).stdout)
    assert [(d["code"], d["file"], d["accepted"]["line"]) for d in found] == [("SIKT208", JUNE, 7)]
    assert "Götene" in found[0]["message"]
    assert "nämner inte Götene" in found[0]["accepted"]["reason"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("sikt validera --strikt") for line in ci)


def test_accept_writes_the_entry_and_validera_counts_it(
    locked: Path, run: Callable[..., Any]
) -> None:
    before = run("validera", "--strikt", "--rot", str(locked))
    assert before.exit_code == 1
    result = _accept(run, locked, "--godkann", "SIKT208", "--motivering", REASON)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Skapade godkanda-fynd.yaml: 1 fynd godkänt (rad 7–11):\n"
        f"  {JUNE}:6:13: SIKT208 {VARA}\n"
        "Granska posten och checka in filen i samma pull request som andra ändringar. "
        "Ångra: ta bort rad 7–11 ur filen (eller hela filen).\n"
    )
    assert (locked / "godkanda-fynd.yaml").read_text(encoding="utf-8") == HEADER + ENTRY
    strict = run("validera", "--strikt", "--rot", str(locked))
    assert (strict.exit_code, strict.stdout) == (0, ACCEPTED_SUMMARY)
    again = _accept(run, locked, "--godkann", "SIKT208", "--motivering", REASON)
    assert again.exit_code == 1
    assert (
        "Fel: SIKT208 i protokoll/2020-06-05.md är redan godkänt (godkanda-fynd.yaml, rad 7)."
        in (again.stderr)
    )


def test_machine_formats_mark_or_leave_out_accepted_findings(
    locked: Path, run: Callable[..., Any]
) -> None:
    (locked / "godkanda-fynd.yaml").write_text("godkanda:\n" + ENTRY, encoding="utf-8")
    found = json.loads(run("validera", "-f", "json", "--rot", str(locked)).stdout)
    assert found == [
        {
            "file": JUNE,
            "line": 6,
            "column": 13,
            "code": "SIKT208",
            "severity": "warning",
            "message": VARA,
            "hint": "Lägg till dem under 'franvarande' så att närvaron blir fullständig.",
            "accepted": {"file": "godkanda-fynd.yaml", "line": 2, "reason": REASON},
        }
    ]
    github = run("validera", "-f", "github", "--rot", str(locked))
    assert github.stdout == ACCEPTED_SUMMARY  # no annotation, only the count
    assert json.loads(run("validera", "-f", "gitlab", "--rot", str(locked)).stdout) == []


def test_a_moved_finding_still_matches_a_changed_one_does_not(
    locked: Path, run: Callable[..., Any]
) -> None:
    (locked / "godkanda-fynd.yaml").write_text("godkanda:\n" + ENTRY, encoding="utf-8")
    moved = LOCKED.replace("status: justerat\n", "status: justerat\nplats: Teams\n")
    (locked / JUNE).write_text(moved, encoding="utf-8")  # the finding is now on line 7
    assert run("validera", "--strikt", "--rot", str(locked)).stdout == ACCEPTED_SUMMARY
    changed = LOCKED.replace("narvarande: [anna-ek, bo-ek]", "narvarande: [bo-ek, anna-ek]")
    (locked / JUNE).write_text(changed, encoding="utf-8")
    found = json.loads(run("validera", "-f", "json", "--rot", str(locked)).stdout)
    assert [(d["file"], d["line"], d["code"], d["message"]) for d in found] == [
        (
            "godkanda-fynd.yaml",
            2,
            "SIKT520",
            "Det godkända fyndet SIKT208 i protokoll/2020-06-05.md finns inte längre: det "
            "har rättats eller ändrats.",
        ),
        (JUNE, 6, "SIKT208", VARA),
    ]
    # validating another file does not call the entry stale
    other = run("validera", "--rot", str(locked), str(locked / "medlemmar.yaml"), "-f", "json")
    assert json.loads(other.stdout) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "godkanda: [\n",
            ("godkanda-fynd.yaml", 2, 1, "SIKT106", "YAML-syntaxfel: ett värde saknas eller är "
             "felformat."),
        ),
        (
            "godkanda:\n" + ENTRY.replace("kod: SIKT208", "kod: SIKT28"),
            ("godkanda-fynd.yaml", 2, 10, "SIKT112", "'godkanda[1].kod' är ingen känd kod: "
             "'SIKT28'."),
        ),
        (
            "godkanda:\n" + ENTRY.replace(f'    motivering: "{REASON}"\n', ""),
            ("godkanda-fynd.yaml", 2, 5, "SIKT111", "Nyckeln 'motivering' saknas i "
             "'godkanda[1]'."),
        ),
        (
            "godkanda:\n" + ENTRY.replace(f'"{REASON}"', '" "'),
            ("godkanda-fynd.yaml", 6, 17, "SIKT111", "'godkanda[1].motivering' är tom."),
        ),
        (
            "godkanda:\n" + ENTRY + "    av: bo-ek\n",
            ("godkanda-fynd.yaml", 7, 5, "SIKT109", "Okänd nyckel 'av' i 'godkanda[1]'."),
        ),
    ],
    ids=["yaml", "code", "no-reason", "empty-reason", "unknown-key"],
)  # fmt: skip
def test_the_file_itself_is_checked(
    locked: Path, run: Callable[..., Any], text: str, expected: tuple[Any, ...]
) -> None:
    (locked / "godkanda-fynd.yaml").write_text(text, encoding="utf-8")
    result = run("validera", "-f", "json", "--rot", str(locked))
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    mine = [d for d in found if d["file"] == "godkanda-fynd.yaml"]
    assert [(d["file"], d["line"], d["column"], d["code"], d["message"]) for d in mine] == [
        expected
    ]
    assert any(d["code"] == "SIKT208" for d in found)  # shown, or counted as accepted


def test_a_draft_cannot_be_accepted(archive: Callable[..., Path], run: Callable[..., Any]) -> None:
    root = archive({JUNE: LOCKED.replace("status: justerat", "status: utkast")})
    result = _accept(run, root, "--godkann", "SIKT208", "--motivering", REASON)
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: protokoll/2020-06-05.md är inte ett justerat protokoll (status: utkast); fynd "
        "där kan rättas och godkänns inte.\n"
        "tips: Rätta fyndet i filen. Bara varningar i justerade (låsta) protokoll godkänns.\n"
    )
    assert not (root / "godkanda-fynd.yaml").exists()
    (root / "godkanda-fynd.yaml").write_text("godkanda:\n" + ENTRY, encoding="utf-8")
    found = json.loads(run("validera", "-f", "json", "--rot", str(root)).stdout)
    assert [(d["code"], d["message"]) for d in found] == [
        (
            "SIKT521",
            "Fyndet SIKT208 i protokoll/2020-06-05.md kan inte godkännas: "
            "protokoll/2020-06-05.md är inte justerat (status: utkast).",
        ),
        ("SIKT208", VARA),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--godkann", "SIKT208"], 2, "Fel: --godkann kräver en motivering."),
        (["--motivering", "x"], 2, "Fel: --motivering hör till --godkann."),
        (["--godkann", "SIKT28", "--motivering", "x"], 2, "Fel: 'SIKT28' är ingen känd kod."),
        (
            ["--godkann", "SIKT304", "--motivering", "x"],
            1,
            "Fel: Inget fynd SIKT304 att godkänna i protokoll/2020-06-05.md.",
        ),
    ],
)
def test_what_cannot_be_accepted_is_refused(
    locked: Path, run: Callable[..., Any], args: list[str], code: int, message: str
) -> None:
    result = _accept(run, locked, *args)
    assert result.exit_code == code
    assert result.stderr.splitlines()[0] == message
    assert not (locked / "godkanda-fynd.yaml").exists()


def test_an_error_cannot_be_accepted(archive: Callable[..., Path], run: Callable[..., Any]) -> None:
    root = archive({JUNE: LOCKED.replace("ordforande: anna-ek", "ordforande: anna-eek")})
    result = _accept(run, root, "--godkann", "SIKT204", "--motivering", "x")
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: SIKT204 är ett fel och kan inte godkännas.\n"
        "tips: Rätta ett justerat protokoll med 'sikt protokoll rätta DATUM --skal \"…\"'.\n"
    )


def test_a_second_entry_is_appended_keeping_the_file(
    archive: Callable[..., Path], run: Callable[..., Any]
) -> None:
    two = LOCKED.replace("  - nr: 2\n    rubrik: Temadag\n", "  - nr: 2\n    rubrik: Tema\n")
    root = archive({JUNE: two})  # SIKT208 and SIKT304 (heading differs from the agenda)
    kept = "# granskad av styrgruppen\ngodkanda:\n" + ENTRY
    (root / "godkanda-fynd.yaml").write_text(kept, encoding="utf-8")
    result = _accept(run, root, "--godkann", "SIKT304", "--motivering", "Rubriken är justerad.")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Uppdaterade godkanda-fynd.yaml: 1 fynd godkänt (rad 8–12):")
    text = (root / "godkanda-fynd.yaml").read_text(encoding="utf-8")
    assert text.startswith(kept)
    assert text[len(kept) :].startswith("  - kod: SIKT304\n    fil: protokoll/2020-06-05.md\n")
    strict = run("validera", "--strikt", "--rot", str(root))
    assert (strict.exit_code, strict.stdout) == (
        0,
        "Inga fel eller varningar i 4 filer (2 godkända fynd, se godkanda-fynd.yaml).\n",
    )


def test_justera_on_the_locked_june_protokoll_says_it_is_already_justerat(
    real_archive: Path, run: Callable[..., Any]
) -> None:
    """Not "rätta felen och varningarna ovan först": its SIKT208 cannot be fixed anyway."""
    before = (real_archive / JUNE).read_bytes()
    result = run("protokoll", "justera", "2020-06-05", "--rot", str(real_archive))
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: 2020-06-05.md är redan justerat.\ntips: Ett justerat protokoll ändras inte.\n"
    )
    assert (real_archive / JUNE).read_bytes() == before
