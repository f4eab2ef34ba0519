"""Templates: a sandboxed Jinja2 environment, package defaults overridden by the repo's mallar/.

Templates arrive in pull requests, so they are untrusted code: the immutable sandbox
blocks attribute walks to Python internals, StrictUndefined turns typos into errors,
every loop, `range`, operator, call and filter is budgeted (iterations, value size, output
size, format widths, wall-clock time, and an address-space cap as the backstop) so a template
cannot loop or allocate without bound, and only regular files with plain names are loaded
(no symlinks, no `..`). Data is shaped in Python before rendering; templates only format.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sikt_cli.errors import Refused

REPO_DIR = "mallar"
MAX_OUTPUT = 1_000_000  # characters; a kallelse or protokoll is a few KB
MAX_ITERATIONS = 100_000  # total items all loops and `range()` calls of one render may use
MAX_SECONDS = 2.0  # wall-clock time one render may take; real templates need milliseconds
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)+$")


class TemplateError(Refused):
    """A template could not be loaded or rendered; the message names file and line."""


class TemplateMissing(TemplateError):
    """No template by that name (or the name is not a plain template name)."""


@dataclass(frozen=True, slots=True)
class TemplateSource:
    name: str
    path: Path | None  # None: inside the installed package
    origin: str  # "arkivet" or "standard"
    text: str


def _package_dir() -> Any:
    return resources.files("sikt_cli") / "mallar"


def package_names() -> list[str]:
    return sorted(p.name for p in _package_dir().iterdir() if _NAME.match(p.name))


def find(name: str, root: Path | None) -> TemplateSource:
    """The template in effect: the repo's mallar/NAME if present, else the package default."""
    if not _NAME.match(name):
        raise TemplateMissing(
            f"Ogiltigt mallnamn '{name}'.",
            "Mallar har enkla namn som 'kallelse.md.j2', utan kataloger.",
        )
    if root is not None:
        folder = root / REPO_DIR
        path = folder / name
        if folder.is_symlink():
            raise TemplateError(
                f"Katalogen {REPO_DIR}/ är en symbolisk länk; mallar läses inte genom länkar "
                "av säkerhetsskäl.",
                f"Gör {REPO_DIR}/ till en vanlig katalog i arkivet.",
            )
        if path.is_symlink():
            raise TemplateError(
                f"Mallen {REPO_DIR}/{name} är en symbolisk länk; sådana läses inte av "
                "säkerhetsskäl.",
                f"Ersätt länken med en vanlig fil i {REPO_DIR}/.",
            )
        if path.exists():
            return TemplateSource(name, path, "arkivet", _read_regular(path, name))
    res = _package_dir() / name
    if not res.is_file():
        raise TemplateMissing(
            f"Mallen '{name}' finns inte.", "Se 'sikt mallar' för mallarna som finns."
        )
    return TemplateSource(name, None, "standard", res.read_text(encoding="utf-8"))


def _read_regular(path: Path, name: str) -> str:
    """The text of a regular file, opened without following a link (no swap after the check)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise TemplateError(
            f"Mallen {REPO_DIR}/{name} kan inte läsas: {exc.strerror or exc}.",
            f"Mallar i {REPO_DIR}/ ska vara vanliga filer.",
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise TemplateError(
            f"{REPO_DIR}/{name} är inte en vanlig fil.",
            f"Mallar i {REPO_DIR}/ ska vara vanliga filer.",
        )
    with os.fdopen(fd, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"Mallen {REPO_DIR}/{name} kan inte läsas som UTF-8: {exc}.", "Spara mallen som UTF-8."
        ) from exc


def in_effect(root: Path | None) -> list[TemplateSource]:
    """Every template the tool uses, and where the one in effect comes from."""
    return [find(n, root) for n in package_names()]


def _weight(value: object) -> int:
    """Roughly how much text a value stands for: a list counts the strings it holds."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return max(len(value), sum(len(v) for v in value if isinstance(v, (str, list, tuple))))
    return 1


_WIDE = re.compile(r"%[-#0 +]*\d{7,}|\{[^{}]*:[^{}]*\d{7,}")


