"""The meeting cycle: kallelse → protokoll ny → fill in → protokoll justera, and its guarantees.

Every write is checked at the byte level: a planerat file becomes the utkast without losing
a line, an existing file is never overwritten, and justering changes only its own lines
(also in CRLF and BOM files).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MEMBERS, REPO, git, protokoll

from sikt_cli.archive.source import decode, split_frontmatter
from sikt_cli.archive.yaml_tree import parse_yaml

Run = Callable[..., Any]
Make = Callable[..., Path]

D = "2020-09-04"
NEW = f"protokoll/{D}.md"
# a fourth member, to be a justerare who is neither ordförande (anna-ek) nor sekreterare
WITH_DAN = MEMBERS + "  - id: dan-ek\n    namn: Dan Ek\n    kommun: Hjo\n"
DAN_PRESENT = (
    "narvarande: [anna-ek, bo-ek, cia-ek]",
    "narvarande: [anna-ek, bo-ek, cia-ek, dan-ek]",
)
TODAY = dt.date.today().isoformat()
STANDING = ("Utse sekreterare", "Föregående protokoll", "Uppföljning av uppdrag")
CLOSING = ("Övrigt", "Kommande träffar och innehåll")
REAL_OPEN = [f"2020-06-05#{n}" for n in range(1, 8)]


BODY_D = "## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [ ] @bo-ek Boka lokal senast 2020-10-01\n"


def later(status: str = "utkast", extra: str = "") -> str:
    """A valid protokoll for D (its uppdrag due after D)."""
    return protokoll(D, status=status, extra_frontmatter=extra, body=BODY_D)


# --- helpers ------------------------------------------------------------------------------


def frontmatter(path: Path) -> dict[str, Any]:
    """The frontmatter as plain data, read the way sikt reads it."""
    src, diags = decode(path.read_bytes(), path.name)
    assert src is not None, diags
    fm, diags = split_frontmatter(src)
    assert fm is not None, diags
    _, diags = parse_yaml(fm.yaml_text, path.name, fm.yaml_first_line)
    assert not diags, diags
    data = yaml.safe_load(fm.yaml_text)
    assert isinstance(data, dict)
    return data


def titles(path: Path) -> list[str]:
    return [a["rubrik"] for a in frontmatter(path)["arenden"]]


def headings(text: str) -> list[str]:
    return re.findall(r"^## \d+\. (.+?)\r?$", text, flags=re.M)


def section(text: str, title: str) -> str:
    """The body of the section `## N. title` up to the next heading."""
    m = re.search(rf"^## \d+\. {re.escape(title)}\r?\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"no section {title!r}"
    return m.group(1)


def assert_kept(old: bytes, new: bytes, changed: dict[bytes, bytes]) -> None:
    """Every line of `old` is in `new`, in order; the lines in `changed` became their values.

    Compares raw lines (split at LF only), so BOM and CR are part of what must be kept.
    """
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    for line in changed:
        assert old_lines.count(line) == 1, line
    j = 0
    for line in old_lines:
        want = changed.get(line, line)
        while j < len(new_lines) and new_lines[j] != want:
            j += 1
        assert j < len(new_lines), f"line lost or changed: {line!r}"
        j += 1
    assert len(new_lines) > len(old_lines)


def validera_json(run: Run, root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--rot", str(root), "--format", "json", *extra)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def fill_in(text: str, *, secretary: str = "bo-ek", franvarande: str = "[]") -> str:
    """What the secretary does to an utkast: the edits sikt asks for, nothing else."""
    assert "\r" not in text
    text = re.sub(r"^sekreterare: +# FYLL I.*$", f"sekreterare: {secretary}", text, flags=re.M)
    text = re.sub(r"^narvarande: +# FYLL I.*$", "narvarande:", text, flags=re.M)
    text = re.sub(r"^# - ([a-z0-9-]+) .*$", r"  - \1", text, flags=re.M)
    text = re.sub(r"^franvarande: \[\].*$", f"franvarande: {franvarande}", text, flags=re.M)
    text = re.sub(r"^kommande: \[\].*$", "kommande:\n  - datum: 2020-10-02", text, flags=re.M)
    text = text.replace("FYLL I: vad hände?", "Pågår.")  # each follow-up: what happened
    return text.replace("FYLL I.", "Diskuterades.")


def with_mallar(root: Path) -> Path:
    shutil.copytree(REPO / "mallar", root / "mallar")
    return root


# --- acceptance on the real archive ---------------------------------------------------------


def test_acceptance_kallelse_creates_the_planned_protokoll(real_archive: Path, run: Run) -> None:
    root = with_mallar(real_archive)
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    path = root / NEW
    assert f"Skapade planerat protokoll: {NEW}" in result.stdout
    data = frontmatter(path)
    assert data["status"] == "planerat"
    assert str(data["datum"]) == D
    assert data["tid"] == "09:00-11:15" and data["plats"] == "Teamsmöte"
    assert data["ordforande"] == "mattias-gustafsson"
    agenda = titles(path)
    for title in ("AI", "Systeminventering (systemkartan.se)", "LIKA", *STANDING, *CLOSING):
        assert title in agenda
    assert agenda[:3] == list(STANDING) and agenda[-2:] == list(CLOSING)
    text = path.read_text(encoding="utf-8")
    assert headings(text) == agenda
    follow_up = section(text, "Uppföljning av uppdrag")
    # one line per open uppdrag, its text not copied: the secretary writes what happened
    ids = re.findall(r"^- \[ \] (2020-06-05#\d+) FYLL I: vad hände\?$", follow_up, flags=re.M)
    assert ids == REAL_OPEN
    # the printed notice: time, place, dagordning and the uppdrag to report on
    out = result.stdout
    for needle in (
        "Kallelse till SIKT-nätverket",
        "09:00-11:15",
        "Teamsmöte",
        "Dagordning",
        "Systeminventering (systemkartan.se)",
        "LIKA",
        *REAL_OPEN,
    ):
        assert needle in out
    assert "kallas till nätverksträff" in out  # the network's own template in mallar/
    code, diags = validera_json(run, root)
    assert code == 0
    assert [d for d in diags if d["file"] == NEW] == []


def test_acceptance_ny_turns_the_planned_file_into_the_utkast(real_archive: Path, run: Run) -> None:
    root = with_mallar(real_archive)
    assert run("kallelse", D, "--rot", str(root)).exit_code == 0
    path = root / NEW
    planned = path.read_bytes()

    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert f"Gjorde om till utkast: {NEW}" in result.stdout
    draft = path.read_bytes()
    assert_kept(planned, draft, {b"status: planerat": b"status: utkast"})
    data = frontmatter(path)
    assert data["status"] == "utkast"
    text = draft.decode("utf-8")
    for member in ("sara-von-seth", "mattias-gustafsson", "karina-bronell"):
        assert re.search(rf"^# - {member}\b", text, flags=re.M), member  # ready to uncomment
    assert re.findall(r"2020-06-05#\d+", section(text, "Uppföljning av uppdrag")) == REAL_OPEN

    again = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert again.exit_code == 1
    assert path.read_bytes() == draft
    assert "finns redan" in again.stderr and "skrivs inte över" in again.stderr
    assert "Traceback" not in again.output


def test_acceptance_full_cycle_in_a_git_repo(
    real_archive: Path, run: Run, isolated_git: None
) -> None:
    root = with_mallar(real_archive)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "arkiv")

    assert run("kallelse", D, "--rot", str(root)).exit_code == 0
    git(root, "add", NEW)
    git(root, "commit", "-q", "-m", "kallelse")
    assert (
        run(
            "protokoll", "ny", "--datum", D, "--sekreterare", "sara-von-seth", "--rot", str(root)
        ).exit_code
        == 0
    )
    path = root / NEW
    path.write_text(
        fill_in(
            path.read_text(encoding="utf-8"),
            secretary="sara-von-seth",
            franvarande="[Essunga, Götene, Karlsborg]",
        ),
        encoding="utf-8",
    )
    code, diags = validera_json(run, root, str(root / NEW))
    assert [d for d in diags if d["file"] == NEW] == [], diags
    before = path.read_bytes()

    result = run("protokoll", "justera", D, "--justerare", "karina-bronell", "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert f"Justerat och låst: {NEW}" in result.stdout
    after = path.read_bytes()
    assert after == before.replace(
        b"status: utkast\n", f"status: justerat\njusterad: {TODAY}\n".encode()
    ).replace(b"justerare: []\n", b"justerare: [karina-bronell]\n")
    data = frontmatter(path)
    assert data["status"] == "justerat" and str(data["justerad"]) == TODAY
    assert data["justerare"] == ["karina-bronell"]
    git(root, "add", NEW)
    git(root, "commit", "-q", "-m", "justerat")

    assert validera_json(run, root, "--bas", "HEAD")[0] == 0
    # the next meeting is planned from the new protokoll; its uppdrag were followed up
    assert run("kallelse", "--rot", str(root)).exit_code == 0
    assert (root / "protokoll/2020-10-02.md").is_file()
    # and the locked file cannot change any more
    path.write_bytes(after.replace(b"Diskuterades.", b"Diskuterat.", 1))
    code, diags = validera_json(run, root, "--bas", "HEAD")
    assert code == 1
    locked = [d for d in diags if d["code"] == "SIKT504"]
    assert len(locked) == 1 and locked[0]["file"] == NEW
    line = after.split(b"\n").index(b"Diskuterades.") + 1
    assert locked[0]["line"] == line


# --- protokoll ny ---------------------------------------------------------------------------


def test_ny_without_a_plan_creates_the_utkast_with_the_standing_agenda(
    archive: Make, run: Run
) -> None:
    root = archive(
        {
            "protokoll/2020-06-05.md": protokoll(
                status="justerat", extra_frontmatter="ej_inplanerat: [Temadag, Budget]\n"
            )
        }
    )
    result = run("protokoll", "ny", "--rot", str(root))  # default: the next `kommande`
    assert result.exit_code == 0, result.output
    assert f"Skapade utkast: {NEW}" in result.stdout
    path = root / NEW
    data = frontmatter(path)
    assert data["status"] == "utkast"
    assert data["tid"] == "09:00-11:15" and data["plats"] == "Teamsmöte"
    assert data["ordforande"] == "anna-ek"
    assert not data["sekreterare"] and not data["narvarande"]
    assert titles(path) == [*STANDING, "Temadag", "Budget", *CLOSING]
    temadag = next(a for a in data["arenden"] if a["rubrik"] == "Temadag")
    assert temadag["mal"] == ["mal-1.1"]  # the goal travels with the postponed item
    text = path.read_text(encoding="utf-8")
    assert headings(text) == titles(path)
    assert re.findall(r"^# - ([a-z-]+)", text, flags=re.M) == ["anna-ek", "bo-ek", "cia-ek"]
    assert section(text, "Uppföljning av uppdrag").strip() == (
        "- [ ] 2020-06-05#1 FYLL I: vad hände?"
    )


def test_ny_with_sekreterare_and_no_open_uppdrag(archive: Make, run: Run) -> None:
    root = archive(
        {
            "protokoll/2020-06-05.md": protokoll(
                status="justerat", body="## 1. Inledning\n\nText.\n\n## 2. Temadag\n\nText.\n"
            )
        }
    )
    result = run("protokoll", "ny", "--datum", D, "--sekreterare", "cia-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    path = root / NEW
    assert frontmatter(path)["sekreterare"] == "cia-ek"
    assert "Inga öppna uppdrag." in section(
        path.read_text(encoding="utf-8"), "Uppföljning av uppdrag"
    )


def test_ny_defaults_to_today_without_any_kommande(archive: Make, run: Run) -> None:
    root = archive({})
    result = run("protokoll", "ny", "--rot", str(root))
    assert result.exit_code == 0, result.output
    path = root / f"protokoll/{TODAY}.md"
    assert titles(path) == [*STANDING, *CLOSING]


def test_ny_unknown_sekreterare_creates_nothing(archive: Make, run: Run) -> None:
    root = archive()
    result = run("protokoll", "ny", "--datum", D, "--sekreterare", "okand", "--rot", str(root))
    assert result.exit_code == 1
    assert "'okand' är inte en medlem" in result.stderr
    assert not (root / NEW).exists()


def test_ny_bad_date_is_a_usage_error(archive: Make, run: Run) -> None:
    result = run("protokoll", "ny", "--datum", "4 sept", "--rot", str(archive()))
    assert result.exit_code == 2
    assert "inte ett datum" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("status", ["utkast", "justerat"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_ny_never_overwrites_a_file_that_is_not_planerat(
    archive: Make, run: Run, status: str, line_end: str
) -> None:
    old = (
        protokoll(D, status=status, extra_frontmatter="justerad: 2020-09-10\n")
        .replace("\n", line_end)
        .encode()
    )
    root = archive({NEW: old})
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert result.exit_code == 1
    assert (root / NEW).read_bytes() == old
    if status == "utkast":
        assert "status: utkast" in result.stderr and "skrivs inte över" in result.stderr
    else:  # what to do instead: a correction, not "go on writing in it"
        assert result.stderr == (
            f"Fel: Mötet {D} är redan justerat (protokoll/{D}.md är låst). Ett nytt utkast "
            "skrivs inte över det.\n"
            f"tips: Ska något i protokollet ändras: ändra raderna och kör 'sikt protokoll rätta "
            f'{D} --skal "varför"\' (se docs/justering.md). Gäller det ett nytt möte, ange '
            "dess datum.\n"
        )


@pytest.mark.parametrize("content", [b"", b"bara text\n", b"---\nstatus: [\n---\n", b"\xff\xfe"])
def test_ny_never_overwrites_a_broken_file(archive: Make, run: Run, content: bytes) -> None:
    root = archive({NEW: content})
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert result.exit_code == 1
    assert (root / NEW).read_bytes() == content
    assert "Traceback" not in result.output and result.stderr.startswith("Fel:")


def disk_full(real_fdopen: Callable[..., Any]) -> Callable[..., Any]:
    """os.fdopen whose files take a few bytes and then fail as on a full disk."""

    class DiskFull:
        def __init__(self, fd: int, mode: str) -> None:
            self.file = real_fdopen(fd, mode)

        def __enter__(self) -> DiskFull:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[:20])
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            self.file.flush()

        def fileno(self) -> int:
            return int(self.file.fileno())

    return DiskFull


def test_a_failed_write_leaves_no_half_written_protokoll(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk in the middle of a write must not leave a truncated protokoll behind
    (it would look like the secretary's file, and block the next 'protokoll ny')."""
    root = archive()
    monkeypatch.setattr(os, "fdopen", disk_full(os.fdopen))
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root), env={"SIKT_CACHE": "av"})
    assert result.exit_code == 1, result.output
    assert "Internt fel" not in result.output
    assert NEW in result.output.replace("\n", "")
    assert not (root / NEW).exists()
    monkeypatch.undo()
    assert run("protokoll", "ny", "--datum", D, "--rot", str(root)).exit_code == 0


