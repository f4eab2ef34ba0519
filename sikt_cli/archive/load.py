"""Find the archive root and load everything in it into the model, with load diagnostics."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.archive.body import parse_body
from sikt_cli.archive.build import build_goals, build_minutes, build_roster
from sikt_cli.archive.documents import load_markdown_file, load_yaml_file, yaml_read
from sikt_cli.archive.file_names import case_findings
from sikt_cli.archive.formats import MAL, MEDLEMMAR
from sikt_cli.archive.layout import (
    GOALS_FILE,
    MEMBERS_FILE,
    MINUTES_DIR,
    fast_rel,
    is_minutes_name,
    minutes_files,
)
from sikt_cli.archive.model import Goals, Minutes, Roster
from sikt_cli.archive.source import link_diagnostic
from sikt_cli.archive.spec import Converter, Document
from sikt_cli.archive.yaml_tree import YMap
from sikt_cli.cache import Stat
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic


@dataclass(slots=True)
class Archive:
    root: Path
    roster: Roster
    goals: Goals
    minutes: list[Minutes]  # sorted by file name (= date)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)
    # data files whose YAML could not be read at all: rules that look names up in them
    # stay silent instead of reporting every reference as unknown
    unreadable: set[str] = field(default_factory=set)
    # what `load_archive(note=...)` made of each protokoll's text where it was read
    notes: dict[str, object] = field(default_factory=dict)
    # with `load_archive(check=...)`: its findings on every protokoll, where the pool loaded
    # them (each checked by the process that built it, this one too); None where this
    # process alone loaded them and nothing was checked yet
    checked: list[Diagnostic] | None = None
    # ... and with it, what `check` made of each protokoll for the whole-archive rules
    # (rules.context.Made), where it kept a protokoll as less than the model
    made: dict[str, object] = field(default_factory=dict)
    # with `load_archive(stamp=True)`: each protokoll read, its stamp before it was read and
    # the digest of the bytes parsed (for cache.Cache.fingerprint_read)
    read: dict[str, tuple[Stat, str]] = field(default_factory=dict)

    def minutes_on(self, date: str) -> Minutes | None:
        for m in self.minutes:
            if m.file_date == date:
                return m
        return None


# A look at a protokoll's decoded text, taken where the file is read (in a worker process
# for a large archive), so that a rule needing only the text does not read the file again.
# A module-level function: it is sent to the workers by name.
Note = Callable[[str], object]
# The per-protokoll rules (rules.check_each) over an archive of the one protokoll a worker
# has just built: checked there, the protokoll need not wait for the main process. It
# gives their findings, the protokoll to send back (what later checks read of it) and
# what it made of it for them.
Check = Callable[["Archive"], tuple[list[Diagnostic], Minutes, object]]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while the model is built and checked.

    The model is a few million small objects that live until the command ends, and
    nothing in it is cyclic; each full collection walks all of them again, which at
    10,000 protokoll was a large share of the main process's time (unpickling the
    workers' results allocates as fast as it can). Collection resumes afterwards; when
    the pause made a large model, every object the collector tracks is frozen first
    (`gc.freeze`: the model, and whatever lived before): the first collection would
    otherwise walk all of it once more, 0.6 s of a cold `sikt validera` at 10,000
    protokoll, to find nothing. The model lives until the command ends and is freed by
    reference counting like any acyclic object; a cycle among frozen objects is never
    collected, which a command that ends soon afterwards can afford.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if gc.get_count()[0] > FREEZE_FROM:
                gc.freeze()
            gc.enable()


# Objects made during a pause past which they are frozen: about 800 protokoll (some 250
# objects each). A small archive (a test's) is collected as usual.
FREEZE_FROM = 200_000


def load_archive(
    root: Path,
    *,
    extra_files: list[Path] | None = None,
    note: Note | None = None,
    check: Check | None = None,
    stamp: bool = False,
) -> Archive:
    """Load medlemmar.yaml, mal.yaml and every protokoll; never raises for bad content.

    With `note`, `Archive.notes` holds `note(text)` for every protokoll that was read. With
    `check`, an archive large enough for the worker pool has each protokoll checked by it in
    the process that built it (`Archive.checked`) and keeps the protokoll as `check` returns
    it, with what it made of it (`Archive.made`); in one process nothing is checked
    (`checked` is None) and every protokoll is kept whole.
    With `stamp`, `Archive.read` says what was read of each protokoll."""
    with paused_gc():
        return _load_archive(root.resolve(), extra_files, note, check, stamp)


def _load_archive(
    root: Path, extra_files: list[Path] | None, note: Note | None, check: Check | None, stamp: bool
) -> Archive:
    diags: list[Diagnostic] = []
    sources: dict[str, list[str]] = {}

    loaded = load_yaml_file(root / MEMBERS_FILE, MEMBERS_FILE)
    diags += loaded.diagnostics
    conv = Converter(MEMBERS_FILE)
    members_doc = conv.document(loaded.node, MEDLEMMAR, MEMBERS_FILE)
    if loaded.source is not None:
        sources[MEMBERS_FILE] = loaded.source.lines
    if yaml_read(loaded):
        diags += conv.diagnostics
    unreadable: set[str] = set()
    if not isinstance(loaded.node, YMap):  # unreadable, empty or not a mapping
        unreadable.add(MEMBERS_FILE)
    roster = build_roster(members_doc)

    goals_doc: Document | None = None
    if (root / GOALS_FILE).exists():
        loaded = load_yaml_file(root / GOALS_FILE, GOALS_FILE)
        diags += loaded.diagnostics
        if loaded.source is not None:
            sources[GOALS_FILE] = loaded.source.lines
        conv = Converter(GOALS_FILE)
        doc = conv.document(loaded.node, MAL, GOALS_FILE)
        if yaml_read(loaded):
            diags += conv.diagnostics
        if isinstance(loaded.node, YMap):  # else no goal checks, not every goal unknown
            goals_doc = doc
    else:
        diags.append(
            diag(
                "SIKT114",
                GOALS_FILE,
                0,
                0,
                f"{GOALS_FILE} saknas i arkivet.",
                "Skapa mal.yaml med nätverkets mål (se docs/filformat.md).",
            )
        )
    goals = build_goals(goals_doc)

    diags += linked_entries(root) + case_findings(root)
    paths = [] if (root / MINUTES_DIR).is_symlink() else minutes_files(root)
    if extra_files:
        known = {p.resolve() for p in paths}
        paths += [e for e in extra_files if e.resolve() not in known]
    archive = Archive(root, roster, goals, [], diags, sources, unreadable)
    _load_minutes(archive, paths, _Shared(root, roster, goals, unreadable, note, check, stamp))
    return archive


def _load_minutes(archive: Archive, paths: list[Path], shared: _Shared) -> None:
    """Every protokoll into `archive`, in date order, with its load findings and notes, and
    `check`'s findings where workers ran it."""
    for m, more, seen, read, found, made in _load_many(shared, paths):
        archive.minutes.append(m)
        archive.diagnostics += more
        if seen is not _UNREAD:
            archive.notes[m.rel] = seen
        if read is not None:
            archive.read[m.rel] = read
        if found is not None:  # checked in a worker
            archive.checked = [] if archive.checked is None else archive.checked
            archive.checked += found
            archive.made[m.rel] = made
    archive.minutes.sort(key=lambda m: (m.file_date, m.rel))


