"""The web archive in a real browser: this repo's site served over HTTP on 127.0.0.1 and
driven in headless Chromium through Playwright (Pagefind does not work from file://).

Chromium comes from the system's package manager (`apt-get install chromium`, which
`.ci/run` does); Playwright's own browser download is not used. Without a Chromium the
tests skip and say so. axe-core (tests/data/axe-core/, MPL-2.0) checks every page type.

With SIKT_SKARMDUMPAR=MAPP the tests also save screenshots of the start page, the June
protokoll and a search result there.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_webb import copy_repo_archive

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "data" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TYPES = [
    "",
    "protokoll/",
    "protokoll/2020-06-05/",
    "beslut/",
    "uppdrag/",
    "mal/",
    "mal/mal-1/",
    "medlemmar/",
    "tillganglighet/",
    "sok/?q=Mediapoolen",
]


def chromium() -> str | None:
    for name in (os.environ.get("SIKT_CHROMIUM", ""), "chromium", "chromium-browser"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from sikt_cli.cli.app import app

    base = tmp_path_factory.mktemp("webb-browser")
    root = copy_repo_archive(base / "arkiv")
    out = base / "site"
    result = CliRunner().invoke(app, ["webb", "--ut", str(out), "--rot", str(root)])
    assert result.exit_code == 0, result.output
    assert (out / "pagefind" / "pagefind.js").is_file()
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium()
    if executable is None:
        pytest.skip(
            "ingen Chromium hittades (installera med 'apt-get install chromium', eller ange "
            "SIKT_CHROMIUM=sökväg); webbläsartesterna körs inte"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


# recorded before any of the page's own code runs (an init script is not the page's: its
# policy does not apply to it); every refusal of the Content-Security-Policy lands here
LISTEN_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.effectiveDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));
"""


