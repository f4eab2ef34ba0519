"""The minutes as a finished document (issue 15, deliverables 1 and 2).

Each test names the "Why" it answers: what the June minutes mail showed before (raw
`[ ] @id` and `[x] 2020-06-05#3`, doubled names, no justering, absent municipalities run
into the attendance paragraph, a next meeting without a time, the raw .md attached), read
back through real parsers: the mail through the e-mail package and html.parser, the PDF
through pypdf, the Word file through python-docx.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from helpers import protokoll
from test_mail import Page, html, parse, plain

from sikt_cli.mail.messages import Mail
from sikt_cli.services.minutes_mail import minutes_mail

Run = Callable[..., Any]
Make = Callable[..., Path]
JUNE = dt.date(2020, 6, 5)
SOURCE_SYNTAX = ("[ ]", "[x]", "**", "\\-", "datum:", "---", "<!--", "status:")
MENTION = re.compile(r"(?<![\w.])@[a-z]")  # @member-id; an e-mail address is fine


def _source_syntax(shown: str) -> list[str]:
    return [s for s in SOURCE_SYNTAX if s in shown] + MENTION.findall(shown)


def _june(real_archive: Path, **kw: Any) -> EmailMessage:
    mail: Mail = minutes_mail(real_archive, JUNE, utkast=False, **kw)[0]
    return mail.message


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _visible(msg: EmailMessage) -> str:
    return " ".join("".join(Page(html(msg)).text).split())


def _words(value: str) -> str:
    return " ".join(value.split())


def _attachments(msg: EmailMessage) -> list[tuple[str, str | None]]:
    return [(p.get_content_type(), p.get_filename()) for p in msg.iter_attachments()]


def test_why_no_checkbox_mention_or_markdown_in_the_june_mail(real_archive: Path) -> None:
    """Why: the body repeated every uppdrag as raw `[ ] @per-anders-johansson-ogren …`."""
    msg = _june(real_archive)
    assert _source_syntax(_visible(msg)) == []
    assert _source_syntax(plain(msg)) == []
    (pdf,) = msg.iter_attachments()
    assert _source_syntax(_pdf_text(pdf.get_content())) == []


def test_why_each_uppdrag_names_its_person_once_with_its_due_date(real_archive: Path) -> None:
    """Why: "Per-Anders Johansson Ögren: Per-Anders får i uppdrag …" doubled the name."""
    msg = _june(real_archive)
    page = Page(html(msg))
    items = [t.strip() for t in "".join(page.text).split("\n") if t.strip()]
    first = (
        "Ansvarig: Per-Anders Johansson Ögren — får i uppdrag att kontakta Kristoffer Hedram, "
        "projektledare för www.distanspedagogik.se för att höra om vi kan få ta del av rapport"
        " — senast 2020-09-04 (uppdrag 2020-06-05#1)"
    )
    assert first in _visible(msg) and first in _words(plain(msg))
    lines = [line for line in items if line.startswith("Ansvarig:")]
    assert len(lines) == 14  # seven new uppdrag: in the summary and under their items
    for line in lines:
        name = line.removeprefix("Ansvarig: ").split(" — ")[0]
        first_name = name.split()[0]
        assert line.count(first_name) == 1 or name == "Mattias Gustafsson", line
        assert "— senast 2020-09-04 (uppdrag 2020-06-05#" in line
    assert "Ansvarig: Karina Bronell — undersöker och återkommer med när avtal" in _visible(msg)
    # links in an uppdrag stay links
    assert "http://www.distanspedagogik.se" in page.hrefs()


def test_why_the_june_mail_says_how_it_was_justerat(real_archive: Path) -> None:
    """Why: the mail named no justerare and no justering (June: signed by chair and
    secretary)."""
    msg = _june(real_archive)
    expected = (
        "Justering: Justerat genom underskrift av ordförande Mattias Gustafsson och "
        "sekreterare Sara von Seth."
    )
    assert expected in _words(plain(msg))
    assert expected.replace(": ", "", 1) in _visible(msg)


@pytest.mark.parametrize(
    ("frontmatter", "utkast", "expected"),
    [
        (
            "status: justerat\njusterad: 2020-06-12\njusterare: [cia-ek]\n",
            False,
            "Justering: Justerat 2020-06-12 av Cia Ek.",
        ),
        ("status: utkast\n", True, "Justering: Ej justerat – detta är ett utkast."),
    ],
)
def test_why_justerare_or_draft_is_shown(
    archive: Make, frontmatter: str, utkast: bool, expected: str
) -> None:
    text = protokoll().replace("status: utkast\n", frontmatter)
    root = archive({"protokoll/2020-06-05.md": text})
    mail, _ = minutes_mail(root, JUNE, utkast=utkast)
    assert expected in _words(plain(mail.message))
    assert ("Justerare: Cia Ek" in _words(plain(mail.message))) == (not utkast)


def test_why_absent_municipalities_stand_on_their_own_line(real_archive: Path) -> None:
    """Why: "Frånvarande: Karlsborg, Essunga" ran on in the attendance paragraph."""
    msg = _june(real_archive)
    text = plain(msg)
    assert "\n\nFrånvarande kommuner: Karlsborg, Essunga\n\n" in text
    assert "• Lidköping: Per-Anders Johansson Ögren, Ulrika Andersson, Daniel Backman\n" in text
    assert "<p>Frånvarande kommuner: Karlsborg, Essunga</p>" in re.sub(
        r"<p[^>]*>", "<p>", html(msg)
    )


def test_why_the_next_meeting_has_its_time(real_archive: Path) -> None:
    """Why: the next meeting had no time."""
    expected = (
        "fredag 4 september 2020 kl. 09:00–11:15, Teamsmöte — Mattias Gustafsson skickar inbjudan"
    )
    msg = _june(real_archive)
    (pdf,) = msg.iter_attachments()
    assert expected in _visible(msg) and expected in _words(plain(msg))
    assert expected in _words(_pdf_text(pdf.get_content()))


def test_why_the_attachment_is_the_pdf_not_the_raw_file(real_archive: Path) -> None:
    """Why: the attachment was the raw .md with YAML frontmatter and commented-out lines."""
    msg = _june(real_archive)
    assert _attachments(msg) == [("application/pdf", "protokoll-2020-06-05.pdf")]
    (pdf,) = msg.iter_attachments()
    text = _pdf_text(pdf.get_content())
    assert "Protokoll SIKT-nätverket fredag 5 juni 2020" in text
    assert "# källan" not in text and "ordforande:" not in text
    for word in ("Göteborgsregionen", "Västra Götalandsregionen", "Presentation – laget runt"):
        assert word in _words(text)
    decision = "Beslut: Avtalet med Mediapoolen ska förlängas ett år (tidsperiod 1 januari – 31"
    assert decision in _words(text)


def test_the_md_travels_only_on_request(real_archive: Path) -> None:
    msg = _june(real_archive, bilagor=("pdf", "md"))
    assert _attachments(msg) == [
        ("application/pdf", "protokoll-2020-06-05.pdf"),
        ("text/markdown", "2020-06-05.md"),
    ]
    docx = _june(real_archive, bilagor=("docx",))
    assert _attachments(docx) == [
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "protokoll-2020-06-05.docx",
        )
    ]


def test_an_unknown_attachment_is_a_usage_error(real_archive: Path, run: Run) -> None:
    result = run("protokoll", "mejl", "2020-06-05", "--bilaga", "zip", "--rot", str(real_archive))
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        "Fel: Okänd bilaga 'zip'. tips: Välj --bilaga pdf, --bilaga docx eller --bilaga md "
        "(protokollfilen); flaggan kan upprepas."
    )


FOLLOW_UPS = """\
## 1. Uppföljning av uppdrag

