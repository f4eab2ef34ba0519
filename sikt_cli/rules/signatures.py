"""Signed justering: members' SSH keys, git's allowed-signers file, and the signature check.

`sikt validera --signaturer`: every justerat protokoll needs a signed tag `justerat/DATUM/ID`
that git verifies against allowed signers written (in a temp folder) from `nyckel` in
medlemmar.yaml, scoped to the protokoll's ordförande, sekreterare and justerare; the tag's
recorded blob must equal the file's (a squash merge keeps it, a change breaks it). Under
`--bas REF` keys and the requirement come from REF: a PR can neither add nor delete keys.
"""

from __future__ import annotations

import base64
import binascii
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.documents import parse_markdown
from sikt_cli.archive.layout import MEMBERS_FILE, MINUTES_DIR
from sikt_cli.archive.model import Minutes, Roster
from sikt_cli.archive.yaml_tree import Pos, YMap, YScalar
from sikt_cli.codes import diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.errors import SiktError
from sikt_cli.rules.context import RuleContext

KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
_B64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
TAG_PREFIX = "justerat"
BLOB_LABEL = "Blob: "
FILE_LABEL = "Fil: "


def parse_key(line: str) -> str | None:
    """`type base64` of an SSH public key line (a trailing comment dropped), or None.

    The base64 must decode to a key blob that starts with the same type name, as
    ssh-keygen writes it: a pasted private key, a fingerprint or a cut line is refused.
    """
    parts = line.strip().split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES or not _B64.match(parts[1]):
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    name = parts[0].encode("ascii")
    if blob[:4] != len(name).to_bytes(4, "big") or blob[4 : 4 + len(name)] != name:
        return None
    return f"{parts[0]} {parts[1]}"


def keys_of(roster: Roster) -> dict[str, str]:
    """member id → normalised public key, for every member with a well-formed `nyckel`."""
    out = {}
    for m in roster.members:
        key = parse_key(m.nyckel) if m.nyckel else None
        if key:
            out[m.id] = key
    return out


def allowed_signers(keys: dict[str, str], ids: Iterable[str]) -> str:
    """git's allowed-signers text for the members `ids` (principal = member id)."""
    lines = [f'{i} namespaces="git" {keys[i]}' for i in sorted(set(ids)) if i in keys]
    return "".join(line + "\n" for line in lines)


def write_allowed_signers(folder: Path, keys: dict[str, str], ids: Iterable[str]) -> Path:
    """Write the allowed-signers file into `folder` (a temporary folder) and return it."""
    path = folder / "allowed_signers"
    path.write_text(allowed_signers(keys, ids), encoding="utf-8", newline="\n")
    return path


def signers_of(m: Minutes) -> list[str]:
    """Who may sign a protokoll: its ordförande, sekreterare and justerare."""
    refs = [m.ordforande, m.sekreterare, *m.justerare]
    return [r.value for r in refs if r is not None]


def key_pos(roster: Roster, ident: str) -> Pos:
    """Where a member's `nyckel` stands in medlemmar.yaml (else the member)."""
    items = roster.doc.data.get("medlemmar")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and item.get("id") == ident:
            return roster.doc.pos("medlemmar", i, "nyckel")
    member = roster.member(ident)
    return member.pos if member else Pos(1, 1)


def key_format(ctx: RuleContext) -> Iterator[Diagnostic]:
    for m in ctx.archive.roster.members:
        if m.nyckel is not None and parse_key(m.nyckel) is None:
            pos = key_pos(ctx.archive.roster, m.id)
            yield diag(
                "SIKT510",
                MEMBERS_FILE,
                pos.line,
                pos.column,
                f"Nyckeln för '{m.id}' är ingen publik SSH-nyckel.",
                "Klistra in hela raden ur din .pub-fil, t.ex. 'nyckel: ssh-ed25519 AAAA…' "
                "(typ, mellanslag, base64); aldrig den hemliga nyckeln.",
            )


RULES = (key_format,)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    path: str | None
    blob: str | None


def _top(data: bytes) -> dict[str, str]:
    """The top-level scalar keys of a protokoll's frontmatter (as the lock reads them)."""
    node = parse_markdown(data, "x").node
    out: dict[str, str] = {}
    if isinstance(node, YMap):
        for k, v in node.pairs:
            if isinstance(k, YScalar) and isinstance(v, YScalar):
                out[k.text] = v.text.strip()
    return out


