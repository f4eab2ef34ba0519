"""One uppdrag, follow-up or `@id` as the minutes show it (render/minutes_document.py), and
the hooks through which a web page adds its anchors, links and states today.

The mail, the PDF and the Word file use the default `MinutesLinks`, which adds nothing;
the web archive (render/site_minutes.py) gives the stable anchors `arende-N`,
`uppdrag-N` and `uppfoljning-…`, links from a follow-up to its uppdrag, each uppdrag's
status today and each decision's id and status, without a second builder of the minutes.
"""

from __future__ import annotations

import re

from sikt_cli.archive.model import Decision, Roster
from sikt_cli.records.action_items import (
    EVERYONE,
    ActionItem,
    FollowUp,
    assignee_names,
    shown_text,
)
from sikt_cli.render.document_blocks import Run, Runs, joined

_MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w@])", re.I)
_STATE_WORD = re.compile(r"^(?:klart|klar|pågår|pågående|ej klart)\s*[:.,;–—-]?\s*", re.I)
DASH = " — "


class MinutesLinks:
    """What a reader elsewhere adds to the minutes; every default adds nothing."""

    report_to = True  # the line "Protokollet skickas till …" (with its addresses)
    not_planned = False  # a list of `ej_inplanerat` (the mail's body has them in its text)

    def section_anchor(self, nr: int) -> str:
        """The id of agenda item nr's heading."""
        return ""

    def action_anchor(self, item: ActionItem) -> str:
        """The id of the uppdrag's line in the text."""
        return ""

    def action_href(self, item: ActionItem) -> str:
        """Where "uppdrag <id>" links: the uppdrag in its protokoll."""
        return ""

    def action_state(self, item: ActionItem) -> tuple[str, str]:
        """The uppdrag's status today in words, and where it was closed ("" for none)."""
        return "", ""

    def follow_up_anchor(self, fu: FollowUp) -> str:
        return ""

    def decision_note(self, decision: Decision) -> str:
        """What follows a decision in the summary, e.g. its id and status today."""
        return ""


NO_LINKS = MinutesLinks()


def action_runs(item: ActionItem, roster: Roster, links: MinutesLinks = NO_LINKS) -> Runs:
    """'Ansvarig: Per-Anders Johansson Ögren — kontakta … — senast 2020-09-04 (uppdrag
    2020-06-05#1)', the name once (records/action_items.shown_text)."""
    names = assignee_names(item, roster)
    what = mention_names(shown_text(item, roster), roster).rstrip(" .")
    rest = DASH + what if what else ""
    if item.due:
        rest += f"{DASH}senast {item.due.isoformat()}"
    state, where = links.action_state(item)
    return joined(
        (
            Run("Ansvarig: ", bold=True),
            Run(f"{names}{rest} ("),
            Run(f"uppdrag {item.id}", link=links.action_href(item) or None),
            *((Run(", "), Run(state, link=where or None)) if state else ()),
            Run(")"),
        )
    )


def follow_up_runs(
    fu: FollowUp, item: ActionItem | None, roster: Roster, links: MinutesLinks = NO_LINKS
) -> Runs:
    """'uppdrag 2020-06-05#3: klart — kommentar'; with no comment of its own (the line as
    `sikt protokoll ny` wrote it), what the uppdrag was."""
    comment = mention_names(_STATE_WORD.sub("", _strip_mentions(fu.comment)), roster).strip()
    href = ""
    if item is not None:
        href = links.action_href(item)
        original = _strip_mentions(item.text)
        if comment.startswith(original):
            comment = comment[len(original) :].strip(" –—-:;,.()")
            if comment.lower().startswith("senast"):
                comment = ""
        if not comment:
            comment = assignee_names(item, roster) + ": " + mention_names(original, roster)
    state = "klart" if fu.done else "pågår"
    return joined(
        (
            Run(f"uppdrag {fu.action_id}", bold=True, link=href or None),
            Run(": ", bold=True),
            Run(state + (DASH + comment if comment else "")),
        )
    )


def mention_names(value: str, roster: Roster) -> str:
    """@member-id, @group-id and @alla as the names people read; anything else unchanged."""
    groups = {g.id: g.namn for g in roster.groups}

    def name(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == EVERYONE:
            return "alla"
        if key in groups:
            return groups[key]
        member = roster.member(key)
        return member.namn if member else m.group(0)

    return _MENTION.sub(name, value)


def _strip_mentions(value: str) -> str:
    return re.sub(r"^(?:@[A-Za-z0-9-]+[\s,:;]*)+", "", value.strip()).strip()
