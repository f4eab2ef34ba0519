"""The newcomer's path (issue 16): Swedish everywhere, the same --ut everywhere, output that
fits the terminal, and a cycle that tells the secretary what to do (and how to undo it).

Each test names the wrong turn of the issue it guards against; the outputs are exact.
"""

from __future__ import annotations

import errno
import importlib
import itertools
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import GIT_ENV, REPO, protokoll

from sikt_cli import os_errors

Run = Callable[..., Any]
Make = Callable[..., Path]

D = "2020-09-04"
NEW = f"protokoll/{D}.md"


# --- Click's and Typer's words in Swedish -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["valider"],
            "Fel: Okänt kommando: 'valider'. Menade du 'validera'?\ntips: Se 'sikt --help'.\n",
        ),
        (
            ["protokoll", "lsta"],
            "Fel: Okänt kommando: 'lsta'. Menade du 'lista'?\ntips: Se 'sikt protokoll --help'.\n",
        ),
        (
            ["uppdrag", "--jag"],
            "Fel: Flaggan --jag behöver ett värde.\ntips: Se 'sikt uppdrag --help'.\n",
        ),
        (
            ["protokoll", "visa"],
            "Fel: Argumentet DATUM saknas.\ntips: Se 'sikt protokoll visa --help'.\n",
        ),
        (
            ["protokoll", "maskera", "2020-06-05", "abc", "--skal", "x"],
            "Fel: Ogiltigt värde för RAD: 'abc' är inte ett heltal.\n"
            "tips: Se 'sikt protokoll maskera --help'.\n",
        ),
        (
            ["uppdrag", "--antal", "tjugo"],
            "Fel: Ogiltigt värde för --antal: 'tjugo' är inte ett heltal.\n"
            "tips: Se 'sikt uppdrag --help'.\n",
        ),
        (
            ["protokoll", "justera", "2020-06-05", "extra"],
            "Fel: För många argument: extra.\ntips: Se 'sikt protokoll justera --help'.\n",
        ),
        (
            ["validera", "--format", "xml"],
            "Fel: Ogiltigt värde för --format: 'xml' är inte ett av 'text', 'json', 'github', "
            "'gitlab'.\ntips: Se 'sikt validera --help'.\n",
        ),
        (["init"], "Fel: Flaggan --namn krävs.\ntips: Se 'sikt init --help'.\n"),
        (  # was: "Okänt kommando: '.'." ('--rot' taken as the year)
            ["beslut", "--ar", "--rot", "."],
            "Fel: Flaggan --ar behöver ett värde, men nästa ord är flaggan --rot.\n"
            "tips: Se 'sikt beslut --help'.\n",
        ),
        (  # was: "--ar ska vara ett årtal, inte '--rot'."
            ["sok", "avtal", "--ar", "--rot=."],
            "Fel: Flaggan --ar behöver ett värde, men nästa ord är flaggan --rot.\n"
            "tips: Se 'sikt sok --help'.\n",
        ),
        (
            ["uppdrag", "--jag", "--mina"],
            "Fel: Flaggan --jag behöver ett värde, men nästa ord är flaggan --mina.\n"
            "tips: Se 'sikt uppdrag --help'.\n",
        ),
    ],
)
def test_click_errors_are_swedish(run: Run, args: list[str], stderr: str) -> None:
    """Was: "Okänt kommando: valider'. Did you mean 'validera'?.", "Flaggan Option kräver
    ett värde." (and 'sikt --help' for a subcommand), "Input should be a valid integer"."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == stderr


def help_text(run: Run, *args: str) -> str:
    result = run(*args, "--help", env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in str(result.stdout).splitlines()) + "\n"


def test_help_reads_as_swedish(run: Run) -> None:
    """Was: [[DATUM]], [[KATALOG]], '(standard: här). [standard: .]', dates as <text>,
    --namn not marked required, 'sikt uppdrag … KOMMANDO' as if a subcommand were needed."""
    kallelse = help_text(run, "kallelse")
    assert "Användning: sikt kallelse [FLAGGOR] [DATUM]\n" in kallelse
    assert re.search(r"│ +DATUM +<ÅÅÅÅ-MM-DD> +Mötets datum\.", kallelse)
    init = help_text(run, "init")
    assert "Användning: sikt init [FLAGGOR] [KATALOG]\n" in init
    assert "Standard: den aktuella katalogen." in init and "[standard: .]" not in init
    assert re.search(r"│ \* +--namn +NAMN +Nätverkets namn\. \[krävs\]", init)
    assert re.search(
        r"│ \* +DATUM +<ÅÅÅÅ-MM-DD> +Mötets datum\.", help_text(run, "protokoll", "visa")
    )
    assert "Användning: sikt uppdrag [FLAGGOR] [KOMMANDO [ARGUMENT]...]\n" in help_text(
        run, "uppdrag"
    )
    assert "Användning: sikt protokoll [FLAGGOR] KOMMANDO [ARGUMENT]...\n" in help_text(
        run, "protokoll"
    )
    for args in (["kallelse"], ["init"], ["protokoll", "visa"], ["uppdrag"], ["validera"]):
        text = help_text(run, *args)
        assert "[[" not in text and "<text>" not in text and "Usage" not in text


def _every_command() -> list[list[str]]:
    from sikt_cli.cli.tree import TREE

    out: list[list[str]] = []
    for name, entry in TREE.items():
        out.append([name])
        if entry.group:
            module = importlib.import_module(f"sikt_cli.cli.{entry.module}")
            typer_app = getattr(module, entry.attr)
            out += [[name, c.name] for c in typer_app.registered_commands if not c.hidden]
    return out


@pytest.mark.parametrize("width", [60, 120])
def test_help_paragraphs_wrap_at_the_terminals_width(run: Run, width: int) -> None:
    """Was: each docstring line break kept as well, so at 80 columns 'föregående mötes ej
    inplanerade' / 'punkter och' / 'ett avsnitt …', and never wider than the source."""
    commands = _every_command()
    assert len(commands) > 25 and ["protokoll", "ny"] in commands
    for args in commands:
        result = run(*args, "--help", env={"COLUMNS": str(width), "NO_COLOR": "1"})
        assert result.exit_code == 0, args
        lines = [line.rstrip() for line in str(result.stdout).splitlines()]
        description = lines[
            lines.index("") + 1 : next(i for i, line in enumerate(lines) if line.startswith("╭"))
        ]
        for this, after in itertools.pairwise(description):
            if this and after:  # within a paragraph, a line ends only where the next
                first = after.split()[0]  # word would not fit
                assert len(this) + 1 + len(first) > width - 1, (args, this, after)
    ny = run("protokoll", "ny", "--help", env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert "inplanerade punkter och ett avsnitt med alla öppna" in ny.stdout


def test_protokoll_help_lists_every_subcommand(run: Run) -> None:
    """Was: `sikt protokoll --help` without `mejl`."""
    from sikt_cli.cli.protokoll import app as protokoll_app

    shown = re.findall(r"^│ (\S+) ", help_text(run, "protokoll"), flags=re.M)
    commands = [c.name for c in protokoll_app.registered_commands if not c.hidden]
    assert "mejl" in commands
    assert [c for c in shown if c in commands] == commands


# --- the operating system's errors in Swedish ----------------------------------------------


@pytest.mark.parametrize(
    ("exc", "sentence"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "a.md"),
         "a.md: filen eller katalogen finns inte."),
        (PermissionError(errno.EACCES, "Permission denied", "a.md"),
         "a.md: du har inte behörighet."),
        (FileExistsError(errno.EEXIST, "File exists", "a.md"),
         "a.md: det finns redan en fil eller katalog med det namnet."),
        (OSError(errno.ENOSPC, "No space left on device", "a.md"), "a.md: disken är full."),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "p"),
         "p: det är en katalog, inte en fil."),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "a.md/x"),
         "a.md/x: en del av sökvägen är en fil, inte en katalog."),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
         "Servern tog inte emot anslutningen (fel port, eller ingen server där)."),
        (TimeoutError("timed out"), "Inget svar i tid."),
        (socket.gaierror(-2, "Name or service not known"), "Servernamnet kan inte slås upp."),
        (OSError(errno.EXDEV, "Invalid cross-device link", "a", None, "b"),
         "a → b: operativsystemet nekade (EXDEV)."),
    ],
)  # fmt: skip
def test_os_errors_are_swedish_sentences_with_the_path(exc: OSError, sentence: str) -> None:
    """Was: 'Connection refused', 'No such file or directory' in the middle of Swedish."""
    assert os_errors.sentence(exc) == sentence


