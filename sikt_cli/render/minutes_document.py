"""The minutes as a finished document: the one place the model becomes what people read.

The same blocks go to the mail's HTML and text parts, the PDF attachment and the Word
file (`protokoll pdf --format docx`): a head (network, date with weekday, time, place,
chair, secretary, how it was justerat), the summary the mail shows on top (decisions, new
uppdrag), then attendance by municipality, every agenda item with its text, decisions
marked as decisions, uppdrag as "Ansvarig: namn — vad — senast datum", follow-ups as
"uppdrag 2020-06-05#3: klart — kommentar", recorded corrections, the next meeting with its
time, and where the minutes are reported. No checkbox, @id,
Markdown or YAML reaches it. The web archive's protokoll page is built here too, with its
anchors, links and states today given through `MinutesLinks` (render/minutes_lines.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Minutes, Roster
from sikt_cli.dates import swedish
from sikt_cli.records.action_items import ActionItem
from sikt_cli.render.document_blocks import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    Metadata,
    Paragraph,
    Run,
    Runs,
    paragraph,
    text,
)
from sikt_cli.render.markdown_blocks import body_blocks
from sikt_cli.render.minutes_lines import (
    DASH,
    NO_LINKS,
    MinutesLinks,
    action_runs,
    follow_up_runs,
    mention_names,
)

__all__ = ["MinutesDocument", "MinutesText", "action_runs", "follow_up_runs", "minutes_document"]

_TIME_RANGE = re.compile(r"(\d)\s*-\s*(\d)")


@dataclass(frozen=True, slots=True)
class MinutesDocument:
    """The minutes in three parts: `document()` for PDF and Word, `mail_document()` with
    the summary after the head for the text part; the HTML part boxes head + summary."""

    title: str
    head: tuple[Block, ...]
    summary: tuple[Block, ...]
    body: tuple[Block, ...]
    metadata: Metadata

    def document(self) -> Document:
        return Document(self.title, self.head + self.body, metadata=self.metadata)

    def mail_document(self) -> Document:
        return Document(self.title, self.head + self.summary + self.body, metadata=self.metadata)


@dataclass(frozen=True, slots=True)
class MinutesText:
    """What the document is built from besides the model: the body as it is shown (the
    published body for readers outside the network), where it starts, and notes on what
    is withheld."""

    body: str
    body_first_line: int
    notes: tuple[str, ...] = ()
    withheld: dict[int, str] = field(default_factory=dict)  # agenda nr → the note shown
    withheld_all: str | None = None  # the note shown instead of the whole body


def minutes_document(
    archive: Archive,
    minutes: Minutes,
    tracked: Sequence[ActionItem],
    new_items: Sequence[ActionItem],
    source: MinutesText,
    *,
    utkast: bool,
    links: MinutesLinks = NO_LINKS,
) -> MinutesDocument:
    """The finished minutes. `tracked` is every uppdrag of the archive (for follow-ups;
    those given or followed up in this protokoll are enough), `new_items` the uppdrag
    given in this protokoll that are shown."""
    assert minutes.datum is not None
    roster = archive.roster
    net = roster.network
    title = f"Protokoll {net.namn} {swedish(minutes.datum)}"
    if utkast:
        title = "UTKAST – " + title
    summary = _summary(minutes, new_items, roster, links) + tuple(
        Paragraph(text(n, italic=True)) for n in source.notes
    )
    body = (
        *_corrections(minutes, roster),
        *_attendance(minutes, roster),
        *_items(minutes, tracked, source, roster, links),
        *_next_meeting(minutes, archive),
        *(_not_planned(minutes) if links.not_planned else ()),
        *(_report_to(archive) if links.report_to else ()),
    )
    meta = Metadata(
        author=roster.name_of(minutes.sekreterare.value if minutes.sekreterare else None),
        subject=f"Protokoll från {net.fullt_namn or net.namn}",
        keywords=("protokoll", net.namn, minutes.datum.isoformat()),
        created=dt.datetime.combine(minutes.justerad or minutes.datum, dt.time(12), dt.UTC),
    )
    return MinutesDocument(title, _head(minutes, roster, utkast=utkast), summary, body, meta)


def time_text(value: str) -> str:
    """'09:00-11:15' as people write it: '09:00–11:15' (an en dash between the times)."""
    return _TIME_RANGE.sub(r"\1–\2", value)


def _head(minutes: Minutes, roster: Roster, *, utkast: bool) -> tuple[Block, ...]:
    assert minutes.datum is not None
    net = roster.network
    network = net.namn + (f" – {net.fullt_namn}" if net.fullt_namn else "")
    rows: list[tuple[str, Runs]] = [
        ("Nätverk", text(network)),
        ("Datum", text(swedish(minutes.datum))),
    ]
    if minutes.tid:
        rows.append(("Tid", text(time_text(minutes.tid))))
    if minutes.plats:
        rows.append(("Plats", text(minutes.plats)))
    for label, ref in (("Ordförande", minutes.ordforande), ("Sekreterare", minutes.sekreterare)):
        if ref is not None:
            rows.append((label, text(roster.name_on(ref.value, minutes.datum))))
    if minutes.justerare:
        names = [roster.name_on(r.value, minutes.datum) for r in minutes.justerare]
        rows.append(("Justerare", text(_and(names))))
    rows.append(("Justering", text(approval_text(minutes, roster, utkast=utkast))))
    return (KeyValue(tuple(rows)),)


def approval_text(minutes: Minutes, roster: Roster, *, utkast: bool) -> str:
    """How the minutes were justerade: by the justerare on a date, by the chair's and the
    secretary's signatures, or not at all (a draft)."""
    assert minutes.datum is not None
    if utkast or minutes.status != "justerat":
        return "Ej justerat – detta är ett utkast."
    when = f" {minutes.justerad.isoformat()}" if minutes.justerad else ""
    if minutes.justerare:
        names = [roster.name_on(r.value, minutes.datum) for r in minutes.justerare]
        return f"Justerat{when} av {_and(names)}."
    signers = [
        f"{role} {roster.name_on(ref.value, minutes.datum)}"
        for role, ref in (("ordförande", minutes.ordforande), ("sekreterare", minutes.sekreterare))
        if ref is not None
    ]
    if not signers:
        return f"Justerat{when}."
    return f"Justerat{when} genom underskrift av {_and(signers)}."


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def _summary(
    minutes: Minutes, new_items: Sequence[ActionItem], roster: Roster, links: MinutesLinks
) -> tuple[Block, ...]:
    out: list[Block] = []
    rubrik = {a.nr: a.rubrik for a in minutes.arenden}
    if minutes.beslut:
        out.append(Heading(1, "Beslut"))
        out.append(
            BulletList(
                tuple(
                    text(
                        f"Ärende {b.arende}"
                        + (f", {rubrik[b.arende]}" if b.arende in rubrik else "")
                        + f": {b.text}"
                        + (f" ({note})" if (note := links.decision_note(b)) else "")
                    )
                    for b in minutes.beslut
                )
            )
        )
    if new_items:
        out.append(Heading(1, "Nya uppdrag"))
        out.append(BulletList(tuple(action_runs(a, roster, links) for a in new_items)))
    return tuple(out)


