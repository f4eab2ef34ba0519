"""The published view of the archive that every page of the web archive is built from.

Only what may be published is here: justerade protokoll (drafts and planned meetings only
with `--utkast`), never a protokoll or agenda item marked `publiceras: nej` (their notes
stand in their place, records/publication.py), never an e-mail address unless asked for,
never a signing key. Uppdrag states and the decision log are computed over the published
protokoll only, so a draft's follow-up cannot close an uppdrag on the public site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sikt_cli.archive.load import Archive
from sikt_cli.archive.model import Minutes
from sikt_cli.records import publication
from sikt_cli.records.action_items import ActionItem, FollowUp, Tracker, track
from sikt_cli.records.decisions import DecisionRecord, decision_records


@dataclass(frozen=True, slots=True)
class Options:
    today: dt.date
    drafts: bool = False  # --utkast
    with_email: bool = False  # --med-epost
    url: str = ""  # --url: the published address, for sitemap.xml and the feed
    search: bool = True  # the search index could be built


@dataclass(frozen=True, slots=True)
class Page:
    """One protokoll as published: the shown record, its body, notes for what is withheld."""

    minutes: Minutes  # arenden and beslut without the withheld items
    original: Minutes
    body: str  # the published body (withheld sections replaced by their notes)
    body_first_line: int
    notes: tuple[str, ...]

    @property
    def day(self) -> str:
        return self.minutes.file_date

    @property
    def draft(self) -> bool:
        return self.minutes.status != "justerat"


@dataclass(slots=True)
class SiteData:
    archive: Archive
    options: Options
    pages: list[Page]  # oldest first
    tracker: Tracker  # uppdrag of the published pages, follow-ups folded
    decisions: list[DecisionRecord]  # oldest first
    withheld: list[str] = field(default_factory=list)  # notes of protokoll left out whole
    # indexes built once (a page must not scan the whole archive: 1,000 protokoll)
    by_day: dict[str, list[ActionItem]] = field(default_factory=dict)
    followed_in: dict[str, list[tuple[ActionItem, FollowUp]]] = field(default_factory=dict)
    decisions_in: dict[str, list[DecisionRecord]] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)  # day → index in pages
    # goal charts by their input (ids, counts, title): (svg, alt), this build's and the
    # last build's (services/webb keeps them in the cache: drawing the charts, matplotlib's
    # import included, costs as much as a few hundred protokoll pages)
    charts: dict[str, tuple[str, str]] = field(default_factory=dict)
    charts_before: dict[str, tuple[str, str]] = field(default_factory=dict)
    # every HTML page by site path: (its key, its bytes), the last build's and this one's,
    # and the pages taken from the last build (render/site_reuse.py)
    pages_before: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    pages_now: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)
    # each protokoll file's SHA-256 by rel name, when the caller knows them (a page's key)
    digests: dict[str, str] = field(default_factory=dict)

    def items_of(self, day: str) -> list[ActionItem]:
        return self.by_day.get(day, [])

    def index(self) -> SiteData:
        self.by_day, self.followed_in, self.decisions_in = {}, {}, {}
        for a in self.tracker.items:
            self.by_day.setdefault(a.meeting.isoformat(), []).append(a)
            for f in a.follow_ups:
                self.followed_in.setdefault(f.file, []).append((a, f))
        for d in self.decisions:
            self.decisions_in.setdefault(d.file, []).append(d)
        self.position = {p.day: i for i, p in enumerate(self.pages)}
        return self


def published(minutes: Minutes, options: Options) -> bool:
    """Whether the protokoll gets a page: justerat, or a draft with --utkast."""
    if minutes.datum is None or not minutes.publiceras:
        return False
    return minutes.status == "justerat" or (options.drafts and minutes.status is not None)


def page_of(minutes: Minutes, body: str, body_first_line: int) -> Page:
    """The protokoll as published: withheld items gone, their notes kept."""
    kept = {a.nr for a in publication.publishable_items(minutes)}
    shown = replace(
        minutes,
        arenden=tuple(a for a in minutes.arenden if a.nr in kept),
        beslut=tuple(b for b in minutes.beslut if b.arende in kept),
    )
    notes = tuple(publication.item_note(a) for a in publication.withheld_items(minutes))
    text = publication.published_body(minutes, body, body_first_line)
    return Page(shown, minutes, text, body_first_line, notes)


def site_data(archive: Archive, bodies: dict[str, tuple[str, int]], options: Options) -> SiteData:
    """The published view; `bodies` maps a protokoll's rel name to (body text, first line)."""
    pages: list[Page] = []
    withheld: list[str] = []
    for m in archive.minutes:
        if m.datum is not None and not m.publiceras and _status_shown(m, options):
            withheld.append(f"{m.file_date}: {publication.minutes_note(m)}")
        if not published(m, options) or m.rel not in bodies:
            continue
        text, first = bodies[m.rel]
        pages.append(page_of(m, text, first))
    shown = [p.original for p in pages]
    tracker = track(shown, archive.roster)
    hidden = {(p.day, a.nr) for p in pages for a in publication.withheld_items(p.original)}
    tracker.items = [a for a in tracker.items if (a.meeting.isoformat(), a.section) not in hidden]
    decisions = decision_records(p.minutes for p in pages)
    return SiteData(archive, options, pages, tracker, decisions, withheld).index()


def _status_shown(m: Minutes, options: Options) -> bool:
    return m.status == "justerat" or options.drafts
