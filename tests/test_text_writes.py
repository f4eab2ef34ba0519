"""Every text the package writes has an explicit encoding and line-ending policy.

An `open()` without `encoding=` uses the locale's code page on Windows (cp1252), so a
protokoll written on a municipal laptop would not be UTF-8; a text-mode write without
`newline=` turns `\\n` into `\\r\\n` there. The ast test below fails for any text open or
write in sikt_cli/ that leaves either to the platform. Edits keep the file's own line
endings: a CRLF protokoll (Notepad, Word's "Spara som text") stays CRLF byte for byte,
except the bytes that were meant to change.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, git, protokoll

Run = Callable[..., Any]
PACKAGE = REPO / "sikt_cli"
P = "protokoll/2020-06-05.md"


# calls that are not file opens although they are named so: os.open gives a descriptor,
# Cache.open is sikt's cache, Distribution.read_text (importlib.metadata) decodes UTF-8 itself
NOT_TEXT_IO = {"os.open", "Cache.open", "dist.read_text", "d.read_text"}
TEMP_FILES = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}
RUNS = {"run", "Popen", "check_output", "check_call", "call"}


def _name(func: ast.expr) -> str:
    """`open`, `path.open`, `os.fdopen`, `subprocess.run` …: the call as written."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return f"{ast.unparse(func.value)}.{func.attr}"
    return ""


def _mode(call: ast.Call, position: int, default: str) -> str | None:
    """The mode argument as text; None when it is not a literal (then it is checked too)."""
    node = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if node is None and len(call.args) > position:
        node = call.args[position]
    if node is None:
        return default
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _needs(call: ast.Call, mode: str | None, what: str) -> list[str]:
    """What a text-mode open lacks: encoding always, newline when it writes."""
    if mode is not None and "b" in mode:
        return []
    keywords = {k.arg for k in call.keywords}
    missing = [] if "encoding" in keywords else [f"{what} utan encoding="]
    writes = mode is None or any(c in mode for c in "wax+")
    if writes and "newline" not in keywords:
        missing.append(f"{what} skriver text utan newline=")
    return missing


def text_io_problems(source: str, rel: str) -> list[str]:
    """Each text open or write in `source` that leaves encoding or line endings to the
    platform, as 'rel:line: what'."""
    out: list[str] = []
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call):
            continue
        name = _name(call.func)
        short = name.rsplit(".", 1)[-1]
        keywords = {k.arg: k.value for k in call.keywords}
        found: list[str] = []
        if name in NOT_TEXT_IO:
            continue
        if name in ("open", "io.open", "codecs.open"):
            found = _needs(call, _mode(call, 1, "r"), name)
        elif short == "open" and isinstance(call.func, ast.Attribute):  # Path.open
            found = _needs(call, _mode(call, 0, "r"), name)
        elif short == "fdopen":
            found = _needs(call, _mode(call, 1, "r"), name)
        elif short in TEMP_FILES:
            found = _needs(call, _mode(call, 0, "w+b"), name)
        elif short == "TextIOWrapper":
            found = _needs(call, "w", name)
        elif short == "write_text":
            found = _needs(call, "w", name)
        elif short == "read_text" and not call.args and "encoding" not in keywords:
            found = [f"{name} utan encoding="]
        elif short in RUNS and any(
            isinstance(keywords.get(k), ast.Constant) and keywords[k].value is True  # type: ignore[union-attr]
            for k in ("text", "universal_newlines")
        ):
            found = [] if "encoding" in keywords else [f"{name}(text=True) utan encoding="]
        elif name == "csv.writer" and "lineterminator" not in keywords:
            found = ["csv.writer utan lineterminator="]
        out += [f"{rel}:{call.lineno}: {problem}" for problem in found]
    return out


def test_every_text_open_and_write_in_the_package_is_explicit() -> None:
    problems = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in text_io_problems(
            path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix()
        )
    ]
    assert problems == []


