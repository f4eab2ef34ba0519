"""Locked minutes: a protokoll that is justerat at a git ref must not change after it.

`sikt validera --bas REF` compares what git holds at REF (blob and mode) with what HEAD
holds and with the working tree, never reading through a symlink: a justerat file that
is changed, renamed, deleted, turned into a link or given another mode is an error. The
only changes accepted are exactly the recorded rättelser or maskings. git runs with fixed argument
lists (never a shell), and paths come from git's own listing.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sikt_cli import git
from sikt_cli.archive.documents import parse_markdown
from sikt_cli.archive.layout import MINUTES_DIR
from sikt_cli.archive.source import read_regular
from sikt_cli.archive.yaml_tree import YMap, YScalar
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.errors import SiktError
from sikt_cli.records import corrections
from sikt_cli.records.masking import masking_mismatch
from sikt_cli.rules.locked_data import check_data_files
from sikt_cli.rules.signatures import exemption_added


def is_approved(data: bytes) -> bool:
    """True when the frontmatter says `status: justerat` (read like the loader reads it)."""
    node = parse_markdown(data, "x").node
    if not isinstance(node, YMap):
        return False
    for k, v in node.pairs:
        if isinstance(k, YScalar) and k.text == "status":
            return isinstance(v, YScalar) and v.text.strip() == "justerat"
    return False


REGULAR = ("100644", "100755")
SYMLINK = "120000"


@dataclass(frozen=True, slots=True)
class Entry:
    """A file as git (or the working tree) holds it: mode and content."""

    mode: str
    data: bytes | None  # None for a symlink or another file that is not read


def _tree(root: Path, ref: str, prefix: str) -> dict[str, tuple[str, str]]:
    """path → (mode, blob id) of every file under protokoll/ at `ref` (names as the OS
    spells them: a name that is not UTF-8 keeps its bytes, it is not read as another)."""
    # --full-tree: paths from the top of the repository, also when the archive is a
    # sub-folder of it (the prefix); without it both are cwd-relative.
    out = git.run(root, "ls-tree", "--full-tree", "-r", "-z", ref, "--", f"{prefix}{MINUTES_DIR}/")
    entries = {}
    for record in out.split(b"\0"):
        if b"\t" in record:
            meta, name = record.split(b"\t", 1)
            mode, _kind, sha = meta.decode("ascii").split()
            entries[os.fsdecode(name)] = (mode, sha)
    return entries


def _worktree(path: Path) -> Entry | None:
    """The working tree's file, looked at without following a link."""
    try:
        st = path.lstat()
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return Entry(SYMLINK, None)
    if not stat.S_ISREG(st.st_mode):
        return Entry("0", None)
    mode = "100755" if st.st_mode & 0o111 and os.name != "nt" else "100644"
    return Entry(mode, read_regular(path, path.name)[0])  # None: a link swapped in, too large


def check_locked(root: Path, ref: str) -> list[Diagnostic]:
    """Diagnostics for every change to a protokoll that is justerat at `ref`.

    What git holds decides: the blob and mode at `ref` are compared with those committed
    at HEAD and with the working tree (looked at with lstat, never through a link).
    A change that is exactly the recorded rättelser (records/corrections.py) is accepted.
    """
    _require_commit(root, ref)
    prefix = os.fsdecode(git.run(root, "rev-parse", "--show-prefix")).strip()
    base = _tree(root, ref, prefix)
    has_head = _has_commit(root, "HEAD")
    head = _tree(root, "HEAD", prefix) if has_head else {}
    blobs: dict[str, bytes] = {}

    def blob(sha: str) -> bytes:
        if sha not in blobs:
            blobs[sha] = git.blob(root, sha) or b""
        return blobs[sha]

    diags: list[Diagnostic] = []
    approved: set[str] = set()
    for path, (mode, sha) in base.items():
        if not path.endswith(".md") or mode not in REGULAR or not is_approved(blob(sha)):
            continue
        rel = path[len(prefix) :]
        approved.add(rel)
        old = Entry(mode, blob(sha))
        committed = head.get(path)
        # the working tree against the file as a checkout writes it: with core.autocrlf
        # (Git for Windows' default) an untouched file has CRLF where the blob has LF
        on_disk, checked_out = _worktree(root / rel), old
        if on_disk is not None and on_disk.data not in (None, old.data):
            checked_out = Entry(mode, git.blob(root, ref, path, checked_out=True) or old.data)
        views = [(checked_out, on_disk)]
        if has_head and committed is None:
            views.append((old, None))
        elif has_head and committed is not None:
            data = blob(committed[1]) if committed[0] in REGULAR else None
            views.append((old, Entry(committed[0], data)))
        for base_entry, now in views:
            diags.extend(_judge(root, rel, ref, base_entry, now))
    return diags + check_data_files(root, ref, prefix, approved)


