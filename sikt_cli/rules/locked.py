"""Locked minutes: a protokoll that is justerat at a git ref must not change after it.

`sikt validera --bas REF` compares the working tree with REF. git runs with fixed
argument lists (never a shell), and paths come from git's own listing.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.documents import parse_markdown
from sikt_cli.archive.layout import MINUTES_DIR
from sikt_cli.archive.yaml_tree import YMap, YScalar
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.errors import SiktError


def is_approved(data: bytes) -> bool:
    """True when the frontmatter says `status: justerat` (read like the loader reads it)."""
    node = parse_markdown(data, "x").node
    if not isinstance(node, YMap):
        return False
    for k, v in node.pairs:
        if isinstance(k, YScalar) and k.text == "status":
            return isinstance(v, YScalar) and v.text.strip() == "justerat"
    return False


def check_locked(root: Path, ref: str) -> list[Diagnostic]:
    """Diagnostics for every change to a protokoll that is justerat at `ref`."""
    try:
        git.run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitFailed as exc:
        raise SiktError(
            f"Git-referensen '{ref}' finns inte i arkivets git-förråd.",
            "Ange en gren, tagg eller commit som finns, t.ex. --bas origin/main "
            "(i CI: hämta hela historiken, fetch-depth: 0).",
        ) from exc
    prefix = git.run(root, "rev-parse", "--show-prefix").decode().strip()
    # --full-tree: the path and the names are from the top of the repository, also when
    # the archive is a sub-folder of it (the prefix); without it both are cwd-relative.
    listing = git.run(
        root,
        "ls-tree",
        "--full-tree",
        "-r",
        "-z",
        "--name-only",
        ref,
        "--",
        f"{prefix}{MINUTES_DIR}/",
    )
    names = [n for n in listing.decode("utf-8", "replace").split("\0") if n.endswith(".md")]
    diags: list[Diagnostic] = []
    current = (
        {p.name: p for p in (root / MINUTES_DIR).glob("*.md")}
        if (root / MINUTES_DIR).is_dir()
        else {}
    )
    for name in names:
        old = git.run(root, "show", f"{ref}:{name}")
        if not is_approved(old):
            continue
        rel = name[len(prefix) :]
        path = root / rel
        if not path.is_file():
            moved = next((r for r, p in current.items() if p.read_bytes() == old), None)
            where = f" Den finns nu som {MINUTES_DIR}/{moved}." if moved else ""
            diags.append(
                diag(
                    "SIKT505",
                    rel,
                    0,
                    0,
                    f"Det justerade protokollet {rel} har tagits bort eller bytt namn.{where}",
                    "Ett justerat protokoll är låst: återställ filen (git checkout "
                    f"{ref} -- {rel}).",
                )
            )
            continue
        new = path.read_bytes()
        if new != old:
            diags.extend(_changed_lines(rel, old, new, ref))
    return diags


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
                f"Ångra ändringen (git checkout {ref} -- {rel}). Rättelser av ett justerat "
                "protokoll tas upp som ett ärende på nästa möte.",
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
