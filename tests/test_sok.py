"""`sikt sok`: full-text search with Swedish word forms, ranking, filters, the index, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import needs_symlinks, protokoll

from sikt_cli.records.search_query import from_arguments
from sikt_cli.services.sok import SearchQuery, search

Run = Callable[..., Any]
Make = Callable[..., Path]


def sok(run: Run, root: Path, *args: str) -> dict[str, Any]:
    result = run("sok", *args, "--rot", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def places(data: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(h["kind"], h["item"]["nr"] if h["item"] else None) for h in data["hits"]]


# --- this repo's own archive ----------------------------------------------------------------


@pytest.mark.parametrize("word", ["avtalet", "avtal", "AVTALEN", "avtalets"])
def test_agreement_ranks_the_mediapoolen_item_first(
    real_archive: Path, run: Run, word: str
) -> None:
    data = sok(run, real_archive, word)
    first = data["hits"][0]
    assert (first["kind"], first["item"], first["id"]) == (
        "beslut",
        {"nr": 5, "rubrik": "Mediapoolen"},
        "2020-06-05#b1",
    )
    assert places(data) == [("beslut", 5), ("mal", None), ("uppdrag", 5), ("text", 5)]


def test_json_shape_of_a_hit(real_archive: Path, run: Run) -> None:
    data = sok(run, real_archive, "avtalet", "--antal", "1")
    assert set(data) == {"query", "total", "hits"}
    assert (data["query"], data["total"], len(data["hits"])) == ("avtalet", 4, 1)
    hit = data["hits"][0]
    assert isinstance(hit.pop("score"), float)
    text = (
        "Avtalet med Mediapoolen ska förlängas ett år (tidsperiod 1 januari – 31 december 2021) "
        "för att omförhandla avtal."
    )
    assert hit == {
        "kind": "beslut",
        "id": "2020-06-05#b1",
        "title": "Beslut 2020-06-05#b1",
        "date": "2020-06-05",
        "item": {"nr": 5, "rubrik": "Mediapoolen"},
        "file": "protokoll/2020-06-05.md",
        "line": 51,
        "snippet": text,
        "highlights": [[0, 7], [107, 112]],
    }
    assert [text[a:b] for a, b in hit["highlights"]] == ["Avtalet", "avtal"]


def test_a_phrase_finds_item_6(real_archive: Path, run: Run) -> None:
    data = sok(run, real_archive, "Office365 och Teams")
    assert places(data) == [("text", 6), ("text", 7)]
    first = data["hits"][0]
    assert (first["title"], first["line"], first["snippet"]) == (
        "Ärende 6. Temadag Office365 och Teams",
        108,
        "Temadag Office365 och Teams",
    )


def test_far_does_not_match_far_with_a_ring(real_archive: Path, run: Run) -> None:
    result = run("sok", "far", "--rot", str(real_archive))
    assert result.exit_code == 0
    assert result.stdout == "Inga träffar för far.\n"
    data = sok(run, real_archive, "får")
    assert data["total"] == 3
    assert all("får" in h["snippet"] for h in data["hits"])


def test_markdown_marks_the_matches(real_archive: Path, run: Run) -> None:
    result = run("sok", "Office365 och Teams", "--rot", str(real_archive), "--format", "md")
    assert result.exit_code == 0
    assert result.stdout == (
        "1. **Ärende 6. Temadag Office365 och Teams** (2020-06-05) "
        "`protokoll/2020-06-05.md:108`  \n"
        "   Temadag **Office365** **och** **Teams**\n"
        "2. **Ärende 7. Övrigt** (2020-06-05) `protokoll/2020-06-05.md:123`  \n"
        "   \\* Temadag **Office365** **och** **Teams**\n"
    )


def test_csv_and_table(real_archive: Path, run: Run) -> None:
    result = run("sok", "Mediapoolen", "--typ", "beslut", "--rot", str(real_archive), "-f", "csv")
    assert result.stdout == (  # the one CSV form (render/csv_writer.py): BOM, ";"
        "\ufefftyp;id;rubrik;datum;arende;utdrag;fil;rad\n"
        "beslut;2020-06-05#b1;Beslut 2020-06-05#b1;2020-06-05;5. Mediapoolen;"
        "Avtalet med Mediapoolen ska förlängas ett år (tidsperiod 1 januari – 31 december "
        "2021) för att omförhandla avtal.;protokoll/2020-06-05.md;51\n"
    )
    table = run("sok", "Mediapoolen", "--rot", str(real_archive))
    assert table.exit_code == 0
    assert "Beslut 2020-06-05#b1" in table.stdout
    assert table.stdout.endswith("3 träffar.\n")
    one = run("sok", "Mediapoolen", "--antal", "1", "--rot", str(real_archive))
    assert one.stdout.endswith("Visar 1 av 3 träffar. Visa fler med --antal 3.\n")


def test_members_and_goals_are_searchable(real_archive: Path, run: Run) -> None:
    data = sok(run, real_archive, "Bronell")
    kinds = {(h["kind"], h["id"]) for h in data["hits"]}
    assert ("medlem", "karina-bronell") in kinds
    data = sok(run, real_archive, "distansundervisningen")
    assert ("mal", "mal-3.1") in {(h["kind"], h["id"]) for h in data["hits"]}


def test_filters(real_archive: Path, run: Run) -> None:
    assert places(sok(run, real_archive, "avtal", "--typ", "uppdrag")) == [("uppdrag", 5)]
    assert places(sok(run, real_archive, "avtal", "--typ", "text")) == [("text", 5)]
    assert sok(run, real_archive, "avtal", "--ar", "2019")["hits"] == []
    assert places(sok(run, real_archive, "avtal", "--ar", "2020")) == [
        ("beslut", 5),
        ("uppdrag", 5),
        ("text", 5),
    ]
    # mal-1 takes in mal-1.2 (item 5) and the goal itself
    assert places(sok(run, real_archive, "avtal", "--mal", "mal-1")) == places(
        sok(run, real_archive, "avtal")
    )
    assert sok(run, real_archive, "avtal", "--mal", "mal-3")["hits"] == []
    # teamet is a form of Teams; the uppdrag under item 6 that names the temadag is left out
    assert places(sok(run, real_archive, "Teams", "-temadag")) == [("uppdrag", 7), ("uppdrag", 6)]
    assert places(sok(run, real_archive, "Teams", '-"Office365 och"')) == [
        ("uppdrag", 7),
        ("uppdrag", 6),
        ("uppdrag", 6),
    ]


def test_unknown_goal_is_a_usage_error(real_archive: Path, run: Run) -> None:
    result = run("sok", "avtal", "--mal", "mal-1.9", "--rot", str(real_archive))
    assert result.exit_code == 2
    assert (
        result.stderr == "Fel: Målet 'mal-1.9' finns inte i mal.yaml.\ntips: Menade du 'mal-1.2'?\n"
    )


# --- ranking and stemming on an archive built for it ----------------------------------------

INFLECTED = {
    # the query word `avtalet` itself occurs nowhere: only avtalen, avtalets and avtal
    "rubrik": ("Avtalen", "Vi talade om läget i kommunerna och om vad som händer framåt."),
    "beslut": ("Budget", "Vi talade om läget i kommunerna och om vad som händer framåt."),
    "three": ("Licenser", "Avtal och avtalen diskuterades, liksom avtalets längd i år."),
    "one": ("Nätverket", "Ett avtal nämndes kort, men vi talade mest om annat i dag."),
    "none": ("Övrigt", "Vi talade om läget i kommunerna och om vad som händer framåt."),
}


def inflected_archive(make: Make) -> Path:
    names = list(INFLECTED)
    arenden = "arenden:\n" + "".join(
        f"  - nr: {i}\n    rubrik: {INFLECTED[n][0]}\n" for i, n in enumerate(names, 1)
    )
    body = "".join(
        f"## {i}. {INFLECTED[n][0]}\n\n{INFLECTED[n][1]}\n\n" for i, n in enumerate(names, 1)
    )
    decision = "beslut:\n  - arende: 2\n    text: Avtalets budget fastställs.\n"
    text = protokoll(arenden=arenden, body=body, extra_frontmatter=decision)
    return make({"protokoll/2020-06-05.md": text})


def test_ranking_follows_count_and_placement(archive: Make) -> None:
    root = inflected_archive(archive)
    result = search(root, SearchQuery("avtalet"))
    found = [(h.kind, h.item_nr) for h in result.hits]
    # in the rubrik and in a decision first, then three times in the body, then once
    assert set(found[:2]) == {("text", 1), ("beslut", 2)}
    assert found[2:] == [("text", 3), ("text", 4)]
    assert [
        h.snippet.text[a:b] for h in result.hits[2:3] if h.snippet for a, b in h.snippet.marks
    ] == [
        "Avtal",
        "avtalen",
        "avtalets",
    ]


def test_without_the_stemmer_the_inflected_forms_are_not_found(archive: Make) -> None:
    root = inflected_archive(archive)
    result = search(root, SearchQuery("avtalet"), stemmer="none")
    assert [(h.kind, h.item_nr) for h in result.hits] != [
        ("text", 1),
        ("beslut", 2),
        ("text", 3),
        ("text", 4),
    ]
    assert result.hits == []
    assert [h.item_nr for h in search(root, SearchQuery("avtal"), stemmer="none").hits] == [3, 4]


def test_definite_forms_find_each_other(archive: Make) -> None:
    body = "## 1. Inledning\n\nMediapoolens nya avtal.\n\n## 2. Temadag\n\nText.\n"
    root = archive({"protokoll/2020-06-05.md": protokoll(body=body)})
    assert [h.item_nr for h in search(root, SearchQuery("Mediapoolen")).hits] == [1]


# --- the index --------------------------------------------------------------------------------


def test_index_is_built_once_and_per_changed_file(archive: Make, run: Run) -> None:
    later = protokoll("2020-09-04").replace("2020-09-04\n---", "2020-10-02\n---")
    root = archive({"protokoll/2020-06-05.md": protokoll(), "protokoll/2020-09-04.md": later})
    calls: list[tuple[int, int]] = []
    first = search(root, SearchQuery("temadag"), progress=lambda d, t: calls.append((d, t)))
    assert first.reindexed == 4  # medlemmar.yaml, mal.yaml and two protokoll
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (root / ".sikt-cache" / "sok.sqlite3").is_file()
    assert (root / ".sikt-cache" / ".gitignore").read_text() == "*\n"
    assert search(root, SearchQuery("temadag")).reindexed == 0
    path = root / "protokoll/2020-09-04.md"
    text = path.read_text().replace("Text.", "Gymnastiksalen i Hjo.")
    path.write_text(text, encoding="utf-8")
    again = search(root, SearchQuery("gymnastiksal"))
    assert again.reindexed == 1
    line = text.split("\n").index("Gymnastiksalen i Hjo.") + 1
    assert [(h.file, h.line) for h in again.hits] == [("protokoll/2020-09-04.md", line)]
    path.unlink()
    gone = search(root, SearchQuery("gymnastiksal"))
    assert (gone.reindexed, gone.hits) == (0, [])


def test_a_damaged_index_is_rebuilt(archive: Make) -> None:
    root = archive()
    search(root, SearchQuery("temadag"))
    (root / ".sikt-cache" / "sok.sqlite3").write_bytes(b"inte en databas" * 100)
    result = search(root, SearchQuery("temadag"))
    assert (result.reindexed, [h.item_nr for h in result.hits]) == (3, [2])


def test_no_index_file_with_the_cache_off(
    archive: Make, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIKT_CACHE", "av")
    root = archive()
    assert places(sok(run, root, "temadag")) == [("text", 2)]
    assert not (root / ".sikt-cache" / "sok.sqlite3").exists()


# --- bad input --------------------------------------------------------------------------------

NO_WORDS = (
    "Fel: Frågan innehåller inga ord att söka efter.\n"
    'tips: Skriv ord att söka efter, t.ex. sikt sok avtal eller sikt sok "Office365 och Teams".\n'
)


@pytest.mark.parametrize(
    ("query", "stderr"),
    [
        ('"', NO_WORDS),
        ("*", NO_WORDS),
        ("!!!", NO_WORDS),
        ("...!?", NO_WORDS),
        ('""', NO_WORDS),
        (
            "-avtal",
            "Fel: Frågan innehåller bara ord som ska uteslutas.\n"
            'tips: Skriv ord att söka efter, t.ex. sikt sok avtal eller sikt sok "Office365 och '
            'Teams".\n',
        ),
        (
            "a" * 10_000,
            "Fel: Frågan är för lång (10000 tecken, högst 1000).\n"
            "tips: Sök på några få ord som bör finnas i texten.\n",
        ),
        (
            ",".join(["ord"] * 40),
            "Fel: Frågan har för många ord (40, högst 32).\n"
            "tips: Sök på några få ord som bör finnas i texten.\n",
        ),
        (
            "avtal\udcff",
            "Fel: Frågan innehåller tecken som inte är giltig UTF-8.\n"
            "tips: Skriv frågan igen, t.ex. med terminalen inställd på UTF-8.\n",
        ),
    ],
)
def test_unsearchable_questions(real_archive: Path, run: Run, query: str, stderr: str) -> None:
    result = run("sok", query, "--rot", str(real_archive))
    assert result.exit_code == 2
    assert result.stderr == stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "query", ["NEAR(", "avtal*", "avtal AND", "NOT avtal", "rubrik:avtal", "^avtal", "avtal OR"]
)
def test_fts_syntax_is_plain_text(real_archive: Path, run: Run, query: str) -> None:
    result = run("sok", query, "--rot", str(real_archive), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data["hits"], list)
    assert "sqlite" not in result.output.lower() and "fts5" not in result.output.lower()


def test_fts_syntax_words_are_searched_as_words(real_archive: Path, run: Run) -> None:
    assert sok(run, real_archive, "avtal*")["total"] == sok(run, real_archive, "avtal")["total"]
    assert sok(run, real_archive, "NEAR(") == {"query": "NEAR(", "total": 0, "hits": []}
    result = run("sok", "NEAR(", "--rot", str(real_archive))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Inga träffar för NEAR(.\n", "")


def test_arguments_with_spaces_are_phrases() -> None:
    assert from_arguments(["Office365 och Teams"]) == '"Office365 och Teams"'
    assert from_arguments(["avtal", "-Mediapoolen"]) == "avtal -Mediapoolen"
    assert from_arguments(['"redan citerad" fras']) == '"redan citerad" fras'


def test_excluding_words_given_as_arguments(real_archive: Path, run: Run) -> None:
    result = run("sok", "avtal", "-Mediapoolen", "--rot", str(real_archive), "-f", "json")
    assert result.exit_code == 0, result.output
    assert places(json.loads(result.stdout)) == [("uppdrag", 5)]


def test_bad_options(real_archive: Path, run: Run) -> None:
    result = run("sok", "avtal", "--antal", "0", "--rot", str(real_archive))
    assert result.exit_code == 2
    assert result.stderr == "Fel: --antal måste vara minst 1.\ntips: Skriv t.ex. --antal 20.\n"
    result = run("sok", "avtal", "--typ", "protokoll", "--rot", str(real_archive))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = run("sok", "--rot", str(real_archive), "avtal", "--antal")
    assert result.exit_code == 2
    assert result.stderr == "Fel: Flaggan --antal behöver ett värde.\ntips: Se 'sikt sok --help'.\n"
    # the question's words may stand before, between and after the options
    result = run("sok", "-Mediapoolen", "--rot", str(real_archive), "avtal", "-f", "json")
    assert places(json.loads(result.stdout)) == [("uppdrag", 5)]


@pytest.mark.parametrize("argument", [b"avtal\xff", b"\xe5r"], ids=["avtal+xff", "latin-1"])
def test_non_utf8_argument_in_a_real_process(real_archive: Path, argument: bytes) -> None:
    import os
    import shutil
    import subprocess
    import sys

    sikt = shutil.which("sikt") or f"{sys.executable} -m sikt_cli"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}
    proc = subprocess.run(
        [*sikt.split(), "sok", argument, "--rot", str(real_archive)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "Fel: Frågan innehåller tecken som inte är giltig UTF-8.\n"
        "tips: Skriv frågan igen, t.ex. med terminalen inställd på UTF-8.\n"
    )
    assert proc.stdout == b""


def test_a_foreign_database_is_replaced(archive: Make) -> None:
    import sqlite3

    root = archive()
    (root / ".sikt-cache").mkdir()
    foreign = sqlite3.connect(root / ".sikt-cache" / "sok.sqlite3")
    foreign.executescript(
        "CREATE TABLE meta(key TEXT, value TEXT); INSERT INTO meta VALUES ('schema', '1');"
        "CREATE TABLE other(x); CREATE VIEW v AS SELECT 1;"
    )
    foreign.commit()
    foreign.close()
    result = search(root, SearchQuery("temadag"))
    assert (result.reindexed, [h.item_nr for h in result.hits]) == (3, [2])
    check = sqlite3.connect(root / ".sikt-cache" / "sok.sqlite3")
    names = {n for (n,) in check.execute("SELECT name FROM sqlite_master")}
    check.close()
    assert "other" not in names and "v" not in names


@needs_symlinks
def test_a_symlinked_index_is_not_written_through(archive: Make, tmp_path: Path) -> None:
    root = archive()
    elsewhere = tmp_path / "elsewhere.sqlite3"
    (root / ".sikt-cache").mkdir()
    (root / ".sikt-cache" / "sok.sqlite3").symlink_to(elsewhere)
    assert [h.item_nr for h in search(root, SearchQuery("temadag")).hits] == [2]
    assert not elsewhere.exists()


def test_progress_is_shown_only_after_a_second_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from sikt_cli.cli import sok as cli_sok

    bar = cli_sok._Progress()
    bar(1, 10)  # at once: nothing
    assert bar.bar is None
    bar.start -= 2
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal: still nothing
    bar(2, 10)
    assert bar.bar is None
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stderr", terminal)
    with bar:
        bar(3, 10)
        assert bar.bar is not None
        assert bar.bar.tasks[0].completed == 3
        assert bar.bar.tasks[0].total == 10
        assert bar.bar.tasks[0].description == "Bygger sökindex"


def test_many_files_are_parsed_in_parallel_with_the_same_result(
    archive: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikt_cli.records import search_store

    later = protokoll("2020-09-04").replace("2020-09-04\n---", "2020-10-02\n---")
    files = {"protokoll/2020-06-05.md": protokoll(), "protokoll/2020-09-04.md": later}
    serial = search(archive(files), SearchQuery("temadag"), stemmer="none")
    monkeypatch.setattr(search_store, "PARALLEL_FROM", 2)
    monkeypatch.setenv("SIKT_CACHE", "av")
    parallel = search(archive(files), SearchQuery("temadag"), stemmer="none")
    assert parallel.reindexed == serial.reindexed == 4
    assert [(h.file, h.line, h.kind) for h in parallel.hits] == [
        (h.file, h.line, h.kind) for h in serial.hits
    ]
    assert len(parallel.hits) == 2


# --- what the index is rebuilt for ------------------------------------------------------------


def _imported_sources(module: str) -> set[str]:
    """The package's source files that `module` imports, directly or through others."""
    import ast

    package = Path(__file__).parent.parent / "sikt_cli"
    seen: set[str] = set()
    todo = [module]
    while todo:
        rel = todo.pop()
        if rel in seen or not (package / rel).is_file():
            continue
        seen.add(rel)
        for node in ast.walk(ast.parse((package / rel).read_text(encoding="utf-8"))):
            names = []
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("sikt_cli")
            ):
                base = node.module.split(".")[1:]
                names = [base] + [[*base, a.name] for a in node.names]
            elif isinstance(node, ast.Import):
                ours = [a.name for a in node.names if a.name.startswith("sikt_cli.")]
                names = [name.split(".")[1:] for name in ours]
            for parts in names:
                folder = "/".join(parts)
                todo += [f"{folder}.py", f"{folder}/__init__.py" if folder else "__init__.py"]
    return seen


