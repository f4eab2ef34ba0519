"""`sikt kallelse --ut`: the notice as an .eml with an invitation, and the standalone .ics.

Both are parsed back: the .eml with the standard library's parser, the .ics with
`icalendar.Calendar.from_ical`. The UID is stable per meeting, SEQUENCE rises only when the
notice changed, times are local (Europe/Stockholm) with a VTIMEZONE, and no value from the
archive can add a header, a calendar property or an HTML tag.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import MEMBERS
from icalendar import Calendar
from test_mail import (
    INJECT_MEMBERS,
    SCRIPT,
    Page,
    addresses,
    assert_header_safe,
    assert_no_active_html,
    flat,
    give_addresses,
)

from sikt_cli.archive.load import load_archive
from sikt_cli.errors import SiktError
from sikt_cli.render.ics import Attendee, MeetingEvent, invitation, span, uid

Run = Callable[..., Any]
Make = Callable[..., Path]

DAY = "2020-09-04"
PLANNED = f"protokoll/{DAY}.md"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


pytestmark = pytest.mark.usefixtures("no_smtp_settings")


def kallelse(run: Run, root: Path, out: Path, day: str = DAY, name: str = "") -> Any:
    result = run("kallelse", day, "--ut", str(out / name) if name else str(out), "--rot", str(root))
    assert result.exit_code == 0, result.output
    return result


def parse_eml(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def event_of(ics: bytes) -> tuple[Any, Any]:
    """(calendar, its one VEVENT)."""
    cal = Calendar.from_ical(ics)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def sequence_key(root: Path) -> str:
    """The `kallelse:` line of the planned protokoll's frontmatter."""
    lines = [
        ln for ln in (root / PLANNED).read_text("utf-8").split("\n") if ln.startswith("kallelse:")
    ]
    assert len(lines) == 1
    return lines[0]


# --- acceptance on the real archive ----------------------------------------------------------