def _tags(root: Path, day: str) -> list[Tag]:
    out = git.run(
        root, "for-each-ref", "--format=%(refname:short)", f"refs/tags/{TAG_PREFIX}/{day}/"
    )
    tags = []
    for name in out.decode("utf-8", "replace").split():
        text = git.run(root, "for-each-ref", "--format=%(contents)", f"refs/tags/{name}").decode(
            "utf-8", "replace"
        )
        path = blob = None
        for line in text.splitlines():
            if line.startswith(BLOB_LABEL):
                blob = line[len(BLOB_LABEL) :].strip()
            elif line.startswith(FILE_LABEL):
                path = line[len(FILE_LABEL) :].strip()
        tags.append(Tag(name, path, blob))
    return tags


def _verifies(root: Path, tag: str, signers: Path) -> bool:
    try:
        git.run(root, "-c", f"gpg.ssh.allowedSignersFile={signers}", "verify-tag", tag)
    except git.GitFailed:
        return False
    return True


def _holds(root: Path, tag: Tag, full: str) -> bool:
    """The tagged commit holds the recorded blob at the recorded path (a moved tag does not)."""
    try:
        sha = git.run(root, "rev-parse", "--verify", "--quiet", f"{tag.name}^{{commit}}:{full}")
    except git.GitFailed:
        return False
    return sha.decode().strip() == tag.blob


@dataclass(frozen=True, slots=True)
class Basis:
    """What the check trusts: the keys, and whether an exemption stood in the base file."""

    keys: dict[str, str]
    ref: str | None


def basis(root: Path, bas: str | None, roster: Roster) -> Basis:
    if bas is None:
        return Basis(keys_of(roster), None)
    from sikt_cli.archive.snapshot import roster_from

    return Basis(keys_of(roster_from(_show(root, bas, MEMBERS_FILE) or b"")), bas)


def _show(root: Path, ref: str, rel: str) -> bytes | None:
    prefix = git.run(root, "rev-parse", "--show-prefix").decode().strip()
    try:
        return git.run(root, "show", f"{ref}:{prefix}{rel}")
    except git.GitFailed:
        return None


def check_signatures(
    root: Path, minutes: list[Minutes], roster: Roster, bas: str | None
) -> list[Diagnostic]:
    """Diagnostics for every justerat protokoll without a valid signature over its content."""
    trusted = basis(root, bas, roster)
    diags = _key_changes(trusted, roster) if bas else []
    if not trusted.keys:  # no keys (at the base): signatures are not required yet
        return diags
    import shutil

    if shutil.which("ssh-keygen") is None:  # git verifies SSH signatures with it
        raise SiktError(
            "ssh-keygen saknas, så signaturerna kan inte kontrolleras.",
            "Installera OpenSSH-klienten (t.ex. apt-get install openssh-client).",
        )
    with tempfile.TemporaryDirectory(prefix="sikt-signers-") as tmp:
        everyone = write_allowed_signers(Path(tmp), trusted.keys, trusted.keys)
        for m in minutes:
            if m.status == "justerat":
                diags.extend(_check_one(root, m, trusted, Path(tmp), everyone))
    return diags


def _key_changes(trusted: Basis, roster: Roster) -> list[Diagnostic]:
    now = keys_of(roster)
    out = []
    for m in roster.members:
        if now.get(m.id) != trusted.keys.get(m.id):
            out.append(
                diag(
                    "SIKT514",
                    MEMBERS_FILE,
                    key_pos(roster, m.id).line,
                    1,
                    f"Signeringsnyckeln för '{m.id}' är ändrad jämfört med {trusted.ref}.",
                    "En ny eller ändrad nyckel gäller först när ändringen är godkänd och "
                    "sammanslagen för sig: lägg den i en egen pull request.",
                )
            )
    gone = sorted(set(trusted.keys) - {m.id for m in roster.members})
    for ident in gone:
        out.append(
            diag(
                "SIKT514",
                MEMBERS_FILE,
                1,
                1,
                f"Medlemmen '{ident}' med signeringsnyckel i {trusted.ref} finns inte längre.",
                "Ta bort nycklar i en egen pull request.",
            )
        )
    return out


def _status_line(m: Minutes) -> tuple[int, int]:
    pos = m.doc.key_pos.get(("status",)) or m.doc.pos("status")
    return pos.line, pos.column


