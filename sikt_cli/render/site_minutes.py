"""The context of one protokoll page of the web archive: the record as people read it.

The page is the minutes as every reader gets them (render/minutes_document.py, the same
blocks as the mail and the PDF): who was there, what was decided, the uppdrag with their
status today and links to their follow-ups, then the text of each agenda item. The page
adds, through `SiteLinks`, its stable anchors (`arende-N`, `uppdrag-N`, `uppfoljning-…`),
its links and each decision's id and status; html_writer escapes every text, and a link
is kept only if `site_link` allows it. Templates only format what is shaped here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from markupsafe import Markup

from sikt_cli.archive.model import Decision
from sikt_cli.dates import swedish
from sikt_cli.records import publication
from sikt_cli.records.action_items import ActionItem, FollowUp, assignee_names, shown_text
from sikt_cli.render.minutes_lines import MinutesLinks
from sikt_cli.render.site_data import Page, SiteData

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def minutes_url(day: str) -> str:
    return f"protokoll/{day}/"


def item_anchor(a: ActionItem) -> str:
    return f"uppdrag-{a.number}"


def item_href(a: ActionItem) -> str:
    """The uppdrag on its protokoll page, from the site root."""
    return f"{minutes_url(a.meeting.isoformat())}#{item_anchor(a)}"


def follow_up_anchor(action_id: str) -> str:
    return "uppfoljning-" + action_id.replace("#", "-")


def item_state(a: ActionItem, today: dt.date) -> tuple[str, str]:
    """The uppdrag's state as words (never colour alone) and, when done, where (site path)."""
    if not a.is_open:
        last = a.follow_ups[-1]
        day = last.meeting.isoformat()
        return f"klart {day}", f"{minutes_url(day)}#{follow_up_anchor(a.id)}"
    if a.overdue(today):
        return f"öppet, skulle vara klart {a.due}", ""
    return "öppet", ""


def item_row(a: ActionItem, data: SiteData, rot: str) -> dict[str, Any]:
    state, where = item_state(a, data.options.today)
    return {
        "id": a.id,
        "href": rot + item_href(a),
        "anchor": item_anchor(a),
        "vem": assignee_names(a, data.archive.roster),
        "text": shown_text(a, data.archive.roster),
        "senast": a.due.isoformat() if a.due else "",
        "status": state,
        "status_href": rot + where if where else "",
        "oppet": a.is_open,
        "datum": a.meeting.isoformat(),
    }


class SiteLinks(MinutesLinks):
    """The protokoll page's anchors, links and states today (render/minutes_lines.py)."""

    report_to = False  # an address, and the site shows none without --med-epost
    not_planned = True

    def __init__(self, page: Page, data: SiteData, rot: str) -> None:
        self.today = data.options.today
        self.rot = rot
        records = data.decisions_in.get(page.minutes.rel, [])
        self.decisions = {d.line: d for d in records}

    def section_anchor(self, nr: int) -> str:
        return f"arende-{nr}"

    def action_anchor(self, item: ActionItem) -> str:
        return item_anchor(item)

    def action_href(self, item: ActionItem) -> str:
        return self.rot + item_href(item)

    def action_state(self, item: ActionItem) -> tuple[str, str]:
        state, where = item_state(item, self.today)
        return state, self.rot + where if where else ""

    def follow_up_anchor(self, fu: FollowUp) -> str:
        return follow_up_anchor(fu.action_id)

    def decision_note(self, decision: Decision) -> str:
        record = self.decisions.get(decision.pos.line)
        return f"{record.id}, {record.state_text(self.today)}" if record else ""


def site_link(url: str | None, *, allow_mailto: bool) -> str | None:
    """The href a page may keep: http(s), in-page, relative, and mailto when e-mail
    addresses may be shown; None (the text stays, the link goes) for anything else.
    Control characters and whitespace in the scheme (the `java\\tscript:` trick) are
    stripped before the scheme is read, as browsers do."""
    if url is None:
        return None
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url)
    if not cleaned or cleaned.startswith(("//", "\\")):
        return None  # protocol-relative: another host
    m = _SCHEME.match(cleaned)
    if m is None:
        return cleaned
    scheme = m.group(1).lower()
    return cleaned if scheme in ("http", "https") or (allow_mailto and scheme == "mailto") else None


def minutes_page(page: Page, data: SiteData, rot: str) -> dict[str, Any]:
    """Everything the protokoll page shows: the minutes as render/minutes_document builds
    them for every reader, with the page's anchors and links, written by html_writer."""
    from sikt_cli.render.document_blocks import Document
    from sikt_cli.render.html_writer import to_html
    from sikt_cli.render.minutes_document import MinutesText, minutes_document

    m = page.minutes
    assert m.datum is not None
    original = page.original
    withheld = publication.withheld_items(original)
    source = MinutesText(
        page.body,
        page.body_first_line,
        notes=page.notes,
        withheld={a.nr: publication.item_note(a) for a in withheld},
    )
    new_items = data.items_of(page.day)
    tracked = [*new_items, *(a for a, _f in data.followed_in.get(m.rel, []))]
    doc = minutes_document(
        data.archive, m, tracked, new_items, source, utkast=page.draft,
        links=SiteLinks(page, data, rot),
    )  # fmt: skip
    title = f"Protokoll {swedish(m.datum)}"
    shown = ("UTKAST – " if page.draft else "") + title

    def judge(url: str | None) -> str | None:
        return site_link(url, allow_mailto=data.options.with_email)

    return {
        "titel": title,
        "datum": page.day,
        "protokoll": Markup(to_html(Document(shown, doc.head + doc.summary), links=judge)),
        "arenden": [{"nr": a.nr, "rubrik": a.rubrik} for a in m.arenden],
        "text": Markup(to_html(Document(shown, doc.body), title=False, links=judge)),
        **_neighbours(page, data, rot),
    }


def decision_anchor(decision_id: str) -> str:
    return "beslut-" + decision_id.replace("#", "-")


def _decision(did: str, nr: int, rubrik: str, text: str, state: str) -> dict[str, Any]:
    return {
        "id": did,
        "anchor": decision_anchor(did),
        "arende": nr,
        "rubrik": rubrik,
        "text": text,
        "status": state,
    }


def _neighbours(page: Page, data: SiteData, rot: str) -> dict[str, Any]:
    i = data.position[page.day]
    prev = data.pages[i - 1].day if i > 0 else ""
    nxt = data.pages[i + 1].day if i + 1 < len(data.pages) else ""
    return {
        "foregaende": {"datum": prev, "href": rot + minutes_url(prev)} if prev else None,
        "nasta": {"datum": nxt, "href": rot + minutes_url(nxt)} if nxt else None,
    }