@pytest.mark.skipif(
    sys.platform == "win32", reason="ett skript med #! kan inte startas som program på Windows"
)
def test_ny_redigera_opens_visual_with_the_file(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive()
    record = tmp_path / "editor-arg.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n', encoding="utf-8")
    editor.chmod(0o755)
    result = run(
        "protokoll",
        "ny",
        "--datum",
        D,
        "--redigera",
        "--rot",
        str(root),
        env={"VISUAL": str(editor), "EDITOR": ""},
    )
    assert result.exit_code == 0, result.output
    assert record.read_text(encoding="utf-8") == str(root / NEW)


def test_ny_redigera_without_an_editor_says_how_to_set_one(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")  # no nano, no vi (see test_portability)
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    root = archive()
    result = run(
        "protokoll",
        "ny",
        "--datum",
        D,
        "--redigera",
        "--rot",
        str(root),
        env={"VISUAL": "", "EDITOR": ""},
    )
    assert result.exit_code == 1
    assert "VISUAL" in result.stderr and "EDITOR" in result.stderr
    assert (root / NEW).is_file()  # the utkast itself was made


@pytest.mark.parametrize("editor", ["   ", 'code "--wait'])
def test_ny_redigera_with_an_unusable_editor_setting(archive: Make, run: Run, editor: str) -> None:
    """A blank EDITOR must not run the protokoll itself as the program; an unbalanced
    quote is the user's setting to fix, not an internal error."""
    root = archive()
    result = run(
        "protokoll",
        "ny",
        "--datum",
        D,
        "--redigera",
        "--rot",
        str(root),
        env={"VISUAL": editor, "EDITOR": ""},
    )
    assert result.exit_code == 1, result.output
    assert "Internt fel" not in result.output
    assert "VISUAL" in result.stderr and "EDITOR" in result.stderr
    assert (root / NEW).is_file()


def test_what_is_left_to_fill_in_shows_as_sikt503_on_the_right_lines(
    archive: Make, run: Run
) -> None:
    root = archive()
    assert run("protokoll", "ny", "--datum", D, "--rot", str(root)).exit_code == 0
    lines = (root / NEW).read_text(encoding="utf-8").split("\n")
    code, diags = validera_json(run, root)
    assert code == 0  # warnings only
    todo = [d for d in diags if d["file"] == NEW]
    assert todo and {d["code"] for d in todo} == {"SIKT503", "SIKT408"}
    assert all(d["severity"] == "warning" for d in todo)
    flagged = {lines[d["line"] - 1].split(":")[0] for d in todo if d["code"] == "SIKT503"}
    assert {"sekreterare", "narvarande", "kommande"} <= flagged
    fill_lines = [i for i, line in enumerate(lines, start=1) if line == "FYLL I."]
    assert fill_lines and set(fill_lines) <= {d["line"] for d in todo}
    # the follow-up of the open uppdrag: SIKT408 on its line, not also SIKT503
    follow_up = lines.index("- [ ] 2020-06-05#1 FYLL I: vad hände?") + 1
    assert [(d["line"], d["code"]) for d in todo if d["line"] == follow_up] == [
        (follow_up, "SIKT408")
    ]
    assert len(todo) == 3 + len(fill_lines) + 1

    (root / NEW).write_text(fill_in("\n".join(lines)), encoding="utf-8")
    code, diags = validera_json(run, root)
    assert [d for d in diags if d["file"] == NEW] == []


# --- planerat → utkast ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "line_end"),
    [(b"", b"\n"), (b"\xef\xbb\xbf", b"\r\n"), (b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n")],
)
def test_planned_to_utkast_keeps_every_line_bom_and_endings(
    archive: Make, run: Run, bom: bytes, line_end: bytes
) -> None:
    root = archive()
    assert run("kallelse", D, "--rot", str(root)).exit_code == 0
    path = root / NEW
    planned = bom + path.read_bytes().replace(b"\n", line_end)
    path.write_bytes(planned)
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    draft = path.read_bytes()
    cr = line_end[:-1]
    assert_kept(planned, draft, {b"status: planerat" + cr: b"status: utkast" + cr})
    assert draft.startswith(bom + b"---")
    assert draft.count(b"\n") == draft.count(line_end)  # every new line uses the file's ending
    assert frontmatter(path)["status"] == "utkast"
    code, diags = validera_json(run, root)
    assert code == 0 and not [d for d in diags if d["code"] not in ("SIKT503", "SIKT408")]


def test_planned_file_edited_by_the_chair_keeps_the_edits(archive: Make, run: Run) -> None:
    root = archive()
    assert run("kallelse", D, "--rot", str(root)).exit_code == 0
    path = root / NEW
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: planerat\n", "status: planerat   # kallelse skickad 1/9\n")
    text = text.replace(
        "---\n\n## 1.",
        "  - nr: 6\n    rubrik: Extra punkt\n"
        "sekreterare: cia-ek\n# en egen kommentar\n---\n\n## 1.",
    )
    text += "\nEgen anteckning sist.\n"
    path.write_text(text, encoding="utf-8")
    planned = path.read_bytes()

    result = run("protokoll", "ny", "--datum", D, "--sekreterare", "bo-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    draft = path.read_bytes()
    assert_kept(
        planned,
        draft,
        {b"status: planerat   # kallelse skickad 1/9": b"status: utkast   # kallelse skickad 1/9"},
    )
    new_text = draft.decode("utf-8")
    assert new_text.count("\nsekreterare:") == 1  # the chair's value stays, no duplicate key
    data = frontmatter(path)
    assert data["sekreterare"] == "cia-ek"
    assert "## 6. Extra punkt" in new_text  # a section for the added ärende
    code, diags = validera_json(run, root)
    assert code == 0, diags


def test_kallelse_creates_only_when_missing_and_shows_the_planned_agenda(
    archive: Make, run: Run
) -> None:
    root = archive(
        {
            "protokoll/2020-06-05.md": protokoll(
                status="justerat", extra_frontmatter="ej_inplanerat: [Temadag]\n"
            )
        }
    )
    first = run("kallelse", "--rot", str(root))  # default date: the next `kommande`
    assert first.exit_code == 0, first.output
    path = root / NEW
    assert frontmatter(path)["status"] == "planerat"
    assert "mal-1.1 Första deluppdraget" in " ".join(first.stdout.split())  # goals shown
    assert "2020-06-05#1" in first.stdout and "Bo Ek" in first.stdout
    # the chair edits the plan; kallelse shows the edited plan and does not write
    edited = path.read_bytes().replace(b'rubrik: "Temadag"', b'rubrik: "Temadag i Hjo"')
    edited = edited.replace(b"## 4. Temadag", b"## 4. Temadag i Hjo")
    path.write_bytes(edited)
    second = run("kallelse", D, "--rot", str(root))
    assert second.exit_code == 0, second.output
    assert "Skapade" not in second.stdout
    assert "Temadag i Hjo" in second.stdout
    assert path.read_bytes() == edited


def test_kallelse_for_an_existing_utkast_does_not_touch_it(archive: Make, run: Run) -> None:
    old = protokoll(D).encode()
    root = archive({NEW: old})
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert (root / NEW).read_bytes() == old
    assert "Inledning" in result.stdout


# --- protokoll justera ----------------------------------------------------------------------


def filled(root: Path, run: Run) -> Path:
    assert run("protokoll", "ny", "--datum", D, "--rot", str(root)).exit_code == 0
    path = root / NEW
    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bom", "line_end"),
    [(b"", b"\n"), (b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\n")],
)
def test_justera_changes_only_its_lines_byte_for_byte(
    archive: Make, run: Run, bom: bytes, line_end: bytes
) -> None:
    root = archive()
    path = filled(root, run)
    before = bom + path.read_bytes().replace(b"\n", line_end)
    path.write_bytes(before)
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    expected = before.replace(
        b"status: utkast" + line_end,
        b"status: justerat" + line_end + f"justerad: {TODAY}".encode() + line_end,
    )
    assert path.read_bytes() == expected


@pytest.mark.parametrize("stray", [b"\r\r\n", b"\r"])
def test_justera_edits_the_right_lines_when_a_line_ends_in_a_lone_cr(
    archive: Make, run: Run, stray: bytes
) -> None:
    """sikt reads a lone CR as a line break; the edit must count lines the same way,
    or it overwrites the wrong line (here: ordforande became 'justerat')."""
    text = later(extra="justerare: []\n").encode()
    before = text.replace(b"datum: " + D.encode() + b"\n", b"datum: " + D.encode() + stray, 1)
    root = archive({"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: before})
    result = run("protokoll", "justera", D, "--justerare", "cia-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert (root / NEW).read_bytes() == before.replace(
        b"status: utkast\n", f"status: justerat\njusterad: {TODAY}\n".encode()
    ).replace(b"justerare: []\n", b"justerare: [cia-ek]\n")


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_justera_edits_the_right_lines_after_a_unicode_line_separator(
    archive: Make, run: Run, brk: str
) -> None:
    """YAML also breaks lines at NEL, LS and PS (pasted from Word or a PDF); the positions
    sikt edits by must still count LF only, or justera overwrites the wrong line."""
    here = f'plats: "Skolan{brk}Hjo"\ngaster: ["Eva Ek,{brk}Hjo"]\n'
    before = later().replace(f"datum: {D}\n", f"datum: {D}\n{here}", 1).encode()
    assert here.encode() in before
    root = archive({"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: before})
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert (root / NEW).read_bytes() == before.replace(
        b"status: utkast\n", f"status: justerat\njusterad: {TODAY}\n".encode()
    )


def test_justera_on_a_full_disk_leaves_the_file_as_it_was(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = archive()
    path = filled(root, run)
    before = path.read_bytes()
    monkeypatch.setattr(os, "fdopen", disk_full(os.fdopen))
    result = run("protokoll", "justera", D, "--rot", str(root), env={"SIKT_CACHE": "av"})
    assert result.exit_code == 1, result.output
    assert "Internt fel" not in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["2020-06-05.md", f"{D}.md"]


def test_justera_with_justerare_replaces_the_list_line(archive: Make, run: Run) -> None:
    root = archive(members=WITH_DAN)
    path = filled(root, run)
    before = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(before)
    result = run(
        "protokoll",
        "justera",
        D,
        "--justerare",
        "cia-ek",
        "--justerare",
        "dan-ek",
        "--rot",
        str(root),
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before.replace(
        b"status: utkast\r\n", f"status: justerat\r\njusterad: {TODAY}\r\n".encode()
    ).replace(b"justerare: []\r\n", b"justerare: [cia-ek, dan-ek]\r\n")


def test_justera_keeps_comments_and_updates_an_existing_justerad(archive: Make, run: Run) -> None:
    text = later("utkast   # klart för justering", "justerad: 2020-09-05   # preliminärt\n")
    root = archive({"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: text})
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert (root / NEW).read_text(encoding="utf-8") == text.replace(
        "status: utkast   # klart", "status: justerat   # klart"
    ).replace("justerad: 2020-09-05   # preliminärt", f"justerad: {TODAY}   # preliminärt")


def test_justera_fills_empty_keys_that_carry_a_comment(archive: Make, run: Run) -> None:
    """'justerad:   # ...' (the style of the utkast template): the date must not be glued
    to the comment, where YAML would read '2020-09-05# ...' as the value."""
    extra = "justerare:   # väljs på mötet\njusterad:   # sätts vid justering\n"
    text = later(extra=extra)
    root = archive({"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: text})
    result = run("protokoll", "justera", D, "--justerare", "cia-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    filled = f"justerare: [cia-ek]   # väljs på mötet\njusterad: {TODAY}   # sätts vid justering\n"
    assert (root / NEW).read_text(encoding="utf-8") == text.replace(
        "status: utkast\n", "status: justerat\n"
    ).replace(extra, filled)
    data = frontmatter(root / NEW)
    assert data["justerad"] == dt.date.today() and data["justerare"] == ["cia-ek"]
    code, diags = validera_json(run, root)
    assert code == 0, diags


def test_justera_replaces_a_block_list_of_justerare(archive: Make, run: Run) -> None:
    """A justerare list written as a block must be replaced whole, not left dangling."""
    text = later(extra="justerare:\n  - dan-ek\n  - cia-ek\n").replace(*DAN_PRESENT)
    root = archive(
        {"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: text}, members=WITH_DAN
    )
    result = run("protokoll", "justera", D, "--justerare", "dan-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert (root / NEW).read_text(encoding="utf-8") == text.replace(
        "status: utkast\n", f"status: justerat\njusterad: {TODAY}\n"
    ).replace("justerare:\n  - dan-ek\n  - cia-ek\n", "justerare: [dan-ek]\n")
    assert frontmatter(root / NEW)["justerare"] == ["dan-ek"]
    code, diags = validera_json(run, root)
    assert code == 0, diags


def test_justera_replaces_a_block_list_with_commented_out_items(archive: Make, run: Run) -> None:
    """The utkast template comments out list items at column 0 ('# - id'); the items after
    such a line still belong to the list and must go with it, or they are left dangling."""
    block = "justerare:\n  - dan-ek\n# - cia-ek   # Cia Ek, Vara\n\n  - cia-ek\n"
    text = later(extra=block + "# nästa nyckel\ngaster: []\n").replace(*DAN_PRESENT)
    root = archive(
        {"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: text}, members=WITH_DAN
    )
    result = run("protokoll", "justera", D, "--justerare", "cia-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert (root / NEW).read_text(encoding="utf-8") == text.replace(
        "status: utkast\n", f"status: justerat\njusterad: {TODAY}\n"
    ).replace(block, "justerare: [cia-ek]\n")
    assert frontmatter(root / NEW)["justerare"] == ["cia-ek"]
    code, diags = validera_json(run, root)
    assert code == 0, diags


def test_justera_without_justerare_keeps_a_block_list(archive: Make, run: Run) -> None:
    text = later(extra="justerare:\n  - cia-ek\n")
    root = archive({"protokoll/2020-06-05.md": protokoll(status="justerat"), NEW: text})
    assert run("protokoll", "justera", D, "--rot", str(root)).exit_code == 0
    assert frontmatter(root / NEW)["justerare"] == ["cia-ek"]


def test_justera_refuses_an_unfinished_utkast_on_warnings(archive: Make, run: Run) -> None:
    root = archive()
    assert run("protokoll", "ny", "--datum", D, "--rot", str(root)).exit_code == 0
    before = (root / NEW).read_bytes()
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 1
    assert "SIKT503" in result.stdout and "justerades inte" in result.stderr
    assert (root / NEW).read_bytes() == before


def test_justera_refuses_errors_in_the_file(archive: Make, run: Run) -> None:
    text = later(extra="narvarande_: []\n")
    root = archive({NEW: text})
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 1
    assert "fel" in result.stdout and "justerades inte" in result.stderr
    assert (root / NEW).read_text(encoding="utf-8") == text


def test_justera_is_not_blocked_by_other_files(archive: Make, run: Run) -> None:
    broken = protokoll("2020-10-02", extra_frontmatter="okand_nyckel: 1\n")
    root = archive({NEW: later(), "protokoll/2020-10-02.md": broken})
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("justerat", "redan justerat"),
        ("planerat", "bara ett utkast kan justeras"),
    ],
)
def test_justera_refuses_other_statuses(archive: Make, run: Run, status: str, message: str) -> None:
    text = later(status, "justerad: 2020-09-10\n" * (status == "justerat"))
    root = archive({NEW: text})
    result = run("protokoll", "justera", D, "--rot", str(root))
    assert result.exit_code == 1
    assert message in result.stderr
    assert (root / NEW).read_text(encoding="utf-8") == text


def test_justera_unknown_justerare_and_missing_file(archive: Make, run: Run) -> None:
    root = archive({NEW: later()})
    result = run("protokoll", "justera", D, "--justerare", "okand", "--rot", str(root))
    assert result.exit_code == 1
    assert "'okand'" in result.stderr
    assert (root / NEW).read_text(encoding="utf-8") == later()
    missing = run("protokoll", "justera", "2021-01-01", "--rot", str(root))
    assert missing.exit_code == 1 and "finns inte" in missing.stderr


# --- protokoll lista / visa -----------------------------------------------------------------


def test_lista_and_visa(real_archive: Path, run: Run) -> None:
    root = with_mallar(real_archive)
    assert run("kallelse", D, "--rot", str(root)).exit_code == 0
    listing = run("protokoll", "lista", "--rot", str(root))
    assert listing.exit_code == 0, listing.output
    rows = [line for line in listing.stdout.split("\n") if "2020-" in line]
    assert "justerat" in rows[0] and "2020-06-05" in rows[0]
    assert re.search(r"20\s.*1\s.*7\s.*7", rows[0])  # present, beslut, given, open
    assert "planerat" in rows[1] and D in rows[1]
    assert "2 protokoll." in listing.stdout

    shown = run("protokoll", "visa", "2020-06-05", "--rot", str(root))
    assert shown.exit_code == 0, shown.output
    assert "status: justerat" in shown.stdout and "Mediapoolen" in shown.stdout
    assert run("protokoll", "visa", "2019-01-01", "--rot", str(root)).exit_code == 1
    bad = run("protokoll", "visa", "igår", "--rot", str(root))
    assert bad.exit_code == 2 and "inte ett datum" in bad.stderr


def test_read_only_commands_change_no_file(real_archive: Path, run: Run) -> None:
    before = {p: p.read_bytes() for p in real_archive.rglob("*") if p.is_file()}
    for args in (("protokoll", "lista"), ("protokoll", "visa", "2020-06-05"), ("mallar",)):
        assert run(*args, "--rot", str(real_archive)).exit_code == 0
    assert {p: p.read_bytes() for p in real_archive.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_far_away_meeting_dates_are_refused_in_swedish(real_archive: Path, run, day: str) -> None:
    result = run("kallelse", day, "--ut", str(real_archive / "ut"), "--rot", str(real_archive))
    assert result.exit_code == 2, result.output
    assert "orimligt" in result.output
    assert "Internt fel" not in result.output
    assert not (real_archive / "protokoll" / f"{day}.md").exists()
