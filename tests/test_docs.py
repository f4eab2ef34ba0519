"""The Swedish reference in docs/ is checked against the code it documents.

- docs/diagnostik.md has one `## SIKTnnn – titel` section per code in `codes.CODES`, with
  the registered title and severity, and a bad (`Fel:`) and a fixed (`Rätt:`) example that
  are run through `sikt validera` on the fixture archive of tests/conftest.py (with `Bas:`
  files committed to git first for the `--bas` codes); the output shown for the bad example
  must be what the tool prints.
- docs/filformat.md documents every key path of the three file formats in `spec.py`.
- docs/kommandon.md documents every command and long option of the CLI.

Codes, keys and commands are read from the code at test time, so whoever adds a code, a
key or a command must document it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from helpers import GOALS, MEMBERS, REPO, protokoll

from sikt_cli.archive import formats
from sikt_cli.archive import spec as specs
from sikt_cli.cli.app import app
from sikt_cli.codes import CODES
from sikt_cli.diagnostics import Severity

DOCS = REPO / "docs"
DIAGNOSTIK = DOCS / "diagnostik.md"
FILFORMAT = DOCS / "filformat.md"
KOMMANDON = DOCS / "kommandon.md"

# Codes whose situation cannot be written as the text of a file: documented in prose only.
NO_TEXT_EXAMPLE = {
    "SIKT100",  # the file cannot be read (no permission, or a folder named like a file)
    "SIKT101",  # the bytes are not UTF-8 (e.g. saved as Windows-1252)
    "SIKT102",  # the file is larger than 1 MiB
    "SIKT114",  # mal.yaml is missing: the example would be the absence of a file
    "SIKT115",  # a symbolic link: shown as `ln -s` commands (and tested in test_bounded_input)
    "SIKT116",  # a FIFO or device: shown as `mkfifo` commands (also tested there)
    "SIKT505",  # a justerat protokoll was deleted or renamed: also the absence of a file
    "SIKT506",  # a justerat protokoll became a symlink or got another mode: not text
    "SIKT511",  # signatures: need git, keys and tags (tests/test_signing.py)
    "SIKT512",
    "SIKT513",
    "SIKT514",
    "SIKT515",
}

# Codes registered in codes.py that no rule produces yet, documented as "(reserverad, används
# av kommande funktioner)". Empty today: SIKT503 (rules/drafts.py) and SIKT504/505
# (locking.py) got their producers while the docs were written. When a reserved code gets a
# producer, test_reserved_codes_are_unused fails: move it out and give it examples.
RESERVED: set[str] = set()

# `Bas:` blocks are committed to git as branch `main` before the `Fel:`/`Rätt:` files are
# written, and `sikt validera` then runs with `--bas main` (the locking codes SIKT504 …).
LABELS = {"Fel:": "bad", "Rätt:": "fixed", "Bas:": "base"}
_SECTION = re.compile(r"^(SIKT\d{3}) – (.+)$")
_FIL = re.compile(r"(?:^|\s)fil=(\S+)")
_GRUND = re.compile(r"(?:^|\s)grund=(\S+)")


# --- reading the Markdown -------------------------------------------------------------


@cache
def _tokens(path: Path) -> tuple[Any, ...]:
    from markdown_it import MarkdownIt

    return tuple(MarkdownIt("commonmark").enable("table").parse(path.read_text("utf-8")))


@dataclass
class Section:
    heading: str
    line: int
    tokens: list[Any] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(t.content for t in self.tokens if t.type in ("inline", "fence"))


def _sections(path: Path, level: str = "h2") -> list[Section]:
    """The document split at headings of `level`; text before the first is dropped."""
    out: list[Section] = []
    toks = _tokens(path)
    for i, tok in enumerate(toks):
        if tok.type == "heading_open" and tok.tag == level:
            out.append(Section(toks[i + 1].content.strip(), tok.map[0] + 1))
        elif out:
            out[-1].tokens.append(tok)
    return out


@dataclass
class Example:
    label: str  # "bad", "fixed" or "base"
    file: str
    content: str
    line: int


def _examples(section: Section) -> Iterator[Example]:
    """Fenced blocks with `fil=` in their info string, each right after a label line."""
    toks = section.tokens
    for i, tok in enumerate(toks):
        if tok.type != "fence":
            continue
        m = _FIL.search(tok.info)
        if m is None:
            continue
        line = tok.map[0] + 1
        label = None
        if i >= 2 and toks[i - 1].type == "paragraph_close" and toks[i - 2].type == "inline":
            label = LABELS.get(toks[i - 2].content.strip().splitlines()[-1].strip())
        assert label is not None, (
            f"{DIAGNOSTIK.name}:{line}: exemplet för {m.group(1)} ska stå direkt efter en rad "
            "'Fel:', 'Rätt:' eller 'Bas:'."
        )
        yield Example(label, m.group(1), tok.content, line)


@cache
def _code_sections() -> dict[str, Section]:
    found: dict[str, Section] = {}
    for s in _sections(DIAGNOSTIK):
        if s.heading.startswith("SIKT"):
            m = _SECTION.match(s.heading)
            assert m, f"diagnostik.md:{s.line}: rubriken ska vara '## SIKTnnn – titel': {s.heading}"
            assert m.group(1) not in found, f"diagnostik.md:{s.line}: {m.group(1)} finns två gånger"
            found[m.group(1)] = s
    return found


# --- docs/diagnostik.md -----------------------------------------------------------------


def test_every_code_has_a_section_with_its_title() -> None:
    sections = _code_sections()
    missing = sorted(set(CODES) - set(sections))
    assert not missing, f"Koder utan avsnitt i docs/diagnostik.md: {', '.join(missing)}"
    for code, info in CODES.items():
        assert sections[code].heading == f"{code} – {info.title}", (
            f"diagnostik.md:{sections[code].line}: rubriken ska vara "
            f"'## {code} – {info.title}' (titeln från codes.py)"
        )


def test_every_section_is_a_real_code() -> None:
    unknown = sorted(set(_code_sections()) - set(CODES))
    assert not unknown, f"docs/diagnostik.md beskriver koder som inte finns: {unknown}"


def test_sections_are_in_code_order() -> None:
    codes = list(_code_sections())
    assert codes == sorted(codes)


@pytest.mark.parametrize("code", sorted(CODES))
def test_section_states_severity(code: str) -> None:
    section = _code_sections().get(code)
    if section is None:
        pytest.fail(f"{code} saknar avsnitt i docs/diagnostik.md")
    swedish = "fel" if CODES[code].severity is Severity.ERROR else "varning"
    assert f"Allvarlighetsgrad:** {swedish}" in section.text, (
        f"diagnostik.md:{section.line}: skriv '**Allvarlighetsgrad:** {swedish}' i {code}"
    )


def test_allow_lists_are_real_codes() -> None:
    assert set(CODES) >= NO_TEXT_EXAMPLE | RESERVED
    assert not NO_TEXT_EXAMPLE & RESERVED


def test_reserved_codes_are_unused() -> None:
    """A reserved code appears nowhere in sikt_cli except its registration in codes.py."""
    package = REPO / "sikt_cli"
    for path in package.rglob("*.py"):
        if path.name == "codes.py" and path.parent == package:
            continue
        text = path.read_text("utf-8")
        for code in RESERVED:
            assert code not in text, (
                f"{code} används nu i {path.relative_to(REPO)}: ta bort den ur RESERVED i "
                "tests/test_docs.py och ge avsnittet i docs/diagnostik.md exempel."
            )


def test_reserved_codes_are_documented_as_reserved() -> None:
    for code in sorted(RESERVED):
        section = _code_sections()[code]
        assert "(reserverad, används av kommande funktioner)" in section.text, code
        assert not list(_examples(section)), code


@pytest.mark.parametrize("code", sorted(NO_TEXT_EXAMPLE))
def test_file_level_codes_are_described_in_prose(code: str) -> None:
    section = _code_sections()[code]
    assert not list(_examples(section)), f"{code} har inga textexempel; ta bort blocken"
    assert "Så rättar du" in section.text


def _example_files(code: str, label: str, *, required: bool = True) -> dict[str, str]:
    section = _code_sections().get(code)
    if section is None:
        pytest.fail(f"{code} saknar avsnitt i docs/diagnostik.md")
    files: dict[str, str] = {}
    for ex in _examples(section):
        if ex.label == label:
            assert ex.file not in files, f"diagnostik.md:{ex.line}: {ex.file} står två gånger"
            assert not Path(ex.file).is_absolute() and ".." not in Path(ex.file).parts
            files[ex.file] = ex.content
    word = {v: k for k, v in LABELS.items()}[label]
    assert files or not required, f"{code} saknar ett exempel efter '{word}' i docs/diagnostik.md"
    return files


def _write(root: Path, files: dict[str, str]) -> None:
    """Write each file exactly as shown in the docs (UTF-8, LF), replacing what was there."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=sikt", "-c", "user.email=sikt@example.se",
         "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


