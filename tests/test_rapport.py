"""`sikt rapport`: the acceptance on this repo's 2020, the documents read back by real
parsers, the shared period options and the bad input (empty period, errors in a protokoll)."""

from __future__ import annotations

import email
import email.policy
import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import protokoll

Run = Callable[..., Any]
Make = Callable[..., Path]
P2 = "protokoll/2020-09-04.md"
MEDIAPOOLEN = (
    "Avtalet med Mediapoolen ska förlängas ett år (tidsperiod 1 januari – 31 december 2021) "
    "för att omförhandla avtal."
)


def report(run: Run, root: Path, *args: str) -> Any:
    result = run("rapport", *args, "--rot", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_attendance_2020(real_archive: Path, run: Run) -> None:
    data = report(run, real_archive, "narvaro", "--ar", "2020")
    towns = {r["name"]: r["states"] for r in data["municipalities"]}
    assert len(towns) == 15 and data["meetings"] == ["2020-06-05"]
    assert sorted(k for k, s in towns.items() if s == ["present"]) == [
        "Falköping", "Grästorp", "Gullspång", "Hjo", "Lidköping", "Mariestad",
        "Skara", "Skövde", "Tibro", "Tidaholm", "Töreboda", "Vara",
    ]  # fmt: skip
    assert sorted(k for k, s in towns.items() if s == ["absent"]) == ["Essunga", "Karlsborg"]
    assert [k for k, s in towns.items() if s == ["unaccounted"]] == ["Götene"]
    assert data["left_out"] == [] and data["period"] == {
        "from": "2020-01-01",
        "to": "2020-12-31",
        "year": 2020,
    }


def test_attendance_table_in_the_terminal(real_archive: Path, run: Run) -> None:
    result = run("rapport", "narvaro", "--ar", "2020", "--rot", str(real_archive))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Närvaro 2020 (1 möte)"
    assert lines[2:4] == [
        "┃ Kommun    ┃ 06-05 ┃ Närv. ┃ Frånv. ┃ Ej red. ┃",
        "┡━━━━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━┩",
    ]
    assert "│ Götene    │ –     │ 0     │ 0      │ 1       │" in lines
    assert "│ Karlsborg │ F     │ 0     │ 1      │ 0       │" in lines
    assert lines[-1] == "N närvarande, F frånvarande med anmälan, – ej redovisad."
    member = run("rapport", "narvaro", "--per-medlem", "--rot", str(real_archive))
    assert "│ Anna-Karin Gustavsson      │ Skövde    │ N     │ 1     │ 0      │ 0       │" in (
        member.stdout.splitlines()
    )


def test_goals_2020(real_archive: Path, run: Run) -> None:
    data = report(run, real_archive, "mal", "--ar", "2020")
    goals = {g["id"]: g for g in data["goals"]}
    assert [i["title"] for i in goals["mal-1.1"]["items"]] == ["Temadag Office365 och Teams"]
    assert [i["title"] for i in goals["mal-1.2"]["items"]] == ["Mediapoolen"]
    assert [i["title"] for i in goals["mal-3.1"]["items"]] == ["Uppdragsbeskrivning SIKT-nätverket"]
    assert goals["mal-2.1"]["idle"] and goals["mal-3.2"]["idle"]
    assert goals["mal-2.1"]["items"] == goals["mal-3.2"]["items"] == []
    assert goals["mal-1.2"]["decisions"] == [
        {"id": "2020-06-05#b1", "date": "2020-06-05", "text": MEDIAPOOLEN, "state": "gäller"}
    ]
    assert goals["mal-1"]["per_year"] == [
        {"year": 2020, "items": 2, "decisions": 1, "action_items": 4}
    ]
    table = run("rapport", "mal", "--ar", "2020", "--rot", str(real_archive)).stdout
    assert "mal-2.1: inget under 2020\n" in table and "mal-3.2: inget under 2020\n" in table
    assert (
        f"mal-1.2:\n  2020-06-05 ärende 5: Mediapoolen\n  beslut 2020-06-05#b1: {MEDIAPOOLEN}\n"
        in table
    )


def test_uppdrag_2020(real_archive: Path, run: Run) -> None:
    data = report(run, real_archive, "uppdrag", "--ar", "2020")
    assert data["total"] == {"label": "Totalt", "given": 7, "closed": 0, "open": 0, "overdue": 7}
    assert data["as_of"] == "2020-12-31" and data["median_days_to_close"] is None
    assert [(t["label"], t["given"]) for t in data["per_municipality"]] == [
        ("Falköping", 1), ("Lidköping", 1), ("Tibro", 1), ("Tidaholm", 1), ("Vara", 2),
        ("Alla", 1),
    ]  # fmt: skip
    csv = run("rapport", "uppdrag", "--rot", str(real_archive), "-f", "csv").stdout
    assert csv.startswith("\ufeff")  # the one CSV form: BOM, `;` (render/csv_writer.py)
    assert csv[1:].splitlines()[:2] == ["År;Givna;Avslutade;Öppna;Försenade", "2020;7;0;0;7"]


def test_annual_docx(real_archive: Path, run: Run, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "ar.docx"
    result = run("rapport", "ar", "2020", "--format", "docx", "--ut", str(out), "--rot",
                 str(real_archive))  # fmt: skip
    assert result.exit_code == 0 and result.stdout == f"Skrev {out}\n"
    doc = Document(str(out))
    styles = {(p.style.name, p.text) for p in doc.paragraphs}
    assert ("Heading 1", "Närvaro per kommun") in styles
    assert ("Heading 2", "mal-1 Stärkt tillväxt och kompetensförsörjning") in styles
    alts = [e.get("descr") for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert len(alts) == 3 and all(alts)
    assert alts[0].startswith("Närvaro per kommun och möte 2020, rutnät med 15 kommuner")
    attendance = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kommun"
                      and t.rows[0].cells[1].text == "Närvarande")  # fmt: skip
    assert len(attendance.rows) == 16  # the header and 15 municipalities
    assert [c.text for c in attendance.rows[5].cells] == ["Götene", "0", "0", "1"]
    again = run("rapport", "ar", "2020", "-f", "docx", "--ut", str(out), "--rot", str(real_archive))
    assert again.exit_code == 2 and "finns redan och skrivs inte över" in again.stderr


def test_annual_pdf_keeps_swedish_letters(real_archive: Path, run: Run, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "ar.pdf"
    result = run("rapport", "ar", "2020", "-f", "pdf", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for words in ("Verksamhetsberättelse 2020", "Götene", "Töreboda", "Stärkt tillväxt och",
                  "Frånvarande", "Mediapoolen ska förlängas"):  # fmt: skip
        assert words in text, words


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_annual_html_is_self_contained(real_archive: Path, run: Run) -> None:
    result = run("rapport", "ar", "2020", "-f", "html", "--rot", str(real_archive))
    assert result.exit_code == 0
    parser = _Tags()
    parser.feed(result.stdout)
    svgs = [a for t, a in parser.tags if t == "svg"]
    assert len(svgs) == 3 and all(a["role"] == "img" and a["aria-label"] for a in svgs)
    assert not [t for t, _ in parser.tags if t in ("img", "script", "link", "iframe")]
    refs = [v for _, a in parser.tags for k, v in a.items() if k in ("src", "href") and v]
    assert all(v.startswith("#") for v in refs), refs  # xlink:href to ids in the page only
    assert "<h2>Närvaro per kommun</h2>" in result.stdout


def test_annual_md_and_json(real_archive: Path, run: Run) -> None:
    md = run("rapport", "ar", "2020", "--rot", str(real_archive)).stdout
    assert md.startswith("# Verksamhetsberättelse 2020 – SIKT-nätverket\n")
    assert "#### mal-2.1\n\n*Samverka runt metoder/arbetsätt digitalt för elever med stor " in md
    assert "Inget under 2020." in md and "| Götene | 0 | 0 | 1 |" in md
    assert "Inga möten för 2021 är planerade i arkivet ännu." in md
    data = json.loads(run("rapport", "ar", "2020", "-f", "json", "--rot", str(real_archive)).stdout)
    assert sorted(data) == [
        "action_items", "attendance", "goals", "left_out", "meetings", "members", "network",
        "planned_meetings", "year",
    ]  # fmt: skip
    assert data["network"] == {
        "name": "SIKT-nätverket",
        "full_name": "Nätverket för Skaraborgs IKT-strategier",
        "principal": "Utbildning Skaraborg",
    }
    assert data["meetings"] == [
        {"date": "2020-06-05", "time": "09:00-11:15", "place": "Teamsmöte",
         "chair": "Mattias Gustafsson", "members_present": 20, "municipalities_present": 12}
    ]  # fmt: skip
    assert len(data["members"]) == 20 and data["action_items"]["total"]["given"] == 7


def test_annual_mail_to_rapport_till(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "ar.eml"
    result = run("rapport", "ar", "2020", "--mejl", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "utbildning@skaraborg.se"
    assert msg["Subject"] == "Verksamhetsberättelse 2020 – SIKT-nätverket"
    assert msg["X-Unsent"] == "1"
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names == ["verksamhetsberattelse-2020.docx"]
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None and "mal-2.1: inget under 2020" in body.get_content()


def test_annual_mail_refused_with_a_personnummer(archive: Make, run: Run, tmp_path: Path) -> None:
    body = "## 1. Inledning\n\nPersonnummer 19121212-1212.\n\n## 2. Temadag\n\nText.\n"
    root = archive({"protokoll/2020-06-05.md": protokoll(body=body)})
    result = run("rapport", "ar", "2020", "--mejl", "--ut", str(tmp_path / "x.eml"),
                 "--rot", str(root))  # fmt: skip
    assert result.exit_code == 1
    assert "Verksamhetsberättelsen skickas inte: ett personnummer eller samordningsnummer " \
        "står på protokoll/2020-06-05.md:19." in result.stderr  # fmt: skip
    assert not (tmp_path / "x.eml").exists()


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (
            ["ar", "2021"],
            1,
            "Fel: Inga möten hölls under 2021.\n"
            "tips: Arkivet har ett möte: 2020-06-05. Välj en period med möten.\n",
        ),
        (
            ["narvaro", "--ar", "2019"],
            1,
            "Fel: 2019 ligger före det första mötet (2020-06-05): inget att rapportera.\n"
            "tips: Arkivet har ett möte: 2020-06-05.\n",
        ),
        (
            ["narvaro", "--till", "2019-01-01"],
            1,
            "Fel: Inga möten hölls till och med 2019-01-01: det första var 2020-06-05.\n"
            "tips: Arkivet har ett möte: 2020-06-05.\n",
        ),
        (
            ["mal", "--fran", "2020-07-01", "--till", "2020-01-01"],
            2,
            "Fel: --fran 2020-07-01 ligger efter --till 2020-01-01.\n"
            "tips: Byt plats på datumen eller ta bort ett av dem.\n",
        ),
        (
            ["uppdrag", "--fran", "2021-01-01"],
            1,
            "Fel: Inga möten hölls från och med 2021-01-01: det senaste var 2020-06-05.\n"
            "tips: Arkivet har ett möte: 2020-06-05.\n",
        ),
        (
            ["uppdrag", "--ar", "2020", "--till", "2020-12-31"],
            2,
            "Fel: --ar kan inte kombineras med --fran eller --till.\n"
            "tips: Ange antingen ett år (--ar 2020) eller ett datumintervall (--fran/--till).\n",
        ),
        (
            ["ar", "tjugotjugo"],
            2,
            "Fel: ÅR ska vara ett årtal, inte 'tjugotjugo'.\ntips: Till exempel 2020.\n",
        ),
        (
            ["mal", "--ar", "２０２０"],
            2,
            "Fel: --ar ska vara ett årtal, inte '２０２０'.\ntips: Till exempel 2020.\n",
        ),
        (
            ["narvaro", "--ar", "123456789012"],
            2,
            "Fel: Året 123456789012 är orimligt.\n"
            "tips: Ange ett år mellan 1900 och 2999, t.ex. 2020.\n",
        ),
        (
            ["ar", "2020", "-f", "pdf"],
            2,
            "Fel: --format pdf skrivs till en fil.\n"
            "tips: Lägg till --ut, t.ex. --ut verksamhetsberattelse-2020.pdf.\n",
        ),
        (
            ["narvaro", "--diagram", "x.jpg"],
            2,
            "Fel: --diagram x.jpg: filen ska sluta på .svg eller .png.\n"
            "tips: Till exempel närvaro.svg.\n",
        ),
    ],
)
def test_bad_periods(real_archive: Path, run: Run, args: list[str], code: int, stderr: str) -> None:
    result = run("rapport", *args, "--rot", str(real_archive))
    assert (result.exit_code, result.stderr) == (code, stderr)


def test_protokoll_with_errors_is_left_out_and_named(archive: Make, run: Run) -> None:
    broken = protokoll("2020-09-04").replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, bo-ek, okand]")
    root = archive({"protokoll/2020-06-05.md": protokoll(), P2: broken})
    result = run("rapport", "narvaro", "--ar", "2020", "--rot", str(root))
    assert result.exit_code == 0
    assert result.stderr == (
        "Obs: 1 protokoll har fel och räknas inte med: protokoll/2020-09-04.md (2 fel, första: "
        "rad 6: SIKT204 Okänd medlem 'okand' i 'narvarande'.)\n"
        "Rätta felen (sikt validera) så kommer de med i rapporten.\n"
    )
    assert "Närvaro 2020 (1 möte)" in result.stdout
    data = report(run, root, "narvaro", "--ar", "2020")
    assert data["meetings"] == ["2020-06-05"]
    assert data["left_out"] == [
        {
            "file": P2,
            "errors": 2,
            "first_error": "rad 6: SIKT204 Okänd medlem 'okand' i 'narvarande'.",
        }
    ]
    only = run("rapport", "mal", "--fran", "2020-09-01", "--till", "2020-12-31", "--rot", str(root))
    assert only.exit_code == 1
    assert only.stderr == (
        "Fel: Alla protokoll under 2020-09-01–2020-12-31 har fel och kan inte räknas: "
        "protokoll/2020-09-04.md.\ntips: Rätta felen (sikt validera) och kör rapporten igen.\n"
    )


def test_errors_in_medlemmar_refuse(archive: Make, run: Run) -> None:
    from helpers import MEMBERS

    root = archive(members=MEMBERS.replace("kommun: Vara", "kommun: Varberg"))
    result = run("rapport", "narvaro", "--rot", str(root))
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel: Rapporten görs inte: medlemmar.yaml: 1 fel, första på")


def test_withheld_item_is_counted_without_its_text(archive: Make, run: Run) -> None:
    arenden = (
        "arenden:\n  - nr: 1\n    rubrik: Inledning\n  - nr: 2\n    rubrik: Hemlig temadag\n"
        '    mal: [mal-1.1]\n    publiceras: nej\n    skal: "Sekretess"\n'
        "beslut:\n  - arende: 2\n    text: Hemligt beslut\n"
    )
    root = archive({"protokoll/2020-06-05.md": protokoll(arenden=arenden)})
    data = report(run, root, "mal", "--ar", "2020")
    g = next(x for x in data["goals"] if x["id"] == "mal-1.1")
    assert [i["title"] for i in g["items"]] == ["(publiceras inte)"]
    assert [d["text"] for d in g["decisions"]] == ["(publiceras inte)"]
    assert [a["text"] for a in g["action_items"]] == ["(publiceras inte)"]
    md = run("rapport", "ar", "2020", "--rot", str(root)).stdout
    assert "Hemlig" not in md and "Boka lokal" not in md and "(publiceras inte)" in md


def test_diagram_is_written_once(real_archive: Path, run: Run, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from PIL import Image

    svg, png = tmp_path / "n.svg", tmp_path / "m.png"
    result = run("rapport", "narvaro", "--diagram", str(svg), "--rot", str(real_archive))
    assert result.stdout.endswith(f"Skrev diagram: {svg}\n")
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    run("rapport", "mal", "--diagram", str(png), "--rot", str(real_archive))
    assert Image.open(io.BytesIO(png.read_bytes())).format == "PNG"
    again = run("rapport", "narvaro", "--diagram", str(svg), "--rot", str(real_archive))
    assert again.exit_code == 2 and "finns redan och skrivs inte över" in again.stderr


def _two_meetings(archive: Make) -> Path:
    later = protokoll("2020-09-04", body="## 1. Inledning\n\n- [x] 2020-06-05#1 Klart.\n\n"
                      "## 2. Temadag\n\nText.\n")  # fmt: skip
    planned = protokoll("2021-03-05", status="planerat", body="## 1. Inledning\n\n## 2. Temadag\n")
    planned = planned.replace("narvarande: [anna-ek, bo-ek, cia-ek]\n", "")
    return archive(
        {"protokoll/2020-06-05.md": protokoll(), P2: later, "protokoll/2021-03-05.md": planned}
    )


def test_uppdrag_state_is_the_one_at_the_period_end(archive: Make, run: Run) -> None:
    root = _two_meetings(archive)
    year = report(run, root, "uppdrag", "--ar", "2020")
    assert year["total"] == {"label": "Totalt", "given": 1, "closed": 1, "open": 0, "overdue": 0}
    assert year["median_days_to_close"] == 91
    assert year["items"][0]["closed_on"] == "2020-09-04"
    summer = report(run, root, "uppdrag", "--fran", "2020-06-01", "--till", "2020-08-31")
    assert summer["as_of"] == "2020-08-31"
    assert summer["items"][0]["state"] == "overdue" and summer["items"][0]["closed_on"] is None
    assert summer["per_municipality"] == [
        {"label": "Skara", "given": 1, "closed": 0, "open": 0, "overdue": 1}
    ]


def test_next_years_planned_meetings_and_goals_that_lapsed(archive: Make, run: Run) -> None:
    root = _two_meetings(archive)
    data = json.loads(run("rapport", "ar", "2020", "-f", "json", "--rot", str(root)).stdout)
    assert data["planned_meetings"] == [{"date": "2021-03-05", "time": "", "place": ""}]
    assert [m["date"] for m in data["meetings"]] == ["2020-06-05", "2020-09-04"]
    assert [g["id"] for g in data["goals"]["goals"]] == ["mal-1", "mal-1.1", "mal-1.2"]
    md = run("rapport", "ar", "2020", "--rot", str(root)).stdout
    assert "## Planerade möten 2021\n\n| Datum | Tid | Plats |\n|---|---|---|\n" in md
    assert "| fredag 5 mars 2021 |  |  |" in md
    later = run("rapport", "ar", "2021", "--rot", str(root))
    assert later.exit_code == 1  # a planned meeting is not a meeting held
    assert later.stderr.startswith("Fel: Inga möten hölls under 2021.\n")


def test_hostile_names_neither_crash_nor_reach_the_reader_raw(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    from docx import Document
    from helpers import MEMBERS

    members = MEMBERS.replace(
        "kommuner: [Hjo, Skara, Vara]", 'kommuner: [Hjo, Skara, Vara, "$5 \\u202eX"]'
    )
    root = archive(members=members)
    html = run("rapport", "ar", "2020", "-f", "html", "--rot", str(root))
    assert html.exit_code == 0, html.output
    assert "\u202e" not in html.stdout and "$5 \\u202eX" in html.stdout
    out = tmp_path / "ar.docx"
    assert (
        run("rapport", "ar", "2020", "-f", "docx", "--ut", str(out), "--rot", str(root)).exit_code
        == 0
    )
    cells = [c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells]
    assert "$5 \\u202eX" in cells
