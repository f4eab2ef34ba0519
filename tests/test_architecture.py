"""The package's layering, enforced by reading `sikt_cli/` with `ast` (never importing it).

Each checker is a pure function from a package directory to a list of violations, so the
tests at the bottom can run it on small fake packages and show that it does fail.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "sikt_cli"

LEAVES = (
    "errors",
    "diagnostics",
    "codes",
    "text",
    "safe_text",
    "dates",
    "files",
    "git",
    "cache",
    "pickling",
    "cache_key",
    "work_sharing",
    "code_stamp",
    "transaction",
    "collation",
    "os_errors",
    "platform_names",
    "__init__",
)
# Rank = position: a layer may import lower ranks and itself; leaves may import each other.
LAYERS = (LEAVES, ("archive",), ("records",), ("rules", "render"), ("importers", "mail"))
RANKS = {
    name: rank for rank, names in enumerate((*LAYERS, ("services",), ("cli",))) for name in names
}
UI_IMPORTS = ("typer", "click", "rich.console")
UI_CALLS = ("print", "input", "exit", "sys.exit")
POSIX_ONLY = frozenset({"fcntl", "resource", "termios", "pwd", "grp"})
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# "module:qualname" -> why a declarative table may be long. None today; keep it short.
ALLOWED_LONG: dict[str, str] = {}


def _modules(pkg: Path) -> dict[str, Path]:
    """Dotted module name -> file; a package's `__init__.py` is the package itself."""
    found: dict[str, Path] = {}
    for path in sorted(pkg.rglob("*.py")):
        parts = (pkg.name, *path.relative_to(pkg).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _parsed(pkg: Path) -> Iterator[tuple[str, Path, ast.Module]]:
    for mod, path in _modules(pkg).items():
        yield mod, path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, bool]]:
    """Every node, with whether it sits inside a function (runs later, not at import)."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, in_func = stack.pop()
        yield node, in_func
        inner = in_func or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def _raw_names(node: ast.Import | ast.ImportFrom, mod: str, is_pkg: bool) -> list[str]:
    """Absolute dotted names an import statement names: `from a import b` gives `a.b`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        here = mod.split(".") if is_pkg else mod.split(".")[:-1]
        here = here[: len(here) - node.level + 1]
        base = ".".join([*here, *([node.module] if node.module else [])])
    return [f"{base}.{alias.name}" for alias in node.names]


def _imports(pkg: Path) -> Iterator[tuple[str, int, str, bool]]:
    """(importer, line, imported dotted name, inside a function) for every import anywhere,
    `if TYPE_CHECKING:` blocks included."""
    for mod, path, tree in _parsed(pkg):
        for node, in_func in _walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _raw_names(node, mod, path.name == "__init__.py"):
                    yield mod, node.lineno, name, in_func


