"""`sikt importera`: golden source → protokoll pairs, the acceptance checks against the
hand-converted protokoll/2020-06-05.md, and bad input that must end in a Swedish message."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, golden

from sikt_cli.archive.body import FILL_IN, parse_body
from sikt_cli.services.validate import validate

IMPORT = REPO / "tests" / "golden" / "import"
SEED = IMPORT / "sikt-2020-06-05.source.md"
SIX_UPPDRAG = {
    ("per-anders-johansson-ogren", 4),
    ("karina-bronell", 5),
    ("hannes-berggren", 6),
    ("eva-karlsson", 6),
    ("hannes-berggren", 7),
    ("mattias-gustafsson", 8),
}
COMPARED = (
    "narvarande",
    "franvarande",
    "ordforande",
    "sekreterare",
    "beslut",
    "kommande",
    "ej_inplanerat",
)


def build_docx(markdown: str, *, headings: bool) -> bytes:
    """The Markdown's text as a Word document: headings as Word heading styles, or (the way
    many real templates look) as bold paragraphs such as '4. Uppdragsbeskrivning'."""
    import docx

    document = docx.Document()
    for para in re.split(r"\n\s*\n", markdown.strip()):
        lines = para.split("\n")
        m = re.match(r"^(#+)\s+(.*)$", lines[0])
        if m:
            if headings:
                document.add_heading(m.group(2), level=len(m.group(1)))
            else:
                document.add_paragraph().add_run(m.group(2)).bold = True
            continue
        if all(line.startswith("- ") for line in lines):
            for line in lines:
                document.add_paragraph(line[2:], style="List Bullet")
            continue
        if lines[0].startswith("|"):
            rows = [[c.strip() for c in r.strip("|").split("|")] for r in lines if "---" not in r]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        p = document.add_paragraph()
        for i, line in enumerate(lines):
            for j, part in enumerate(re.split(r"\*\*", line.rstrip())):
                if part:
                    p.add_run(part).bold = j % 2 == 1
            if i < len(lines) - 1:
                p.add_run().add_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def copy_of_repo(tmp_path: Path) -> Path:
    """This repo's archive without the June protokoll."""
    root = tmp_path / "sikt"
    root.mkdir()
    for name in ("medlemmar.yaml", "mal.yaml"):
        shutil.copy(REPO / name, root / name)
    (root / "protokoll").mkdir()
    return root