def test_index_sources_are_what_search_index_imports() -> None:
    from sikt_cli.records import search_store

    sources = set(search_store.INDEX_SOURCES)
    ignored = set(search_store.INDEX_IGNORES)
    assert not sources & ignored
    own = {"records/search_store.py"}  # writes the rows; search_index does not import it
    assert (_imported_sources("records/search_index.py") - ignored) | own == sources


def test_only_an_edit_of_what_shapes_the_index_rebuilds_it(
    archive: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from sikt_cli.records import search_store

    copy = tmp_path / "paket"
    shutil.copytree(search_store.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(search_store, "PACKAGE", copy)
    root = archive()
    assert search(root, SearchQuery("temadag")).reindexed == 3
    # a message of a command, the query side of search, a diagnostic code: the index stays
    for rel in ("cli/sok.py", "records/search_query.py", "codes.py", "services/sok.py"):
        with (copy / rel).open("a", encoding="utf-8") as f:
            f.write("\n# edited\n")
    result = search(root, SearchQuery("temadag"))
    assert (result.reindexed, [h.item_nr for h in result.hits]) == (0, [2])
    with (copy / "records/search_index.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    result = search(root, SearchQuery("temadag"))
    assert (result.reindexed, [h.item_nr for h in result.hits]) == (3, [2])
    assert search(root, SearchQuery("temadag")).reindexed == 0
    with (copy / "archive/body.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert search(root, SearchQuery("temadag")).reindexed == 3
