"""The cache's signing key: where it lives, when it may be used, and the one safe read of a
small file (the key, a cache entry, a file being fingerprinted).

Whoever can write the key can forge a signed pickle that runs code, so the key lives in the
user's cache folder, never in the archive or any git work tree (`key_refusal`), and no read
here follows a link or blocks on a FIFO (`read_small`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sikt_cli.errors import SiktError

_KEY_SIZE = 32
OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link (swapped in after an lstat) is not followed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO does not block the open
    | getattr(os, "O_BINARY", 0)
)


def read_small(path: str | Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, else None.

    Never follows a symbolic link and never blocks on a FIFO: a pull request can commit
    `.sikt-cache/index.bin -> /dev/zero` or a protokoll linked to a device, and reading
    either would not end. At most `limit` + 1 bytes are read, whatever the file claims.
    """
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = read_at_most(fd, limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= limit else None


def read_at_most(fd: int, size: int) -> bytes:
    """At most `size` bytes from an open file, however large it claims to be."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def key_file() -> Path | None:
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
    key = key_file()
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


def secret() -> bytes | None:
    """The signing key, created on first use; None when no private folder is available."""
    path = key_file()
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
