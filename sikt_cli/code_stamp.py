"""What the cache key must change with besides the version: the tool's code and its parsers.

An editable install after a `git pull`, or an upgrade of PyYAML or markdown-it-py, keeps
sikt's version number but can change every result; both are stamped here cheaply.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def source_stamp(package: Path) -> str:
    """Name, size and mtime of every .py file of the tool: an editable install after a
    `git pull`, or a reinstall from git, keeps the version number but changes the code."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                try:
                    st = os.stat(os.path.join(folder, name))  # noqa: PTH116, PTH118 - cheap
                except OSError:
                    continue
                rel = os.path.relpath(os.path.join(folder, name), package)  # noqa: PTH118
                h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:16]


def content_stamp(package: Path, modules: tuple[str, ...]) -> str:
    """The content of a few named source files of the tool (paths relative to `package`):
    for a cache that depends on those modules only, so that an edit elsewhere (a message in
    the CLI) keeps it. Content, not mtime: a reinstall that rewrites them unchanged keeps it."""
    h = hashlib.sha256()
    for rel in modules:
        try:
            data = (package / rel).read_bytes()
        except OSError:
            data = b"\0missing"
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]


# the parsers whose behaviour is part of every cached result
PARSERS = ("yaml", "markdown_it")


def code_stamp() -> str:
    """The tool's own source and the parsers it uses, as one stamp for the cache key."""
    return source_stamp(Path(__file__).parent) + ":" + dependency_stamp(PARSERS)


def dependency_stamp(modules: tuple[str, ...]) -> str:
    """Where each module is installed, its entry file's size and mtime, and the dist-info
    names (versions) beside it: an upgrade of a parser changes it; nothing is imported."""
    import importlib.util

    h = hashlib.sha256()
    for name in modules:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if not origin:
            h.update(f"{name}\0-\0".encode())
            continue
        package = Path(origin).parent
        try:
            st = Path(origin).stat()
            infos = sorted(
                e.name for e in os.scandir(package.parent) if e.name.endswith(".dist-info")
            )
        except OSError:
            st, infos = None, []
        stamp = f"{st.st_size}:{st.st_mtime_ns}" if st is not None else "-"
        h.update(f"{name}\0{origin}\0{stamp}\0{'|'.join(infos)}\0".encode())
    return h.hexdigest()[:16]
