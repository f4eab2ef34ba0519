"""`sikt init` pins the install line to where the running sikt came from (PEP 610).

The installed distribution is faked the honest way: a real dist-info with a real
`direct_url.json`, put first on sys.path, read by the real importlib.metadata lookup.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import PINNED_COMMIT, PINNED_URL, REPO, write_distribution

from sikt_cli.services import pinned_install
from sikt_cli.services.pinned_install import HINT, check
from sikt_cli.services.pinned_install import running_distribution as real_lookup

Run = Callable[..., Any]
COMMIT = "89abcdef0123456789abcdef0123456789abcdef"
SHA256 = "ab" * 32
UNSAFE = (
    "men det går inte att skriva som en låst och säker installationsrad (bara https eller "
    "ssh, hela commit-id:t eller sha256, inga inloggningsuppgifter i adressen)."
)
SHELL = "innehåller mellanslag eller tecken som betyder något för skalet (t.ex. ' \" $ ; & | < > *)"
HINT_TEXT = (
    "Ange en låst installation med --installera, t.ex. --installera 'sikt-cli==0.2.0' "
    "(en utgiven version) eller --installera "
    "'sikt-cli @ git+https://github.com/sikt-natverket/sikt@<hela commit-id:t>'."
)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """installed("0.4.1", {direct_url}) → sikt-cli looks installed like that, for real."""

    def make(version: str, direct_url: dict[str, object] | None) -> None:
        site = write_distribution(tmp_path / "site", version, direct_url)
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.setattr(pinned_install, "running_distribution", real_lookup)
        found = real_lookup()
        assert found is not None and found.version == version  # ours is the one found

    return make


def init(run: Run, root: Path, *args: str) -> Any:
    return run("init", str(root), "--namn", "Testnätverket", *args)


def one_line(output: str) -> str:
    return " ".join(output.split())


def install_lines(root: Path) -> list[str]:
    """Every pip/pipx install command in every file the archive got."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            found += re.findall(r"pipx? install [^\n`]*", text)
    return found


# --- where the running sikt came from ------------------------------------------------------


@pytest.mark.parametrize("gitlab", [False, True])
def test_vcs_install_writes_url_and_commit(
    gitlab: bool, installed: Callable[..., None], tmp_path: Path, run: Run
) -> None:
    url = "https://gitlab.example.se/it/sikt.git"
    installed("0.4.1", {"url": url, "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    root = tmp_path / "nytt"
    result = init(run, root, *(["--gitlab"] if gitlab else []))
    assert result.exit_code == 0, result.output
    spec = f"sikt-cli @ git+{url}@{COMMIT}"
    assert f"Arkivet installerar sikt med: python -m pip install '{spec}'" in result.stdout
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"python -m pip install '{spec}'\n" in readme
    if gitlab:
        job = yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
        lines = job["validera-protokoll"]["before_script"]
        assert f"python -m pip install -q '{spec}'" in lines
    else:
        wf = yaml.safe_load((root / ".github/workflows/validera.yml").read_text(encoding="utf-8"))
        runs = [s["run"] for s in wf["jobs"]["validera"]["steps"] if "run" in s]
        assert runs[0] == f"python -m pip install '{spec}'"
        assert shlex.split(runs[0]) == ["python", "-m", "pip", "install", spec]


def test_vcs_install_with_subdirectory(
    installed: Callable[..., None], tmp_path: Path, run: Run
) -> None:
    installed(
        "0.4.1",
        {
            "url": "ssh://git@github.com/natverk/verktyg.git",
            "vcs_info": {"vcs": "git", "commit_id": COMMIT},
            "subdirectory": "sikt",
        },
    )
    result = init(run, tmp_path / "nytt")
    assert result.exit_code == 0, result.output
    spec = f"sikt-cli @ git+ssh://git@github.com/natverk/verktyg.git@{COMMIT}#subdirectory=sikt"
    assert f"install '{spec}'" in result.stdout


def test_index_install_writes_the_exact_version(
    installed: Callable[..., None], tmp_path: Path, run: Run
) -> None:
    installed("0.4.1", None)
    root = tmp_path / "nytt"
    assert init(run, root).exit_code == 0
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install 'sikt-cli==0.4.1'\n" in readme
    assert "`pipx install 'sikt-cli==0.4.1'`" in readme


def test_archive_url_install_writes_url_and_hash(
    installed: Callable[..., None], tmp_path: Path, run: Run
) -> None:
    url = "https://filer.example.se/sikt_cli-0.4.1-py3-none-any.whl"
    installed("0.4.1", {"url": url, "archive_info": {"hashes": {"sha256": SHA256}}})
    result = init(run, tmp_path / "nytt")
    assert result.exit_code == 0, result.output
    assert f"install 'sikt-cli @ {url}#sha256={SHA256}'" in result.stdout


@pytest.mark.parametrize(
    ("direct_url", "where"),
    [
        (
            {"url": "file:///home/anna/sikt", "dir_info": {"editable": True}},
            "file:///home/anna/sikt, redigerbart",
        ),
        ({"url": "file:///home/anna/sikt", "dir_info": {}}, "file:///home/anna/sikt"),
        (
            {
                "url": "file:///tmp/dist/sikt_cli-0.4.1-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": SHA256}},
            },
            "file:///tmp/dist/sikt_cli-0.4.1-py3-none-any.whl",
        ),
        (
            {"url": "file:///home/anna/sikt", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
            "file:///home/anna/sikt",
        ),
    ],
    ids=["editable", "folder", "local-wheel", "local-git"],
)
def test_local_install_without_installera_is_refused(
    direct_url: dict[str, object],
    where: str,
    installed: Callable[..., None],
    tmp_path: Path,
    run: Run,
) -> None:
    installed("0.4.1", direct_url)
    root = tmp_path / "nytt"
    result = init(run, root)
    assert result.exit_code == 1
    assert one_line(result.output) == one_line(
        f"Fel: sikt är installerat från en lokal sökväg ({where}); det nya arkivets CI kan "
        f"inte installera därifrån. tips: {HINT_TEXT}"
    )
    assert not root.exists()  # refused before anything was written
    again = init(run, root, "--installera", "sikt-cli==0.4.1")
    assert again.exit_code == 0, again.output
    assert "python -m pip install 'sikt-cli==0.4.1'\n" in (root / "README.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("version", "direct_url", "message"),
    [
        (
            "0.4.1",
            {
                "url": "https://anna:hemligt@git.example.se/sikt",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT},
            },
            "sikt är installerat från https://anna:hemligt@git.example.se/sikt (commit "
            f"{COMMIT}), {UNSAFE}",
        ),
        (
            "0.4.1",
            {
                "url": "https://${TOKEN}@git.example.se/sikt",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT},
            },
            "sikt är installerat från https://${TOKEN}@git.example.se/sikt (commit "
            f"{COMMIT}), {UNSAFE}",
        ),
        (
            "0.4.1",
            {"url": "https://filer.example.se/sikt.whl", "archive_info": {}},
            f"sikt är installerat från https://filer.example.se/sikt.whl, {UNSAFE}",
        ),
        (
            "0.4.1",
            {"url": "https://example.se/x"},
            "sikt är installerat från https://example.se/x, som inte kan låsas.",
        ),
        (
            "0.4.1+g1234",
            None,
            "Den installerade versionen 0.4.1+g1234 av sikt-cli är ingen utgiven version.",
        ),
    ],
    ids=["password", "env-placeholder", "no-hash", "unknown-kind", "local-version"],
)
def test_unpinnable_install_is_refused(
    version: str,
    direct_url: dict[str, object] | None,
    message: str,
    installed: Callable[..., None],
    tmp_path: Path,
    run: Run,
) -> None:
    installed(version, direct_url)
    result = init(run, tmp_path / "nytt")
    assert result.exit_code == 1
    assert one_line(result.output) == one_line(f"Fel: {message} tips: {HINT_TEXT}")
    assert not (tmp_path / "nytt").exists()


def test_unreadable_direct_url_is_refused(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_distribution(tmp_path / "site", "0.4.1", {})
    next(site.glob("*.dist-info")).joinpath("direct_url.json").write_text("{inte json")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(pinned_install, "running_distribution", real_lookup)
    result = init(run, tmp_path / "nytt")
    assert result.exit_code == 1
    assert "Installationsuppgiften för sikt-cli (direct_url.json) går inte att läsa:" in (
        one_line(result.output)
    )
    assert "Internt fel" not in result.output


def test_not_installed_is_refused(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pinned_install, "running_distribution", lambda: None)
    result = init(run, tmp_path / "nytt")
    assert result.exit_code == 1
    assert one_line(result.output) == one_line(
        "Fel: sikt körs utan att vara installerat som paketet sikt-cli, så det går inte att "
        "säga varifrån det nya arkivets CI ska installera samma version. "
        f"tips: {HINT_TEXT}"
    )


def test_the_real_lookup_finds_this_checkout() -> None:
    """The test run itself is an editable install of this repo: a local path."""
    found = real_lookup()
    assert found is not None
    with pytest.raises(pinned_install.Refused, match="lokal sökväg"):
        pinned_install.pinned(found)


# --- --installera ----------------------------------------------------------------------------

GOOD = [
    "sikt-cli==1.2.3",
    "sikt_cli==1.2.3",
    "Sikt-CLI==1.2.3rc1",
    "sikt-cli===1.2.3",
    f"sikt-cli @ git+https://github.com/sikt-natverket/sikt@{COMMIT}",
    f"sikt-cli @ git+https://gitlab.example.se:8443/it/sikt.git@{COMMIT}",
    f"sikt-cli @ git+ssh://git@github.com/sikt-natverket/sikt.git@{COMMIT}",
    f"sikt-cli @ git+https://github.com/sikt-natverket/sikt@{COMMIT}{'0' * 24}",
    f"sikt-cli @ https://filer.example.se/sikt_cli-1.2.3-py3-none-any.whl#sha256={SHA256}",
]


@pytest.mark.parametrize("spec", GOOD)
def test_good_installera_is_written_as_one_shell_word(spec: str, tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    result = init(run, root, "--installera", spec)
    assert result.exit_code == 0, result.output
    wf = yaml.safe_load((root / ".github/workflows/validera.yml").read_text(encoding="utf-8"))
    runs = [s["run"] for s in wf["jobs"]["validera"]["steps"] if "run" in s]
    assert shlex.split(runs[0]) == ["python", "-m", "pip", "install", spec]


BAD = [
    ("sikt-cli", "är inte låst till en version (bara namnet, eller ett intervall)"),
    ("sikt-cli>=1.0", "är inte låst till en version (bara namnet, eller ett intervall)"),
    ("sikt-cli~=1.0", "är inte låst till en version (bara namnet, eller ett intervall)"),
    ("sikt-cli==1.*", "är inte låst till en version (bara namnet, eller ett intervall)"),
    ("sikt-cli==1.0\nrm -rf ~", "innehåller radbrytningar eller kontrolltecken"),
    ("sikt-cli==1.0\u2028x", "innehåller radbrytningar eller kontrolltecken"),
    (
        "sikt-cli==1.0; rm -rf ~",
        SHELL,
    ),
    (
        "sikt-cli==$(id)",
        SHELL,
    ),
    (
        "sikt-cli==1.0' && curl x '",
        SHELL,
    ),
    (
        "sikt-cli==1.0 `id`",
        SHELL,
    ),
    (
        "sikt-cli @ git+https://github.com/sikt-natverket/sikt@main",
        "anger inte hela commit-id:t, eller adressen är inte https eller ssh",
    ),
    (
        "sikt-cli @ git+https://github.com/sikt-natverket/sikt@89abcdef",
        "anger inte hela commit-id:t, eller adressen är inte https eller ssh",
    ),
    (
        f"sikt-cli @ git+file:///home/anna/sikt@{COMMIT}",
        "anger inte hela commit-id:t, eller adressen är inte https eller ssh",
    ),
    (
        f"sikt-cli @ git+http://github.com/sikt-natverket/sikt@{COMMIT}",
        "anger inte hela commit-id:t, eller adressen är inte https eller ssh",
    ),
    (
        f"sikt-cli @ git+https://anna@github.com/sikt-natverket/sikt@{COMMIT}",
        "anger inte hela commit-id:t, eller adressen är inte https eller ssh",
    ),
    (
        "sikt-cli @ https://filer.example.se/sikt_cli-1.2.3-py3-none-any.whl",
        "är ingen låst installation av sikt-cli",
    ),
    ("annat-paket==1.0", "är ingen låst installation av sikt-cli"),
    ("./sikt", "är ingen låst installation av sikt-cli"),
    ("-e .", SHELL),
    ("", "är ingen låst installation av sikt-cli"),
]


@pytest.mark.parametrize(("spec", "problem"), BAD)
def test_bad_installera_is_refused(spec: str, problem: str, tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    result = init(run, root, "--installera", spec)
    assert result.exit_code == 2
    assert one_line(result.output) == one_line(
        f"Fel: --installera {spec!r} {problem}. tips: {HINT_TEXT}"
    )
    assert not root.exists()


def test_check_is_the_one_rule() -> None:
    assert [check(s) for s in GOOD] == GOOD
    assert HINT == HINT_TEXT


# --- nothing unpinned anywhere ---------------------------------------------------------------


@pytest.mark.parametrize("flags", [[], ["--gitlab"]])
def test_no_generated_file_installs_an_unpinned_sikt(
    flags: list[str], tmp_path: Path, run: Run
) -> None:
    root = tmp_path / "nytt"
    assert init(run, root, *flags).exit_code == 0
    lines = install_lines(root)
    assert len(lines) >= 3  # README (pip and pipx) and the CI file
    for line in lines:
        words = shlex.split(line)
        specs = [w for w in words[2:] if not w.startswith("-") and w != "install"]
        for spec in specs:
            if "sikt" in spec.lower():
                assert check(spec) == spec, line


def test_docs_never_show_an_unpinned_install() -> None:
    bare = re.compile(r"pipx? install (?:-q )?(['\"]?)sikt[-_]cli\1(?=[\s`]|$)(?! @)", re.M)
    for path in [
        REPO / "README.md",
        *sorted((REPO / "docs").glob("*.md")),
        *sorted((REPO / "sikt_cli" / "stommar").iterdir()),
    ]:
        found = bare.findall(path.read_text(encoding="utf-8"))
        assert found == [], f"{path.relative_to(REPO)}: {found}"
    for unpinned in (
        "pip install sikt-cli\n",
        "pipx install 'sikt-cli'`",
        "pip install -q sikt_cli",
    ):
        assert bare.search(unpinned), unpinned  # the check itself can fail
    assert not bare.search("pipx install 'sikt-cli @ git+https://x/y@0123'")


