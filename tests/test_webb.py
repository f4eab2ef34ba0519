"""`sikt webb`: the public web archive, read back with real parsers (html.parser, the XML
parser of ElementTree, json), without a browser (tests/test_webb_browser.py has those)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, REPO, git, protokoll, write_tree

from sikt_cli.render.site_render import CSP, CSP_SEARCH

Make = Callable[..., Path]
Run = Callable[..., Any]
P = "protokoll/2020-06-05.md"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def flat(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """Every element with its attributes, the headings in order, and the visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == name]

    @property
    def plain(self) -> str:
        return flat(" ".join(self.text))


def copy_repo_archive(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("medlemmar.yaml", "mal.yaml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "protokoll", root / "protokoll")
    return root


def build(run: Run, root: Path, out: Path, *args: str) -> Any:
    return run("webb", "--ut", str(out), "--rot", str(root), *args)


def read(out: Path, path: str) -> Page:
    return Page((out / path).read_text(encoding="utf-8"))


def everything(out: Path) -> bytes:
    """Every byte of the site, Pagefind's gzipped index and fragments unpacked."""
    parts = []
    for p in sorted(out.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            parts.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    return b"\n".join(parts)


def html_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)


# --- the site of this repo's archive -----------------------------------------------------


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repo's own archive built once, with --url, for the read-only checks below."""
    from typer.testing import CliRunner

    from sikt_cli.cli.app import app

    base = tmp_path_factory.mktemp("webb")
    root = copy_repo_archive(base / "arkiv")
    out = base / "site"
    result = CliRunner().invoke(
        app, ["webb", "--ut", str(out), "--rot", str(root), "--url", "https://e.se/sikt/"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_repo_site_has_every_page(repo_site: Path) -> None:
    for path in (
        "index.html",
        "protokoll/index.html",
        "protokoll/2020-06-05/index.html",
        "beslut/index.html",
        "uppdrag/index.html",
        "mal/index.html",
        "mal/mal-1/index.html",
        "medlemmar/index.html",
        "tillganglighet/index.html",
        "sok/index.html",
        "assets/webb.css",
        "assets/sok.js",
        "pagefind/pagefind.js",
        "atom.xml",
        "sitemap.xml",
        ".sikt-webb.json",
    ):
        assert (repo_site / path).is_file(), path


def test_every_page_is_swedish_accessible_and_has_the_policy(repo_site: Path) -> None:
    for path in html_files(repo_site):
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert text.startswith('<!DOCTYPE html>\n<html lang="sv">'), path
        assert page.headings[0] == 1 and page.headings.count(1) == 1, path
        for a, b in zip(page.headings, page.headings[1:], strict=False):
            assert b <= a + 1, f"{path}: h{a} followed by h{b}"
        policy = [m["content"] for m in page.tags("meta") if m.get("http-equiv")]
        expected = CSP_SEARCH if "sok" in path.parts else CSP
        assert policy == [expected], path
        assert "unsafe-inline" not in expected
        assert page.tags("a")[0] == {"class": "hoppa", "href": "#innehall"}, path
        assert len(page.tags("main")) == 1 and page.tags("main")[0]["id"] == "innehall"
        assert page.tags("nav") and page.tags("header") and page.tags("footer")
        # no inline handler, no inline script, no inline style (a chart's SVG included)
        for _tag, attrs in page.elements:
            assert not [k for k in attrs if k.startswith("on")], (path, attrs)
            assert "style" not in attrs, (path, attrs)
        assert not page.tags("style"), path
        for s in page.tags("script"):
            assert s.get("src", "").endswith("assets/sok.js"), path
        for el in ("link", "script", "img", "iframe"):  # nothing loads from elsewhere
            for a in page.tags(el):
                assert not re.match(r"^(https?:)?//", a.get("href", a.get("src", ""))), a


def test_the_june_protokoll_page_is_read_from_the_model(repo_site: Path) -> None:
    """The page is the minutes every reader gets (render/minutes_document.py), with the
    page's anchors, links and states today."""
    page = read(repo_site, "protokoll/2020-06-05/index.html")
    text = flat("".join(page.text))  # as it reads: no space where an element ends
    assert page.tags("h1") == [{}] and "Protokoll fredag 5 juni 2020 Nätverk" in text
    assert "Hjo: Annika Andreasson" in text and "Frånvarande kommuner: Karlsborg, Essunga" in text
    assert (
        "Ärende 5, Mediapoolen: Avtalet med Mediapoolen ska förlängas ett år (tidsperiod "
        "1 januari – 31 december 2021) för att omförhandla avtal. (2020-06-05#b1, gäller)"
    ) in text
    item = (
        "Ansvarig: Karina Bronell — undersöker och återkommer med när avtal måste sägas upp "
        "om inte ny förlängning ska ske — senast 2020-09-04 (uppdrag 2020-06-05#2, öppet, "
        "skulle vara klart 2020-09-04)"
    )
    assert text.count(item) == 2  # among the new uppdrag, and in the text of item 5
    assert "[ ]" not in text and "@karina-bronell" not in text
    ids = [a["id"] for _t, a in page.elements if "id" in a]
    assert [i for i in ids if i.startswith("arende-")] == [f"arende-{n}" for n in range(1, 9)]
    assert [i for i in ids if i.startswith("uppdrag-")] == [f"uppdrag-{n}" for n in range(1, 8)]
    links = [a["href"] for a in page.tags("a")]
    assert links.count("../../protokoll/2020-06-05/#uppdrag-2") == 2
    assert "#arende-5" in links and "http://www.distanspedagogik.se" in links
    assert "Mattias Gustafsson — 4 september – skickar inbjudan — senast" in text
    head = "Datum fredag 5 juni 2020 Tid 09:00–11:15 Plats Teamsmöte Ordförande Mattias " \
        "Gustafsson Sekreterare Sara von Seth Justering Justerat genom underskrift"  # fmt: skip
    assert head in page.plain
    assert "Nästa möte fredag 4 september 2020 kl. 09:00–11:15, Teamsmöte — Mattias " \
        "Gustafsson skickar inbjudan Ej inplanerat AI Systeminventering (systemkartan.se) " \
        "LIKA" in text  # fmt: skip
    assert "utbildning@skaraborg.se" in text  # the body's address, as text
    assert "Protokollet skickas till" not in text  # rapport_till is an address


def test_a_follow_up_links_to_its_uppdrag_and_closes_it(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    later = JUSTERAT.replace("2020-06-05", "2020-09-04").replace(
        "- [ ] @bo-ek Boka lokal senast 2020-08-01",
        "- [x] 2020-06-05#1 klart, lokalen är bokad",
    )
    root = archive({P: JUSTERAT, "protokoll/2020-09-04.md": later})
    out = tmp_path / "site"
    assert build(run, root, out).exit_code == 0
    page = read(out, "protokoll/2020-09-04/index.html")
    (item,) = [a for t, a in page.elements if t == "li" and a.get("id", "").startswith("upp")]
    assert item == {"id": "uppfoljning-2020-06-05-1"}
    assert "uppdrag 2020-06-05#1: klart — lokalen är bokad" in flat("".join(page.text))
    assert {"href": "../../protokoll/2020-06-05/#uppdrag-1"} in page.tags("a")
    june = read(out, "protokoll/2020-06-05/index.html")
    assert {"href": "../../protokoll/2020-09-04/#uppfoljning-2020-06-05-1"} in june.tags("a")
    assert "(uppdrag 2020-06-05#1, klart 2020-09-04)" in flat("".join(june.text))


def test_no_email_address_or_key_without_the_flag(repo_site: Path) -> None:
    members = read(repo_site, "medlemmar/index.html").plain
    assert "Karina Bronell" in members and "Skövde" in members
    for path in html_files(repo_site):
        page = Page(path.read_text(encoding="utf-8"))
        assert not [a for a in page.tags("a") if a.get("href", "").startswith("mailto:")]


def test_atom_feed_and_sitemap_parse(repo_site: Path) -> None:
    feed = ET.parse(repo_site / "atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "SIKT-nätverket: protokoll och beslut"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Protokoll fredag 5 juni 2020",
        "Beslut 2020-06-05#b1: Mediapoolen",
    ]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links == [
        "https://e.se/sikt/protokoll/2020-06-05/",
        "https://e.se/sikt/beslut/#beslut-2020-06-05-b1",
    ]
    assert all(
        re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", e.findtext(f"{ATOM}id") or "") for e in entries
    )
    urls = [u.findtext(f"{SM}loc") for u in ET.parse(repo_site / "sitemap.xml").getroot()]
    assert "https://e.se/sikt/protokoll/2020-06-05/" in urls
    assert "https://e.se/sikt/" in urls and all(u and u.endswith("/") for u in urls)


def test_accessibility_statement_fills_in_what_it_can(repo_site: Path) -> None:
    page = read(repo_site, "tillganglighet/index.html")
    text = page.plain
    # this repo's medlemmar.yaml knows no contact, compliance, assessment or update date
    assert text.count("FYLL I") == 4
    assert "Utbildning Skaraborg står bakom den här webbplatsen med protokollarkivet för " \
        "Nätverket för Skaraborgs IKT-strategier" in text  # fmt: skip
    assert "Webbplatsen är FYLL I (helt, delvis eller inte förenlig) med lagen" in text
    assert {"href": "https://www.digg.se/tdosanmalan"} in page.tags("a")


def test_accessibility_statement_from_the_network_block(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    block = (
        "  tillganglighet:\n"
        "    kontakt: https://e.se/tillganglighet\n"
        "    forenlighet: delvis\n"
        "    granskad: 2026-11-30\n"
        "    metod: självskattning\n"
        "    brister: [Bilagorna är inskannade PDF-filer utan text.]\n"
        "    uppdaterad: 2026-12-01\n"
    )
    members = MEMBERS.replace("  namn: Testnätverket\n", "  namn: Testnätverket\n" + block)
    members = members.replace(
        "  namn: Testnätverket\n", "  namn: Testnätverket\n  huvudman: Kansliet\n"
    )
    assert block in members
    root = archive({P: JUSTERAT}, members=members)
    assert run("validera", "--rot", str(root)).exit_code == 0
    out = tmp_path / "site"
    assert build(run, root, out).exit_code == 0
    page = read(out, "tillganglighet/index.html")
    text = flat("".join(page.text))
    assert "FYLL I" not in text
    assert "Kansliet står bakom den här webbplatsen" in text
    assert "Webbplatsen är delvis förenlig med lagen" in text
    assert "<li>" not in text and "Bilagorna är inskannade PDF-filer utan text." in text
    assert "hittar en brist: https://e.se/tillganglighet." in text
    assert {"href": "https://e.se/tillganglighet"} in page.tags("a")
    assert "Senaste bedömning: 2026-11-30 (självskattning)." in text
    assert "Redogörelsen uppdaterades senast 2026-12-01." in text


def test_a_wrong_compliance_word_is_named_with_its_line(archive: Make, run: Run) -> None:
    members = MEMBERS.replace(
        "  namn: Testnätverket\n",
        "  namn: Testnätverket\n  tillganglighet:\n    forenlighet: ja\n",
    )
    result = run("validera", "--rot", str(archive({P: JUSTERAT}, members=members)))
    assert result.exit_code == 1
    assert (
        "medlemmar.yaml:4" in result.output
        and "natverk.tillganglighet.forenlighet" in result.output
    )


# --- what may be published ---------------------------------------------------------------

JUSTERAT = protokoll(status="justerat").replace(
    "status: justerat\n", "status: justerat\njusterad: 2020-06-12\n"
)


def test_drafts_only_with_utkast(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: protokoll(status="utkast")})
    out = tmp_path / "a"
    assert build(run, root, out).exit_code == 0
    assert not (out / "protokoll/2020-06-05").exists()
    assert "Inga protokoll är publicerade ännu." in read(out, "protokoll/index.html").plain
    out2 = tmp_path / "b"
    assert build(run, root, out2, "--utkast").exit_code == 0
    page = read(out2, "protokoll/2020-06-05/index.html").plain
    assert "UTKAST – Protokoll fredag 5 juni 2020" in page
    assert "Justering Ej justerat – detta är ett utkast." in page


def test_withheld_item_and_protokoll_leave_only_their_notes(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    secret = JUSTERAT.replace(
        "    rubrik: Temadag\n",
        "    rubrik: Temadag\n    publiceras: nej\n    skal: Upphandling pågår\n",
    )
    whole = JUSTERAT.replace("2020-06-05", "2020-09-04").replace(
        "justerad: 2020-06-12\n", "justerad: 2020-09-10\npubliceras: nej\nskal: Sekretess\n"
    )
    root = archive({P: secret, "protokoll/2020-09-04.md": whole})
    out = tmp_path / "site"
    result = build(run, root, out)
    assert result.exit_code == 0, result.output
    page = read(out, "protokoll/2020-06-05/index.html").plain
    assert "Ärende 2 publiceras inte: Upphandling pågår" in page
    assert "Boka lokal" not in page and "Temadag" not in page
    assert not (out / "protokoll/2020-09-04").exists()
    listing = read(out, "protokoll/index.html").plain
    assert "2020-09-04: Protokollet publiceras inte: Sekretess" in listing
    assert b"Boka lokal" not in everything(out)
    assert b"Inledning" in everything(out)  # the index is read: the control


def test_an_uppdrag_after_a_withheld_item_keeps_its_anchor(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    """A withheld item keeps its lines in the published body: later lines are still found."""
    secret = JUSTERAT.replace(
        "    rubrik: Inledning\n", "    rubrik: Inledning\n    publiceras: nej\n    skal: OSL\n"
    ).replace("Text.\n", "Hemligt.\n\nMer hemligt.\n\nÄnnu mer.\n")
    root = archive({P: secret})
    out = tmp_path / "site"
    assert build(run, root, out).exit_code == 0
    page = read(out, "protokoll/2020-06-05/index.html")
    assert "Ärende 1 publiceras inte: OSL" in page.plain and "emligt" not in page.plain
    assert {"id": "uppdrag-1"} in page.tags("li")
    assert "Ansvarig: Bo Ek — Boka lokal — senast 2020-08-01" in page.plain


def test_email_addresses_only_with_med_epost_and_never_keys(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    # a throwaway public key
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK8Pt3bBB6+3nszVUkJxJZF8YEQXxuqmz9xsc3QVsRKW"
    members = MEMBERS.replace(
        "    roller: [ordforande]\n", f"    roller: [ordforande]\n    nyckel: {key}\n"
    )
    root = archive({P: JUSTERAT}, members=members)
    out = tmp_path / "a"
    assert build(run, root, out).exit_code == 0, "built"
    assert b"anna.ek@example.se" not in everything(out)
    assert key.split()[1].encode() not in everything(out)
    out2 = tmp_path / "b"
    assert build(run, root, out2, "--med-epost").exit_code == 0
    assert "Anna Ek Hjo ordförande anna.ek@example.se" in read(out2, "medlemmar/index.html").plain
    assert key.split()[1].encode() not in everything(out2)


def test_a_members_address_in_the_text_becomes_the_name_without_med_epost(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    """A member's address written in the body, a decision or an uppdrag (SIKT604 leaves it:
    the minutes go to the members) is not published: each becomes the member's name, in
    the page, the search index and the feed. A principal's address stays as written."""
    decision = "beslut:\n  - arende: 2\n    text: Anmälan till anna.ek@example.se.\n"
    text = (
        JUSTERAT.replace(
            "Text.\n", "Frågor till Anna.Ek@example.se eller till rapport@example.se.\n"
        )
        .replace("Boka lokal senast", "Boka lokal, svar till anna.ek@example.se, senast")
        .replace("kommande:", decision + "kommande:", 1)
    )
    root = archive({P: text})
    assert run("validera", "--rot", str(root)).exit_code == 0
    out = tmp_path / "a"
    assert build(run, root, out).exit_code == 0
    site = everything(out)
    assert b"anna.ek@example.se" not in site.lower()
    page = flat(read(out, "protokoll/2020-06-05/index.html").plain)
    assert "Frågor till Anna Ek eller till rapport@example.se." in page
    assert "Anmälan till Anna Ek." in page
    assert "Boka lokal, svar till Anna Ek —" in page
    assert b"rapport@example.se" in site
    out2 = tmp_path / "b"
    assert build(run, root, out2, "--med-epost").exit_code == 0
    page = flat(read(out2, "protokoll/2020-06-05/index.html").plain)
    assert "Frågor till Anna.Ek@example.se eller" in page


HOSTILE = """\
## 1. Inledning

<script>alert("skript")</script>

En bild <img src=x onerror="alert('bild')"> och [x](javascript:alert('lank')) och
[y](JAVA\tSCRIPT:alert(2)) och [z](data:text/html,<b>hej</b>) och ![b](https://spion.example/p.png).

<iframe src="https://spion.example/"></iframe>

## 2. Temadag

- [ ] @bo-ek Boka lokal senast 2020-08-01
"""


def test_hostile_body_does_not_survive(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: protokoll(status="justerat", body=HOSTILE).replace(
        "status: justerat\n", "status: justerat\njusterad: 2020-06-12\n")})  # fmt: skip
    out = tmp_path / "site"
    assert build(run, root, out).exit_code == 0
    page = read(out, "protokoll/2020-06-05/index.html")
    assert page.tags("script") == [] and page.tags("iframe") == [] and page.tags("img") == []
    hrefs = [a.get("href", "") for a in page.tags("a")]
    assert not [h for h in hrefs if re.match(r"(?i)\s*(java|data|vb)", re.sub(r"\s", "", h))]
    assert not [h for h in hrefs if "spion" in h]
    assert not [a for _t, a in page.elements if any(k.startswith("on") for k in a)]
    assert '<script>alert("skript")</script>' in page.plain  # shown as the text it is
    assert "och b." in page.plain  # an image is its alt text


# --- the personal-data guard ---------------------------------------------------------------

NUMBER = JUSTERAT.replace("Text.\n", "Anmälan från Anna Ek, 19121212-1212.\n")


def test_personnummer_refuses_and_writes_nothing_then_maskera(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    root = archive({P: NUMBER})
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "Anna.Ek@example.se")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "justerat")
    out = tmp_path / "site"
    refused = build(run, root, out)
    assert refused.exit_code == 1
    assert f"{P}:20:23: SIKT601 fel" in refused.stdout
    assert flat(refused.stderr) == flat(
        f"Fel: Webbplatsen publiceras inte: ett personnummer eller samordningsnummer står på "
        f'{P}:20. tips: Maskera numret: sikt protokoll maskera 2020-06-05 20 --skal "…". '
        "I ett utkast kan du också ta bort det. Det går inte att publicera ändå."
    )
    assert not out.exists()
    masked = run(
        "protokoll", "maskera", "2020-06-05", "20", "--skal", "Personnummer", "--rot", str(root)
    )
    assert masked.exit_code == 0, masked.output
    built = build(run, root, out)
    assert built.exit_code == 0, built.output
    page = read(out, "protokoll/2020-06-05/index.html").plain
    assert "Anmälan från Anna Ek, [maskerat]." in page
    assert b"19121212" not in everything(out)


# --- where it writes -------------------------------------------------------------------------


def test_refuses_a_folder_with_other_files(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: JUSTERAT})
    out = write_tree(tmp_path / "mina", {"viktig.txt": "min fil"})
    result = build(run, root, out)
    assert result.exit_code == 1
    assert flat(result.stderr) == flat(
        f"Fel: {out} innehåller redan filer (viktig.txt) och är ingen webbplats från sikt "
        "webb; inget skrevs. tips: Ange en ny eller tom katalog med --ut, eller en som sikt "
        "webb byggt förut."
    )
    assert sorted(p.name for p in out.iterdir()) == ["viktig.txt"]


def test_rebuild_replaces_only_its_own_files(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: JUSTERAT})
    out = tmp_path / "site"
    assert build(run, root, out).exit_code == 0
    book = json.loads((out / ".sikt-webb.json").read_text(encoding="utf-8"))
    assert book["generator"] == "sikt webb" and "protokoll/2020-06-05/index.html" in book["files"]
    again = build(run, root, out)
    assert again.exit_code == 0
    assert "0 filer skrivna, 0 borttagna från förra bygget." in flat(again.stdout)
    (root / P).write_text(
        JUSTERAT.replace(
            "justerad: 2020-06-12\n", "justerad: 2020-06-12\npubliceras: nej\nskal: Fel\n"
        ),
        encoding="utf-8",
    )
    third = build(run, root, out)
    assert third.exit_code == 0, third.output
    assert not (out / "protokoll/2020-06-05").exists()
    write_tree(out, {"egen.html": "<p>min</p>"})
    foreign = build(run, root, out)
    assert foreign.exit_code == 1
    assert "innehåller 1 filer som sikt webb inte skrivit (t.ex. egen.html)" in flat(foreign.stderr)
    (out / "egen.html").unlink()
    (out / "index.html").write_text("ändrad", encoding="utf-8")
    changed = build(run, root, out)
    assert changed.exit_code == 1
    assert f"{out / 'index.html'} har ändrats sedan sikt webb skrev den; inget skrevs." in flat(
        changed.stderr
    )
    assert (out / "index.html").read_text(encoding="utf-8") == "ändrad"


def test_without_pagefind_the_site_has_no_search(
    archive: Make, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "saknas" / "pagefind"))
    root = archive({P: JUSTERAT})
    out = tmp_path / "site"
    result = build(run, root, out)
    assert result.exit_code == 0, result.output
    assert flat(result.stderr).startswith(
        "Varning: Sökindexet kunde inte byggas (pagefind avslutade med kod 1:"
    )
    assert "webbplatsen byggdes utan sökning." in flat(result.stderr)
    assert not (out / "pagefind").exists()
    page = read(out, "sok/index.html")
    assert page.tags("script") == []
    assert (
        "Sökningen finns inte på den här webbplatsen: sökindexet kunde inte byggas." in page.plain
    )


def test_bad_url_is_a_usage_error(archive: Make, run: Run, tmp_path: Path) -> None:
    result = build(run, archive({P: JUSTERAT}), tmp_path / "s", "--url", "javascript:x")
    assert result.exit_code == 2
    assert flat(result.stderr) == flat(
        "Fel: --url 'javascript:x' är inte en webbadress. tips: Ange webbplatsens adress, t.ex. "
        "--url https://natverket.github.io/protokoll/."
    )
    assert not (tmp_path / "s").exists()


# --- publishing: the workflows --------------------------------------------------------------


def _workflow(text: str) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    if True in data:  # PyYAML (YAML 1.1) reads the key `on` as True
        data["on"] = data.pop(True)
    return data


def check_pages_workflow(text: str, install: str) -> None:
    """Builds on push to main only, validates before it builds, publishes only the site
    with the narrowest token, and no `${{ }}` inside a run script."""
    assert "pull_request" not in text
    wf = _workflow(text)
    assert set(wf["on"]) == {"push", "workflow_dispatch"}
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert wf["permissions"] == {"contents": "read"}
    build_job, deploy = wf["jobs"]["bygg"], wf["jobs"]["publicera"]
    assert "permissions" not in build_job
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "bygg"
    assert [s.get("uses") for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    steps = build_job["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [
        f"python -m pip install -q {install}",
        "sikt validera",
        'sikt webb --ut _site --url "$ADRESS/"',
    ]
    assert all("${{" not in r for r in runs)
    webb_step = next(s for s in steps if s.get("run", "").startswith("sikt webb"))
    assert webb_step["env"] == {"ADRESS": "${{ steps.pages.outputs.base_url }}"}
    upload = next(s for s in steps if "upload-pages-artifact" in str(s.get("uses", "")))
    assert upload["with"] == {"path": "_site"}  # only the built site is published


def test_repo_pages_workflow() -> None:
    text = (REPO / ".github" / "workflows" / "webb.yml").read_text(encoding="utf-8")
    check_pages_workflow(text, ".")


def test_init_webb_writes_the_pages_workflow(run: Run, tmp_path: Path) -> None:
    from helpers import PINNED_SPEC

    target = tmp_path / "nytt"
    result = run(
        "init", str(target), "--namn", "Testnätverket", "--webb", "--installera", PINNED_SPEC
    )
    assert result.exit_code == 0, result.output
    assert "Skapade nytt/.github/workflows/webb.yml" in result.stdout.replace(
        str(tmp_path) + "/", ""
    )
    text = (target / ".github/workflows/webb.yml").read_text(encoding="utf-8")
    check_pages_workflow(text, f"'{PINNED_SPEC}'")
    without = tmp_path / "utan"
    assert run("init", str(without), "--namn", "T", "--installera", PINNED_SPEC).exit_code == 0
    assert not (without / ".github/workflows/webb.yml").exists()


def test_init_webb_gitlab_appends_the_pages_job(run: Run, tmp_path: Path) -> None:
    from helpers import PINNED_SPEC

    target = tmp_path / "nytt"
    args = ("--namn", "T", "--gitlab", "--webb", "--installera", PINNED_SPEC)
    assert run("init", str(target), *args).exit_code == 0
    ci = _workflow((target / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert set(ci) == {"validera-protokoll", "pages"}
    pages = ci["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["script"] == [
        f"python -m pip install -q '{PINNED_SPEC}'",
        "sikt validera",
        'sikt webb --ut public --url "$CI_PAGES_URL/"',
    ]
    assert pages["artifacts"] == {"paths": ["public"]}
    assert not (target / ".github").exists()


def test_an_unchanged_archive_gives_the_same_site_from_the_cache(
    archive: Make, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikt_cli.services import webb_search

    root = archive({P: JUSTERAT})
    assert build(run, root, tmp_path / "a").exit_code == 0

    def no_rebuild(*args: object, **kwargs: object) -> object:
        raise AssertionError("the site was rebuilt although nothing changed")

    with monkeypatch.context() as m:
        m.setattr(webb_search, "with_search", no_rebuild)
        assert build(run, root, tmp_path / "b").exit_code == 0
    first = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert first == second
    (root / P).write_text(JUSTERAT.replace("Text.", "Ny text."), encoding="utf-8")
    assert build(run, root, tmp_path / "c").exit_code == 0  # changed: built again
    assert "Ny text." in read(tmp_path / "c", "protokoll/2020-06-05/index.html").plain


# --- a large site: the protokoll pages on every core ----------------------------------------


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pages_rendered_by_worker_processes_are_the_same_bytes(
    archive: Make, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """fork on Linux; spawn (the site pickled to each worker) on macOS and Windows."""
    import multiprocessing
    import os

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} finns inte på den här plattformen")

    from sikt_cli.render import site_pool

    days = ("2020-05-04", "2020-05-11", "2020-05-18", "2020-06-05")
    root = archive(
        {f"protokoll/{d}.md": JUSTERAT.replace("2020-06-05", d).replace("Text.", d) for d in days}
    )
    assert build(run, root, tmp_path / "en", "--url", "https://e.se/").exit_code == 0
    pools: list[int] = []
    real = site_pool.Pool.__init__

    def counted(self: Any, data: Any, workers: int, chunk: Any, todo: list[int]) -> None:
        pools.append(workers)
        real(self, data, workers, chunk, todo)

    for name in ("webb-sajt.bin", "webb-sidor.bin"):  # rendered again, not from the cache
        (root / ".sikt-cache" / name).unlink()
    with monkeypatch.context() as m:
        m.setattr(site_pool, "PARALLEL_FROM", 1)
        m.setattr(os, "cpu_count", lambda: 2)
        m.setattr(site_pool.Pool, "__init__", counted)
        m.setattr(site_pool, "_context", lambda: multiprocessing.get_context(method))
        assert build(run, root, tmp_path / "flera", "--url", "https://e.se/").exit_code == 0
    assert pools == [2]
    one, many = _tree(tmp_path / "en"), _tree(tmp_path / "flera")
    assert sorted(one) == sorted(many)
    assert [p for p in one if one[p] != many[p]] == []
    assert len([p for p in one if p.startswith("protokoll/2")]) >= 4


def test_a_refusal_after_the_pages_are_staged_leaves_nothing_behind(
    archive: Make, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last check of the finished pages runs while a new site's private folder exists
    (the pages are written there for Pagefind): a refusal then removes it."""
    from sikt_cli.errors import Refused
    from sikt_cli.services import webb

    def late(files: dict[str, bytes]) -> None:
        assert "protokoll/2020-06-05/index.html" in files
        raise Refused("Sent stopp.", "Inget skrevs.")

    monkeypatch.setattr(webb, "_refuse_numbers_in_pages", late)
    root = archive({P: JUSTERAT})
    (tmp_path / "ut").mkdir()
    result = build(run, root, tmp_path / "ut" / "site")
    assert result.exit_code == 1
    assert flat(result.stderr) == "Fel: Sent stopp. tips: Inget skrevs."
    assert list((tmp_path / "ut").iterdir()) == []


def test_goal_charts_come_from_the_cache_when_their_counts_are_the_same(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikt_cli.render import charts

    root = copy_repo_archive(tmp_path / "arkiv")
    assert build(run, root, tmp_path / "a").exit_code == 0
    assert read(tmp_path / "a", "mal/mal-1/index.html").tags("svg")
    drawn: list[str] = []
    real = charts.goal_chart

    def counted(*args: Any, **kwargs: Any) -> Any:
        drawn.append(str(kwargs["title"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "goal_chart", counted)
    (root / ".sikt-cache" / "webb-sajt.bin").unlink()  # every page rendered again
    assert build(run, root, tmp_path / "b").exit_code == 0
    assert drawn == []
    assert everything(tmp_path / "a") == everything(tmp_path / "b")
    for name in ("webb-sajt.bin", "webb-diagram.bin"):  # without the charts' entry: drawn
        (root / ".sikt-cache" / name).unlink()
    assert build(run, root, tmp_path / "c").exit_code == 0
    assert "Ärenden, beslut och uppdrag under mal-1" in drawn
    assert everything(tmp_path / "a") == everything(tmp_path / "c")


def with_contact(kontakt: str, members: str = MEMBERS) -> str:
    """medlemmar.yaml with `natverk.tillganglighet.kontakt` (a YAML scalar as written)."""
    old = "  namn: Testnätverket\n"
    assert old in members
    return members.replace(old, f"{old}  tillganglighet:\n    kontakt: {kontakt}\n")


def build_statement(archive: Make, run: Run, out: Path, members: str, text: str = JUSTERAT) -> Any:
    """The accessibility statement of a site built from one protokoll and `members`."""
    root = archive({P: text}, members=members)
    assert run("validera", "--rot", str(root)).exit_code == 0
    assert build(run, root, out).exit_code == 0
    return read(out, "tillganglighet/index.html")


def test_the_statements_contact_is_a_mail_link_and_published_even_if_a_members(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    """`kontakt` is written to be published: a member's address there is not hidden by the
    guard for members' addresses (it stays hidden for other members), and it is a link."""
    members = with_contact("Anna.Ek@example.se").replace(
        "    kommun: Skara\n", "    kommun: Skara\n    epost: bo.ek@example.se\n"
    )
    text = JUSTERAT.replace("Text.\n", "Frågor till anna.ek@example.se eller bo.ek@example.se.\n")
    out = tmp_path / "site"
    page = build_statement(archive, run, out, members, text)
    assert "hittar en brist: Anna.Ek@example.se." in flat("".join(page.text))
    assert {"href": "mailto:Anna.Ek@example.se"} in page.tags("a")
    minutes = flat(read(out, "protokoll/2020-06-05/index.html").plain)
    assert "Frågor till anna.ek@example.se eller Bo Ek." in minutes
    assert b"bo.ek@example.se" not in everything(out)


def test_a_telephone_contact_is_text_not_a_link(archive: Make, run: Run, tmp_path: Path) -> None:
    page = build_statement(archive, run, tmp_path / "site", with_contact('"0500-49 50 00"'))
    assert "hittar en brist: 0500-49 50 00." in flat("".join(page.text))
    assert not [a for a in page.tags("a") if "0500" in a.get("href", "")]


def test_the_contacts_mail_link_writes_to_the_address_shown(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    """Was: `mailto:a?cc=annan@evil.example`, a mail to 'a' with a copy to another address."""
    members = with_contact("a?cc=annan@evil.example")
    page = build_statement(archive, run, tmp_path / "site", members)
    assert {"href": "mailto:a%3Fcc%3Dannan@evil.example"} in page.tags("a")
