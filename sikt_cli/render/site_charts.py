"""The report charts (render/charts.py) on the goal pages, as inline SVG.

Each goal page gets one chart: agenda items, decisions and uppdrag under the goal and each
of its sub-goals, counted over the published protokoll only. The SVG is matplotlib's, with
a text alternative beside it (<figcaption>) and `role="img"`; before it reaches a page it
is parsed as XML and refused if it holds anything that could run or load (a script, a
foreignObject, an event attribute, a link outside the document).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from markupsafe import Markup

from sikt_cli.records.decisions import under_goal
from sikt_cli.render.site_data import SiteData

_FORBIDDEN_TAGS = ("script", "foreignObject", "iframe", "image", "a")
_LINK_ATTRS = re.compile(r"(^|\})href$")


def _counts(data: SiteData, goal: str) -> tuple[int, int, int]:
    items = [
        (p.day, a.nr)
        for p in data.pages
        for a in p.minutes.arenden
        if under_goal([r.value for r in a.mal], goal)
    ]
    decisions = sum(1 for d in data.decisions if under_goal(d.goals, goal))
    marked = set(items)
    uppdrag = sum(1 for a in data.tracker.items if (a.meeting.isoformat(), a.section) in marked)
    return len(items), decisions, uppdrag


def goal_charts(data: SiteData, goal_id: str) -> list[dict[str, Any]]:
    """The chart of one top goal: the goal itself and each sub-goal."""
    ids = [goal_id] + [g.id for g in data.archive.goals.goals if g.parent == goal_id]
    counts = [_counts(data, g) for g in ids]
    if not any(sum(c) for c in counts):
        return []
    from sikt_cli.render.charts import goal_chart

    title = f"Ärenden, beslut och uppdrag under {goal_id}"
    key = repr((ids, counts, title))
    if key in data.charts_before:  # the same input draws the same bytes (charts.py)
        data.charts[key] = data.charts_before[key]
    if key not in data.charts:
        chart = goal_chart(
            ids,
            [c[0] for c in counts],
            [c[1] for c in counts],
            [c[2] for c in counts],
            title=title,
        )
        data.charts[key] = (chart.svg, chart.alt)
    svg, alt = data.charts[key]
    anchor = f"diagram-{goal_id}"
    return [{"svg": safe_svg(svg, anchor), "alt": alt, "id": anchor}]


def safe_svg(svg: str, label_id: str) -> Markup:
    """The SVG for inline use, labelled by its caption; ValueError if it could run code."""
    root = ET.fromstring(svg)
    for el in root.iter():
        local = el.tag.rsplit("}", 1)[-1]
        if local in _FORBIDDEN_TAGS:
            raise ValueError(f"svg element {local} is not allowed inline")
        for name, value in el.attrib.items():
            if name.rsplit("}", 1)[-1].lower().startswith("on"):
                raise ValueError(f"svg attribute {name} is not allowed inline")
            if _LINK_ATTRS.search(name) and not value.startswith("#"):
                raise ValueError("svg link outside the document")
    tag = f'<svg role="img" aria-labelledby="{label_id}" '
    return Markup(svg.replace("<svg ", tag, 1))
