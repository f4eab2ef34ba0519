"""The annual report (verksamhetsberättelse) as document blocks, for every writer.

One `Document` is built from `AnnualReport` and handed to pdf_writer, docx_writer,
html_writer (charts inline as SVG), text_writer or markdown_writer. Items not for
publication are already without their text in the data (records/reports/goals.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sikt_cli.dates import swedish
from sikt_cli.records.reports.action_items import ActionReport
from sikt_cli.records.reports.annual import AnnualReport, present_somewhere
from sikt_cli.records.reports.attendance import ABSENT, UNACCOUNTED
from sikt_cli.records.reports.goals import GoalReport, GoalWork
from sikt_cli.render import report_formats as rf
from sikt_cli.render.charts import Chart
from sikt_cli.render.document_blocks import (
    Block,
    BulletList,
    Document,
    Heading,
    Image,
    KeyValue,
    Metadata,
    Paragraph,
    Runs,
    Table,
    paragraph,
    text,
)
from sikt_cli.render.report_charts import actions_chart, attendance_chart, goals_chart
from sikt_cli.safe_text import safe_line


def title(r: AnnualReport) -> str:
    return f"Verksamhetsberättelse {r.year} – {r.network}"


def _table(t: rf.Table, caption: str = "") -> Table:
    headers, rows = t
    return Table(tuple(headers), tuple(tuple(row) for row in rows), caption)


# which drawing of the charts a writer needs: PNG (pdf, docx), SVG (html), or none (md,
# text), where only the text alternative is written; a chart is drawn only when needed
PNG, SVG, ALT_ONLY = "png", "svg", "alt"


def _image(chart: Chart, charts: str) -> Image:
    return Image(
        png=chart.png if charts == PNG else b"",
        alt=chart.alt,
        svg=chart.svg if charts == SVG else None,
        width_mm=min(160.0, round(chart.width_in * 25.4 * 0.8)),  # the text's size in print
    )


def _names(names: list[str]) -> str:
    return ", ".join(names) if names else "ingen"


def _intro(r: AnnualReport) -> list[Block]:
    who = f"{r.full_name} ({r.network})" if r.full_name else r.network
    under = f" är ett av nätverken under {r.principal}" if r.principal else ""
    out: list[Block] = [
        paragraph(
            f"{who}{under}. Berättelsen gäller kalenderåret {r.year} och bygger på "
            "nätverkets protokoll, medlemmar.yaml och mal.yaml."
        )
    ]
    if r.left_out:
        out.append(
            paragraph(
                f"Obs! {len(r.left_out)} protokoll från {r.year} har fel och är inte "
                "medräknade i siffrorna nedan:",
                bold=True,
            )
        )
        out.append(
            BulletList(
                tuple(text(f"{x.file}: {x.errors} fel, första på {x.first}") for x in r.left_out)
            )
        )
    out.append(Heading(1, "Nätverket och huvudmannen"))
    rows = [("Nätverk", text(r.network))]
    if r.full_name:
        rows.append(("Fullständigt namn", text(r.full_name)))
    if r.principal:
        rows.append(("Huvudman", text(r.principal)))
    towns = [x.name for x in r.attendance.municipalities]
    rows.append((f"Kommuner ({len(towns)})", text(", ".join(towns))))
    out.append(KeyValue(tuple(rows)))
    return out


def _meetings(r: AnnualReport) -> list[Block]:
    n = len(r.meetings)
    rows = [
        [
            swedish(m.day),
            m.tid,
            m.plats,
            m.chair,
            str(m.present),
            str(m.municipalities),
        ]
        for m in r.meetings
    ]
    headers = ["Datum", "Tid", "Plats", "Ordförande", "Närvarande", "Kommuner"]
    return [
        Heading(1, f"Möten {r.year}"),
        paragraph(f"{n} {'möte' if n == 1 else 'möten'} hölls under {r.year}."),
        _table((headers, rows)),
    ]


def _attendance(r: AnnualReport, charts: str) -> list[Block]:
    a = r.attendance
    chart = attendance_chart(a)
    total = len(a.municipalities)
    absent = a.with_state_in_all(ABSENT)
    silent = a.with_state_in_all(UNACCOUNTED)
    summary = (
        f"{present_somewhere(r)} av {total} kommuner var närvarande vid minst ett möte. "
        f"Frånvarande med anmälan vid alla möten: {_names(absent)}. "
        f"Ej redovisade vid något möte: {_names(silent)}."
    )
    counts = rf.attendance_table(a, members=False, per_meeting=False)
    return [
        Heading(1, "Närvaro per kommun"),
        paragraph(summary),
        _image(chart, charts),
        _table(counts, f"Antal möten {r.year} per kommun"),
    ]


def _goal(g: GoalWork, report: GoalReport, level: int) -> list[Block]:
    out: list[Block] = [Heading(level, f"{g.id} {g.name}" if level == 2 else g.id)]
    if level == 3:
        out.append(paragraph(g.name, italic=True))
    if g.parent is None and any(x.parent == g.id for x in report.goals):
        return out
    if g.idle:
        out.append(paragraph(f"Inget {report.period.in_words}."))
        return out
    out.append(
        BulletList(tuple(text(f"{swedish(i.day)}, ärende {i.nr}: {i.rubrik}") for i in g.items))
    )
    if g.decisions:
        out.append(paragraph("Beslut:", bold=True))
        out.append(
            BulletList(tuple(text(f"{d.day} ({d.id}): {d.text} [{d.state}]") for d in g.decisions))
        )
    if g.action_items:
        closed = sum(1 for a in g.action_items if a.closed)
        n = len(g.action_items)
        out.append(paragraph(f"Uppdrag under målet: {n}, varav {closed} avslutade."))
    return out


def _goals(r: AnnualReport, charts: str) -> list[Block]:
    chart = goals_chart(r.goals)
    out: list[Block] = [Heading(1, "Arbetet per mål")]
    idle = rf.idle_lines(r.goals)
    if idle:
        out.append(paragraph("Utan ärenden " + str(r.year) + ": " + "; ".join(idle) + "."))
    out.append(_image(chart, charts))
    for g in r.goals.goals:
        out += _goal(g, r.goals, 3 if g.parent else 2)
    return out


def _actions(r: ActionReport, year: int, charts: str) -> list[Block]:
    t = r.total
    out: list[Block] = [
        Heading(1, "Uppdrag"),
        paragraph(
            f"{t.given} uppdrag gavs under {year}. Läget den {r.as_of}: {t.closed} avslutade, "
            f"{t.open} öppna och {t.overdue} försenade. {rf.median_text(r)}"
        ),
    ]
    if not r.items:
        return out
    chart = actions_chart(r)
    out.append(_image(chart, charts))
    out.append(_table(rf.tally_table(r.per_municipality, "Kommun"), "Uppdrag per kommun"))
    still_open = rf.action_item_table(r, open_only=True)
    if still_open[1]:
        out.append(_table(still_open, f"Uppdrag från {year} som inte var avslutade den {r.as_of}"))
    return out


def _members_and_plans(r: AnnualReport) -> list[Block]:
    out: list[Block] = [
        Heading(1, "Medlemmar"),
        paragraph(f"{len(r.members)} medlemmar under {r.year}."),
        _table(rf.member_table(r)),
        Heading(1, f"Planerade möten {r.year + 1}"),
    ]
    if not r.planned:
        out.append(paragraph(f"Inga möten för {r.year + 1} är planerade i arkivet ännu."))
        return out
    rows = [[swedish(m.day), m.tid, m.plats] for m in r.planned]
    out.append(_table((["Datum", "Tid", "Plats"], rows)))
    return out


def _safe_runs(runs: Runs) -> Runs:
    return tuple(dataclasses.replace(r, text=safe_line(r.text)) for r in runs)


def _safe(block: Block) -> Block:
    """The block with every text shown safely: names and texts come from the archive, and a
    control or bidi character must neither reach a reader raw nor break a writer's XML."""
    if isinstance(block, Heading):
        return Heading(block.level, safe_line(block.text))
    if isinstance(block, Paragraph):
        return Paragraph(_safe_runs(block.runs))
    if isinstance(block, BulletList):
        return BulletList(tuple(_safe_runs(i) for i in block.items))
    if isinstance(block, KeyValue):
        return KeyValue(tuple((safe_line(k), _safe_runs(v)) for k, v in block.rows))
    if isinstance(block, Table):
        return Table(
            tuple(safe_line(h) for h in block.header),
            tuple(tuple(safe_line(c) for c in row) for row in block.rows),
            safe_line(block.caption),
        )
    if isinstance(block, Image):
        return dataclasses.replace(block, alt=safe_line(block.alt))
    return block


