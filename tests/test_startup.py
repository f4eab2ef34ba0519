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

from sikt_cli.cli import plain_values, tree
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


def test_commands_convert_their_values_without_pydantic(archive: Callable[..., Path]) -> None:
    """Typer 0.29 imported pydantic (0.12 s) to convert every value, given or not."""
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    pydantic = {"pydantic", "typer._adapters"}
    for args in (
        ["validera", "--rot", str(root), "--format", "json"],
        ["uppdrag", "--rot", str(root), "--antal", "3", "--format", "csv"],
        ["sok", "Mediapoolen", "--rot", str(root), "--ar", "2020"],
        ["protokoll", "lista", "--rot", str(root)],
        ["--version"],
    ):
        assert _imported(*args, names=pydantic) == ("0", []), args
    # a value the plain conversion leaves to Typer: its message, through pydantic
    code, seen = _imported("uppdrag", "--rot", str(root), "--antal", "tjugo", names=pydantic)
    assert code == "2" and seen == sorted(pydantic)


def _every_param() -> list[Any]:
    out = []
    for name in tree.TREE:
        built = tree.build(
            name, rich_markup_mode="rich", pretty_exceptions_short=True, suggest_commands=True
        )
        for command in [built, *getattr(built, "commands", {}).values()]:
            out += [p for p in command.params if hasattr(p, "type_descriptor")]
    return out


SAMPLES: list[Any] = [
    "", "abc", "Åsa Öberg", "12", "-3", "007", "1_000", " 5", "5 ", "+4", "1e3",
    "99999999999999999999",
    "tabell", "json", "TABELL", "csv", "md", "text", "x/y.md", "-", ".", 7, True,
    ("a", "b"), ["12", "x"], (), ("protokoll/2020-06-05.md",),
]  # fmt: skip


def test_plain_conversion_gives_what_typer_gives() -> None:
    """Every parameter of every command, over values of every kind: the plain conversion
    either leaves the value to Typer or gives exactly Typer's result (type and value)."""
    from typer._click import exceptions
    from typer._coercion import build_runtime_param

    params = _every_param()
    kinds = {repr(p.type_descriptor.annotation) for p in params}
    assert {"<class 'str'>", "<class 'pathlib.Path'>", "<class 'int'>"} <= kinds
    converted = 0
    ctx = Context(typer.main.get_command(app))
    for param in params:
        d = param.type_descriptor
        for value in SAMPLES:
            plain = plain_values._plain(d.annotation, d.parameter_info, value)
            if plain is plain_values._NOT_PLAIN:
                continue
            converted += 1
            try:
                real = build_runtime_param(d)._coerce_value(value, param=param, ctx=ctx)
            except exceptions.BadParameter as exc:
                pytest.fail(f"{param.name} {value!r}: Typer refuses ({exc}), plain gave {plain!r}")
            assert (type(plain), plain) == (type(real), real), (param.name, value)
    assert converted > 200


def test_without_typer_s_internals_typer_converts(
    run: Any, archive: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another Typer than 0.29 (no typer._coercion): its own conversion, no error."""
    monkeypatch.setattr(plain_values, "_plain_class", lambda: None)
    root = archive({"protokoll/2020-06-05.md": protokoll()})
    result = run("uppdrag", "--rot", str(root), "--antal", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("[")
    bad = run("uppdrag", "--rot", str(root), "--antal", "tjugo")
    assert bad.exit_code == 2
    assert "Ogiltigt värde för --antal: 'tjugo' är inte ett heltal." in bad.stderr
    fresh = tree.build(
        "uppdrag", rich_markup_mode="rich", pretty_exceptions_short=True, suggest_commands=True
    )
    assert [p._runtime_param for p in fresh.params if hasattr(p, "_runtime_param")] == [
        None for p in fresh.params if hasattr(p, "_runtime_param")
    ]
