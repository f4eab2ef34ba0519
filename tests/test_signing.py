"""Signed justering: `protokoll justera --signera`, `protokoll signera`, `validera --signaturer`.

Real git repositories and real throwaway ed25519 keys made by ssh-keygen in tmp_path; the
developer's git configuration is shut out (GIT_CONFIG_GLOBAL=/dev/null), and the signing
settings live in each test repository's own config.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, git, protokoll

from sikt_cli.archive.snapshot import roster_from
from sikt_cli.rules.signatures import allowed_signers, keys_of, parse_key

pytestmark = [
    pytest.mark.usefixtures("isolated_git"),
    pytest.mark.skipif(
        shutil.which("ssh-keygen") is None,
        reason="ssh-keygen saknas (OpenSSH-klienten): git signerar och verifierar SSH-signaturer "
        "med det programmet",
    ),
]

Run = Callable[..., Any]
D = "2020-06-05"
JUNE = f"protokoll/{D}.md"
TODAY = dt.date.today().isoformat()


def keygen(folder: Path, name: str) -> Path:
    """A throwaway ed25519 key pair; returns the public key file."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)],
        check=True,
        capture_output=True,
    )
    return folder / f"{name}.pub"


def public(pub: Path) -> str:
    return " ".join(pub.read_text().split()[:2])


def members_with(key: str) -> str:
    return MEMBERS.replace(
        "    roller: [ordforande]\n", f"    roller: [ordforande]\n    nyckel: {key}\n"
    )


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "nycklar"
    folder.mkdir()
    return {n: keygen(folder, n) for n in ("anna", "eve")}


def use_key(root: Path, pub: Path) -> None:
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", str(pub))


