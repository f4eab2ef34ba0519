"""The result cache in `.sikt-cache/`: warm runs answer without parsing anything.

Entries are keyed by content hashes (every protokoll, medlemmar.yaml, mal.yaml) and the
tool's version, so any edit invalidates exactly what it should. Files are written
atomically, so two runs racing leave one complete entry. A pull request could commit a
forged cache file, and unpickling it would run code: every entry is therefore signed
with HMAC-SHA256 under a key kept outside the repository (in the user's cache folder),
and an entry that is corrupt, truncated or unsigned is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sikt_cli as sikt
from sikt_cli.cache_key import key_refusal, read_small, secret
from sikt_cli.code_stamp import code_stamp
from sikt_cli.pickling import reduce_by_fields as reduce_by_fields  # re-exported

FOLDER = ".sikt-cache"
_MAGIC = b"SIKT1"


ENTRY_LIMIT = 512 * 1024 * 1024  # the model of a 10,000-protokoll archive is tens of MB
SOURCE_LIMIT = 1024 * 1024  # archive/source.py's MAX_BYTES: a bigger file is never parsed


@functools.cache
def _code_stamp() -> str:
    return code_stamp()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stamp_of(st: os.stat_result) -> Stat:
    """What a file's stat says of its content: changed content changes one of these."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def lstat_stamp(path: str) -> Stat | None:
    """`stamp_of` the file's lstat (a link is never followed); None when it fails."""
    try:
        return stamp_of(os.lstat(path))
    except OSError:
        return None


RACY_NS = 2_000_000_000  # a file changed this close to when its digest was taken is re-read