ENC, NL = "utan encoding=", "skriver text utan newline="


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("open(p)", [ENC]),
        ("open(p, 'w', encoding='utf-8')", [NL]),
        ("open(p, 'rb')", []),
        ("open(p, encoding='utf-8')", []),
        ("p.open('a', encoding='utf-8', newline='\\n')", []),
        ("p.open()", [ENC]),
        ("p.open(mode)", [ENC, NL]),
        ("p.write_text(s)", [ENC, NL]),
        ("p.write_text(s, encoding='utf-8')", [NL]),
        ("p.read_text()", [ENC]),
        ("p.read_text('utf-8')", []),
        ("os.fdopen(fd, 'w')", [ENC, NL]),
        ("os.fdopen(fd, 'wb')", []),
        ("os.open(p, flags)", []),
        ("tempfile.NamedTemporaryFile()", []),
        ("tempfile.NamedTemporaryFile('w')", [ENC, NL]),
        ("io.TextIOWrapper(b, encoding='utf-8')", [NL]),
        ("subprocess.run(a, text=True)", ["(text=True) utan encoding="]),
        ("subprocess.run(a, text=True, encoding='utf-8')", []),
        ("subprocess.run(a, capture_output=True)", []),
        ("csv.writer(buf)", ["utan lineterminator="]),
    ],
    ids=str,
)
def test_the_check_finds_each_implicit_text_io(source: str, expected: list[str]) -> None:
    name = source.split("(", 1)[0]
    assert text_io_problems(source, "m.py") == [
        f"m.py:1: {name}{'' if what.startswith('(') else ' '}{what}" for what in expected
    ]


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def changed_lines(old: bytes, new: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines (with their endings) removed and added between old and new."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    removed: list[bytes] = []
    added: list[bytes] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def test_justera_keeps_a_crlf_protokoll_crlf(archive: Callable[..., Path], run: Run) -> None:
    root = archive({P: crlf(protokoll())})
    before = (root / P).read_bytes()
    result = run("protokoll", "justera", "2020-06-05", "--justerare", "cia-ek", "--rot", str(root))
    assert result.exit_code == 0, result.output
    after = (root / P).read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n")  # no lone LF anywhere
    removed, added = changed_lines(before, after)
    assert removed == [b"status: utkast\r\n"]
    assert added == [
        b"status: justerat\r\n",
        b"justerad: " + dt.date.today().isoformat().encode() + b"\r\n",
        b"justerare: [cia-ek]\r\n",
    ]


JUSTERAT = protokoll(status="justerat").replace(
    "status: justerat\n", "status: justerat\njusterad: 2020-06-12\n"
)


def committed(root: Path, *config: str) -> Path:
    git(root, "init", "-q", "-b", "main")
    for setting in config:
        git(root, "config", *setting.split("=", 1))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bas")
    return root


@pytest.mark.parametrize("autocrlf", [False, True], ids=["crlf-i-git", "autocrlf"])
def test_ratta_keeps_a_crlf_protokoll_crlf(
    archive: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch, autocrlf: bool
) -> None:
    """CRLF as committed, or (Git for Windows' default, core.autocrlf=true) LF in git and
    CRLF in the checkout: the rättelse changes the corrected line and adds its record."""
    monkeypatch.setenv("SIKT_CACHE", "av")
    if autocrlf:
        root = committed(archive({P: JUSTERAT}), "core.autocrlf=true")
        (root / P).unlink()
        git(root, "checkout", "--", P)  # checked out again, now with CRLF
    else:
        root = committed(archive({P: crlf(JUSTERAT)}))
    path = root / P
    before = path.read_bytes()
    assert before.count(b"\r\n") == before.count(b"\n") > 10
    path.write_bytes(before.replace(b"Boka lokal", b"Boka en lokal"))
    result = run("protokoll", "rätta", "2020-06-05", "--skal", "Ordet saknades", "--av",
                 "bo-ek", "--rot", str(root))  # fmt: skip
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n")
    removed, added = changed_lines(before, after)
    today = dt.date.today().isoformat()
    assert removed == [b"- [ ] @bo-ek Boka lokal senast 2020-08-01\r\n"]
    assert added == [
        b"rattelser: [{datum: "
        + today.encode()
        + b', av: bo-ek, skal: Ordet saknades, rader: [{rad: 24, fore: "- [ ] @bo-ek Boka '
        b'lokal senast 2020-08-01", efter: "- [ ] @bo-ek Boka en lokal senast 2020-08-01"}]}]\r\n',
        b"- [ ] @bo-ek Boka en lokal senast 2020-08-01\r\n",
    ]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "rättelse")
    assert run("validera", "--rot", str(root), "--bas", "main~1").exit_code == 0


