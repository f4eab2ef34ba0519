"""The release: the workflow's structure, and its commands run here for real.

`.github/workflows/release.yml` cannot run here (no GitHub, no PyPI upload), so it is checked
twice: structurally (triggers, the OIDC permission only where it publishes, no token, no
expression inside a shell line), and by running its `bygg` and `testa` jobs' shell steps one
by one in a copy of this working tree tagged v9.8.7 — `python -m build`, `twine check`, the
install of the built wheel into a fresh venv, `sikt --version`, `sikt validera`. Only the
step that runs this test suite again is left out (it is the suite running now), and the
publish job, whose one action uploads to PyPI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import GIT_ENV, REPO, git
from test_ci import load_workflow, run_scripts, steps, triggers

RELEASE = REPO / ".github" / "workflows" / "release.yml"
CHANGELOG_WORKFLOW = REPO / ".github" / "workflows" / "changelog.yml"
TAG = "v9.8.7"
NOT_RUN_HERE = {"Kör testerna mot den installerade wheelen"}  # the suite that runs now
# the build and install behind `released` take about a minute; the jobs run on ubuntu
# (bash, venv/bin), so elsewhere only the structural checks run
SLOW = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="the release jobs run on ubuntu-latest"),
]


def check_release(text: str) -> None:
    wf = load_workflow(text)
    assert triggers(wf) == {"push"}
    assert wf["on"]["push"] == {"tags": ["v*"]}, "only a version tag releases"
    assert wf["permissions"] == {"contents": "read"}, "the token is read-only but to publish"
    for script in run_scripts(wf):
        assert "${{" not in script, f"expression inside a run script: {script!r}"
    assert not re.search(r"password|api[-_]token|secrets\.", text), "no token: OIDC only"
    jobs = wf["jobs"]
    publishers = [
        name
        for name, job in jobs.items()
        if any(
            str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish@") for s in steps(job)
        )
    ]
    assert publishers == ["publicera"]
    publish = jobs["publicera"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert set(publish["needs"]) == {"bygg", "testa"}, "nothing is published untested"
    (action,) = [s for s in steps(publish) if "pypa/gh-action-pypi-publish" in s.get("uses", "")]
    assert action["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in action, "no password, no repository override"
    for name, job in jobs.items():
        if name != "publicera":
            assert "permissions" not in job, f"{name} widens the token"
        for step in steps(job):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    build = next(s for s in steps(jobs["bygg"]) if "actions/checkout" in s.get("uses", ""))
    assert build["with"]["fetch-depth"] == 0, "setuptools-scm needs the tags"
    runs = [s["run"] for s in steps(jobs["bygg"]) if "run" in s]
    assert "python -m build" in runs
    assert "python -m twine check --strict dist/*" in runs
    assert jobs["testa"]["needs"] == "bygg"


def test_release_workflow_structure() -> None:
    check_release(RELEASE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (("permissions:\n  contents: read\n", "permissions:\n  id-token: write\n"), "read-only"),
        (
            (
                "      - uses: pypa/gh-action-pypi-publish@release/v1\n",
                "      - uses: pypa/gh-action-pypi-publish@release/v1\n"
                "        with:\n          password: ${{ secrets.PYPI_API_TOKEN }}\n",
            ),
            "no token",
        ),
        (("    needs: [bygg, testa]\n", "    needs: [bygg]\n"), "untested"),
        (('      - "v*"\n', '      - "v*"\n    branches: [main]\n'), "only a version tag"),
        (
            (
                '"$RUNNER_TEMP/venv/bin/sikt" --version',
                '"$RUNNER_TEMP/venv/bin/sikt" ${{ github.ref_name }}',
            ),
            "expression inside",
        ),
    ],
    ids=["top-level-oidc", "token", "untested", "branch", "expression"],
)
def test_release_check_catches_mistakes(change: tuple[str, str], match: str) -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(AssertionError, match=match):
        check_release(text.replace(change[0], change[1], 1))


def test_changelog_workflow_structure() -> None:
    wf = load_workflow(CHANGELOG_WORKFLOW.read_text(encoding="utf-8"))
    assert triggers(wf) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    (job,) = wf["jobs"].values()
    checkout = steps(job)[0]
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    (step,) = [s for s in steps(job) if "towncrier check" in s.get("run", "")]
    assert step["run"] == 'python -m towncrier check --compare-with "origin/$BASE_REF"'
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}


# --- the workflow's commands, run here -----------------------------------------------------


def working_tree_copy(target: Path, *, tag: bool = True) -> Path:
    """This working tree as a fresh clone would have it (tracked and new files, not the
    ignored ones), committed and tagged, so that uncommitted work is built too; without
    `tag`, a plain copy with no git history at all (a zip download)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    if not tag:
        return target
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "release")
    git(target, "tag", TAG)
    return target


