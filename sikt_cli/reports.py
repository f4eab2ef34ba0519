"""Lists the secretary sends to Utbildning Skaraborg: the member list and the meeting dates."""

from __future__ import annotations

from sikt_cli.archive import Archive
from sikt_cli.dates import swedish

ROLE_NAMES = {"ordforande": "ordförande", "sekreterare": "sekreterare", "skolchef": "skolchef"}
STATUS_NAMES = {"planerat": "planerat", "utkast": "hållet (utkast)", "justerat": "hållet, justerat"}


def member_list(archive: Archive) -> tuple[str, list[str], list[list[str]]]:
    net = archive.roster.network
    rows = [
        [m.namn, m.kommun, m.organisation or "", ", ".join(ROLE_NAMES.get(r, r) for r in m.roller)]
        for m in sorted(archive.roster.members, key=lambda m: (m.kommun, m.namn))
    ]
    return f"Medlemmar i {net.namn}", ["Namn", "Kommun", "Organisation", "Roller"], rows


def meeting_list(archive: Archive) -> tuple[str, list[str], list[list[str]]]:
    net = archive.roster.network
    dates: dict[str, str] = {}
    for m in archive.minutes:
        if m.datum:
            dates[m.datum.isoformat()] = STATUS_NAMES.get(m.status or "", m.status or "")
    for m in archive.minutes:
        for k in m.kommande:
            dates.setdefault(k.datum.isoformat(), "kommande")
    rows = []
    import datetime as dt

    for day, status in sorted(dates.items()):
        rows.append([day, swedish(dt.date.fromisoformat(day)), status])
    return f"Mötesdatum för {net.namn}", ["Datum", "Dag", "Status"], rows


def as_markdown(title: str, headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown list (tables are not in the mail HTML preset): one line per row."""
    lines = [f"# {title}", ""]
    for row in rows:
        first, *rest = row
        extra = ", ".join(v for v in rest if v)
        lines.append(f"- **{_escape(first)}**" + (f" – {_escape(extra)}" if extra else ""))
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    """Backslash-escape Markdown punctuation so names are shown as written."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|" else c for c in text)
