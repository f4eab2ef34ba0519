"""Which pages of the web archive can be taken from the last build: exactly those whose
inputs are unchanged.

Every page gets a key, a SHA-256 over everything it is rendered from; a page whose key is
the one it had in the last build (services/webb.py keeps them in the signed cache, whose
own stamp covers sikt's code and the installed packages) is the same bytes and is not
rendered again. What each key covers:

- every page: the site's templates and assets (render/webb/), the roster (names,
  municipalities, the network block, the addresses that hide_member_addresses replaces)
  and the options (`--utkast`, `--med-epost`, `--url`, whether search was built);
- a protokoll page (render/site_minutes.py): the published protokoll (its model, the
  original with its withheld items, the published body, the notes: all made from the
  file alone, so the file's SHA-256 where the caller knows it), the uppdrag given
  or followed up in it with their follow-ups anywhere and their state today as the page
  shows it, its decisions with their state today (a later `ersatter` changes it), and
  its neighbours (the previous and next links). The day itself is not in the key: it
  reaches the page only through those states;
- every other page: its path, its template and its whole context (render/site_lists.py),
  which is cheap to build and holds everything the page shows.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from sikt_cli.render.site_data import Page, SiteData
from sikt_cli.render.site_minutes import SiteLinks

ROT = "../../"  # a protokoll page's way back to the site root


def site_stamp(data: SiteData, templates: bytes) -> bytes:
    """What every page of this build shares: templates, roster, options (not the day)."""
    h = hashlib.sha256(templates)
    h.update(repr((data.archive.root, data.archive.roster)).encode("utf-8"))
    h.update(repr(replace(data.options, today=data.options.today.min)).encode("utf-8"))
    return h.digest()


def minutes_key(stamp: bytes, data: SiteData, page: Page) -> str:
    """The key of a protokoll page (see the module's docstring)."""
    h = hashlib.sha256(stamp)
    i = data.position[page.day]
    before = data.pages[i - 1].day if i > 0 else ""
    after = data.pages[i + 1].day if i + 1 < len(data.pages) else ""
    digest = data.digests.get(page.minutes.rel)
    own = (page.minutes.rel, digest) if digest else page  # the page is made from its file
    h.update(repr((own, before, after)).encode("utf-8"))
    links = SiteLinks(page, data, ROT)
    tracked = [
        *data.items_of(page.day),
        *(a for a, _f in data.followed_in.get(page.minutes.rel, [])),
    ]
    for a in tracked:
        h.update(repr((a, links.action_state(a))).encode("utf-8"))
    for d in data.decisions_in.get(page.minutes.rel, []):
        h.update(repr((d, d.state_text(data.options.today))).encode("utf-8"))
    return h.hexdigest()


def other_key(stamp: bytes, path: str, template: str, context: dict[str, Any]) -> str:
    """The key of a list, goal or other page: its path, template and whole context."""
    h = hashlib.sha256(stamp)
    h.update(repr((path, template, context)).encode("utf-8"))
    return h.hexdigest()
