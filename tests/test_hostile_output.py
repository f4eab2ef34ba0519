"""Nothing from a file or a server reaches a terminal or a CI log raw (docs/sakerhet.md).

One hostile archive carries ESC, an OSC (window title), a CSI (clear screen), a C1 CSI and
U+202E (right-to-left override) in a key, a value, the network's and a member's name, a
file name (with a newline and a forged `::error::` after it) and an uppdrag text. Every
command that shows any of it runs with NO_COLOR=1 into a pipe (CliRunner), and its stdout
and stderr must hold none of those characters; JSON must still give back the exact values.
"""

from __future__ import annotations

import ast
import json
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import GOALS, MEMBERS, REPO, protokoll, write_tree

from sikt_cli.diagnostics import Diagnostic, Result, Severity
from sikt_cli.safe_text import json_text, safe_block, safe_line

Run = Callable[..., Any]

EVIL = "\x1b]0;PWNED\x07\x1b[2J\x9b\u202e"
# the same characters as escapes inside a YAML double-quoted string
EVIL_YAML = "\\e]0;PWNED\\a\\e[2J\\x9b\\u202e"
EVIL_NAME = f"protokoll/2020-07-01{EVIL}\n::error::pwned.md"
LATIN1_NAME = "protokoll/2020-08-01\udc9b.md"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
RAW = re.compile(f"[\x1b\x80-\x9f{BIDI}]")
KEY = f"k{EVIL}"
TASK = f"Boka{EVIL} lokal"


def hostile_tree(*, with_bad_key: bool = True) -> dict[str, str | bytes]:
    members = MEMBERS.replace("namn: Testnätverket", f'namn: "Test{EVIL_YAML}"').replace(
        "namn: Bo Ek", f'namn: "Bo{EVIL_YAML}Ek"'
    )
    extra = f'plats: "Teams{EVIL_YAML}"\n'
    if with_bad_key:
        extra = f'"k{EVIL_YAML}": ja\n' + extra
    body = (
        f"## 1. Inledning\n\nText {EVIL}.\n\n## 2. Temadag\n\n"
        f"- [ ] @bo-ek {TASK} senast 2020-08-01\n"
    )
    tree: dict[str, str | bytes] = {
        "medlemmar.yaml": members,
        "mal.yaml": GOALS,
        "protokoll/2020-06-05.md": protokoll(extra_frontmatter=extra, body=body),
        f"mallar/kallelse{EVIL}.md.j2": "x",
    }
    if with_bad_key:
        # an unknown member on a line with raw control characters: its source line is shown
        tree["protokoll/2020-06-05.md"] += f"- [ ] @okand-x Ring{EVIL} upp\n"
        tree[EVIL_NAME] = protokoll("2020-07-01")
        # not UTF-8: the byte 0x9b (CSI in 8-bit terminals) is kept as the surrogate U+DC9B
        tree[LATIN1_NAME] = protokoll("2020-08-01")
    return tree


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    try:
        return write_tree(tmp_path / "arkiv", hostile_tree())
    except (OSError, UnicodeError) as exc:  # Windows refuses newlines, macOS non-UTF-8 names
        pytest.skip(f"the file system refuses the hostile file names: {exc}")


@pytest.fixture
def hostile_clean(tmp_path: Path) -> Path:
    """Hostile names and values, but a protokoll without errors (so it can be mailed)."""
    return write_tree(tmp_path / "rent", hostile_tree(with_bad_key=False))


@pytest.fixture
def run_piped(run: Run, monkeypatch: pytest.MonkeyPatch, no_smtp_settings: None) -> Run:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    def invoke(*args: str) -> Any:
        result = run(*args)
        assert "Traceback" not in result.output
        return result

    return invoke


def assert_no_raw(result: Any) -> None:
    for name, data in (("stdout", result.stdout_bytes), ("stderr", result.stderr_bytes)):
        # a raw byte 0x80–0x9f outside a UTF-8 sequence decodes to U+DC80–U+DC9F here
        raw = sorted(
            {
                hex(ord(c) - 0xDC00)
                for c in re.findall("[\udc80-\udcff]", data.decode("utf-8", "surrogateescape"))
            }
        )
        assert not raw, f"{name} carries the raw bytes {raw}"
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        found = sorted({f"U+{ord(c):04X}" for c in RAW.findall(text)})
        assert not found, f"{name} carries {found}:\n{text}"
        assert "##[" not in text, f"{name} carries a GitHub command prefix:\n{text}"


