"""sitemap.xml and the Atom feed (RFC 4287) of the web archive, built with ElementTree so
every value is escaped as XML. Deterministic: no build time is written, so an unchanged
archive gives the same bytes (and the feed readers see nothing new)."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from sikt_cli.dates import swedish
from sikt_cli.render.site_data import SiteData
from sikt_cli.render.site_minutes import decision_anchor, minutes_url

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _id(data: SiteData, path: str) -> str:
    """A stable entry id that does not depend on where the site is published."""
    net = data.archive.roster.network.namn
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sikt-webb:{net}:{path}").urn


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text:
        el.text = text
    return el


def atom(data: SiteData) -> bytes:
    """The newest justerade protokoll and decisions, newest first. Links are relative to
    the feed (atom.xml at the site root) unless --url gives the published address."""
    ET.register_namespace("", ATOM)
    base = data.options.url.rstrip("/") + "/" if data.options.url else ""
    net = data.archive.roster.network
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", f"{net.namn}: protokoll och beslut")
    _sub(feed, "id", _id(data, "atom.xml"))
    _sub(feed, "link", rel="self", href=base + "atom.xml")
    _sub(feed, "link", rel="alternate", href=base or "./")
    author = _sub(feed, "author")
    _sub(author, "name", net.huvudman or net.namn)
    entries: list[tuple[dt.date, str, str, str, str]] = []
    for p in data.pages:
        if p.draft or p.minutes.datum is None:
            continue
        day = p.minutes.justerad or p.minutes.datum
        texts = "; ".join(b.text for b in p.minutes.beslut)
        title = f"Protokoll {swedish(p.minutes.datum)}"
        entries.append((day, minutes_url(p.day), title, texts or "Inga beslut.", f"{p.day}~"))
    shown = {p.day: p for p in data.pages if not p.draft}
    for d in data.decisions:
        page = shown.get(d.meeting.isoformat())
        if page is None:
            continue
        day = page.minutes.justerad or d.meeting
        href = f"beslut/#{decision_anchor(d.id)}"
        entries.append((day, href, f"Beslut {d.id}: {d.item_rubrik}", d.text, d.id))
    entries.sort(key=lambda e: (e[0], e[4]), reverse=True)  # a protokoll before its decisions
    _sub(feed, "updated", _stamp(entries[0][0]) if entries else "1970-01-01T00:00:00Z")
    for day, href, title, summary, _key in entries[:200]:
        entry = _sub(feed, "entry")
        _sub(entry, "title", title)
        _sub(entry, "id", _id(data, href))
        _sub(entry, "link", rel="alternate", href=base + href)
        _sub(entry, "updated", _stamp(day))
        _sub(entry, "summary", summary)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def sitemap(data: SiteData, html_paths: list[str]) -> bytes:
    """Every page at its published address (--url), without index.html."""
    ET.register_namespace("", SITEMAP)
    base = data.options.url.rstrip("/") + "/"
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in sorted(html_paths):
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        loc = ET.SubElement(url, f"{{{SITEMAP}}}loc")
        loc.text = base + path.removesuffix("index.html")
    return bytes(ET.tostring(urlset, encoding="utf-8", xml_declaration=True)) + b"\n"
