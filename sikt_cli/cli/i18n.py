"""Swedish for Typer's and Click's own words: panel titles, usage line, help option, errors.

Typer vendors Click with hard-coded English strings; what cannot be set through Typer's
constants is replaced here (usage word, help option text) or reformatted by the CLI
(usage errors, in `cli.main`).
"""

from __future__ import annotations

import functools
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


HELP_TEXT = "Visa den här hjälpen och avsluta."


def _swedish_usage(usage: str) -> str:
    usage = re.sub(r"\{([A-ZÅÄÖ_]+)\}", r"\1", usage)  # Typer writes required args as {ID}
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

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = HELP_TEXT
        return opt


class SwedishCommand(_Swedish, typer.core.TyperCommand):
    pass


class SwedishGroup(_Swedish, typer.core.TyperGroup):
    pass


def usage_error_message(exc: Any) -> str:
    """A Swedish message for Click's usage errors."""
    from typer._click import exceptions as ce

    if isinstance(exc, ce.NoSuchOption):
        msg = f"Okänd flagga: {exc.option_name}."
        if exc.possibilities:
            msg += " Menade du " + " eller ".join(sorted(exc.possibilities)) + "?"
        return msg
    if isinstance(exc, ce.MissingParameter):
        opt = str(exc.param.opts[0]) if exc.param is not None and exc.param.opts else "ett värde"
        if exc.param is not None and exc.param.param_type_name == "argument":
            opt = str(exc.param.metavar or exc.param.name or "ARGUMENT").upper()
        return f"Värde saknas: {opt}."
    if isinstance(exc, ce.BadParameter):
        hint = exc.param_hint or (exc.param.opts[0] if exc.param and exc.param.opts else "")
        name = hint if isinstance(hint, str) else " / ".join(hint)
        message = str(exc.message)
        if "is not one of" in message:
            value, _, choices = message.partition(" is not one of ")
            value = value.split("Value error, ")[-1]
            message = f"{value} är inte ett av {choices}"
        return f"Ogiltigt värde för {name}: {message}".strip()
    text = str(exc.format_message())
    if text.startswith("No such command"):
        return "Okänt kommando: " + text.split("No such command", 1)[1].strip(" .'\"") + "."
    if text.startswith("Got unexpected extra argument"):
        return "För många argument: " + text.split("(", 1)[-1].rstrip(")") + "."
    if text.startswith("Missing command"):
        return "Ange ett kommando."
    if "requires an argument" in text:
        return f"Flaggan {text.split()[0]} kräver ett värde."
    return text


_TYPE_NAMES = {
    "bool": None,  # a flag needs no type
    "str": "text",
    "int": "heltal",
    "path": "sökväg",
    "file": "fil",
    "directory": "katalog",
}
_original_display_type = typer.core._TyperParameter.display_type


def _swedish_display_type(self: Any, ctx: Any) -> str | None:
    """Typer shows English type names such as <bool>, <str>, <list[Path]>; say it in Swedish."""
    label = _original_display_type(self, ctx)
    if not label:
        return label
    inner = label.strip("<>")
    many = inner.startswith("list[")
    if many:
        inner = inner[5:-1]
    if "|" in inner:  # choices: the values themselves
        return f"<{inner}>"
    name = _TYPE_NAMES.get(inner.lower(), inner.lower())
    if name is None:
        return None
    return f"<{name}…>" if many else f"<{name}>"


typer.core._TyperParameter.display_type = _swedish_display_type  # type: ignore[method-assign,assignment]
