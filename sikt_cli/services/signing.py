"""`sikt protokoll signera` (and `justera --signera`): a signed tag over the committed text.

The tag `justerat/DATUM/ID` is an annotated tag signed with the user's own SSH key (git's
`user.signingkey` with `gpg.format ssh`). Its message names the protokoll, the signer and
the date, and records the file's path and blob id: `sikt validera --signaturer` compares
that blob with the file, so the signature holds over exactly the committed content.
A later rättelse changes the blob and needs a new signature (see docs/justering.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sikt_cli import git
from sikt_cli.archive.layout import MINUTES_DIR, minutes_path
from sikt_cli.archive.load import load_archive
from sikt_cli.archive.model import Roster
from sikt_cli.errors import Refused, SiktError
from sikt_cli.rules.signatures import BLOB_LABEL, FILE_LABEL, TAG_PREFIX, keys_of, parse_key
from sikt_cli.services import identity

KEY_SETUP = (
    "Ställ in din SSH-nyckel för signering i git: "
    "git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub "
    "(saknar du en nyckel: ssh-keygen -t ed25519). Se docs/justering.md."
)


@dataclass(frozen=True, slots=True)
class Signed:
    tag: str
    signer: str
    listed: bool  # the signing key is the signer's `nyckel` in medlemmar.yaml
    blob: str


def signing_key(root: Path) -> str:
    """The user's public signing key (`type base64`), or a SiktError saying what to set."""
    fmt = git.config(root, "gpg.format")
    value = git.config(root, "user.signingkey")
    if fmt != "ssh" or not value:
        missing = [
            *([] if fmt == "ssh" else ["gpg.format är inte 'ssh'"]),
            *([] if value else ["user.signingkey är inte satt"]),
        ]
        raise SiktError(f"Ingen SSH-nyckel för signering: {' och '.join(missing)}.", KEY_SETUP)
    text = value.removeprefix("key::")
    key = parse_key(text)
    if key is None:
        path = Path(text).expanduser()
        if path.suffix != ".pub" and path.with_name(path.name + ".pub").is_file():
            path = path.with_name(path.name + ".pub")
        try:
            key = parse_key(path.read_text("utf-8", "replace"))
        except OSError:
            key = None
    if key is None:
        raise SiktError(
            f"git config user.signingkey ({value}) pekar inte på en publik SSH-nyckel.",
            KEY_SETUP,
        )
    return key


def _signer(roster: Roster, root: Path, key: str, jag: str | None) -> tuple[str, bool]:
    for ident, listed in keys_of(roster).items():
        if listed == key:
            return ident, True
    return identity.resolve(roster, root, jag), False


def _blob(root: Path, rel: str) -> tuple[str, str | None, str]:
    """(full path from the top of the repository, blob at HEAD or None, blob of the file)."""
    prefix = git.run(root, "rev-parse", "--show-prefix").decode().strip()
    full = f"{prefix}{rel}"
    # with the checkout's filters, as `git add` would store it: under core.autocrlf=true
    # (Git for Windows) the file has CRLF and the committed blob LF
    now = git.run(root, "hash-object", "--", rel).decode().strip()
    try:
        head = git.run(root, "rev-parse", "--verify", "--quiet", f"HEAD:{full}").decode().strip()
    except git.GitFailed:
        head = None
    return full, head, now


def sign(root: Path, day: dt.date, jag: str | None, today: dt.date) -> Signed:
    """Create the signed tag for the justerat protokoll of `day`, committed at HEAD."""
    key = signing_key(root)
    path = minutes_path(root, day)
    rel = f"{MINUTES_DIR}/{path.name}"
    archive = load_archive(root)
    m = archive.minutes_on(day.isoformat())
    if m is None or not path.is_file():
        raise Refused(f"{rel} finns inte.", "Ange datumet för ett justerat protokoll.")
    if m.status != "justerat":
        raise Refused(
            f"{rel} har status '{m.status}'; bara ett justerat protokoll signeras.",
            f"Justera det först: sikt protokoll justera {day} --signera.",
        )
    full, head, now = _blob(root, rel)
    if head != now:
        raise Refused(
            f"{rel} är inte incheckat med sitt nuvarande innehåll, så signaturen skulle inte "
            "gälla det som finns i git.",
            f'Checka in först: git add {rel} && git commit -m "Justera protokollet {day}" '
            f"— kör sedan: sikt protokoll signera {day}",
        )
    signer, listed = _signer(archive.roster, root, key, jag)
    tag = f"{TAG_PREFIX}/{day}/{signer}"
    if git.run(root, "tag", "--list", tag).strip():
        raise Refused(
            f"Taggen {tag} finns redan.",
            f"Protokollet är redan signerat av {signer}. Har det rättats sedan dess: ta bort "
            f"den gamla taggen (git tag -d {tag}) och signera igen.",
        )
    member = archive.roster.member(signer)
    name = f"{member.namn} ({signer})" if member else signer
    message = (
        f"Protokoll {day} justerat\n\n"
        f"Protokoll: {archive.roster.network.namn}, möte {day}\n"
        f"Signerat av: {name}\n"
        f"Datum: {today}\n"
        f"{FILE_LABEL}{full}\n"
        f"{BLOB_LABEL}{now}\n"
    )
    try:
        git.run(root, "tag", "-s", "-m", message, tag, "HEAD", timeout=300)
    except git.GitFailed as exc:
        raise SiktError(f"Taggen {tag} kunde inte signeras: {exc.message}", KEY_SETUP) from exc
    return Signed(tag, signer, listed, now)