FORMAT_METHODS = ("format", "format_map")


def _format_width(fmt: str) -> None:
    """Refuse a format string whose field width alone would build megabytes of padding."""
    from jinja2.exceptions import SecurityError

    if _WIDE.search(fmt):
        raise SecurityError("för bred formatering")


@contextlib.contextmanager
def _memory_cap(headroom: int = 512 * 1024 * 1024) -> Iterator[None]:
    """While rendering, cap the address space so one huge allocation fails fast.

    The checks in the environment bound loops and value sizes; this is the backstop for
    any single operation they miss (e.g. a join or replace that multiplies sizes). Linux only;
    elsewhere it does nothing. The previous limit is always restored.
    """
    try:
        import resource

        with Path("/proc/self/statm").open() as f:
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


def _environment(root: Path | None, autoescape: bool) -> Any:
    from jinja2 import BaseLoader, StrictUndefined, nodes
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.exceptions import SecurityError, TemplateNotFound
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Loader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            try:
                src = find(template, root)
            except TemplateMissing as exc:  # other problems (a link …) keep their message
                raise TemplateNotFound(template) from exc
            return src.text, _label(src), lambda: True

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

    class Env(ImmutableSandboxedEnvironment):
        code_generator_class = BudgetedLoops
        intercepted_binops = frozenset(["*", "**", "+", "%"])
        budget = MAX_ITERATIONS
        written = 0
        deadline = time.monotonic() + MAX_SECONDS  # per render: the class is built per call

        def tick(self) -> None:
            if time.monotonic() > self.deadline:
                raise SecurityError(f"mallen tar för lång tid, mer än {MAX_SECONDS:g} sekunder")

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
            self.written += _weight(value)
            if self.written > MAX_OUTPUT:
                raise SecurityError("mallen ger för mycket text")
            return value

        def checked(self, result: Any) -> Any:
            if _weight(result) > MAX_OUTPUT:
                raise SecurityError("för stort värde i mallen")
            return result

        def arguments(self, values: Any) -> None:
            for a in values:
                if isinstance(a, int) and abs(a) > MAX_OUTPUT:
                    raise SecurityError(f"för stort tal ({a})")

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            __self.tick()
            __self.arguments((*args, *kwargs.values()))
            return __self.checked(super().call(__context, __obj, *args, **kwargs))

        def wrap_str_format(self, value: Any) -> Any:
            owner = getattr(value, "__self__", None)  # "{:>999999999}".format(x)
            if isinstance(owner, str) and getattr(value, "__name__", "") in FORMAT_METHODS:
                _format_width(owner)
            return super().wrap_str_format(value)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            self.tick()
            if operator == "**":
                raise SecurityError("potensoperatorn ** är inte tillåten i mallar")
            if operator == "%" and isinstance(left, str):  # "%999999999d" % x
                _format_width(left)
                if "*" in left:  # "%*d" % (999999999, x): the width is an argument
                    self.arguments(right if isinstance(right, tuple) else (right,))
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                        if _weight(seq) * n > MAX_OUTPUT:
                            raise SecurityError("för stort resultat av *")
            return self.checked(super().call_binop(context, operator, left, right))

    env = Env(
        loader=Loader(),
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def bounded_range(*args: int) -> range:
        r = range(*args)
        env.spend(len(r))
        return r

    def guarded(name: str, f: Any) -> Any:
        skip = 2 if getattr(f, "jinja_pass_arg", None) is not None else 1  # context, value

        @functools.wraps(f)
        def filter_(*args: Any, **kwargs: Any) -> Any:
            env.tick()
            env.arguments((*args[skip:], *kwargs.values()))
            if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str):
                _format_width(args[skip - 1])
            return env.checked(f(*args, **kwargs))

        return filter_

    env.finalize = env.written_out  # read when a template is compiled, i.e. later
    env.globals["range"] = bounded_range
    env.globals.pop("lipsum", None)  # lipsum(n) builds n paragraphs without a bound
    env.filters["yaml"] = _yaml_scalar
    env.filters = {name: guarded(name, f) for name, f in env.filters.items()}
    return env