COMMANDS = [
    ("validera",),
    ("validera", "--format", "text"),
    ("validera", "--format", "json"),
    ("validera", "--format", "github"),
    ("validera", "--format", "gitlab"),
    ("uppdrag",),
    ("uppdrag", "--alla"),
    ("uppdrag", "--format", "json"),
    ("uppdrag", "--format", "csv"),
    ("uppdrag", "--format", "md"),
    ("uppdrag", "--format", "ics"),
    ("uppdrag", "--format", "tabell"),
    ("uppdrag", "visa", "2020-06-05#1"),
    ("uppdrag", "visa", f"2020-06-05#9{EVIL}"),
    ("protokoll", "lista"),
    ("protokoll", "visa", "2020-06-05"),
    ("protokoll", "mejl", "2020-06-05"),
    ("kallelse", "2020-06-05"),
    ("medlemmar",),
    ("medlemmar", "--mejl"),
    ("moten",),
    ("moten", "--mejl"),
    ("mallar",),
]


@pytest.mark.parametrize(
    "args", COMMANDS, ids=lambda a: " ".join(a).encode("unicode_escape").decode()
)
def test_no_raw_control_characters(run_piped: Run, hostile: Path, args: tuple[str, ...]) -> None:
    result = run_piped(*args, "--rot", str(hostile))
    assert result.exit_code in (0, 1, 2)
    assert result.stdout or result.stderr
    assert_no_raw(result)


@pytest.mark.parametrize(
    "args",
    [
        ("protokoll", "mejl", "2020-06-05", "--utkast"),
        ("kallelse", "2020-06-05"),
        ("validera",),
    ],
    ids=" ".join,
)
def test_no_raw_control_characters_in_clean_archive(
    run_piped: Run, hostile_clean: Path, args: tuple[str, ...]
) -> None:
    result = run_piped(*args, "--rot", str(hostile_clean))
    assert result.exit_code == 0, result.output
    assert_no_raw(result)


def test_values_are_shown_escaped(run_piped: Run, hostile: Path) -> None:
    """The escapes say exactly what the file holds."""
    shown = "\\x1b]0;PWNED\\x07\\x1b[2J\\x9b\\u202e"
    text = run_piped("validera", "--rot", str(hostile)).stdout
    assert f"Okänd nyckel 'k{shown}'." in text
    assert f"Filnamnet '2020-07-01{shown}\\n::error::pwned.md' stämmer inte" in text
    assert "Filnamnet '2020-08-01\\udc9b.md' stämmer inte" in text
    assert f"| - [ ] @okand-x Ring{shown} upp" in text
    visa = run_piped("uppdrag", "visa", "2020-06-05#1", "--rot", str(hostile)).stdout
    assert f"Vad:    Boka{shown} lokal\n" in visa
    assert f"Vem:    Bo{shown}Ek\n" in visa
    error = run_piped("uppdrag", "visa", f"2020-06-05#9{EVIL}", "--rot", str(hostile)).stderr
    assert f"2020-06-05#9{shown}" in error


def test_json_round_trips_the_exact_values(run_piped: Run, hostile: Path) -> None:
    out = run_piped("validera", "--format", "json", "--rot", str(hostile)).stdout
    diags = json.loads(out)
    assert any(d["message"] == f"Okänd nyckel '{KEY}'." for d in diags)
    assert {EVIL_NAME, LATIN1_NAME} <= {d["file"] for d in diags}
    assert "å" in out  # non-ASCII letters stay readable
    items = json.loads(run_piped("uppdrag", "--format", "json", "--rot", str(hostile)).stdout)
    assert TASK in {i["text"] for i in items}
    gitlab = json.loads(run_piped("validera", "--format", "gitlab", "--rot", str(hostile)).stdout)
    assert EVIL_NAME in {i["location"]["path"] for i in gitlab}


ANNOTATION = re.compile(
    r"::(error|warning) (file=[^,:\n]*,)?(line=\d+,)?(col=\d+,)?title=[^,:\n]+::[^\n]*"
)


