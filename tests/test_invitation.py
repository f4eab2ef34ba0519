"""The kallelse as calendar programs and mail readers take it: plain DESCRIPTION, METHOD only
in the mail's text/calendar part, the meeting link, bilagor, and no silent empty draft.

Every .ics is parsed with `icalendar`, every .eml with the standard library's parser.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, protokoll
from icalendar import Calendar

from sikt_cli.services.attachments import MAX_BYTES

Run = Callable[..., Any]
Make = Callable[..., Path]

DAY = "2020-09-04"
PLANNED = f"protokoll/{DAY}.md"
LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=x"

pytestmark = pytest.mark.usefixtures("no_smtp_settings")


def planned(extra: str = "") -> str:
    return protokoll(DAY, status="planerat", extra_frontmatter=extra)


def kallelse(run: Run, root: Path, out: Path) -> Any:
    return run("kallelse", DAY, "--ut", str(out), "--rot", str(root))


def parse(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def event(ics: bytes) -> Any:
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def parts(msg: EmailMessage) -> dict[str, Any]:
    """{content type or attachment file name: part}."""
    out = {}
    for p in msg.walk():
        if p.is_multipart():
            continue
        out[p.get_filename() or p.get_content_type()] = p
    return out


# --- METHOD ---------------------------------------------------------------------------------


def test_method_only_in_the_mails_calendar_part(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    """kallelse-DATUM.ics carried METHOD:REQUEST, which RFC 4791 §4.1 forbids in a stored
    calendar object; RFC 6047 §2.4 wants it with the Content-Type's method in the mail."""
    out = tmp_path / "ut"
    assert kallelse(run, real_archive, out).exit_code == 0
    stored = (out / f"kallelse-{DAY}.ics").read_bytes()
    assert "METHOD" not in Calendar.from_ical(stored)
    assert b"METHOD" not in stored
    got = parts(parse(out / f"kallelse-{DAY}.eml"))
    inline = got["text/calendar"]
    assert inline.get_param("method") == "REQUEST"
    assert str(Calendar.from_ical(inline.get_payload(decode=True))["METHOD"]) == "REQUEST"
    attached = got[f"kallelse-{DAY}.ics"].get_payload(decode=True)
    assert attached == stored


# --- DESCRIPTION ----------------------------------------------------------------------------