def test_an_os_error_reaching_the_cli_is_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    from sikt_cli.cli.app import _exit_code

    code = _exit_code(PermissionError(errno.EACCES, "Permission denied", "protokoll/x.md"))
    assert code == 2
    assert capsys.readouterr().err == (
        "Fel: protokoll/x.md: du har inte behörighet.\n"
        "tips: Kontrollera filens eller katalogens rättigheter, eller välj en annan plats.\n"
    )


# --- --ut onto a file: the same refusal everywhere -----------------------------------------


def refusal(path: Path, free: Path) -> str:
    return (
        f"Fel: {path} finns redan och skrivs inte över; inget skrevs.\n"
        f"tips: Ange ett ledigt namn, t.ex. --ut {free.as_posix()}, eller ta bort den gamla "
        "filen först.\n"
    )


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["medlemmar", "--mejl"], "medlemmar.eml"),
        (["moten", "--mejl"], "moten.eml"),
        (["protokoll", "mejl", "2020-06-05"], "protokoll-2020-06-05.eml"),
        (["kallelse", D], f"kallelse-{D}.eml"),
    ],
)
def test_ut_onto_an_existing_file_refuses_and_proposes_a_free_name(
    real_archive: Path, run: Run, tmp_path: Path, no_smtp_settings: None, args: list[str], name: str
) -> None:
    """Was: kallelse wrote a -2 copy, medlemmar and moten failed each in its own way."""
    out = tmp_path / "utkast"
    out.mkdir()
    (out / name).write_bytes(b"eget")
    (out / name.replace(".eml", "-2.eml")).write_bytes(b"eget")
    before = sorted(p.name for p in out.iterdir())
    for target in (out, out / name):  # a folder, or the file's own name
        result = run(*args, "--ut", str(target), "--rot", str(real_archive))
        assert result.exit_code == 2
        assert result.stderr.endswith(refusal(out / name, out / name.replace(".eml", "-3.eml")))
        assert sorted(p.name for p in out.iterdir()) == before
        assert (out / name).read_bytes() == b"eget"
    assert not (real_archive / NEW).exists()  # kallelse: all or nothing
    result = run(
        *args, "--ut", str(out / name.replace(".eml", "-3.eml")), "--rot", str(real_archive)
    )
    assert result.exit_code == 0, result.output


