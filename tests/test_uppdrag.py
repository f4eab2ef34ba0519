"""`sikt uppdrag`: extraction, follow-ups, identity, filters, formats, and the real archive."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, protokoll, write_tree

from sikt_cli.archive.load import load_archive
from sikt_cli.records.action_items import track
from sikt_cli.render.action_item_formats import CSV_COLUMNS, to_dict

Run = Callable[..., Any]

# --- fixture archive: three meetings -----------------------------------------------------

BODY_1 = """\
## 1. Inledning

Text.

```text
- [ ] @okand-person I ett kodblock
```

> - [ ] @okand-person I ett citat

<div>
- [ ] @okand-person I rå HTML
</div>

<!--
- [ ] @okand-person I en kommentar

-->

    - [ ] @okand-person I ett indraget kodblock

## 2. Temadag

- [ ] @bo-ek Boka lokal senast 2020-08-01
- [ ] @anna-ek @cia-ek Skriv *inbjudan* till [temadagen](https://example.org) 📅 2020-10-01
- [ ] @arbetsgrupp Planera programmet
- [ ] @alla Tipsa om föreläsare
"""

FOLLOW_UP_ARENDEN = """\
arenden:
  - nr: 1
    rubrik: Inledning
  - nr: 2
    rubrik: Uppföljning av uppdrag
"""

BODY_2 = """\
## 1. Inledning

Text.

## 2. Uppföljning av uppdrag

- [ ] 2020-06-05#1 Lokalen är inte bokad än.
- [x] 2020-06-05#4 Klart: tre förslag inkom.
"""

BODY_3 = """\
## 1. Inledning

Text.

## 2. Uppföljning av uppdrag

- [x] 2020-06-05#1 Klart: lokalen bokad i Skara.
"""


def meeting(datum: str, body: str, *, nasta: str, arenden: str | None = None) -> str:
    """A valid protokoll dated `datum` whose next meeting (`kommande`) is `nasta`."""
    text = protokoll(datum, body=body, arenden=arenden)
    default = "kommande:\n  - datum: 2020-09-04\n"
    assert default in text
    return text.replace(default, f"kommande:\n  - datum: {nasta}\n")


M1 = meeting("2020-06-05", BODY_1, nasta="2020-09-04")
M2 = meeting("2020-09-04", BODY_2, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN)
M3 = meeting("2020-10-02", BODY_3, nasta="2020-11-06", arenden=FOLLOW_UP_ARENDEN)
P1, P2, P3 = "protokoll/2020-06-05.md", "protokoll/2020-09-04.md", "protokoll/2020-10-02.md"


def three_meetings(archive: Callable[..., Path]) -> Path:
    return archive({P1: M1, P2: M2, P3: M3})


def line_of(path: Path, needle: str) -> int:
    """The 1-based file line holding `needle` (exactly one line must hold it)."""
    found = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def listing(run: Run, root: Path, *args: str) -> list[dict[str, Any]]:
    result = run("uppdrag", "--rot", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def ids(run: Run, root: Path, *args: str) -> list[str]:
    return [a["id"] for a in listing(run, root, *args)]


def diagnostics(run: Run, root: Path, *paths: str) -> list[dict[str, Any]]:
    result = run("validera", "--rot", str(root), "--format", "json", *paths)
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


# --- extraction ------------------------------------------------------------------------


def test_fixture_archive_validates(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("validera", "--rot", str(root), "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == []


def test_extraction_ids_due_dates_sections_and_plain_text(
    archive: Callable[..., Path], run: Run
) -> None:
    root = archive({P1: M1})
    items = {a["id"]: a for a in listing(run, root, "--alla", "--per", "2020-06-10")}
    assert sorted(items) == [f"2020-06-05#{n}" for n in (1, 2, 3, 4)]
    p = root / P1
    one, two, three, four = (items[f"2020-06-05#{n}"] for n in (1, 2, 3, 4))
    # due from `senast`, from 📅, and by default the protokoll's first `kommande` date
    assert (one["due"], two["due"], three["due"], four["due"]) == (
        "2020-08-01",
        "2020-10-01",
        "2020-09-04",
        "2020-09-04",
    )
    # the text without markup, mentions or the due date
    assert one["text"] == "Boka lokal"
    assert two["text"] == "Skriv inbjudan till temadagen"
    assert three["text"] == "Planera programmet"
    # several assignees, a group, and the whole network
    assert one["assignees"] == ["bo-ek"]
    assert two["assignees"] == ["anna-ek", "cia-ek"]
    assert three["assignees"] == ["arbetsgrupp"]
    assert four["assignees"] == ["alla"]
    for a, needle in ((one, "Boka lokal"), (two, "Skriv"), (three, "Planera"), (four, "Tipsa")):
        assert a["file"] == P1
        assert a["line"] == line_of(p, needle)
        assert a["agenda_item"] == {"nr": 2, "title": "Temadag"}
        assert a["meeting"] == "2020-06-05"


def test_task_items_in_code_quote_and_html_are_not_uppdrag(
    archive: Callable[..., Path], run: Run
) -> None:
    root = archive({P1: M1})
    texts = [a["text"] for a in listing(run, root, "--alla")]
    assert len(texts) == 4
    assert not any(t.startswith("I ") for t in texts)
    # nor are their @names checked as assignees
    assert not [d for d in diagnostics(run, root) if d["severity"] == "error"]


@pytest.mark.parametrize(
    ("task", "text", "due"),
    [
        ("- [ ] @bo-ek: Boka lokal, senast 2020-08-01.", "Boka lokal.", "2020-08-01"),
        ("- [ ] @bo-ek Boka lokal senast 2020-08-01 i Skara", "Boka lokal i Skara", "2020-08-01"),
        ("- [ ] @bo-ek Senast 2020-08-01 ska lokalen bokas", "ska lokalen bokas", "2020-08-01"),
        ("- [ ] @bo-ek Boka lokal (senast 2020-08-01)", "Boka lokal", "2020-08-01"),
        ("- [ ] @bo-ek, @cia-ek Boka `lokal` 📅2020-08-01", "Boka lokal", "2020-08-01"),
        ("- [ ] @bo-ek Boka lokal", "Boka lokal", "2020-09-04"),
    ],
)
def test_due_date_and_text_forms(
    archive: Callable[..., Path], run: Run, task: str, text: str, due: str
) -> None:
    root = archive({P1: protokoll(body=f"## 1. Inledning\n\n## 2. Temadag\n\n{task}\n")})
    [item] = listing(run, root)
    assert (item["text"], item["due"]) == (text, due)


def test_no_kommande_means_no_due_date_and_sorts_last(
    archive: Callable[..., Path], run: Run
) -> None:
    body = (
        "## 1. Inledning\n\n## 2. Temadag\n\n"
        "- [ ] @bo-ek Utan datum\n- [ ] @bo-ek Med senast 2020-12-01\n"
    )
    text = protokoll(body=body).replace("kommande:\n  - datum: 2020-09-04\n", "")
    root = archive({P1: text})
    items = listing(run, root)
    assert [(a["text"], a["due"]) for a in items] == [("Med", "2020-12-01"), ("Utan datum", None)]


# --- follow-ups --------------------------------------------------------------------------


def test_given_followed_up_open_then_closed(archive: Callable[..., Path], run: Run) -> None:
    root = archive({P1: M1, P2: M2})
    first = {a["id"]: a for a in listing(run, root, "--alla", "--per", "2020-09-10")}
    one = first["2020-06-05#1"]
    assert one["state"] == "open"
    assert one["overdue"] is True
    assert one["closed_on"] is None
    assert one["follow_ups"] == [
        {
            "meeting": "2020-09-04",
            "done": False,
            "comment": "Lokalen är inte bokad än.",
            "file": P2,
            "line": line_of(root / P2, "2020-06-05#1"),
        }
    ]
    assert first["2020-06-05#4"]["state"] == "closed"
    assert first["2020-06-05#4"]["closed_on"] == "2020-09-04"

    write_tree(root, {P3: M3})
    after = {a["id"]: a for a in listing(run, root, "--alla", "--per", "2020-10-05")}
    one = after["2020-06-05#1"]
    assert one["state"] == "closed"
    assert one["overdue"] is False
    assert one["closed_on"] == "2020-10-02"
    assert [(f["meeting"], f["done"], f["comment"]) for f in one["follow_ups"]] == [
        ("2020-09-04", False, "Lokalen är inte bokad än."),
        ("2020-10-02", True, "Klart: lokalen bokad i Skara."),
    ]
    assert one["follow_ups"][1]["line"] == line_of(root / P3, "2020-06-05#1")
    # a follow-up is not a new uppdrag: later meetings add no IDs of their own
    assert sorted(after) == sorted(first)
    assert "2020-06-05#1" not in ids(run, root)


def test_visa_shows_history_with_meeting_dates_and_file_lines(
    archive: Callable[..., Path], run: Run
) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), "visa", "2020-06-05#1", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Uppdrag 2020-06-05#1" in out
    assert "Boka lokal" in out
    assert "Bo Ek" in out
    assert "2020-08-01" in out
    assert "avslutat 2020-10-02" in out
    assert "ärende 2. Temadag" in out
    assert f"{P1}:{line_of(root / P1, 'Boka lokal')}" in out
    history = out[out.index("Historik:") :].splitlines()
    assert "2020-06-05" in history[1] and "givet" in history[1]
    assert "2020-09-04" in history[2] and "öppet" in history[2]
    assert f"{P2}:{line_of(root / P2, '2020-06-05#1')}" in history[2]
    assert "Lokalen är inte bokad än." in history[2]
    assert "2020-10-02" in history[3] and "avslutat" in history[3]
    assert f"{P3}:{line_of(root / P3, '2020-06-05#1')}" in history[3]
    assert "Klart: lokalen bokad i Skara." in history[3]


def test_visa_group_and_rot_after_the_subcommand(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "visa", "2020-06-05#3", "--rot", str(root), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Arbetsgruppen" in result.stdout
    assert "öppet" in result.stdout


def test_visa_unknown_id_suggests_a_near_one(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), "visa", "2020-06-05#9")
    assert result.exit_code == 1
    assert "Inget uppdrag har ID '2020-06-05#9'" in result.stderr
    assert "sikt uppdrag --alla" in result.stderr


# --- validation codes SIKT403–SIKT407 ------------------------------------------------------


def _only(diags: list[dict[str, Any]], code: str) -> dict[str, Any]:
    found = [d for d in diags if d["code"] == code]
    assert len(found) == 1, diags
    assert found[0]["severity"] == "error"
    return found[0]


def test_sikt404_follow_up_of_unknown_id(archive: Callable[..., Path], run: Run) -> None:
    body = BODY_2 + "- [ ] 2020-06-05#9 Finns inte.\n"
    root = archive(
        {P1: M1, P2: meeting("2020-09-04", body, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN)}
    )
    d = _only(diagnostics(run, root), "SIKT404")
    assert (d["file"], d["line"]) == (P2, line_of(root / P2, "2020-06-05#9"))
    assert "2020-06-05#1" in d["hint"]  # names the uppdrag that meeting did give


def test_sikt404_follow_up_with_an_impossible_date(archive: Callable[..., Path], run: Run) -> None:
    body = BODY_2 + "- [x] 2020-13-45#1 Klart.\n"
    root = archive(
        {P1: M1, P2: meeting("2020-09-04", body, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN)}
    )
    d = _only(diagnostics(run, root), "SIKT404")
    assert (d["file"], d["line"]) == (P2, line_of(root / P2, "2020-13-45#1"))
    assert "inget giltigt datum" in d["message"]
    assert not [x for x in diagnostics(run, root) if x["code"] == "SIKT405"]


@pytest.mark.parametrize("ref", ["2020-09-04#1", "2020-10-02#1"])
def test_sikt405_follow_up_from_same_or_later_meeting(
    archive: Callable[..., Path], run: Run, ref: str
) -> None:
    body = BODY_2 + f"- [ ] @bo-ek Nytt uppdrag\n- [x] {ref} Klart redan.\n"
    root = archive(
        {P1: M1, P2: meeting("2020-09-04", body, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN)}
    )
    d = _only(diagnostics(run, root), "SIKT405")
    assert (d["file"], d["line"]) == (P2, line_of(root / P2, ref))


def test_sikt406_closing_an_already_closed_uppdrag(archive: Callable[..., Path], run: Run) -> None:
    body = BODY_3 + "- [x] 2020-06-05#4 Klart igen.\n"
    root = archive(
        {
            P1: M1,
            P2: M2,
            P3: meeting("2020-10-02", body, nasta="2020-11-06", arenden=FOLLOW_UP_ARENDEN),
        }
    )
    d = _only(diagnostics(run, root), "SIKT406")
    assert (d["file"], d["line"]) == (P3, line_of(root / P3, "2020-06-05#4"))
    assert "2020-09-04" in d["message"]  # when it was closed
    # the uppdrag stays closed on its first closing
    [four] = [a for a in listing(run, root, "--alla") if a["id"] == "2020-06-05#4"]
    assert four["closed_on"] == "2020-09-04"


def test_sikt407_due_date_before_its_meeting(archive: Callable[..., Path], run: Run) -> None:
    body = "## 1. Inledning\n\n## 2. Temadag\n\nText.\n\n  - [ ] @bo-ek Boka senast 2020-05-01\n"
    root = archive({P1: protokoll(body=body)})
    d = _only(diagnostics(run, root), "SIKT407")
    assert (d["file"], d["line"], d["column"]) == (P1, line_of(root / P1, "2020-05-01"), 3)


def test_sikt403_invalid_due_date_points_at_the_task(
    archive: Callable[..., Path], run: Run
) -> None:
    body = "## 1. Inledning\n\n## 2. Temadag\n\n  - [ ] @bo-ek Boka senast 2020-13-01\n"
    root = archive({P1: protokoll(body=body)})
    d = _only(diagnostics(run, root), "SIKT403")
    assert (d["file"], d["line"], d["column"]) == (P1, line_of(root / P1, "2020-13-01"), 3)


# --- filters ---------------------------------------------------------------------------------


def test_default_lists_open_uppdrag_of_the_whole_network_by_due_date(
    archive: Callable[..., Path], run: Run
) -> None:
    root = three_meetings(archive)
    assert ids(run, root) == ["2020-06-05#3", "2020-06-05#2"]
    assert ids(run, root, "--alla") == [
        "2020-06-05#1",  # 2020-08-01
        "2020-06-05#3",  # 2020-09-04, same due: in ID order
        "2020-06-05#4",  # 2020-09-04
        "2020-06-05#2",  # 2020-10-01
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--medlem", "cia-ek"), ["2020-06-05#2"]),
        (("--medlem", "cia-ek", "--alla"), ["2020-06-05#4", "2020-06-05#2"]),
        (("--medlem", "bo-ek"), ["2020-06-05#3"]),  # through the group
        (("--medlem", "bo-ek", "--alla"), ["2020-06-05#1", "2020-06-05#3", "2020-06-05#4"]),
        (("--kommun", "Vara"), ["2020-06-05#2"]),
        (("--kommun", "Skara", "--alla"), ["2020-06-05#1", "2020-06-05#3", "2020-06-05#4"]),
        (("--kommun", "Hjo"), ["2020-06-05#3", "2020-06-05#2"]),
        (("--forsenade", "--per", "2020-09-10"), ["2020-06-05#3"]),
        (("--forsenade", "--per", "2020-09-04"), []),  # due that day: not yet late
        (("--forsenade", "--per", "2020-10-05"), ["2020-06-05#3", "2020-06-05#2"]),
        (("--forsenade", "--alla", "--per", "2020-10-05"), ["2020-06-05#3", "2020-06-05#2"]),
        (("--mina", "--jag", "cia-ek", "--alla"), ["2020-06-05#4", "2020-06-05#2"]),
        (("--mina", "--jag", "anna-ek"), ["2020-06-05#3", "2020-06-05#2"]),
    ],
)
def test_filters(
    archive: Callable[..., Path], run: Run, args: tuple[str, ...], expected: list[str]
) -> None:
    root = three_meetings(archive)
    assert ids(run, root, *args) == expected


def test_forsenade_defaults_to_today(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    # every due date in the fixture lies in 2020, so as of today both open ones are late
    assert dt.date.today() > dt.date(2020, 10, 1)
    assert ids(run, root, "--forsenade") == ["2020-06-05#3", "2020-06-05#2"]
    [item] = listing(run, root, "--medlem", "cia-ek")
    assert item["age_days"] == (dt.date.today() - dt.date(2020, 6, 5)).days


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("--medlem", "bo-eek"), "'bo-eek' är inte en medlem", "Menade du 'bo-ek'?"),
        (("--kommun", "Skaraa"), "'Skaraa' finns inte bland kommunerna", "Menade du 'Skara'?"),
        (("--mina", "--jag", "ana-ek"), "--jag anger 'ana-ek'", "Menade du 'anna-ek'?"),
        (("--per", "4 sept"), "--per ska vara ett datum", "2020-09-04"),
        (("--format", "pdf"), "--format", "--help"),
    ],
)
def test_bad_options_are_usage_errors(
    archive: Callable[..., Path], run: Run, args: tuple[str, ...], message: str, hint: str
) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert hint in result.stderr
    assert result.stdout == ""


def test_mina_and_medlem_together_is_a_usage_error(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), "--mina", "--jag", "bo-ek", "--medlem", "cia-ek")
    assert result.exit_code == 2
    assert "--mina och --medlem" in result.stderr
    assert result.stdout == ""


def test_listing_warns_when_the_archive_has_uppdrag_errors(
    archive: Callable[..., Path], run: Run
) -> None:
    body = "## 1. Inledning\n\n## 2. Temadag\n\n- [ ] @bo-eek Boka lokal\n- [ ] Ingen ansvarig\n"
    root = archive({P1: protokoll(body=body)})
    result = run("uppdrag", "--rot", str(root), "--format", "json")
    assert result.exit_code == 0
    assert [a["assignees"] for a in json.loads(result.stdout)] == [["bo-eek"]]
    # SIKT402 (unknown @bo-eek) and SIKT401 (no assignee) both affect the list
    assert "Arkivet har 2 fel som kan påverka listan." in result.stderr
    assert "sikt validera" in result.stderr


def test_agenda_title_falls_back_to_the_heading(archive: Callable[..., Path], run: Run) -> None:
    body = "## 1. Inledning\n\n## 2. Temadag\n\n## 3. Extra punkt\n\n- [ ] @bo-ek Boka\n"
    root = archive({P1: protokoll(body=body)})
    [item] = listing(run, root)
    assert item["agenda_item"] == {"nr": 3, "title": "Extra punkt"}
    result = run("uppdrag", "--rot", str(root), "--format", "csv")
    assert "3. Extra punkt" in result.stdout
    assert "None" not in result.stdout


# --- identity for --mina -------------------------------------------------------------------


@pytest.fixture
def clean_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config and no SIKT_JAG: only the repo's own config counts."""
    home = tmp_path / "hem"
    home.mkdir()
    config = tmp_path / "gitconfig-global"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("SIKT_JAG", "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(var, raising=False)


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, timeout=30
    )
    return done.stdout.strip()


def git_repo(root: Path, email: str | None) -> Path:
    git(root, "init", "-q")
    if email is not None:
        git(root, "config", "user.email", email)
    assert git(root, "rev-parse", "--show-toplevel") == str(root.resolve())
    return root


@pytest.mark.usefixtures("clean_git")
def test_mina_through_git_config_user_email(archive: Callable[..., Path], run: Run) -> None:
    root = git_repo(three_meetings(archive), "Anna.Ek@example.se")
    assert git(root, "config", "user.email") == "Anna.Ek@example.se"
    # anna-ek's epost in MEMBERS is anna.ek@example.se: the match ignores case
    assert ids(run, root, "--mina") == ["2020-06-05#3", "2020-06-05#2"]


@pytest.mark.usefixtures("clean_git")
def test_mina_prefers_jag_then_sikt_jag_then_git(
    archive: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_repo(three_meetings(archive), "anna.ek@example.se")
    monkeypatch.setenv("SIKT_JAG", "bo-ek")
    assert ids(run, root, "--mina", "--alla") == ["2020-06-05#1", "2020-06-05#3", "2020-06-05#4"]
    assert ids(run, root, "--mina", "--alla", "--jag", "cia-ek") == [
        "2020-06-05#4",
        "2020-06-05#2",
    ]


HOW_TO = ("--jag", "SIKT_JAG", "git config user.email")


@pytest.mark.usefixtures("clean_git")
@pytest.mark.parametrize("email", [None, "nobody@example.org"])
def test_mina_without_identity_names_all_three_ways(
    archive: Callable[..., Path], run: Run, email: str | None
) -> None:
    root = git_repo(three_meetings(archive), email)
    result = run("uppdrag", "--rot", str(root), "--mina")
    assert result.exit_code == 2
    assert result.stdout == ""
    for way in HOW_TO:
        assert way in result.stderr, way
    assert "medlemmar.yaml" in result.stderr
    if email:
        assert email in result.stderr


@pytest.mark.usefixtures("clean_git")
def test_unknown_sikt_jag_is_a_usage_error(
    archive: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = three_meetings(archive)
    monkeypatch.setenv("SIKT_JAG", "cia-e")
    result = run("uppdrag", "--rot", str(root), "--mina")
    assert result.exit_code == 2
    assert "SIKT_JAG anger 'cia-e'" in result.stderr
    assert "Menade du 'cia-ek'?" in result.stderr


# --- formats ----------------------------------------------------------------------------------


def test_json_exact_shape(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    items = {a["id"]: a for a in listing(run, root, "--alla", "--per", "2020-10-05")}
    assert items["2020-06-05#1"] == {
        "id": "2020-06-05#1",
        "meeting": "2020-06-05",
        "file": P1,
        "line": line_of(root / P1, "Boka lokal"),
        "assignees": ["bo-ek"],
        "text": "Boka lokal",
        "due": "2020-08-01",
        "state": "closed",
        "overdue": False,
        "age_days": 122,
        "agenda_item": {"nr": 2, "title": "Temadag"},
        "closed_on": "2020-10-02",
        "follow_ups": [
            {
                "meeting": "2020-09-04",
                "done": False,
                "comment": "Lokalen är inte bokad än.",
                "file": P2,
                "line": line_of(root / P2, "2020-06-05#1"),
            },
            {
                "meeting": "2020-10-02",
                "done": True,
                "comment": "Klart: lokalen bokad i Skara.",
                "file": P3,
                "line": line_of(root / P3, "2020-06-05#1"),
            },
        ],
    }
    assert items["2020-06-05#2"] == {
        "id": "2020-06-05#2",
        "meeting": "2020-06-05",
        "file": P1,
        "line": line_of(root / P1, "Skriv *inbjudan*"),
        "assignees": ["anna-ek", "cia-ek"],
        "text": "Skriv inbjudan till temadagen",
        "due": "2020-10-01",
        "state": "open",
        "overdue": True,
        "age_days": 122,
        "agenda_item": {"nr": 2, "title": "Temadag"},
        "closed_on": None,
        "follow_ups": [],
    }


def test_json_agenda_item_is_null_outside_a_numbered_section(
    archive: Callable[..., Path], run: Run
) -> None:
    body = "- [ ] @bo-ek Före första rubriken\n\n## 1. Inledning\n\n## 2. Temadag\n"
    root = archive({P1: protokoll(body=body)})
    [item] = listing(run, root)
    assert item["agenda_item"] is None


def test_csv_parsed_back(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), "--alla", "--format", "csv", "--per", "2020-10-05")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfid;ansvariga;")  # BOM and ";"
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["id"] for r in records] == [
        "2020-06-05#1",
        "2020-06-05#3",
        "2020-06-05#4",
        "2020-06-05#2",
    ]
    two = records[3]
    assert two == {
        "id": "2020-06-05#2",
        "ansvariga": "anna-ek cia-ek",
        "uppdrag": "Skriv inbjudan till temadagen",
        "senast": "2020-10-01",
        "status": "öppet",
        "forsenat": "ja",
        "alder_dagar": "122",
        "mote": "2020-06-05",
        "arende": "2. Temadag",
        "fil": P1,
        "rad": str(line_of(root / P1, "Skriv *inbjudan*")),
    }
    assert records[0]["status"] == "avslutat"
    assert records[0]["forsenat"] == "nej"


def test_md_is_ready_to_paste_as_follow_ups(archive: Callable[..., Path], run: Run) -> None:
    root = archive({P1: M1})
    result = run("uppdrag", "--rot", str(root), "--format", "md", "--per", "2020-09-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [
        "- [ ] 2020-06-05#1 @bo-ek Boka lokal (senast 2020-08-01) **försenat**",
        "- [ ] 2020-06-05#3 @arbetsgrupp Planera programmet (senast 2020-09-04) **försenat**",
        "- [ ] 2020-06-05#4 @alla Tipsa om föreläsare (senast 2020-09-04) **försenat**",
        "- [ ] 2020-06-05#2 @anna-ek @cia-ek Skriv inbjudan till temadagen (senast 2020-10-01)",
    ]
    # pasted into the next protokoll, each line is a valid "still open" follow-up
    body = "## 1. Inledning\n\n## 2. Uppföljning av uppdrag\n\n" + result.stdout
    root = archive(
        {P1: M1, P2: meeting("2020-09-04", body, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN)}
    )
    assert diagnostics(run, root) == []
    after = listing(run, root)
    assert [len(a["follow_ups"]) for a in after] == [1, 1, 1, 1]
    assert all(a["state"] == "open" for a in after)


def _ics(run: Run, root: Path, *args: str, form: str = "ics-todo") -> Any:
    from icalendar import Calendar

    result = run("uppdrag", "--rot", str(root), "--format", form, *args)
    assert result.exit_code == 0, result.output
    assert b"METHOD" not in result.stdout_bytes  # a file to import (RFC 4791 §4.1)
    return Calendar.from_ical(result.stdout_bytes)


def test_ics_for_outlook_is_an_all_day_event_on_each_due_date(
    archive: Callable[..., Path], run: Run
) -> None:
    """`--format ics` was documented "för Outlook" but held only VTODO, which Outlook
    ignores on import: it is now an all-day VEVENT per uppdrag, on its due date."""
    root = three_meetings(archive)
    cal = _ics(run, root, "--alla", form="ics")
    assert cal.walk("VTODO") == []
    events = cal.walk("VEVENT")
    by_id = {str(e["summary"]).removeprefix("(avslutat) ").split(":")[0]: e for e in events}
    assert {k: (e["dtstart"].dt, e["dtend"].dt) for k, e in by_id.items()} == {
        "Uppdrag 2020-06-05#1": (dt.date(2020, 8, 1), dt.date(2020, 8, 2)),
        "Uppdrag 2020-06-05#2": (dt.date(2020, 10, 1), dt.date(2020, 10, 2)),
        "Uppdrag 2020-06-05#3": (dt.date(2020, 9, 4), dt.date(2020, 9, 5)),
        "Uppdrag 2020-06-05#4": (dt.date(2020, 9, 4), dt.date(2020, 9, 5)),
    }
    for e in events:
        assert e["dtstart"].params.get("VALUE") == "DATE" or isinstance(e["dtstart"].dt, dt.date)
        assert str(e["transp"]) == "TRANSPARENT"
    two = by_id["Uppdrag 2020-06-05#2"]
    assert str(two["summary"]) == "Uppdrag 2020-06-05#2: Skriv inbjudan till temadagen"
    assert "Anna Ek, Cia Ek" in str(two["description"])
    assert str(by_id["Uppdrag 2020-06-05#1"]["summary"]).startswith("(avslutat) Uppdrag")
    text = run("uppdrag", "--rot", str(root), "--alla", "--format", "ics").stdout
    assert "DTSTART;VALUE=DATE:20201001" in text and "DTEND;VALUE=DATE:20201002" in text


def test_ics_parsed_back(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    todos = _ics(run, root, "--alla").walk("VTODO")
    assert len(todos) == 4
    by_id = {str(t["summary"]).split(":")[0]: t for t in todos}
    assert {k: t["due"].dt for k, t in by_id.items()} == {
        "2020-06-05#1": dt.date(2020, 8, 1),
        "2020-06-05#2": dt.date(2020, 10, 1),
        "2020-06-05#3": dt.date(2020, 9, 4),
        "2020-06-05#4": dt.date(2020, 9, 4),
    }
    assert {k: str(t["status"]) for k, t in by_id.items()} == {
        "2020-06-05#1": "COMPLETED",
        "2020-06-05#2": "NEEDS-ACTION",
        "2020-06-05#3": "NEEDS-ACTION",
        "2020-06-05#4": "COMPLETED",
    }
    assert by_id["2020-06-05#1"]["completed"].dt.date() == dt.date(2020, 10, 2)
    assert "completed" not in by_id["2020-06-05#2"]
    assert str(by_id["2020-06-05#2"]["summary"]) == "2020-06-05#2: Skriv inbjudan till temadagen"
    assert "Anna Ek, Cia Ek" in str(by_id["2020-06-05#2"]["description"])
    uids = [str(t["uid"]) for t in todos]
    assert len(set(uids)) == 4
    # UIDs are stable: the same on a second run, and when later minutes change the state
    assert [str(t["uid"]) for t in _ics(run, root, "--alla").walk("VTODO")] == uids
    open_only = {str(t["uid"]) for t in _ics(run, root).walk("VTODO")}
    assert open_only < set(uids)
    assert len(open_only) == 2


def test_ics_uid_unchanged_when_closed(archive: Callable[..., Path], run: Run) -> None:
    root = archive({P1: M1, P2: M2})
    before = {str(t["uid"]): str(t["status"]) for t in _ics(run, root, "--alla").walk("VTODO")}
    write_tree(root, {P3: M3})
    after = {str(t["uid"]): str(t["status"]) for t in _ics(run, root, "--alla").walk("VTODO")}
    assert set(before) == set(after)
    changed = {uid for uid in after if before[uid] != after[uid]}
    assert len(changed) == 1
    assert after[changed.pop()] == "COMPLETED"


def test_table_shows_every_column_overdue_and_summary(
    archive: Callable[..., Path], run: Run
) -> None:
    root = three_meetings(archive)
    env = {"COLUMNS": "220", "NO_COLOR": None}
    result = run("uppdrag", "--rot", str(root), "--alla", "--per", "2020-09-10", env=env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("ID", "Vem", "Vad", "Senast", "Ålder", "Möte · ärende"):
        assert header in out
    row = next(line for line in out.splitlines() if "2020-06-05#3" in line)
    for cell in (
        "Arbetsgruppen",
        "Planera programmet",
        "2020-09-04 (försenat)",
        "97 d",
        "2020-06-05 · 2. Temadag",
    ):
        assert cell in row, cell
    closed = next(line for line in out.splitlines() if "2020-06-05#1" in line)
    assert "(avslutat 2020-10-02)" in closed
    assert "(försenat)" not in closed
    # sorted by due date
    order = [i for line in out.splitlines() for i in re.findall(r"2020-06-05#\d", line)]
    assert order == ["2020-06-05#1", "2020-06-05#3", "2020-06-05#4", "2020-06-05#2"]
    assert out.rstrip().endswith("2 öppna, 1 försenat, 2 avslutade.")


def test_table_shows_the_first_rows_and_says_how_to_see_the_rest(
    archive: Callable[..., Path], run: Run
) -> None:
    """Beyond --antal rows the table stops and says how many it left out; the summary
    still counts every uppdrag, and the machine formats are never cut."""
    root = three_meetings(archive)
    env = {"COLUMNS": "220", "NO_COLOR": None}
    result = run("uppdrag", "--rot", str(root), "--alla", "--per", "2020-09-10", "--antal", "2",
                 env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip().splitlines()
    order = [i for line in lines for i in re.findall(r"2020-06-05#\d", line)]
    assert order == ["2020-06-05#1", "2020-06-05#3"]
    assert lines[-2:] == [
        "Visar 2 av 4 uppdrag (de med närmast sista datum). Visa alla med --antal 0, eller "
        "skriv dem till en fil med --format csv.",
        "2 öppna, 1 försenat, 2 avslutade.",
    ]
    every = run("uppdrag", "--rot", str(root), "--alla", "--antal", "0", env=env)
    assert len(re.findall(r"2020-06-05#\d", every.stdout)) == 4
    assert "Visar" not in every.stdout
    assert ids(run, root, "--alla", "--antal", "1") == [
        "2020-06-05#1", "2020-06-05#3", "2020-06-05#4", "2020-06-05#2"
    ]  # fmt: skip


def test_a_negative_antal_is_a_usage_error(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), "--antal", "-1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Fel: --antal måste vara 0 eller mer, inte -1.\n"
        "tips: Skriv t.ex. --antal 50, eller --antal 0 för alla.\n"
    )


def test_table_highlights_overdue_rows(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    env = {"COLUMNS": "220", "FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm-256color"}
    result = run("uppdrag", "--rot", str(root), "--per", "2020-09-10", env=env)
    assert result.exit_code == 0, result.output
    late = next(line for line in result.stdout.splitlines() if "2020-06-05#3" in line)
    on_time = next(line for line in result.stdout.splitlines() if "2020-06-05#2" in line)
    red = "\x1b[31m"
    assert red in late
    assert red not in on_time


def test_table_when_nothing_to_show(archive: Callable[..., Path], run: Run) -> None:
    root = three_meetings(archive)
    result = run("uppdrag", "--rot", str(root), "--forsenade", "--per", "2020-06-06")
    assert result.exit_code == 0
    assert "Inga uppdrag att visa." in result.stdout


def test_summary_uses_swedish_singular_and_plural(archive: Callable[..., Path]) -> None:
    from sikt_cli.render.action_item_formats import summary

    loaded = load_archive(three_meetings(archive))
    items = track(loaded.minutes, loaded.roster).items
    by_id = {a.id: a for a in items}
    assert summary(items, dt.date(2020, 9, 10)) == "2 öppna, 1 försenat, 2 avslutade."
    one = [by_id["2020-06-05#1"], by_id["2020-06-05#2"]]
    assert summary(one, dt.date(2020, 10, 5)) == "1 öppet, 1 försenat, 1 avslutat."
    assert summary([], dt.date(2020, 10, 5)) == "0 öppna, 0 försenade, 0 avslutade."


# --- the real archive -----------------------------------------------------------------------

LATER = """\
---
datum: 2020-09-04
tid: "09:00-11:15"
plats: Teamsmöte
status: utkast
ordforande: mattias-gustafsson
sekreterare: sara-von-seth
narvarande: [annika-andreasson, britt-andersson, hannes-berggren, eva-karlsson,
  ulrika-andersson, anders-vilhelmsson, karina-bronell, ulf-andersson, lisa-bjorling,
  mattias-gustafsson, sara-von-seth, magnus-arvidsson]
franvarande: [Essunga, Götene, Karlsborg]
arenden:
  - nr: 1
    rubrik: Utse sekreterare
  - nr: 2
    rubrik: Uppföljning av uppdrag
kommande:
  - datum: 2020-10-02
    ansvarig: mattias-gustafsson
---

## 1. Utse sekreterare

Sara von Seth

## 2. Uppföljning av uppdrag

- [x] 2020-06-05#3 Klart: temadagen körs digitalt i Teams.
"""


def real_tasks(root: Path) -> list[tuple[int, str]]:
    """(file line, @name) of every task line in the real protokoll, read from the file."""
    lines = (root / "protokoll/2020-06-05.md").read_text("utf-8").splitlines()
    found = []
    for i, line in enumerate(lines, 1):
        m = re.match(r"^- \[ \] @([a-z0-9-]+) ", line)
        if m:
            found.append((i, m.group(1)))
    return found


def test_real_archive_lists_all_seven_on_the_right_member_and_line(
    real_archive: Path, run: Run
) -> None:
    expected = real_tasks(real_archive)
    assert len(expected) == 7
    items = listing(run, real_archive, "--alla", "--per", "2020-06-05")
    assert len(items) == 7
    by_id = {a["id"]: a for a in items}
    for n, (line, name) in enumerate(expected, 1):
        item = by_id[f"2020-06-05#{n}"]
        assert item["file"] == "protokoll/2020-06-05.md"
        assert (item["line"], item["assignees"]) == (line, [name])
        assert item["due"] == "2020-09-04"
        assert item["state"] == "open"
    assert [a["assignees"] for a in items].count(["alla"]) == 1
    assert by_id["2020-06-05#2"]["agenda_item"] == {"nr": 5, "title": "Mediapoolen"}
    assert by_id["2020-06-05#1"]["text"].startswith("Per-Anders får i uppdrag att kontakta")
    assert "www.distanspedagogik.se" in by_id["2020-06-05#1"]["text"]
    assert "](" not in by_id["2020-06-05#1"]["text"]


def hannes(root: Path) -> list[int]:
    """Lines of Hannes's named uppdrag and of the @alla one, read from the real file."""
    return [line for line, name in real_tasks(root) if name in ("hannes-berggren", "alla")]


def test_real_archive_mina_for_hannes(real_archive: Path, run: Run) -> None:
    items = listing(run, real_archive, "--mina", "--jag", "hannes-berggren")
    assert [a["id"] for a in items] == ["2020-06-05#3", "2020-06-05#4", "2020-06-05#6"]
    assert [a["line"] for a in items] == hannes(real_archive)
    assert [a["assignees"] for a in items] == [["hannes-berggren"], ["alla"], ["hannes-berggren"]]


def test_real_archive_later_protokoll_closes_an_uppdrag(real_archive: Path, run: Run) -> None:
    later = real_archive / "protokoll/2020-09-04.md"
    later.write_text(LATER, encoding="utf-8")
    result = run("validera", "--rot", str(real_archive), str(later), "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert not [d for d in json.loads(result.stdout) if d["severity"] == "error"]

    mina = ids(run, real_archive, "--mina", "--jag", "hannes-berggren")
    assert mina == ["2020-06-05#4", "2020-06-05#6"]
    every = {a["id"]: a for a in listing(run, real_archive, "--alla")}
    assert len(every) == 7
    three = every["2020-06-05#3"]
    assert three["state"] == "closed"
    assert three["closed_on"] == "2020-09-04"
    assert three["follow_ups"] == [
        {
            "meeting": "2020-09-04",
            "done": True,
            "comment": "Klart: temadagen körs digitalt i Teams.",
            "file": "protokoll/2020-09-04.md",
            "line": line_of(later, "2020-06-05#3"),
        }
    ]
    shown = run(
        "uppdrag", "--rot", str(real_archive), "visa", "2020-06-05#3", env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0, shown.output
    assert "avslutat 2020-09-04" in shown.stdout
    follow = next(line for line in shown.stdout.splitlines() if "protokoll/2020-09-04.md" in line)
    assert "2020-09-04" in follow
    assert f"protokoll/2020-09-04.md:{line_of(later, '2020-06-05#3')}" in follow
    assert "Klart: temadagen körs digitalt i Teams." in follow


@pytest.mark.usefixtures("clean_git")
def test_real_archive_mina_from_git_email_with_no_other_flag(
    real_archive: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = real_archive / "medlemmar.yaml"
    text = members.read_text("utf-8")
    anchor = "    namn: Hannes Berggren\n"
    assert text.count(anchor) == 1
    members.write_text(
        text.replace(anchor, anchor + "    epost: hannes.berggren@example.org\n"), "utf-8"
    )
    git_repo(real_archive, "hannes.berggren@example.org")
    monkeypatch.chdir(real_archive)
    result = run("uppdrag", "--mina", "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [a["id"] for a in items] == ["2020-06-05#3", "2020-06-05#4", "2020-06-05#6"]
    assert [a["line"] for a in items] == hannes(real_archive)
    # and the plain table too, with no flag at all but --mina
    table = run("uppdrag", "--mina", env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert table.stdout.count("Hannes Berggren") == 2
    assert "Alla" in table.stdout


# --- docs/uppdrag.md matches the code ------------------------------------------------------

DOC = REPO / "docs" / "uppdrag.md"

TYPES: dict[str, type | None] = {
    "sträng": str,
    "heltal": int,
    "sant/falskt": bool,
    "lista": list,
    "objekt": dict,
    "null": None,
}


def _section(heading: str) -> str:
    text = DOC.read_text("utf-8")
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def _documented_rows(heading: str) -> list[tuple[str, str]]:
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|([^|]*)\|", _section(heading), re.M)
    return [(key, kind.strip()) for key, kind in rows]


def _flatten(value: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, v in value.items():
        out.append((prefix + key, v))
        if isinstance(v, dict):
            out += _flatten(v, f"{prefix}{key}.")
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            out += _flatten(v[0], f"{prefix}{key}[].")
    return out


def test_documented_json_keys_match_to_dict(archive: Callable[..., Path]) -> None:
    root = three_meetings(archive)
    loaded = load_archive(root)
    items = track(loaded.minutes, loaded.roster).items
    today = dt.date(2020, 10, 5)
    full = to_dict(items[0], today)  # closed, with agenda item and follow-ups
    assert full["follow_ups"] and full["agenda_item"] and full["closed_on"]
    documented = _documented_rows("## JSON-formatet")
    assert [key for key, _ in documented] == [key for key, _ in _flatten(full)]
    # every documented type holds for every uppdrag, open or closed
    kinds = dict(documented)
    for item in items:
        for key, value in _flatten(to_dict(item, today)):
            allowed = {TYPES[word] for word in re.findall(r"[\w/]+", kinds[key]) if word in TYPES}
            assert allowed, (key, kinds[key])
            assert (None if value is None else type(value)) in allowed, (key, value)


def test_documented_csv_columns_match() -> None:
    assert tuple(key for key, _ in _documented_rows("## CSV-formatet")) == CSV_COLUMNS


def test_doc_names_every_option() -> None:
    text = DOC.read_text("utf-8")
    for option in (
        "--mina",
        "--jag",
        "SIKT_JAG",
        "git config user.email",
        "--medlem",
        "--kommun",
        "--alla",
        "--forsenade",
        "--per",
        "--format",
        "--rot",
        "sikt uppdrag visa",
        "@alla",
        "grupper",
        "senast",
        "📅",
        "SIKT404",
        "SIKT405",
        "SIKT406",
        "SIKT407",
    ):
        assert option in text, option
    for fmt in ("tabell", "json", "csv", "md", "ics", "ics-todo"):
        assert f"--format {fmt}" in text, fmt


def test_uppdrag_warns_when_a_copied_protokoll_kept_the_old_date(
    archive: Callable[..., Path], run: Run
) -> None:
    """Two files with the same datum give the same uppdrag IDs; the list must say so."""
    from helpers import protokoll

    root = archive({"protokoll/2020-06-05.md": protokoll(), "protokoll/2020-07-01.md": protokoll()})
    result = run("uppdrag", "--rot", str(root))
    assert result.exit_code == 0, result.output
    # SIKT113 (name ≠ datum) on the copy, SIKT508 (same datum) on both
    assert "Arkivet har 3 fel" in result.stderr
    assert "sikt validera" in result.stderr
    # neither file's uppdrag is picked: the IDs would be the same
    assert result.stdout.startswith("Inga uppdrag att visa.")
    found = run("validera", "--rot", str(root), "--format", "json")
    codes = sorted((d["file"], d["code"]) for d in json.loads(found.stdout))
    assert codes == [
        ("protokoll/2020-06-05.md", "SIKT508"),
        ("protokoll/2020-07-01.md", "SIKT113"),
        ("protokoll/2020-07-01.md", "SIKT508"),
    ]


@pytest.mark.parametrize("start", ["=", "+", "-"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    archive: Callable[..., Path], run: Run, start: str
) -> None:
    body = f'## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [ ] @bo-ek {start}HYPERLINK("http://x.invalid")\n'
    root = archive({"protokoll/2020-06-05.md": protokoll(body=body)})
    result = run("uppdrag", "--rot", str(root), "--format", "csv", "--per", "2020-06-05")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))
    cell = rows[1][CSV_COLUMNS.index("uppdrag")]
    assert cell == f'\'{start}HYPERLINK("http://x.invalid")'
    assert rows[1][CSV_COLUMNS.index("alder_dagar")] == "0"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_neutralises_every_formula_start(start: str) -> None:
    from sikt_cli.render.csv_writer import safe_cell

    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Boka lokal") == "Boka lokal"
    assert safe_cell(-5) == -5  # a number is not a formula
