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
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sikt_cli import __version__

FOLDER = ".sikt-cache"
_MAGIC = b"SIKT1"


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sikt" / "nyckel"


def _secret() -> bytes | None:
    """The signing key, created on first use; None when no private folder is available."""
    path = _key_file()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = os.urandom(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        return secret
    except FileExistsError:  # another run created it first
        return path.read_bytes()
    except OSError:
        return None


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


@functools.cache
def _code_stamp() -> str:
    return source_stamp(Path(__file__).parent)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
        secret = _secret()
        if secret is None:
            return None
        return cls(root / FOLDER, secret)

    def fingerprint(self, root: Path, extra_files: list[Path] | None = None) -> str:
        """The content hash of the archive, re-reading only files whose stat changed."""
        import time

        from sikt_cli.paths import fingerprint

        stored = self.get("index", "v1")
        known, taken = stored if stored is not None else ({}, 0)
        now = time.time_ns()
        key, seen, read = fingerprint(root, extra_files, known, taken)
        if read:  # something was (re)read: remember it, stamped with when we looked
            self.put("index", "v1", (seen, now))
        return key

    def _path(self, name: str) -> Path:
        return self.root / f"{name}.bin"

    def get(self, name: str, key: str) -> Any | None:
        """The value stored under `name` if it was stored with `key`, else None."""
        assert self.secret is not None
        try:
            raw = self._path(name).read_bytes()
        except OSError:
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
        return value if stored_key == f"{__version__}:{_code_stamp()}:{key}" else None

    def put(self, name: str, key: str, value: Any) -> None:
        """Store atomically; failures are ignored (the cache is only an optimisation)."""
        assert self.secret is not None
        try:
            payload = pickle.dumps((f"{__version__}:{_code_stamp()}:{key}", value), protocol=5)
            mac = hmac.new(self.secret, payload, "sha256").digest()
            self.root.mkdir(exist_ok=True)
            try:  # exclusive: never through a link to somewhere else
                fd = os.open(self.root / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
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