def _resolve(name: str, modules: Mapping[str, Path]) -> str | None:
    """The longest prefix of `name` that is a module of the package, if any."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if (candidate := ".".join(parts[:end])) in modules:
            return candidate
    return None


def import_graph(pkg: Path) -> dict[str, dict[str, int]]:
    """importer -> {imported package module: first line}, self-imports left out."""
    modules = _modules(pkg)
    graph: dict[str, dict[str, int]] = {mod: {} for mod in modules}
    for mod, line, name, _ in _imports(pkg):
        target = _resolve(name, modules)
        if target is not None and target != mod:
            graph[mod].setdefault(target, line)
    return graph


def check_cycles(pkg: Path) -> list[str]:
    graph = import_graph(pkg)
    state: dict[str, str] = {}
    stack: list[str] = []
    cycles: set[str] = set()

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.add(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return sorted(f"import cycle: {cycle}" for cycle in cycles)


def layer(mod: str) -> str:
    """`sikt_cli.rules.agenda` -> `rules`; the root package is `__init__`; `__main__` is cli."""
    parts = mod.split(".")
    name = parts[1] if len(parts) > 1 else "__init__"
    return "cli" if name == "__main__" else name


def check_layers(pkg: Path) -> list[str]:
    found: list[str] = []
    for mod, targets in import_graph(pkg).items():
        here = layer(mod)
        if here not in RANKS:
            found.append(f"{mod}: layer {here!r} has no rank in RANKS")
            continue
        for target, line in sorted(targets.items()):
            there = layer(target)
            rank, other = RANKS[here], RANKS.get(there, 99)
            if rank > other or here == there or rank == other == 0:
                continue
            found.append(
                f"{mod}:{line} imports {target}: layer {here} (rank {rank}) "
                f"may not import layer {there} (rank {other})"
            )
    return found


def check_ui_outside_cli(pkg: Path) -> list[str]:
    """typer, click, rich.console, print(), input() and sys.exit() belong to the cli."""
    found = [
        f"{mod}:{line} imports {name} outside the cli"
        for mod, line, name, _ in _imports(pkg)
        if layer(mod) != "cli" and any(name == u or name.startswith(f"{u}.") for u in UI_IMPORTS)
    ]
    for mod, _, tree in _parsed(pkg):
        for node, _ in _walk(tree):
            if isinstance(node, ast.Call) and layer(mod) != "cli":
                if (name := ast.unparse(node.func)) in UI_CALLS:
                    found.append(f"{mod}:{node.lineno} calls {name}() outside the cli")
    return sorted(found)


def check_module_lengths(pkg: Path, limit: int = MAX_MODULE_LINES) -> list[str]:
    found: list[str] = []
    for mod, path in _modules(pkg).items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{mod}: {lines} lines (max {limit})")
    return found


def _functions(
    node: ast.AST, prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + child.name, child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def check_function_lengths(
    pkg: Path, allowed: Mapping[str, str] = ALLOWED_LONG, limit: int = MAX_FUNCTION_LINES
) -> list[str]:
    """Functions over `limit` lines, and `allowed` entries that are no longer long ones."""
    found: list[str] = []
    used: set[str] = set()
    for mod, _, tree in _parsed(pkg):
        for qualname, func in _functions(tree):
            lines = (func.end_lineno or func.lineno) - func.lineno + 1
            if lines > limit and f"{mod}:{qualname}" in allowed:
                used.add(f"{mod}:{qualname}")
            elif lines > limit:
                found.append(f"{mod}:{func.lineno} {qualname}: {lines} lines (max {limit})")
    return found + [f"{key}: allowed to be long but is not" for key in allowed if key not in used]


def check_posix_imports(pkg: Path) -> list[str]:
    """POSIX-only modules may be imported only inside a function (guarded for Windows)."""
    return [
        f"{mod}:{line} imports POSIX-only {name} at module level"
        for mod, line, name, in_func in _imports(pkg)
        if not in_func and name.split(".")[0] in POSIX_ONLY
    ]


# The real package.


def test_the_checkers_see_the_real_package() -> None:
    graph = import_graph(PKG)
    assert len(graph) > 30 and "sikt_cli.cli.app" in graph["sikt_cli.__main__"]


@pytest.mark.parametrize(
    "check",
    [
        check_cycles,
        check_layers,
        check_ui_outside_cli,
        check_module_lengths,
        check_function_lengths,
        check_posix_imports,
    ],
    ids=lambda check: check.__name__,
)
def test_real_package(check: Callable[[Path], list[str]]) -> None:
    found = check(PKG)
    assert not found, "\n".join(found)


# The checkers, on fake packages: `--- path` starts each file of a fake `sikt_cli/`.


def _fake(tmp_path: Path, spec: str) -> Path:
    pkg = tmp_path / "sikt_cli"
    for chunk in ("--- __init__.py\n" + spec).split("--- ")[1:]:
        name, _, text = chunk.partition("\n")
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text, encoding="utf-8")
    return pkg


UPWARD_AND_SIDEWAYS = """\
--- archive/__init__.py
def f() -> None:
    from sikt_cli.services import go
--- services/__init__.py
--- rules/x.py
if TYPE_CHECKING:
    from sikt_cli.render import contexts
--- render/contexts.py
from ..rules import x
--- extra.py
"""
LAYERED = """\
--- errors.py
from sikt_cli import codes
--- codes.py
--- archive/load.py
from sikt_cli.errors import E
--- rules/a.py
from . import b
from sikt_cli.archive import load
--- rules/b.py
--- cli/app.py
from sikt_cli.rules import a
--- __main__.py
from sikt_cli.cli.app import main
"""
UI = """\
import sys
from rich import console
def f() -> None:
    import typer.core
    print(1); input(); sys.exit(1)