- [x] 2020-06-05#1 Klart: lokalen är bokad.
- [ ] 2020-06-05#2 @cia-ek Skriva inbjudan

## 2. Övrigt

Per\\-Anders har **viktiga** nyheter från @anna-ek. <!-- - [ ] @bo-ek gammal rad -->

<!--
- [ ] @bo-ek bortkommenterat uppdrag
-->
"""


def test_why_follow_ups_read_as_state_and_comment(archive: Make) -> None:
    """Why: follow-ups showed as raw `[x] 2020-06-05#3 …`."""
    june = protokoll(
        status="justerat",
        body="## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n"
        "- [ ] @bo-ek Boka lokal senast 2020-08-01\n- [ ] @cia-ek Skriva inbjudan\n",
    ).replace("status: justerat\n", "status: justerat\njusterad: 2020-06-12\n")
    september = protokoll(
        "2020-09-04",
        body=FOLLOW_UPS,
        arenden="arenden:\n  - nr: 1\n    rubrik: Uppföljning av uppdrag\n"
        "  - nr: 2\n    rubrik: Övrigt\n",
    ).replace("  - datum: 2020-09-04\n", "  - datum: 2020-10-02\n")
    root = archive({"protokoll/2020-06-05.md": june, "protokoll/2020-09-04.md": september})
    mail, _ = minutes_mail(root, dt.date(2020, 9, 4), utkast=True)
    text = plain(mail.message)
    assert "• uppdrag 2020-06-05#1: klart — lokalen är bokad.\n" in text
    assert "• uppdrag 2020-06-05#2: pågår — Cia Ek: Skriva inbjudan\n" in text
    # escapes and emphasis resolved, @id as the name, commented-out lines gone
    assert "\nPer-Anders har viktiga nyheter från Anna Ek.\n" in text
    assert "<strong>viktiga</strong>" in html(mail.message)
    for hidden in ("gammal rad", "bortkommenterat", "[x]", "[ ]"):
        assert hidden not in text and hidden not in _visible(mail.message)
    assert _source_syntax(text) == _source_syntax(_visible(mail.message)) == []


def test_a_recorded_correction_is_shown(archive: Make) -> None:
    text = protokoll(status="justerat").replace(
        "status: justerat\n",
        "status: justerat\njusterad: 2020-06-12\nrattelser:\n  - datum: 2020-06-20\n"
        "    av: bo-ek\n    skal: Felstavat namn\n"
        "    rader: [{rad: 14, fore: 'Text.', efter: 'Text.'}]\n",
    )
    root = archive({"protokoll/2020-06-05.md": text})
    shown = plain(minutes_mail(root, JUNE, utkast=False)[0].message)
    assert "Rättelser efter justeringen\n───────" in shown
    assert "• lördag 20 juni 2020, Bo Ek: Felstavat namn (rad 14)\n" in shown


# --- sikt protokoll pdf ---------------------------------------------------------------------


def test_protokoll_pdf_writes_pdfa_with_swedish_text(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "p.pdf"
    result = run("protokoll", "pdf", "2020-06-05", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Skrev {out} (")
    text = _words(_pdf_text(out.read_bytes()))
    for expected in (
        "Protokoll SIKT-nätverket fredag 5 juni 2020",
        "Tid: 09:00–11:15",
        "Falköping: Svetlana Söderlund, Björn Broberg, Karina Bronell",
        "Justering: Justerat genom underskrift av ordförande Mattias Gustafsson",
    ):
        assert expected in text
    assert _source_syntax(text) == []
    from pypdf import PdfReader

    xmp = PdfReader(out).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "Sara von Seth" in xmp


def test_protokoll_pdf_refuses_to_overwrite_and_proposes_a_free_name(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "p.pdf"
    out.write_bytes(b"mine")
    (tmp_path / "p-2.pdf").write_bytes(b"mine too")
    result = run("protokoll", "pdf", "2020-06-05", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        f"Fel: {out} finns redan och skrivs inte över; inget skrevs. tips: Ange ett ledigt "
        f"namn, t.ex. --ut {(tmp_path / 'p-3.pdf').as_posix()}, eller ta bort den gamla "
        "filen först."
    )
    assert out.read_bytes() == b"mine"


def test_protokoll_pdf_as_word_has_heading_styles(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    import docx

    folder = tmp_path / "diarium"
    folder.mkdir()
    result = run("protokoll", "pdf", "2020-06-05", "--format", "docx", "--ut", str(folder),
                 "--rot", str(real_archive))  # fmt: skip
    assert result.exit_code == 0, result.output
    word = docx.Document(str(folder / "protokoll-2020-06-05.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Närvarande", "1. Utse sekreterare", "2. Introduktion"]
    assert headings[-1] == "Nästa möte"
    assert word.paragraphs[0].style.name == "Title"
    assert word.core_properties.author == "Sara von Seth"


def test_protokoll_pdf_refuses_a_draft_without_utkast(archive: Make, run: Run) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    result = run("protokoll", "pdf", "2020-06-05", "--rot", str(root))
    assert result.exit_code == 1
    assert " ".join(result.stderr.split()) == (
        "Fel: Protokollet har status 'utkast' och är inte justerat. tips: Justera det först "
        "(sikt protokoll justera), eller skriv det som utkast med --utkast."
    )


def test_protokoll_pdf_unknown_format(real_archive: Path, run: Run) -> None:
    result = run("protokoll", "pdf", "2020-06-05", "--format", "odt", "--rot", str(real_archive))
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        "Fel: Okänt format 'odt'. tips: Välj --format pdf eller --format docx."
    )


def test_protokoll_pdf_draft_is_marked(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    out = tmp_path / "u.pdf"
    result = run("protokoll", "pdf", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 0, result.output
    text = _words(_pdf_text(out.read_bytes()))
    assert text.startswith("UTKAST – Protokoll Testnätverket fredag 5 juni 2020")
    assert "Justering: Ej justerat – detta är ett utkast." in text
    assert "Ansvarig: Bo Ek — Boka lokal — senast 2020-08-01 (uppdrag 2020-06-05#1)" in text


def test_the_eml_parses_back(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.eml"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--bilaga", "pdf",
                 "--bilaga", "md", "--rot", str(real_archive))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [name for _, name in _attachments(parse(out))] == [
        "protokoll-2020-06-05.pdf",
        "2020-06-05.md",
    ]
