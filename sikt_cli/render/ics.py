"""Meetings as iCalendar: one VEVENT per meeting with a stable UID, built with icalendar.

Outlook and Teams match an update to the event they already have by UID, and take the
one with the higher SEQUENCE; DTSTART/DTEND carry a TZID with its VTIMEZONE.

METHOD belongs only to the copy in the mail's text/calendar part: iTIP via e-mail (RFC 6047
§2.4, RFC 5545 §3.7.2) wants METHOD and the Content-Type's `method` parameter together,
and RFC 4791 §4.1 forbids METHOD in a stored calendar object, so `kallelse-DATUM.ics` and
the attached copy have none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sikt_cli.errors import SiktError
from sikt_cli.text import slugify

# the years `sikt kallelse DATUM` accepts (dates.py); the time-zone rules are computed for
# the year before and after, and datetime ends at 9999-12-31 (OverflowError past it)
FIRST_YEAR, LAST_YEAR = 1900, 2999
_TIME = re.compile(r"^(\d{2}):(\d{2})(?:-(\d{2}):(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class MeetingEvent:
    network: str
    day: dt.date
    tid: str
    tidszon: str
    plats: str
    summary: str
    description: str
    organizer: Attendee | None
    attendees: tuple[Attendee, ...]
    sequence: int = 0
    url: str | None = None  # the meeting link (Teams …), from `lank`


def uid(network: str, day: dt.date) -> str:
    """Stable per network and meeting date: re-sending updates the event, never duplicates."""
    return f"{day.isoformat()}-{slugify(network) or 'natverk'}@sikt.invalid"


def span(day: dt.date, tid: str, tzid: str) -> tuple[dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    m = _TIME.match(tid.strip())
    if not m:
        raise SiktError(
            f"Mötestiden '{tid}' går inte att tolka.",
            'Skriv tiden som "09:00-11:15" i protokollet eller i natverk.tid.',
        )
    try:
        zone = ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SiktError(
            f"Okänd tidszon '{tzid}'.", "Ange t.ex. 'tidszon: Europe/Stockholm' under natverk."
        ) from exc
    start = dt.datetime(day.year, day.month, day.day, int(m[1]), int(m[2]), tzinfo=zone)
    if m[3]:
        end = dt.datetime(day.year, day.month, day.day, int(m[3]), int(m[4]), tzinfo=zone)
    else:
        end = start + dt.timedelta(hours=2)
    if end <= start:
        raise SiktError(f"Mötestiden '{tid}' slutar innan den börjar.", "Rätta tiden.")
    return start, end


def _address(person: Attendee, role: bool) -> Any:
    from icalendar import vCalAddress

    addr = vCalAddress(f"mailto:{person.email}")
    addr.params["CN"] = person.name
    if role:
        addr.params["ROLE"] = "REQ-PARTICIPANT"
        addr.params["PARTSTAT"] = "NEEDS-ACTION"
        addr.params["RSVP"] = "TRUE"
    return addr


def location(event: MeetingEvent) -> str:
    """LOCATION: the place, and the meeting link after it ("Teamsmöte; https://…"), the
    way Outlook lists several locations; Outlook shows a link there as one to click, also in
    the reminder, where the description is not shown."""
    return "; ".join(p for p in (event.plats, event.url) if p)


def invitation(
    event: MeetingEvent, *, method: str | None = None, stamp: dt.datetime | None = None
) -> bytes:
    """A calendar with one VEVENT and the VTIMEZONE it needs; METHOD only when `method` is
    given (the mail's text/calendar part), never in a file that is stored."""
    from icalendar import Calendar, Event

    if not FIRST_YEAR <= event.day.year <= LAST_YEAR:
        raise SiktError(
            f"Mötesdatumet {event.day.isoformat()} är orimligt för en kalenderinbjudan "
            f"(år {FIRST_YEAR}–{LAST_YEAR}).",
            "Rätta datumet under 'kommande' i protokollet, t.ex. 'datum: 2020-09-04'.",
        )
    start, end = span(event.day, event.tid, event.tidszon)
    cal = Calendar()
    cal.add("prodid", "-//sikt//kallelse//SV")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add_component(vtimezone(event.tidszon, event.day.year))
    ev = Event()
    ev.add("uid", uid(event.network, event.day))
    ev.add("dtstamp", (stamp or dt.datetime.now(dt.UTC)).replace(microsecond=0))
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("sequence", event.sequence)
    ev.add("summary", event.summary)
    ev.add("location", location(event))
    if event.url:
        ev.add("url", event.url)
    ev.add("description", event.description)
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    if event.organizer:
        ev.add("organizer", _address(event.organizer, role=False))
    for person in event.attendees:
        ev.add("attendee", _address(person, role=True), encode=False)
    cal.add_component(ev)
    return bytes(cal.to_ical())


def _transitions(zone: Any, year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta, str]]:
    """(local wall time of change, offset before, offset after, name after) in `year`."""
    out = []
    t = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    prev = t.astimezone(zone).utcoffset()
    while t.year == year:
        nxt = t + dt.timedelta(hours=1)
        off = nxt.astimezone(zone).utcoffset()
        if off != prev and off is not None and prev is not None:
            name = nxt.astimezone(zone).tzname() or ""
            out.append(((nxt + prev).replace(tzinfo=None), prev, off, name))
            prev = off
        t = nxt
    return out


def vtimezone(tzid: str, year: int) -> Any:
    """VTIMEZONE for `tzid`: yearly RRULEs (the form Outlook writes itself) when the zone
    changes on the last Sunday of two months, as in the EU; otherwise icalendar's
    RDATE-based form for the years around `year`."""
    from zoneinfo import ZoneInfo

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(tzid)
    changes = _transitions(zone, year)
    last_sunday = all(
        c[0].weekday() == 6 and (c[0] + dt.timedelta(days=7)).month != c[0].month for c in changes
    )
    if len(changes) != 2 or not last_sunday:
        return Timezone.from_tzid(
            tzid, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 1, 12, 31)
        )
    tz = Timezone()
    tz.add("tzid", tzid)
    for when, before, after, name in changes:
        sub = TimezoneDaylight() if after > before else TimezoneStandard()
        last = dt.date(1970, when.month + 1, 1) - dt.timedelta(days=1)
        sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)
        sub.add("dtstart", dt.datetime(1970, when.month, sunday.day, when.hour, when.minute))
        sub.add("rrule", {"freq": "yearly", "bymonth": when.month, "byday": "-1su"})
        sub.add("tzoffsetfrom", before)
        sub.add("tzoffsetto", after)
        sub.add("tzname", name or tzid)
        tz.add_component(sub)
    return tz
