"""The web archive's search: Pagefind indexes the built pages, with Swedish stemming.

Pagefind (PyPI `pagefind[extended]`) ships its binary inside its wheel; it runs as
`python -m pagefind` with an argument list, never through a shell, on a temporary copy of
the pages, and its files (the index and its own JavaScript and WebAssembly) become part of
the site under pagefind/. Nothing is fetched at build or at run time. The pages say
`lang="sv"`, which makes Pagefind index them with its Swedish stemmer.

When the binary is missing or cannot run on this machine, the site is built without
search: the search page says so, everything else works, and the command warns (exit 0).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sikt_cli.render.site_data import SiteData

INDEX_DIR = "pagefind"
TIMEOUT = 600  # seconds; 1,000 protokoll take a few
Progress = Callable[[str, int, int], None]
NO_SEARCH = (
    "Sökindexet kunde inte byggas ({why}); webbplatsen byggdes utan sökning. "
    "Installera om sikt (pip install --force-reinstall 'pagefind[extended]') och bygg igen."
)


@dataclass(slots=True)
class Search:
    """A search index: the digest of the pages it indexes and Pagefind's files."""

    digest: str = ""
    index: dict[str, bytes] = field(default_factory=dict)
    reused: bool = False  # the last build's: the same pages, so Pagefind did not run


def pages_digest(files: dict[str, bytes]) -> str:
    """What Pagefind indexes: every HTML page, by path and content."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(p for p in files if p.endswith(".html")):
        data = files[path]
        h.update(f"{path}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def with_search(
    data: SiteData,
    progress: Progress | None = None,
    stage: Callable[[dict[str, bytes]], Path | None] | None = None,
    previous: Search | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[dict[str, bytes], list[str], Search]:
    """Every file of the site, the search index included, the warnings and the index.

    `stage` gets the pages before they are indexed (the caller checks them and, for a new
    folder, writes them into the private folder that becomes the site); when it returns
    that folder, Pagefind indexes the pages there and writes its files beside them, instead
    of into a temporary copy of every page. `previous`: the last build's index, taken as it
    is when the pages are byte for byte the ones it indexed (Pagefind's output depends on
    nothing else; the cache's stamp covers its version). `meanwhile` runs while Pagefind
    does (once the pages are made: the caller stores them in the cache)."""
    from sikt_cli.render.site_render import build_files

    def pages(done: int, total: int) -> None:
        if progress is not None:
            progress("sidor", done, total)

    files = build_files(data, pages)
    digest = pages_digest(files)
    same = previous is not None and previous.digest == digest and bool(previous.index)
    site = stage(files) if stage is not None else None
    if progress is not None:
        progress("sök", 0, 1)
    if same and previous is not None:
        index: dict[str, bytes] | None = previous.index
        why = ""
        if meanwhile is not None:
            meanwhile()
    else:
        index, why = _index(files, site, meanwhile or (lambda: None))
    if progress is not None:
        progress("sök", 1, 1)
    if index is None:
        data.options = replace(data.options, search=False)
        return build_files(data), [NO_SEARCH.format(why=why)], Search()
    return {**files, **index}, [], Search(digest, index, reused=same)


def index_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of the site that Pagefind wrote."""
    return {p: d for p, d in files.items() if p.startswith(f"{INDEX_DIR}/")}


def _index(
    files: dict[str, bytes], site: Path | None, meanwhile: Callable[[], None]
) -> tuple[dict[str, bytes] | None, str]:
    """Pagefind's files by site path, or None and why not; in `site` when it holds the
    pages (what Pagefind wrote there is removed again when it fails), else in a copy."""
    import shutil

    if site is not None:
        index, why = _pagefind(site, meanwhile)
        if index is None:
            shutil.rmtree(site / INDEX_DIR, ignore_errors=True)
        return index, why
    with tempfile.TemporaryDirectory(prefix="sikt-webb-") as tmp:
        copy = Path(tmp) / "site"
        made: set[Path] = set()
        for path, data in files.items():
            if path.endswith(".html"):
                target = copy / path
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                target.write_bytes(data)
        return _pagefind(copy, meanwhile)


def _pagefind(site: Path, meanwhile: Callable[[], None]) -> tuple[dict[str, bytes] | None, str]:
    """Run Pagefind over the pages in `site`, and `meanwhile` while it runs; its files
    (site/pagefind/) by site path. Its output goes to a file, not a pipe, which nobody
    reads while `meanwhile` runs."""
    args = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    with tempfile.TemporaryFile() as said:
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=said,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            )
        except OSError as exc:
            meanwhile()
            return None, f"pagefind kunde inte startas: {exc}"
        try:
            meanwhile()
            code = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            return None, f"pagefind kunde inte startas: {exc}"
        finally:
            if proc.poll() is None:  # timed out, or interrupted: never left running
                proc.kill()
                proc.wait()
        said.seek(0)
        text = said.read().decode("utf-8", errors="replace")
    if code != 0:
        last = text.strip().splitlines()[-1:] or ["okänt fel"]
        return None, f"pagefind avslutade med kod {code}: {last[0][:200]}"
    out_dir = site / INDEX_DIR
    if not out_dir.is_dir():
        return None, "pagefind skrev inget index"
    return {
        f"{INDEX_DIR}/{p.relative_to(out_dir).as_posix()}": p.read_bytes()
        for p in sorted(out_dir.rglob("*"))
        if p.is_file()
    }, ""