def network(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    for f in ("medlemmar.yaml", "mal.yaml"):
        shutil.copy(IMPORT / name / f, root / f)
    return root


def frontmatter(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def uppdrag(text: str) -> set[tuple[str, int | None]]:
    body = text.split("---\n", 2)[2]
    return {(m.name, t.section) for t in parse_body(body, 1).tasks for m in t.mentions}


def only_honest_warnings(root: Path, rel: str, allowed: set[str]) -> None:
    """No errors, and each warning stands on a FYLL I line or is an allowed code
    (the source's own gaps, e.g. SIKT208 for a municipality it does not mention)."""
    result = validate(root, cache=False)
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    for d in result.diagnostics:
        assert d.severity.value == "warning", d
        assert d.code in allowed or FILL_IN in lines[d.line - 1], d


def imported(root: Path, day: str) -> str:
    return (root / "protokoll" / f"{day}.md").read_text(encoding="utf-8")


def test_the_seed_as_markdown_matches_the_hand_converted_protokoll(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = copy_of_repo(tmp_path)
    res = run("importera", str(SEED), "--datum", "2020-06-05", "--rot", str(root))
    assert res.exit_code == 0, res.output
    _matches_hand_conversion(root)
    golden("import/sikt-2020-06-05.md", imported(root, "2020-06-05"))
    only_honest_warnings(root, "protokoll/2020-06-05.md", {"SIKT208"})
    assert "Källan anger varken närvaro eller frånvaro för: Götene" in res.stdout


def _matches_hand_conversion(root: Path) -> None:
    text = imported(root, "2020-06-05")
    got = frontmatter(text)
    want = frontmatter((REPO / "protokoll" / "2020-06-05.md").read_text(encoding="utf-8"))
    for key in COMPARED:
        assert got[key] == want[key], key
    assert len(got["narvarande"]) == 20
    assert [(a["nr"], a["rubrik"]) for a in got["arenden"]] == [
        (a["nr"], a["rubrik"]) for a in want["arenden"]
    ]
    assert got["status"] == "utkast"
    assert SIX_UPPDRAG <= uppdrag(text)


@pytest.mark.parametrize("headings", [True, False], ids=["rubrikformat", "fetstil"])
def test_the_seed_as_docx_matches_too(
    tmp_path: Path, run: Callable[..., Any], headings: bool
) -> None:
    root = copy_of_repo(tmp_path)
    name = "rubrikformat" if headings else "fetstil"
    source = tmp_path / f"protokoll-{name}.docx"
    source.write_bytes(build_docx(SEED.read_text(encoding="utf-8"), headings=headings))
    res = run("importera", str(source), "--datum", "2020-06-05", "--rot", str(root))
    assert res.exit_code == 0, res.output
    _matches_hand_conversion(root)
    golden(f"import/sikt-2020-06-05-{name}.md", imported(root, "2020-06-05"))
    only_honest_warnings(root, "protokoll/2020-06-05.md", {"SIKT208"})


@pytest.mark.parametrize(
    ("name", "day", "as_docx"),
    [
        ("skolbibliotek", "2021-03-12", False),
        ("skolbibliotek", "2021-03-12", True),
        ("larresurser", "2021-11-19", False),
    ],
    ids=["skolbibliotek-md", "skolbibliotek-docx", "larresurser-md"],
)
def test_invented_networks(
    tmp_path: Path, run: Callable[..., Any], name: str, day: str, as_docx: bool
) -> None:
    root = network(tmp_path, name)
    source = IMPORT / name / "source.md"
    if as_docx:
        source = tmp_path / "protokoll.docx"
        text = (IMPORT / name / "source.md").read_text(encoding="utf-8")
        source.write_bytes(build_docx(text, headings=True))
    res = run("importera", str(source), "--rot", str(root))
    assert res.exit_code == 0, res.output
    text = imported(root, day)
    golden(f"import/{name}/expected{'-docx' if as_docx else ''}.md", text)
    only_honest_warnings(root, f"protokoll/{day}.md", set())


def test_skolbibliotek_keeps_section_numbers_partial_presence_and_att_clauses(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = network(tmp_path, "skolbibliotek")
    run("importera", str(IMPORT / "skolbibliotek" / "source.md"), "--rot", str(root))
    text = imported(root, "2021-03-12")
    fm = frontmatter(text)
    assert fm["franvarande"] == ["birgitta-svensson", "Karlsborg"]
    assert fm["justerare"] == ["leila-nordin"]
    assert "  - jonas-ek   # importerat: ej § 91–97 (ärende 4–10 här)" in text
    assert "  - nr: 1   # importerat: § 88 i källan" in text
    assert fm["beslut"] == [
        {"arende": 4, "text": "Teckna avtal med Elib för 2021."},
        {"arende": 4, "text": "Utvärdera avtalet vid årets sista möte."},
        {"arende": 7, "text": "Budgeten för 2021 fastställs enligt förslaget."},
    ]
    assert "- [ ] @mikael-strand Mikael skickar avtalet till kommunerna senast 2021-03-31." in text
    assert fm["kommande"] == [
        {
            "datum": __import__("datetime").date(2021, 4, 23),
            "ansvarig": "leila-nordin",
            "not": "skickar kallelse",
        }
    ]


def test_larresurser_says_what_it_was_unsure_of(tmp_path: Path, run: Callable[..., Any]) -> None:
    root = network(tmp_path, "larresurser")
    res = run("importera", str(IMPORT / "larresurser" / "source.md"), "--rot", str(root))
    notes = [line for line in res.stdout.splitlines() if line.startswith("source.md:")]
    assert notes[0] == "source.md: 'Sofie Karlson' tolkat som Sofia Karlsson (sofia-karlsson)"
    text = imported(root, "2021-11-19")
    assert (
        "<!-- FYLL I: närvarande utan id: 'Nils Ekström, Uddevalla' ('Nils Ekström' finns "
        "inte i medlemmar.yaml) -->" in text
    )
    assert (
        "FYLL I (uppdrag, ansvarig okänd: 'Anders' kan vara flera närvarande: anders-nyberg, "
        "anders-wik): Anders kollar upp vilka regler som gäller." in text
    )
    assert frontmatter(text)["kommande"][0]["datum"].isoformat() == "2022-01-21"
