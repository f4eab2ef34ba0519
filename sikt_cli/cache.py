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
from sikt_cli.code_stamp import code_stamp
from sikt_cli.errors import SiktError
from sikt_cli.pickling import reduce_by_fields as reduce_by_fields  # re-exported

FOLDER = ".sikt-cache"
_MAGIC = b"SIKT1"


ENTRY_LIMIT = 512 * 1024 * 1024  # the model of a 10,000-protokoll archive is tens of MB
SOURCE_LIMIT = 1024 * 1024  # archive/source.py's MAX_BYTES: a bigger file is never parsed
_KEY_SIZE = 32
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_small(path: str | Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, else None.

    Never follows a symbolic link and never blocks on a FIFO: a pull request can commit
    `.sikt-cache/index.bin -> /dev/zero` or a protokoll linked to a device, and reading
    either would not end. At most `limit` + 1 bytes are read, whatever the file claims.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def _key_file() -> Path | None:
    """Where the signing key lives: XDG_CACHE_HOME if set (kept relative, for key_refusal),
    else the platform's user cache folder (platformdirs: ~/.cache, ~/Library/Caches,
    %LOCALAPPDATA%). None when there is no home (HOME empty, or no passwd entry): cache off."""
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "sikt" / "nyckel"
    try:  # an empty HOME: expanduser('~') would give '/'
        if os.environ.get("HOME", "x").strip() == "" or not Path.home().is_absolute():
            return None
        from platformdirs import user_cache_path

        folder = user_cache_path("sikt", appauthor=False)
    except (RuntimeError, KeyError, OSError):
        return None
    return folder / "nyckel" if folder.is_absolute() else None


def key_refusal(root: Path) -> str | None:
    """Why the signing key may not be used for the archive at `root`, or None when it may.

    Whoever can write the key can forge a signed pickle that runs code. A pull request
    writes into the checkout, so the key must not lie in the archive or in any git work
    tree (a relative `XDG_CACHE_HOME`, or one inside the CI workspace, would put it there).
    The reason is Swedish so that a caller can show it as it is.
    """
    key = _key_file()
    if key is None:
        return "Hemkatalogen kan inte bestämmas (HOME saknas); cachen är avstängd."
    if not key.is_absolute():  # its meaning would change with the working directory
        return (
            f"XDG_CACHE_HOME ({key.parent.parent}) är en relativ sökväg; cachen är avstängd. "
            "Ange en absolut sökväg utanför arkivet."
        )
    folder = key.parent
    try:
        real_folder, real_root = folder.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return f"Cachens nyckelkatalog {folder} kan inte slås upp; cachen är avstängd."
    if _inside(folder, root) or _inside(real_folder, real_root):
        return (
            f"Cachens nyckel {key} ligger i arkivet, där en pull request kan skriva den; "
            "cachen är avstängd. Sätt XDG_CACHE_HOME till en absolut sökväg utanför arkivet."
        )
    tree = _work_tree(real_folder)
    if tree is not None:
        return (
            f"Cachens nyckel {key} ligger i git-arbetskatalogen {tree}, där en pull request "
            "kan skriva den; cachen är avstängd. Sätt XDG_CACHE_HOME till en absolut sökväg "
            "utanför alla utcheckade git-förråd."
        )
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _work_tree(folder: Path) -> str | None:
    """The git work tree holding `folder` (which need not exist yet), or None.

    A cheap walk up looking for `.git` first (a stat per level; most runs end here), and
    only then git itself, through git.py: `git rev-parse --show-toplevel`. When git cannot
    answer for a folder that has a `.git` above it, it counts as inside.
    """
    probe = folder
    while not probe.is_dir() and probe != probe.parent:
        probe = probe.parent
    if not any((p / ".git").exists() for p in (probe, *probe.parents)):
        return None
    from sikt_cli import git

    try:
        top = git.run(probe, "rev-parse", "--show-toplevel", timeout=10)
    except SiktError:  # git missing, not a work tree (a bare repo, .git is no repo) …
        return None if _plain_folder(probe) else str(probe)
    return top.decode("utf-8", "replace").strip() or str(probe)


def _plain_folder(probe: Path) -> bool:
    """True when git says `probe` is no work tree (e.g. inside a bare repository)."""
    from sikt_cli import git

    try:
        answer = git.run(probe, "rev-parse", "--is-inside-work-tree", timeout=10)
    except SiktError:
        return False
    return answer.strip() == b"false"


def _secret() -> bytes | None:
    """The signing key, created on first use; None when no private folder is available."""
    path = _key_file()
    if path is None:
        return None
    secret = read_small(path, _KEY_SIZE)
    if secret is not None:
        return secret if len(secret) == _KEY_SIZE else None
    if os.path.lexists(path):  # a link, a FIFO, too big or unreadable: never trusted
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = os.urandom(_KEY_SIZE)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        return secret
    except FileExistsError:  # another run created it first
        secret = read_small(path, _KEY_SIZE)
        return secret if secret is not None and len(secret) == _KEY_SIZE else None
    except OSError:
        return None


@functools.cache
def _code_stamp() -> str:
    return code_stamp()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
RACY_NS = 2_000_000_000  # a file changed this close to when its digest was taken is re-read


def fingerprint(
    files: list[tuple[str, str]],
    known: dict[str, tuple[Stat, str]] | None = None,
    taken_ns: int = 0,
) -> tuple[str, dict[str, tuple[Stat, str]], int]:
    """One hash of `files` (name, path): every file's name and content.

    `known` maps a file to the stat and content digest seen at `taken_ns` (like git's
    index): a file whose stat is unchanged and older than that moment is not read again.
    Returns the hash, the map to remember and how many files had to be read. Plain
    strings, no Path objects: a warm run over ten thousand protokoll spends its time here.
    """
    known = known or {}
    h = hashlib.sha256()
    seen: dict[str, tuple[Stat, str]] = {}
    read = 0
    for rel, path in files:
        try:
            st = os.lstat(path)  # a link is never followed (archive/source.py refuses it)
            stamp: Stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
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


def stat_summary(files: list[tuple[str, str]]) -> tuple[str, int]:
    """One hash of every file's name and stat (size, mtime_ns, ctime_ns, inode), and the
    newest change time among them: git's index check for the whole archive at once.

    Equal to the hash stored with a fingerprint, and nothing newer than when it was taken
    less the racy margin: no file changed, and the fingerprint holds without the per-file
    index (a warm run over 10,000 protokoll is 10,000 lstat calls and one hash)."""
    from array import array

    numbers = array("q")
    newest = 0
    for _, path in files:
        try:
            st = os.lstat(path)
        except OSError:
            numbers.extend((-1, -1, -1, -1))
            continue
        change = st.st_mtime_ns if st.st_mtime_ns > st.st_ctime_ns else st.st_ctime_ns
        if change > newest:
            newest = change
        try:
            numbers.extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
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
        secret = _secret()
        if secret is None:
            return None
        return cls(root / FOLDER, secret)

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
) -> Any:
    """The entry `name` for the current content of `files`, computed only on a miss.

    `compute` returns every entry it can produce in one go (e.g. all uppdrag and the
    open ones); all are stored, and `name` is returned. With caching off or impossible,
    `compute` simply runs.
    """
    store = Cache.open(root) if enabled else None
    if store is None:
        return compute()[name]
    key = store.fingerprint(files)
    hit = store.get(name, key)
    if hit is not None:
        return hit
    entries = compute()
    for entry, value in entries.items():
        store.put(entry, key, value)
    return entries[name]
