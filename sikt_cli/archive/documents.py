"""Files and bytes → documents: decoded source, frontmatter, YAML tree, converted values.

The one pipeline every reader of a protokoll's bytes uses: the archive loader, the lock
check on bytes from git, the editors of `justera`/`ny`/`kallelse`, the minutes mail and
`protokoll visa`. Each step's failure is a diagnostic, never an exception, except in
`minutes_document`, which is for commands that must stop when the file cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.archive.formats import PROTOKOLL
from sikt_cli.archive.source import (
    Frontmatter,
    Source,
    decode,
    read_regular,
    read_source,
    read_source_stamped,
    split_frontmatter,
)
from sikt_cli.archive.spec import Converter, Document
from sikt_cli.archive.yaml_tree import YNode, parse_yaml
from sikt_cli.cache import Stat
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.errors import Refused


@dataclass(slots=True)
class Loaded:
    """What loading a file gave: its source and root node when they could be read."""

    rel: str
    source: Source | None = None
    node: YNode | None = None
    frontmatter: Frontmatter | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    doc: Document | None = None  # a protokoll's frontmatter values, when its YAML was read
    yaml_problems: list[Diagnostic] = field(default_factory=list)  # from composing the YAML
    read: tuple[Stat, str] | None = None  # load_markdown_file(stamp=True): stamp, digest


def load_yaml_file(path: Path, rel: str) -> Loaded:
    """Load a whole-file YAML data file (medlemmar.yaml, mal.yaml)."""
    src, diags = read_source(path, rel)
    loaded = Loaded(rel=rel, source=src, diagnostics=diags)
    if src is None:
        return loaded
    if not src.text.strip():
        loaded.diagnostics.append(diag("SIKT103", rel, 1, 1, "Filen är tom."))
        return loaded
    loaded.node, more = parse_yaml(src.text, rel, 1)
    loaded.diagnostics.extend(more)
    return loaded


def load_markdown_file(path: Path, rel: str, *, stamp: bool = False) -> Loaded:
    """Load a protokoll file: frontmatter tree and values, body with its file line offset.

    With `stamp`, `Loaded.read` is the file's stamp from before it was read and the digest
    of the bytes parsed (for cache.Cache.fingerprint_read)."""
    if not stamp:
        src, diags = read_source(path, rel)
        return _markdown(Loaded(rel=rel, source=src, diagnostics=diags))
    src, diags, read = read_source_stamped(path, rel)
    loaded = _markdown(Loaded(rel=rel, source=src, diagnostics=diags))
    loaded.read = read
    return loaded


def parse_markdown(data: bytes, rel: str) -> Loaded:
    """The same for a protokoll's bytes (from git, or read before an edit)."""
    src, diags = decode(data, rel)
    return _markdown(Loaded(rel=rel, source=src, diagnostics=diags))


def _markdown(loaded: Loaded) -> Loaded:
    if loaded.source is None:
        return loaded
    fm, more = split_frontmatter(loaded.source)
    loaded.diagnostics.extend(more)
    if fm is None:
        return loaded
    loaded.frontmatter = fm
    loaded.node, more = parse_yaml(fm.yaml_text, loaded.rel, fm.yaml_first_line)
    loaded.diagnostics.extend(more)
    loaded.yaml_problems = more
    if yaml_read(loaded):
        conv = Converter(loaded.rel)
        loaded.doc = conv.document(loaded.node, PROTOKOLL, "Frontmatter")
        loaded.diagnostics.extend(conv.diagnostics)
    return loaded


def yaml_read(loaded: Loaded) -> bool:
    """True when the file's YAML could be composed (an empty document counts).

    When reading or parsing failed, that diagnostic says it all: converting the missing
    tree would only add "required key missing" for every key.
    """
    return loaded.source is not None and (loaded.node is not None or not loaded.diagnostics)


def minutes_bytes(path: Path) -> bytes:
    """The bytes of a protokoll a command is about to edit, read as the loader reads: a
    regular file of at most 1 MiB, never through a link; a Refused saying why not."""
    data, problems = read_regular(path, path.name)
    if data is None:
        raise Refused(f"{path} kan inte läsas: {problems[0].message}", problems[0].hint)
    return data


def minutes_document(data: bytes, path: Path) -> tuple[Loaded, Document]:
    """A protokoll that a command is about to edit or show: its parts, or a SiktError
    naming the first problem that stops it (unreadable bytes, no frontmatter, bad YAML)."""
    loaded = parse_markdown(data, path.name)
    first = loaded.diagnostics[0] if loaded.diagnostics else None
    if loaded.source is None and first is not None:
        raise Refused(f"{path} kan inte läsas: {first.message}", first.hint)
    if loaded.frontmatter is None and first is not None:
        raise Refused(f"{path}: {first.message}", first.hint)
    if loaded.yaml_problems:
        bad = loaded.yaml_problems[0]
        raise Refused(
            f"{path}:{bad.line}: {bad.message}",
            "Rätta felet (se 'sikt validera') och försök igen.",
        )
    if loaded.doc is None:  # e.g. an empty frontmatter beside a warning: convert it anyway
        loaded.doc = Converter(path.name).document(loaded.node, PROTOKOLL, "Frontmatter")
    return loaded, loaded.doc
