"""The forms of `sikt beslut`: json, csv and md (the table is drawn by the CLI from `rows`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sikt_cli.records.decisions import DecisionRecord
from sikt_cli.render.csv_writer import write_csv

STATES = {"gäller": "in_force", "ersatt": "superseded", "upphört": "lapsed"}


def to_dict(d: DecisionRecord, today: dt.date) -> dict[str, Any]:
    """One decision as documented in docs/beslut.md (English keys: an API)."""
    return {
        "id": d.id,
        "date": d.meeting.isoformat(),
        "item": {"nr": d.item_nr, "rubrik": d.item_rubrik},
        "goals": list(d.goals),
        "text": d.text,
        "state": STATES[d.state(today)],
        "supersedes": d.supersedes,
        "superseded_by": d.superseded_by,
        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
        "file": d.file,
        "line": d.line,
    }


def to_json(decisions: list[DecisionRecord], today: dt.date) -> str:
    return json.dumps([to_dict(d, today) for d in decisions], ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("id", "datum", "arende", "mal", "beslut", "status", "ersatter", "ersatt_av",
               "giltig_till", "fil", "rad")  # fmt: skip


def to_csv(decisions: list[DecisionRecord], today: dt.date) -> bytes:
    """One row per decision, columns as CSV_COLUMNS (docs/beslut.md), formula-safe cells."""
    return write_csv(
        CSV_COLUMNS,
        (
            [
                d.id,
                d.meeting.isoformat(),
                f"{d.item_nr}. {d.item_rubrik}",
                " ".join(d.goals),
                d.text,
                d.state(today),
                d.supersedes or "",
                d.superseded_by or "",
                d.valid_until.isoformat() if d.valid_until else "",
                d.file,
                d.line,
            ]
            for d in decisions
        ),
    )


def to_markdown(decisions: list[DecisionRecord], today: dt.date) -> str:
    """A list to paste into a kallelse or a report; superseded decisions struck through."""
    lines = []
    for d in decisions:
        text = f"~~{d.text}~~" if d.state(today) != "gäller" else d.text
        state = "" if d.state(today) == "gäller" else f" *({d.state_text(today)})*"
        lines.append(
            f"- **{d.meeting.isoformat()}, ärende {d.item_nr}. {d.item_rubrik}** ({d.id}): "
            f"{text}{state}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


TABLE_COLUMNS = ("Id", "Datum", "Ärende (mål)", "Beslut", "Status", "Källa")


def rows(decisions: list[DecisionRecord], today: dt.date) -> list[tuple[list[str], str]]:
    """Table cells per decision and a style: superseded and lapsed ones dimmed."""
    return [
        (
            [
                d.id,
                d.meeting.isoformat(),
                f"{d.item_nr}. {d.item_rubrik}" + (f" ({', '.join(d.goals)})" if d.goals else ""),
                d.text,
                d.state_text(today),
                f"{d.file}:{d.line}",
            ],
            "" if d.state(today) == "gäller" else "dim",
        )
        for d in decisions
    ]


FORMATS: dict[str, Callable[[list[DecisionRecord], dt.date], str | bytes]] = {
    "json": to_json,
    "csv": to_csv,
    "md": to_markdown,
}
