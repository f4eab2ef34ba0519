"""The context of one protokoll page of the web archive: the record as people read it.

Like the minutes mail, the page is built from the model: who was there, what was decided,
the uppdrag with their status today and links to their follow-ups, then the text of each
agenda item (render/site_markdown.py). Templates only format what is shaped here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sikt_cli.dates import swedish
from sikt_cli.records.action_items import ActionItem, assignee_names
from sikt_cli.render.site_data import Page, SiteData
from sikt_cli.render.site_markdown import BodyContext, TaskView, render_body
from sikt_cli.render.site_minutes_blocks import minutes_record_html


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
        "text": a.text,
        "senast": a.due.isoformat() if a.due else "",
        "status": state,
        "status_href": rot + where if where else "",
        "oppet": a.is_open,
        "datum": a.meeting.isoformat(),
    }


def names_on(data: SiteData, day: dt.date) -> dict[str, str]:
    """`@id` → what the page shows: a member's name as it was that day, a group's name."""
    roster = data.archive.roster
    names = {m.id: roster.name_on(m.id, day) for m in roster.members}
    names.update({g.id: g.namn for g in roster.groups})
    names["alla"] = "Alla"
    return names


def _task_views(page: Page, data: SiteData, rot: str) -> dict[int, TaskView]:
    views: dict[int, TaskView] = {}
    roster = data.archive.roster
    for a in data.items_of(page.day):
        if a.file == page.minutes.rel:
            state, _ = item_state(a, data.options.today)
            views[a.line] = TaskView(
                f"Uppdrag {a.id}", "", item_anchor(a), assignee_names(a, roster), state
            )
    for a, f in data.followed_in.get(page.minutes.rel, []):
        views[f.line] = TaskView(
            f"Uppföljning av {a.id}",
            rot + item_href(a),
            follow_up_anchor(a.id),
            "",
            "klart" if f.done else "fortfarande öppet",
        )
    return views


def minutes_page(page: Page, data: SiteData, rot: str) -> dict[str, Any]:
    """Everything the protokoll page shows, as plain data."""
    m = page.minutes
    assert m.datum is not None
    roster = data.archive.roster
    day = m.datum
    body = BodyContext(
        names_on(data, day),
        _task_views(page, data, rot),
        page.body_first_line,
        allow_mailto=data.options.with_email,
    )
    items = {a.nr: a.rubrik for a in m.arenden}
    ctx = {
        "titel": f"Protokoll {swedish(day)}",
        "datum": page.day,
        "datum_text": swedish(day),
        "tid": m.tid or "",
        "plats": m.plats or "",
        "utkast": page.draft,
        "status": m.status or "",
        "justerad": m.justerad.isoformat() if m.justerad else "",
        "ordforande": roster.name_on(m.ordforande.value, day) if m.ordforande else "",
        "sekreterare": roster.name_on(m.sekreterare.value, day) if m.sekreterare else "",
        "justerare": [roster.name_on(r.value, day) for r in m.justerare],
        "narvarande": [_person(data, r.value, day) for r in m.narvarande],
        "franvarande": [
            r.value if r.value in roster.kommuner else roster.name_on(r.value, day)
            for r in m.franvarande
        ],
        "gaster": list(m.gaster),
        "arenden": [{"nr": a.nr, "rubrik": a.rubrik} for a in m.arenden],
        "beslut": [
            _decision(
                d.id, d.item_nr, items.get(d.item_nr, ""), d.text, d.state_text(data.options.today)
            )
            for d in data.decisions_in.get(m.rel, [])
        ],
        "uppdrag": [item_row(a, data, rot) for a in data.items_of(page.day)],
        "text": render_body(page.body, body),
        "noter": list(page.notes),
        "kommande": [
            {"datum": k.datum.isoformat(), "datum_text": swedish(k.datum), "not": k.not_ or ""}
            for k in m.kommande
        ],
        "ej_inplanerat": list(m.ej_inplanerat),
        **_neighbours(page, data, rot),
    }
    ctx["protokoll"] = minutes_record_html(ctx)
    return ctx


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


def _person(data: SiteData, member_id: str, day: dt.date) -> dict[str, str]:
    m = data.archive.roster.member(member_id)
    if m is None:
        return {"namn": member_id, "kommun": ""}
    name, kommun = m.as_of(day)
    return {"namn": name, "kommun": kommun}


def _neighbours(page: Page, data: SiteData, rot: str) -> dict[str, Any]:
    i = data.position[page.day]
    prev = data.pages[i - 1].day if i > 0 else ""
    nxt = data.pages[i + 1].day if i + 1 < len(data.pages) else ""
    return {
        "foregaende": {"datum": prev, "href": rot + minutes_url(prev)} if prev else None,
        "nasta": {"datum": nxt, "href": rot + minutes_url(nxt)} if nxt else None,
    }
