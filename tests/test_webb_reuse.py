"""`sikt webb` takes a page from the last build only when exactly its inputs are unchanged
(render/site_reuse.py): after every kind of change, the site built with the cache is byte
for byte the site built from scratch, and the pages whose inputs changed were rendered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import protokoll

from sikt_cli.render import site_render

Make = Callable[..., Path]
Run = Callable[..., Any]
MALL = "protokoll.html.j2"
FIRST, MIDDLE, LAST = "2020-06-05", "2020-09-04", "2020-10-02"
DECISION = "beslut:\n  - arende: 2\n    text: Temadagen hålls i Skövde.\n"
SUPERSEDES = (
    "beslut:\n  - arende: 1\n    text: Temadagen hålls i Teams.\n    ersatter: 2020-06-05#b1\n"
)


def later(day: str, next_day: str, body: str, extra: str = "") -> str:
    text = protokoll(day, status="justerat", extra_frontmatter=f"justerad: {day}\n" + extra)
    text = text.replace("kommande:\n  - datum: 2020-09-04\n", f"kommande:\n  - datum: {next_day}\n")
    return text.replace(text[text.index("## 1. Inledning") :], body)


def body(text: str) -> str:
    return f"## 1. Inledning\n\n{text}\n\n## 2. Temadag\n\nInget nytt.\n"


@pytest.fixture
def root(archive: Make) -> Path:
    first = protokoll(status="justerat", extra_frontmatter=f"justerad: 2020-06-12\n{DECISION}")
    return archive(
        {
            f"protokoll/{FIRST}.md": first,
            f"protokoll/{MIDDLE}.md": later(MIDDLE, LAST, body("Mitten.")),
            f"protokoll/{LAST}.md": later(LAST, "2020-11-06", body("Sist.")),
        }
    )


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The site paths of the pages rendered (not taken from the last build)."""
    made: list[str] = []
    real = site_render._rendered

    def counted(renderer: Any, data: Any, path: str, *rest: Any) -> bytes:
        made.append(path)
        return real(renderer, data, path, *rest)

    monkeypatch.setattr(site_render, "_rendered", counted)
    yield made


def calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    """The first argument of every call of `module.name` from now on (it still runs)."""
    seen: list[Any] = []
    real = getattr(module, name)

    def counted(first: Any, *rest: Any) -> Any:
        seen.append(first)
        return real(first, *rest)

    monkeypatch.setattr(module, name, counted)
    return seen


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


class Builds:
    def __init__(self, run: Run, root: Path, base: Path, made: list[str]) -> None:
        self.run, self.root, self.base, self.made, self.n = run, root, base, made, 0
        self.last: list[str] = []

    def both(self) -> tuple[dict[str, bytes], list[str]]:
        """A build with the cache and one from scratch: the same bytes; what the first
        rendered (the protokoll pages, by day)."""
        self.n += 1
        warm, cold = self.base / f"varm{self.n}", self.base / f"kall{self.n}"
        self.made.clear()
        assert self.run("webb", "--ut", str(warm), "--rot", str(self.root)).exit_code == 0
        self.last = list(self.made)  # what the build with the cache rendered
        days = sorted(p.split("/")[1] for p in self.last if p.startswith("protokoll/2"))
        args = ("webb", "--ut", str(cold), "--rot", str(self.root))
        assert self.run(*args, env={"SIKT_CACHE": "av"}).exit_code == 0
        one, other = tree(warm), tree(cold)
        assert sorted(one) == sorted(other)
        assert [p for p in one if one[p] != other[p]] == []
        return one, days

    def edit(self, day: str, old: str, new: str) -> None:
        path = self.root / f"protokoll/{day}.md"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")


def page(site: dict[str, bytes], day: str) -> str:
    return site[f"protokoll/{day}/index.html"].decode("utf-8")