def annual_document(
    r: AnnualReport, *, charts: str = PNG, created: dt.datetime | None = None
) -> Document:
    """The report as blocks; `charts` says which drawing the writer needs (PNG, SVG or
    ALT_ONLY)."""
    blocks = [
        *_intro(r),
        *_meetings(r),
        *_attendance(r, charts),
        *_goals(r, charts),
        *_actions(r.action_items, r.year, charts),
        *_members_and_plans(r),
    ]
    return Document(
        safe_line(title(r)),
        tuple(_safe(b) for b in blocks),
        metadata=Metadata(
            author=r.network,
            subject=f"Verksamhetsberättelse {r.year}",
            keywords=("verksamhetsberättelse", r.network, str(r.year)),
            created=created,
        ),
    )


STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 52em; margin: 2em auto;
  padding: 0 1em; color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.8em 0 1.2em; }
th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
caption { text-align: left; font-style: italic; padding-bottom: 0.3em; }
figure { margin: 1em 0; } figure svg, img.diagram { max-width: 100%; height: auto; }
"""
_PLACEHOLDER = "sikt-diagram:"


def html_page(document: Document) -> str:
    """One self-contained page: the charts as inline SVG (role img, the alt text as its
    label), no external resources."""
    import re
    from html import escape

    from sikt_cli.render.html_writer import to_html_page

    images = [b for b in document.blocks if isinstance(b, Image)]
    page = to_html_page(
        document, style=STYLE, image_src=lambda im: f"{_PLACEHOLDER}{images.index(im)}"
    )

    def inline(found: re.Match[str]) -> str:
        image = images[int(found.group(1))]
        if image.svg is None:
            return found.group(0)
        svg = image.svg.replace("<svg ", f'<svg role="img" aria-label="{escape(image.alt)}" ', 1)
        return f"<figure>{svg}</figure>"

    return re.sub(rf'<img [^>]*src="{_PLACEHOLDER}(\d+)"[^>]*>', inline, page)
