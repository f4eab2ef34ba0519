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


def templates_stamp() -> bytes:
    """The site's templates and assets, every file of render/webb/ by name and content."""
    import hashlib

    h = hashlib.sha256()
    folder = resources.files("sikt_cli").joinpath("render", "webb")
    for name in sorted(item.name for item in folder.iterdir()):
        h.update(name.encode("utf-8") + b"\0" + _source(name).encode("utf-8") + b"\0")
    return h.digest()


class _Pages:
    """The HTML pages of one build: each taken from the last build when its key is the
    same (render/site_reuse.py), else rendered; every key remembered in data.pages_now."""

    def __init__(self, data: SiteData, progress: Progress | None) -> None:
        from sikt_cli.render import site_reuse

        self.data = data
        self.stamp = site_reuse.site_stamp(data, templates_stamp())
        self.progress = progress
        self.done = 0
        self.total = 0
        data.pages_now.clear()  # in place: the caller holds data.reused
        data.reused.clear()

    def tick(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)

    def keep(self, path: str, key: str, html: bytes) -> tuple[str, bytes]:
        self.data.pages_now[path] = (key, html)
        return path, html

    def before(self, path: str, key: str) -> bytes | None:
        old = self.data.pages_before.get(path)
        if old is None or old[0] != key:
            return None
        self.data.reused.add(path)
        return old[1]

    def others(self, renderer: Renderer) -> list[tuple[str, bytes]]:
        from sikt_cli.render import site_reuse

        out = []
        todo = list(_other_pages(self.data))  # their contexts (the charts among them)
        self.total += len(todo)
        for path, template, ctx in todo:
            key = site_reuse.other_key(self.stamp, path, template, ctx)
            html = self.before(path, key)
            if html is None:
                html = _rendered(renderer, self.data, path, template, ctx)
            out.append(self.keep(path, key, html))
        return out


def _html_pages(data: SiteData, progress: Progress | None) -> list[tuple[str, bytes]]:
    """Every HTML page in site order. Pages whose inputs are unchanged come from the last
    build; the protokoll pages to render go to every core when there are many
    (site_pool.py), while this process renders the others."""
    from sikt_cli.render import site_pool, site_reuse

    renderer = Renderer()
    pages = _Pages(data, progress)
    n = len(data.pages)
    minutes: list[tuple[str, bytes]] = [("", b"")] * n
    keys: list[str] = []
    todo: list[int] = []
    for i, page in enumerate(data.pages):
        path = f"{minutes_url(page.day)}index.html"
        keys.append(site_reuse.minutes_key(pages.stamp, data, page))
        html = pages.before(path, keys[i])
        if html is None:
            todo.append(i)
        else:
            minutes[i] = pages.keep(path, keys[i], html)
    pages.total = n
    pages.tick(n - len(todo))
    workers = site_pool.workers_for(len(todo))
    if workers:
        with site_pool.Pool(data, workers, render_chunk, todo) as pool:
            rest = pages.others(renderer)
            pages.tick(len(rest))
            for i, path, html in pool.results(pages.tick):
                minutes[i] = pages.keep(path, keys[i], html)
    else:
        rest = pages.others(renderer)
        pages.tick(len(rest))
        for i in todo:
            path, html = minutes_file(renderer, data, data.pages[i])
            minutes[i] = pages.keep(path, keys[i], html)
            pages.tick(1)
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