def test_github_emits_only_its_own_commands(run_piped: Run, hostile: Path) -> None:
    result = run_piped("validera", "--format", "github", "--rot", str(hostile))
    assert result.exit_code == 1
    commands = [ln for ln in result.stdout.splitlines() if ln.lstrip().startswith("::")]
    assert commands, result.stdout
    for line in commands:
        assert ANNOTATION.fullmatch(line), line
    n = len(json.loads(run_piped("validera", "--format", "json", "--rot", str(hostile)).stdout))
    assert len(commands) == n  # one annotation per finding, no forged extra
    (forged,) = [ln for ln in commands if "pwned" in ln]
    assert forged.startswith(
        "::error file=protokoll/2020-07-01\\x1b]0;PWNED\\x07\\x1b[2J\\x9b\\u202e"
        "%0A%3A%3Aerror%3A%3Apwned.md,line=2,col=8,title=SIKT113::"
    )


# --- the sanitiser itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "block"),
    [
        ("a\x1bb", "a\\x1bb", "a\\x1bb"),
        (
            "\x00\x08\x0b\x0c\x0d\x7f",
            "\\x00\\x08\\x0b\\x0c\\r\\x7f",
            "\\x00\\x08\\x0b\\x0c\\r\\x7f",
        ),
        ("\x85\x9b\x9f", "\\x85\\x9b\\x9f", "\\x85\\x9b\\x9f"),
        ("x\u202ey\u2066z\u200f\u061c", "x\\u202ey\\u2066z\\u200f\\u061c", None),
        ("rad 1\nrad 2\tflik", "rad 1\\nrad 2\tflik", "rad 1\nrad 2\tflik"),
        ("\u2028", "\\u2028", "\\u2028"),
        ("##[add-mask]x", "##\\[add-mask]x", "##\\[add-mask]x"),
        ("Räksmörgås … 📅 ✓", None, None),
    ],
)
def test_safe_text(raw: str, line: str | None, block: str | None) -> None:
    assert safe_line(raw) == (raw if line is None else line)
    assert safe_block(raw) == (safe_line(raw) if block is None else block)
    assert safe_line(safe_line(raw)) == safe_line(raw)  # idempotent
    assert safe_block(safe_block(raw)) == safe_block(raw)


def test_json_text_round_trips_every_character() -> None:
    chars = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF)
    text = json_text({"v": chars})
    assert json.loads(text) == {"v": chars}
    assert not RAW.search(text) and "##[" not in json_text("##[x")
    assert "å" in text


# --- structure: every command prints through cli/output.py ------------------------------------

FORBIDDEN = ("typer.echo", "sys.stdout.write", "sys.stderr.write", "sys.stdout.buffer.write")


def raw_output_calls(pkg: Path) -> list[str]:
    """Calls that would print around the sanitiser: `typer.echo`, `sys.stdout.write`, or a
    rich `Console(...)` built anywhere but cli/output.py."""
    found = []
    for path in sorted(pkg.glob("*.py")):
        if path.name == "output.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in FORBIDDEN or name.split(".")[-1] == "Console":
                    found.append(f"{path.name}:{node.lineno}: {name}")
    return found


def test_cli_prints_only_through_output_module() -> None:
    assert raw_output_calls(REPO / "sikt_cli" / "cli") == []


def test_output_check_catches_a_raw_print(tmp_path: Path) -> None:
    (tmp_path / "ny.py").write_text(
        "import typer\nfrom rich.console import Console\n\n"
        "def f(x):\n    typer.echo(x)\n    Console().print(x)\n",
        encoding="utf-8",
    )
    assert raw_output_calls(tmp_path) == ["ny.py:5: typer.echo", "ny.py:6: Console"]


# --- bounded text output -------------------------------------------------------------------