def test_the_lock_reads_an_autocrlf_checkout_as_unchanged(
    archive: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Git for Windows checks out with core.autocrlf=true: LF in git, CRLF on disk. An
    untouched justerat protokoll is not a change; one edited line still is."""
    monkeypatch.setenv("SIKT_CACHE", "av")
    root = committed(archive({P: JUSTERAT}), "core.autocrlf=true")
    (root / P).unlink()
    git(root, "checkout", "--", P)
    data = (root / P).read_bytes()
    assert b"\r\n" in data and git(root, "status", "--porcelain") == ""
    result = run("validera", "--rot", str(root), "--bas", "main")
    assert (result.exit_code, result.stdout) == (0, "Inga fel eller varningar i 3 filer.\n")
    (root / P).write_bytes(data.replace(b"Text.", b"Annan text."))
    result = run("validera", "--rot", str(root), "--bas", "main", "--format", "json")
    found = [(d["code"], d["line"]) for d in json.loads(result.stdout)]
    assert (result.exit_code, found) == (1, [("SIKT504", 20)])


@pytest.mark.parametrize(
    "args",
    [("uppdrag", "--alla"), ("beslut",), ("sok", "Mediapoolen")],
    ids=lambda a: a[0],
)
def test_csv_lines_end_in_crlf_for_excel(real_archive: Path, run: Run, args: tuple[str]) -> None:
    """RFC 4180 and Excel: CRLF after every record, written as bytes (a Windows console's
    text mode would otherwise make it CR CR LF)."""
    result = run(*args, "--format", "csv", "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.endswith(b"\r\n") and data.count(b"\r\n") >= 2
    assert data.count(b"\n") == data.count(b"\r\n") and b"\r\r" not in data
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == data.count(b"\r\n") and len({len(r) for r in rows}) == 1


def test_a_line_break_inside_a_csv_cell_is_kept_and_controls_are_escaped(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    from sikt_cli.cli.output import write_stdout_bytes
    from sikt_cli.render.csv_writer import write_csv

    csv = write_csv(["id", "text"], [["1", "två\nrader"], ["2", "a\x1b[2Jb"]])
    write_stdout_bytes(csv, block=True)
    assert capsysbinary.readouterr().out == (
        '\ufeffid;text\r\n1;"två\nrader"\r\n2;a\\x1b[2Jb\r\n'.encode()
    )


def test_eml_and_ics_drafts_end_every_line_in_crlf(
    real_archive: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RFC 5322 (mail) and RFC 5545 (calendar) lines end in CRLF; the email package writes
    LF by default. Read back, the drafts are the same messages."""
    import email
    from email import policy

    for name in ("SIKT_AVSANDARE", "SIKT_SMTP_VARD"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "ut"
    kallelse = run("kallelse", "2020-09-04", "--ut", str(out), "--rot", str(real_archive))
    assert kallelse.exit_code == 0, kallelse.output
    mejl = run(
        "protokoll", "mejl", "2020-06-05", "--ut", str(out / "p.eml"), "--rot", str(real_archive)
    )
    assert mejl.exit_code == 0, mejl.output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["kallelse-2020-09-04.eml", "kallelse-2020-09-04.ics", "p.eml"]
    for name in written:
        data = (out / name).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 10 and b"\r\r" not in data, name
    msg = email.message_from_bytes((out / "p.eml").read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Protokoll SIKT-nätverket 2020-06-05"
