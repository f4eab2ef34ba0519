"""The budgeted Jinja2 sandbox that every template renders in.

Templates arrive in pull requests, so they are untrusted code. On top of Jinja2's
immutable sandbox, every loop, `range`, operator, call and filter is budgeted: iterations,
value size, output size, format widths and time, with an address-space cap as the backstop.
The time is the rendering thread's CPU time: a template that loops burns it, while a
machine busy with other work (a site of 1,000 pages rendered on every core, a CI runner
shared with other jobs) only slows the clock on the wall, which gets a wide backstop.
Imported only when a template is rendered (Jinja2 is not loaded for `sikt --help`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 1_000_000  # characters; a kallelse or protokoll is a few KB
MAX_ITERATIONS = 100_000  # total items all loops and `range()` calls of one render may use
MAX_SECONDS = 2.0  # CPU time one render may take; real templates need milliseconds
WALL_FACTOR = 30  # the wall-clock backstop: this many times the CPU budget


def _clock() -> float:
    """The CPU time of the calling thread (the render's): not advanced by other processes."""
    return time.thread_time()


FORMAT_METHODS = ("format", "format_map")
_WIDE = re.compile(r"%[-#0 +]*\d{7,}|\{[^{}]*:[^{}]*\d{7,}")

# (text, label for diagnostics) of a template by name; raises TemplateNotFound
SourceOf = Callable[[str], tuple[str, str]]


def weight(value: object) -> int:
    """Roughly how much text a value stands for: a list counts the strings it holds."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return max(len(value), sum(len(v) for v in value if isinstance(v, (str, list, tuple))))
    return 1


MAX_WRAP_INPUT = 100_000  # textwrap is quadratic in a long word: 200,000 'a' at width 1 took 1.6 s


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _text_cost(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """The size of what a text operation will build, estimated in linear time *before* it
    runs: checking the result afterwards is too late for time and memory.

    `name` is a filter (`wordwrap`, `indent`, `replace`, `join`) or a str method
    (`str.replace`, `str.join`, `str.expandtabs`); 0 when nothing big can come of it.
    """

    def arg(i: int, key: str, default: Any) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    if name in ("join", "str.join"):
        method = name == "str.join"
        sep, seq = (value, arg(0, "iterable", ())) if method else (arg(0, "d", ""), value)
        if isinstance(sep, str) and isinstance(seq, (list, tuple, str)):
            return weight(seq) + len(seq) * len(sep)
        return 0
    if not isinstance(value, str):
        return 0
    name = name.removeprefix("str.")
    if name == "replace":
        old, new = arg(0, "old", None), arg(1, "new", None)
        if not isinstance(old, str) or not isinstance(new, str):
            return 0
        hits = value.count(old) if old else len(value) + 1
        count = arg(2, "count", None)
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        return len(value) + hits * max(0, len(new) - len(old))
    if name == "indent":
        width = arg(0, "width", 4)
        w = len(width) if isinstance(width, str) else _int(width, 4)
        return len(value) + (value.count("\n") + 1) * max(w, 0)
    if name == "expandtabs":
        return len(value) + value.count("\t") * max(_int(arg(0, "tabsize", 8), 8), 0)
    if name == "wordwrap":
        if len(value) > MAX_WRAP_INPUT:
            raise SecurityError("för lång text för wordwrap, mer än 100 000 tecken")
        width = max(_int(arg(0, "width", 79), 79), 1)
        wrap = arg(2, "wrapstring", None)
        lines = len(value) // width + value.count("\n") + 1
        return len(value) + lines * (len(wrap) if isinstance(wrap, str) else 1)
    return 0


COSTED = frozenset(
    ["join", "replace", "indent", "wordwrap", "str.join", "str.replace", "str.expandtabs"]
)


def check_cost(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a text operation whose result would be larger than a render may write."""
    if name in COSTED and _text_cost(name, value, args, kwargs) > MAX_OUTPUT:
        raise SecurityError(f"för stort resultat av {name.removeprefix('str.')}")


def check_format_width(fmt: str) -> None:
    """Refuse a format string whose field width alone would build megabytes of padding."""
    if _WIDE.search(fmt):
        raise SecurityError("för bred formatering")


@contextlib.contextmanager
def memory_cap(headroom: int = 512 * 1024 * 1024) -> Iterator[None]:
    """While rendering, cap the address space so one huge allocation fails fast.

    The checks in the environment bound loops and value sizes; this is the backstop for
    any single operation they miss (e.g. a join or replace that multiplies sizes). Linux only;
    elsewhere it does nothing. The previous limit is always restored.
    """
    try:
        import resource

        with Path("/proc/self/statm").open(encoding="ascii") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    cap = used + headroom
    unlimited = resource.RLIM_INFINITY
    if (soft != unlimited and soft <= cap) or (hard != unlimited and hard < cap):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class Loader(BaseLoader):
    """Loads templates through the archive's rules (mallar/ first, then the package)."""

    def __init__(self, source_of: SourceOf) -> None:
        self.source_of = source_of

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        text, label = self.source_of(template)
        return text, label, lambda: True


class BudgetedLoops(CodeGenerator):
    """Compiles every `{% for x in seq %}` as `for x in environment.budgeted(seq)`."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("budgeted"),
                [loop.iter],
                [],
                None,
                None,
                lineno=loop.iter.lineno,
            )
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked(")  # `a ~ b` is sized like the other operators
        super().visit_Concat(node, frame)
        self.write(")")


class BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """One render's environment: its budgets start when it is made."""

    code_generator_class = BudgetedLoops
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.budget = MAX_ITERATIONS
        self.written = 0
        self.max_output = MAX_OUTPUT
        self.seconds = MAX_SECONDS
        self.deadline = _clock() + MAX_SECONDS
        self.wall_deadline = time.monotonic() + MAX_SECONDS * WALL_FACTOR
        super().__init__(*args, **kwargs)

    def restart(
        self,
        *,
        seconds: float = MAX_SECONDS,
        iterations: int = MAX_ITERATIONS,
        output: int = MAX_OUTPUT,
    ) -> None:
        """Fresh budgets for the next render with the same compiled templates (a site,
        whose list pages grow with the archive, passes larger ones)."""
        self.budget = iterations
        self.written = 0
        self.max_output = output
        self.seconds = seconds
        self.deadline = _clock() + seconds
        self.wall_deadline = time.monotonic() + seconds * WALL_FACTOR

    def tick(self) -> None:
        if _clock() > self.deadline or time.monotonic() > self.wall_deadline:
            raise SecurityError(f"mallen tar för lång tid, mer än {self.seconds:g} sekunder")

    def spend(self, n: int) -> None:
        self.budget -= n
        if self.budget < 0:
            raise SecurityError("mallen loopar för många gånger")
        self.tick()

    def budgeted(self, iterable: Any) -> Any:
        for item in iterable:
            self.spend(1)
            yield item

    def written_out(self, value: Any) -> Any:
        """Counts what `{{ }}` writes, so that too much text is caught on its line."""
        self.written += weight(value)
        if self.written > self.max_output:
            raise SecurityError("mallen ger för mycket text")
        return value

    def checked(self, result: Any) -> Any:
        if weight(result) > MAX_OUTPUT:
            raise SecurityError("för stort värde i mallen")
        return result

    def arguments(self, values: Any) -> None:
        for a in values:
            if isinstance(a, int) and abs(a) > MAX_OUTPUT:
                raise SecurityError(f"för stort tal ({a})")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        __self.arguments((*args, *kwargs.values()))
        owner = getattr(__obj, "__self__", None)  # ('x' * 4000).replace('', 'y' * 10**6)
        if isinstance(owner, str):
            check_cost(f"str.{getattr(__obj, '__name__', '')}", owner, args, kwargs)
        return __self.checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Any:
        owner = getattr(value, "__self__", None)  # "{:>999999999}".format(x)
        if isinstance(owner, str) and getattr(value, "__name__", "") in FORMAT_METHODS:
            check_format_width(owner)
        return super().wrap_str_format(value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**":
            raise SecurityError("potensoperatorn ** är inte tillåten i mallar")
        if operator == "%" and isinstance(left, str):  # "%999999999d" % x
            check_format_width(left)
            if "*" in left:  # "%*d" % (999999999, x): the width is an argument
                self.arguments(right if isinstance(right, tuple) else (right,))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                    if weight(seq) * n > MAX_OUTPUT:
                        raise SecurityError("för stort resultat av *")
        return self.checked(super().call_binop(context, operator, left, right))

    def guarded(self, name: str, f: Any) -> Any:
        """A filter that is timed, sized and checked for huge numbers and format widths."""
        skip = 2 if getattr(f, "jinja_pass_arg", None) is not None else 1  # context, value

        @functools.wraps(f)
        def filter_(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            self.arguments((*args[skip:], *kwargs.values()))
            if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str):
                check_format_width(args[skip - 1])
            if len(args) >= skip:
                check_cost(name, args[skip - 1], args[skip:], kwargs)
            return self.checked(f(*args, **kwargs))

        return filter_


def yaml_scalar(value: object) -> str:
    """A value as a safe YAML flow scalar: JSON strings are valid YAML and escape everything."""
    import json

    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)


def environment(source_of: SourceOf, *, autoescape: bool) -> BudgetedEnvironment:
    """A fresh environment for one render, with every filter guarded."""
    env = BudgetedEnvironment(
        loader=Loader(source_of),
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        newline_sequence="\n",  # a template saved with CRLF still renders LF files
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def bounded_range(*args: int) -> range:  # a plain function: no way back to `env`
        r = range(*args)
        env.spend(len(r))
        return r

    env.finalize = env.written_out  # read when a template is compiled, i.e. later
    env.globals["range"] = bounded_range
    env.globals.pop("lipsum", None)  # lipsum(n) builds n paragraphs without a bound
    env.filters["yaml"] = yaml_scalar
    env.filters = {name: env.guarded(name, f) for name, f in env.filters.items()}
    return env