DEADLINE = 10  # seconds; the work below takes well under 2


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail, rather than hang, when a bounded case is not bounded (SIGALRM where it exists)."""
    alarm = getattr(signal, "alarm", None)
    if alarm is None:  # Windows: the elapsed-time asserts still catch slowness
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"tog mer än {DEADLINE} s")

    previous = signal.signal(signal.SIGALRM, expired)
    alarm(DEADLINE)
    try:
        yield
    finally:
        alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("deadline")
def test_text_report_is_bounded_for_many_findings_on_one_long_line() -> None:
    """An 80 KB line with 10,000 findings: the line once (a window of it), 50 findings,
    and a count of the rest — not 10,000 copies of the line."""
    from sikt_cli.cli.reporters import report_text

    line = "narvarande: [" + ", ".join(["anna-ek"] * 10_000) + "]"
    assert len(line) > 80_000
    diags = tuple(
        Diagnostic(
            "protokoll/2020-06-05.md",
            6,
            13 + 9 * i,
            "SIKT209",
            "'anna-ek' står två gånger i 'narvarande'.",
            Severity.WARNING,
            "Ta bort dubbletten.",
        )
        for i in range(10_000)
    )
    result = Result(Path(), diags, 1, sources={"protokoll/2020-06-05.md": [""] * 5 + [line]})
    start = time.perf_counter()
    text = report_text(result)
    assert time.perf_counter() - start < 5
    assert len(text) < 20_000
    assert text.count("  6 | ") == 1
    assert text.count("SIKT209 varning") == 50
    assert (
        "… och 9950 varningar till i protokoll/2020-06-05.md visas inte här. "
        "Alla finns med 'sikt validera --format json'." in text
    )
    assert text.endswith("10000 varningar i 1 fil.\n")


def test_long_source_line_is_shown_as_a_window_with_the_caret_in_place() -> None:
    from sikt_cli.cli.reporters import source_window

    line = "x" * 1000 + "FEL" + "y" * 1000
    shown, column = source_window(line, 1001)
    assert shown.startswith("…") and shown.endswith("…")
    assert shown[column - 1 : column + 2] == "FEL"
    assert source_window("kort", 3) == ("kort", 3)
    head, col = source_window(line, 2)
    assert head.startswith("xx") and col == 2


@pytest.mark.usefixtures("deadline")
def test_cli_on_a_line_with_10000_duplicate_ids(run_piped: Run, tmp_path: Path) -> None:
    line = "narvarande: [" + ", ".join(["anna-ek"] * 10_000) + "]\n"
    text = protokoll().replace("narvarande: [anna-ek, bo-ek, cia-ek]\n", line)
    root = write_tree(
        tmp_path / "a",
        {"medlemmar.yaml": MEMBERS, "mal.yaml": GOALS, "protokoll/2020-06-05.md": text},
    )
    start = time.perf_counter()
    result = run_piped("validera", "--rot", str(root))
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1
    assert len(result.stdout) < 20_000
    assert result.stdout.count("  6 | narvarande: [anna-ek, anna-ek") == 1
    assert "… och 9951 varningar till i protokoll/2020-06-05.md visas inte här." in result.stdout
    assert result.stdout.endswith("1 fel och 10000 varningar i 3 filer.\n")


# --- a server's reply ----------------------------------------------------------------------


def test_smtp_reply_is_shown_escaped(
    run: Run, hostile_clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal whose text carries ESC, C1 and U+202E (aiosmtpd with SMTPUTF8 sends it as
    UTF-8) is printed with them escaped, beside the subject with the hostile network name."""
    from aiosmtpd.controller import Controller
    from test_smtp import Recorder, env, free_port

    class Hostile(Recorder):
        async def handle_RCPT(self, *args: Any) -> str:
            return f"550 5.7.1 nej{EVIL}"

    port = free_port()
    controller = Controller(
        Hostile(), hostname="127.0.0.1", port=port, ready_timeout=5, enable_SMTPUTF8=True
    )
    controller.start()
    try:
        monkeypatch.setenv("NO_COLOR", "1")
        result = run(
            "medlemmar", "--mejl", "--skicka", "--ja", "--rot", str(hostile_clean), env=env(port)
        )
    finally:
        controller.stop()
    assert result.exit_code == 1, result.output
    assert_no_raw(result)
    shown = "\\x1b]0;PWNED\\x07\\x1b[2J\\x9b\\u202e"
    assert f"Nekad av servern: rapport@example.se (550 5.7.1 nej{shown})" in result.stderr
    assert "Ämne: Medlemmar i Test" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_non_utf8_file_name_in_a_c_locale_process(hostile: Path, fmt: str) -> None:
    """In the C locale Python writes a surrogate back as its raw byte (surrogateescape), so
    a file name's byte 0x9b would reach the terminal as CSI; sikt writes `\\udc9b` instead."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    done = subprocess.run(
        [sys.executable, "-m", "sikt_cli", "validera", "--format", fmt, "--rot", str(hostile)],
        env={**env, "LC_ALL": "C", "NO_COLOR": "1", "SIKT_CACHE": "av"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "\udc9b" not in done.stdout.decode("utf-8", "surrogateescape")  # the raw byte
    assert b"\x1b" not in done.stdout + done.stderr
    assert b"2020-08-01\\udc9b.md" in done.stdout
