"""Start-up: `sikt <cmd>` imports and builds only the command it runs (cli/tree.py), and
`sikt --help` still lists every command with its one-line help."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from helpers import REPO, protokoll
from typer._click import Context

from sikt_cli.cli import tree
from sikt_cli.cli.app import app

COMMAND_MODULES = {f"sikt_cli.cli.{entry.module}" for entry in tree.TREE.values()}

# runs sikt in a fresh interpreter, then names the command modules it imported
_PROBE = (
    "import sys\n"
    "from sikt_cli.cli.app import main\n"
    "sys.argv = ['sikt', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    "names = {NAMES!r}\n"
    "print('MODULES', code, *sorted(n for n in names if n in sys.modules))\n"
)


def _imported(*args: str, names: set[str] = COMMAND_MODULES) -> tuple[str, list[str]]:
    """The exit code and which of `names` (the command modules) `sikt ARGS` imported, in a
    new process."""
    code = _PROBE.replace("{NAMES!r}", repr(sorted(names)))
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )
    last = done.stdout.strip().splitlines()[-1].split()
    assert last[0] == "MODULES", done.stdout + done.stderr
    return last[1], last[2:]


def test_validera_help_imports_only_validera() -> None:
    assert _imported("validera", "--help") == ("0", ["sikt_cli.cli.validera"])


def test_a_real_run_imports_only_its_command(archive: Callable[..., Path]) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    assert _imported("validera", "--rot", str(root)) == ("0", ["sikt_cli.cli.validera"])
    assert _imported("uppdrag", "--rot", str(root)) == ("0", ["sikt_cli.cli.uppdrag"])
    assert _imported("sok", "Mediapoolen", "--rot", str(root)) == ("0", ["sikt_cli.cli.sok"])


def test_a_warm_validera_parses_nothing(archive: Callable[..., Path]) -> None:
    """From the cache: no loader, model, rules or Markdown parser is imported (the bilagor
    check, which runs on every run, included)."""
    extra = "bilagor: [bilagor/a.txt]\n"
    root = archive({"protokoll/2020-06-05.md": protokoll(extra_frontmatter=extra)})
    (root / "bilagor").mkdir()
    (root / "bilagor/a.txt").write_text("x")
    heavy = {"sikt_cli.archive.load", "sikt_cli.archive.model", "sikt_cli.rules", "markdown_it"}
    assert _imported("validera", "--rot", str(root), names=heavy)[1] == sorted(heavy)  # cold
    assert _imported("validera", "--rot", str(root), names=heavy) == ("0", [])


def test_help_and_unknown_command_import_no_command() -> None:
    assert _imported("--help") == ("0", [])
    assert _imported("--version") == ("0", [])
    assert _imported("valider") == ("2", [])


def _listed(help_text: str) -> list[str]:
    """The command names in the 'Kommandon' panel of a help text."""
    panel = help_text.split("Kommandon")[1]
    return re.findall(r"^│ (\S+)\s", panel, re.M)


def test_help_lists_every_command_documented(run: Any) -> None:
    result = run("--help")
    assert result.exit_code == 0
    documented = re.findall(
        r"^## `sikt (\S+)`$", (REPO / "docs/kommandon.md").read_text("utf-8"), re.M
    )
    assert _listed(result.stdout) == list(tree.TREE)
    assert set(tree.TREE) == set(documented)


def _help(group: Any) -> str:
    return str(group.get_help(Context(group, info_name="sikt")))


def test_lazy_listing_is_the_listing_of_the_built_commands() -> None:
    group: Any = typer.main.get_command(app)
    lazy = _help(group)
    assert not any(group.commands.built(name) for name in tree.TREE)
    for name in tree.TREE:  # build every command, as before the tree was lazy
        command = group.commands[name]
        first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        assert first.strip() == tree.TREE[name].help, name
        assert not command.hidden and not command.deprecated, name
    assert all(group.commands.built(name) for name in tree.TREE)
    assert _help(group) == lazy


def test_commands_mapping_builds_on_lookup_only() -> None:
    group: Any = typer.main.get_command(app)
    assert "validera" in group.commands and "valider" not in group.commands
    assert not group.commands.built("validera")
    assert group.get_command(None, "valider") is None
    assert group.get_command(None, "validera").name == "validera"
    assert group.commands.built("validera") and not group.commands.built("webb")
    with pytest.raises(KeyError):
        group.commands["valider"]