def test_schema_ut_refuses_like_the_others(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "mal.schema.json").write_text("eget", encoding="utf-8")
    result = run("schema", "--ut", str(out))
    assert result.exit_code == 2
    assert result.stderr == refusal(out / "mal.schema.json", tmp_path / "schemas-2")


# --- .gitignore covers what the README writes ----------------------------------------------


def ut_targets() -> list[str]:
    """Every path `--ut` writes in README.md and docs/guide.md (schemas are committed)."""
    found: list[str] = []
    for doc in (REPO / "README.md", REPO / "docs" / "guide.md"):
        found += re.findall(r"--ut (\S+?)`?(?:\s|$)", doc.read_text(encoding="utf-8"))
    return sorted({t.rstrip("`") for t in found} - {"schemas/", "KATALOG", "SÖKVÄG", "FIL.eml"})


@pytest.mark.parametrize(
    "ignore", [REPO / ".gitignore", REPO / "sikt_cli" / "stommar" / "gitignore"]
)
def test_gitignore_covers_the_drafts_the_readme_writes(ignore: Path, tmp_path: Path) -> None:
    """Was: utkast/ and *.eml written inside the archive, shown by git status as new files."""
    targets = ut_targets()
    assert {"utkast/", "protokoll.eml", "medlemmar.eml", "moten.eml"} <= set(targets)
    repo = tmp_path / "arkiv"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env={**os.environ, **GIT_ENV})
    (repo / ".gitignore").write_bytes(ignore.read_bytes())
    files = [t + f"kallelse-{D}.eml" if t.endswith("/") else t for t in targets]
    files += [f"utkast/kallelse-{D}.ics"]
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", *files],
        cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False,
    )  # fmt: skip
    assert sorted(checked.stdout.split()) == sorted(files)