def test_kallelse_twice_into_the_same_folder(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = kallelse(run, real_archive, out)
    assert "Skapade planerat protokoll: protokoll/2020-09-04.md" in first.stdout
    ics1, eml1 = out / f"kallelse-{DAY}.ics", out / f"kallelse-{DAY}.eml"
    saved = ics1.read_bytes(), eml1.read_bytes()

    again = run("kallelse", DAY, "--ut", str(out), "--rot", str(real_archive))
    assert again.exit_code == 2  # the same as any --ut onto a file: refused, a free name proposed
    assert again.stderr == (
        f"Fel: {eml1} finns redan och skrivs inte över; inget skrevs.\n"
        f"tips: Ange ett ledigt namn, t.ex. --ut {out.as_posix()}/kallelse-{DAY}-2.eml, eller "
        "ta bort den gamla filen först.\n"
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (ics1, eml1))
    kallelse(run, real_archive, out, name=f"kallelse-{DAY}-2.eml")
    ics2, eml2 = out / f"kallelse-{DAY}-2.ics", out / f"kallelse-{DAY}-2.eml"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (ics1, eml1, ics2, eml2))
    assert (ics1.read_bytes(), eml1.read_bytes()) == saved  # nothing overwritten

    cal1, ev1 = event_of(ics1.read_bytes())
    _, ev2 = event_of(ics2.read_bytes())
    assert str(ev1["UID"]) == str(ev2["UID"]) == uid("SIKT-nätverket", dt.date(2020, 9, 4))
    assert int(ev1["SEQUENCE"]) == int(ev2["SEQUENCE"]) == 0  # unchanged re-send

    start, end = ev1.decoded("DTSTART"), ev1.decoded("DTEND")
    assert start == dt.datetime(2020, 9, 4, 9, 0, tzinfo=STOCKHOLM)
    assert end == dt.datetime(2020, 9, 4, 11, 15, tzinfo=STOCKHOLM)
    assert ev1["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert ev1["DTEND"].params["TZID"] == "Europe/Stockholm"
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time
    assert "DTSTART;TZID=Europe/Stockholm:20200904T090000" in ics1.read_text("utf-8")

    assert "METHOD" not in cal1  # a stored calendar object has none (RFC 4791 §4.1)
    zones = cal1.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Stockholm"]
    stamp = ev1.decoded("DTSTAMP")
    assert stamp.utcoffset() == dt.timedelta(0)
    assert re.search(r"^DTSTAMP:\d{8}T\d{6}Z\r?$", ics1.read_text("utf-8"), re.M)

    assert str(ev1["LOCATION"]) == "Teamsmöte"
    assert "SIKT-nätverket" in str(ev1["SUMMARY"])
    description = str(ev1["DESCRIPTION"])
    for rubrik in (
        "Utse sekreterare",
        "Föregående protokoll",
        "Uppföljning av uppdrag",
        "AI",
        "Systeminventering (systemkartan.se)",
        "LIKA",
        "Övrigt",
        "Kommande träffar och innehåll",
    ):
        assert rubrik in description
    assert "2020-06-05#1" in description  # uppdrag to report on
    # nobody in the real archive has an address: no organizer, no attendees
    assert "ORGANIZER" not in ev1 and "ATTENDEE" not in ev1


def test_kallelse_eml_structure(real_archive: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    kallelse(run, real_archive, out)
    ics = (out / f"kallelse-{DAY}.ics").read_bytes()
    msg = parse_eml(out / f"kallelse-{DAY}.eml")

    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Kallelse SIKT-nätverket fredag 4 september 2020"
    # mixed{ alternative{plain, html, text/calendar; method=REQUEST}, .ics attachment }
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain_part, html_part, cal_part = alternative.iter_parts()
    assert plain_part.get_content_type() == "text/plain"
    assert html_part.get_content_type() == "text/html"
    assert cal_part.get_content_type() == "text/calendar"
    assert cal_part.get_param("method") == "REQUEST"
    assert cal_part.get_content_disposition() is None  # inline, for Outlook's accept buttons
    request = cal_part.get_payload(decode=True)
    assert str(Calendar.from_ical(request)["METHOD"]) == "REQUEST"  # RFC 6047 §2.4
    assert request.replace(b"METHOD:REQUEST\r\n", b"") == ics
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == f"kallelse-{DAY}.ics"
    assert attachment.get_payload(decode=True) == ics

    text = plain_part.get_content()
    page = Page(html_part.get_content())
    visible = "".join(page.text)
    for body in (text, visible):
        assert "Fredag 4 september 2020" in body
        assert "Uppföljning av uppdrag" in body and "Systeminventering (systemkartan.se)" in body
        assert "Mattias Gustafsson, ordförande" in body
    assert "Dagordning" in page.headings
    assert_no_active_html(html_part.get_content())


def test_attendees_and_organizer(real_archive: Path, run: Run, tmp_path: Path) -> None:
    added = give_addresses(real_archive)
    roster = load_archive(real_archive).roster
    out = tmp_path / "out"
    result = kallelse(run, real_archive, out)
    _, ev = event_of((out / f"kallelse-{DAY}.ics").read_bytes())

    attendees = ev["ATTENDEE"]
    assert isinstance(attendees, list)
    expected = [(m.namn, f"mailto:{added[m.id]}") for m in roster.members if m.id in added]
    assert [(str(a.params["CN"]), str(a)) for a in attendees] == expected
    assert (
        "Per-Anders Johansson Ögren",
        "mailto:per-anders-johansson-ogren@example.se",
    ) in expected
    for a in attendees:
        assert a.params["RSVP"] == "TRUE"
        assert a.params["ROLE"] == "REQ-PARTICIPANT"
        assert a.params["PARTSTAT"] == "NEEDS-ACTION"
    organizer = ev["ORGANIZER"]
    assert str(organizer) == "mailto:mattias-gustafsson@example.se"  # the chair
    assert str(organizer.params["CN"]) == "Mattias Gustafsson"

    msg = parse_eml(out / f"kallelse-{DAY}.eml")
    assert [a for _, a in addresses(msg, "To")] == list(added.values())
    assert ("Svetlana Söderlund", "svetlana-soderlund@example.se") in addresses(msg, "To")
    assert "Nås inte (1 utan e-postadress i medlemmar.yaml): Anna-Karin Gustavsson" in flat(
        result.stderr
    )


def test_no_organizer_when_the_chair_has_no_address(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    give_addresses(real_archive, skip=("mattias-gustafsson",))
    out = tmp_path / "out"
    kallelse(run, real_archive, out)
    _, ev = event_of((out / f"kallelse-{DAY}.ics").read_bytes())
    assert "ORGANIZER" not in ev
    assert "mailto:mattias-gustafsson@example.se" not in [str(a) for a in ev["ATTENDEE"]]
    assert len(ev["ATTENDEE"]) == 19


# --- SEQUENCE ------------------------------------------------------------------------------


def test_sequence_rises_only_when_the_notice_changed(
    real_archive: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    kallelse(run, real_archive, out)
    _, ev0 = event_of((out / f"kallelse-{DAY}.ics").read_bytes())
    assert int(ev0["SEQUENCE"]) == 0
    assert sequence_key(real_archive).startswith("kallelse: {sekvens: 0, kontroll: ")

    path = real_archive / PLANNED
    text = path.read_text("utf-8")
    assert text.count('plats: "Teamsmöte"\n') == 1
    path.write_text(
        text.replace('plats: "Teamsmöte"\n', 'plats: "Skövde, Kulturhuset"\n'), encoding="utf-8"
    )
    result = kallelse(run, real_archive, out, name=f"kallelse-{DAY}-2.eml")
    assert f"kallelse-{DAY}-2.ics (version 2 av inbjudan: ersätter den förra i kalendern)" in (
        result.stdout
    )
    assert "SEQUENCE" not in result.stdout
    _, ev1 = event_of((out / f"kallelse-{DAY}-2.ics").read_bytes())
    assert int(ev1["SEQUENCE"]) == 1
    assert str(ev1["LOCATION"]) == "Skövde, Kulturhuset"
    assert str(ev1["UID"]) == str(ev0["UID"])
    assert sequence_key(real_archive).startswith("kallelse: {sekvens: 1, kontroll: ")
    key1 = sequence_key(real_archive)

    # unchanged: the same number, and the file is not touched
    before = path.read_bytes()
    kallelse(run, real_archive, out, name=f"kallelse-{DAY}-3.eml")
    _, ev2 = event_of((out / f"kallelse-{DAY}-3.ics").read_bytes())
    assert int(ev2["SEQUENCE"]) == 1
    assert sequence_key(real_archive) == key1
    assert path.read_bytes() == before

    # a changed time raises it again
    path.write_text(
        path.read_text("utf-8").replace('tid: "09:00-11:15"', 'tid: "13:00-15:00"'),
        encoding="utf-8",
    )
    kallelse(run, real_archive, out, name=f"kallelse-{DAY}-4.eml")
    _, ev3 = event_of((out / f"kallelse-{DAY}-4.ics").read_bytes())
    assert int(ev3["SEQUENCE"]) == 2
    assert ev3.decoded("DTSTART") == dt.datetime(2020, 9, 4, 13, 0, tzinfo=STOCKHOLM)
    assert str(ev3["UID"]) == str(ev0["UID"])

    # the planned protokoll with its `kallelse` key is still a valid file
    result = run("validera", "--rot", str(real_archive), "--format", "json")
    assert PLANNED not in [
        d["file"] for d in __import__("json").loads(result.stdout) if d["severity"] == "error"
    ]


def test_showing_the_notice_records_nothing(real_archive: Path, run: Run) -> None:
    result = run("kallelse", DAY, "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert "Dagordning" in result.stdout and "Uppföljning av uppdrag" in result.stdout
    assert "kallelse:" not in (real_archive / PLANNED).read_text("utf-8")


def test_pair_gets_one_free_name(real_archive: Path, run: Run, tmp_path: Path) -> None:
    """An .ics already there (saved from Outlook, say) refuses the pair, and the name
    proposed is free for both files."""
    out = tmp_path / "out"
    out.mkdir()
    (out / f"kallelse-{DAY}.ics").write_bytes(b"eget")
    (out / f"kallelse-{DAY}-2.eml").write_bytes(b"eget")
    result = run("kallelse", DAY, "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 2
    assert f"--ut {out.as_posix()}/kallelse-{DAY}-3.eml," in result.stderr
    assert (out / f"kallelse-{DAY}.ics").read_bytes() == b"eget"
    assert sorted(p.name for p in out.iterdir()) == [f"kallelse-{DAY}-2.eml", f"kallelse-{DAY}.ics"]
    assert not (real_archive / PLANNED).exists()  # all or nothing: no planerat protokoll either
    kallelse(run, real_archive, out, name=f"kallelse-{DAY}-3.eml")
    assert (out / f"kallelse-{DAY}-3.ics").exists() and (out / f"kallelse-{DAY}-3.eml").exists()


# --- injection -------------------------------------------------------------------------------

EVIL_TITLE = f"{SCRIPT} =?utf-8?q?=0D=0ABcc:_evil9@x.se?="
PLANNED_EVIL = f"""\
---
datum: {DAY}
tid: "09:00-11:15"
plats: "Rum 1\\r\\nATTENDEE:mailto:evil7@x.se"
status: planerat
ordforande: anna-ek
arenden:
  - nr: 1
    rubrik: "{EVIL_TITLE}"
  - nr: 2
    rubrik: "Rad\\r\\nBcc: evil8@x.se\\r\\nEND:VEVENT"
  - nr: 3
    rubrik: "[klicka](javascript:alert(1))"
---
"""


def test_injection_in_kallelse(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({PLANNED: PLANNED_EVIL}, members=INJECT_MEMBERS)
    out = tmp_path / "out"
    kallelse(run, root, out)
    msg = parse_eml(out / f"kallelse-{DAY}.eml")
    assert_header_safe(
        msg, {"Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "X-Unsent", "To"}
    )
    assert [a for _, a in addresses(msg, "To")] == ["anna.ek@example.se", "bo.ek@example.se"]
    assert str(msg["Subject"]).startswith("Kallelse Nät Bcc: evil1@x.se")

    html_part = msg.get_body(("html",))
    assert html_part is not None
    page_html = html_part.get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "<script" not in page_html.lower()
    assert_no_active_html(page_html)

    ics = (out / f"kallelse-{DAY}.ics").read_bytes()
    _, ev = event_of(ics)
    # one organizer and the two members with addresses, nothing injected
    assert [str(a) for a in ev["ATTENDEE"]] == [
        "mailto:anna.ek@example.se",
        "mailto:bo.ek@example.se",
    ]
    assert str(ev["ORGANIZER"]) == "mailto:anna.ek@example.se"
    assert b"evil7" not in b"".join(
        line for line in ics.split(b"\r\n") if line.startswith(b"ATTENDEE")
    )
    assert str(ev["LOCATION"]).startswith("Rum 1")
    assert EVIL_TITLE in str(ev["DESCRIPTION"])
    names = [
        ln.split(b":")[0].split(b";")[0]
        for ln in ics.split(b"\r\n")
        if ln and not ln.startswith(b" ")
    ]
    assert names.count(b"BEGIN") == names.count(b"END") == 5  # VCALENDAR, VTIMEZONE×3, VEVENT
    assert names.count(b"ATTENDEE") == 2 and names.count(b"ORGANIZER") == 1


def test_swedish_letters_round_trip_in_the_invitation(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    members = MEMBERS.replace("namn: Testnätverket", "namn: Nätverket för åäö ÅÄÖ").replace(
        "namn: Anna Ek", "namn: Åsa Ängström-Öberg"
    )
    root = archive({}, members=members)
    out = tmp_path / "out"
    kallelse(run, root, out)
    _, ev = event_of((out / f"kallelse-{DAY}.ics").read_bytes())
    assert str(ev["ORGANIZER"].params["CN"]) == "Åsa Ängström-Öberg"
    assert str(ev["SUMMARY"]).startswith("Nätverket för åäö ÅÄÖ")
    msg = parse_eml(out / f"kallelse-{DAY}.eml")
    assert msg["Subject"] == "Kallelse Nätverket för åäö ÅÄÖ fredag 4 september 2020"
    assert addresses(msg, "To") == [("Åsa Ängström-Öberg", "anna.ek@example.se")]


# --- the library: times and time zones -------------------------------------------------------


def test_span() -> None:
    day = dt.date(2020, 12, 4)
    start, end = span(day, "09:00-11:15", "Europe/Stockholm")
    assert start.utcoffset() == dt.timedelta(hours=1)  # winter time
    assert (end - start) == dt.timedelta(hours=2, minutes=15)
    start, end = span(day, "13:30", "Europe/Stockholm")
    assert end - start == dt.timedelta(hours=2)
    for bad in ("9-11", "11:00-09:00", "kl 9"):
        with pytest.raises(SiktError, match="Mötestiden"):
            span(day, bad, "Europe/Stockholm")
    with pytest.raises(SiktError, match="Okänd tidszon"):
        span(day, "09:00", "Europe/Skaraborg")


def _event(day: dt.date, tz: str = "Europe/Stockholm") -> MeetingEvent:
    return MeetingEvent(
        network="SIKT-nätverket",
        day=day,
        tid="09:00-11:15",
        tidszon=tz,
        plats="Teams",
        summary="Möte",
        description="Dagordning",
        organizer=Attendee("Åsa", "asa@example.se"),
        attendees=(Attendee("Örjan", "orjan@example.se"),),
        sequence=3,
    )


def test_vtimezone_matches_the_eu_rules() -> None:
    cal = Calendar.from_ical(invitation(_event(dt.date(2021, 1, 15))))
    (zone,) = cal.walk("VTIMEZONE")
    rules = {sub.name: sub for sub in zone.subcomponents}
    daylight, standard = rules["DAYLIGHT"], rules["STANDARD"]
    assert daylight.decoded("TZOFFSETFROM") == dt.timedelta(hours=1)
    assert daylight.decoded("TZOFFSETTO") == dt.timedelta(hours=2)
    assert standard.decoded("TZOFFSETTO") == dt.timedelta(hours=1)
    assert daylight["RRULE"]["BYMONTH"] == [3] and standard["RRULE"]["BYMONTH"] == [10]
    assert daylight["RRULE"]["BYDAY"] == ["-1SU"] and standard["RRULE"]["BYDAY"] == ["-1SU"]
    assert daylight.decoded("DTSTART").time() == dt.time(2, 0)
    assert standard.decoded("DTSTART").time() == dt.time(3, 0)
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART") == dt.datetime(2021, 1, 15, 9, 0, tzinfo=STOCKHOLM)
    assert ev.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert int(ev["SEQUENCE"]) == 3


def test_other_time_zones_get_a_vtimezone_too() -> None:
    cal = Calendar.from_ical(invitation(_event(dt.date(2021, 6, 1), "America/New_York")))
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["America/New_York"]
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART").utcoffset() == dt.timedelta(hours=-4)


def test_uid_is_stable_and_per_meeting() -> None:
    a = uid("SIKT-nätverket", dt.date(2020, 9, 4))
    assert a == uid("SIKT-nätverket", dt.date(2020, 9, 4))
    assert a != uid("SIKT-nätverket", dt.date(2020, 10, 2))
    assert a != uid("Annat nätverk", dt.date(2020, 9, 4))
    assert re.fullmatch(r"[a-z0-9-]+@sikt\.invalid", a)