def test_description_is_plain_text_with_the_agenda_as_lines(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    """The DESCRIPTION was raw Markdown ('# Kallelse…', '**Fredag…**')."""
    out = tmp_path / "ut"
    assert kallelse(run, real_archive, out).exit_code == 0
    description = str(event((out / f"kallelse-{DAY}.ics").read_bytes())["DESCRIPTION"])
    assert "**" not in description and "\\" not in description
    assert not any(line.startswith("#") for line in description.split("\n"))
    lines = description.split("\n")
    assert lines[0] == "Kallelse till SIKT-nätverket"
    assert "Fredag 4 september 2020, 09:00-11:15" in lines
    assert "Plats: Teamsmöte" in lines
    assert "1. Utse sekreterare" in lines
    assert "2. Föregående protokoll" in lines
    text = parts(parse(out / f"kallelse-{DAY}.eml"))["text/plain"].get_content()
    assert "**" not in text and "Fredag 4 september 2020, 09:00-11:15" in text


# --- ATTENDEE -------------------------------------------------------------------------------


def test_an_attendee_per_addressed_member_and_the_chair_as_organizer(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    members = MEMBERS.replace(
        "    kommun: Skara\n", "    kommun: Skara\n    epost: bo.ek@example.se\n", 1
    )
    root = archive({PLANNED: planned()}, members=members)
    out = tmp_path / "ut"
    assert kallelse(run, root, out).exit_code == 0
    ev = event((out / f"kallelse-{DAY}.ics").read_bytes())
    attendees = ev["ATTENDEE"]
    assert [(str(a.params["CN"]), str(a)) for a in attendees] == [
        ("Anna Ek", "mailto:anna.ek@example.se"),
        ("Bo Ek", "mailto:bo.ek@example.se"),
    ]
    assert str(ev["ORGANIZER"]) == "mailto:anna.ek@example.se"
    msg = parse(out / f"kallelse-{DAY}.eml")
    assert [a.addr_spec for a in msg["To"].addresses] == ["anna.ek@example.se", "bo.ek@example.se"]


# --- the meeting link -----------------------------------------------------------------------


def test_meeting_link_in_the_mail_and_the_event(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({PLANNED: planned(f'lank: "{LINK}"\n')})
    out = tmp_path / "ut"
    result = kallelse(run, root, out)
    assert result.exit_code == 0, result.output
    ev = event((out / f"kallelse-{DAY}.ics").read_bytes())
    assert str(ev["URL"]) == LINK
    assert str(ev["LOCATION"]) == f"Teamsmöte; {LINK}"
    assert f"Länk till mötet: {LINK}" in str(ev["DESCRIPTION"]).split("\n")
    got = parts(parse(out / f"kallelse-{DAY}.eml"))
    assert f"Länk till mötet: {LINK}" in got["text/plain"].get_content().splitlines()
    html = got["text/html"].get_content()
    assert f'href="{LINK.replace("&", "&amp;")}"' in html


def test_the_networks_link_is_the_default(archive: Make, run: Run, tmp_path: Path) -> None:
    members = MEMBERS.replace("  plats: Teamsmöte\n", f"  plats: Teamsmöte\n  lank: {LINK}\n")
    root = archive({PLANNED: planned()}, members=members)
    out = tmp_path / "ut"
    assert kallelse(run, root, out).exit_code == 0
    assert str(event((out / f"kallelse-{DAY}.ics").read_bytes())["URL"]) == LINK


def test_a_link_that_is_not_a_web_address_is_refused(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    root = archive({PLANNED: planned('lank: "javascript:alert(1)"\n')})
    result = kallelse(run, root, tmp_path / "ut")
    assert result.exit_code == 1
    assert (
        "protokoll/2020-09-04.md: 'lank' är inte en webbadress: 'javascript:alert(1)'."
        in result.output
    )
    assert not (tmp_path / "ut").exists()


def test_without_a_link_the_event_has_no_url(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({PLANNED: planned()})
    out = tmp_path / "ut"
    assert kallelse(run, root, out).exit_code == 0
    ev = event((out / f"kallelse-{DAY}.ics").read_bytes())
    assert "URL" not in ev and str(ev["LOCATION"]) == "Teamsmöte"


# --- bilagor --------------------------------------------------------------------------------


PDF = b"%PDF-1.4\n% en liten bilaga\n"


def test_bilagor_travel_with_the_kallelse(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive(
        {
            PLANNED: planned("bilagor: [bilagor/budget 2021.pdf, bilagor/Mötesplan.docx]\n"),
            "bilagor/budget 2021.pdf": PDF,
            "bilagor/Mötesplan.docx": b"PK\x03\x04 docx",
        }
    )
    out = tmp_path / "ut"
    result = kallelse(run, root, out)
    assert result.exit_code == 0, result.output
    msg = parse(out / f"kallelse-{DAY}.eml")
    got = parts(msg)
    assert got["budget 2021.pdf"].get_payload(decode=True) == PDF
    assert got["budget 2021.pdf"].get_content_type() == "application/pdf"
    assert got["Mötesplan.docx"].get_payload(decode=True) == b"PK\x03\x04 docx"
    assert "Bilagor: budget 2021.pdf, Mötesplan.docx" in got["text/plain"].get_content()


def test_bilagor_travel_with_the_minutes(archive: Make, run: Run, tmp_path: Path) -> None:
    p = "protokoll/2020-06-05.md"
    root = archive(
        {p: protokoll(extra_frontmatter="bilagor: [bilagor/x.pdf]\n"), "bilagor/x.pdf": PDF}
    )
    out = tmp_path / "p.eml"
    result = run(
        "protokoll", "mejl", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root)
    )
    assert result.exit_code == 0, result.output
    assert parts(parse(out))["x.pdf"].get_payload(decode=True) == PDF


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../hemligt.txt", "bilagan '../hemligt.txt' ligger inte i arkivet."),
        ("/etc/passwd", "bilagan '/etc/passwd' ligger inte i arkivet."),
        ("C:/Windows/win.ini", "bilagan 'C:/Windows/win.ini' ligger inte i arkivet."),
        ("bilagor\\\\x.pdf", "bilagan 'bilagor\\x.pdf' ligger inte i arkivet."),
        ("bilagor/saknas.pdf", "bilagan 'bilagor/saknas.pdf' finns inte."),
        ("bilagor", "bilagan 'bilagor' är inte en vanlig fil."),
    ],
)
def test_a_bilaga_outside_the_archive_or_not_a_file_is_refused(
    entry: str, message: str, archive: Make, run: Run, tmp_path: Path
) -> None:
    (tmp_path / "hemligt.txt").write_text("hemligt", encoding="utf-8")
    root = archive({PLANNED: planned(f'bilagor: ["{entry}"]\n'), "bilagor/x.pdf": PDF})
    result = kallelse(run, root, tmp_path / "ut")
    assert result.exit_code == 1, result.output
    assert f"protokoll/2020-09-04.md:15: {message}" in " ".join(result.output.split())
    assert not (tmp_path / "ut").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_bilaga_through_a_link_is_refused(archive: Make, run: Run, tmp_path: Path) -> None:
    (tmp_path / "hemligt.txt").write_text("hemligt", encoding="utf-8")
    root = archive({PLANNED: planned("bilagor: [bilagor/l.txt]\n"), "bilagor/x.pdf": PDF})
    try:
        (root / "bilagor" / "l.txt").symlink_to(tmp_path / "hemligt.txt")
    except OSError:
        pytest.skip("symbolic links are not allowed here")
    result = kallelse(run, root, tmp_path / "ut")
    assert result.exit_code == 1
    assert "bilagan 'bilagor/l.txt' går via en symbolisk länk (l.txt)." in result.output


def test_bilagor_over_the_limit_are_refused_naming_the_file(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    root = archive(
        {
            PLANNED: planned("bilagor: [bilagor/a.pdf, bilagor/stor.pdf]\n"),
            "bilagor/a.pdf": b"x" * (MAX_BYTES // 2),
            "bilagor/stor.pdf": b"y" * (MAX_BYTES // 2 + 1),
        }
    )
    result = kallelse(run, root, tmp_path / "ut")
    assert result.exit_code == 1
    assert (
        "protokoll/2020-09-04.md:15: bilagan 'bilagor/stor.pdf' (5,0 MB) får inte plats: "
        "bilagorna får vara högst 10,0 MB tillsammans."
    ) in " ".join(result.output.split())


# --- no recipients --------------------------------------------------------------------------


def test_a_draft_without_recipients_says_so(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive(
        {PLANNED: planned()}, members=MEMBERS.replace("    epost: anna.ek@example.se\n", "")
    )
    out = tmp_path / "ut"
    result = kallelse(run, root, out)
    assert result.exit_code == 0, result.output
    msg = parse(out / f"kallelse-{DAY}.eml")
    assert "To" not in msg
    text = parts(msg)["text/plain"].get_content()
    assert text.startswith("OBS: Ingen medlem har en e-postadress i medlemmar.yaml, så utkastet")
    assert "Varning: meddelandet har inga mottagare" in " ".join(result.stderr.split())
    assert "ATTENDEE" not in event((out / f"kallelse-{DAY}.ics").read_bytes())