# --- NO_COLOR and the terminal's width -----------------------------------------------------


def in_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    """What `sikt ARGS` writes to a real terminal (a pty): colours are decided there."""
    import pty
    import select

    main, sub = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sikt_cli", *args],
        cwd=cwd, stdin=sub, stdout=sub, stderr=sub, env={**os.environ, **GIT_ENV, **env},
    )  # fmt: skip
    os.close(sub)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the pty is closed when the process ends
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(main)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
@pytest.mark.parametrize(
    "args",
    [["protokoll", "justera", D], ["uppdrag"], ["--help"], ["valider"], ["protokoll", "lista"]],
)
def test_no_color_means_no_escape_codes(real_archive: Path, run: Run, args: list[str]) -> None:
    """Was: bold and colour from `protokoll justera`, the help and the errors under NO_COLOR."""
    assert run("protokoll", "ny", "--datum", D, "--rot", str(real_archive)).exit_code == 0
    coloured = in_a_terminal(args, real_archive, {"NO_COLOR": "", "COLUMNS": "120"})
    assert b"\x1b[" in coloured  # the terminal gets colour when it may
    plain = in_a_terminal(args, real_archive, {"NO_COLOR": "1", "COLUMNS": "120"})
    assert b"\x1b[" not in plain
    assert plain.strip()


NARROW_REPORT = """\
protokoll/2020-06-05.md:9:3: SIKT208 varning: Kommuner
    varken representerade eller angivna som frånvarande:
    Götene.
  9 |   - annika-andreasson
    |   ^
  tips: Lägg till dem under 'franvarande' så att
        närvaron blir fullständig.

1 varning i 3 filer.
"""
MIDDLE_REPORT = """\
protokoll/2020-06-05.md:9:3: SIKT208 varning: Kommuner varken representerade eller angivna som
    frånvarande: Götene.
  9 |   - annika-andreasson
    |   ^
  tips: Lägg till dem under 'franvarande' så att närvaron blir fullständig.

1 varning i 3 filer.
"""
WIDE_REPORT = """\
protokoll/2020-06-05.md:9:3: SIKT208 varning: Kommuner varken representerade eller angivna som frånvarande: Götene.
  9 |   - annika-andreasson
    |   ^
  tips: Lägg till dem under 'franvarande' så att närvaron blir fullständig.

1 varning i 3 filer.
"""  # noqa: E501


@pytest.mark.parametrize(
    ("columns", "expected"),
    [("60", NARROW_REPORT), ("100", MIDDLE_REPORT), ("120", WIDE_REPORT)],
)
def test_validera_wraps_between_words_at_the_terminal_width(
    real_archive: Path, run: Run, columns: str, expected: str
) -> None:
    """Was: a fixed width of 100 with soft wrap: the terminal broke words in the middle."""
    result = run("validera", "--rot", str(real_archive), env={"COLUMNS": columns, "NO_COLOR": "1"})
    assert result.stdout == expected
    assert all(len(line) <= int(columns) for line in result.stdout.splitlines())