def _validate(
    archive: Callable[..., Path], run: Callable[..., Any], code: str, label: str
) -> tuple[int, list[dict[str, Any]]]:
    """Validate the fixture archive with the example's files of `label` written on top."""
    files = _example_files(code, label)
    base = _example_files(code, "base", required=False)
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    _write(root, base)
    args = ["validera", "--rot", str(root), "--format", "json"]
    if base:
        if shutil.which("git") is None:
            pytest.skip("git saknas")
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "bas")
        args += ["--bas", "main"]
    _write(root, files)
    result = run(*args)
    return result.exit_code, json.loads(result.stdout)


EXAMPLE_CODES = sorted(set(CODES) - NO_TEXT_EXAMPLE - RESERVED)


@pytest.mark.parametrize("code", EXAMPLE_CODES)
def test_bad_example_gives_the_code(
    code: str, archive: Callable[..., Path], run: Callable[..., Any]
) -> None:
    exit_code, found = _validate(archive, run, code, "bad")
    codes = [d["code"] for d in found]
    assert code in codes, f"Fel-exemplet för {code} ger {codes}"
    assert exit_code == (1 if CODES[code].severity is Severity.ERROR else 0)
    # the output shown after the bad example (```text utdata) is what the tool really says
    shown = [
        t.content
        for t in _code_sections()[code].tokens
        if t.type == "fence" and t.info.split() == ["text", "utdata"]
    ]
    assert shown, f"{code}: visa utskriften i ett block ```text utdata efter Fel-exemplet"
    real = "".join(_text_line(d) for d in found if d["code"] == code)
    for block in shown:
        assert block == real, (
            f"Utskriften som visas för {code} i docs/diagnostik.md stämmer inte med verktyget. "
            f"Verktyget skriver:\n{real}"
        )


