"""Acceptance on a copy of this repo's own archive: clean, and every mutation found on its line.

Also the three output formats (`text`, `github`, `json`) on real diagnostics.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sikt_cli.cli.reporters import report_text
from sikt_cli.services.validate import validate

P = "protokoll/2020-06-05.md"
Run = Callable[..., Any]
Mutation = Callable[[str], str]


def validera(run: Run, root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--rot", str(root), "--format", "json", *extra)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def minutes(root: Path) -> Path:
    return root / P


def line_of(text: str, needle: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in the real protokoll"
    return hits[nth - 1]


def closing_dashes(text: str) -> int:
    """File line of the `---` that ends the frontmatter."""
    return [i for i, line in enumerate(text.split("\n"), start=1) if line == "---"][1]


def at(diags: list[dict[str, Any]], code: str, line: int) -> dict[str, Any]:
    hits = [d for d in diags if d["code"] == code and d["file"] == P and d["line"] == line]
    assert hits, f"{code} not on line {line}: {diags}"
    return hits[0]


# --- the real archive is valid ---------------------------------------------------------------


def test_real_archive_validates(real_archive: Path, run: Run) -> None:
    code, diags = validera(run, real_archive)
    assert code == 0
    assert [d for d in diags if d["severity"] == "error"] == []


def test_real_archive_validates_from_inside_it(
    real_archive: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(real_archive / "protokoll")
    result = run("validera", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == validera(run, real_archive)[1]


# --- each mutation is found on its own line ----------------------------------------------------


def _replace(old: str, new: str) -> Mutation:
    def mutate(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return mutate


MUTATIONS: list[tuple[str, Mutation, str, str]] = [
    # (id, mutation, code, a needle on the mutated line of the *mutated* text)
    ("member-id", _replace("  - eva-karlsson\n", "  - eva-karlson\n"), "SIKT204", "- eva-karlson"),
    (
        "duplicate-key",
        _replace("plats: Teamsmöte\n", "plats: Teamsmöte\nplats: Hjo\n"),
        "SIKT107",
        "plats: Hjo",
    ),
    ("tab", _replace("  - thomas-hansson\n", "\t- thomas-hansson\n"), "SIKT106", "\t- thomas"),
    ("agenda-number", _replace("  - nr: 6\n", "  - nr: 9\n"), "SIKT301", "- nr: 9"),
    ("goal", _replace("mal: [mal-1.2]", "mal: [mal-1.9]"), "SIKT306", "mal-1.9"),
    ("assignee", _replace("@eva-karlsson", "@eva-karlson"), "SIKT402", "@eva-karlson"),
]


@pytest.mark.parametrize(
    ("mutation", "code", "needle"),
    [pytest.param(m, c, n, id=i) for i, m, c, n in MUTATIONS],
)
def test_mutation_is_found_on_its_line(
    real_archive: Path, run: Run, mutation: Mutation, code: str, needle: str
) -> None:
    path = minutes(real_archive)
    text = mutation(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    exit_code, diags = validera(run, real_archive)
    assert exit_code == 1
    at(diags, code, line_of(text, needle))


def test_misspelt_member_has_did_you_mean(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    text = path.read_text(encoding="utf-8").replace("  - eva-karlsson\n", "  - eva-karlson\n")
    path.write_text(text, encoding="utf-8")
    _, diags = validera(run, real_archive)
    d = at(diags, "SIKT204", line_of(text, "- eva-karlson"))
    assert d["column"] == 5
    assert "'eva-karlsson'" in d["hint"]


def test_closing_dashes_removed_points_at_where_they_were(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    original = path.read_text(encoding="utf-8")
    where = closing_dashes(original)
    lines = original.split("\n")
    del lines[where - 1]
    path.write_text("\n".join(lines), encoding="utf-8")
    code, diags = validera(run, real_archive)
    assert code == 1
    d = at(diags, "SIKT105", where)
    assert d["column"] == 1


def test_closing_dashes_removed_without_blank_line(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    original = path.read_text(encoding="utf-8")
    where = closing_dashes(original)
    lines = original.split("\n")
    del lines[where - 1 : where + 1]  # the `---` and the blank line after it
    path.write_text("\n".join(lines), encoding="utf-8")
    code, diags = validera(run, real_archive)
    assert code == 1
    at(diags, "SIKT105", where)


def test_cp1252_copy_points_at_the_first_non_ascii_character(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))
    code, diags = validera(run, real_archive)
    assert code == 1
    first = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    line = text.count("\n", 0, first) + 1
    column = first - (text.rfind("\n", 0, first) + 1) + 1
    d = at(diags, "SIKT101", line)
    assert d["column"] == column
    assert "UTF-8" in d["hint"]


def test_agenda_number_changed_says_which_number_is_expected(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    text = path.read_text(encoding="utf-8").replace("  - nr: 6\n", "  - nr: 9\n")
    path.write_text(text, encoding="utf-8")
    _, diags = validera(run, real_archive)
    d = at(diags, "SIKT301", line_of(text, "- nr: 9"))
    assert d["column"] == 9
    assert "'nr: 6'" in d["hint"]


def test_unknown_goal_has_did_you_mean(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    text = path.read_text(encoding="utf-8").replace("mal: [mal-1.2]", "mal: [mal-1.22]")
    path.write_text(text, encoding="utf-8")
    _, diags = validera(run, real_archive)
    d = at(diags, "SIKT306", line_of(text, "mal-1.22"))
    assert d["column"] == 11
    assert "'mal-1.2'" in d["hint"]


# --- line endings and BOM change nothing ------------------------------------------------------


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom+crlf"),
    ],
)
@pytest.mark.parametrize("mutated", [False, True], ids=["original", "mutated"])
def test_crlf_and_bom_give_the_same_json(
    real_archive: Path, run: Run, transform: Callable[[bytes], bytes], mutated: bool
) -> None:
    path = minutes(real_archive)
    if mutated:
        text = path.read_text(encoding="utf-8")
        text = text.replace("  - eva-karlsson\n", "  - eva-karlson\n")
        text = text.replace("@hannes-berggren Hannes ser", "@hannes-bergren Hannes ser")
        path.write_text(text, encoding="utf-8")
    before = validera(run, real_archive)
    path.write_bytes(transform(path.read_bytes()))
    after = validera(run, real_archive)
    assert after == before
    assert before[1]  # there is something to compare


# --- output formats ----------------------------------------------------------------------------


def _misspelt(root: Path) -> str:
    path = minutes(root)
    text = path.read_text(encoding="utf-8").replace("  - eva-karlsson\n", "  - eva-karlson\n")
    path.write_text(text, encoding="utf-8")
    return text


def test_text_format(real_archive: Path, run: Run) -> None:
    text = _misspelt(real_archive)
    line = line_of(text, "- eva-karlson")
    result = run("validera", "--rot", str(real_archive))
    assert result.exit_code == 1
    out = result.stdout
    assert f"{P}:{line}:5: SIKT204 fel: Okänd medlem 'eva-karlson'" in out
    assert f"  {line} |   - eva-karlson\n" in out
    assert " | " + " " * 4 + "^" in out
    assert "tips: Menade du 'eva-karlsson'?" in out
    assert "SIKT208 varning" in out
    assert out.rstrip().endswith("1 fel och 1 varning i 3 filer.")
    assert "\x1b" not in out
    assert "Traceback" not in result.output


def test_text_format_no_color(real_archive: Path, run: Run) -> None:
    _misspelt(real_archive)
    result = run("validera", "--rot", str(real_archive), env={"NO_COLOR": "1"})
    assert "SIKT204" in result.stdout
    assert "\x1b" not in result.output


def test_text_reporter_colours_only_when_asked(real_archive: Path) -> None:
    _misspelt(real_archive)
    result = validate(real_archive)
    assert "\x1b[" in report_text(result, color=True)
    assert "\x1b" not in report_text(result, color=False)


def test_text_format_clean_summary(real_archive: Path, run: Run) -> None:
    (real_archive / P).unlink()
    result = run("validera", "--rot", str(real_archive))
    assert result.exit_code == 0
    assert result.stdout.strip() == "Inga fel eller varningar i 2 filer."


def test_github_format(real_archive: Path, run: Run) -> None:
    text = _misspelt(real_archive)
    line = line_of(text, "- eva-karlson")
    result = run("validera", "--rot", str(real_archive), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        ln.startswith(f"::error file={P},line={line},col=5,title=SIKT204::Okänd medlem")
        for ln in lines
    ), lines
    warning = next(ln for ln in lines if "SIKT208" in ln)
    assert re.match(rf"::warning file={P},line=\d+,col=\d+,title=SIKT208::Kommuner", warning)
    error = next(ln for ln in lines if "SIKT204" in ln)
    assert "Tips: Menade du 'eva-karlsson'?" in error
    annotations = [ln for ln in lines if ln.startswith("::")]
    assert len(annotations) == 2
    assert all(
        re.match(r"::(error|warning) file=[^:]+,line=\d+,col=\d+,title=SIKT\d{3}::", ln)
        for ln in annotations
    )


def test_github_format_escapes_newline_and_percent(real_archive: Path, run: Run) -> None:
    path = minutes(real_archive)
    text = path.read_text(encoding="utf-8")
    text = text.replace("plats: Teamsmöte\n", 'plats: Teamsmöte\n"100%\\nklart": ja\n')
    path.write_text(text, encoding="utf-8")
    result = run("validera", "--rot", str(real_archive), "--format", "github")
    assert result.exit_code == 1
    error = next(ln for ln in result.stdout.splitlines() if "title=SIKT109" in ln)
    assert f"line={line_of(text, '100%')}" in error
    assert "'100%25%0Aklart'" in error
    assert "\r" not in result.stdout
    annotations = [ln for ln in result.stdout.splitlines() if ln.startswith("::")]
    assert len(annotations) == 2  # the newline did not split an annotation


def test_json_format_shape(real_archive: Path, run: Run) -> None:
    _misspelt(real_archive)
    (real_archive / "medlemmar.yaml").write_text(
        (real_archive / "medlemmar.yaml").read_text(encoding="utf-8") + "extra: 1\n",
        encoding="utf-8",
    )
    code, diags = validera(run, real_archive)
    assert code == 1
    assert {d["file"] for d in diags} == {P, "medlemmar.yaml"}
    for d in diags:
        assert list(d) == ["file", "line", "column", "code", "severity", "message", "hint"]
        assert not Path(d["file"]).is_absolute()
        assert str(real_archive) not in d["file"]
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
        assert d["severity"] in ("error", "warning")
        assert re.fullmatch(r"SIKT\d{3}", d["code"])
