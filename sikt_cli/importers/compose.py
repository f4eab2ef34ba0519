"""The draft protokoll as text: frontmatter in the archive's key order, a `## N. Rubrik`
section per item, `# importerat: …` comments and FYLL I markers where the importer doubts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sikt_cli.archive.body import FILL_IN
from sikt_cli.importers.head_info import Info
from sikt_cli.importers.item_body import ItemOut
from sikt_cli.importers.structure import Item
from sikt_cli.importers.upcoming import Upcoming
from sikt_cli.importers.yaml_text import comment, scalar


@dataclass(slots=True)
class Draft:
    info: Info
    source: str
    tid: str
    plats: str
    defaults_note: list[str]  # "tid", "plats" when taken from medlemmar.yaml
    ordforande: tuple[str | None, str]  # (id, comment)
    sekreterare: tuple[str | None, str]
    justerare: list[str]
    present: list[tuple[str, str]]
    absent: list[tuple[str, str]]
    guests: list[str]
    items: list[Item]
    bodies: list[ItemOut]
    fill_in: list[str] = field(default_factory=list)  # doubts with no place in the frontmatter


def _line(key: str, value: str, note: str = "") -> str:
    return f"{key}: {value}   {comment(note)}" if note else f"{key}: {value}"


def _listing(key: str, values: list[tuple[str, str]]) -> list[str]:
    if not values:
        return [f"{key}: []"]
    if not any(c for _, c in values) and len(values) <= 4:
        return [f"{key}: [" + ", ".join(scalar(v) for v, _ in values) + "]"]
    out = [f"{key}:"]
    for v, c in values:
        out.append(f"  - {scalar(v)}   {comment(c)}" if c else f"  - {scalar(v)}")
    return out


def _role(key: str, value: tuple[str | None, str], what: str) -> str:
    member, note = value
    if member is None:
        return f"{key}:   " + comment(f"{FILL_IN}: {what}" + (f" ({note})" if note else ""))
    return _line(key, member, note)


def _kommande(coming: list[Upcoming]) -> list[str]:
    seen: set[dt.date] = set()
    out: list[str] = []
    for c in coming:
        if c.datum in seen:
            continue
        seen.add(c.datum)
        out.append(f"  - datum: {c.datum.isoformat()}")
        if c.ansvarig:
            out.append(f"    ansvarig: {c.ansvarig}")
        if c.not_:
            out.append(f"    not: {scalar(c.not_)}")
    if not out:
        return ["kommande: []   " + comment(f"{FILL_IN}: nästa möte framgår inte av källan")]
    return ["kommande:", *out]


def frontmatter(d: Draft) -> list[str]:
    i = d.info
    out = [
        _line("datum", i.day.isoformat(), i.day_comment),
        _line(
            "tid",
            scalar(d.tid),
            "importerat: tid saknas i källan" if "tid" in d.defaults_note else "",
        ),
        _line(
            "plats",
            scalar(d.plats),
            "importerat: plats saknas i källan" if "plats" in d.defaults_note else "",
        ),
        _line("status", "utkast", f"importerat från {d.source}"),
        _role("ordforande", d.ordforande, "ordförandens id"),
        _role("sekreterare", d.sekreterare, "sekreterarens id"),
    ]
    if d.justerare:
        out.append("justerare: [" + ", ".join(d.justerare) + "]")
    out += (
        _listing("narvarande", d.present)
        if d.present
        else ["narvarande:   " + comment(f"{FILL_IN}: ingen närvarolista hittades i källan")]
    )
    out += _listing("franvarande", d.absent)
    if d.guests:
        out.append("gaster: [" + ", ".join(scalar(g) for g in d.guests) + "]")
    out.append("arenden:")
    for item in d.items:
        original = "" if item.label == f"{item.nr}." else f"importerat: {item.label} i källan"
        out.append(_line("  - nr", str(item.nr), original))
        out.append(f"    rubrik: {scalar(item.rubrik)}")
    decisions = [
        (item.nr, text)
        for item, body in zip(d.items, d.bodies, strict=True)
        for text in body.decisions
    ]
    if decisions:
        out.append("beslut:")
        for nr, text in decisions:
            out += [f"  - arende: {nr}", f"    text: {scalar(text)}"]
    else:
        out.append("beslut: []")
    out += _kommande([c for body in d.bodies for c in body.kommande])
    points = [p for body in d.bodies for p in body.ej_inplanerat]
    out.append("ej_inplanerat: [" + ", ".join(scalar(p) for p in points) + "]")
    return out


def _chunks(chunks: list[list[str]]) -> list[str]:
    """Paragraphs apart by a blank line; list items of one kind ('- ', '* ') together."""
    out: list[str] = []
    previous = ""
    for chunk in chunks:
        first = chunk[0].lstrip() if chunk else ""
        marker = first[:2] if first.startswith(("- ", "* ")) else ""
        if out and not (marker and marker == previous):
            out.append("")
        out += chunk
        previous = marker
    return out


def _html_comment(text: str) -> str:
    return "<!-- " + " ".join(text.replace("-->", "—>").split()) + " -->"


def render(d: Draft) -> str:
    lines = ["---", *frontmatter(d), "---", ""]
    lines.append(_html_comment(f"importerat från {d.source} med sikt importera: granska"))
    lines += [_html_comment(f"{FILL_IN}: {doubt}") for doubt in d.fill_in]
    for item, body in zip(d.items, d.bodies, strict=True):
        lines += ["", f"## {item.nr}. {item.rubrik}", ""]
        lines += _chunks(body.chunks) or [f"{FILL_IN}."]
    return "\n".join(lines).rstrip("\n") + "\n"