def validera(run: Run, root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--rot", str(root), "--signaturer", "--format", "json", *extra)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def codes(diags: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(d["code"], d["file"], d["line"]) for d in diags if d["code"].startswith("SIKT51")]


@pytest.fixture
def repo(archive: Callable[..., Path], keys: dict[str, Path]) -> Path:
    """An utkast and members.yaml with Anna's (the ordförande's) key, committed."""
    root = archive({JUNE: protokoll()}, members=members_with(public(keys["anna"])))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Anna Ek")
    git(root, "config", "user.email", "anna.ek@example.se")
    git(root, "add", "medlemmar.yaml", "mal.yaml", JUNE)
    git(root, "commit", "-q", "-m", "arkiv")
    return root


def signed(run: Run, root: Path, pub: Path) -> None:
    """justera --signera (stops: commit first), commit as told, then signera."""
    use_key(root, pub)
    result = run("protokoll", "justera", D, "--signera", "--rot", str(root))
    assert result.exit_code == 1, result.output
    assert f"Justerat och låst: {JUNE}" in result.stdout
    assert (
        f"Fel: {JUNE} är inte incheckat med sitt nuvarande innehåll, så signaturen skulle "
        "inte gälla det som finns i git." in result.stderr
    )
    assert (
        f'Checka in först: git add {JUNE} && git commit -m "Justera protokollet {D}" — kör '
        f"sedan: sikt protokoll signera {D}" in " ".join(result.stderr.split())
    )
    git(root, "add", JUNE)
    git(root, "commit", "-q", "-m", f"Justera protokollet {D}")
    result = run("protokoll", "signera", D, "--rot", str(root))
    assert result.exit_code == 0, result.output


def status_line(root: Path) -> int:
    lines = (root / JUNE).read_text().split("\n")
    return lines.index("status: justerat") + 1


def test_signed_by_the_ordforande_passes(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    signed(run, repo, keys["anna"])
    assert git(repo, "tag", "--list").split() == [f"justerat/{D}/anna-ek"]
    message = git(repo, "for-each-ref", "--format=%(contents:body)", "refs/tags/justerat")
    blob = git(repo, "rev-parse", f"HEAD:{JUNE}").strip()
    assert message.splitlines()[:5] == [
        f"Protokoll: Testnätverket, möte {D}",
        "Signerat av: Anna Ek (anna-ek)",
        f"Datum: {TODAY}",
        f"Fil: {JUNE}",
        f"Blob: {blob}",
    ]
    assert validera(run, repo) == (0, [])
    assert validera(run, repo, "--bas", "HEAD") == (0, [])


def test_one_word_changed_after_signing_fails(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    signed(run, repo, keys["anna"])
    path = repo / JUNE
    path.write_text(path.read_text().replace("Text.", "Texten."))
    git(repo, "commit", "-q", "-am", "ett ord")
    code, diags = validera(run, repo)
    assert code == 1
    assert codes(diags) == [("SIKT513", JUNE, status_line(repo))]
    assert diags[0]["message"] == (
        f"Protokollet har ändrats efter signeringen (justerat/{D}/anna-ek)."
    )
    result = run("validera", "--rot", str(repo), "--signaturer")
    assert f"{JUNE}:{status_line(repo)}:1: SIKT513 fel:" in result.stdout


def test_a_key_not_in_medlemmar_fails(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    result = None
    use_key(repo, keys["eve"])
    assert run("protokoll", "justera", D, "--rot", str(repo)).exit_code == 0
    git(repo, "commit", "-q", "-am", "justerat")
    result = run("protokoll", "signera", D, "--jag", "anna-ek", "--rot", str(repo))
    assert result.exit_code == 0, result.output
    assert "Obs: din nyckel står inte som 'nyckel' för anna-ek i medlemmar.yaml" in (
        " ".join(result.stdout.split())
    )
    code, diags = validera(run, repo)
    assert code == 1
    assert codes(diags) == [("SIKT511", JUNE, status_line(repo))]
    assert diags[0]["message"] == (
        "Protokollet är justerat men saknar giltig signatur: inga av taggarna "
        f"(justerat/{D}/anna-ek) har en giltig signatur av en nyckel i medlemmar.yaml."
    )


def test_a_member_without_a_role_cannot_sign(
    run: Run, archive: Callable[..., Path], keys: dict[str, Path]
) -> None:
    members = MEMBERS.replace(
        "    kommun: Vara\n", f"    kommun: Vara\n    nyckel: {public(keys['eve'])}\n"
    )
    root = archive({JUNE: protokoll()}, members=members)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Cia Ek")
    git(root, "config", "user.email", "cia@example.se")
    use_key(root, keys["eve"])
    assert run("protokoll", "justera", D, "--rot", str(root)).exit_code == 0
    git(root, "add", "medlemmar.yaml", "mal.yaml", JUNE)
    git(root, "commit", "-q", "-m", "justerat")
    assert run("protokoll", "signera", D, "--rot", str(root)).exit_code == 0
    code, diags = validera(run, root)
    assert code == 1
    assert codes(diags) == [("SIKT512", JUNE, status_line(root))]
    assert diags[0]["message"] == (
        f"Signaturen (justerat/{D}/cia-ek) är inte gjord av protokollets ordförande, "
        "sekreterare eller justerare (anna-ek, bo-ek)."
    )


def test_a_deleted_tag_fails(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    signed(run, repo, keys["anna"])
    git(repo, "tag", "-d", f"justerat/{D}/anna-ek")
    code, diags = validera(run, repo)
    assert code == 1
    assert codes(diags) == [("SIKT511", JUNE, status_line(repo))]
    assert diags[0]["message"] == (
        f"Protokollet är justerat men saknar giltig signatur: det finns ingen tagg justerat/{D}/…."
    )


def test_a_moved_tag_fails(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    """The tag re-made (and re-signed) on a commit with other content, same message."""
    signed(run, repo, keys["anna"])
    tag = f"justerat/{D}/anna-ek"
    message = git(repo, "for-each-ref", "--format=%(contents)", f"refs/tags/{tag}")
    message = message.split("-----BEGIN SSH SIGNATURE-----")[0]
    path = repo / JUNE
    path.write_text(path.read_text().replace("Text.", "Annan text."))
    git(repo, "commit", "-q", "-am", "ändrat")
    git(repo, "tag", "-f", "-s", "-m", message, tag, "HEAD")
    code, diags = validera(run, repo)
    assert code == 1
    assert codes(diags) == [("SIKT511", JUNE, status_line(repo))]
    assert diags[0]["message"] == (
        f"Protokollet är justerat men saknar giltig signatur: taggen (justerat/{D}/anna-ek) "
        "pekar på en commit där filen inte har det innehåll taggen anger."
    )


def test_no_key_configured_says_which_settings(run: Run, repo: Path) -> None:
    before = (repo / JUNE).read_bytes()
    result = run("protokoll", "justera", D, "--signera", "--rot", str(repo))
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        "Fel: Ingen SSH-nyckel för signering: gpg.format är inte 'ssh' och user.signingkey "
        "är inte satt. tips: Ställ in din SSH-nyckel för signering i git: git config "
        "gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub (saknar du en "
        "nyckel: ssh-keygen -t ed25519). Se docs/justering.md."
    )
    assert (repo / JUNE).read_bytes() == before  # nothing was justerat


def test_no_keys_means_no_signatures_required(run: Run, archive: Callable[..., Path]) -> None:
    root = archive({JUNE: protokoll(status="justerat")})
    git(root, "init", "-q", "-b", "main")
    assert validera(run, root) == (0, [])


def test_keys_and_the_requirement_come_from_the_base(
    run: Run, repo: Path, keys: dict[str, Path]
) -> None:
    """A pull request that swaps in its own key is caught on medlemmar.yaml, and the
    signature is checked against the base's keys."""
    use_key(repo, keys["eve"])
    assert run("protokoll", "justera", D, "--rot", str(repo)).exit_code == 0
    members = (repo / "medlemmar.yaml").read_text()
    (repo / "medlemmar.yaml").write_text(members.replace(public(keys["anna"]), public(keys["eve"])))
    git(repo, "commit", "-q", "-am", "min nyckel")
    assert run("protokoll", "signera", D, "--rot", str(repo)).exit_code == 0
    assert validera(run, repo) == (0, [])  # without a base the PR's own keys are used
    code, diags = validera(run, repo, "--bas", "HEAD~1")
    assert code == 1
    assert codes(diags) == [("SIKT514", "medlemmar.yaml", 17), ("SIKT511", JUNE, 3)]


def test_exemption_only_from_the_base(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    path = repo / JUNE
    assert run("protokoll", "justera", D, "--rot", str(repo)).exit_code == 0
    text = path.read_text().replace(
        "status: justerat\n", 'status: justerat\nsignerat: nej\nsignerat_skal: "Före nycklarna"\n'
    )
    path.write_text(text)
    git(repo, "commit", "-q", "-am", "undantag")
    assert validera(run, repo) == (0, [])
    code, diags = validera(run, repo, "--bas", "HEAD~1")
    assert code == 1
    assert codes(diags) == [("SIKT515", JUNE, 3)]
    assert validera(run, repo, "--bas", "HEAD")[1] == []


def test_parse_key_and_allowed_signers(keys: dict[str, Path]) -> None:
    key = public(keys["anna"])
    assert parse_key(keys["anna"].read_text()) == key
    assert parse_key("ssh-ed25519 AAAA") is None
    assert parse_key(key.replace("ssh-ed25519", "ssh-rsa")) is None
    assert parse_key("ssh-ed25519 inte base64!") is None
    roster = roster_from(members_with(key).encode())
    assert keys_of(roster) == {"anna-ek": key}
    assert allowed_signers(keys_of(roster), ["bo-ek", "anna-ek"]) == (
        f'anna-ek namespaces="git" {key}\n'
    )


def test_malformed_key_is_a_finding(run: Run, archive: Callable[..., Path]) -> None:
    root = archive(members=members_with("ssh-ed25519 AAAAinte-en-nyckel"))
    result = run("validera", "--rot", str(root), "--format", "json")
    diags = json.loads(result.stdout)
    assert [(d["code"], d["file"], d["line"], d["message"]) for d in diags] == [
        ("SIKT510", "medlemmar.yaml", 17, "Nyckeln för 'anna-ek' är ingen publik SSH-nyckel.")
    ]
    assert result.exit_code == 1


def test_the_lock_lets_in_exactly_the_exemption(run: Run, repo: Path) -> None:
    """An old justerat protokoll gets `signerat: nej` in the pull request that adds the
    first keys: the lock (SIKT504) accepts exactly those lines, nothing more."""
    path = repo / JUNE
    assert run("protokoll", "justera", D, "--rot", str(repo)).exit_code == 0
    git(repo, "commit", "-q", "-am", "justerat")
    text = path.read_text()
    path.write_text(
        text.replace(
            "status: justerat\n", "status: justerat\nsignerat: nej\nsignerat_skal: Papper\n"
        )
    )
    result = run("validera", "--rot", str(repo), "--bas", "HEAD", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    path.write_text(path.read_text().replace("Text.", "Texten."))
    result = run("validera", "--rot", str(repo), "--bas", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert {d["code"] for d in json.loads(result.stdout)} == {"SIKT504"}


def test_outside_git_says_so(run: Run, archive: Callable[..., Path]) -> None:
    root = archive()
    result = run("validera", "--rot", str(root), "--signaturer")
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        "Fel: Arkivet är inget git-förråd, så signaturerna kan inte kontrolleras. "
        "tips: Kör 'sikt validera --signaturer' i en klon av arkivet."
    )


def test_a_squash_merge_keeps_the_signature(run: Run, repo: Path, keys: dict[str, Path]) -> None:
    """The same content on a rewritten history (a squash merge): the blob still matches."""
    signed(run, repo, keys["anna"])
    git(repo, "checkout", "-q", "--orphan", "squashed")
    git(repo, "commit", "-q", "-m", "squash")
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    assert validera(run, repo) == (0, [])


def test_signing_and_checking_on_an_autocrlf_checkout(
    run: Run, repo: Path, keys: dict[str, Path]
) -> None:
    """Git for Windows' default, core.autocrlf=true: LF in git, CRLF on disk. The file is
    the committed blob as git sees it, so signing and the check accept it."""
    git(repo, "config", "core.autocrlf", "true")
    (repo / JUNE).unlink()
    git(repo, "checkout", "--", JUNE)
    assert b"\r\n" in (repo / JUNE).read_bytes()
    signed(run, repo, keys["anna"])
    assert b"\r\n" in (repo / JUNE).read_bytes()
    assert validera(run, repo) == (0, [])