def _attendance(minutes: Minutes, roster: Roster) -> tuple[Block, ...]:
    """Närvarande as a list by municipality (in medlemmar.yaml's order), guests, absentees."""
    assert minutes.datum is not None
    by_kommun: dict[str, list[str]] = {k: [] for k in roster.kommuner}
    for ref in minutes.narvarande:
        member = roster.member(ref.value)
        name, kommun = member.as_of(minutes.datum) if member else (ref.value, "Övriga")
        by_kommun.setdefault(kommun, []).append(name)
    items = [text(f"{k}: {', '.join(names)}") for k, names in by_kommun.items() if names]
    if minutes.gaster:
        items.append(text(f"Gäster: {', '.join(minutes.gaster)}"))
    out: list[Block] = [Heading(1, "Närvarande")]
    if items:
        out.append(BulletList(tuple(items)))
    kommuner = [r.value for r in minutes.franvarande if r.value in roster.kommuner]
    people = [
        roster.name_on(r.value, minutes.datum)
        for r in minutes.franvarande
        if r.value not in roster.kommuner
    ]
    if kommuner:
        out.append(Paragraph(text(f"Frånvarande kommuner: {', '.join(kommuner)}")))
    if people:
        out.append(Paragraph(text(f"Frånvarande: {', '.join(people)}")))
    return tuple(out)


