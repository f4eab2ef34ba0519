"""The command tree, built lazily: `sikt <cmd>` imports and builds only the command it runs.

Typer turns every command's annotations into Click parameters when the app starts, and each
command module imports its own helpers: for sikt's twenty commands and groups that was most
of the start-up. The root group instead knows each command by the table below (its module
and its one-line help, which is what `sikt --help` lists) and imports the module and builds
the command the first time it is asked for it (Click's "lazily loading subcommands").
`tests/test_startup.py` checks the table against the commands themselves.
"""

from __future__ import annotations

import enum
import functools
import importlib
import pathlib
import re
import typing
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, NamedTuple


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
        return plain_coercion(reflowed(group))
    from sikt_cli.cli.i18n import SwedishCommand

    holder.command(name, cls=getattr(module, entry.cls) if entry.cls else SwedishCommand)(target)
    command = typer.main.get_command_from_info(
        holder.registered_commands[0],
        pretty_exceptions_short=pretty_exceptions_short,
        rich_markup_mode=rich_markup_mode,
    )
    return plain_coercion(reflowed(command))


def plain_coercion(command: Any) -> Any:
    """`command` and its subcommands converting plain values without pydantic.

    Typer (0.29) converts every parameter's value through a pydantic TypeAdapter, built the
    first time the parameter is processed — even for a value not given — and importing
    pydantic with it: 0.12 s of a cold `sikt validera` on a 121-protokoll archive, more than
    the rules. sikt's parameters are str, Path, int, bool, Enum and lists of str or Path
    without constraints; those values are converted here as Typer would, and anything else
    (a value the simple rules do not cover, which includes every error) goes to Typer's own
    conversion, so its messages are unchanged. tests/test_startup.py holds it to Typer's
    results."""
    for param in command.params:
        plain_param(param)
    subcommands = getattr(command, "commands", {})
    if isinstance(subcommands, dict):  # a built group's; never the root's LazyCommands
        for sub in subcommands.values():
            plain_coercion(sub)
    return command


def plain_param(param: Any) -> Any:
    """One parameter converting plain values without pydantic (see plain_coercion); also
    for the help option, which Click makes anew for each command it parses."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and descriptor.file_annotation is None:
        param._runtime_param = _plain_class()(descriptor.parameter_info, descriptor.annotation)
    return param


@functools.cache
def _plain_class() -> type:
    from typer._coercion import RuntimeParam, build_runtime_param

    class Plain(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            done = _plain(self.annotation, self.parameter_info, value)
            if done is not _NOT_PLAIN:
                return done
            real = build_runtime_param(param.type_descriptor)
            param._runtime_param = real
            return real._coerce_value(value, param=param, ctx=ctx)

    return Plain


_NOT_PLAIN = object()
_DIGITS = re.compile(r"-?[0-9]{1,18}")


def _plain(annotation: Any, info: Any, value: Any) -> Any:
    """`value` as Typer converts it for `annotation`, or _NOT_PLAIN: leave it to Typer."""
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None):
        return _NOT_PLAIN
    if typing.get_origin(annotation) is list and isinstance(value, (list, tuple)):
        (item,) = typing.get_args(annotation) or (Any,)
        out = [_plain(item, info, v) for v in value]
        return _NOT_PLAIN if any(v is _NOT_PLAIN for v in out) else out
    if annotation is str and isinstance(value, str):
        return value
    if annotation is pathlib.Path and isinstance(value, (str, pathlib.Path)):
        constrained = info.exists or info.resolve_path or info.allow_dash or info.path_type
        return _NOT_PLAIN if constrained or info.writable else pathlib.Path(value)
    if annotation is int and isinstance(value, str) and _DIGITS.fullmatch(value):
        return _NOT_PLAIN if info.min is not None or info.max is not None else int(value)
    if annotation is int and type(value) is int and info.min is None and info.max is None:
        return value
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if isinstance(value, annotation):
            return value
        if isinstance(value, str) and info.case_sensitive is not False:
            return next((m for m in annotation if m.value == value), _NOT_PLAIN)
    return _NOT_PLAIN


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
