"""`sikt beslut` and `sikt beslut visa`: the decision log, its filters, formats and superseding."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import protokoll

from sikt_cli.records.decisions import DecisionFilter
from sikt_cli.services.beslut import find_decision, list_decisions

Run = Callable[..., Any]
Make = Callable[..., Path]

MEDIAPOOLEN = (
    "Avtalet med Mediapoolen ska förlängas ett år (tidsperiod 1 januari – 31 december 2021) "
    "för att omförhandla avtal."
)


def test_json_lists_the_mediapoolen_decision(real_archive: Path, run: Run) -> None:
    result = run("beslut", "--rot", str(real_archive), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "id": "2020-06-05#b1",
            "date": "2020-06-05",
            "item": {"nr": 5, "rubrik": "Mediapoolen"},
            "goals": ["mal-1.2"],
            "text": MEDIAPOOLEN,
            "state": "in_force",
            "supersedes": None,
            "superseded_by": None,
            "valid_until": None,
            "file": "protokoll/2020-06-05.md",
            "line": 51,
        }
    ]
    line = (real_archive / "protokoll/2020-06-05.md").read_text().split("\n")[50]
    assert line == "  - arende: 5"


def test_markdown_and_csv(real_archive: Path, run: Run) -> None:
    md = run("beslut", "--rot", str(real_archive), "--format", "md")
    assert md.stdout == (
        f"- **2020-06-05, ärende 5. Mediapoolen** (2020-06-05#b1): {MEDIAPOOLEN}\n"
    )
    csv = run("beslut", "--rot", str(real_archive), "--format", "csv")
    assert csv.stdout == (  # the one CSV form (render/csv_writer.py): BOM, ";"
        "\ufeffid;datum;arende;mal;beslut;status;ersatter;ersatt_av;giltig_till;fil;rad\n"
        f"2020-06-05#b1;2020-06-05;5. Mediapoolen;mal-1.2;{MEDIAPOOLEN};gäller;;;;"
        "protokoll/2020-06-05.md;51\n"
    )


def test_table(real_archive: Path, run: Run) -> None:
    result = run("beslut", "--rot", str(real_archive), env={"COLUMNS": "250"})
    assert result.exit_code == 0
    row = result.stdout.split("\n")[3]
    assert row.split("│")[1:-1] == [
        " 2020-06-05#b1 ",
        " 2020-06-05 ",
        " 5. Mediapoolen (mal-1.2) ",
        f" {MEDIAPOOLEN} ",
        " gäller ",
        " protokoll/2020-06-05.md:51 ",
    ]
    assert result.stdout.endswith("1 beslut.\n")


def test_visa_shows_the_item_text(real_archive: Path, run: Run) -> None:
    result = run("beslut", "--rot", str(real_archive), "visa", "2020-06-05#b1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert lines[0] == "Beslut 2020-06-05#b1"
    assert "Möte:     2020-06-05, ärende 5. Mediapoolen" in lines
    assert "Status:   gäller" in lines
    assert "Källa:    protokoll/2020-06-05.md:51" in lines
    assert "Ärendets text (protokoll/2020-06-05.md:88):" in lines
    assert "   88  ## 5. Mediapoolen" in lines
    assert not any("## 6." in line for line in lines)


def test_unknown_decision(real_archive: Path, run: Run) -> None:
    result = run("beslut", "visa", "2020-06-05#b2", "--rot", str(real_archive))
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Inget beslut har id '2020-06-05#b2'.\n"
        "tips: Menade du '2020-06-05#b1'? Se 'sikt beslut' för alla beslut och deras id.\n"
    )
    result = run("beslut", "visa", "2020-06-05#3", "--rot", str(real_archive))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Fel: Inget beslut har id '2020-06-05#3'.\ntips: Ett besluts id ser ut som 2020-06-05#b1. "
    )


# --- superseding and filters on a built archive ----------------------------------------------

LATER = "protokoll/2021-03-05.md"


def superseded(make: Make, *, extra: str = "") -> Path:
    first = protokoll(
        extra_frontmatter="beslut:\n  - arende: 2\n    text: Temadagen hålls i Skövde.\n"
    )
    second = protokoll(
        "2021-03-05",
        extra_frontmatter=(
            "beslut:\n  - arende: 1\n    text: Mötena hålls i Teams.\n"
            "  - arende: 2\n    text: Temadagen hålls digitalt i Teams.\n"
            "    ersatter: 2020-06-05#b1\n" + extra
        ),
    ).replace("datum: 2020-09-04", "datum: 2021-04-09")
    return make({"protokoll/2020-06-05.md": first, LATER: second})


def test_superseded_decision_is_marked(archive: Make, run: Run) -> None:
    root = superseded(archive)
    result = run("beslut", "--rot", str(root), "--format", "json")
    data = json.loads(result.stdout)
    assert [(d["id"], d["state"], d["supersedes"], d["superseded_by"]) for d in data] == [
        ("2021-03-05#b2", "in_force", "2020-06-05#b1", None),
        ("2021-03-05#b1", "in_force", None, None),
        ("2020-06-05#b1", "superseded", None, "2021-03-05#b2"),
    ]
    md = run("beslut", "--rot", str(root), "--format", "md", "--ar", "2020")
    assert md.stdout == (
        "- **2020-06-05, ärende 2. Temadag** (2020-06-05#b1): ~~Temadagen hålls i Skövde.~~ "
        "*(ersatt av 2021-03-05#b2)*\n"
    )
    table = run("beslut", "--rot", str(root), env={"COLUMNS": "250"})
    assert "│ ersatt av 2021-03-05#b2 │" in table.stdout
    assert table.stdout.endswith("3 beslut, varav 1 ersatta eller upphörda.\n")


def test_visa_shows_the_chain(archive: Make, run: Run) -> None:
    root = superseded(archive)
    old = run("beslut", "visa", "2020-06-05#b1", "--rot", str(root))
    assert old.exit_code == 0, old.output
    lines = old.stdout.split("\n")
    assert "Status:   ersatt av 2021-03-05#b2" in lines
    chain = lines[lines.index("Kedja:") + 1 : lines.index("Kedja:") + 3]
    assert chain == [
        "→ 2020-06-05#b1  ersatt av 2021-03-05#b2  protokoll/2020-06-05.md:16  Temadagen hålls "
        "i Skövde.",
        "  2021-03-05#b2  gäller  protokoll/2021-03-05.md:18  Temadagen hålls digitalt i Teams.",
    ]
    new = run("beslut", "visa", "2021-03-05#b2", "--rot", str(root))
    assert "Ersätter: 2020-06-05#b1" in new.stdout.split("\n")


def test_valid_until_lapses(archive: Make) -> None:
    root = superseded(archive, extra="    giltig_till: 2021-12-31\n")
    before = list_decisions(root, DecisionFilter(), today=dt.date(2021, 12, 31))
    after = list_decisions(root, DecisionFilter(), today=dt.date(2022, 1, 1))
    assert before.decisions[0].state_text(before.today) == "gäller till 2021-12-31"
    assert after.decisions[0].state_text(after.today) == "upphörde 2021-12-31"
    view = find_decision(root, "2021-03-05#b2", today=dt.date(2022, 1, 1))
    assert [d.id for d in view.chain] == ["2020-06-05#b1", "2021-03-05#b2"]


@pytest.mark.parametrize(
    ("flags", "ids"),
    [
        (["--ar", "2021"], ["2021-03-05#b2", "2021-03-05#b1"]),
        (["--fran", "2020-06-06"], ["2021-03-05#b2", "2021-03-05#b1"]),
        (["--till", "2020-06-05"], ["2020-06-05#b1"]),
        (["--mal", "mal-1"], ["2021-03-05#b2", "2020-06-05#b1"]),  # item 2 serves mal-1.1
        (["--mal", "mal-1.1"], ["2021-03-05#b2", "2020-06-05#b1"]),
        (["--text", "temadagens"], ["2021-03-05#b2", "2020-06-05#b1"]),
        (["--text", "teams mötena"], ["2021-03-05#b1"]),
        (["--text", "Skövde", "--ar", "2021"], []),
    ],
)
def test_filters(archive: Make, run: Run, flags: list[str], ids: list[str]) -> None:
    root = superseded(archive)
    result = run("beslut", "--rot", str(root), "--format", "json", *flags)
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in json.loads(result.stdout)] == ids


def test_bad_filters(archive: Make, run: Run) -> None:
    root = superseded(archive)
    result = run("beslut", "--rot", str(root), "--mal", "mal-2")
    assert result.exit_code == 2
    assert (
        result.stderr == "Fel: Målet 'mal-2' finns inte i mal.yaml.\ntips: Menade du 'mal-1.2'?\n"
    )
    result = run("beslut", "--rot", str(root), "--fran", "2021-01-01", "--till", "2020-01-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "Fel: --fran 2021-01-01 ligger efter --till 2020-01-01.\n"
        "tip: Byt plats på datumen eller ta bort ett av dem.\n".replace("tip:", "tips:")
    )
    result = run("beslut", "--rot", str(root), "--fran", "igår")
    assert result.exit_code == 2
    assert result.stderr == (
        "Fel: --fran ska vara ett datum ÅÅÅÅ-MM-DD, inte 'igår'.\ntips: Till exempel 2020-09-04.\n"
    )


# every command that takes a period reads it the same way (cli/common.py's options)
PERIOD_COMMANDS = [["beslut"], ["rapport", "narvaro"], ["rapport", "mal"], ["rapport", "uppdrag"]]
BAD_PERIODS = [
    (["--ar", "tjugo"], "Fel: --ar ska vara ett årtal, inte 'tjugo'.\ntips: Till exempel 2020.\n"),
    (
        ["--ar", "20201"],
        "Fel: Året 20201 är orimligt.\ntips: Ange ett år mellan 1900 och 2999, t.ex. 2020.\n",
    ),
    (
        ["--fran", "2020-13-01"],
        "Fel: --fran ska vara ett datum ÅÅÅÅ-MM-DD, inte '2020-13-01'.\n"
        "tips: Till exempel 2020-09-04.\n",
    ),
    (
        ["--fran", "20200101"],
        "Fel: --fran ska vara ett datum ÅÅÅÅ-MM-DD, inte '20200101'.\n"
        "tips: Till exempel 2020-09-04.\n",
    ),
    (
        ["--till", "2020-W01-1"],
        "Fel: --till ska vara ett datum ÅÅÅÅ-MM-DD, inte '2020-W01-1'.\n"
        "tips: Till exempel 2020-09-04.\n",
    ),
    (
        ["--till", ""],
        "Fel: --till ska vara ett datum ÅÅÅÅ-MM-DD, inte ''.\ntips: Till exempel 2020-09-04.\n",
    ),
    (
        ["--fran", "2021-01-01", "--till", "2020-01-01"],
        "Fel: --fran 2021-01-01 ligger efter --till 2020-01-01.\n"
        "tips: Byt plats på datumen eller ta bort ett av dem.\n",
    ),
    (
        ["--ar", "2020", "--fran", "2020-01-01"],
        "Fel: --ar kan inte kombineras med --fran eller --till.\n"
        "tips: Ange antingen ett år (--ar 2020) eller ett datumintervall (--fran/--till).\n",
    ),
]


@pytest.mark.parametrize("command", PERIOD_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("flags", "stderr"), BAD_PERIODS, ids=lambda v: " ".join(v)[:24])
def test_period_options_say_the_same_everywhere(
    real_archive: Path, run: Run, command: list[str], flags: list[str], stderr: str
) -> None:
    result = run(*command, *flags, "--rot", str(real_archive))
    assert (result.exit_code, result.stderr, result.stdout) == (2, stderr, "")


@pytest.mark.parametrize(("flags", "stderr"), BAD_PERIODS[:2], ids=["ord", "orimligt"])
def test_the_search_reads_its_year_the_same_way(
    real_archive: Path, run: Run, flags: list[str], stderr: str
) -> None:
    result = run("sok", "avtal", *flags, "--rot", str(real_archive))
    assert (result.exit_code, result.stderr, result.stdout) == (2, stderr, "")


def test_empty_log(archive: Make, run: Run) -> None:
    result = run("beslut", "--rot", str(archive()))
    assert (result.exit_code, result.stdout) == (0, "Inga beslut att visa.\n")
    assert run("beslut", "--rot", str(archive()), "-f", "json").stdout == "[]\n"


def test_formula_in_a_decision_is_neutralised_in_csv(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter='beslut:\n  - arende: 2\n    text: "=HYPERLINK(1)"\n')
    root = archive({"protokoll/2020-06-05.md": text})
    rows = run("beslut", "--rot", str(root), "-f", "csv").stdout.split("\n")
    assert rows[1].startswith("2020-06-05#b1;2020-06-05;2. Temadag;mal-1.1;'=HYPERLINK(1);")