class Watched:
    """A page with every console error, page error, request and CSP violation recorded."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.context.add_init_script(LISTEN_CSP)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__csp"))

    def close(self) -> None:
        self.context.close()


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("SIKT_SKARMDUMPAR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_start_page_loads_clean_and_only_from_the_site(browser: Any, server: str) -> None:
    w = Watched(browser)
    try:
        response = w.page.goto(server)
        assert response is not None and response.status == 200
        assert w.page.title() == "Protokollarkiv – SIKT-nätverket"
        assert w.page.locator("html").get_attribute("lang") == "sv"
        w.page.wait_for_load_state("networkidle")
        screenshot(w.page, "startsida.png")
        assert w.errors == []
        assert w.requests and all(u.startswith(server) for u in w.requests), w.requests
    finally:
        w.close()


def test_search_for_mediapoolen_finds_the_june_protokoll(browser: Any, server: str) -> None:
    w = Watched(browser)
    try:
        w.page.goto(server)
        w.page.fill("#sokfalt", "Mediapoolen")
        w.page.press("#sokfalt", "Enter")
        w.page.wait_for_url("**/sok/?q=Mediapoolen")
        w.page.locator("#sokresultat li h2 a").first.wait_for(timeout=15_000)
        first = w.page.locator('#sokresultat li h2 a[href="/protokoll/2020-06-05/"]')
        assert first.inner_text() == "Protokoll fredag 5 juni 2020"
        marks = w.page.locator("#sokresultat li:has(a[href='/protokoll/2020-06-05/']) mark")
        assert marks.first.inner_text().startswith("Mediapoolen")
        status = w.page.locator("#sokstatus").inner_text()
        assert status.endswith("för ”Mediapoolen”."), status
        screenshot(w.page, "sokresultat.png")
        assert w.errors == []  # the CSP let Pagefind's WebAssembly run, nothing else broke
        assert all(u.startswith(server) for u in w.requests), w.requests
        first.click()
        w.page.wait_for_url("**/protokoll/2020-06-05/")
    finally:
        w.close()


def test_search_finds_inflected_swedish_words(browser: Any, server: str) -> None:
    """'avtalen' is not in the protokoll; its stem is ('avtalet', 'avtal')."""
    w = Watched(browser)
    try:
        w.page.goto(server + "sok/?q=avtalen")
        w.page.locator("#sokresultat li h2 a").first.wait_for(timeout=15_000)
        hrefs = w.page.locator("#sokresultat li h2 a").evaluate_all("a => a.map(x => x.href)")
        assert server + "protokoll/2020-06-05/" in hrefs
    finally:
        w.close()


def test_keyboard_reaches_skip_link_then_search_field(browser: Any, server: str) -> None:
    w = Watched(browser)
    try:
        w.page.goto(server + "protokoll/2020-06-05/")
        w.page.keyboard.press("Tab")
        assert w.page.evaluate("document.activeElement.className") == "hoppa"
        assert w.page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
        reached = []
        for _ in range(20):
            w.page.keyboard.press("Tab")
            reached.append(w.page.evaluate("document.activeElement.id"))
            if reached[-1] == "sokfalt":
                break
        assert reached[-1] == "sokfalt", reached
        outline = w.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"  # visible focus
    finally:
        w.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_axe_finds_no_serious_or_critical_violation(browser: Any, server: str, path: str) -> None:
    # axe is injected as a script the page's own CSP would (rightly) refuse: bypass_csp
    # is for the checker only; the other tests run under the real policy
    w = Watched(browser, bypass_csp=True)
    try:
        w.page.goto(server + path)
        if path.startswith("sok/"):
            w.page.locator("#sokresultat li").first.wait_for(timeout=15_000)
        w.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        assert w.page.evaluate("axe.version") == AXE_VERSION
        result = w.page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], bad
        assert result["passes"], "axe ran its checks"
    finally:
        w.close()


@pytest.mark.parametrize("width", [320, 640])  # 640 px: a 1280 px screen at 200 % zoom
def test_no_horizontal_scrolling_when_narrow(browser: Any, server: str, width: int) -> None:
    w = Watched(browser, viewport={"width": width, "height": 800})
    try:
        for path in ("", "protokoll/2020-06-05/", "beslut/", "uppdrag/"):
            w.page.goto(server + path)
            wide = w.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path or 'startsidan'}: {wide} px bred vid {width} px"
    finally:
        w.close()


def test_works_without_javascript(browser: Any, server: str) -> None:
    w = Watched(browser, java_script_enabled=False)
    try:
        w.page.goto(server)
        w.page.click("text=Protokoll >> nth=0")
        w.page.click("text=fredag 5 juni 2020")
        assert w.page.locator("h1").inner_text() == "Protokoll fredag 5 juni 2020"
        screenshot(w.page, "protokoll-2020-06-05.png")
        w.page.goto(server + "sok/?q=Mediapoolen")
        assert "Sökningen behöver JavaScript." in w.page.locator("main").inner_text()
        assert w.errors == []
    finally:
        w.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_runs_clean_under_its_policy(browser: Any, server: str, path: str) -> None:
    """No console error (a CSP refusal is one) and nothing loaded from outside the site."""
    w = Watched(browser)
    try:
        w.page.goto(server + path)
        if path.startswith("sok/"):
            w.page.locator("#sokresultat li").first.wait_for(timeout=15_000)
        w.page.wait_for_load_state("networkidle")
        assert w.violations() == []
        assert w.errors == [], w.errors
        assert all(u.startswith(server) for u in w.requests), w.requests
        if path == "mal/mal-1/":
            chart = w.page.locator("figure.diagram svg")
            assert chart.get_attribute("role") == "img"
            assert chart.get_attribute("aria-labelledby") == "diagram-mal-1"
    finally:
        w.close()


def test_the_listener_hears_a_violation(browser: Any, server: str) -> None:
    """The check above can fail: an inline style on a page of the site is reported."""
    w = Watched(browser)
    try:
        w.page.goto(server + "mal/mal-1/")
        w.page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')"
        )
        w.page.wait_for_function("window.__csp.length > 0")
        assert w.violations()[0].startswith("style-src-attr inline")
    finally:
        w.close()


def test_the_chart_without_inline_css_draws_as_matplotlib_draws_it(browser: Any) -> None:
    """Presentation attributes in place of matplotlib's styles: the same pixels."""
    from sikt_cli.render.charts import goal_chart
    from sikt_cli.render.site_charts import safe_svg

    chart = goal_chart(
        ["mal-1", "mal-1.1", "mal-1.2"], [3, 1, 0], [1, 0, 2], [2, 2, 1], title="Under mal-1"
    )
    page = browser.new_page()
    try:
        page.set_content(f"<!DOCTYPE html><html><body>{chart.svg}</body></html>")
        drawn = page.locator("svg").screenshot()
        page.set_content(f"<!DOCTYPE html><html><body>{safe_svg(chart.svg, 'x')}</body></html>")
        assert page.locator("svg").screenshot() == drawn
    finally:
        page.close()