def _text_line(d: dict[str, Any]) -> str:
    """One diagnostic as `sikt validera` writes it, without the source line."""
    severity = "fel" if d["severity"] == "error" else "varning"
    where = f"{d['file']}:{d['line']}:{d['column']}:" if d["line"] else f"{d['file']}:"
    out = f"{where} {d['code']} {severity}: {d['message']}\n"
    return out + (f"  tips: {d['hint']}\n" if d["hint"] else "")


@pytest.mark.parametrize("code", EXAMPLE_CODES)
def test_fixed_example_is_clean(
    code: str, archive: Callable[..., Path], run: Callable[..., Any]
) -> None:
    exit_code, found = _validate(archive, run, code, "fixed")
    codes = [d["code"] for d in found]
    assert code not in codes, f"Rätt-exemplet för {code} ger fortfarande {code}"
    errors = [f"{d['file']}:{d['line']} {d['code']}" for d in found if d["severity"] == "error"]
    assert not errors and exit_code == 0, f"Rätt-exemplet för {code} ger fel: {errors}"


def test_every_output_format_is_documented() -> None:
    from sikt_cli.cli.reporters import REPORTERS

    headings = [s.heading for s in _sections(DIAGNOSTIK, "h3")]
    for name in REPORTERS:
        assert any(h.startswith(f"`--format {name}`") for h in headings), (
            f"docs/diagnostik.md saknar avsnittet '### `--format {name}`'"
        )


def test_example_archive_is_the_test_fixture() -> None:
    """The base archive shown in diagnostik.md is exactly the one the examples run on."""
    expected = {
        "medlemmar.yaml": MEMBERS,
        "mal.yaml": GOALS,
        "protokoll/2020-06-05.md": protokoll(),
    }
    shown = {}
    for tok in _tokens(DIAGNOSTIK):
        if tok.type == "fence" and (m := _GRUND.search(tok.info)):
            shown[m.group(1)] = tok.content
    assert shown == expected


# --- docs/filformat.md ------------------------------------------------------------------

FORMATS = {
    "medlemmar.yaml": formats.MEDLEMMAR,
    "mal.yaml": formats.MAL,
    "protokoll/ÅÅÅÅ-MM-DD.md": formats.PROTOKOLL,
}


def _key_paths(spec: specs.Obj, prefix: str = "") -> Iterator[tuple[str, specs.Field]]:
    """`natverk.rapport_till`, `medlemmar[].epost`, `mal[].uppdrag[].id` …"""
    for f in spec.fields:
        path = prefix + f.name
        yield path, f
        inner = f.spec
        while isinstance(inner, specs.ListOf):
            inner = inner.item
            path += "[]"
        if isinstance(inner, specs.Obj):
            yield from _key_paths(inner, path + ".")


