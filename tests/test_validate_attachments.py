"""`sikt validera` on `bilagor` (SIKT119, checked on every run, also from the cache) and on
`lank` (SIKT112, the check `sikt kallelse` makes, given in the pull request instead)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, protokoll
from jsonschema import Draft202012Validator

from sikt_cli.archive.attachment_files import MAX_BYTES
from sikt_cli.render.json_schemas import schemas

Run = Callable[..., Any]
Make = Callable[..., Path]
DAY = "2020-06-05"
FILE = f"protokoll/{DAY}.md"
MISSING_HINT = (
    "  tips: Rätta sökvägen under 'bilagor' (från arkivets rot, med /), eller lägg in filen."
)


def planned(extra: str) -> str:
    return protokoll(DAY, extra_frontmatter=extra)


# the line the extra frontmatter starts on
AT = next(i for i, t in enumerate(planned("x: 1\n").splitlines(), 1) if t == "x: 1")


def validera(run: Run, root: Path) -> Any:
    return run("validera", "--rot", str(root), "--format", "text")


def findings(result: Any, code: str) -> list[str]:
    return [line for line in result.output.splitlines() if f" {code} " in line]


def test_a_missing_bilaga_is_an_error_on_its_own_line(archive: Make, run: Run) -> None:
    extra = "bilagor:\n  - bilagor/finns.txt\n  - bilagor/saknas.pdf\n"
    root = archive({FILE: planned(extra), "bilagor/finns.txt": "Dagordning"})
    result = validera(run, root)
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(planned(extra).splitlines(), 1) if "saknas.pdf" in t)
    assert findings(result, "SIKT119") == [
        f"{FILE}:{line}:5: SIKT119 fel: Bilagan 'bilagor/saknas.pdf' finns inte."
    ]
    assert MISSING_HINT in result.output.splitlines()


def test_a_bilaga_removed_after_a_cached_run_is_reported(archive: Make, run: Run) -> None:
    root = archive({FILE: planned("bilagor: [bilagor/budget.txt]\n"), "bilagor/budget.txt": "x"})
    assert validera(run, root).exit_code == 0
    assert (root / ".sikt-cache").is_dir()  # the next run answers from the cache
    (root / "bilagor/budget.txt").unlink()
    result = validera(run, root)
    assert result.exit_code == 1
    assert findings(result, "SIKT119") == [
        f"{FILE}:{AT}:11: SIKT119 fel: Bilagan 'bilagor/budget.txt' finns inte."
    ]
    (root / "bilagor/budget.txt").write_text("x")
    assert validera(run, root).exit_code == 0


@pytest.mark.parametrize(
    ("path", "message", "hint"),
    [
        (
            "../hemligt.txt",
            "Bilagan '../hemligt.txt' ligger inte i arkivet.",
            "Lägg filen i arkivet (t.ex. i bilagor/) och skriv sökvägen från arkivets rot.",
        ),
        (
            "/etc/passwd",
            "Bilagan '/etc/passwd' ligger inte i arkivet.",
            "Lägg filen i arkivet (t.ex. i bilagor/) och skriv sökvägen från arkivets rot.",
        ),
        (
            "bilagor\\\\budget.txt",
            "Bilagan 'bilagor\\budget.txt' ligger inte i arkivet.",
            "Lägg filen i arkivet (t.ex. i bilagor/) och skriv sökvägen från arkivets rot.",
        ),
        (
            "bilagor",
            "Bilagan 'bilagor' är inte en vanlig fil.",
            "Ange en fil, inte en mapp eller annan sorts fil.",
        ),
    ],
)
def test_a_bilaga_that_cannot_be_sent_says_why(
    archive: Make, run: Run, path: str, message: str, hint: str
) -> None:
    root = archive({FILE: planned(f'bilagor: ["{path}"]\n'), "bilagor/budget.txt": "x"})
    result = validera(run, root)
    assert result.exit_code == 1
    assert findings(result, "SIKT119") == [f"{FILE}:{AT}:11: SIKT119 fel: {message}"]
    assert f"  tips: {hint}" in result.output.splitlines()


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symlinks")
def test_a_bilaga_through_a_link_is_an_error(archive: Make, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "utanfor.txt"
    outside.write_text("hemligt")
    root = archive({FILE: planned("bilagor: [bilagor/l.txt]\n")})
    (root / "bilagor").mkdir()
    (root / "bilagor/l.txt").symlink_to(outside)
    result = validera(run, root)
    assert findings(result, "SIKT119") == [
        f"{FILE}:{AT}:11: SIKT119 fel: Bilagan 'bilagor/l.txt' går via en symbolisk länk (l.txt)."
    ]
    assert "hemligt" not in result.output


def test_bilagor_over_the_limit_name_the_file_that_does_not_fit(archive: Make, run: Run) -> None:
    root = archive({FILE: planned("bilagor: [bilagor/a.bin, bilagor/b.bin]\n")})
    (root / "bilagor").mkdir()
    for name, size in (("a.bin", MAX_BYTES - 10), ("b.bin", 1024 * 1024)):
        with (root / "bilagor" / name).open("wb") as f:
            f.truncate(size)  # sparse: nothing is written
    result = validera(run, root)
    assert findings(result, "SIKT119") == [
        f"{FILE}:{AT}:26: SIKT119 fel: Bilagan 'bilagor/b.bin' (1,0 MB) får inte plats: "
        "bilagorna får vara högst 10,0 MB tillsammans."
    ]


@pytest.mark.parametrize("where", ["protokoll", "medlemmar"])
def test_a_link_that_is_not_a_web_address_is_an_error(archive: Make, run: Run, where: str) -> None:
    bad = 'lank: "javascript:alert(1)"'
    if where == "protokoll":
        root = archive({FILE: planned(bad + "\n")})
        expected = (
            f"{FILE}:{AT}:7: SIKT112 fel: 'lank' är inte en webbadress: 'javascript:alert(1)'."
        )
        example = "'lank: https://teams.microsoft.com/l/…'"
    else:
        members = MEMBERS.replace("  plats: Teamsmöte\n", f"  plats: Teamsmöte\n  {bad}\n")
        root = archive({FILE: planned("")}, members=members)
        expected = (
            "medlemmar.yaml:5:9: SIKT112 fel: 'natverk.lank' är inte en webbadress: "
            "'javascript:alert(1)'."
        )
        example = "'lank: https://teams.microsoft.com/l/…'"
    result = validera(run, root)
    assert result.exit_code == 1
    assert findings(result, "SIKT112") == [expected]
    assert (
        f"  tips: Skriv hela länken, som börjar med https://, utan mellanslag, t.ex. {example}."
        in result.output.splitlines()
    )


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://teams.microsoft.com/l/meetup-join/19%3a_x%40thread.v2/0?context=%7b%7d", True),
        ("HTTP://example.se/möte", True),
        ("javascript:alert(1)", False),
        ("https://exempel.se/a b", False),
        ("teams.microsoft.com/l/x", False),
        ('https://e.se/"><script>', False),
    ],
)
def test_the_schema_and_the_validator_agree_on_links(
    archive: Make, run: Run, link: str, ok: bool
) -> None:
    root = archive({FILE: planned(f"lank: '{link}'\n")})
    assert (not findings(validera(run, root), "SIKT112")) is ok
    schema = schemas()["protokoll.schema.json"]
    errors = list(Draft202012Validator(schema).iter_errors(_frontmatter(link)))
    assert (not any(list(e.absolute_path) == ["lank"] for e in errors)) is ok


def _frontmatter(link: str) -> dict[str, Any]:
    return {"datum": DAY, "status": "utkast", "ordforande": "a", "lank": link}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("bilagor/x.txt\\0", "Bilagan 'bilagor/x.txt\\x00' ligger inte i arkivet."),
        (".git/config", "Bilagan '.git/config' ligger i en dold fil eller mapp (.git)."),
        (".sikt-cache/c", "Bilagan '.sikt-cache/c' ligger i en dold fil eller mapp (.sikt-cache)."),
        ("bilagor/.env", "Bilagan 'bilagor/.env' ligger i en dold fil eller mapp (.env)."),
    ],
)
def test_a_nul_or_a_hidden_part_is_refused_without_a_look(
    archive: Make, run: Run, path: str, message: str
) -> None:
    """`.git/config` may hold the token actions/checkout writes; a NUL made os.lstat raise."""
    files = {FILE: planned(f'bilagor: ["{path}"]\n'), "bilagor/x.txt": "x", "bilagor/.env": "T"}
    root = archive(files)
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic hemligt\n")
    result = validera(run, root)
    assert result.exit_code == 1
    assert findings(result, "SIKT119") == [f"{FILE}:{AT}:11: SIKT119 fel: {message}"]
    assert "hemligt" not in result.output


def test_an_empty_entry_is_reported_and_the_next_keeps_its_line(archive: Make, run: Run) -> None:
    extra = 'bilagor:\n  - ""\n  -\n  - bilagor/saknas.pdf\n'
    result = validera(run, archive({FILE: planned(extra)}))
    assert findings(result, "SIKT119") == [
        f"{FILE}:{AT + 1}:5: SIKT119 fel: Bilagan '' ligger inte i arkivet.",
        f"{FILE}:{AT + 3}:5: SIKT119 fel: Bilagan 'bilagor/saknas.pdf' finns inte.",
    ]
    assert findings(result, "SIKT112") == [f"{FILE}:{AT + 2}:4: SIKT112 fel: 'bilagor[2]' är tomt."]


def test_the_same_bilaga_twice_counts_once_toward_the_limit(archive: Make, run: Run) -> None:
    root = archive({FILE: planned("bilagor: [bilagor/a.bin, bilagor/a.bin]\n")})
    (root / "bilagor").mkdir()
    with (root / "bilagor/a.bin").open("wb") as f:
        f.truncate(MAX_BYTES - 10)
    assert findings(validera(run, root), "SIKT119") == []


@pytest.mark.parametrize("link", ["", " https://x.se/m", "https://x.se/m\n"])
def test_kallelse_refuses_the_link_validera_reports(
    archive: Make, run: Run, tmp_path: Path, link: str
) -> None:
    """The protokoll's own `lank`, even empty, is never replaced by the network's."""
    members = MEMBERS.replace(
        "  plats: Teamsmöte\n", "  plats: Teamsmöte\n  lank: https://n.se/t\n"
    )
    quoted = link.replace("\n", "\\n")
    day = "2020-09-04"
    text = protokoll(day, status="planerat", extra_frontmatter=f'lank: "{quoted}"\n')
    text = text.replace("kommande:\n  - datum: 2020-09-04\n", "")
    root = archive({f"protokoll/{day}.md": text}, members=members)
    shown = link.replace("\n", "\\n")
    assert f"'lank' är inte en webbadress: '{shown}'." in validera(run, root).output
    result = run("kallelse", day, "--ut", str(tmp_path / "ut"), "--rot", str(root))
    assert result.exit_code == 1
    assert "'lank' är inte en webbadress:" in result.output
    assert "https://n.se/t" not in result.output
    assert not (tmp_path / "ut").exists()


def test_a_name_in_other_case_names_the_file_there_is(archive: Make, run: Run) -> None:
    """`Bilagor/budget.txt` is found on Windows and macOS, where the protokoll was written,
    but not on Linux, where CI checks it: the message names the file as it is called."""
    root = archive({FILE: planned("bilagor: [Bilagor/Budget.TXT]\n"), "bilagor/budget.txt": "x"})
    result = validera(run, root)
    assert findings(result, "SIKT119") == [
        f"{FILE}:{AT}:11: SIKT119 fel: Bilagan 'Bilagor/Budget.TXT' finns inte; i arkivet heter "
        "den 'bilagor/budget.txt'."
    ]
    assert (
        "  tips: Skriv namnet med samma stora och små bokstäver som filen: Linux (och CI) skiljer "
        "på dem, Windows och macOS gör det inte."
    ) in result.output.splitlines()