"""
UI_OUTSIDE = f"--- render/x.py\n{UI}--- text.py\nfrom rich.console import Console\n"
UI_INSIDE = f"--- cli/x.py\n{UI}--- __main__.py\n{UI}--- render/y.py\nfrom rich.text import Text\n"
CYCLE_FOUND = (
    "import cycle: sikt_cli.render.contexts -> sikt_cli.rules.x -> sikt_cli.render.contexts"
)
LAYERS_FOUND = [
    "sikt_cli.archive:2 imports sikt_cli.services: layer archive (rank 1) "
    "may not import layer services (rank 5)",
    "sikt_cli.extra: layer 'extra' has no rank in RANKS",
    "sikt_cli.render.contexts:1 imports sikt_cli.rules.x: layer render (rank 3) "
    "may not import layer rules (rank 3)",
    "sikt_cli.rules.x:2 imports sikt_cli.render.contexts: layer rules (rank 3) "
    "may not import layer render (rank 3)",
]
UI_FOUND = [
    "sikt_cli.render.x:2 imports rich.console outside the cli",
    "sikt_cli.render.x:4 imports typer.core outside the cli",
    "sikt_cli.render.x:5 calls input() outside the cli",
    "sikt_cli.render.x:5 calls print() outside the cli",
    "sikt_cli.render.x:5 calls sys.exit() outside the cli",
    "sikt_cli.text:1 imports rich.console.Console outside the cli",
]
CLASS = "--- text.py\nclass C:\n    def m(self):\n"
LONG_FUNC, SHORT_FUNC = CLASS + "        x = 1\n" * 60, CLASS + "        x = 1\n" * 59
LONG_MODULE, SHORT_MODULE = "--- text.py\n" + "x = 1\n" * 401, "--- text.py\n" + "x = 1\n" * 400
POSIX_TOP = "--- files.py\nimport os\nfrom fcntl import flock\n"
POSIX_LAZY = "--- files.py\ndef f() -> None:\n    import fcntl\n"


def _case_id(value: object) -> str:
    """`check_layers-tree-fails` / `check_layers-tree-passes` instead of a fake tree's text."""
    if callable(value):
        return str(getattr(value, "__name__", value))
    return "tree" if isinstance(value, str) else ("fails" if value else "passes")


@pytest.mark.parametrize(
    ("check", "spec", "expected"),
    [
        (check_cycles, UPWARD_AND_SIDEWAYS, [CYCLE_FOUND]),
        (check_cycles, LAYERED, []),
        (check_layers, UPWARD_AND_SIDEWAYS, LAYERS_FOUND),
        (check_layers, LAYERED, []),
        (check_ui_outside_cli, UI_OUTSIDE, UI_FOUND),
        (check_ui_outside_cli, UI_INSIDE, []),
        (check_module_lengths, LONG_MODULE, ["sikt_cli.text: 401 lines (max 400)"]),
        (check_module_lengths, SHORT_MODULE, []),
        (check_function_lengths, LONG_FUNC, ["sikt_cli.text:2 C.m: 61 lines (max 60)"]),
        (check_function_lengths, SHORT_FUNC, []),
        (
            check_posix_imports,
            POSIX_TOP,
            ["sikt_cli.files:2 imports POSIX-only fcntl.flock at module level"],
        ),
        (check_posix_imports, POSIX_LAZY, []),
    ],
    ids=_case_id,
)
def test_checker_on_fake_package(
    tmp_path: Path, check: Callable[[Path], list[str]], spec: str, expected: list[str]
) -> None:
    assert sorted(check(_fake(tmp_path, spec))) == expected


def test_allowed_long_exempts_listed_functions_and_goes_stale(tmp_path: Path) -> None:
    pkg = _fake(tmp_path, LONG_FUNC)
    assert check_function_lengths(pkg, allowed={"sikt_cli.text:C.m": "a table"}) == []
    stale = check_function_lengths(_fake(tmp_path / "short", SHORT_FUNC), allowed={"x:f": ""})
    assert stale == ["x:f: allowed to be long but is not"]