def test_only_the_changed_protokoll_is_rendered_and_the_site_is_the_same(
    root: Path, run: Run, tmp_path: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikt_cli.services import webb_model

    whole = calls(monkeypatch, webb_model, "_whole")
    builds = Builds(run, root, tmp_path, rendered)
    _site, days = builds.both()
    assert days == [FIRST, MIDDLE, LAST]
    assert whole == [root, root]  # the first build and the one without the cache
    builds.edit(LAST, "Sist.", "Sist, med ny text.")
    site, days = builds.both()
    assert days == [LAST]
    assert whole == [root, root, root]  # the last model with one protokoll read again
    assert "Sist, med ny text." in page(site, LAST)
    assert "beslut/index.html" not in builds.last  # its context is unchanged: taken as it was
    models = calls(monkeypatch, webb_model, "archive_and_bodies")
    _site, days = builds.both()  # unchanged: the whole site from the cache, nothing rendered
    assert builds.last == []
    assert models == [root]  # only the build without the cache needed the model
    (root / "protokoll" / f"{MIDDLE}.md").unlink()  # a protokoll removed: its neighbours change
    site, days = builds.both()
    assert days == [FIRST, LAST] and f"protokoll/{MIDDLE}/index.html" not in site
    assert len(whole) == 5  # each build without the cache; with it, the model updated
    members = root / "medlemmar.yaml"
    members.write_text(members.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    builds.both()
    assert len(whole) == 7  # medlemmar.yaml changed: the model loaded whole, in both


def test_a_follow_up_in_a_later_protokoll_renders_the_uppdrag_s_page(
    root: Path, run: Run, tmp_path: Path, rendered: list[str]
) -> None:
    builds = Builds(run, root, tmp_path, rendered)
    site, _days = builds.both()
    assert "klart 2020-10-02" not in page(site, FIRST)
    builds.edit(LAST, "Inget nytt.", "- [x] 2020-06-05#1 Klart: lokalen är bokad.")
    site, days = builds.both()
    assert days == [FIRST, LAST]  # the uppdrag's page shows its new state; the middle one not
    assert "klart 2020-10-02" in page(site, FIRST)


def test_a_decision_superseded_later_renders_its_page(
    root: Path, run: Run, tmp_path: Path, rendered: list[str]
) -> None:
    builds = Builds(run, root, tmp_path, rendered)
    site, _days = builds.both()
    assert "2020-06-05#b1, gäller" in page(site, FIRST)
    builds.edit(LAST, "justerad: 2020-10-02\n", "justerad: 2020-10-02\n" + SUPERSEDES)
    site, days = builds.both()
    assert days == [FIRST, LAST]
    assert "2020-06-05#b1, ersatt av 2020-10-02#b1" in page(site, FIRST)


def test_a_changed_template_renders_every_page(
    root: Path, run: Run, tmp_path: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = Builds(run, root, tmp_path, rendered)
    builds.both()
    real = site_render._source

    def changed(name: str) -> str:
        start = '<article data-pagefind-body class="protokollet">'
        text = real(name)
        return text.replace(start, start + "<p>Ändrad mall.</p>") if name == MALL else text

    monkeypatch.setattr(site_render, "_source", changed)
    site, days = builds.both()
    assert days == [FIRST, MIDDLE, LAST]
    assert "Ändrad mall." in page(site, MIDDLE)


def test_the_day_renders_the_pages_whose_state_it_changes(
    root: Path, tmp_path: Path, rendered: list[str]
) -> None:
    from sikt_cli.services.webb import WebOptions, build_site

    def at(day: dt.date, out: str) -> list[str]:
        rendered.clear()
        build_site(root, WebOptions(tmp_path / out, today=day))
        return sorted(p.split("/")[1] for p in rendered if p.startswith("protokoll/2"))

    assert at(dt.date(2020, 7, 1), "a") == [FIRST, MIDDLE, LAST]
    assert at(dt.date(2020, 7, 2), "b") == []  # nothing on any page depends on that day
    assert at(dt.date(2020, 8, 2), "c") == [FIRST]  # the uppdrag is overdue now
    text = (tmp_path / "c" / "protokoll" / FIRST / "index.html").read_text(encoding="utf-8")
    assert "öppet, skulle vara klart 2020-08-01" in text
    assert "öppet, skulle vara klart" not in (
        tmp_path / "b" / "protokoll" / FIRST / "index.html"
    ).read_text(encoding="utf-8")


def test_the_search_index_is_reused_only_for_the_same_pages(
    root: Path, run: Run, tmp_path: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikt_cli.services import webb_search

    runs = calls(monkeypatch, webb_search, "_pagefind")
    builds = Builds(run, root, tmp_path, rendered)
    builds.both()
    assert len(runs) == 2  # with the cache and without
    (root / ".sikt-cache" / "webb-sajt.bin").unlink()  # the site's entry gone, the pages kept
    site, days = builds.both()
    assert days == [] and len(runs) == 3  # the same pages: the last index, Pagefind not run
    assert site["pagefind/pagefind-entry.json"]
    builds.edit(MIDDLE, "Mitten.", "Mitten, rättad.")
    builds.both()
    assert len(runs) == 5  # a page changed: Pagefind indexes every page again


def test_a_protokoll_replaced_by_a_link_loads_the_archive_whole(
    root: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link is never read through (cache.read_small): the model is loaded whole, as
    without the cache, and the linked protokoll gets no page."""
    from sikt_cli.services import webb_model

    assert run("webb", "--ut", str(tmp_path / "a"), "--rot", str(root)).exit_code == 0
    whole = calls(monkeypatch, webb_model, "_whole")
    target = root / "protokoll" / f"{LAST}.md"
    target.unlink()
    target.symlink_to(root / "protokoll" / f"{MIDDLE}.md")
    result = run("webb", "--ut", str(tmp_path / "b"), "--rot", str(root))
    assert whole == [root]
    assert result.exit_code == 0
    assert result.stdout.startswith("Byggde 11 sidor (2 protokoll) i ")
    assert not (tmp_path / "b" / "protokoll" / LAST).exists()


def test_a_protokoll_named_md_in_capitals_is_not_published_by_the_update(
    root: Path, run: Run, tmp_path: Path, rendered: list[str]
) -> None:
    """Was: a `.MD` added after a build (SIKT118's warning; the loader never reads it) got
    a public page when the model was updated with the changed files, and none from scratch."""
    builds = Builds(run, root, tmp_path, rendered)
    builds.both()
    text = later("2020-11-06", "2020-12-04", body("Versaler."))
    (root / "protokoll/2020-11-06.MD").write_text(text, encoding="utf-8")
    site, days = builds.both()  # the same bytes as from scratch: the assertion inside
    assert "protokoll/2020-11-06/index.html" not in site
    assert days == []  # the model loaded whole: the same model, no page's inputs changed
