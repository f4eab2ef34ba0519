"""`sikt importera` on bad input, folders, --torrkorning, --format json and --nya-medlemmar:
each bad file is a Swedish message, the other files of the run are still imported, and
nothing that exists is overwritten."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import import IMPORT, SEED, build_docx, copy_of_repo, network

from sikt_cli.archive.documents import parse_markdown
from sikt_cli.importers.members_file import append_members
from sikt_cli.importers.people import Person
from sikt_cli.importers.swedish_dates import find_dates, time_range
from sikt_cli.services.validate import validate

LARRESURSER = IMPORT / "larresurser" / "source.md"
FRAGMENTS = [
    "## 1. Öppnande",
    "**2. Ekonomi**",
    "§ 74 Val av justerare",
    "## Närvarande",
    "Anna Ek, Hjo  \nBo Ek, Skara X  \nOkänd Person, Vara ej § 1–3",
    "| Namn | Kommun | Närvaro |\n|---|---|---|\n| Cia Lund | Vara | Anmält förhinder |",
    "Frånvarande: Vara kommun, Okänd",
    "Beslut",
    "- att godkänna: budgeten, [allt] #1",
    "Bo får i uppdrag att ringa senast 31 februari.",
    'Anna skickar "inbjudan" – Bo: ser till {x}.',
    "Nästa möte: 4 mars – Cia kallar",
    "Punkter som inte är inplanerade:",
    '- AI, ML & "data"',
    "Ordförande: Anna Ek",
    "Sekreterare",
    "Bo Ek",
    "Gäster: Någon, [Firma]",
    "<!-- kommentar -->",
    "---",
]


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


BAD = {
    "bilder.docx": (
        _zip({"bild.png": b"\x89PNG"}),
        "bilder.docx är ett zip-arkiv men inget Word-dokument (word/document.xml saknas).",
        "Ange ett Word-dokument (.docx).",
    ),
    "losenord.docx": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "losenord.docx är krypterad (lösenordsskyddad) eller ett gammalt Word-dokument (.doc).",
        "Öppna filen i Word, ta bort lösenordet (Arkiv → Info → Skydda dokument) och spara "
        "som .docx.",
    ),
    "gammalt.doc": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "gammalt.doc är ett gammalt Word-dokument (.doc), som sikt inte läser.",
        "Öppna filen i Word och spara den som Word-dokument (.docx): Arkiv → Spara som.",
    ),
    "tom.md": (b"", "tom.md är tom.", "Ange ett protokoll med innehåll."),
    "trasig.docx": (
        _zip({"[Content_Types].xml": b"<x", "word/document.xml": b"inte xml"}),
        "trasig.docx kan inte läsas som Word-dokument: paketet är skadat.",
        "Öppna filen i Word och spara den på nytt som .docx.",
    ),
    "inga-arenden.md": (
        b"Bara lite text utan rubriker.\n",
        "inga-arenden.md: hittar inga numrerade ärenden ('1. Rubrik', '§ 74 Rubrik').",
        "Kontrollera att ärendena är numrerade rubriker eller stycken; se docs/import.md.",
    ),
}


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("Fel: ", "tips: "))]


def test_each_bad_file_is_a_message_and_the_good_one_is_imported(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = copy_of_repo(tmp_path)
    folder = tmp_path / "gamla"
    folder.mkdir()
    shutil.copy(SEED, folder / "a-seed.md")
    for name, (data, _, _) in BAD.items():
        (folder / name).write_bytes(data)
    res = run("importera", str(folder), "--datum", "2020-06-05", "--rot", str(root))
    assert res.exit_code == 1
    expected = []
    for name, (_, message, hint) in sorted(BAD.items()):
        expected += [f"Fel: {folder / name}: {message}", f"tips: {hint}"]
    assert _errors(res.stderr) == expected
    assert (root / "protokoll" / "2020-06-05.md").is_file()
    assert res.stdout.splitlines()[-2:] == [
        "1 av 7 filer importerade som utkast.",
        "Ångra: ta bort protokoll/2020-06-05.md (filen är inte incheckad).",
    ]


def test_a_broken_package_reaches_python_docx_and_is_a_message() -> None:
    from sikt_cli.importers.docx_reader import docx_blocks
    from sikt_cli.importers.problems import ImportFailed

    with pytest.raises(ImportFailed, match="kan inte läsas som Word-dokument"):
        docx_blocks(BAD["trasig.docx"][0], "trasig.docx")


def test_no_date_and_no_datum(tmp_path: Path, run: Callable[..., Any]) -> None:
    root = network(tmp_path, "larresurser")
    undated = tmp_path / "utan-datum.md"
    text = LARRESURSER.read_text(encoding="utf-8").replace("Datum: 19/11 2021, ", "Tid: ")
    undated.write_text(text, encoding="utf-8")
    res = run("importera", str(undated), str(LARRESURSER), "--rot", str(root))
    assert res.exit_code == 1
    assert _errors(res.stderr) == [
        f"Fel: {undated}: utan-datum.md: hittar inget mötesdatum (med år) i protokollets början.",
        "tips: Ange datumet med --datum ÅÅÅÅ-MM-DD.",
    ]
    assert (root / "protokoll" / "2021-11-19.md").is_file()


def test_a_50_mb_file_is_refused_without_reading_it(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = network(tmp_path, "larresurser")
    big = tmp_path / "stor.docx"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    res = run("importera", str(big), str(LARRESURSER), "--rot", str(root))
    assert res.exit_code == 1
    assert _errors(res.stderr) == [
        f"Fel: {big}: stor.docx är för stor (50 MB; högst 20 MB).",
        "tips: Dela upp filen, eller ta bort inklistrade bilder.",
    ]
    assert (root / "protokoll" / "2021-11-19.md").is_file()


def test_an_existing_protokoll_is_never_overwritten(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = network(tmp_path, "larresurser")
    target = root / "protokoll" / "2021-11-19.md"
    target.parent.mkdir()
    target.write_bytes(b"mitt eget\n")
    res = run("importera", str(LARRESURSER), "--rot", str(root))
    assert res.exit_code == 1
    assert _errors(res.stderr) == [
        f"Fel: {LARRESURSER}: protokoll/2021-11-19.md finns redan och skrivs inte över.",
        "tips: Ta bort eller flytta den befintliga filen, eller ange ett annat --datum.",
    ]
    assert target.read_bytes() == b"mitt eget\n"


def test_two_sources_for_one_day_only_the_first_is_written(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = copy_of_repo(tmp_path)
    docx = tmp_path / "seed.docx"
    docx.write_bytes(build_docx(SEED.read_text(encoding="utf-8"), headings=True))
    res = run("importera", str(SEED), str(docx), "--datum", "2020-06-05", "--rot", str(root))
    assert res.exit_code == 1
    assert _errors(res.stderr)[0] == (
        f"Fel: {docx}: protokoll/2020-06-05.md finns redan och skrivs inte över."
    )
    assert "importerat från sikt-2020-06-05.source.md" in (
        root / "protokoll" / "2020-06-05.md"
    ).read_text(encoding="utf-8")


def test_a_name_in_two_municipalities_is_not_guessed(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = network(tmp_path, "larresurser")
    members = root / "medlemmar.yaml"
    members.write_text(
        members.read_text(encoding="utf-8")
        + "- id: anna-berg\n  namn: Anna Berg\n  kommun: Uddevalla\n"
        + "- id: anna-berg-2\n  namn: Anna Berg\n  kommun: Vänersborg\n",
        encoding="utf-8",
    )
    source = tmp_path / "m.md"
    source.write_text(
        LARRESURSER.read_text(encoding="utf-8").replace("- Nils Ekström, Uddevalla", "- Anna Berg"),
        encoding="utf-8",
    )
    res = run("importera", str(source), "--rot", str(root))
    assert res.exit_code == 0
    assert (
        "m.md: Närvarolistan: 'Anna Berg' finns i flera kommuner: Uddevalla (anna-berg), "
        "Vänersborg (anna-berg-2) (rad 'Anna Berg')" in res.stdout.splitlines()
    )
    text = (root / "protokoll" / "2021-11-19.md").read_text(encoding="utf-8")
    assert "anna-berg" not in text.split("---\n")[1]
    assert "<!-- FYLL I: närvarande utan id: 'Anna Berg' ('Anna Berg' finns i flera" in text


def test_torrkorning_writes_nothing_and_shows_the_text(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = network(tmp_path, "larresurser")
    before = sorted(p.name for p in root.rglob("*"))
    res = run("importera", str(LARRESURSER), "--torrkorning", "--rot", str(root))
    assert res.exit_code == 0
    assert sorted(p.name for p in root.rglob("*")) == before
    assert res.stdout.startswith(
        "--- protokoll/2021-11-19.md (skrivs inte: --torrkorning)\n---\ndatum: 2021-11-19\n"
    )


def test_format_json(tmp_path: Path, run: Callable[..., Any]) -> None:
    root = network(tmp_path, "larresurser")
    res = run("importera", str(LARRESURSER), "--format", "json", "--rot", str(root))
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data == {
        "dry_run": False,
        "files": [
            {
                "source": str(LARRESURSER),
                "target": "protokoll/2021-11-19.md",
                "written": True,
                "error": None,
                "hint": None,
                "counts": {
                    "attendance": {"found": 5, "unsure": 1, "unmapped": 1},
                    "items": {"found": 6, "unsure": 0, "unmapped": 0},
                    "decisions": {"found": 1, "unsure": 0, "unmapped": 0},
                    "uppdrag": {"found": 3, "unsure": 1, "unmapped": 1},
                },
                "notes": [
                    "'Sofie Karlson' tolkat som Sofia Karlsson (sofia-karlsson)",
                    "Närvarolistan: 'Nils Ekström' finns inte i medlemmar.yaml "
                    "(rad 'Nils Ekström, Uddevalla')",
                    "'Anders' kan vara flera närvarande: anders-nyberg, anders-wik",
                    "'Per Svahn' är ingen av de närvarande",
                ],
            }
        ],
        "new_members": [],
        "members_changed": False,
    }


def test_nya_medlemmar_appends_and_the_result_validates(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    root = network(tmp_path, "larresurser")
    before = (root / "medlemmar.yaml").read_bytes()
    res = run("importera", str(LARRESURSER), "--nya-medlemmar", "--rot", str(root))
    assert res.exit_code == 0, res.output
    assert (root / "medlemmar.yaml").read_bytes() == before + (
        "# importerat: föreslagna av sikt importera från source.md\n"
        "- id: nils-ekstrom\n  namn: Nils Ekström\n  kommun: Uddevalla\n"
    ).encode()
    assert (
        "Ny medlem tillagd i medlemmar.yaml: Nils Ekström, Uddevalla (nils-ekstrom) "
        "från source.md" in res.stdout
    )
    text = (root / "protokoll" / "2021-11-19.md").read_text(encoding="utf-8")
    assert "  - nils-ekstrom   # importerat: ny medlem, föreslagen från source.md" in text
    codes = {d.code for d in validate(root, cache=False).diagnostics}
    assert codes == {"SIKT503"}


REPO_STYLE = (
    "natverk:\n  namn: N\nkommuner: [Hjo]\nmedlemmar:\n  - id: a\n    namn: A A\n    kommun: Hjo\n"
)
NEW = [Person("bo-ek", "Bo Ek", "Hjo"), Person("cia-ek", "Cia: Ek", "Hjo")]
BLOCK = (
    "{d}# importerat: föreslagna av sikt importera från k.docx\n"
    "{d}-{g}id: bo-ek\n{k}namn: Bo Ek\n{k}kommun: Hjo\n"
    '{d}-{g}id: cia-ek\n{k}namn: "Cia: Ek"\n{k}kommun: Hjo\n'
)


@pytest.mark.parametrize(
    ("original", "d", "g", "k"),
    [
        (REPO_STYLE, "  ", " ", "    "),
        (REPO_STYLE.replace("  - id", "- id").replace("    ", "  "), "", " ", "  "),
        (
            REPO_STYLE.replace("  - id", "    -   id")
            .replace("    namn", "        namn")
            .replace("    kommun", "        kommun"),
            "    ",
            "   ",
            "        ",
        ),
        (REPO_STYLE + "  # sista kommentaren\n\n", "  ", " ", "    "),
        (
            "# rubrik\nmedlemmar:\n  - id: a   # kommentar\n    namn: A A\n    kommun: Hjo\n",
            "  ",
            " ",
            "    ",
        ),
    ],
    ids=["två-blanksteg", "utan-indrag", "fyra-blanksteg", "kommentar-sist", "kommentarer"],
)
def test_append_members_keeps_every_byte(original: str, d: str, g: str, k: str) -> None:
    block = BLOCK.format(d=d, g=g, k=k)
    assert append_members(original.encode(), NEW, "k.docx") == (original + block).encode()


def test_append_members_keeps_crlf_bom_and_a_missing_last_newline() -> None:
    crlf = REPO_STYLE.replace("\n", "\r\n").encode()
    block = BLOCK.format(d="  ", g=" ", k="    ")
    assert append_members(crlf, NEW, "k.docx") == crlf + block.replace("\n", "\r\n").encode()
    bom = b"\xef\xbb\xbf" + REPO_STYLE.encode()
    assert append_members(bom, NEW, "k.docx") == bom + block.encode()
    cut = REPO_STYLE.rstrip("\n").encode()
    assert append_members(cut, NEW, "k.docx") == cut + b"\n" + block.encode()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "medlemmar: [{id: a, namn: A, kommun: Hjo}]\n",
            "listan 'medlemmar' står i flödesstil ([...])",
        ),
        (
            "medlemmar:\n  - id: a\n    namn: A\n    kommun: Hjo\nkommuner: [Hjo]\n",
            "listan 'medlemmar' är inte det sista i filen",
        ),
        ("natverk: {namn: N}\n", "nyckeln 'medlemmar' saknas"),
        ("medlemmar: [\n", "filen är inte giltig YAML"),
    ],
    ids=["flödesstil", "inte-sist", "saknas", "trasig"],
)
def test_append_members_refuses_what_it_cannot_append_to(text: str, why: str) -> None:
    from sikt_cli.errors import Refused

    with pytest.raises(Refused) as caught:
        append_members(text.encode(), NEW, "k.docx")
    assert caught.value.message == (
        f"medlemmar.yaml: {why}; de föreslagna medlemmarna kan inte läggas till automatiskt."
    )


def test_nya_medlemmar_refused_writes_nothing(tmp_path: Path, run: Callable[..., Any]) -> None:
    root = network(tmp_path, "larresurser")
    members = root / "medlemmar.yaml"
    members.write_text(members.read_text(encoding="utf-8") + "grupper: []\n", encoding="utf-8")
    before = members.read_bytes()
    res = run("importera", str(LARRESURSER), "--nya-medlemmar", "--rot", str(root))
    assert res.exit_code == 1
    assert _errors(res.stderr) == [
        "Fel: medlemmar.yaml: listan 'medlemmar' är inte det sista i filen; de föreslagna "
        "medlemmarna kan inte läggas till automatiskt.",
        "tips: Lägg till dem för hand (se listan ovan), eller kör utan --nya-medlemmar.",
    ]
    assert members.read_bytes() == before
    assert not (root / "protokoll").exists()


@pytest.mark.parametrize(
    ("text", "after", "want"),
    [
        ("Möte 2021-03-12 i Hjo", None, [dt.date(2021, 3, 12)]),
        ("fredag 12 mars 2021", None, [dt.date(2021, 3, 12)]),
        ("12/3 2021", None, [dt.date(2021, 3, 12)]),
        ("4 september – Mattias", dt.date(2020, 6, 5), [dt.date(2020, 9, 4)]),
        ("21 jan.", dt.date(2021, 11, 19), [dt.date(2022, 1, 21)]),
        ("den 4 sept", dt.date(2020, 6, 5), [dt.date(2020, 9, 4)]),
        ("4 september", None, [None]),
        ("31 februari 2021", None, [None]),
        ("Gustav 5 informerade", None, []),
    ],
)
def test_swedish_dates(text: str, after: dt.date | None, want: list[dt.date | None]) -> None:
    assert [f.day for f in find_dates(text, after)] == want


def test_time_ranges() -> None:
    assert time_range("kl. 13.00–15.30")[0] == "13:00-15:30"  # type: ignore[index]
    assert time_range("9:00 till 11:15")[0] == "09:00-11:15"  # type: ignore[index]
    assert time_range("25:00-26:00") is None


def _people() -> Any:
    from sikt_cli.importers.people import People

    return People(
        [
            Person("anna-ek", "Anna Ek", "Hjo"),
            Person("bo-ek", "Bo Ek", "Skara"),
            Person("cia-lund", "Cia Lund", "Vara"),
        ]
    )


def _import(text: bytes, name: str = "m.md") -> Any:
    from sikt_cli.importers.pipeline import Defaults, import_minutes

    return import_minutes(
        name, text, _people(), Defaults(("Hjo", "Skara", "Vara"), "09:00-11:00", "Teams"),
        datum=dt.date(2021, 2, 1),
    )  # fmt: skip


def test_word_numbering_parentheses_and_windows_1252() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Närvarande").runs[0].bold = True
    document.add_paragraph("Anna Ek (Hjo)")
    document.add_paragraph("Bo Ek, Skara")
    for title in ("Mötets öppnande", "Ekonomi"):
        document.add_paragraph(title, style="List Number")
    document.add_paragraph("Bo tar fram en budget senast 1 mars.")
    document.add_paragraph("Mötesordförande: Anna Ek")
    out = io.BytesIO()
    document.save(out)
    result = _import(out.getvalue(), "m.docx")
    assert "narvarande: [anna-ek, bo-ek]" in result.text
    assert "  - nr: 2\n    rubrik: Ekonomi" in result.text
    assert "- [ ] @bo-ek Bo tar fram en budget senast 2021-03-01." in result.text
    assert "ordforande: anna-ek" in result.text
    latin = "**1. Öppnande**\n\nCia Lund skickar minnesanteckningarna.\n".encode("cp1252")
    assert "## 1. Öppnande" in _import(latin).text


def test_a_member_in_another_municipality_than_the_line_says_is_not_guessed() -> None:
    source = "Närvarande:\nAnna Ek, Vara\n\n## 1. Öppnande\n\nText.\n".encode()
    result = _import(source)
    assert result.tally.notes[0].text == (
        "Närvarolistan: 'Anna Ek' står i medlemmar.yaml under Hjo, inte Vara (rad 'Anna Ek, Vara')"
    )
    assert "narvarande:   # FYLL I: ingen närvarolista hittades i källan" in result.text


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00garbage", b"# \n\n## 1.\n", b"1. a\n2. b\n" * 5000, "§ 1 x\n\n|a|\n".encode()],
    ids=["binärt", "tom-rubrik", "lång-lista", "tabell"],
)
def test_odd_input_never_crashes(data: bytes) -> None:
    from sikt_cli.importers.problems import ImportFailed

    try:
        result = _import(data)
    except ImportFailed as exc:
        assert exc.message.startswith("m.md")
    else:
        assert result.text.startswith("---\ndatum: 2021-02-01")


def test_guests_and_a_txt_source() -> None:
    source = (
        "Tid: 2021-02-01 9.00-11.00\n\nNärvarande:\nAnna Ek, Hjo\n\nGäster:\n"
        "Carl-Fredrik Persson, Göliska-IT\n\n1) Öppnande\n\nText.\n"
    ).encode()
    result = _import(source, "anteckningar.txt")
    assert 'gaster: ["Carl-Fredrik Persson, Göliska-IT"]' in result.text.split("\n")
    assert "## 1. Öppnande" in result.text


def test_a_folder_skips_an_archives_own_protokoll(tmp_path: Path) -> None:
    from sikt_cli.services.importera import source_files

    (tmp_path / "medlemmar.yaml").write_text("medlemmar: []\n", encoding="utf-8")
    (tmp_path / "protokoll").mkdir()
    (tmp_path / "protokoll" / "2020-06-05.md").write_text("x", encoding="utf-8")
    (tmp_path / "gamla").mkdir()
    for name in ("a.docx", "b.md", "~$a.docx", ".dold.md", "bild.png"):
        (tmp_path / "gamla" / name).write_bytes(b"x")
    assert [p.name for p in source_files([tmp_path])] == ["a.docx", "b.md"]


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=examples(300), deadline=None)
def test_a_scalar_reads_back_the_same_in_block_and_flow_context(value: str) -> None:
    import yaml

    from sikt_cli.importers.yaml_text import scalar

    assert yaml.safe_load(f"k: {scalar(value)}\n") == {"k": value}
    assert yaml.safe_load(f"k: [{scalar(value)}, {scalar(value)}]\n") == {"k": [value, value]}


@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25))
@settings(max_examples=examples(150), deadline=None)
def test_any_mix_of_minutes_fragments_gives_valid_frontmatter(parts: list[str]) -> None:
    import yaml

    from sikt_cli.importers.problems import ImportFailed

    try:
        result = _import("\n\n".join(parts).encode())
    except ImportFailed:
        return
    data = yaml.safe_load(result.text.split("---\n")[1])
    assert data["datum"] == dt.date(2021, 2, 1)
    loaded = parse_markdown(result.text.encode(), "protokoll/2021-02-01.md")
    assert loaded.diagnostics == []  # sikt's own loader and schema accept it
    assert [a["nr"] for a in data["arenden"]] == list(range(1, len(data["arenden"]) + 1))


def test_a_folder_gets_a_progress_bar_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from sikt_cli.cli.importera import _with_progress

    folder = tmp_path / "gamla"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text("x", encoding="utf-8")
    ticks: list[int] = []

    def run_all(progress: Callable[[Path], None] | None) -> Any:
        assert progress is not None
        for path in sorted(folder.iterdir()):
            progress(path)
            ticks.append(1)
        return "klart"

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert _with_progress(run_all, [folder], show=True) == "klart"
    assert ticks == [1, 1, 1]
    assert _with_progress(lambda p: p, [folder], show=False) is None  # json: no bar


def test_attendance_in_a_two_column_table_and_on_one_line() -> None:
    import docx

    document = docx.Document()
    document.add_heading("Närvarande", level=2)
    table = document.add_table(rows=2, cols=2)
    for r, (namn, kommun) in enumerate([("Anna Ek", "Hjo"), ("Bo Ek", "Skara")]):
        table.cell(r, 0).text, table.cell(r, 1).text = namn, kommun
    document.add_heading("1. Öppnande", level=2)
    out = io.BytesIO()
    document.save(out)
    assert "narvarande: [anna-ek, bo-ek]" in _import(out.getvalue(), "m.docx").text
    line = "**Närvarande:** Anna Ek, Hjo; Cia Lund, Vara\n\n## 1. Öppnande\n".encode()
    assert "narvarande: [anna-ek, cia-lund]" in _import(line).text


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, run: Callable[..., Any]) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    root = network(tmp_path, "larresurser")
    fifo = tmp_path / "ror.md"
    os.mkfifo(fifo)
    res = run("importera", str(fifo), "--rot", str(root))
    assert res.exit_code == 2
    assert _errors(res.stderr) == [
        f"Fel: '{fifo}' är ingen vanlig fil.",
        "tips: Ange protokollfiler eller en katalog.",
    ]


def test_datum_is_only_for_sources_without_a_date(tmp_path: Path, run: Callable[..., Any]) -> None:
    root = network(tmp_path, "larresurser")
    res = run("importera", str(LARRESURSER), "--datum", "2020-01-01", "--rot", str(root))
    assert res.exit_code == 0
    assert [p.name for p in (root / "protokoll").iterdir()] == ["2021-11-19.md"]


def test_present_and_absent_at_once_stays_present() -> None:
    source = "Närvarande:\nAnna Ek, Hjo\n\nFrånvarande: Anna Ek\n\n## 1. Öppnande\n".encode()
    result = _import(source)
    assert "narvarande: [anna-ek]\nfranvarande: []" in result.text
    assert result.tally.notes[0].text == (
        "'Anna Ek' står både som närvarande och frånvarande; behölls som närvarande"
    )


@pytest.mark.parametrize(
    ("line", "namn", "kommun", "present", "note"),
    [
        ("Bo Ek, Skara X", "Bo Ek", "Skara", True, None),
        ("Anna Ek, Hjo (ej § 3–4)", "Anna Ek", "Hjo", True, "ej § 3–4"),
        ("Anna Ek, Hjo – Anmält förhinder", "Anna Ek", "Hjo", False, None),
        ("Cia Lund (Vara kommun)", "Cia Lund", "Vara", True, None),
        ("Svetlana Söderlund, Skara Vuxenutbildning", "Svetlana Söderlund", "Skara", True, None),
        ("Bo Ek, Skara, ordf. § 74–88", "Bo Ek", "Skara", True, "ordf. § 74–88"),
    ],
)
def test_attendance_lines(
    line: str, namn: str, kommun: str, present: bool, note: str | None
) -> None:
    from sikt_cli.importers.attendance import parse_line

    entry = parse_line(line, ("Hjo", "Skara", "Vara"))
    assert entry is not None
    assert (entry.namn, entry.kommun, entry.present, entry.note) == (namn, kommun, present, note)


def test_minutes_of_another_network_are_noticed() -> None:
    from sikt_cli.importers.pipeline import Defaults, import_minutes

    source = "# Fritidsnätverket\n\n## 1. Öppnande\n".encode()
    defaults = Defaults(("Hjo",), None, None, "SIKT-nätverket")
    result = import_minutes("m.md", source, _people(), defaults, datum=dt.date(2021, 2, 1))
    assert "Rubriken 'Fritidsnätverket' liknar inte nätverkets namn 'SIKT-nätverket'" in [
        n.text for n in result.tally.notes
    ]
