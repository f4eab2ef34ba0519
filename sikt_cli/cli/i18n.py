"""Swedish for Typer's and Click's own words: panel titles, usage line, help option, errors.

Typer vendors Click with hard-coded English strings; what cannot be set through Typer's
constants is replaced here (usage word, help option text) or reformatted by the CLI
(usage errors, in `cli.main`).
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

import typer
import typer.core


@functools.cache
def swedish_panels() -> None:
    """Swedish words in Typer's rich help. Set when help is first formatted, not at import:
    `typer.rich_utils` loads rich's Markdown and markdown-it (a tenth of a second), which a
    command that shows no help never needs."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "Argument"
    rich_utils.OPTIONS_PANEL_TITLE = "Flaggor"
    rich_utils.COMMANDS_PANEL_TITLE = "Kommandon"
    rich_utils.ERRORS_PANEL_TITLE = "Fel"
    rich_utils.ABORTED_TEXT = "Avbrutet."
    rich_utils.DEFAULT_STRING = "[standard: {}]"
    rich_utils.ENVVAR_STRING = "[miljövariabel: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[krävs]"
    rich_utils.RICH_HELP = "Se [blue]'{command_path} {help_option}'[/] för hjälp."
    plain = rich_utils._get_rich_console

    def help_console(stderr: bool = False) -> Any:
        """Typer's help console, plain under NO_COLOR (rich alone keeps bold and dim)."""
        rich_utils.COLOR_SYSTEM = None if os.environ.get("NO_COLOR") else "auto"
        return plain(stderr)

    rich_utils._get_rich_console = help_console


HELP_TEXT = "Visa den här hjälpen och avsluta."


def _swedish_usage(usage: str) -> str:
    usage = re.sub(r"\{([^{}\s]+)\}", r"\1", usage)  # Typer writes required args as {ID}
    return (
        usage.replace("Usage:", "Användning:", 1)
        .replace("[OPTIONS]", "[FLAGGOR]")
        .replace("COMMAND [ARGS]...", "KOMMANDO [ARGUMENT]...")
    )


class _Swedish:
    """Swedish usage line and help option, for commands and groups alike."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        swedish_panels()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return _swedish_usage(super().get_usage(ctx))  # type: ignore[misc]

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [_swedish_usage(p) for p in super().collect_usage_pieces(ctx)]  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from typer._click import exceptions as ce

        try:
            _value_is_an_option(self, ctx, args)
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]
        except ce.UsageError as exc:  # the parser raises without a context: 'Se … --help'
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            from sikt_cli.cli.plain_values import plain_param

            opt.help = HELP_TEXT
            plain_param(opt)
        return opt


def _value_is_an_option(command: Any, ctx: Any, args: list[str]) -> None:
    """Refuse `--ar --rot .`: Click takes '--rot' as the year and then reports what follows
    ('.' as an unknown command, or a wrong year). Only for a long option of this command
    that takes a value, followed by another long option of this command; up to `--`, and
    for a group up to its subcommand (whose options are its own)."""
    from typer._click import exceptions as ce

    valued: set[str] = set()
    known: set[str] = set()
    for param in command.get_params(ctx):
        names = [n for n in getattr(param, "opts", []) if n.startswith("--")]
        known.update(names)
        if getattr(param, "param_type_name", "") == "option" and not param.is_flag:
            valued.update(names)
    group = isinstance(command, typer.core.TyperGroup)
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--" or (group and not word.startswith("-")):
            return
        name = word.split("=", 1)[0]
        if name in valued and "=" not in word:
            following = args[i + 1] if i + 1 < len(args) else ""
            if following.split("=", 1)[0] in known:
                raise ce.UsageError(
                    f"Flaggan {name} behöver ett värde, men nästa ord är flaggan "
                    f"{following.split('=', 1)[0]}."
                )
            i += 2
            continue
        i += 1


class SwedishCommand(_Swedish, typer.core.TyperCommand):
    pass


class SwedishGroup(_Swedish, typer.core.TyperGroup):
    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if self.invoke_without_command:  # `sikt uppdrag` alone lists: the command is optional
            pieces = [
                "[KOMMANDO [ARGUMENT]...]" if p == "KOMMANDO [ARGUMENT]..." else p for p in pieces
            ]
        return pieces


def usage_error_message(exc: Any) -> str:
    """A Swedish message for Click's usage errors: every kind Click and Typer raise."""
    from typer._click import exceptions as ce

    if isinstance(exc, ce.NoSuchOption):
        msg = f"Okänd flagga: {exc.option_name}."
        if exc.possibilities:
            msg += " Menade du " + " eller ".join(sorted(exc.possibilities)) + "?"
        return msg
    if isinstance(exc, ce.BadOptionUsage):
        if "requires" in str(exc.message):
            return f"Flaggan {exc.option_name} behöver ett värde."
        return f"Flaggan {exc.option_name} används fel."
    if isinstance(exc, ce.MissingParameter):
        return _missing(exc)
    if isinstance(exc, ce.BadParameter):
        return _bad_value(exc)
    return _usage_text(str(exc.format_message()))


