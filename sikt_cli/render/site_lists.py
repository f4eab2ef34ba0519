"""Contexts of the web archive's overview pages: start, protokoll list, decision register,
uppdrag, goals, members and the accessibility statement. Plain data; templates format."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sikt_cli.archive.body import FILL_IN
from sikt_cli.archive.value_forms import email_ok
from sikt_cli.dates import swedish
from sikt_cli.records.decisions import DecisionRecord, under_goal
from sikt_cli.records.overview import ROLE_NAMES
from sikt_cli.render.site_charts import goal_charts
from sikt_cli.render.site_data import SiteData
from sikt_cli.render.site_minutes import decision_anchor, item_row, minutes_url

LATEST = 5  # decisions on the start page


def decision_row(d: DecisionRecord, data: SiteData, rot: str) -> dict[str, Any]:
    day = d.meeting.isoformat()
    goals = data.archive.goals.by_id
    return {
        "id": d.id,
        "anchor": decision_anchor(d.id),
        "datum": day,
        "href": f"{rot}{minutes_url(day)}#arende-{d.item_nr}",
        "arende": d.item_nr,
        "rubrik": d.item_rubrik,
        "text": d.text,
        "status": d.state_text(data.options.today),
        "mal": [{"id": g, "namn": goals[g].namn} for g in d.goals if g in goals],
    }


def start_page(data: SiteData, rot: str) -> dict[str, Any]:
    net = data.archive.roster.network
    today = data.options.today
    coming = sorted({k.datum for p in data.pages for k in p.minutes.kommande if k.datum >= today})
    latest = data.pages[-1] if data.pages else None
    return {
        "titel": net.namn,
        "sidtitel": "Protokollarkiv",
        "fullt_namn": net.fullt_namn or "",
        "huvudman": net.huvudman or "",
        "nasta_mote": swedish(coming[0]) if coming else "",
        "senaste": (
            {"datum_text": swedish(latest.minutes.datum), "href": rot + minutes_url(latest.day)}
            if latest and latest.minutes.datum
            else None
        ),
        "mal": _top_goals(data, rot),
        "beslut": [decision_row(d, data, rot) for d in reversed(data.decisions[-LATEST:])],
        "antal_protokoll": len(data.pages),
    }


def _top_goals(data: SiteData, rot: str) -> list[dict[str, Any]]:
    return [
        {"id": g.id, "namn": g.namn, "href": f"{rot}mal/{g.id}/"}
        for g in data.archive.goals.goals
        if g.parent is None
    ]


def minutes_list(data: SiteData, rot: str) -> dict[str, Any]:
    rows = []
    for p in reversed(data.pages):
        assert p.minutes.datum is not None
        rows.append(
            {
                "datum": p.day,
                "datum_text": swedish(p.minutes.datum),
                "href": rot + minutes_url(p.day),
                "utkast": p.draft,
                "beslut": len(p.minutes.beslut),
                "uppdrag": len(data.items_of(p.day)),
            }
        )
    return {"titel": "Protokoll", "protokoll": rows, "undanhallna": list(data.withheld)}


def register_page(data: SiteData, rot: str) -> dict[str, Any]:
    return {
        "titel": "Beslutsregister",
        "beslut": [decision_row(d, data, rot) for d in reversed(data.decisions)],
    }


def action_items_page(data: SiteData, rot: str) -> dict[str, Any]:
    """Open and closed uppdrag, and per member the open ones they have."""
    rows = [item_row(a, data, rot) for a in data.tracker.items]
    roster = data.archive.roster
    per_member = []
    for m in sorted(roster.members, key=lambda m: m.namn):
        mine = [
            item_row(a, data, rot)
            for a in data.tracker.items
            if a.is_open and a.concerns(m.id, roster)
        ]
        if mine:
            per_member.append({"namn": m.namn, "kommun": m.kommun, "uppdrag": mine})
    return {
        "titel": "Uppdrag",
        "oppna": [r for r in rows if r["oppet"]],
        "klara": [r for r in rows if not r["oppet"]],
        "per_medlem": per_member,
    }


def goal_pages(data: SiteData, rot: str) -> dict[str, dict[str, Any]]:
    """One page per top goal: its effect goals and sub-assignments, and what was done under
    it (agenda items and decisions linked to it or a sub-goal)."""
    goals = data.archive.goals
    out: dict[str, dict[str, Any]] = {}
    for g in goals.goals:
        if g.parent is not None:
            continue
        subs = [s for s in goals.goals if s.parent == g.id]
        items = [
            {
                "datum": p.day,
                "href": f"{rot}{minutes_url(p.day)}#arende-{a.nr}",
                "nr": a.nr,
                "rubrik": a.rubrik,
                "mal": [r.value for r in a.mal if under_goal([r.value], g.id)],
            }
            for p in reversed(data.pages)
            for a in p.minutes.arenden
            if under_goal([r.value for r in a.mal], g.id)
        ]
        out[g.id] = {
            "titel": f"{g.id}: {g.namn}",
            "id": g.id,
            "namn": g.namn,
            "effektmal": list(g.effektmal),
            "delmal": [{"id": s.id, "text": s.namn, "till": str(s.till or "")} for s in subs],
            "arenden": items,
            "beslut": [
                decision_row(d, data, rot)
                for d in reversed(data.decisions)
                if under_goal(d.goals, g.id)
            ],
            "diagram": goal_charts(data, g.id),
        }
    return out


def goals_page(data: SiteData, rot: str) -> dict[str, Any]:
    return {"titel": "Mål", "mal": _top_goals(data, rot)}


def members_page(data: SiteData) -> dict[str, Any]:
    """Names and municipalities (and roles); e-mail addresses only with --med-epost."""
    today = data.options.today
    rows = [
        {
            "namn": m.namn,
            "kommun": m.kommun,
            "roller": ", ".join(ROLE_NAMES.get(r, r) for r in m.roller),
            "epost": (m.epost or "") if data.options.with_email else "",
        }
        for m in sorted(data.archive.roster.members, key=lambda m: (m.kommun, m.namn))
        if m.active_on(today)
    ]
    return {"titel": "Medlemmar", "medlemmar": rows, "med_epost": data.options.with_email}


def accessibility_page(data: SiteData) -> dict[str, Any]:
    """The statement the accessibility law (DOS-lagen) asks for, from `natverk` and its
    `tillganglighet` block; FYLL I where they cannot say (Digg asks for each of these)."""
    net = data.archive.roster.network
    a = net.tillganglighet
    return {
        "titel": "Tillgänglighetsredogörelse",
        "natverk": net.fullt_namn or net.namn,
        "ansvarig": net.huvudman or FILL_IN,
        "kontakt": a.kontakt or FILL_IN,
        "kontakt_href": contact_link(a.kontakt),
        "forenlighet": COMPLIANCE_WORDS.get(
            a.forenlighet or "", f"{FILL_IN} (helt, delvis eller inte förenlig)"
        ),
        "granskad": a.granskad.isoformat() if a.granskad else FILL_IN,
        "metod": a.metod or "",
        "brister": list(a.brister),
        "uppdaterad": a.uppdaterad.isoformat() if a.uppdaterad else FILL_IN,
        "fyll_i": FILL_IN,
        "digg": DIGG_REPORT,
    }


def contact_link(contact: str | None) -> str:
    """Where the statement's contact leads: a form at an https:// address, or a mail to an
    e-mail address; nothing for a telephone number or other text."""
    if not contact:
        return ""
    if contact.startswith("https://"):
        return contact
    # percent-encoded: `a?cc=x@y.se` is a valid address, and as a raw mailto: it would
    # write to `a` with a copy to x@y.se instead of the address the page shows
    return f"mailto:{quote(contact, safe='@')}" if email_ok(contact) else ""


DIGG_REPORT = "https://www.digg.se/tdosanmalan"  # Digg's form for reporting (Digg asks for it)
COMPLIANCE_WORDS = {
    "helt": "helt förenlig",
    "delvis": "delvis förenlig",
    "inte": "inte förenlig",
}
