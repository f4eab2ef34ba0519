"""`sikt webb --ut MAPP`: the public web archive, built only when it may be published.

Refuses, naming each file:line and writing nothing, while a personnummer or
samordningsnummer stands anywhere in the archive (the way out is `sikt protokoll maskera`)
or while a file that would be published has errors. Then every page is rendered in
memory (render/site_render.py; the protokoll pages on every core), the finished text is
checked once more for identity numbers, Pagefind indexes the pages
(services/webb_search.py), and the files are written all or nothing
(services/webb_output.py): into a new or empty folder (staged in a private folder beside
it, where Pagefind indexes the pages, then renamed into place), or over a site sikt built
before, never into a folder with other files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sikt_cli.cache import Cache
from sikt_cli.diagnostics import Blocked, Result
from sikt_cli.errors import UsageError

if TYPE_CHECKING:
    from sikt_cli.render.site_data import SiteData
    from sikt_cli.services import webb_output

WHAT = "Webbplatsen"
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class WebOptions:
    out: Path
    drafts: bool = False
    with_email: bool = False
    url: str = ""
    today: dt.date | None = None


@dataclass(slots=True)
class Built:
    folder: Path
    pages: int  # HTML pages
    written: int  # files created or replaced
    removed: int  # files of the previous build no longer part of the site
    protokoll: int
    search: bool
    warnings: list[str] = field(default_factory=list)


def _check_url(url: str) -> str:
    if url and not (url.startswith("https://") or url.startswith("http://")):
        raise UsageError(
            f"--url '{url}' är inte en webbadress.",
            "Ange webbplatsens adress, t.ex. --url https://natverket.github.io/protokoll/.",
        )
    if any(c.isspace() or c in "\"'<>" for c in url):
        raise UsageError(f"--url '{url}' innehåller tecken som inte hör hemma i en adress.")
    return url


def _refuse_errors(root: Path, published: set[str]) -> None:
    """The personal-data guard first (anywhere in the archive), then errors in the files
    that would be published."""
    from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE
    from sikt_cli.services.personal_data import refuse_numbers
    from sikt_cli.services.validate import validate

    refuse_numbers(root, None, WHAT, action="publicera")
    result = validate(root)
    files = {*published, MEMBERS_FILE, GOALS_FILE}
    guard = [d for d in result.diagnostics if d.is_error and d.code.startswith("SIKT6")]
    errors = [d for d in result.diagnostics if d.is_error and d.file in files]
    found = tuple(sorted({*guard, *errors}))
    if found:
        places = ", ".join(f"{d.file}:{d.line}" for d in found[:10])
        more = f" och {len(found) - 10} till" if len(found) > 10 else ""
        raise Blocked(
            f"{WHAT} byggs inte: {len(found)} fel i arkivet ({places}{more}).",
            "Rätta felen ovan (sikt validera) och försök igen. Inget skrevs.",
            result=Result(root, found, result.files_checked, result.sources),
        )


def build_site(root: Path, options: WebOptions, progress: Progress | None = None) -> Built:
    """Build the site into `options.out`; Blocked/Refused (nothing written) when it may not."""
    from sikt_cli.render.site_data import Options, published, site_data
    from sikt_cli.services import webb_model, webb_output

    url = _check_url(options.url)
    plan = webb_output.plan(options.out)  # refuses a folder with other files, before work
    site_options = Options(
        today=options.today or dt.date.today(),
        drafts=options.drafts,
        with_email=options.with_email,
        url=url,
    )
    store, key = _site_cache(root, site_options)
    hit = store.get(SITE_ENTRY, key) if store is not None else None
    staging = None
    try:
        if hit is not None:  # the same archive, options and day: the same site, no model
            files, count, warnings, chosen = hit
            _refuse_errors(root, set(chosen))
        else:
            archive, bodies, digests = webb_model.archive_and_bodies(root)
            chosen = [m.rel for m in archive.minutes if published(m, site_options)]
            _refuse_errors(root, set(chosen))
            data = site_data(archive, {r: bodies[r] for r in chosen if r in bodies}, site_options)
            data.digests = digests
            staging = None if plan.previous else webb_output.Staging(options.out)
            files, warnings = _render(data, store, staging, progress)
            count = len(data.pages)
            if store is not None and not warnings:
                store.put(SITE_ENTRY, key, (files, count, warnings, chosen))
        written, removed = webb_output.write(plan, files, staging)
    finally:
        if staging is not None:
            staging.discard()
    return Built(
        folder=options.out,
        pages=sum(1 for p in files if p.endswith(".html")),
        written=written,
        removed=removed,
        protokoll=count,
        search=not warnings,
        warnings=warnings,
    )


def _render(
    data: SiteData,
    store: Cache | None,
    staging: webb_output.Staging | None,
    progress: Progress | None,
) -> tuple[dict[str, bytes], list[str]]:
    """Every file of the site: pages whose inputs are unchanged and the search index of
    unchanged pages from the last build (the cache), the rest made; what was made is kept
    for the next build."""
    from sikt_cli.services import webb_search

    def entry(name: str, kind: type) -> Any:
        found = store.get(name, "") if store is not None else None
        return found if isinstance(found, kind) else None

    data.charts_before = entry(CHARTS_ENTRY, dict) or {}
    data.pages_before = entry(PAGES_ENTRY, dict) or {}
    previous = entry(SEARCH_ENTRY, webb_search.Search)

    def meanwhile() -> None:  # while Pagefind runs: the pages as made, for the next build
        if store is not None:  # (each under its exact inputs: right whatever Pagefind does)
            store.put(CHARTS_ENTRY, "", data.charts)
            store.put(PAGES_ENTRY, "", data.pages_now)

    files, warnings, search = webb_search.with_search(
        data, progress, _checker(staging, data.reused), previous, meanwhile
    )
    if warnings:  # the pages were made again, without search
        _refuse_numbers_in_pages(files)
    elif staging is not None and not search.reused:  # Pagefind wrote into the private folder
        staging.adopt(webb_search.index_files(files))
    if store is not None and not warnings and not search.reused:
        store.put(SEARCH_ENTRY, "", search)
    return files, warnings


def _checker(
    staging: webb_output.Staging | None, reused: set[str]
) -> Callable[[dict[str, bytes]], Path | None]:
    """What is done with the pages before Pagefind indexes them: the identity-number check
    (not of the pages taken from the last build: their bytes passed it then), then (a new
    folder) writing them into the private folder that becomes the site."""

    def check(pages: dict[str, bytes]) -> Path | None:
        _refuse_numbers_in_pages({p: d for p, d in pages.items() if p not in reused})
        if staging is None:
            return None
        staging.add(pages)
        return staging.path

    return check


SITE_ENTRY = "webb-sajt"  # one entry: the last site built, for its archive and options
CHARTS_ENTRY = "webb-diagram"  # the last build's goal charts by their input (SiteData.charts)
PAGES_ENTRY = "webb-sidor"  # the last build's HTML pages with their keys (SiteData.pages_now)
SEARCH_ENTRY = "webb-sok"  # the last build's search index with its pages' digest


def _site_cache(root: Path, options: object) -> tuple[Cache | None, str]:
    """The signed cache and the key of a site: the archive's content, every option (the
    day too: an uppdrag's state is as of today) and the site's templates and assets (the
    cache's own stamp covers sikt's .py files and the installed packages, Pagefind too)."""
    import hashlib

    from sikt_cli.archive.layout import archive_files
    from sikt_cli.cache import Cache
    from sikt_cli.render.site_render import templates_stamp

    store = Cache.open(root)
    if store is None:
        return None, ""
    h = hashlib.sha256(repr(options).encode("utf-8"))
    h.update(templates_stamp())
    digest = h.hexdigest()
    return store, f"{store.fingerprint(archive_files(root))}:{digest}"


_DIGITS = re.compile(rb"\d{6}")  # every personnummer or samordningsnummer has six in a row


def _refuse_numbers_in_pages(files: dict[str, bytes]) -> None:
    """The finished pages once more: a number that reached one through any path. The full
    scan runs on the pages with six digits in a row (a date never has), not on every page."""
    from sikt_cli.services.personal_data import refuse_numbers_in

    for path, data in files.items():
        if path.endswith((".html", ".xml")) and _DIGITS.search(data):
            refuse_numbers_in(data.decode("utf-8"), WHAT, path, action="publicera")
