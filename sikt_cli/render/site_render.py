"""The web archive's files: every page rendered, plus the stylesheet, the search script,
sitemap.xml and the Atom feed. Returns bytes by site path; never writes (services/webb.py).

Pages are Jinja2 templates from the package's render/webb/ folder, rendered in the budgeted
sandbox with autoescape on: every value from the archive is escaped, and the only markup
that reaches a page unescaped is what html_writer wrote (render/site_minutes.py) and the
charts' checked SVG (render/site_charts.py).
Every page carries the Content-Security-Policy below (docs/webb.md, docs/sakerhet.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

from sikt_cli.render import site_feeds, site_lists
from sikt_cli.render.site_addresses import hide_member_addresses
from sikt_cli.render.site_data import Page, SiteData
from sikt_cli.render.site_minutes import minutes_page, minutes_url

# No inline script and no inline style, on every page: only the site's own files (the
# charts' SVG carries presentation attributes, not styles: render/site_charts.py).
# 'wasm-unsafe-eval' only on the search page (Pagefind runs WebAssembly); connect-src
# for its index files.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'"
)
CSP_SEARCH = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
MANIFEST = ".sikt-webb.json"  # the files sikt wrote: a rebuild replaces exactly those
ASSETS = ("webb.css", "sok.js", "ikon.svg")

Progress = Callable[[int, int], None]
PAGE_SECONDS = 300.0
PAGE_ITERATIONS = 50_000_000
PAGE_OUTPUT = 500_000_000


def _source(name: str) -> str:
    return (resources.files("sikt_cli") / "render" / "webb" / name).read_text(encoding="utf-8")


class Renderer:
    """One compiled set of templates; each page gets fresh budgets (render/sandbox.py)."""

    def __init__(self) -> None:
        from sikt_cli.render import sandbox

        self.sandbox = sandbox
        self.env = sandbox.environment(
            lambda n: (_source(n), f"sikt_cli/render/webb/{n}"), autoescape=True
        )

    def page(self, template: str, context: dict[str, Any]) -> bytes:
        from sikt_cli.render.templates import _template_error

        # the package's own templates, whose list pages grow with the archive (the register
        # of 10,000 protokoll): the sandbox stays, its budgets are an archive's size
        self.env.restart(seconds=PAGE_SECONDS, iterations=PAGE_ITERATIONS, output=PAGE_OUTPUT)
        try:
            with self.sandbox.memory_cap():
                text = self.env.get_template(template).render(**context)
        except Exception as exc:  # a bug in a package template: named with its line
            raise _template_error(exc, f"sikt_cli/render/webb/{template}") from exc
        return text.encode("utf-8")


def _common(data: SiteData, path: str, title: str, csp: str = CSP) -> dict[str, Any]:
    """What the layout needs: the root prefix for relative links, the menu, the policy."""
    depth = path.count("/")
    rot = "../" * depth
    net = data.archive.roster.network
    return {
        "rot": rot or "./",
        "natverk": net.namn,
        "sidtitel": title,
        "csp": csp,
        "sok": data.options.search,
        "aktuell": path.split("/")[0] if depth else "",
    }


def _other_pages(data: SiteData) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(site path, template, context) for every HTML page but the protokoll pages."""
    rot1, rot2 = "../", "../../"
    yield "index.html", "start.html.j2", site_lists.start_page(data, "")
    yield "protokoll/index.html", "protokoll-lista.html.j2", site_lists.minutes_list(data, rot1)
    yield "beslut/index.html", "beslut.html.j2", site_lists.register_page(data, rot1)
    yield "uppdrag/index.html", "uppdrag.html.j2", site_lists.action_items_page(data, rot1)
    yield "mal/index.html", "mal-lista.html.j2", site_lists.goals_page(data, rot1)
    for gid, ctx in site_lists.goal_pages(data, rot2).items():
        yield f"mal/{gid}/index.html", "mal.html.j2", ctx
    yield "medlemmar/index.html", "medlemmar.html.j2", site_lists.members_page(data)
    yield "tillganglighet/index.html", "tillganglighet.html.j2", site_lists.accessibility_page(data)
    yield "sok/index.html", "sok.html.j2", {"titel": "Sök"}


MINUTES_AFTER = 2  # the protokoll pages stand after the start page and the protokoll list


def _rendered(
    renderer: Renderer, data: SiteData, path: str, template: str, ctx: dict[str, Any]
) -> bytes:
    csp = CSP_SEARCH if path.startswith("sok/") else CSP
    title = ctx.get("sidtitel", ctx["titel"])
    page = renderer.page(template, {**_common(data, path, title, csp), **ctx})
    return hide_member_addresses(data, page)


def minutes_file(renderer: Renderer, data: SiteData, page: Page) -> tuple[str, bytes]:
    """One protokoll page: its site path and its HTML."""
    path = f"{minutes_url(page.day)}index.html"
    ctx = minutes_page(page, data, "../../")
    return path, _rendered(renderer, data, path, "protokoll.html.j2", ctx)


_worker_renderer: Renderer | None = None  # a worker process's compiled templates


def render_chunk(indices: list[int]) -> list[tuple[int, str, bytes]]:
    """In a worker process (site_pool.py): the protokoll pages data.pages[i] for i in indices."""
    from sikt_cli.render import site_pool

    global _worker_renderer
    data = site_pool.worker_data()
    if _worker_renderer is None:
        _worker_renderer = Renderer()
    return [(i, *minutes_file(_worker_renderer, data, data.pages[i])) for i in indices]


def _html_pages(data: SiteData, progress: Progress | None) -> list[tuple[str, bytes]]:
    """Every HTML page in site order; the protokoll pages on every core when there are many
    (site_pool.py), while this process renders the others."""
    from sikt_cli.render import site_pool

    renderer = Renderer()
    n = len(data.pages)
    done = 0
    total = n

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    def others() -> list[tuple[str, bytes]]:
        nonlocal total
        todo = list(_other_pages(data))
        total += len(todo)
        return [(path, _rendered(renderer, data, path, t, ctx)) for path, t, ctx in todo]

    minutes: list[tuple[str, bytes]] = [("", b"")] * n
    workers = site_pool.workers_for(n)
    if workers:
        with site_pool.Pool(data, workers, render_chunk) as pool:
            rest = others()
            tick(len(rest))
            for i, path, html in pool.results(tick):
                minutes[i] = (path, html)
    else:
        rest = others()
        tick(len(rest))
        for i, page in enumerate(data.pages):
            minutes[i] = minutes_file(renderer, data, page)
            tick(1)
    return [*rest[:MINUTES_AFTER], *minutes, *rest[MINUTES_AFTER:]]


def build_files(data: SiteData, progress: Progress | None = None) -> dict[str, bytes]:
    """Every file of the site by path (posix, relative to the site root)."""
    out: dict[str, bytes] = dict(_html_pages(data, progress))
    for name in ASSETS:
        out[f"assets/{name}"] = _source(name).encode("utf-8")
    out["atom.xml"] = hide_member_addresses(data, site_feeds.atom(data))
    if data.options.url:
        out["sitemap.xml"] = site_feeds.sitemap(data, [p for p in out if p.endswith(".html")])
    return out


def manifest(hashes: dict[str, str]) -> bytes:
    """The files sikt wrote with their SHA-256, so that a rebuild knows what it may replace."""
    body = {"generator": "sikt webb", "files": dict(sorted(hashes.items()))}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
