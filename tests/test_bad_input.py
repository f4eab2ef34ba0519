"""Bad input of every kind, through the CLI: a Swedish diagnostic on the right line, never a crash.

Each class of broken file must give the right code on the right line, exit code 1 (2 when the
archive itself cannot be found) and no traceback.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, protokoll

P = "protokoll/2020-06-05.md"
Run = Callable[..., Any]
Make = Callable[..., Path]

# words of PyYAML's English messages that must never reach the user
ENGLISH = ("found", "expected", "could not", "while ", "not allowed", "character")


def validera(run: Run, root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--rot", str(root), "--format", "json", *extra)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def only(diags: list[dict[str, Any]], code: str) -> dict[str, Any]:
    """The single diagnostic of the run, which must have `code`."""
    assert [d["code"] for d in diags] == [code], diags
    return diags[0]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[nth - 1]


def swedish(d: dict[str, Any]) -> None:
    text = (d["message"] + " " + d["hint"]).lower()
    assert not [w for w in ENGLISH if w in text], d


# --- YAML syntax -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "needle", "column", "words"),
    [
        ("plats: [Hjo, Skara\n", "plats:", 8, "lista inom [ ] stängs inte"),
        ("plats: {namn: Hjo\n", "plats:", 8, "mappning inom { } stängs inte"),
        ('plats: "Hjo\ngaster: []\n', "plats:", 8, "citattecken stängs inte"),
        ("plats: Hjo: Skolan\n", "plats:", 11, "kolon"),
        ("plats: - Hjo\n", "plats:", 8, "listelement"),
        ("plats: @Hjo\n", "plats:", 8, "kan inte inleda"),
        ('plats: "C:\\Hjo"\n', "plats:", 11, "bakstreck"),
        ("gaster:\n  - a\n - b\n", " - b", 2, "indraget"),
    ],
)
def test_malformed_yaml(
    archive: Make, run: Run, extra: str, needle: str, column: int, words: str
) -> None:
    text = protokoll(extra_frontmatter=extra)
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT106")
    assert (d["line"], d["column"]) == (line_of(text, needle), column)
    assert d["message"].startswith("YAML-syntaxfel")
    assert words in d["message"] + d["hint"]
    swedish(d)


@pytest.mark.parametrize("brk", ["\u2028", "\x85"])
def test_unicode_line_separator_in_yaml_keeps_line_numbers(
    archive: Make, run: Run, brk: str
) -> None:
    """YAML counts NEL and LS as line breaks; the reported line must count LF only."""
    text = protokoll(extra_frontmatter=f'plats: "Skolan{brk}Hjo"\nokand: 1\n')
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT109")
    assert (d["line"], d["column"]) == (line_of(text, "okand:"), 1)


def test_control_character_in_yaml(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter="plats: Hjo\x07\n")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT106")
    assert (d["line"], d["column"]) == (line_of(text, "plats:"), 11)
    assert "kontrolltecken" in d["message"]
    swedish(d)


def test_tab_indentation_on_the_tab_line(archive: Make, run: Run) -> None:
    text = protokoll().replace("    rubrik: Temadag", "\trubrik: Temadag")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT106")
    assert d["line"] == line_of(text, "\trubrik")
    assert "tabb" in d["message"]
    swedish(d)


def test_tab_indentation_in_members_file(archive: Make, run: Run) -> None:
    members = MEMBERS.replace("  - id: cia-ek", "\t- id: cia-ek")
    code, diags = validera(run, archive(members=members))
    assert code == 1
    d = only(diags, "SIKT106")  # and no "unknown member" for every name in every protokoll
    assert (d["file"], d["line"]) == ("medlemmar.yaml", line_of(members, "\t- id"))
    assert "tabb" in d["message"]


def test_duplicate_key_on_the_second_line(archive: Make, run: Run) -> None:
    text = protokoll().replace("status: utkast\n", "status: utkast\nstatus: justerat\n")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT107")
    assert (d["line"], d["column"]) == (line_of(text, "status: justerat"), 1)
    assert f"rad {line_of(text, 'status: utkast')}" in d["message"]


def test_duplicate_key_in_nested_mapping(archive: Make, run: Run) -> None:
    text = protokoll().replace("    rubrik: Temadag\n", "    rubrik: Temadag\n    rubrik: Tema\n")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT107")
    assert (d["line"], d["column"]) == (line_of(text, "rubrik: Tema", 2), 5)


# --- anchors and aliases ---------------------------------------------------------------------

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
)


def test_anchor_and_alias(archive: Make, run: Run) -> None:
    text = protokoll().replace("ordforande: anna-ek", "ordforande: &o anna-ek")
    text = text.replace("sekreterare: bo-ek", "sekreterare: *o")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT108")
    assert (d["line"], d["column"]) == (line_of(text, "&o"), 13)


def test_billion_laughs_in_protokoll_is_refused_fast(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter=LAUGHS)
    root = archive({P: text})
    start = time.perf_counter()
    code, diags = validera(run, root)
    assert time.perf_counter() - start < 2
    assert code == 1
    d = only(diags, "SIKT108")
    assert d["line"] == line_of(text, "a: &a")


def test_billion_laughs_in_members_file_is_refused_fast(archive: Make, run: Run) -> None:
    members = MEMBERS + LAUGHS
    start = time.perf_counter()
    code, diags = validera(run, archive(members=members))
    assert time.perf_counter() - start < 2
    assert code == 1
    d = only(diags, "SIKT108")
    assert (d["file"], d["line"]) == ("medlemmar.yaml", line_of(members, "a: &a"))


# --- frontmatter -----------------------------------------------------------------------------


def test_missing_frontmatter(archive: Make, run: Run) -> None:
    code, diags = validera(run, archive({P: "# Protokoll\n\n## 1. Inledning\n"}))
    assert code == 1
    d = only(diags, "SIKT104")
    assert (d["line"], d["column"]) == (1, 1)
    assert "---" in d["message"]


def test_unterminated_frontmatter(archive: Make, run: Run) -> None:
    text = protokoll().replace("---\n\n## 1.", "\n## 1.")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    d = only(diags, "SIKT105")
    assert d["line"] == line_of(protokoll(), "---", 2)
    assert "'---'" in d["hint"]


def test_unterminated_frontmatter_without_body(archive: Make, run: Run) -> None:
    text = "---\ndatum: 2020-06-05\nstatus: utkast\n"
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    assert only(diags, "SIKT105")["line"] == 4


def test_empty_frontmatter_names_the_required_keys(archive: Make, run: Run) -> None:
    code, diags = validera(run, archive({P: "---\n---\n\nText.\n"}))
    assert code == 1
    assert sorted(d["message"] for d in diags) == [
        "Nyckeln 'datum' saknas i filen.",
        "Nyckeln 'status' saknas i filen.",
    ]


def test_frontmatter_that_is_a_list(archive: Make, run: Run) -> None:
    code, diags = validera(run, archive({P: "---\n- a\n- b\n---\n"}))
    assert code == 1
    d = only(diags, "SIKT110")
    assert d["line"] == 2
    assert "Frontmatter" in d["message"]


# --- types and keys --------------------------------------------------------------------------


def test_wrong_types(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter="plats: [Hjo]\ngaster: Carl\n")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    assert [(d["code"], d["line"]) for d in diags] == [
        ("SIKT110", line_of(text, "plats:")),
        ("SIKT110", line_of(text, "gaster:")),
    ]
    assert "'plats' ska vara en text, men är en lista" in diags[0]["message"]
    assert "'gaster' ska vara en lista, men är texten 'Carl'" in diags[1]["message"]


def test_unknown_keys(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter="närvarande: []\nfoo: bar\n")
    code, diags = validera(run, archive({P: text}))
    assert code == 1
    assert [(d["code"], d["line"]) for d in diags] == [
        ("SIKT109", line_of(text, "närvarande:")),
        ("SIKT109", line_of(text, "foo:")),
    ]
    assert "'narvarande'" in diags[0]["hint"]
    assert "Tillåtna nycklar" in diags[1]["hint"]


# --- encodings and line endings --------------------------------------------------------------


def test_cp1252_points_at_the_first_bad_byte(archive: Make, run: Run) -> None:
    text = protokoll(body="## 1. Inledning\n\nText.\n\n## 2. Temadag\n\nFöredrag på Hjo.\n")
    code, diags = validera(run, archive({P: text.encode("cp1252")}))
    assert code == 1
    d = only(diags, "SIKT101")
    assert (d["line"], d["column"]) == (line_of(text, "Föredrag"), 2)
    assert "UTF-8" in d["hint"]
    assert "Windows-1252" in d["message"]


def test_cp1252_members_file(archive: Make, run: Run) -> None:
    code, diags = validera(run, archive(members=MEMBERS.encode("cp1252")))
    assert code == 1
    d = only(diags, "SIKT101")
    assert (d["file"], d["line"]) == ("medlemmar.yaml", line_of(MEMBERS, "ä"))


def test_nul_bytes(archive: Make, run: Run) -> None:
    text = protokoll()
    data = text.replace("Text.", "Te\x00xt.").encode()
    code, diags = validera(run, archive({P: data}))
    assert code == 1
    d = only(diags, "SIKT101")
    assert (d["line"], d["column"]) == (line_of(text, "Text."), 3)
    assert "NUL" in d["message"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(archive: Make, run: Run, encoding: str) -> None:
    code, diags = validera(run, archive({P: protokoll().encode(encoding)}))
    assert code == 1
    d = only(diags, "SIKT101")
    assert d["line"] == 1
    assert "UTF-16" in d["message"]
    assert "UTF-8" in d["hint"]


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom+crlf"),
    ],
)
def test_bom_and_crlf_give_the_same_diagnostics(
    archive: Make, run: Run, transform: Callable[[bytes], bytes]
) -> None:
    text = protokoll(extra_frontmatter="plats: [Hjo]\n").replace("@bo-ek", "@bo-eek")
    plain = validera(run, archive({P: text}))
    assert plain[0] == 1 and len(plain[1]) == 2
    changed = validera(run, archive({P: transform(text.encode())}))
    assert changed == plain


def test_clean_file_with_bom_and_crlf_is_clean(archive: Make, run: Run) -> None:
    data = b"\xef\xbb\xbf" + protokoll().replace("\n", "\r\n").encode()
    assert validera(run, archive({P: data})) == (0, [])


# --- size and emptiness ----------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n   \n"])
def test_empty_file(archive: Make, run: Run, content: str) -> None:
    code, diags = validera(run, archive({P: content}))
    assert code == 1
    d = only(diags, "SIKT103")
    assert (d["line"], d["column"]) == (1, 1)


def test_empty_members_file(archive: Make, run: Run) -> None:
    code, diags = validera(run, archive(members=""))
    assert code == 1
    d = only(diags, "SIKT103")
    assert d["file"] == "medlemmar.yaml"


def test_huge_file(archive: Make, run: Run) -> None:
    data = protokoll().encode() + b"x" * (1024 * 1024)
    start = time.perf_counter()
    code, diags = validera(run, archive({P: data}))
    assert time.perf_counter() - start < 2
    assert code == 1
    d = only(diags, "SIKT102")
    assert (d["line"], d["column"]) == (0, 0)
    assert "1024 KiB" in d["message"]


# --- hostile Markdown ------------------------------------------------------------------------


def _fast(run: Run, root: Path) -> tuple[int, list[dict[str, Any]]]:
    start = time.perf_counter()
    result = validera(run, root)
    assert time.perf_counter() - start < 5
    return result


def test_deeply_nested_lists(archive: Make, run: Run) -> None:
    nested = "- " * 5000 + "[ ] @bo-ek djupt\n" + "".join("  " * i + "- x\n" for i in range(300))
    body = protokoll().split("---\n\n", 1)[1] + "\n" + nested
    code, _ = _fast(run, archive({P: protokoll(body=body)}))
    assert code in (0, 1)


def test_deeply_nested_quotes(archive: Make, run: Run) -> None:
    body = protokoll().split("---\n\n", 1)[1] + "\n" + "> " * 10_000 + "- [ ] @okand x\n"
    assert _fast(run, archive({P: protokoll(body=body)})) == (0, [])


def test_ten_thousand_headings(archive: Make, run: Run) -> None:
    body = protokoll().split("---\n\n", 1)[1] + "\n" + "### Underrubrik\n\n" * 10_000
    assert _fast(run, archive({P: protokoll(body=body)})) == (0, [])


def test_ten_thousand_numbered_headings(archive: Make, run: Run) -> None:
    body = protokoll().split("---\n\n", 1)[1] + "\n" + "## 9. Extra\n" * 10_000
    code, diags = _fast(run, archive({P: protokoll(body=body)}))
    assert code == 1
    assert {d["code"] for d in diags} == {"SIKT309"}


def test_tasks_inside_raw_html_are_not_uppdrag(archive: Make, run: Run) -> None:
    body = protokoll().split("---\n\n", 1)[1] + (
        "\n<div>\n- [ ] @okand-person inne i html\n- [ ] utan ansvarig\n</div>\n"
    )
    assert validera(run, archive({P: protokoll(body=body)})) == (0, [])


def test_tasks_inside_code_and_quotes_are_not_uppdrag(archive: Make, run: Run) -> None:
    body = protokoll().split("---\n\n", 1)[1] + (
        "\n```\n- [ ] @okand i kod\n```\n\n> - [ ] @okand i citat\n\n    - [ ] indraget\n"
    )
    assert validera(run, archive({P: protokoll(body=body)})) == (0, [])


# --- the archive's shape ---------------------------------------------------------------------


def test_directory_named_like_a_protokoll(archive: Make, run: Run) -> None:
    root = archive()
    (root / "protokoll" / "x.md").mkdir()
    code, diags = validera(run, root)
    assert code == 1
    d = only(diags, "SIKT100")
    assert d["file"] == "protokoll/x.md"
    assert "katalog" in d["message"]


@pytest.mark.parametrize(
    "command",
    [
        ("protokoll", "ny", "--datum", "2020-09-04"),
        ("protokoll", "justera", "2020-09-04"),
        ("kallelse", "2020-09-04", "--ut", "ut"),
    ],
)
def test_commands_on_a_directory_named_like_a_protokoll(
    archive: Make, run: Run, command: tuple[str, ...], tmp_path: Path
) -> None:
    """Not a bug in sikt: a Swedish message about the path, never 'Internt fel'."""
    root = archive()
    (root / "protokoll" / "2020-09-04.md").mkdir()
    args = [a if a != "ut" else str(tmp_path / "ut") for a in command]
    result = run(*args, "--rot", str(root))
    assert result.exit_code in (1, 2), result.output
    assert "Internt fel" not in result.output
    assert "2020-09-04.md" in result.output.replace("\n", "")
    assert (root / "protokoll" / "2020-09-04.md").is_dir()


@pytest.mark.parametrize("cache", ["", "av"])
@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab"])
def test_file_name_that_is_not_utf8(
    archive: Make, run: Run, tmp_path: Path, fmt: str, cache: str
) -> None:
    """A name in Latin-1 (an old system, a zip file): SIKT113 about the name, never a crash."""
    root = archive()
    name = os.fsdecode(b"2020-06-0\xff.md")
    (root / "protokoll" / name).write_bytes((root / P).read_bytes())
    env = {"SIKT_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    result = run("validera", "--rot", str(root), "--format", fmt, env=env)
    assert result.exit_code == 1, result.output
    assert "Internt fel" not in result.output
    assert "SIKT113" in result.output
    for listing_format in ("json", "ics", "csv", "md", "tabell"):
        listing = run("uppdrag", "--rot", str(root), "--alla", "-f", listing_format, env=env)
        assert listing.exit_code == 0, listing.output


def test_members_file_that_is_a_list(archive: Make, run: Run) -> None:
    code, diags = validera(run, archive(members="- anna-ek\n- bo-ek\n"))
    assert code == 1
    d = only(diags, "SIKT110")  # and no "unknown member" for every name in the protokoll
    assert (d["file"], d["line"], d["column"]) == ("medlemmar.yaml", 1, 1)
    assert "mappning" in d["message"]
    assert "natverk" in d["message"]


@pytest.mark.parametrize(
    ("goals", "code", "line"),
    [
        ("mal:\n\t- id: mal-1\n", "SIKT106", 2),
        ("- mal-1\n- mal-1.1\n", "SIKT110", 1),
        ("mal: &m [x]\n", "SIKT108", 1),
    ],
)
def test_broken_goals_file_is_one_diagnostic(
    archive: Make, run: Run, goals: str, code: str, line: int
) -> None:
    exit_code, diags = validera(run, archive(goals=goals))
    assert exit_code == 1
    d = only(diags, code)  # and no "unknown goal" for every reference in the protokoll
    assert (d["file"], d["line"]) == ("mal.yaml", line)


def test_members_file_missing(archive: Make, run: Run) -> None:
    root = archive()
    (root / "medlemmar.yaml").unlink()
    result = run("validera", "--rot", str(root), "--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "medlemmar.yaml" in result.stderr
    assert "innehåller ingen" in result.stderr


def test_members_file_missing_without_rot(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validera")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Hittar ingen medlemmar.yaml" in result.stderr


def test_rot_that_does_not_exist(tmp_path: Path, run: Run) -> None:
    result = run("validera", "--rot", str(tmp_path / "finns-inte"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "finns inte" in result.stderr
    assert result.stdout == ""


def test_many_broken_files_are_all_reported(archive: Make, run: Run) -> None:
    root = archive(
        {
            "protokoll/2020-06-05.md": protokoll(),
            "protokoll/2020-07-05.md": b"\xff\xfe",
            "protokoll/2020-08-05.md": "",
            "protokoll/2020-09-05.md": "ingen frontmatter\n",
        }
    )
    code, diags = validera(run, root)
    assert code == 1
    assert [(d["file"], d["code"]) for d in diags] == [
        ("protokoll/2020-07-05.md", "SIKT101"),
        ("protokoll/2020-08-05.md", "SIKT103"),
        ("protokoll/2020-09-05.md", "SIKT104"),
    ]
