"""The block model and its writers, read back by real parsers: pypdf for PDF, python-docx
for Word, html.parser for HTML; plain text compared exactly."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from sikt_cli.render import docx_writer, html_writer, pdf_writer, text_writer
from sikt_cli.render.document_blocks import (
    BulletList,
    Document,
    Heading,
    Image,
    KeyValue,
    Metadata,
    PageBreak,
    Paragraph,
    Run,
    Table,
    paragraph,
    safe_link,
    text,
)


def _png() -> bytes:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (40, 20), "steelblue").save(out, "PNG")
    return out.getvalue()


SAMPLE = Document(
    "Protokoll – SIKT-nätverket",
    (
        KeyValue((("Datum", text("fredag 5 juni 2020")), ("Plats", text("Teamsmöte")))),
        Heading(1, "Närvarande"),
        BulletList((text("Skövde: Sara von Seth"), text("Vara: Åsa Öberg"))),
        Heading(2, "5. Mediapoolen"),
        Paragraph((Run("Beslut: ", bold=True), Run("Avtalet förlängs 2021-01-01–2021-12-31…"))),
        Paragraph((Run("Läs mer", link="https://example.se/a"), Run(" <b>&amp;"))),
        Table(("Kommun", "Möten"), (("Skövde", "3"), ("Åmål", "2")), caption="Närvaro"),
        Image(_png(), alt="Stapeldiagram: närvaro per kommun", width_mm=40),
        PageBreak(),
        paragraph("Sista sidan"),
    ),
    metadata=Metadata(author="Sara von Seth", subject="Protokoll", created=dt.datetime(2020, 6, 5)),
)


def test_pdf_text_keeps_swedish_letters_and_dashes() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_writer.to_pdf(SAMPLE)))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 2
    assert "Protokoll – SIKT-nätverket" in pages[0]
    assert "Vara: Åsa Öberg" in pages[0]
    assert "Avtalet förlängs 2021-01-01–2021-12-31…" in pages[0]
    assert "Sida 1 av 2" in pages[0]
    assert "Sista sidan" in pages[1] and "Sida 2 av 2" in pages[1]
    assert "<b>&amp;" in pages[0]  # text, not markup


def test_pdf_is_pdfa_2b_with_language_outline_and_embedded_fonts() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_writer.to_pdf(SAMPLE)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert "/ID" in reader.trailer
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "Protokoll – SIKT-nätverket" in xmp and "Sara von Seth" in xmp
    assert [o.title for o in reader.outline[:1]] == ["Protokoll – SIKT-nätverket"]
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, as PDF/A requires


def test_pdf_sets_emphasis_in_the_oblique_faces() -> None:
    """`*kursiv*` in a body is an italic run: set in DejaVu Sans Oblique (and Bold Oblique
    for both), not upright; only the faces a document uses are embedded."""
    from pypdf import PdfReader

    doc = Document(
        "T",
        (
            Paragraph((Run("rak "), Run("kursiv", italic=True))),
            Paragraph((Run("båda", bold=True, italic=True),)),
        ),
    )
    fonts = PdfReader(io.BytesIO(pdf_writer.to_pdf(doc))).pages[0]["/Resources"]["/Font"]
    names = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()}
    assert names == {
        "DejaVuSansBook",
        "DejaVuSansBold",
        "DejaVuSansOblique",
        "DejaVuSansBoldOblique",
    }
    upright = PdfReader(io.BytesIO(pdf_writer.to_pdf(Document("T", (paragraph("rak"),)))))
    fonts = upright.pages[0]["/Resources"]["/Font"]
    assert "Oblique" not in " ".join(str(f.get_object()["/BaseFont"]) for f in fonts.values())


def test_docx_uses_word_heading_styles_tables_and_alt_text() -> None:
    import docx

    word = docx.Document(io.BytesIO(docx_writer.to_docx(SAMPLE)))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.text]
    assert styled == [
        ("Title", "Protokoll – SIKT-nätverket"),
        ("Normal", "Datum: fredag 5 juni 2020"),
        ("Normal", "Plats: Teamsmöte"),
        ("Heading 1", "Närvarande"),
        ("List Bullet", "Skövde: Sara von Seth"),
        ("List Bullet", "Vara: Åsa Öberg"),
        ("Heading 2", "5. Mediapoolen"),
        ("Normal", "Beslut: Avtalet förlängs 2021-01-01–2021-12-31…"),
        ("Normal", "Läs mer <b>&amp;"),
        ("Caption", "Närvaro"),
        ("Normal", "Sista sidan"),
    ]
    table = word.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Kommun", "Möten"],
        ["Skövde", "3"],
        ["Åmål", "2"],
    ]
    assert [s._inline.docPr.get("descr") for s in word.inline_shapes] == [
        "Stapeldiagram: närvaro per kommun"
    ]
    props = word.core_properties
    assert (props.title, props.author, props.language) == (
        "Protokoll – SIKT-nätverket",
        "Sara von Seth",
        "sv-SE",
    )
    links = [r.target_ref for r in word.part.rels.values() if r.is_external]
    assert links == ["https://example.se/a"]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def test_html_escapes_text_and_keeps_only_safe_links() -> None:
    doc = Document(
        "T <script>",
        (
            Paragraph(
                (
                    Run("x", link="javascript:alert(1)"),
                    Run("y", link="https://e.se/?a=1&b=<2>"),
                    Run("</p><img src=x onerror=alert(1)>"),
                )
            ),
        ),
    )
    parser = _Collect()
    parser.feed(html_writer.to_html_page(doc, style="p{} </style><script>"))
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "img" not in tags
    assert [a for tag, a in parser.tags if tag == "a"] == [{"href": "https://e.se/?a=1&b=<2>"}]
    assert "</p><img src=x onerror=alert(1)>" in "".join(parser.data)
    assert ("html", {"lang": "sv"}) in parser.tags


def test_html_fragment_structure() -> None:
    parser = _Collect()
    parser.feed(html_writer.to_html(SAMPLE))
    tags = [tag for tag, _ in parser.tags]
    assert tags[:2] == ["h1", "table"]
    assert tags.count("h2") == 1 and tags.count("h3") == 1 and tags.count("caption") == 1
    images = [a for tag, a in parser.tags if tag == "img"]
    assert images[0]["alt"] == "Stapeldiagram: närvaro per kommun"
    assert str(images[0]["src"]).startswith("data:image/png;base64,")


def test_plain_text_has_no_markup() -> None:
    assert text_writer.to_text(SAMPLE) == (
        "Protokoll – SIKT-nätverket\n"
        "══════════════════════════\n\n"
        "Datum: fredag 5 juni 2020\n"
        "Plats: Teamsmöte\n\n"
        "Närvarande\n──────────\n\n"
        "• Skövde: Sara von Seth\n• Vara: Åsa Öberg\n\n"
        "5. Mediapoolen\n\n"
        "Beslut: Avtalet förlängs 2021-01-01–2021-12-31…\n\n"
        "Läs mer (https://example.se/a) <b>&amp;\n\n"
        "Närvaro\nKommun  Möten\n──────  ─────\nSkövde  3\nÅmål    2\n\n"
        "Bild: Stapeldiagram: närvaro per kommun\n\n"
        "Sista sidan\n"
    )


def test_plain_text_wraps_list_items_with_hanging_indent() -> None:
    doc = Document("T", (BulletList((text("ord " * 30),)),))
    lines = text_writer.to_text(doc).splitlines()[3:]
    assert lines[0].startswith("• ord") and all(line.startswith("  ord") for line in lines[1:])
    assert max(len(line) for line in lines) <= text_writer.WIDTH


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("https://a.se", "https://a.se"),
        ("mailto:a@b.se", "mailto:a@b.se"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("https://a.se/\nx", None),
        ("file:///etc/passwd", None),
    ],
)
def test_safe_link(link: str, kept: str | None) -> None:
    assert safe_link(link) == kept


def test_block_model_refuses_bad_shapes() -> None:
    with pytest.raises(ValueError, match="heading level must be 1, 2 or 3, not 4"):
        Heading(4, "x")
    with pytest.raises(ValueError, match="table row has 1 cells, header 2"):
        Table(("a", "b"), (("x",),))


def test_help_imports_neither_fpdf_nor_docx() -> None:
    code = (
        "import sys\n"
        "from sikt_cli.cli.app import main\n"
        "sys.argv = ['sikt', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('fpdf', 'docx', 'PIL') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "[]"


# --- Markdown body → blocks ---------------------------------------------------------------


def _blocks(body: str, tasks: dict[int, str] | None = None) -> list[tuple[int | None, object]]:
    from sikt_cli.render.markdown_blocks import body_blocks

    def task_runs(line: int, _runs: tuple[Run, ...]) -> tuple[Run, ...] | None:
        return text(tasks[line]) if tasks and line in tasks else None

    return body_blocks(body, 10, task_runs)


def test_markdown_body_sections_lists_tables_and_leftovers() -> None:
    body = (
        "Före.\n\n## 3. Rubrik *kursiv*\n\n1. ett\n2. två\n   - under\n\n"
        "| A | B |\n|---|---|\n| x \\| y | ![bild](https://t.se/p.png) |\n\n"
        "```\nkod [ ] @x\n```\n\n<div>rå <b>html</b></div>\n\n<!-- gömd -->\n\n"
        "- [ ] ingen ansvarig\n- [x] @bo-ek ersatt\n\n### Under\n\nSlut <!-- gömd --> här.\n"
    )
    assert _blocks(body, {31: "UPPDRAG"}) == [
        (None, paragraph("Före.")),
        (3, Heading(1, "3. Rubrik kursiv")),
        (3, BulletList((text("1. ett"), text("2. två"), text("– under")))),
        (3, Table(("A", "B"), (("x | y", "bild"),))),
        (3, paragraph("kod [ ] @x")),
        (3, paragraph("<div>rå <b>html</b></div>")),
        (3, BulletList((text("ingen ansvarig"), text("UPPDRAG")))),
        (3, Heading(2, "Under")),
        (3, paragraph("Slut här.")),
    ]


def test_markdown_links_keep_only_their_target_and_task_runs_get_links_back() -> None:
    from sikt_cli.render.markdown_blocks import relinked

    ((_, block),) = _blocks("Se [sidan](https://a.se) och <https://b.se>.\n")
    assert block == Paragraph(
        (Run("Se "), Run("sidan", link="https://a.se"), Run(" och "),
         Run("https://b.se", link="https://b.se"), Run("."))
    )  # fmt: skip
    source = (Run("läs "), Run("rapporten", link="https://r.se"))
    assert relinked(text("Ansvarig: Bo — läs rapporten — senast x"), source) == (
        Run("Ansvarig: Bo — läs "),
        Run("rapporten", link="https://r.se"),
        Run(" — senast x"),
    )


def test_pdf_never_breaks_a_link_inside_the_word() -> None:
    from pypdf import PdfReader

    url = "https://mediapoolen.se/om-oss/"
    words = "Mediapoolen har mejlat ut en presentation över utbudet och skapat en film: "
    doc = Document("T", (Paragraph((Run(words), Run(url, link=url))),))
    (page,) = PdfReader(io.BytesIO(pdf_writer.to_pdf(doc))).pages
    assert url in page.extract_text().splitlines()


def test_an_autolink_shows_the_address_as_written() -> None:
    """Why: markdown-it decodes an autolink's text ('%20' → ' ', punycode → Unicode), so the
    text the minutes showed was not the address the link goes to."""
    body = "Se <https://e.se/a%20b> och <https://xn--bcher-kva.example/>.\n"
    assert _blocks(body, {}) == [
        (
            None,
            Paragraph(
                (
                    Run("Se "),
                    Run("https://e.se/a%20b", link="https://e.se/a%20b"),
                    Run(" och "),
                    Run("https://xn--bcher-kva.example/", link="https://xn--bcher-kva.example/"),
                    Run("."),
                )
            ),
        )
    ]