# --- keeping the pin current: the Renovate configuration in docs/ci.md --------------------


def renovate_managers() -> list[dict[str, Any]]:
    import json

    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"^```json\n(\{\n  \"extends\".*?)^```", text, re.M | re.S)
    managers = json.loads(block)["customManagers"]
    assert isinstance(managers, list)
    return managers


def renovate_matches(manager: dict[str, Any], root: Path) -> dict[str, dict[str, str]]:
    """What Renovate's regex manager captures in each generated file it looks at (Renovate
    writes named groups as (?<name>…), Python as (?P<name>…))."""
    files = [re.compile(p.strip("/")) for p in manager["managerFilePatterns"]]
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and any(f.search(rel) for f in files):
            for pattern in manager["matchStrings"]:
                m = re.search(pattern.replace("(?<", "(?P<"), path.read_text(encoding="utf-8"))
                if m:
                    found[rel] = m.groupdict()
    return found


@pytest.mark.parametrize("flags", [[], ["--gitlab"]])
def test_renovate_finds_the_released_version(flags: list[str], tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    assert init(run, root, "--installera", "sikt-cli==0.4.1", *flags).exit_code == 0
    pypi = next(m for m in renovate_managers() if m["datasourceTemplate"] == "pypi")
    ci = ".gitlab-ci.yml" if flags else ".github/workflows/validera.yml"
    expected = {"depName": "sikt-cli", "currentValue": "0.4.1"}
    assert renovate_matches(pypi, root) == {ci: expected, "README.md": expected}


@pytest.mark.parametrize("flags", [[], ["--gitlab"]])
def test_renovate_finds_the_git_commit(flags: list[str], tmp_path: Path, run: Run) -> None:
    root = tmp_path / "nytt"
    assert init(run, root, *flags).exit_code == 0  # the git install of the conftest fixture
    git_refs = next(m for m in renovate_managers() if m["datasourceTemplate"] == "git-refs")
    ci = ".gitlab-ci.yml" if flags else ".github/workflows/validera.yml"
    expected = {"packageName": PINNED_URL, "currentDigest": PINNED_COMMIT}
    assert renovate_matches(git_refs, root) == {ci: expected, "README.md": expected}