def _missing(exc: Any) -> str:
    param = exc.param
    if param is not None and param.param_type_name == "argument":
        name = str(param.metavar or param.name or "ARGUMENT").upper().strip("[]")
        return f"Argumentet {name} saknas."
    opt = str(param.opts[0]) if param is not None and param.opts else "ett värde"
    return f"Flaggan {opt} krävs."


def _param_name(exc: Any) -> str:
    param = exc.param
    if param is not None and param.param_type_name == "argument":
        return str(param.metavar or param.name or "").upper().strip("[]")
    hint = exc.param_hint or (param.opts[0] if param is not None and param.opts else "")
    return hint if isinstance(hint, str) else " / ".join(hint)


_PYDANTIC = {
    "int_parsing": "'{}' är inte ett heltal",
    "int_from_float": "'{}' är inte ett heltal",
    "float_parsing": "'{}' är inte ett tal",
    "bool_parsing": "'{}' är varken ja eller nej",
    "date_from_datetime_parsing": "'{}' är inte ett datum ÅÅÅÅ-MM-DD",
}


def _bad_value(exc: Any) -> str:
    """'Ogiltigt värde för --ar: 'x' är inte ett heltal.': Typer's pydantic errors, in Swedish."""
    name = _param_name(exc)
    message = str(exc.message)
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if errors and errors[0].get("type") in _PYDANTIC:
        message = _PYDANTIC[errors[0]["type"]].format(errors[0].get("input", ""))
    elif "is not one of" in message:
        value, _, choices = message.partition(" is not one of ")
        value = value.split("Value error, ")[-1]
        message = f"{value} är inte ett av {choices.rstrip('.')}"
    elif message.startswith(("Input should", "Value error")):
        message = "värdet kan inte tolkas"
    return f"Ogiltigt värde för {name}: {message.rstrip('.')}.".replace(": .", ".")


_NO_COMMAND = re.compile(r"No such command '(.*?)'\.?(?: Did you mean (.*?)\?)?$", re.S)
_EXTRA = re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", re.S)


def _usage_text(text: str) -> str:
    """The usage errors Click only gives as English text."""
    if m := _NO_COMMAND.match(text):
        msg = f"Okänt kommando: '{m.group(1)}'."
        if m.group(2):
            msg += " Menade du " + m.group(2).replace(", ", " eller ") + "?"
        return msg
    if m := _EXTRA.match(text):
        return f"För många argument: {m.group(1)}."
    if text.startswith("Missing command"):
        return "Ange ett kommando."
    return text


_TYPE_NAMES = {
    "bool": None,  # a flag needs no type
    "str": "text",
    "int": "heltal",
    "path": "sökväg",
    "file": "fil",
    "directory": "katalog",
}
_DATE_METAVARS = ("DATUM", "FRÅN", "TILL", "DAG")
_original_display_type = typer.core._TyperParameter.display_type


def _swedish_display_type(self: Any, ctx: Any) -> str | None:
    """Typer shows English type names such as <bool>, <str>, <list[Path]>; say it in Swedish."""
    label = _original_display_type(self, ctx)
    if label and getattr(self, "metavar", None) in _DATE_METAVARS:
        return "<ÅÅÅÅ-MM-DD>"  # a date is typed as one, not as any text
    if not label:
        return label
    inner = label.strip("<>")
    many = inner.startswith("list[")
    if many:
        inner = inner[5:-1]
    if "|" in inner:  # choices: the values themselves
        return f"<{inner}>"
    name = _TYPE_NAMES.get(inner.lower(), inner.lower())
    if name is None or (name == "text" and getattr(self, "param_type_name", "") == "argument"):
        return None  # a flag needs no type; an argument's name (ID, FRÅGA) says what to write
    return f"<{name}…>" if many else f"<{name}>"


typer.core._TyperParameter.display_type = _swedish_display_type  # type: ignore[method-assign,assignment]
