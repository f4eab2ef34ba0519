"""Templates: a sandboxed Jinja2 environment, package defaults overridden by the repo's mallar/.

Templates arrive in pull requests, so they are untrusted code: the immutable sandbox
blocks attribute walks to Python internals, StrictUndefined turns typos into errors,
`range` and `*` are budgeted so a template cannot loop or allocate without bound, and only
regular files with plain names are loaded (no symlinks, no `..`). Data is shaped in Python
before rendering; templates only format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sikt_cli.archive import SiktError

REPO_DIR = "mallar"
MAX_OUTPUT = 1_000_000  # characters; a kallelse or protokoll is a few KB
MAX_ITERATIONS = 100_000  # total items all `range()` calls of one render may produce
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)+$")


class TemplateError(SiktError):
    """A template could not be loaded or rendered; the message names file and line."""


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
        raise TemplateError(f"Ogiltigt mallnamn '{name}'.",
                            "Mallar har enkla namn som 'kallelse.md.j2', utan kataloger.")
    if root is not None:
        path = root / REPO_DIR / name
        if path.is_symlink():
            raise TemplateError(
                f"Mallen {REPO_DIR}/{name} är en symbolisk länk; sådana läses inte av "
                "säkerhetsskäl.", f"Ersätt länken med en vanlig fil i {REPO_DIR}/.")
        if path.exists():
            if not path.is_file():
                raise TemplateError(f"{REPO_DIR}/{name} är inte en vanlig fil.")
            try:
                text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateError(f"Mallen {REPO_DIR}/{name} kan inte läsas som UTF-8: {exc}.",
                                    "Spara mallen som UTF-8.") from exc
            return TemplateSource(name, path, "arkivet", text)
    res = _package_dir() / name
    if not res.is_file():
        raise TemplateError(f"Mallen '{name}' finns inte.",
                            "Se 'sikt mallar' för mallarna som finns.")
    return TemplateSource(name, None, "standard", res.read_text(encoding="utf-8"))


def in_effect(root: Path | None) -> list[TemplateSource]:
    """Every template the tool uses, and where the one in effect comes from."""
    return [find(n, root) for n in package_names()]


def _environment(root: Path | None, autoescape: bool) -> Any:
    from jinja2 import BaseLoader, StrictUndefined
    from jinja2.exceptions import SecurityError, TemplateNotFound
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Loader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            try:
                src = find(template, root)
            except TemplateError as exc:
                raise TemplateNotFound(template) from exc
            label = f"{REPO_DIR}/{template}" if src.path else f"(standard) {template}"
            return src.text, label, lambda: True

    class Env(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])
        budget = MAX_ITERATIONS

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                raise SecurityError("potensoperatorn ** är inte tillåten i mallar")
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                    if len(seq) * n > MAX_OUTPUT:
                        raise SecurityError("för stort resultat av *")
            return super().call_binop(context, operator, left, right)

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
        env.budget -= len(r)
        if env.budget < 0:
            raise SecurityError("mallen loopar för många gånger")
        return r

    env.globals["range"] = bounded_range
    env.filters["yaml"] = _yaml_scalar
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
        label = f"{REPO_DIR}/{name}" if src.path else f"{name} (standard)"
        template = env.get_template(name)
        parts: list[str] = []
        size = 0
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError("mallen ger för mycket text")
            parts.append(chunk)
        return "".join(parts)
    except TemplateSyntaxError as exc:
        where = exc.filename or label
        raise TemplateError(f"{where}:{exc.lineno}: syntaxfel i mallen: {exc.message}.",
                            "Rätta mallen; se Jinja2:s syntax för {{ }} och {% %}.") from exc
    except TemplateNotFound as exc:
        raise TemplateError(f"{label}: mallen '{exc.name}' finns inte.",
                            "Se 'sikt mallar' för mallarna som finns.") from exc
    except SecurityError as exc:
        raise TemplateError(f"{label}:{_line(exc)}: mallen försöker något som inte är tillåtet "
                            f"({exc}).",
                            "Mallar får bara formatera de värden de får; de kan inte nå "
                            "Python-objektens inre.") from exc
    except UndefinedError as exc:
        raise TemplateError(f"{label}:{_line(exc)}: okänt värde i mallen ({exc.message}).",
                            "Kontrollera stavningen; 'sikt mallar' listar mallarna.") from exc
    except RecursionError as exc:
        raise TemplateError(f"{label}: mallen anropar sig själv för djupt.") from exc
    except TemplateError:
        raise
    except Exception as exc:  # any other runtime error inside untrusted template code
        raise TemplateError(f"{label}:{_line(exc)}: fel när mallen kördes: "
                            f"{type(exc).__name__}: {exc}.") from exc


def _line(exc: BaseException) -> str:
    """The template line from the traceback Jinja2 rewrites to point into the template."""
    tb = exc.__traceback__
    line = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(("<template>", REPO_DIR, "(standard)")):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line
