"""E-mail drafts (.eml) of `sikt protokoll mejl`, `sikt medlemmar --mejl` and `sikt moten --mejl`.

Every message is parsed back with the standard library's parser and checked part by part:
headers, recipients, the plain and HTML bodies and the attached protokoll. Values from the
archive (network name, member names, agenda titles, body text) must never add or change a
header, and markup from the files must be escaped in the HTML part.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, protokoll

from sikt_cli.archive.load import load_archive

Run = Callable[..., Any]
Make = Callable[..., Path]

P = "protokoll/2020-06-05.md"
REPORT = "utbildning@skaraborg.se"
NOT_REACHED = "anna-karin-gustavsson"  # left without an address in `give_addresses`


pytestmark = pytest.mark.usefixtures("no_smtp_settings")


# --- helpers -----------------------------------------------------------------------------


def give_addresses(root: Path, skip: tuple[str, ...] = (NOT_REACHED,)) -> dict[str, str]:
    """Write test addresses (id@example.se) for the members in root/medlemmar.yaml.

    The real archive has no addresses (none may be invented for real people), so tests
    add obviously fake ones in their copy. Returns {member id: address}.
    """
    path = root / "medlemmar.yaml"
    out: list[str] = []
    added: dict[str, str] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        out.append(line)
        top = re.match(r"^([a-z_]+):", line)
        if top:
            section = top.group(1)
        item = re.fullmatch(r"  - id: ([a-z0-9-]+)\s*", line)
        if section == "medlemmar" and item and item.group(1) not in skip:
            added[item.group(1)] = f"{item.group(1)}@example.se"
            out.append(f"    epost: {added[item.group(1)]}")
    path.write_text("\n".join(out), encoding="utf-8")
    return added


def parse(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def flat(text: str) -> str:
    """Terminal output with rich's line wrapping undone."""
    return " ".join(text.split())


def addresses(msg: EmailMessage, header: str) -> list[tuple[str, str]]:
    if header not in msg:
        return []
    return [(a.display_name, a.addr_spec) for a in msg[header].addresses]