def fingerprint(
    files: list[tuple[str, str]],
    known: dict[str, tuple[Stat, str]] | None = None,
    taken_ns: int = 0,
    given: Read | None = None,
) -> tuple[str, dict[str, tuple[Stat, str]], int]:
    """One hash of `files` (name, path): every file's name and content.

    `known` maps a file to the stat and content digest seen at `taken_ns` (like git's
    index): a file whose stat is unchanged and older than that moment is not read again.
    `given` maps a file to the stamp and digest of the bytes a computation just read and
    used (`Cache.fingerprint_read`): taken as they are, as the bytes the result was
    computed from. Returns the hash, the map to remember and how many files had to be
    read. Plain strings, no Path objects: a warm run over ten thousand protokoll spends
    its time here.
    """
    known = known or {}
    given = given or {}
    h = hashlib.sha256()
    seen: dict[str, tuple[Stat, str]] = {}
    read = 0
    for rel, path in files:
        used = given.get(rel)
        if used is not None:
            seen[rel] = used
            h.update(f"{rel}\0{used[1]}\0".encode("utf-8", "surrogateescape"))
            read += 1
            continue
        try:
            st = os.lstat(path)  # a link is never followed (archive/source.py refuses it)
            stamp = stamp_of(st)
            old = known.get(rel)
            if old is not None and old[0] == stamp and max(stamp[1], stamp[2]) < taken_ns - RACY_NS:
                file_digest = old[1]
            else:
                file_digest = _file_digest(path, st)
                read += 1
            seen[rel] = (stamp, file_digest)
            h.update(f"{rel}\0{file_digest}\0".encode("utf-8", "surrogateescape"))
        except OSError as exc:  # (a name that is not UTF-8 is kept as its own bytes)
            h.update(f"{rel}\0!{type(exc).__name__}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest(), seen, read


def stat_summary(
    files: list[tuple[str, str]], stamps: list[Stat | None] | None = None
) -> tuple[str, int]:
    """One hash of every file's name and stat (size, mtime_ns, ctime_ns, inode), and the
    newest change time among them: git's index check for the whole archive at once.
    `stamps`: each file's `lstat_stamp`, when the caller has taken them already.

    Equal to the hash stored with a fingerprint, and nothing newer than when it was taken
    less the racy margin: no file changed, and the fingerprint holds without the per-file
    index (a warm run over 10,000 protokoll is 10,000 lstat calls and one hash)."""
    from array import array

    numbers = array("q")
    newest = 0
    for stamp in [lstat_stamp(path) for _, path in files] if stamps is None else stamps:
        if stamp is None:
            numbers.extend((-1, -1, -1, -1))
            continue
        change = stamp[1] if stamp[1] > stamp[2] else stamp[2]
        if change > newest:
            newest = change
        try:
            numbers.extend(stamp)
        except OverflowError:  # an inode past 2**63: no summary, the per-file path decides
            return "", 1 << 62
    h = hashlib.sha256("\0".join(rel for rel, _ in files).encode("utf-8", "surrogateescape"))
    h.update(numbers.tobytes())
    return h.hexdigest(), newest


def unchanged_since(summary: tuple[str, int], stored: str, taken_ns: int) -> bool:
    """True when `summary` (stat_summary) matches `stored` and nothing in it changed
    within the racy margin of `taken_ns`: then the fingerprint taken then still holds."""
    digest, newest = summary
    return bool(digest) and digest == stored and newest < taken_ns - RACY_NS


def _file_digest(path: str, st: os.stat_result) -> str:
    """The content hash of a file the loader will parse; for anything it will refuse
    unread (a link, a FIFO, a device, a file over the size limit) a marker of what it is."""
    if not stat.S_ISREG(st.st_mode) or st.st_size > SOURCE_LIMIT:
        return f"!{stat.S_IFMT(st.st_mode)}:{st.st_size}"
    data = read_small(path, SOURCE_LIMIT)
    return hashlib.sha256(data).hexdigest() if data is not None else "!unreadable"


@dataclass(slots=True)
class Cache:
    root: Path
    secret: bytes | None = field(default=None, repr=False)

    @classmethod
    def open(cls, root: Path) -> Cache | None:
        """The archive's cache, or None when caching is off (SIKT_CACHE=av) or impossible."""
        if os.environ.get("SIKT_CACHE", "").lower() in ("av", "0", "nej"):
            return None
        if (root / FOLDER).is_symlink():  # committed in a pull request: write nothing through it
            return None
        if key_refusal(root) is not None:  # see key_refusal: a key a pull request could write
            return None
        key = secret()
        if key is None:
            return None
        return cls(root / FOLDER, key)

    def fingerprint(self, files: list[tuple[str, str]]) -> str:
        """The content hash of `files`, re-reading only those whose stat changed.

        Two entries: "stat" (the stat summary, the fingerprint and when it was taken),
        small and read first; "index" (each file's stat and digest), read only when the
        summary says something changed."""
        import time

        now = time.time_ns()
        summary = stat_summary(files)
        quick = self.get("stat", "v1")
        if quick is not None and unchanged_since(summary, quick[0], quick[2]):
            return str(quick[1])
        stored = self.get("index", "v1")
        known, taken = stored if stored is not None else ({}, 0)
        key, seen, read = fingerprint(files, known, taken)
        if read:  # something was (re)read: remember it, stamped with when we looked
            self.put("index", "v1", (seen, now))
        if quick is None or quick[0] != summary[0] or quick[1] != key or read:
            self.put("stat", "v1", (summary[0], key, now))
        return key

    def fingerprint_read(
        self, files: list[tuple[str, str]], before: Before, given: Read
    ) -> str | None:
        """The fingerprint of what a computation read (see `cached`): each file in `given`
        as it read it, every other file read now; None when one of those changed since
        `before` was taken, as the result may then be of other bytes than the key says."""
        key, seen, _ = fingerprint(files, given=given)
        for rel, stamp in before.stamps.items():
            if rel not in given and (seen[rel][0] if rel in seen else None) != stamp:
                return None
        self.put("index", "v1", (seen, before.taken))
        self.put("stat", "v1", (before.summary[0], key, before.taken))
        return key

    def has_index(self) -> bool:
        """False on a first run (a fresh CI runner): no entry can be found for any key."""
        return self._path("index").exists()

    def _path(self, name: str) -> Path:
        return self.root / f"{name}.bin"

    def get(self, name: str, key: str) -> Any | None:
        """The value stored under `name` if it was stored with `key`, else None."""
        assert self.secret is not None
        raw = read_small(self._path(name), ENTRY_LIMIT)
        if raw is None:
            return None
        head = len(_MAGIC) + 32
        if len(raw) < head or not raw.startswith(_MAGIC):
            return None
        mac, payload = raw[len(_MAGIC) : head], raw[head:]
        if not hmac.compare_digest(mac, hmac.new(self.secret, payload, "sha256").digest()):
            return None
        try:
            stored_key, value = pickle.loads(payload)  # safe: the HMAC was checked above
        except Exception:  # a truncated or foreign entry: rebuild, never trust
            return None
        return value if stored_key == f"{sikt.__version__}:{_code_stamp()}:{key}" else None

    def put(self, name: str, key: str, value: Any) -> None:
        """Store atomically; failures are ignored (the cache is only an optimisation)."""
        import tempfile  # here: a warm search opens the cache but writes no entry

        assert self.secret is not None
        try:
            payload = pickle.dumps((f"{sikt.__version__}:{_code_stamp()}:{key}", value), protocol=5)
            mac = hmac.new(self.secret, payload, "sha256").digest()
            self.root.mkdir(exist_ok=True)
            try:  # exclusive: never through a link to somewhere else
                fd = os.open(self.root / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                    f.write("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_MAGIC + mac + payload)
                Path(tmp).replace(self._path(name))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            return


def cached(
    root: Path,
    files: list[tuple[str, str]],
    name: str,
    compute: Callable[[], dict[str, Any]],
    *,
    enabled: bool = True,
    reads: bool = False,
) -> Any:
    """The entry `name` for the current content of `files`, computed only on a miss.

    `compute` returns every entry it can produce in one go (e.g. all uppdrag and the
    open ones); all are stored, and `name` is returned. With caching off or impossible,
    `compute` simply runs. With `reads`, `compute` also returns `READ`: what it read of
    `files`. Then a first run (no index: nothing to find) computes first, and the
    fingerprint hashes only the files `compute` did not read (`Cache.fingerprint_read`).
    """
    store = Cache.open(root) if enabled else None
    if store is None:
        return compute()[name]
    if reads and not store.has_index():  # nothing to find: compute first
        before = Before.take(files)
        entries = compute()
        key = store.fingerprint_read(files, before, entries.pop(READ))
        if key is None:  # a file changed while it ran: the result is stored by no key
            return entries[name]
    else:
        key = store.fingerprint(files)
        hit = store.get(name, key)
        if hit is not None:
            return hit
        entries = compute()
        entries.pop(READ, None)
    for entry, value in entries.items():
        store.put(entry, key, value)
    return entries[name]


Read = dict[str, tuple[Stat, str]]  # a file → its stamp before it was read, digest of the bytes


@dataclass(frozen=True, slots=True)
class Before:
    """The files as they were before a first run's computation: when, their stat summary,
    and each one's stamp (None where it could not be stat'ed)."""

    taken: int
    summary: tuple[str, int]
    stamps: dict[str, Stat | None]

    @classmethod
    def take(cls, files: list[tuple[str, str]]) -> Before:
        import time

        taken = time.time_ns()
        stamps = [lstat_stamp(path) for _, path in files]
        by_name = {rel: stamp for (rel, _), stamp in zip(files, stamps, strict=True)}
        return cls(taken, stat_summary(files, stamps), by_name)


# The entry a `compute` given `reads` returns for `cached`: each file it read, with its
# stamp from before it read it and the digest of the bytes it used (`Archive.read`). On a
# first run the fingerprint then reads only the other files: a cold `sikt validera` at
# 10,000 protokoll read and hashed every protokoll twice, 0.6–0.8 s in one process.
READ = "__read__"
