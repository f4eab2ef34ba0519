"""The command tree, built lazily: `sikt <cmd>` imports and builds only the command it runs.

Typer turns every command's annotations into Click parameters when the app starts, and each
command module imports its own helpers: for sikt's twenty commands and groups that was most
of the start-up. The root group instead knows each command by the table below (its module
and its one-line help, which is what `sikt --help` lists) and imports the module and builds
the command the first time it is asked for it (Click's "lazily loading subcommands").
`tests/test_startup.py` checks the table against the commands themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, NamedTuple

from sikt_cli.cli import plain_values


class Entry(NamedTuple):
    module: str  # in sikt_cli.cli
    attr: str  # the command function, or the group's Typer app
    help: str  # the first paragraph of the command's help: its line in `sikt --help`
    group: bool = False
    cls: str | None = None  # a command class of the module; SwedishCommand if None


# in the order `sikt --help` lists them: commands first, then groups
TREE: dict[str, Entry] = {
    "validera": Entry(
        "validera", "validera", "Kontrollera protokollen mot medlemmar.yaml och mal.yaml."
    ),
    "kallelse": Entry(
        "kallelse",
        "kallelse",
        "Ordförandens kallelse med dagordning och uppdrag att rapportera.",
    ),
    "mallar": Entry("kallelse", "mallar", "Lista mallarna som gäller och var de kommer ifrån."),
    "medlemmar": Entry(
        "listor",
        "medlemmar",
        "Förteckningen över nätverkets medlemmar: namn, kommun, organisation, roller.",
    ),
    "moten": Entry("listor", "moten", "Nätverkets mötesdatum: hållna, planerade och kommande."),
    "schema": Entry(
        "schema",
        "schema",
        "JSON Schema för medlemmar.yaml, mal.yaml och protokollens frontmatter.",
    ),
    "sok": Entry(
        "sok",
        "sok",
        "Sök i hela arkivet: protokollens text, rubriker, beslut, uppdrag, medlemmar och mål.",
        cls="SearchCommand",
    ),
    "init": Entry("init", "init", "Skapa ett nytt protokollarkiv för ett nätverk."),
    "importera": Entry(
        "importera",
        "importera",
        "Importera gamla protokoll från Word (.docx), Markdown eller text.",
    ),
    "webb": Entry(
        "webb",
        "webb",
        "Bygg en statisk, sökbar och tillgänglig webbplats av de justerade protokollen.",
    ),
    "uppdrag": Entry(
        "uppdrag",
        "app",
        "Visa nätverkets uppdrag: vem som ska göra vad, och till när.",
        group=True,
    ),
    "protokoll": Entry("protokoll", "app", "Skapa, lista, visa och justera protokoll.", group=True),
    "beslut": Entry(
        "beslut",
        "app",
        "Visa beslutsregistret: alla beslut i arkivet, nyast först.",
        group=True,
    ),
    "rapport": Entry(
        "rapport",
        "app",
        "Rapporter om närvaro, mål och uppdrag, och årets verksamhetsberättelse.",
        group=True,
    ),
}


def build(
    name: str, *, rich_markup_mode: Any, pretty_exceptions_short: bool, suggest_commands: bool
) -> Any:
    """The Click command or group `name`, built exactly as Typer builds a registered one."""
    import typer
    import typer.main

    entry = TREE[name]
    module = importlib.import_module(f"sikt_cli.cli.{entry.module}")
    target = getattr(module, entry.attr)
    holder = typer.Typer()
    if entry.group:
        holder.add_typer(target, name=name)
        group = typer.main.get_group_from_info(
            holder.registered_groups[0],
            pretty_exceptions_short=pretty_exceptions_short,
            rich_markup_mode=rich_markup_mode,
            suggest_commands=suggest_commands,
        )
        return plain_values.plain_coercion(reflowed(group))
    from sikt_cli.cli.i18n import SwedishCommand

    holder.command(name, cls=getattr(module, entry.cls) if entry.cls else SwedishCommand)(target)
    command = typer.main.get_command_from_info(
        holder.registered_commands[0],
        pretty_exceptions_short=pretty_exceptions_short,
        rich_markup_mode=rich_markup_mode,
    )
    return plain_values.plain_coercion(reflowed(command))


def reflowed(command: Any) -> Any:
    """`command` and its subcommands with help text that wraps at the terminal's width.

    Typer (0.29) keeps a docstring's single line breaks in rich mode, so a paragraph came
    out broken where the source line ended as well as at the terminal's edge: ragged at 80
    columns, never wider at 120. Blank lines still separate paragraphs."""
    if command.help:
        paragraphs = command.help.split("\n\n")
        command.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    for sub in getattr(command, "commands", {}).values():
        reflowed(sub)
    return command


def listing(name: str) -> Any:
    """A stand-in with only what a help listing shows: the name and the one-line help."""
    import typer.core

    return typer.core.TyperCommand(name=name, help=TREE[name].help)


class LazyCommands(MutableMapping[str, Any]):
    """A group's `commands`: every name of the table, each built when first looked up."""

    def __init__(self, build_one: Callable[[str], Any]) -> None:
        self._names: dict[str, None] = dict.fromkeys(TREE)
        self._built: dict[str, Any] = {}
        self._build = build_one

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._names or name not in TREE:
                raise KeyError(name)
            self._built[name] = self._build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._names[name] = None
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._names[name]
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._names  # without building it

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def built(self, name: str) -> bool:
        return name in self._built
