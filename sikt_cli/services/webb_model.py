"""The model `sikt webb` builds from, and every protokoll's body.

An unchanged archive gets the last build's model from the signed cache. When only a few
protokoll changed (the monthly case: one added or corrected), the last model is kept and
only those files are read again (archive/load.with_file), instead of all of them; when
medlemmar.yaml or mal.yaml changed, a file cannot be read as a plain file, or many
protokoll changed, the archive is loaded whole. The site is built from the model only
(the diagnostics come from `sikt validera`'s own run, services/webb.py).
"""

from __future__ import annotations

from pathlib import Path

from sikt_cli.archive.load import Archive
from sikt_cli.archive.source import Source

Bodies = dict[str, tuple[str, int]]  # rel name → (body text, first line of the body)
ENTRY = "webb-arkiv"  # (fingerprint, digests by rel name, model, bodies) of the last build
MOST_CHANGED = 50  # protokoll read again one by one; more: the whole archive, on every core


def bodies_of(archive: Archive, chosen: list[str]) -> Bodies:
    from sikt_cli.archive.source import read_source

    out: Bodies = {}
    by_rel = {m.rel: m for m in archive.minutes}
    for rel in chosen:
        body = _body(read_source(by_rel[rel].path, rel)[0])
        if body is not None:
            out[rel] = body
    return out


def _body(src: Source | None) -> tuple[str, int] | None:
    """A protokoll's body text and the file line it starts on; None without frontmatter."""
    from sikt_cli.archive.source import split_frontmatter

    fm = split_frontmatter(src)[0] if src is not None else None
    return None if fm is None else (fm.body, fm.body_first_line)


def _whole(root: Path) -> tuple[Archive, Bodies]:
    from sikt_cli.archive.load import load_archive

    archive = load_archive(root)
    return archive, bodies_of(archive, [m.rel for m in archive.minutes])


def _digests(files: list[tuple[str, str]]) -> dict[str, str] | None:
    """Each file's SHA-256 by rel name; None when one is not a plain readable file."""
    import hashlib

    from sikt_cli.cache import SOURCE_LIMIT
    from sikt_cli.cache_key import read_small

    out: dict[str, str] = {}
    for rel, path in files:
        data = read_small(path, SOURCE_LIMIT)
        if data is None:
            return None
        out[rel] = hashlib.sha256(data).hexdigest()
    return out


def _protokoll(rel: str) -> bool:
    """A protokoll the loader reads; any other changed name (a `.MD`, say) loads the whole
    archive, so that the model is always the one a full load gives."""
    from sikt_cli.archive.layout import MINUTES_DIR, is_minutes_name

    folder, _, name = rel.partition("/")
    return folder == MINUTES_DIR and "/" not in name and is_minutes_name(name)


def _updated(
    root: Path, last: tuple[dict[str, str], Archive, Bodies], now: dict[str, str]
) -> tuple[Archive, Bodies] | None:
    """The last model with the changed, added and removed protokoll; None: load it whole."""
    from sikt_cli.archive.layout import MINUTES_DIR
    from sikt_cli.archive.load import with_file
    from sikt_cli.archive.source import decode
    from sikt_cli.cache import SOURCE_LIMIT
    from sikt_cli.cache_key import read_small

    before, archive, old_bodies = last
    if archive.root != root.resolve() or (root / MINUTES_DIR).is_symlink():
        return None
    others = {r: d for r, d in now.items() if not _protokoll(r)}
    if others != {r: d for r, d in before.items() if not _protokoll(r)}:
        return None  # medlemmar.yaml or mal.yaml: every protokoll's model depends on them
    changed = [r for r, d in now.items() if _protokoll(r) and before.get(r) != d]
    removed = {r for r in before if _protokoll(r) and r not in now}
    if len(changed) > MOST_CHANGED:
        return None
    bodies = {r: b for r, b in old_bodies.items() if r not in removed}
    if removed:
        kept = [m for m in archive.minutes if m.rel not in removed]
        archive = Archive(archive.root, archive.roster, archive.goals, kept)
    for rel in changed:
        data = read_small(archive.root / rel, SOURCE_LIMIT)
        if data is None:
            return None
        archive = with_file(archive, archive.root / rel, data)
        body = _body(decode(data, rel)[0])  # from the bytes just read, not read again
        if body is None:
            bodies.pop(rel, None)
        else:
            bodies[rel] = body
    return archive, bodies


def archive_and_bodies(root: Path) -> tuple[Archive, Bodies, dict[str, str]]:
    """The model, every protokoll's body, and each file's SHA-256 by rel name (empty when
    unknown): from the cache, updated, or loaded whole."""
    from sikt_cli.archive.layout import archive_files
    from sikt_cli.cache import Cache

    store = Cache.open(root)
    if store is None:
        return (*_whole(root), {})
    files = archive_files(root)
    key = store.fingerprint(files)
    last = store.get(ENTRY, "")
    if isinstance(last, tuple) and len(last) == 4 and last[0] == key:
        return last[2], last[3], last[1]
    now = _digests(files)
    found = None
    if now is not None and isinstance(last, tuple) and len(last) == 4:
        found = _updated(root, last[1:], now)
    if found is None:
        found = _whole(root)
    store.put(ENTRY, "", (key, now or {}, *found))  # no digests: loaded whole next time too
    return (*found, now or {})