def _yaml_scalar(value: object) -> str:
    """A value as a safe YAML flow scalar: JSON strings are valid YAML and escape everything."""
    import json

    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)


def render(name: str, context: dict[str, Any], root: Path | None) -> str:
    """Render a template; every failure becomes a TemplateError naming the template file:line."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateNotFound

    env = _environment(root, autoescape=name.endswith((".html.j2", ".html")))
    label = name
    try:
        src = find(name, root)
        label = _label(src)
        parts: list[str] = []
        size = 0
        with _memory_cap():
            template = env.get_template(name)
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > 2 * MAX_OUTPUT:  # `{{ }}` output is counted on its line, text here
                    raise SecurityError("mallen ger för mycket text")
                parts.append(chunk)
        return "".join(parts)
    except TemplateSyntaxError as exc:
        where = exc.filename or label
        raise TemplateError(
            f"{where}:{exc.lineno}: syntaxfel i mallen: {exc.message}.",
            "Rätta mallen; se Jinja2:s syntax för {{ }} och {% %}.",
        ) from exc
    except TemplateNotFound as exc:
        raise TemplateError(
            f"{_where(exc, label)}: mallen '{exc.name}' finns inte.",
            "Se 'sikt mallar' för mallarna som finns.",
        ) from exc
    except SecurityError as exc:
        raise TemplateError(
            f"{_where(exc, label)}: mallen försöker något som inte är tillåtet "
            f"({_swedish(str(exc))}).",
            "Mallar får bara formatera de värden de får: de kan inte nå "
            "Python-objektens inre och har gränser för loopar, storlek och "
            "tid.",
        ) from exc
    except MemoryError as exc:
        raise TemplateError(
            f"{_where(exc, label)}: mallen försöker använda för mycket minne.",
            "Mallar har gränser för loopar, storlek och tid.",
        ) from exc
    except UndefinedError as exc:
        raise TemplateError(
            f"{_where(exc, label)}: okänt värde i mallen ({_swedish(exc.message or '')}).",
            "Kontrollera stavningen; 'sikt mallar' listar mallarna.",
        ) from exc
    except RecursionError as exc:
        raise TemplateError(
            f"{_where(exc, label)}: mallen anropar sig själv för djupt.",
            "Mallar har gränser för loopar, storlek och tid.",
        ) from exc
    except TemplateError:
        raise
    except Exception as exc:  # any other runtime error inside untrusted template code
        raise TemplateError(
            f"{_where(exc, label)}: fel när mallen kördes: {type(exc).__name__}: {exc}.",
            "Rätta mallen på den raden.",
        ) from exc


_JINJA_MESSAGES = (
    (
        re.compile(r"access to attribute '(.*)' of '(.*)' object is unsafe\.?"),
        r"attributet '\1' hos ett \2-värde får inte användas",
    ),
    (re.compile(r"(.*) is not safely callable"), r"\1 får inte anropas"),
    (re.compile(r"'(.*)' is undefined"), r"'\1' finns inte"),
    (re.compile(r"'(.*)' has no attribute '(.*)'"), r"\1 har inget attribut '\2'"),
)


def _swedish(message: str) -> str:
    """Jinja2's common sandbox and undefined messages in Swedish; others unchanged."""
    for pattern, swedish in _JINJA_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(swedish, message)
    return message


def _label(src: TemplateSource) -> str:
    """How diagnostics name a template: its path in the archive, or "NAME (standard)"."""
    return f"{REPO_DIR}/{src.name}" if src.path else f"{src.name} (standard)"


def _where(exc: BaseException, label: str) -> str:
    """FILE:LINE of the innermost template frame in the traceback (an included template
    names itself); Jinja2 rewrites tracebacks to point into the templates."""
    tb = exc.__traceback__
    where = label
    while tb is not None:
        file = tb.tb_frame.f_code.co_filename
        if file.startswith(f"{REPO_DIR}/") or file.endswith(" (standard)"):
            where = f"{file}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
