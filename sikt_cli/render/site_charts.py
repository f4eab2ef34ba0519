"""The report charts (render/charts.py) on the goal pages, as inline SVG.

Each goal page gets one chart: agenda items, decisions and uppdrag under the goal and each
of its sub-goals, counted over the published protokoll only. The SVG is matplotlib's, with
a text alternative beside it (<figcaption>) and `role="img"`; before it reaches a page it
is parsed as XML and refused if it holds anything that could run or load (a script, a
foreignObject, an event attribute, a link outside the document).

The pages' policy has no `style-src 'unsafe-inline'`, so the SVG carries no `style`
attribute and no `<style>` element: matplotlib's `style="fill: #fff; stroke: …"` becomes
SVG presentation attributes (`fill="#fff"`), which the policy does not govern, and its
one rule `*{stroke-linejoin: round; stroke-linecap: butt}` is applied where CSS would
apply it (a rule beats a presentation attribute; a style attribute beats the rule).
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
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_XLINK_NAME = "xlink:href"
_STAR_RULE = re.compile(r"^\*\s*\{([^{}]*)\}$")
# SVG's presentation attributes (SVG 1.1 §6.4, SVG 2 §6.6): the properties an attribute
# can carry; a declaration outside this list has no attribute form and is dropped
_PRESENTATION = frozenset(
    """alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering cursor direction display dominant-baseline
    fill fill-opacity fill-rule filter flood-color flood-opacity font-family font-size
    font-size-adjust font-stretch font-style font-variant font-weight image-rendering
    letter-spacing lighting-color marker-end marker-mid marker-start mask opacity overflow
    paint-order pointer-events shape-rendering stop-color stop-opacity stroke
    stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width text-anchor text-decoration text-rendering transform-origin
    unicode-bidi vector-effect visibility word-spacing writing-mode""".split()
)


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
    """The SVG for inline use, labelled by its caption, with no inline CSS (see the module
    docstring); ValueError if it could run code or holds what cannot be written inline."""
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
    for metadata in root.findall(f"{_SVG}metadata"):  # matplotlib's RDF: nothing to show
        root.remove(metadata)
    _without_inline_css(root)
    _plain_names(root)
    root.attrib = {"role": "img", "aria-labelledby": label_id, **root.attrib}
    root.set("xmlns", _SVG[1:-1])
    if any(_XLINK_NAME in el.attrib for el in root.iter()):
        root.set("xmlns:xlink", _XLINK[1:-1])
    return Markup(ET.tostring(root, encoding="unicode"))


def _declarations(value: str) -> dict[str, str]:
    """`fill: #fff; stroke: none` → {fill: #fff, stroke: none}."""
    out: dict[str, str] = {}
    for part in value.split(";"):
        name, sep, val = part.partition(":")
        if sep and name.strip():
            out[name.strip().lower()] = val.strip()
    return out


def _star_rules(root: ET.Element) -> dict[str, str]:
    """The declarations of the `<style>` elements' `* {…}` rules; the elements removed."""
    star: dict[str, str] = {}
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag != f"{_SVG}style":
                continue
            rule = _STAR_RULE.match((child.text or "").strip())
            if rule is None:
                raise ValueError("svg <style> with a rule other than * {…}")
            star.update(_declarations(rule.group(1)))
            parent.remove(child)
    return star


def _without_inline_css(root: ET.Element) -> None:
    """Style attributes and `*` rules as presentation attributes, with CSS's precedence:
    style attribute > the `*` rule > presentation attribute. The rule applies to every
    element, inheritance does not: a child of an element that sets its own value gets the
    rule's value again."""
    star = {k: v for k, v in _star_rules(root).items() if k in _PRESENTATION}
    own: dict[ET.Element, dict[str, str]] = {}
    for el in root.iter():
        mine = _declarations(el.attrib.pop("style", ""))
        own[el] = mine
        for name, value in star.items():
            if name in el.attrib and name not in mine:
                el.set(name, value)
        for name, value in mine.items():
            if name in _PRESENTATION:
                el.set(name, value)
    for name, value in star.items():
        root.set(name, own[root].get(name, value))
        for el in root.iter():
            if own[el].get(name, value) == value:
                continue
            for child in el:
                if name not in own[child]:
                    child.set(name, value)


def _plain_names(root: ET.Element) -> None:
    """Names as an HTML page writes inline SVG: `<path>`, `xlink:href` (the HTML parser
    puts them in their namespaces); ValueError for an element of another namespace."""
    for el in root.iter():
        if not el.tag.startswith(_SVG):
            raise ValueError(f"svg element {el.tag} is not SVG")
        el.tag = el.tag[len(_SVG) :]
        if f"{_XLINK}href" in el.attrib:
            el.set(_XLINK_NAME, el.attrib.pop(f"{_XLINK}href"))
        if any(name.startswith("{") for name in el.attrib):
            raise ValueError(f"svg attribute of another namespace on {el.tag}")