def _check_one(
    root: Path, m: Minutes, trusted: Basis, tmp: Path, everyone: Path
) -> list[Diagnostic]:
    line, col = _status_line(m)
    data = m.path.read_bytes()
    exempt = _exemption(root, m, data, trusted, line, col)
    if exempt is not None:
        return exempt
    day = m.rel.removeprefix(f"{MINUTES_DIR}/").removesuffix(".md")
    prefix = git.run(root, "rev-parse", "--show-prefix").decode().strip()
    full = f"{prefix}{m.rel}"
    # filters on, as `git add` stores it: autocrlf's CRLF file is its LF blob
    blob = git.run(root, "hash-object", "--", m.rel).decode().strip()
    folder = tmp / day
    folder.mkdir(exist_ok=True)
    scoped = write_allowed_signers(folder, trusted.keys, signers_of(m))
    tags = _tags(root, day)
    by_role = [t for t in tags if _verifies(root, t.name, scoped)]
    good = [t for t in by_role if _holds(root, t, full)]
    if any(t.blob == blob and t.path == full for t in good):
        return []
    sign = f"sikt protokoll signera {day}"
    if good:
        return [
            diag(
                "SIKT513",
                m.rel,
                line,
                col,
                f"Protokollet har ändrats efter signeringen ({', '.join(t.name for t in good)}).",
                f"Återställ innehållet som signerades, eller låt en justerare signera det nya "
                f"innehållet ('{sign}').",
            )
        ]
    others = [t for t in tags if t not in by_role and _verifies(root, t.name, everyone)]
    if others:
        allowed = ", ".join(signers_of(m)) or "ingen angiven"
        return [
            diag(
                "SIKT512",
                m.rel,
                line,
                col,
                f"Signaturen ({', '.join(t.name for t in others)}) är inte gjord av "
                f"protokollets ordförande, sekreterare eller justerare ({allowed}).",
                f"Låt en av dem signera: '{sign}'.",
            )
        ]
    return [_unsigned(m, tags, by_role, sign, line, col)]


def _unsigned(
    m: Minutes, tags: list[Tag], by_role: list[Tag], sign: str, line: int, col: int
) -> Diagnostic:
    day = m.rel.removeprefix(f"{MINUTES_DIR}/").removesuffix(".md")
    names = ", ".join(t.name for t in tags)
    what = (
        f"taggen ({names}) pekar på en commit där filen inte har det innehåll taggen anger"
        if by_role
        else f"inga av taggarna ({names}) har en giltig signatur av en nyckel i medlemmar.yaml"
        if tags
        else f"det finns ingen tagg {TAG_PREFIX}/{day}/…"
    )
    return diag(
        "SIKT511",
        m.rel,
        line,
        col,
        f"Protokollet är justerat men saknar giltig signatur: {what}.",
        f"Ordföranden, sekreteraren eller en justerare signerar med '{sign}' och pushar "
        "taggen (git push origin --tags).",
    )


def _exemption(
    root: Path, m: Minutes, data: bytes, trusted: Basis, line: int, col: int
) -> list[Diagnostic] | None:
    """[] when `signerat: nej` is accepted, findings when it is not, None without it."""
    top = _top(data)
    if top.get("signerat") != "nej":
        return None
    if not top.get("signerat_skal"):
        return [
            diag(
                "SIKT515",
                m.rel,
                line,
                col,
                "'signerat: nej' saknar skäl.",
                "Skriv varför protokollet saknar signatur under 'signerat_skal'.",
            )
        ]
    if trusted.ref is None:
        return []
    old = _show(root, trusted.ref, m.rel)
    base = _top(old) if old is not None else {}
    if base.get("status") == "justerat" and base.get("signerat") == "nej":
        return []
    return [
        diag(
            "SIKT515",
            m.rel,
            line,
            col,
            f"'signerat: nej' godtas bara om det stod i ett justerat protokoll redan i "
            f"{trusted.ref}.",
            "Undantaget är till för protokoll som justerades innan nätverket hade nycklar; "
            "ett nytt justerat protokoll signeras med 'sikt protokoll signera DATUM'.",
        )
    ]


_EXEMPTION_LINE = re.compile(r"^(signerat: nej|signerat_skal: \S.*)$")


def exemption_added(old: bytes, new: bytes) -> bool:
    """True when `new` is `old` with only `signerat: nej` and `signerat_skal: …` lines added
    in the frontmatter: the lock lets the exemption of an old protokoll in (docs/justering.md)."""
    import difflib

    a = old.decode("utf-8", "replace").split("\n")
    b = new.decode("utf-8", "replace").split("\n")
    if not a or a[0] != "---" or "---" not in a[1:]:
        return False
    end = a.index("---", 1)
    added = []
    for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert" or not 1 <= i1 <= end:
            return False
        added += b[j1:j2]
    return bool(added) and all(_EXEMPTION_LINE.match(line) for line in added)


def require_git(root: Path) -> None:
    try:
        git.run(root, "rev-parse", "--git-dir")
    except git.GitFailed as exc:
        raise SiktError(
            "Arkivet är inget git-förråd, så signaturerna kan inte kontrolleras.",
            "Kör 'sikt validera --signaturer' i en klon av arkivet.",
        ) from exc
