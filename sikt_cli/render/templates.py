"""Templates: a sandboxed Jinja2 environment, package defaults overridden by the repo's mallar/.

Templates arrive in pull requests, so they are untrusted code: they render in the budgeted
sandbox of `render/sandbox.py`, StrictUndefined turns typos into errors, and only regular
files with plain names are loaded (no symlinks, no `..`). Data is shaped in Python before
rendering (`render/contexts.py`); templates only format.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sikt_cli.errors import Refused
from sikt_cli.os_errors import reason

REPO_DIR = "mallar"
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
            f"Mallen {REPO_DIR}/{name} kan inte läsas: {reason(exc)}.",
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


def render(name: str, context: dict[str, Any], root: Path | None) -> str:
    """Render a template; every failure becomes a TemplateError naming the template file:line."""
    from jinja2.exceptions import SecurityError, TemplateNotFound

    from sikt_cli.render import sandbox

    def source_of(template: str) -> tuple[str, str]:
        try:
            src = find(template, root)
        except TemplateMissing as exc:  # other problems (a link …) keep their message
            raise TemplateNotFound(template) from exc
        return src.text, _label(src)

    env = sandbox.environment(source_of, autoescape=name.endswith((".html.j2", ".html")))
    label = name
    try:
        label = _label(find(name, root))
        parts: list[str] = []
        size = 0
        with sandbox.memory_cap():
            for chunk in env.get_template(name).generate(**context):
                size += len(chunk)
                if size > 2 * sandbox.MAX_OUTPUT:  # `{{ }}` output is counted on its line
                    raise SecurityError("mallen ger för mycket text")
                parts.append(chunk)
        return "".join(parts)
    except TemplateError:
        raise
    except Exception as exc:  # any error inside untrusted template code
        raise _template_error(exc, label) from exc


_LIMITS = "Mallar har gränser för loopar, storlek och tid."


def _template_error(exc: Exception, label: str) -> TemplateError:
    """A Swedish TemplateError for what Jinja2 (or the sandbox's budgets) raised."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateNotFound

    where = _where(exc, label)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(
            f"{exc.filename or label}:{exc.lineno}: syntaxfel i mallen: {exc.message}.",
            "Rätta mallen; se Jinja2:s syntax för {{ }} och {% %}.",
        )
    if isinstance(exc, TemplateNotFound):
        return TemplateError(
            f"{where}: mallen '{exc.name}' finns inte.", "Se 'sikt mallar' för mallarna som finns."
        )
    if isinstance(exc, SecurityError):
        return TemplateError(
            f"{where}: mallen försöker något som inte är tillåtet ({_swedish(str(exc))}).",
            "Mallar får bara formatera de värden de får: de kan inte nå Python-objektens inre "
            "och har gränser för loopar, storlek och tid.",
        )
    if isinstance(exc, MemoryError):
        return TemplateError(f"{where}: mallen försöker använda för mycket minne.", _LIMITS)
    if isinstance(exc, UndefinedError):
        return TemplateError(
            f"{where}: okänt värde i mallen ({_swedish(exc.message or '')}).",
            "Kontrollera stavningen; 'sikt mallar' listar mallarna.",
        )
    if isinstance(exc, RecursionError):
        return TemplateError(f"{where}: mallen anropar sig själv för djupt.", _LIMITS)
    return TemplateError(
        f"{where}: fel när mallen kördes: {type(exc).__name__}: {exc}.",
        "Rätta mallen på den raden.",
    )


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