def _items(
    minutes: Minutes,
    tracked: Sequence[ActionItem],
    source: MinutesText,
    roster: Roster,
    links: MinutesLinks,
) -> tuple[Block, ...]:
    """The body's sections, each followed by the decisions of its agenda item."""
    by_id = {a.id: a for a in tracked}
    actions = {a.line: a for a in tracked if a.file == minutes.rel}
    follow_ups = {fu.line: fu for a in tracked for fu in a.follow_ups if fu.file == minutes.rel}

    def task_runs(line: int, _source: Runs) -> Runs | None:
        if line in actions:
            return action_runs(actions[line], roster, links)
        if line in follow_ups:
            fu = follow_ups[line]
            return follow_up_runs(fu, by_id.get(fu.action_id), roster, links)
        return None

    def anchor(line: int) -> str:
        if line in actions:
            return links.action_anchor(actions[line])
        return links.follow_up_anchor(follow_ups[line]) if line in follow_ups else ""

    if source.withheld_all is not None:
        return (Paragraph(text(source.withheld_all, italic=True)),)
    walked = body_blocks(
        source.body,
        source.body_first_line,
        task_runs,
        lambda s: mention_names(s, roster),
        anchor,
    )
    pairs = _anchored(_shown(walked, source.withheld), links)
    decisions: dict[int, list[Block]] = {}
    for b in minutes.beslut:
        decisions.setdefault(b.arende, []).append(
            Paragraph((Run("Beslut: ", bold=True), Run(b.text)))
        )
    out: list[Block] = []
    for i, (section, block) in enumerate(pairs):
        out.append(block)
        ends = i + 1 == len(pairs) or pairs[i + 1][0] != section
        if ends and section is not None:
            out += decisions.pop(section, [])
    rubrik = {a.nr: a.rubrik for a in minutes.arenden}
    for nr, blocks in decisions.items():  # an item without a heading in the body
        heading = Heading(1, f"{nr}. {rubrik.get(nr, '')}".strip(), links.section_anchor(nr))
        out += [heading, *blocks]
    return tuple(out)


def _anchored(
    pairs: list[tuple[int | None, Block]], links: MinutesLinks
) -> list[tuple[int | None, Block]]:
    """Each agenda item's heading (`## 5. …`, the first of its section) with its anchor."""
    out: list[tuple[int | None, Block]] = []
    for section, block in pairs:
        first = not out or out[-1][0] != section
        if first and section is not None and isinstance(block, Heading) and block.level == 1:
            block = replace(block, anchor=links.section_anchor(section))
        out.append((section, block))
    return out


def _shown(
    pairs: list[tuple[int | None, Block]], withheld: dict[int, str]
) -> list[tuple[int | None, Block]]:
    """The body without its withheld sections: each replaced by its number and note."""
    out: list[tuple[int | None, Block]] = []
    for section, block in pairs:
        if section not in withheld:
            out.append((section, block))
        elif not out or out[-1][0] != section:
            out += [(section, Heading(1, f"{section}.")), (section, paragraph(withheld[section]))]
    return out


def _corrections(minutes: Minutes, roster: Roster) -> tuple[Block, ...]:
    if not minutes.rattelser:
        return ()
    items = tuple(
        text(
            f"{swedish(r.datum)}, {roster.name_of(r.av)}: {r.skal} "
            f"(rad {', '.join(str(n) for n in r.rader)})"
        )
        for r in minutes.rattelser
    )
    return (Heading(1, "Rättelser efter justeringen"), BulletList(items))


def _next_meeting(minutes: Minutes, archive: Archive) -> tuple[Block, ...]:
    if not minutes.kommande:
        return ()
    roster = archive.roster
    net = roster.network
    items = []
    for k in minutes.kommande:
        line = swedish(k.datum)
        when = k.tid or net.tid
        where = k.plats or net.plats
        line += f" kl. {time_text(when)}" if when else ""
        line += f", {where}" if where else ""
        who = roster.name_of(k.ansvarig.value) if k.ansvarig else ""
        note = " ".join(x for x in (who, k.not_ or "") if x)
        items.append(text(line + (DASH + note if note else "")))
    return (Heading(1, "Nästa möte"), BulletList(tuple(items)))


def _not_planned(minutes: Minutes) -> tuple[Block, ...]:
    if not minutes.ej_inplanerat:
        return ()
    return (Heading(1, "Ej inplanerat"), BulletList(tuple(text(p) for p in minutes.ej_inplanerat)))


def _report_to(archive: Archive) -> tuple[Block, ...]:
    net = archive.roster.network
    if not net.rapport_till:
        return ()
    runs: list[Run] = [Run("Protokollet skickas till ")]
    if net.huvudman:
        runs.append(Run(f"{net.huvudman}, "))
    for i, addr in enumerate(net.rapport_till):
        if i:
            runs.append(Run(", "))
        runs.append(Run(addr, link=f"mailto:{addr}"))
    runs.append(Run("."))
    return (Paragraph(tuple(runs)),)
