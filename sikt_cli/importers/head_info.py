"""The meeting's date, time and place, from the head of the minutes (or --datum)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sikt_cli.importers.blocks import Block, clean, plain
from sikt_cli.importers.problems import ImportFailed
from sikt_cli.importers.structure import Parsed
from sikt_cli.importers.swedish_dates import WEEKDAY, find_dates, time_range


@dataclass(frozen=True, slots=True)
class Info:
    day: dt.date
    day_comment: str
    tid: str | None
    plats: str | None


def _lines(blocks: list[Block]) -> list[str]:
    return [plain(clean(line)) for b in blocks if b.kind != "table" for line in b.lines]


def _place(line: str) -> str | None:
    for d in find_dates(line)[::-1]:
        line = line[: d.start] + line[d.end :]
    found = time_range(line)
    if found:
        line = line[: found[1][0]] + line[found[1][1] :]
    line = WEEKDAY.sub("", line)
    line = re.sub(r"\b(?:kl\.?|klockan|tid|plats|datum)\b:?", "", line, flags=re.I)
    line = " ".join(line.replace("*", "").split()).strip(" ,.;:–-")
    return line or None


def meeting_info(parsed: Parsed, name: str, datum: dt.date | None) -> Info:
    lines = _lines(parsed.head.get("tid", [])) + ([parsed.title] if parsed.title else [])
    lines += _lines(parsed.head.get("", []))[:5]
    dated = [d for line in lines for d in find_dates(line) if d.day is not None and d.with_year]
    source_day = dated[0].day if dated else None
    if datum is None and source_day is None:
        raise ImportFailed(
            f"{name}: hittar inget mötesdatum (med år) i protokollets början.",
            "Ange datumet med --datum ÅÅÅÅ-MM-DD.",
        )
    if source_day is not None:
        # --datum supplies a date the source lacks; it never overrides the source's own
        day, comment = source_day, ""
    else:
        assert datum is not None
        day, comment = datum, "importerat: datum saknas i källan, angivet med --datum"
    tid = next((t[0] for t in (time_range(line) for line in lines) if t), None)
    place_lines = _lines(parsed.head.get("tid", []))
    plats = next((p for p in (_place(line) for line in place_lines) if p), None)
    return Info(day, comment, tid, plats)