def _require_commit(root: Path, ref: str) -> None:
    if not _has_commit(root, ref):
        raise SiktError(
            f"Git-referensen '{ref}' finns inte i arkivets git-förråd.",
            "Ange en gren, tagg eller commit som finns, t.ex. --bas origin/main "
            "(i CI: hämta hela historiken, fetch-depth: 0).",
        )


def _has_commit(root: Path, ref: str) -> bool:
    try:
        git.run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitFailed:
        return False
    return True


def _judge(root: Path, rel: str, ref: str, old: Entry, now: Entry | None) -> list[Diagnostic]:
    """What is wrong with the file `now`, against the justerat `old` at `ref`."""
    restore = f"git checkout {ref} -- {rel}"
    if now is None:
        moved = _moved_to(root, old.data or b"")
        where = f" Den finns nu som {MINUTES_DIR}/{moved}." if moved else ""
        return [
            diag(
                "SIKT505",
                rel,
                0,
                0,
                f"Det justerade protokollet {rel} har tagits bort eller bytt namn.{where}",
                f"Ett justerat protokoll är låst: återställ filen ({restore}).",
            )
        ]
    if now.data is None or now.mode != old.mode:
        what = (
            "har ersatts av en symbolisk länk"
            if now.mode == SYMLINK
            else "är inte längre en vanlig fil"
            if now.data is None
            else f"har fått ett annat filläge ({old.mode} → {now.mode})"
        )
        return [
            diag(
                "SIKT506",
                rel,
                0,
                0,
                f"Det justerade protokollet {rel} {what} jämfört med {ref}.",
                f"Ett justerat protokoll är en vanlig fil som inte ändras: {restore}.",
            )
        ]
    assert old.data is not None
    if now.data == old.data or corrections.explains(old.data, now.data, rel):
        return []
    if masking_mismatch(old.data, now.data) is None:  # exactly the recorded maskings
        return []
    if exemption_added(old.data, now.data):  # `signerat: nej` for an unsigned old protokoll
        return []
    return _changed_lines(rel, old.data, now.data, ref)


def _moved_to(root: Path, data: bytes) -> str | None:
    folder = root / MINUTES_DIR
    if not folder.is_dir():
        return None
    for p in sorted(folder.glob("*.md")):
        entry = _worktree(p)
        if entry is not None and entry.data == data:
            return p.name
    return None


def _lines(data: bytes) -> list[str]:
    """The text's lines as the loader numbers them: BOM dropped, CRLF and CR read as LF
    (a change of only those is reported once, below, not as every line changed)."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _changed_lines(rel: str, old: bytes, new: bytes, ref: str) -> list[Diagnostic]:
    a, b = _lines(old), _lines(new)
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        line = j1 + 1 if j1 < len(b) else max(len(b), 1)
        if tag == "delete":
            what = (
                f"rad {i1 + 1}–{i2} har tagits bort"
                if i2 - i1 > 1
                else (f"rad {i1 + 1} har tagits bort")
            )
        elif tag == "insert":
            what = f"{j2 - j1} rad(er) har lagts till"
        else:
            what = f"rad {j1 + 1}–{j2} har ändrats" if j2 - j1 > 1 else f"rad {j1 + 1} har ändrats"
        out.append(
            diag(
                "SIKT504",
                rel,
                line,
                1,
                f"Protokollet är justerat och låst, men {what} jämfört med {ref}.",
                f"Ångra ändringen (git checkout {ref} -- {rel}). Behöver det justerade "
                "protokollet verkligen rättas: ändra raderna igen och skriv in rättelsen med "
                f"'sikt protokoll rätta {PurePosixPath(rel).stem} --skal \"varför\"' "
                "(se docs/justering.md).",
            )
        )
    if not out:  # only line endings or BOM differ
        out.append(
            diag(
                "SIKT504",
                rel,
                1,
                1,
                f"Protokollet är justerat och låst, men filens bytes har ändrats "
                f"jämfört med {ref} (radslut eller BOM).",
                f"Återställ filen: git checkout {ref} -- {rel}.",
            )
        )
    return out