TEMPLATES_DIR = "mallar"  # render/templates.py reads the archive's own templates from here


def linked_entries(root: Path) -> list[Diagnostic]:
    """SIKT115 for every symbolic link in protokoll/ and mallar/, or for the folders
    themselves, that no reader reports: a link is an error in every run, not only when a
    command happens to read it. The protokoll (`*.md` at the top) are reported when read.
    """
    out: list[Diagnostic] = []
    for folder in (MINUTES_DIR, TEMPLATES_DIR):
        base = root / folder
        if base.is_symlink():
            out.append(link_diagnostic(f"{folder}/", folder=True))
            continue
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):  # never follows a link
            top = dirpath == str(base)
            for name in sorted(dirnames + filenames):
                full = os.path.join(dirpath, name)  # noqa: PTH118 - os.walk gives str
                if not os.path.islink(full):  # noqa: PTH114
                    continue
                read_later = top and folder == MINUTES_DIR and is_minutes_name(name)
                if not read_later:
                    rel = os.path.relpath(full, root).replace(os.sep, "/")
                    out.append(link_diagnostic(rel, folder=name in dirnames))
    return out


_UNREAD = None  # no note: none asked for, or the file's text could not be read
# a protokoll, its load findings, its note, and with `stamp` what was read (Archive.read)
Loaded1 = tuple[Minutes, list[Diagnostic], object, tuple[Stat, str] | None]
# ... and `check`'s findings on it, None where it was not checked, and what it made of it
Checked1 = tuple[
    Minutes, list[Diagnostic], object, tuple[Stat, str] | None, list[Diagnostic] | None, object
]
# Below this many protokoll one process is faster than starting workers and sending the
# model back (benchmarks/profiler.py --pool measures it; see benchmarks/RESULTS.md).
PARALLEL_FROM = 400


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every protokoll is loaded and checked with: sent to each worker once."""

    root: Path
    roster: Roster
    goals: Goals
    unreadable: set[str]
    note: Note | None
    check: Check | None
    stamp: bool  # see load_archive


def _load_many(shared: _Shared, paths: list[Path]) -> list[Checked1]:
    """Load every protokoll, on all cores when there are enough of them to pay off: this
    process works too (work_sharing), so with two cores one worker is started and about
    half the protokoll are never sent between processes."""
    cores = min(os.cpu_count() or 1, 4)
    if len(paths) < PARALLEL_FROM or cores < 2:
        return [(*_load_one(shared, p), None, None) for p in paths]
    from sikt_cli.work_sharing import map_chunks

    chunk = max(1, min(CHUNK, len(paths) // (cores * 8)))
    return map_chunks(_load_checked, shared, paths, workers=cores - 1, chunk=chunk)


# Files per chunk a process claims, at most: enough that sending it back costs little, few
# enough that the last chunks end soon after each other.
CHUNK = 16


def _load_checked(shared: _Shared, path: Path) -> Checked1:
    """One protokoll loaded, and checked on its own (with the roster and goals)."""
    minutes, diags, seen, read = _load_one(shared, path)
    if shared.check is None:
        return minutes, diags, seen, read, None, None
    notes = {} if seen is _UNREAD else {minutes.rel: seen}
    root, roster, goals = shared.root, shared.roster, shared.goals
    alone = Archive(root, roster, goals, [minutes], [], {}, shared.unreadable, notes)
    found, kept, made = shared.check(alone)
    return kept, diags, seen, read, found, made


def _load_one(shared: _Shared, path: Path) -> Loaded1:
    """One protokoll, and `note` of its text. Its lines are not kept (at 10,000 protokoll
    they would cost more memory than the model); reporters and rules read the few files
    they need."""
    diags: list[Diagnostic] = []
    rel = fast_rel(shared.root, path)
    loaded = load_markdown_file(path, rel, stamp=shared.stamp)
    diags += loaded.diagnostics
    doc, body = Document(rel, {}), None
    if loaded.doc is not None and loaded.frontmatter is not None:
        doc = loaded.doc
        body = parse_body(loaded.frontmatter.body, loaded.frontmatter.body_first_line)
    minutes = build_minutes(rel, path, doc, body)
    _prune_positions(doc)
    note = shared.note
    seen = note(loaded.source.text) if note is not None and loaded.source is not None else _UNREAD
    return minutes, diags, seen, loaded.read


_FILES = ("bilagor",)


def _prune_positions(doc: Document) -> None:
    """Keep only the top-level positions rules look up after the model is built, and each
    attachment's (SIKT119 names the line of the path).

    References already carry their own position (`Ref.pos`); dropping the rest keeps a
    10,000-protokoll archive within memory (each path tuple and Pos costs ~150 bytes).
    """

    doc.value_pos = {p: v for p, v in doc.value_pos.items() if len(p) == 1 or p[:1] == _FILES}
    doc.key_pos = {p: v for p, v in doc.key_pos.items() if len(p) == 1}
    doc.data = {}  # the model holds every value; rules read the model, not the raw data


def with_file(archive: Archive, path: Path, data: bytes) -> Archive:
    """The archive as it would be with `data` as the protokoll at `path` (not written):
    for commands that render what depends on a new file before they write anything."""
    from sikt_cli.archive.documents import parse_markdown
    from sikt_cli.archive.spec import Document

    rel = fast_rel(archive.root, path)
    loaded = parse_markdown(data, rel)
    doc, body = loaded.doc or Document(rel, {}), None
    if loaded.frontmatter is not None:
        body = parse_body(loaded.frontmatter.body, loaded.frontmatter.body_first_line)
    minutes = [m for m in archive.minutes if m.rel != rel]
    minutes.append(build_minutes(rel, path, doc, body))
    minutes.sort(key=lambda m: (m.file_date, m.rel))
    return Archive(
        archive.root,
        archive.roster,
        archive.goals,
        minutes,
        archive.diagnostics,
        archive.sources,
        archive.unreadable,
    )
