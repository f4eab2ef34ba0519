"""The pip requirement a new archive installs sikt with: exactly the version that runs now.

Where the running sikt came from is recorded by the installer (PEP 610): `direct_url.json`
in the distribution's metadata names a VCS URL and commit, an archive URL and its hash, or a
local folder; without it, the distribution came from an index and its version is the pin.
A bare name or a version range is never written: the day anyone registers the name on an
index, every archive's CI would run their code (dependency confusion). `--installera` is
checked by the same rule, and so that it is safe inside a single-quoted shell word in a YAML
`run:` line: no quotes, no whitespace but the two spaces around `@`, no `$`, `;`, `|`, `&`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from sikt_cli import DISTRIBUTION
from sikt_cli.errors import Refused, UsageError

if TYPE_CHECKING:
    from importlib.metadata import Distribution

EXAMPLE_RELEASE = "sikt-cli==0.2.0"
EXAMPLE_GIT = "sikt-cli @ git+https://github.com/sikt-natverket/sikt@<hela commit-id:t>"
HINT = (
    f"Ange en låst installation med --installera, t.ex. --installera '{EXAMPLE_RELEASE}' "
    f"(en utgiven version) eller --installera '{EXAMPLE_GIT}'."
)

_NAME = r"(?i:sikt[-_.]+cli)"
_VERSION = r"[0-9][0-9A-Za-z.!+-]*"  # PEP 440 characters; no '*', so never a range
_COMMIT = r"[0-9a-f]{40}(?:[0-9a-f]{24})?"  # SHA-1 or SHA-256, in full
_HOST_PATH = r"[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~%/+-]+"
_PINNED = re.compile(
    rf"{_NAME}==={_VERSION}|{_NAME}=={_VERSION}"
    rf"|{_NAME} @ (?:git|hg)\+(?:https://|ssh://(?:git@)?){_HOST_PATH}@{_COMMIT}"
    r"(?:#subdirectory=[A-Za-z0-9._/-]+)?"
    rf"|{_NAME} @ https://{_HOST_PATH}\.(?:whl|tar\.gz|zip)#sha256=[0-9a-f]{{64}}"
)


def check(spec: str) -> str:
    """`spec` if it is a pinned requirement for sikt-cli that is safe in a shell line."""
    if _PINNED.fullmatch(spec):
        return spec
    if not spec.isprintable() or "\n" in spec or "\r" in spec:
        problem = "innehåller radbrytningar eller kontrolltecken"
    elif re.fullmatch(rf"{_NAME}(?:\s*(?:[<>~!]=?|==)\s*[0-9A-Za-z.*+!-]*)?", spec):
        problem = "är inte låst till en version (bara namnet, eller ett intervall)"
    elif re.search(r"""['"`$;&|<>(){}\[\]*?!\\\s]""", spec.replace(" @ ", "@")):
        problem = (
            "innehåller mellanslag eller tecken som betyder något för skalet "
            "(t.ex. ' \" $ ; & | < > *)"
        )
    elif re.match(rf"{_NAME} @ (?:git|hg)\+", spec):
        problem = "anger inte hela commit-id:t, eller adressen är inte https eller ssh"
    else:
        problem = "är ingen låst installation av sikt-cli"
    raise UsageError(f"--installera {spec!r} {problem}.", HINT)


def running_distribution() -> Distribution | None:
    """The installed sikt-cli that runs now, or None when sikt runs from an uninstalled copy.

    An installer leaves an INSTALLER record; a `sikt_cli.egg-info` that a build left in a
    checkout (found first when the checkout is the working directory) has none, and is not
    where the running sikt was installed from."""
    from importlib.metadata import distributions

    found = list(distributions(name=DISTRIBUTION))
    installed = [d for d in found if d.read_text("INSTALLER") is not None]
    return next(iter(installed or found), None)


def pinned(dist: Distribution | None) -> str:
    """The pinned requirement for `dist`, or a refusal that says what to pass instead."""
    if dist is None:
        raise Refused(
            "sikt körs utan att vara installerat som paketet sikt-cli, så det går inte att "
            "säga varifrån det nya arkivets CI ska installera samma version.",
            HINT,
        )
    text = dist.read_text("direct_url.json")
    if text is None:  # PEP 610: installed from an index
        version = dist.version
        if "+" in version:  # a local version label is never on an index
            raise Refused(
                f"Den installerade versionen {version} av sikt-cli är ingen utgiven version.",
                HINT,
            )
        return _checked(f"{DISTRIBUTION}=={version}", f"versionen {version}")
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise Refused(
            f"Installationsuppgiften för sikt-cli (direct_url.json) går inte att läsa: {exc}.",
            HINT,
        ) from None
    return _from_direct_url(record if isinstance(record, dict) else {})


def _from_direct_url(record: dict[str, Any]) -> str:
    url = record.get("url")
    url = url if isinstance(url, str) else ""
    where = url or "en okänd plats"
    if url.startswith("file:") or "dir_info" in record:
        editable = isinstance(record.get("dir_info"), dict) and record["dir_info"].get("editable")
        raise Refused(
            f"sikt är installerat från en lokal sökväg ({where}"
            f"{', redigerbart' if editable else ''}); det nya arkivets CI kan inte installera "
            "därifrån.",
            HINT,
        )
    vcs, archive = record.get("vcs_info"), record.get("archive_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        spec = f"{DISTRIBUTION} @ {vcs.get('vcs')}+{url}@{commit}"
        subdirectory = record.get("subdirectory")
        if subdirectory:
            spec += f"#subdirectory={subdirectory}"
        return _checked(spec, f"{where} (commit {commit})")
    if isinstance(archive, dict):
        hashes = archive.get("hashes")
        digest = hashes.get("sha256") if isinstance(hashes, dict) else None
        if digest is None and str(archive.get("hash", "")).startswith("sha256="):
            digest = str(archive["hash"]).removeprefix("sha256=")
        return _checked(f"{DISTRIBUTION} @ {url}#sha256={digest}", where)
    raise Refused(f"sikt är installerat från {where}, som inte kan låsas.", HINT)


def _checked(spec: str, where: str) -> str:
    """A derived requirement passes the same check as --installera, or init refuses."""
    try:
        return check(spec)
    except UsageError:
        raise Refused(
            f"sikt är installerat från {where}, men det går inte att skriva som en låst och "
            "säker installationsrad (bara https eller ssh, hela commit-id:t eller sha256, "
            "inga inloggningsuppgifter i adressen).",
            HINT,
        ) from None


def install_spec(explicit: str | None) -> str:
    """What the new archive installs sikt with: `--installera`, else the running version."""
    return check(explicit) if explicit is not None else pinned(running_distribution())