def expand(value: str, context: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        assert m[1] in context, f"no local value for ${{{{ {m[1]} }}}}"
        return context[m[1]]

    return re.sub(r"\$\{\{ *([\w.]+) *\}\}", one, value)


def run_job(
    job: dict[str, Any], workspace: Path, env: dict[str, str], artifacts: Path
) -> list[str]:
    """Run a job's steps the way a runner does (bash -eo pipefail, the step's env);
    checkout and setup-python are already done, artifacts are a folder."""
    ran = []
    context = {"github.ref_name": TAG}
    for step in steps(job):
        uses = str(step.get("uses", ""))
        if uses.startswith("actions/upload-artifact@"):
            shutil.copytree(workspace / step["with"]["path"], artifacts / step["with"]["name"])
        elif uses.startswith("actions/download-artifact@"):
            target = workspace / step["with"]["path"]
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(artifacts / step["with"]["name"], target)
        elif uses:
            assert uses.startswith(("actions/checkout@", "actions/setup-python@")), uses
        elif step.get("name") not in NOT_RUN_HERE:
            step_env = {k: expand(str(v), context) for k, v in step.get("env", {}).items()}
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workspace,
                env={**env, **step_env},
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            assert done.returncode == 0, f"{step['name']}:\n{done.stdout}\n{done.stderr}"
            ran.append(step["name"])
    return ran


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bygg and testa jobs, run in a tagged copy of this tree."""
    tmp = tmp_path_factory.mktemp("release")
    runner_temp = tmp / "runner"
    runner_temp.mkdir()
    artifacts = tmp / "artifacts"
    artifacts.mkdir()
    wf = load_workflow(RELEASE.read_text(encoding="utf-8"))
    bin_dir = str(Path(sys.executable).parent)  # `python` is the test venv: build, twine
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
        **GIT_ENV,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "RUNNER_TEMP": str(runner_temp),
    }
    built = working_tree_copy(tmp / "bygg")
    ran = run_job(wf["jobs"]["bygg"], built, env, artifacts)
    tested = working_tree_copy(tmp / "testa")
    ran += run_job(wf["jobs"]["testa"], tested, env, artifacts)
    steps_with_run = [
        s["name"] for j in ("bygg", "testa") for s in steps(wf["jobs"][j]) if "run" in s
    ]
    assert ran == [s for s in steps_with_run if s not in NOT_RUN_HERE]
    return {"dist": built / "dist", "venv": runner_temp / "venv", "root": tmp}


@SLOW[0]
@SLOW[1]
def test_build_gives_wheel_and_sdist_of_the_tag(released: dict[str, Path]) -> None:
    names = sorted(p.name for p in released["dist"].iterdir())
    assert names == ["sikt_cli-9.8.7-py3-none-any.whl", "sikt_cli-9.8.7.tar.gz"]


@SLOW[0]
@SLOW[1]
def test_the_wheel_has_the_metadata_and_the_files(released: dict[str, Path]) -> None:
    import zipfile

    with zipfile.ZipFile(released["dist"] / "sikt_cli-9.8.7-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        meta = wheel.read("sikt_cli-9.8.7.dist-info/METADATA").decode()
    assert "sikt_cli/stommar/validera.yml" in names
    assert {
        "sikt_cli/render/fonts/DejaVuSans.ttf",
        "sikt_cli/render/fonts/DejaVuSans-Oblique.ttf",
        "sikt_cli/render/fonts/DejaVuSans-BoldOblique.ttf",
        "sikt_cli/render/fonts/LICENSE-DejaVu.txt",
    } <= names
    assert {f"sikt_cli/mallar/{p.name}" for p in (REPO / "sikt_cli/mallar").iterdir()} <= names
    assert "sikt_cli/py.typed" in names
    assert "sikt_cli-9.8.7.dist-info/licenses/LICENSE" in names
    assert not any(n.startswith(("tests/", "protokoll/")) for n in names)
    for line in (
        "Name: sikt-cli",
        "Version: 9.8.7",
        "License-Expression: MIT",
        "Requires-Python: >=3.11",
        "Project-URL: Source, https://github.com/sikt-natverket/sikt",
        "Project-URL: Changelog, https://github.com/sikt-natverket/sikt/blob/main/CHANGELOG.md",
        "Classifier: Natural Language :: Swedish",
        "Description-Content-Type: text/markdown",
    ):
        assert line in meta.splitlines(), line


@SLOW[0]
@SLOW[1]
def test_installed_wheel_runs_the_real_archive(
    released: dict[str, Path], real_archive: Path
) -> None:
    sikt = released["venv"] / "bin" / "sikt"
    version = subprocess.run([sikt, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout == "sikt 9.8.7\n"
    check = subprocess.run(
        [sikt, "validera", "--rot", str(real_archive)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Traceback" not in check.stderr


@SLOW[0]
@SLOW[1]
def test_installed_wheel_refuses_to_pin_itself(released: dict[str, Path], tmp_path: Path) -> None:
    """Installed from a local wheel file, `sikt init` cannot name where CI gets it: refused
    (the real direct_url.json that pip wrote), until --installera says."""
    sikt = released["venv"] / "bin" / "sikt"
    args = [sikt, "init", str(tmp_path / "nytt"), "--namn", "Testnätverket"]
    refused = subprocess.run(
        args, capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "200"}
    )
    assert refused.returncode == 1
    text = " ".join(refused.stderr.split())
    wheel = (released["root"] / "testa/dist/sikt_cli-9.8.7-py3-none-any.whl").as_uri()
    assert f"Fel: sikt är installerat från en lokal sökväg ({wheel})" in text
    assert "--installera 'sikt-cli==0.2.0'" in text
    assert not (tmp_path / "nytt").exists()
    done = subprocess.run(
        [*args, "--installera", "sikt-cli==9.8.7"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "python -m pip install 'sikt-cli==9.8.7'\n" in (tmp_path / "nytt/README.md").read_text(
        encoding="utf-8"
    )


@SLOW[0]
@SLOW[1]
def test_sdist_builds_the_same_version_without_git(
    released: dict[str, Path], tmp_path: Path
) -> None:
    """The sdist carries its version (PKG-INFO): unpacked with no .git, it still says 9.8.7."""
    import tarfile

    with tarfile.open(released["dist"] / "sikt_cli-9.8.7.tar.gz") as sdist:
        names = sdist.getnames()
        pkg_info = sdist.extractfile("sikt_cli-9.8.7/PKG-INFO")
        assert pkg_info is not None
        assert "Version: 9.8.7" in pkg_info.read().decode().splitlines()
    for rel in ("LICENSE", "README.md", "pyproject.toml", "sikt_cli/stommar/README.md"):
        assert f"sikt_cli-9.8.7/{rel}" in names, rel


@SLOW[0]
@SLOW[1]
def test_fresh_venv_is_fresh(released: dict[str, Path]) -> None:
    """The wheel was installed into a venv of its own, not the one running the tests."""
    cfg = (released["venv"] / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in cfg
    assert released["venv"].resolve() != Path(sys.prefix).resolve()


def test_a_copy_without_git_still_builds(tmp_path: Path) -> None:
    """No tags, no .git: setuptools-scm's fallback_version, not a failed build."""
    copy = working_tree_copy(tmp_path / "zip", tag=False)
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(copy)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, **GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    built = [p.name for p in (tmp_path / "dist").iterdir()]
    assert built == ["sikt_cli-0.0.0.dev0-py3-none-any.whl"]


# --- the GitLab equivalent in docs/utgavor.md ----------------------------------------------

RELEASE_DOC = REPO / "docs" / "utgavor.md"
# GitHub's names for the tag and the fresh venv → the GitLab job's
TO_GITLAB = {'"$RUNNER_TEMP/venv': '"$VENV', "${TAG#v}": "${CI_COMMIT_TAG#v}"}


def gitlab_release() -> dict[str, Any]:
    import yaml

    blocks = re.findall(
        r"^```yaml\n(.*?)^```", RELEASE_DOC.read_text(encoding="utf-8"), re.M | re.S
    )
    (block,) = [b for b in blocks if "id_tokens:" in b]
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    return data


def github_commands(job: str) -> list[str]:
    wf = load_workflow(RELEASE.read_text(encoding="utf-8"))
    lines = [line for s in steps(wf["jobs"][job]) if "run" in s for line in s["run"].splitlines()]
    for old, new in TO_GITLAB.items():
        lines = [line.replace(old, new) for line in lines]
    return lines


def test_gitlab_release_structure() -> None:
    ci = gitlab_release()
    assert ci["stages"] == ["bygg", "testa", "publicera"]
    base = ci[".utgava"]
    assert base["rules"] == [{"if": "$CI_COMMIT_TAG =~ /^v[0-9]/"}], "only a version tag"
    jobs = {name: job for name, job in ci.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"bygg", "testa", "publicera"}
    assert all(job["extends"] == ".utgava" for job in jobs.values())
    assert jobs["bygg"]["variables"]["GIT_DEPTH"] == "0", "setuptools-scm needs the tags"
    assert jobs["bygg"]["artifacts"]["paths"] == ["dist/"]
    assert jobs["testa"]["needs"] == ["bygg"]
    publish = jobs["publicera"]
    assert set(publish["needs"]) == {"bygg", "testa"}, "nothing is published untested"
    assert publish["id_tokens"] == {"PYPI_ID_TOKEN": {"aud": "pypi"}}
    assert publish["environment"] == "pypi"
    assert publish["script"][-1] == "python -m twine upload dist/*"
    text = str(ci)
    assert not re.search(r"TWINE_PASSWORD|password|api[-_]token", text, re.I), "OIDC only"


@pytest.mark.parametrize("job", ["bygg", "testa"])
def test_gitlab_release_runs_the_commands_run_here(job: str) -> None:
    """The GitLab job's commands are the GitHub job's, which `released` runs for real."""
    script = gitlab_release()[job]["script"]
    assert script == github_commands(job)