def plain(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def html(msg: EmailMessage) -> str:
    body = msg.get_body(("html",))
    assert body is not None
    return str(body.get_content())


class Page(HTMLParser):
    """Tags with attributes, heading texts and the visible text of an HTML part."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def tag_names(self) -> set[str]:
        return {t for t, _ in self.tags}

    def hrefs(self) -> list[str]:
        return [a["href"] or "" for t, a in self.tags if t == "a" and "href" in a]


def assert_header_safe(msg: EmailMessage, expected: set[str]) -> None:
    """Exactly the expected headers, each once, and a one-line Subject."""
    keys = [k.lower() for k in msg.keys()]
    assert set(keys) == {k.lower() for k in expected}, keys
    assert len(keys) == len(set(keys)), keys
    assert "bcc" not in keys
    subject = str(msg["Subject"])
    assert "\n" not in subject and "\r" not in subject and "\x00" not in subject


def assert_no_active_html(page_html: str) -> None:
    page = Page(page_html)
    assert not page.tag_names() & {"script", "img", "iframe", "object", "embed", "form"}
    for _, attrs in page.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], attrs
    for href in page.hrefs():
        # a browser drops tab, CR and LF and leading spaces/controls before it reads the scheme
        seen = re.sub(r"[\t\r\n]", "", href).lstrip("\x00- ").lower()
        scheme = re.match(r"^([a-z][a-z0-9+.-]*):", seen)
        assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), href
    # no tag with a javascript: href (escaped text such as '&lt;a href="javascript:' is fine)
    assert not re.search(r"<[a-z][^<>]*\bhref\s*=\s*[\"']?\s*javascript:", page_html, re.I)


HEADERS = {"Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "X-Unsent"}


# --- sikt protokoll mejl: acceptance on the real archive -------------------------------------


def test_protokoll_mejl_acceptance(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.eml"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert "Skrev utkast" in result.stdout
    msg = parse(out)

    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Protokoll SIKT-nätverket 2020-06-05"
    assert addresses(msg, "Cc") == [("", REPORT)]
    assert addresses(msg, "To") == []  # nobody in the real archive has an address
    assert "From" not in msg  # Outlook fills in the sender's own mailbox
    assert_header_safe(msg, HEADERS | {"Cc"})

    # mixed{ alternative{plain, html}, the minutes as PDF attached }
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "protokoll-2020-06-05.pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF-")

    archive = load_archive(real_archive)
    minutes = archive.minutes_on("2020-06-05")
    assert minutes is not None
    text, page_html = plain(msg), html(msg)
    page = Page(page_html)
    visible = "".join(page.text)
    words = " ".join(text.split())  # the text part is wrapped at 76 characters
    decision = minutes.beslut[0].text
    for a in minutes.arenden:
        assert f"{a.nr}. {a.rubrik}" in page.headings
        assert f"\n{a.nr}. {a.rubrik}\n" in text
    assert decision in visible and decision in words
    # decisions and new uppdrag are summarised at the top, before the first agenda item
    for body in (words, visible):
        assert body.index("Beslut") < body.index("Nya uppdrag") < body.index("1. Utse sekreterare")
        assert body.index(decision) < body.index("1. Utse sekreterare")
        assert "2020-06-05#1" in body and "2020-06-05#7" in body
        assert "fredag 5 juni 2020" in body
        assert "fredag 4 september 2020" in body  # next meeting, in Swedish
    assert "Per-Anders Johansson Ögren" in visible
    # CSS is inlined: mail clients ignore <style>
    assert any(t == "h2" and "font-size" in (a.get("style") or "") for t, a in page.tags)
    assert_no_active_html(page_html)
    # links in the protokoll stay links
    assert "http://www.distanspedagogik.se" in page.hrefs()


def test_protokoll_mejl_recipients_and_swedish_names(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    added = give_addresses(real_archive)
    roster = load_archive(real_archive).roster
    out = tmp_path / "x.eml"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    msg = parse(out)
    expected = [(m.namn, added[m.id]) for m in roster.members if m.id in added]
    assert addresses(msg, "To") == expected
    assert ("Per-Anders Johansson Ögren", "per-anders-johansson-ogren@example.se") in expected
    assert ("Svetlana Söderlund", "svetlana-soderlund@example.se") in expected
    assert addresses(msg, "Cc") == [("", REPORT)]
    # the member without an address is named as not reached
    assert "Nås inte (1 utan e-postadress i medlemmar.yaml): Anna-Karin Gustavsson" in flat(
        result.stderr
    )
    # the whole file is 7-bit: å ä ö travel encoded and come back intact
    assert max(out.read_bytes()) < 128


def test_protokoll_mejl_into_a_folder_uses_a_default_name(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "utkast"
    folder.mkdir()
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(folder), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert parse(folder / "protokoll-2020-06-05.eml")["X-Unsent"] == "1"


def test_protokoll_mejl_into_a_new_folder_creates_it(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "nya" / "utkast"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(folder), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert folder.is_dir()
    assert parse(folder / "protokoll-2020-06-05.eml")["X-Unsent"] == "1"


def test_protokoll_mejl_never_overwrites(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.eml"
    out.write_bytes(b"mitt eget utkast")
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 2
    assert "finns redan och skrivs inte över" in flat(result.stderr)
    assert out.read_bytes() == b"mitt eget utkast"


def test_ut_naming_an_existing_file_is_never_overwritten_nor_a_crash(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "utkast"  # a file without a suffix, e.g. an earlier draft
    out.write_bytes(b"mitt eget utkast")
    for args in (
        ("medlemmar", "--mejl", "--ut", str(out)),
        ("protokoll", "mejl", "2020-06-05", "--ut", str(out)),
        ("kallelse", "2020-09-04", "--ut", str(out)),
    ):
        result = run(*args, "--rot", str(real_archive))
        assert result.exit_code in (1, 2), result.output
        assert "Internt fel" not in result.output, args
        assert str(out.name) in flat(result.stderr), args
    assert out.read_bytes() == b"mitt eget utkast"


def test_protokoll_mejl_without_ut_shows_subject_and_recipients(
    real_archive: Path, run: Run
) -> None:
    result = run("protokoll", "mejl", "2020-06-05", "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert "Ämne: Protokoll SIKT-nätverket 2020-06-05" in result.stdout
    assert f"Till: {REPORT}" in result.stdout
    assert "--ut" in result.stdout and "--skicka" in result.stdout


def test_sender_from_environment_is_the_from_header(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "x.eml"
    result = run(
        "protokoll",
        "mejl",
        "2020-06-05",
        "--ut",
        str(out),
        "--rot",
        str(real_archive),
        env={"SIKT_AVSANDARE": "Åsa Sekreterare <sekreterare@example.se>"},
    )
    # a display name in SIKT_AVSANDARE is not an address: refused with the variable's name
    assert result.exit_code == 2
    assert "SIKT_AVSANDARE är inte en e-postadress" in flat(result.stderr)
    assert "medlemmar.yaml" not in result.stderr
    assert not out.exists()
    result = run(
        "protokoll",
        "mejl",
        "2020-06-05",
        "--ut",
        str(out),
        "--rot",
        str(real_archive),
        env={"SIKT_AVSANDARE": "sekreterare@example.se"},
    )
    assert result.exit_code == 0, result.output
    assert addresses(parse(out), "From") == [("", "sekreterare@example.se")]


# --- only a protokoll without errors; an utkast needs --utkast -------------------------------


def test_utkast_needs_the_flag_and_is_marked(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: protokoll(status="utkast")})
    out = tmp_path / "x.eml"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 1
    assert "inte justerat" in flat(result.stderr) and "--utkast" in flat(result.stderr)
    assert not out.exists()

    result = run(
        "protokoll", "mejl", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root)
    )
    assert result.exit_code == 0, result.output
    msg = parse(out)
    assert "UTKAST" in str(msg["Subject"])
    assert msg["Subject"] == "UTKAST: Protokoll Testnätverket 2020-06-05"
    assert "UTKAST" in plain(msg)
    assert "UTKAST" in "".join(Page(html(msg)).text)
    # the fixture's only member with an address, Cc the report address
    assert addresses(msg, "To") == [("Anna Ek", "anna.ek@example.se")]
    assert addresses(msg, "Cc") == [("", "rapport@example.se")]
    assert "Bo Ek" in flat(result.stderr) and "Cia Ek" in flat(result.stderr)


def test_justerat_is_not_marked_utkast(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: protokoll(status="justerat", extra_frontmatter="justerad: 2020-06-10\n")})
    out = tmp_path / "x.eml"
    result = run(
        "protokoll", "mejl", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root)
    )
    assert result.exit_code == 0, result.output
    msg = parse(out)
    assert msg["Subject"] == "Protokoll Testnätverket 2020-06-05"
    assert "UTKAST" not in plain(msg) and "UTKAST" not in html(msg)


def test_protokoll_with_errors_is_not_rendered(archive: Make, run: Run, tmp_path: Path) -> None:
    broken = protokoll(status="utkast").replace(
        "narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: [anna-ek, bo-ek, okand-person]"
    )
    root = archive({P: broken})
    out = tmp_path / "x.eml"
    result = run(
        "protokoll", "mejl", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root)
    )
    assert result.exit_code == 1
    assert "okand-person" in result.stdout  # the diagnostics are shown
    assert "skickas inte" in flat(result.stderr)
    assert not out.exists()


def test_missing_protokoll(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive()
    result = run(
        "protokoll", "mejl", "2021-01-01", "--ut", str(tmp_path / "x.eml"), "--rot", str(root)
    )
    assert result.exit_code == 1
    assert "Det finns inget protokoll för 2021-01-01" in flat(result.stderr)


# --- security: headers and HTML ----------------------------------------------------------------

INJECT_NET = r"Nät\r\nBcc: evil1@x.se\0 =?utf-8?q?=0D=0ABcc:_evil2@x.se?= Åäö"
INJECT_NAME = r"Anna\r\nBcc: evil3@x.se =?utf-8?b?DQpCY2M6IGV2aWw0QHguc2U=?= Ek\u2028Cc: e5@x.se"
SCRIPT = "<script>alert(1)</script>"

INJECT_MEMBERS = (
    MEMBERS.replace("namn: Testnätverket", f'namn: "{INJECT_NET}"')
    .replace("namn: Anna Ek", f'namn: "{INJECT_NAME}"')
    .replace(
        "  - id: bo-ek\n    namn: Bo Ek\n",
        f'  - id: bo-ek\n    namn: "Bo {SCRIPT} Ek"\n    epost: bo.ek@example.se\n',
    )
)

INJECT_BODY = f"""\
## 1. Inledning

Text med {SCRIPT} och <img src=x onerror=alert(2)> och <a href="javascript:alert(3)">x</a>.

{SCRIPT}

[klicka](javascript:alert(4)) [igen](JaVaScRiPt:alert(5)) [tab](java&#09;script:alert(6))
[ent](&#106;avascript:alert(7)) [vb](vbscript:msgbox(8)) [data](data:text/html;base64,PHNjcmlwdD4=)
<javascript:alert(9)> [ok](https://example.se/)

## 2. Temadag

- [ ] @bo-ek Boka lokal {SCRIPT} senast 2020-08-01
"""

INJECT_ARENDEN = f"""\
arenden:
  - nr: 1
    rubrik: Inledning
  - nr: 2
    rubrik: Temadag
    mal: [mal-1.1]
beslut:
  - arende: 2
    text: "Beslut {SCRIPT} [x](javascript:alert(10))"
"""


def _evil_addresses(raw: bytes) -> list[str]:
    return [a for a in ("evil1", "evil2", "evil3", "evil4", "e5@") if a.encode() in raw]


def test_injection_in_protokoll_mejl(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: protokoll(body=INJECT_BODY, arenden=INJECT_ARENDEN)}, members=INJECT_MEMBERS)
    assert run("validera", "--rot", str(root)).exit_code == 0
    out = tmp_path / "x.eml"
    result = run(
        "protokoll", "mejl", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root)
    )
    assert result.exit_code == 0, result.output
    msg = parse(out)
    assert_header_safe(msg, HEADERS | {"To", "Cc"})
    to = addresses(msg, "To")
    assert [a for _, a in to] == ["anna.ek@example.se", "bo.ek@example.se"]
    assert addresses(msg, "Cc") == [("", "rapport@example.se")]
    # the texts are kept (as one line), only unable to act as headers
    subject = str(msg["Subject"])
    assert subject.startswith("UTKAST: Protokoll Nät Bcc: evil1@x.se")
    assert "Åäö" in subject and subject.endswith("2020-06-05")
    assert "utf-8?q?=0D=0ABcc:_evil2@x.se?=" in subject  # literal, not decoded
    anna = to[0][0]
    assert anna.startswith("Anna Bcc: evil3@x.se") and anna.endswith("Ek Cc: e5@x.se")
    assert "DQpCY2M6IGV2aWw0QHguc2U" in anna
    assert to[1][0] == f"Bo {SCRIPT} Ek"

    page_html = html(msg)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "<script" not in page_html.lower()
    assert_no_active_html(page_html)
    assert "https://example.se/" in Page(page_html).hrefs()
    # the attachment is the file as written; the plain text is text
    assert SCRIPT in plain(msg)


def test_injection_in_member_list(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive(members=INJECT_MEMBERS)
    out = tmp_path / "m.eml"
    result = run("medlemmar", "--mejl", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 0, result.output
    msg = parse(out)
    assert_header_safe(msg, HEADERS | {"To"})
    assert addresses(msg, "To") == [("", "rapport@example.se")]
    assert str(msg["Subject"]).startswith("Medlemmar i Nät Bcc: evil1@x.se")
    page_html = html(msg)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert_no_active_html(page_html)
    assert f"Bo {SCRIPT} Ek" in "".join(Page(page_html).text)


def test_headers_survive_the_parser_with_every_separator(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    """Every line separator str.splitlines() knows, raw in the name: one line, no new header."""
    for i, sep in enumerate(
        [
            "\\r",
            "\\n",
            "\\r\\n",
            "\\0",
            "\\x0b",
            "\\x0c",
            "\\x1c",
            "\\x85",
            "\\u2028",
            "\\u2029",
            "\\t",
        ]
    ):
        members = MEMBERS.replace("namn: Testnätverket", f'namn: "Nät{sep}Bcc: evil@x.se"')
        root = archive(members=members)
        out = tmp_path / f"m{i}.eml"
        result = run("medlemmar", "--mejl", "--ut", str(out), "--rot", str(root))
        assert result.exit_code == 0, (sep, result.output)
        msg = parse(out)
        assert_header_safe(msg, HEADERS | {"To"})
        assert msg["Subject"] == "Medlemmar i Nät Bcc: evil@x.se", sep


# --- sikt medlemmar / sikt moten -------------------------------------------------------------


def test_medlemmar_table(real_archive: Path, run: Run) -> None:
    result = run("medlemmar", "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Medlemmar i SIKT-nätverket" in out
    for name in ("Per-Anders Johansson Ögren", "Svetlana Söderlund", "Mattias Gustafsson"):
        assert name in flat(out) or all(part in out for part in name.split())
    assert "ordförande" in out and "Vuxenutbildning" in out


def test_medlemmar_table_shows_names_as_written(archive: Make, run: Run) -> None:
    """Square brackets in a name are text, not rich markup (used to crash with MarkupError)."""
    members = MEMBERS.replace("namn: Anna Ek", 'namn: "Anna [/x] Ek"').replace(
        "namn: Bo Ek", 'namn: "Bo [bold]Ek"'
    )
    root = archive(members=members)
    result = run("medlemmar", "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert "Anna [/x] Ek" in result.stdout and "Bo [bold]Ek" in result.stdout


def test_medlemmar_mejl(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "medlemmar.eml"
    result = run("medlemmar", "--mejl", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    msg = parse(out)
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Medlemmar i SIKT-nätverket"
    assert addresses(msg, "To") == [("", REPORT)]
    assert "Cc" not in msg
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    visible = "".join(Page(html(msg)).text)
    for m in load_archive(real_archive).roster.members:
        assert m.namn in plain(msg) or m.namn in plain(msg).replace("\\", "")
        assert m.namn in visible
    assert "Vuxenutbildning" in visible


def test_moten_table_and_mejl(real_archive: Path, run: Run, tmp_path: Path) -> None:
    result = run("moten", "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert "2020-06-05" in result.stdout and "2020-09-04" in result.stdout
    assert "fredag 5 juni 2020" in result.stdout and "kommande" in result.stdout

    folder = tmp_path / "ut"
    folder.mkdir()
    result = run("moten", "--mejl", "--ut", str(folder), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    msg = parse(folder / "moten.eml")
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Mötesdatum för SIKT-nätverket"
    assert addresses(msg, "To") == [("", REPORT)]
    visible = "".join(Page(html(msg)).text)
    for needle in (
        "2020-06-05",
        "fredag 5 juni 2020",
        "hållet, justerat",
        "2020-09-04",
        "fredag 4 september 2020",
        "kommande",
    ):
        assert needle in visible and needle in plain(msg).replace("\\", "")


@pytest.mark.parametrize("command", ["medlemmar", "moten"])
def test_ut_and_skicka_need_mejl(
    real_archive: Path, run: Run, tmp_path: Path, command: str
) -> None:
    for flag in (["--ut", str(tmp_path / "x.eml")], ["--skicka"]):
        result = run(command, *flag, "--rot", str(real_archive))
        assert result.exit_code == 2
        assert "kräver --mejl" in flat(result.stderr)
    assert not (tmp_path / "x.eml").exists()


def test_report_needs_rapport_till(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive(members=MEMBERS.replace("  rapport_till: [rapport@example.se]\n", ""))
    result = run("medlemmar", "--mejl", "--ut", str(tmp_path / "x.eml"), "--rot", str(root))
    assert result.exit_code == 2
    assert "rapport_till" in flat(result.stderr)


# --- every draft is an unsent message ---------------------------------------------------------


def _drafts(root: Path, run: Run, folder: Path) -> Iterator[Path]:
    folder.mkdir()
    assert (
        run(
            "protokoll", "mejl", "2020-06-05", "--ut", str(folder / "p.eml"), "--rot", str(root)
        ).exit_code
        == 0
    )
    assert run("kallelse", "2020-09-04", "--ut", str(folder), "--rot", str(root)).exit_code == 0
    assert (
        run("medlemmar", "--mejl", "--ut", str(folder / "m.eml"), "--rot", str(root)).exit_code == 0
    )
    assert run("moten", "--mejl", "--ut", str(folder / "d.eml"), "--rot", str(root)).exit_code == 0
    yield from sorted(folder.glob("*.eml"))


def test_every_draft_has_x_unsent(real_archive: Path, run: Run, tmp_path: Path) -> None:
    drafts = list(_drafts(real_archive, run, tmp_path / "ut"))
    assert len(drafts) == 4
    for path in drafts:
        msg = parse(path)
        assert msg.get_all("X-Unsent") == ["1"], path.name
        assert msg["Message-ID"] and msg["Date"]
        assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None


# --- the page template may come from a pull request ----------------------------------------


def test_template_stylesheet_links_are_not_loaded(archive: Make, run: Run, tmp_path: Path) -> None:
    """A mallar/mejl.html.j2 override cannot make sikt read a local file or fetch a URL."""
    secret_css = tmp_path / "hemlig.css"
    secret_css.write_text("p { color: #123456; }", encoding="utf-8")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    template = (
        '<html><head><link rel="stylesheet" href="' + secret_css.as_uri() + '">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{closed}/x.css">'
        "<style>p {{ font-size: 9pt; }}</style></head><body>"
        "{% for del in delar %}<div>{{ del }}</div>{% endfor %}</body></html>"
    ).replace("{{ font-size: 9pt; }}", "{ font-size: 9pt; }")
    root = archive({P: protokoll(status="utkast"), "mallar/mejl.html.j2": template})
    out = tmp_path / "x.eml"
    result = run(
        "protokoll", "mejl", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root)
    )
    assert result.exit_code == 0, result.output
    page_html = html(parse(out))
    assert "font-size: 9pt" in page_html  # the template's own <style> is inlined
    assert "#123456" not in page_html
