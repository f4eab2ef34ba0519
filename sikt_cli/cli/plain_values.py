"""Option and argument values converted without pydantic, as Typer would convert them.

Typer (0.29) converts every parameter's value through a pydantic TypeAdapter, built the
first time the parameter is processed — even for a value not given — and importing pydantic
with it: 0.12 s of a cold `sikt validera` on a 121-protokoll archive, more than the rules.
sikt's parameters are str, Path, int, bool, Enum and lists of str or Path without
constraints; those values are converted here, and anything else (a value the simple rules do
not cover, which includes every error) goes to Typer's own conversion, so its messages are
unchanged. tests/test_startup.py holds every parameter of every command to Typer's results.
"""

from __future__ import annotations

import enum
import functools
import pathlib
import re
import typing
from typing import Any


def plain_coercion(command: Any) -> Any:
    """`command` and its subcommands converting plain values without pydantic."""
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
    plain = _plain_class()
    if plain is None or not hasattr(param, "_runtime_param"):
        return param  # another Typer than 0.29's: its own conversion, as it is
    if descriptor is not None and getattr(descriptor, "file_annotation", None) is None:
        try:
            param._runtime_param = plain(descriptor.parameter_info, descriptor.annotation)
        except (AttributeError, TypeError):  # a RuntimeParam of another shape
            pass
    return param


@functools.cache
def _plain_class() -> type | None:
    """The conversion class, built on Typer 0.29's internals; None where they differ."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:
        return None

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