def test_validera_in_a_pipe_keeps_one_line_per_message(real_archive: Path, run: Run) -> None:
    result = run("validera", "--rot", str(real_archive), env={"COLUMNS": None, "NO_COLOR": "1"})
    assert result.stdout.splitlines()[0] == (
        "protokoll/2020-06-05.md:9:3: SIKT208 varning: Kommuner varken representerade eller "
        "angivna som frånvarande: Götene."
    )


NARROW_UPPDRAG = """\
2020-06-05#2 · Karina Bronell
  Karina Bronell undersöker och återkommer med när avtal
  måste sägas upp om inte ny förlängning ska ske.
  Senast 2020-09-04 (försenat) · 2369 d · 2020-06-05 · 5.
  Mediapoolen

"""


def test_uppdrag_is_one_block_per_uppdrag_in_a_narrow_terminal(
    real_archive: Path, run: Run
) -> None:
    """Was: six columns at 60 characters, every word broken."""
    result = run(
        "uppdrag", "--medlem", "karina-bronell", "--per", "2026-11-30", "--rot", str(real_archive),
        env={"COLUMNS": "60", "NO_COLOR": "1"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(NARROW_UPPDRAG + "2020-06-05#4 · Alla\n")
    assert all(len(line) <= 60 for line in result.stdout.splitlines())
    wide = run(
        "uppdrag", "--medlem", "karina-bronell", "--rot", str(real_archive),
        env={"COLUMNS": "120", "NO_COLOR": "1"},
    )  # fmt: skip
    assert wide.stdout.startswith("┏━")  # wide enough: the table


def test_kallelse_names_the_invitation_version_not_sequence(
    real_archive: Path, run: Run, tmp_path: Path, no_smtp_settings: None
) -> None:
    """Was: '(SEQUENCE 0)', jargon for a chair."""
    result = run("kallelse", D, "--ut", str(tmp_path / "utkast"), "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    ics = tmp_path / "utkast" / f"kallelse-{D}.ics"
    assert f"Skrev kalenderinbjudan: {ics} (version 1 av inbjudan)\n" in result.stdout
    assert "SEQUENCE" not in result.output


# --- the cycle guards the secretary -------------------------------------------------------


def cp1252_protokoll(root: Path) -> Path:
    path = root / NEW
    text = protokoll(D, body="## 1. Inledning\n\nGöteborg.\n\n## 2. Temadag\n\nText.\n")
    path.write_bytes(text.encode("cp1252"))
    return path


def test_kallelse_preview_fails_like_ut_on_an_unreadable_protokoll(
    archive: Make, run: Run, tmp_path: Path, no_smtp_settings: None
) -> None:
    """Was: the preview showed a default agenda and exited 0 while --ut failed."""
    root = archive()
    cp1252_protokoll(root)
    preview = run("kallelse", D, "--rot", str(root))
    sent = run("kallelse", D, "--ut", str(tmp_path / "utkast"), "--rot", str(root))
    assert preview.exit_code == sent.exit_code == 1
    assert preview.stdout == ""
    assert preview.stderr == sent.stderr
    assert preview.stderr.startswith(f"Fel: {root / NEW} kan inte läsas: Filen är inte UTF-8:")


def test_protokoll_lista_says_why_a_row_is_unknown(archive: Make, run: Run) -> None:
    """Was: status '?' and zeros, with no word on why."""
    root = archive()
    cp1252_protokoll(root)
    result = run("protokoll", "lista", "--rot", str(root), env={"COLUMNS": "100"})
    assert result.exit_code == 0
    tail = result.stdout.split("2 protokoll.\n", 1)[1]
    assert tail == (
        f"? {NEW}: rad 19: Filen är inte UTF-8: byte 0xF6 ('ö' i Windows-1252) kan inte\n"
        "    avkodas. Filen är troligen sparad som Windows-1252/Latin-1. (SIKT101)\n"
        f"Se felen med tips: sikt validera {NEW}\n"
    )


def test_commands_that_create_a_file_say_how_to_undo_it(
    archive: Make, run: Run, tmp_path: Path, no_smtp_settings: None
) -> None:
    """Was: a bare `sikt kallelse` created a protokoll file without a word on undoing it."""
    root = archive()
    result = run("kallelse", D, "--rot", str(root))
    assert result.stdout.startswith(
        f"Skapade planerat protokoll: {NEW}\nÅngra: ta bort {NEW} (filen är inte incheckad).\n"
    )
    (root / NEW).unlink()
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert result.stdout.splitlines()[-1] == f"Ångra: ta bort {NEW} (filen är inte incheckad)."
    draft = tmp_path / "m.eml"
    result = run("medlemmar", "--mejl", "--ut", str(draft), "--rot", str(root))
    assert (
        result.stdout.splitlines()[-1]
        == f"Ångra: ta bort {draft.as_posix()} (filen är inte incheckad)."
    )
    out = tmp_path / "utkast"
    (root / NEW).unlink()
    result = run("kallelse", D, "--ut", str(out), "--rot", str(root))
    assert result.stdout.splitlines()[-1] == (
        f"Ångra: ta bort {NEW}, {out.as_posix()}/kallelse-{D}.ics och "
        f"{out.as_posix()}/kallelse-{D}.eml (filerna är inte incheckade)."
    )


def test_protokoll_ny_writes_a_follow_up_to_fill_in_per_open_uppdrag(
    real_archive: Path, run: Run
) -> None:
    """Was: each open uppdrag's whole text copied into its follow-up, where `uppdrag visa`
    then showed it as the follow-up's comment; nothing asked what happened."""
    result = run("protokoll", "ny", "--datum", D, "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert (
        "7 öppna uppdrag har en rad under 'Uppföljning av uppdrag': skriv vad som hänt i stället "
        "för 'FYLL I: vad hände?'. Vad de gäller: sikt uppdrag\n"
    ) in result.stdout
    text = (real_archive / NEW).read_text(encoding="utf-8")
    section = text.split("## 3. Uppföljning av uppdrag\n\n", 1)[1].split("\n\n", 1)[0]
    assert section == "\n".join(f"- [ ] 2020-06-05#{n} FYLL I: vad hände?" for n in range(1, 8))
    shown = run(
        "uppdrag", "visa", "2020-06-05#3", "--rot", str(real_archive), env={"COLUMNS": "120"}
    )
    assert "FYLL I" not in shown.stdout  # the placeholder is no comment
    result = run(
        "validera", str(real_archive / NEW), "--rot", str(real_archive), "--format", "json"
    )
    import json

    untold = [d for d in json.loads(result.stdout) if d["code"] == "SIKT408"]
    assert [d["message"] for d in untold] == [
        f"Uppföljningen av 2020-06-05#{n} säger inte vad som hände." for n in range(1, 8)
    ]


JUSTERAT_HINT = (
    "tips: Ska något i protokollet ändras: ändra raderna och kör 'sikt protokoll rätta "
    '2020-06-05 --skal "varför"\' (se docs/justering.md). Gäller det ett nytt möte, ange dess '
    "datum.\n"
)


def test_kallelse_ut_refuses_a_justerat_date(
    real_archive: Path, run: Run, tmp_path: Path, no_smtp_settings: None
) -> None:
    """Was: an invitation written for a meeting already justerat."""
    out = tmp_path / "utkast"
    result = run("kallelse", "2020-06-05", "--ut", str(out), "--rot", str(real_archive))
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Mötet 2020-06-05 är redan justerat (protokoll/2020-06-05.md är låst). En kallelse "
        "till det skrivs inte.\n" + JUSTERAT_HINT
    )
    assert not out.exists()


def test_protokoll_ny_refuses_a_justerat_date_with_what_to_do(real_archive: Path, run: Run) -> None:
    """Was: "… finns redan (status: justerat) … fortsätt skriva i den"."""
    result = run("protokoll", "ny", "--datum", "2020-06-05", "--rot", str(real_archive))
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Mötet 2020-06-05 är redan justerat (protokoll/2020-06-05.md är låst). Ett nytt "
        "utkast skrivs inte över det.\n" + JUSTERAT_HINT
    )