def _key_rows(section: Section) -> dict[str, list[str]]:
    """Table rows whose first cell is a key path in backticks: {path: cells}."""
    rows: dict[str, list[str]] = {}
    toks = section.tokens
    i = 0
    while i < len(toks):
        if toks[i].type == "tr_open":
            cells: list[str] = []
            i += 1
            while toks[i].type != "tr_close":
                if toks[i].type == "inline":
                    cells.append(toks[i].content.strip())
                i += 1
            m = re.fullmatch(r"`([a-z_.\[\]]+)`", cells[0]) if cells else None
            if m:
                assert m.group(1) not in rows, f"{m.group(1)} står två gånger i tabellen"
                rows[m.group(1)] = cells
        i += 1
    return rows


def _format_section(name: str) -> Section:
    for s in _sections(FILFORMAT):
        if s.heading.strip("`") == name or s.heading.startswith(f"`{name}`"):
            return s
    pytest.fail(f"docs/filformat.md saknar avsnittet '## `{name}`'")


@pytest.mark.parametrize("name", list(FORMATS), ids=lambda n: n.split("/")[0].split(".")[0])
def test_every_key_is_documented(name: str) -> None:
    section = _format_section(name)
    rows = _key_rows(section)
    for path, f in _key_paths(FORMATS[name]):
        assert path in rows, f"docs/filformat.md, avsnittet {name}: raden för `{path}` saknas"
        required = rows[path][2].lower()
        assert required.startswith("ja" if f.required else "nej"), (
            f"docs/filformat.md: `{path}` är {'obligatorisk' if f.required else 'valfri'}; "
            f"kolumnen Krävs säger '{rows[path][2]}'"
        )


@pytest.mark.parametrize("name", list(FORMATS), ids=lambda n: n.split("/")[0].split(".")[0])
def test_every_documented_key_exists(name: str) -> None:
    real = {path for path, _ in _key_paths(FORMATS[name])}
    extra = sorted(set(_key_rows(_format_section(name))) - real)
    assert not extra, f"docs/filformat.md, {name}: nycklar som inte finns i spec.py: {extra}"


def test_key_paths_appear_in_backticks() -> None:
    text = FILFORMAT.read_text("utf-8")
    for spec in FORMATS.values():
        for path, _ in _key_paths(spec):
            assert f"`{path}`" in text


# --- docs/kommandon.md ------------------------------------------------------------------


def _commands() -> Iterator[tuple[str, Any]]:
    """('sikt', group), ('sikt validera', command), ('sikt uppdrag visa', command) …"""

    def walk(cmd: Any, path: str) -> Iterator[tuple[str, Any]]:
        yield path, cmd
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            if not getattr(sub, "hidden", False):
                yield from walk(sub, f"{path} {name}")

    yield from walk(typer.main.get_command(app), "sikt")


def _long_options(cmd: Any) -> list[str]:
    """The command's own long options (`--help` is documented once, under `sikt`)."""
    names: list[str] = []
    for p in cmd.params:
        if p.param_type_name == "option" and not getattr(p, "hidden", False):
            names += [o for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]
    return names


def _command_sections() -> dict[str, Section]:
    return {s.heading.strip("`"): s for s in _sections(KOMMANDON)}


COMMANDS = [path for path, _ in _commands()]


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_and_option_is_documented(path: str) -> None:
    cmd = dict(_commands())[path]
    sections = _command_sections()
    assert path in sections, f"docs/kommandon.md saknar avsnittet '## `{path}`'"
    text = sections[path].text
    options = _long_options(cmd) + (["--help"] if path == "sikt" else [])
    for option in options:
        assert f"`{option}" in text, f"docs/kommandon.md, `{path}`: flaggan {option} saknas"
    examples = [t.content for t in sections[path].tokens if t.type == "fence"]
    assert any(re.search(rf"^\$ {re.escape(path)}(\s|$)", e, re.M) for e in examples), (
        f"docs/kommandon.md, `{path}`: ge ett exempel i ett kodblock: '$ {path} …'"
    )


def test_every_documented_command_exists() -> None:
    documented = {h for h in _command_sections() if h.startswith("sikt")}
    extra = sorted(documented - set(COMMANDS))
    assert not extra, f"docs/kommandon.md beskriver kommandon som inte finns: {extra}"
