"""Assignment sentences → uppdrag: "Per-Anders får i uppdrag att …", "Eva publicerar …",
"4 september – Mattias skickar inbjudan". Sentences that only report ("Karin redogjorde
…", "Hannes presenterar …") are not assignments: only the verbs below make one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sikt_cli.archive.body import FILL_IN
from sikt_cli.importers.people import Match, People
from sikt_cli.importers.swedish_dates import find_dates

_NAME = r"[A-ZÅÄÖÉ][\wåäöéü]+(?:-[A-ZÅÄÖÉ][\wåäöéü]+)?(?:\s+(?:von\s+)?[A-ZÅÄÖÉ][\wåäöéü-]+){0,2}"
VERBS = (
    "får i uppdrag",
    "fick i uppdrag",
    "ges i uppdrag",
    "gavs i uppdrag",
    "undersöker",
    "ser till",
    "publicerar",
    "skickar",
    "kontaktar",
    "tar kontakt",
    "tar fram",
    "återkommer",
    "återkopplar",
    "bokar",
    "ansvarar för",
    "kallar",
    "sammanställer",
    "bjuder in",
    "ordnar",
    "kollar",
    "mejlar",
    "förbereder",
    "uppdaterar",
    "lägger upp",
    "lägger ut",
    "stämmer av",
    "samordnar",
    "utreder",
    "bevakar",
)
_VERB = "|".join(sorted((re.escape(v) for v in VERBS), key=len, reverse=True))
ASSIGNMENT = re.compile(rf"^(?:.{{0,40}}?\s[–—-]\s+)?(?P<name>{_NAME})\s+(?P<verb>{_VERB})\b")
TO_SOMEONE = re.compile(r"^Uppdrag (?:till|åt) (?P<who>.+?) att\b")
DUE = re.compile(r"\bsenast(?:\s+den)?\s+(?P<date>[^,.;]+?)(?=$|[,.;)]|\s+(?:och|för|med)\b)")


@dataclass(frozen=True, slots=True)
class Assignment:
    line: str  # the Markdown line to write
    match: Match
    name: str


def _with_due(sentence: str, meeting: dt.date | None) -> str:
    m = DUE.search(sentence)
    if not m:
        return sentence
    dates = find_dates(m.group("date"), after=meeting)
    if not dates or dates[0].day is None:
        return sentence
    start = m.start("date") + dates[0].start
    end = m.start("date") + dates[0].end
    return f"{sentence[:start]}{dates[0].day.isoformat()}{sentence[end:]}"


def assignment(
    sentence: str, people: People, present: list[str], meeting: dt.date | None
) -> Assignment | None:
    """The uppdrag line for a sentence, or None if the sentence gives nobody a task."""
    bare = re.sub(r"\*\*|__", "", sentence).strip()
    m = ASSIGNMENT.match(bare)
    if m:
        name = m.group("name")
        match = people.in_meeting(name, present)
        if match.id is None and len(name.split()) > 1:
            first = people.in_meeting(name.split()[0], present)
            match = first if first.id else match
    else:
        t = TO_SOMEONE.match(bare)
        if not t:
            return None
        name = t.group("who")
        match = people.in_meeting(name, present)
        if match.id is None:
            match = Match("alla", "unsure", f"'Uppdrag till {name}' tolkat som uppdrag till alla")
    text = _with_due(sentence.strip(), meeting)
    if match.id is None:
        return Assignment(f"{FILL_IN} (uppdrag, ansvarig okänd: {match.note}): {text}", match, name)
    return Assignment(f"- [ ] @{match.id} {text}", match, name)
