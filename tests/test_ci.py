"""CI for a network's archive: the GitHub/Forgejo workflow, `--format gitlab` and the GitLab
job, and the pre-commit hook.

The workflows are checked twice: structurally (always, with PyYAML), and by the real
`actionlint` when it is on PATH. actionlint is a Go binary that this project does not depend
on, so that test skips where it is missing; the structural test covers the acceptance
("triggers on pull_request only", read-only token, no `${{ }}` inside `run:`) everywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MEMBERS, PINNED_SPEC, REPO, protokoll

from sikt_cli.diagnostics import Diagnostic, Result, Severity
from sikt_cli.render.diagnostic_formats import report_gitlab

Run = Callable[..., Any]

WORKFLOW = REPO / ".github" / "workflows" / "validera.yml"


# --- helpers ------------------------------------------------------------------------------


def load_workflow(text: str) -> dict[str, Any]:
    """A workflow as a dict. PyYAML (YAML 1.1) reads the key `on` as the boolean True."""
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    if True in data:
        data["on"] = data.pop(True)
    return data


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]  # `on: x`, `on: [x, y]` or a mapping of events
    return {on} if isinstance(on, str) else set(on)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    result = job.get("steps", [])
    assert isinstance(result, list)
    return result


def run_scripts(workflow: dict[str, Any]) -> list[str]:
    return [s["run"] for job in workflow["jobs"].values() for s in steps(job) if "run" in s]


def validation_job(workflow: dict[str, Any]) -> dict[str, Any]:
    jobs = [
        job
        for job in workflow["jobs"].values()
        if any("sikt validera" in s.get("run", "") for s in steps(job))
    ]
    assert len(jobs) == 1, "exactly one job runs sikt validera"
    return jobs[0]


def check_workflow(text: str, *, with_tests: bool) -> None:
    """The acceptance of the workflow, for this repo's own and for the one `sikt init` writes."""
    assert "pull_request_target" not in text, "pull_request_target runs PR code with a write token"
    wf = load_workflow(text)
    assert triggers(wf) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    for job in wf["jobs"].values():  # no job widens the token again
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}

    for script in run_scripts(wf):
        assert "${{" not in script, f"expression inside a run script: {script!r}"

    job = validation_job(wf)
    checkouts = [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert len(checkouts) == 1
    assert checkouts[0]["with"]["fetch-depth"] == 0, "--bas needs the full history"
    assert checkouts[0]["with"].get("persist-credentials") is False

    runs = [s["run"] for s in steps(job) if "run" in s]
    assert any(re.search(r"\bpip install\b", r) for r in runs), "a step installs sikt"
    validate = [r for r in runs if "sikt validera" in r and "--signaturer" not in r]
    assert len(validate) == 1
    check_signature_step(job)
    assert re.search(r"sikt validera --format github --bas \"?origin/\$\{?\w+", validate[0])
    step = next(s for s in steps(job) if s.get("run") == validate[0])
    # the base branch reaches the script through an environment variable
    var = re.search(r"origin/\$\{?(\w+)", validate[0])
    assert var is not None
    assert step["env"][var.group(1)] == "${{ github.base_ref }}"

    others = [j for j in wf["jobs"].values() if j is not job]
    if with_tests:
        assert any(
            re.search(r"\bpython -m pytest\b", s.get("run", "")) for j in others for s in steps(j)
        ), "a second job runs the test suite"
    else:  # a network's archive has no test suite; its workflow only validates
        assert others == []


SIGNATURE_CONDITION = (
    "if git show \"origin/$BASE_REF:medlemmar.yaml\" 2>/dev/null | grep -q '^ *nyckel:'; then"
)


def check_signature_step(job: dict[str, Any]) -> None:
    """One step checks signatures, only when the base branch's medlemmar.yaml has a key
    (read from the base, so a pull request cannot delete the keys to skip it)."""
    signing = [s for s in steps(job) if "--signaturer" in s.get("run", "")]
    assert len(signing) == 1
    step = signing[0]
    lines = [line.strip() for line in step["run"].strip().splitlines()]
    assert lines[0] == SIGNATURE_CONDITION
    assert re.search(r'validera .*--bas "origin/\$BASE_REF" --signaturer\)?$', lines[1])
    assert lines[2:] == ["fi"]
    assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_signature_condition_is_true_only_with_a_key(tmp_path: Path) -> None:
    """The shell condition itself, run by sh against a real git base branch."""
    from helpers import git

    if shutil.which("sh") is None:
        pytest.skip("sh saknas")
    (tmp_path / "medlemmar.yaml").write_text(MEMBERS, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "medlemmar.yaml")
    git(tmp_path, "commit", "-q", "-m", "utan nyckel")
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    script = SIGNATURE_CONDITION + " echo ja; else echo nej; fi"

    def answer() -> str:
        env = {"BASE_REF": "main", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
        out = subprocess.run(["sh", "-c", script], cwd=tmp_path, env=env, capture_output=True)
        return out.stdout.decode().strip()

    assert answer() == "nej"
    # a key in the working tree only (the pull request's own) does not switch the check on
    keyed = MEMBERS.replace(
        "    roller: [ordforande]\n", "    roller: [ordforande]\n    nyckel: ssh-ed25519 AAAA\n"
    )
    (tmp_path / "medlemmar.yaml").write_text(keyed, encoding="utf-8")
    assert answer() == "nej"
    git(tmp_path, "commit", "-q", "-am", "nyckel")
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert answer() == "ja"


@pytest.fixture
def scaffolded(tmp_path: Path, run: Run) -> Callable[..., Path]:
    def make(*args: str) -> Path:
        target = tmp_path / "nytt"
        result = run("init", str(target), "--namn", "Testnätverket", *args)
        assert result.exit_code == 0, result.output
        return target

    return make


# --- the GitHub / Forgejo workflow ---------------------------------------------------------


def test_repo_workflow_structure() -> None:
    check_workflow(WORKFLOW.read_text(encoding="utf-8"), with_tests=True)


def test_init_workflow_structure(scaffolded: Callable[..., Path]) -> None:
    text = (scaffolded() / ".github/workflows/validera.yml").read_text(encoding="utf-8")
    assert "{{" not in text.replace("${{", ""), "a placeholder was left"
    check_workflow(text, with_tests=False)
    wf = load_workflow(text)
    assert f"python -m pip install '{PINNED_SPEC}'" in run_scripts(wf)


def test_init_workflow_uses_the_install_spec(scaffolded: Callable[..., Path]) -> None:
    root = scaffolded("--installera", "sikt-cli==1.2.3")
    wf = load_workflow((root / ".github/workflows/validera.yml").read_text(encoding="utf-8"))
    assert "python -m pip install 'sikt-cli==1.2.3'" in run_scripts(wf)


@pytest.mark.parametrize(
    "bad",
    [
        "on:\n  pull_request_target:\n",
        "on: [pull_request, push]\n",
        "on:\n  pull_request:\n  push:\n",
    ],
)
def test_structural_check_catches_wrong_triggers(bad: str) -> None:
    """The check itself: a workflow with another trigger fails it."""
    text = WORKFLOW.read_text(encoding="utf-8").replace("on:\n  pull_request:\n", bad)
    assert text != WORKFLOW.read_text(encoding="utf-8")
    with pytest.raises(AssertionError):
        check_workflow(text, with_tests=True)


def test_structural_check_catches_expression_in_run() -> None:
    text = WORKFLOW.read_text(encoding="utf-8").replace(
        '"origin/$BASE_REF"', '"origin/${{ github.base_ref }}"'
    )
    with pytest.raises(AssertionError, match="expression inside a run script"):
        check_workflow(text, with_tests=True)


@pytest.mark.parametrize("which", ["repo", "init"])
def test_actionlint(which: str, scaffolded: Callable[..., Path]) -> None:
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip(
            "actionlint is not on PATH (a Go binary, not a dependency of this project); "
            "test_repo_workflow_structure and test_init_workflow_structure still check both "
            "workflows"
        )
    path = WORKFLOW if which == "repo" else scaffolded() / ".github/workflows/validera.yml"
    done = subprocess.run(
        [actionlint, "-no-color", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- --format gitlab ----------------------------------------------------------------------

BROKEN = protokoll(
    extra_frontmatter="närvaro: [anna-ek]\njusterare: [okand, okand]\n",
    body="## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [ ] @okand-x @okand-x Boka lokal\n",
)


def gitlab_report(run: Run, root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run("validera", "--format", "gitlab", "--rot", str(root))
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return result.exit_code, data


def test_gitlab_report_on_broken_protokoll(archive: Callable[..., Path], run: Run) -> None:
    root = archive({"protokoll/2020-06-05.md": BROKEN})
    code, issues = gitlab_report(run, root)
    assert code == 1
    diags = json.loads(run("validera", "--format", "json", "--rot", str(root)).stdout)
    assert len(issues) == len(diags) >= 4
    for issue, d in zip(issues, diags, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == d["code"]
        assert issue["location"] == {"path": d["file"], "lines": {"begin": d["line"]}}
        assert issue["description"].startswith(d["message"])
        assert issue["severity"] == {"error": "major", "warning": "minor"}[d["severity"]]
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    by_code = {i["check_name"]: i for i in issues}
    unknown_key = by_code["SIKT109"]
    assert unknown_key["location"]["path"] == "protokoll/2020-06-05.md"
    line = BROKEN.splitlines().index("närvaro: [anna-ek]") + 1
    assert unknown_key["location"]["lines"]["begin"] == line
    assert "Tips: Menade du 'narvarande'?" in unknown_key["description"]
    assert {i["severity"] for i in issues} == {"major", "minor"}  # SIKT209 is a warning


def test_gitlab_fingerprints_unique_and_stable(archive: Callable[..., Path], run: Run) -> None:
    """Two findings on one line (`[okand, okand]`, `@okand-x @okand-x`) differ only by column."""
    root = archive({"protokoll/2020-06-05.md": BROKEN})
    _, first = gitlab_report(run, root)
    _, second = gitlab_report(run, root)
    prints = [i["fingerprint"] for i in first]
    assert len(set(prints)) == len(prints)
    assert prints == [i["fingerprint"] for i in second]
    assert [i["check_name"] for i in first].count("SIKT204") == 2
    assert [i["check_name"] for i in first].count("SIKT402") == 2


def test_gitlab_fingerprint_does_not_depend_on_the_root(
    tmp_path: Path, run: Run, archive: Callable[..., Path]
) -> None:
    """Paths are relative to the archive, so a clone in another folder gives the same prints."""
    root = archive({"protokoll/2020-06-05.md": BROKEN})
    _, here = gitlab_report(run, root)
    moved = shutil.copytree(root, tmp_path / "annan" / "klon")
    _, there = gitlab_report(run, moved)
    assert here == there


def test_gitlab_identical_findings_get_distinct_fingerprints() -> None:
    d = Diagnostic(
        "protokoll/2020-06-05.md", 3, 1, "SIKT204", "Okänd medlem 'x'.", Severity.ERROR, ""
    )
    result = Result(root=Path(), diagnostics=(d, d, d), files_checked=1)
    issues = json.loads(report_gitlab(result))
    assert len({i["fingerprint"] for i in issues}) == 3
    assert json.loads(report_gitlab(result)) == issues


def test_gitlab_report_without_line_points_at_line_one(
    archive: Callable[..., Path], run: Run
) -> None:
    root = archive(goals=None)  # mal.yaml missing: a finding about a whole file
    code, issues = gitlab_report(run, root)
    assert code == 1
    missing = [i for i in issues if i["check_name"] == "SIKT114"]
    assert missing and missing[0]["location"]["lines"]["begin"] == 1
    assert all(i["location"]["lines"]["begin"] >= 1 for i in issues)


def test_gitlab_report_clean_archive_is_empty_list(archive: Callable[..., Path], run: Run) -> None:
    code, issues = gitlab_report(run, archive())
    assert (code, issues) == (0, [])


def test_gitlab_fingerprint_is_sha256_of_the_finding() -> None:
    d = Diagnostic("mal.yaml", 2, 5, "SIKT109", "Okänd nyckel 'x'.", Severity.ERROR, "Tips.")
    issue = json.loads(report_gitlab(Result(root=Path(), diagnostics=(d,), files_checked=1)))[0]
    key = "mal.yaml:2:5:SIKT109:Okänd nyckel 'x'."
    assert issue["fingerprint"] == hashlib.sha256(key.encode()).hexdigest()
    assert issue["description"] == "Okänd nyckel 'x'. Tips: Tips."


# --- the GitLab job from `sikt init --gitlab` ---------------------------------------------


def test_init_gitlab_job(scaffolded: Callable[..., Path]) -> None:
    root = scaffolded("--gitlab")
    assert not (root / ".github").exists()
    text = (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "{{" not in text
    ci = yaml.safe_load(text)
    jobs = {name: job for name, job in ci.items() if isinstance(job, dict) and "script" in job}
    assert len(jobs) == 1
    job = next(iter(jobs.values()))
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["variables"]["GIT_DEPTH"] == "0", "--bas needs the full history"
    script = "\n".join(job["script"])
    report = job["artifacts"]["reports"]["codequality"]
    assert job["artifacts"]["when"] == "always", "the report matters most when the job fails"
    gitlab_lines = [line for line in job["script"] if "--format gitlab" in line]
    assert len(gitlab_lines) == 1
    assert re.search(
        r"sikt validera --format gitlab --bas \"origin/\$CI_MERGE_REQUEST_"
        r"TARGET_BRANCH_NAME\" > " + re.escape(report),
        gitlab_lines[0],
    )
    assert 'git fetch -q origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in script
    assert f"python -m pip install -q '{PINNED_SPEC}'" in job["before_script"]
    # the job fails on errors: a plain run after the report is written
    assert job["script"][-1].startswith("sikt validera --bas ")


# --- pre-commit ---------------------------------------------------------------------------


def hook_files_regex(hook: dict[str, Any]) -> re.Pattern[str]:
    return re.compile(hook["files"])


@pytest.fixture(scope="module")
def hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_pre_commit_hook_definition(hooks: list[dict[str, Any]]) -> None:
    (hook,) = [h for h in hooks if h["id"] == "sikt-validera"]
    assert hook["entry"] == "sikt validera"
    assert hook["language"] == "python"  # pre-commit installs this package for the hook
    assert hook["pass_filenames"] is False  # follow-ups and members span files
    assert hook["name"] and hook["description"]


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("protokoll/2020-06-05.md", True),
        ("protokoll/2026-01-15.md", True),
        ("medlemmar.yaml", True),
        ("mal.yaml", True),
        ("README.md", False),
        ("docs/guide.md", False),
        ("mallar/protokoll.md.j2", False),
        ("gamla/medlemmar.yaml", False),
        ("medlemmar.yaml.bak", False),
        ("sikt_cli/cli.py", False),
    ],
)
def test_pre_commit_files_regex(hooks: list[dict[str, Any]], path: str, matches: bool) -> None:
    # pre-commit uses re.search on the path relative to the repository root
    (hook,) = [h for h in hooks if h["id"] == "sikt-validera"]
    assert bool(hook_files_regex(hook).search(path)) is matches


def test_pre_commit_config(hooks: list[dict[str, Any]]) -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: (repo["repo"], h) for repo in config["repos"] for h in repo["hooks"]}
    repo, sikt = by_id["sikt-validera"]
    assert repo == "local"  # this repo is the tool: run the installed sikt
    (defined,) = [h for h in hooks if h["id"] == "sikt-validera"]
    assert sikt["entry"] == defined["entry"]
    assert sikt["files"] == defined["files"]
    assert sikt["pass_filenames"] is False
    assert by_id["ruff"][0] == "https://github.com/astral-sh/ruff-pre-commit"
    assert "ruff-format" in by_id
    ruff_repo = next(r for r in config["repos"] if r["repo"].endswith("ruff-pre-commit"))
    assert re.fullmatch(r"v\d+\.\d+\.\d+", ruff_repo["rev"])


def test_init_pre_commit_config(
    scaffolded: Callable[..., Path], hooks: list[dict[str, Any]]
) -> None:
    config = yaml.safe_load((scaffolded() / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for repo in config["repos"] for h in repo["hooks"]]
    (defined,) = [h for h in hooks if h["id"] == "sikt-validera"]
    assert hook["id"] == "sikt-validera"
    assert hook["entry"] == "sikt validera"
    assert hook["files"] == defined["files"]
    assert hook["pass_filenames"] is False


def test_pre_commit_entry_runs(
    archive: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """The hook's entry, run the way pre-commit runs it (from the repository root, no files)."""
    root = archive()
    monkeypatch.chdir(root)
    assert run("validera").exit_code == 0
    (root / "medlemmar.yaml").write_text(
        MEMBERS.replace("namn: Bo Ek", "namm: Bo Ek"), encoding="utf-8"
    )
    assert run("validera").exit_code == 1


# --- docs/guide.md and docs/ci.md ---------------------------------------------------------

DOCS = REPO / "docs"
GUIDE = DOCS / "guide.md"
CI_DOC = DOCS / "ci.md"


def quoted_commands(markdown: str) -> list[str]:
    """Every `sikt …` command line: in code blocks (optionally after a `$ ` prompt) and in
    inline code spans."""
    found: list[str] = []
    in_block = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            text = line.strip().removeprefix("$ ")
            if text.startswith("sikt "):
                found.append(text)
        else:
            found.extend(s for s in re.findall(r"`([^`]+)`", line) if s.startswith("sikt "))
    return found


def check_command_line(line: str) -> None:
    import shlex

    import typer

    from sikt_cli.cli.app import app

    tokens = shlex.split(line)
    assert tokens[0] == "sikt"
    command: Any = typer.main.get_command(app)
    path = ["sikt"]
    rest = tokens[1:]
    while hasattr(command, "commands") and rest and not rest[0].startswith("-"):
        assert rest[0] in command.commands, f"{line!r}: '{' '.join(path)}' has no {rest[0]!r}"
        command = command.commands[rest[0]]
        path.append(rest.pop(0))
    options = {"-h", "--help"}
    for param in command.params:
        if param.param_type_name == "option":
            options.update(param.opts, param.secondary_opts)
    for token in rest:
        if token.startswith("-") and len(token) > 1:
            name = token.split("=", 1)[0]
            assert name in options, f"{line!r}: '{' '.join(path)}' has no option {name}"
    if hasattr(command, "commands") and not getattr(command, "invoke_without_command", False):
        assert {"-h", "--help", "--version", "-V"} & set(rest), f"{line!r} names no command"


@pytest.mark.parametrize("doc", [GUIDE, CI_DOC], ids=lambda p: p.name)
def test_doc_commands_exist(doc: Path) -> None:
    lines = quoted_commands(doc.read_text(encoding="utf-8"))
    assert len(lines) >= 5
    for line in lines:
        check_command_line(line)


@pytest.mark.parametrize(
    "bad",
    [
        "sikt protokol ny",
        "sikt protokoll skapa",
        "sikt validera --fromat github",
        "sikt uppdrag --min",
        "sikt protokoll",
    ],
)
def test_command_check_catches_mistakes(bad: str) -> None:
    with pytest.raises(AssertionError):
        check_command_line(bad)


def test_guide_covers_the_monthly_cycle() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    lines = quoted_commands(text)
    for command in (
        "sikt kallelse",
        "sikt protokoll ny",
        "sikt validera",
        "sikt protokoll justera",
        "sikt protokoll mejl",
        "sikt uppdrag --mina",
    ):
        assert any(line.startswith(command) for line in lines), command
    order = [
        "## 1. Kallelse",
        "## 2. Mötet",
        "## 3. Protokollet",
        "## 4. Pull request",
        "## 5. Vad kontrollen i CI visar",
        "## 6. Justering",
        "## 7. Mejl",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_guide_explains_five_diagnostics() -> None:
    from sikt_cli.codes import CODES

    text = GUIDE.read_text(encoding="utf-8")
    sections = re.findall(r"^### (SIKT\d{3}) – (.+)$", text, flags=re.M)
    assert len(sections) >= 5
    for code, title in sections:
        assert title == CODES[code].title, code
        body = text.split(f"### {code} – ")[1].split("\n### ")[0]
        assert "Fel:" in body and "Rätt:" in body, code
        assert f": {code} " in body, f"{code}: show what sikt prints"
    # every printed diagnostic line in the guide uses a real code with its real severity
    for code, severity in re.findall(r"^\S+:\d+:\d+: (SIKT\d{3}) (fel|varning):", text, re.M):
        assert CODES[code].severity.swedish == severity, code


def test_doc_links_resolve() -> None:
    for doc in (GUIDE, CI_DOC):
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", text):
            assert (doc.parent / target).is_file(), f"{doc.name}: {target}"
        for anchor in re.findall(r"\]\(#([^)]+)\)", text):
            headings = re.findall(r"^#+ (.+)$", text, re.M)
            slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
            assert anchor in slugs, f"{doc.name}: #{anchor}"


def _yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", markdown, flags=re.M | re.S)


def test_ci_doc_shows_the_files_sikt_init_writes() -> None:
    """The listings in docs/ci.md are the files `sikt init` writes, byte for byte."""
    from sikt_cli.services.scaffold import render_stomme

    blocks = _yaml_blocks(CI_DOC.read_text(encoding="utf-8"))
    for stomme in ("validera.yml", "gitlab-ci.yml", "pre-commit-config.yaml"):
        assert render_stomme(stomme, "Nätverket", "sikt-cli==0.2.0") in blocks, stomme
    hooks_block = next(b for b in blocks if "rev: VERSION" in b)
    hook = yaml.safe_load(hooks_block)["repos"][0]["hooks"][0]
    defined = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] in {h["id"] for h in defined}


# --- the pull request's findings first, GitHub's limits, the step summary ------------------

GH_ANNOTATION = re.compile(r"::(error|warning) (?:file=([^,]*),)?.*?title=([^,:]+)::(.*)")


def warned(datum: str) -> str:
    """A protokoll with exactly one warning (SIKT209: a member listed twice)."""
    return protokoll(datum).replace(
        "narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: [anna-ek, bo-ek, cia-ek, cia-ek]"
    )


@pytest.fixture
def pull_request(archive: Callable[..., Path], isolated_git: None) -> Path:
    """main: 15 protokoll with one warning each; the branch `pr` adds one with an error."""
    from helpers import git

    older = {
        f"protokoll/2020-{m:02d}-{d:02d}.md": warned(f"2020-{m:02d}-{d:02d}")
        for m, d in [(m, d) for m in range(1, 6) for d in (3, 13, 23)]
    }
    root = archive(older)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", "arkiv")
    git(root, "checkout", "-q", "-b", "pr")
    # sorted by path this file comes first, so only the order can put the new one first
    bad = protokoll(
        "2020-04-30",
        body="## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [ ] @okand-x Boka lokal\n",
    )
    (root / "protokoll/2020-04-30.md").write_text(bad, encoding="utf-8")
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", "nytt protokoll")
    return root


def test_bas_puts_the_pull_requests_findings_first(
    pull_request: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("# Tidigare steg\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    diags = json.loads(run("validera", "--rot", str(pull_request), "--format", "json").stdout)
    assert [d["severity"] for d in diags].count("warning") == 15
    assert [(d["file"], d["code"]) for d in diags if d["severity"] == "error"] == [
        ("protokoll/2020-04-30.md", "SIKT402")
    ]
    result = run("validera", "--rot", str(pull_request), "--format", "github", "--bas", "main")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    annotations = [GH_ANNOTATION.fullmatch(ln) for ln in lines if ln.startswith("::")]
    assert all(annotations)
    first = annotations[0]
    assert first is not None
    assert (first[1], first[2], first[3]) == ("error", "protokoll/2020-04-30.md", "SIKT402")
    kinds = [a[1] for a in annotations if a]
    assert (kinds.count("error"), kinds.count("warning")) == (1, 10)  # GitHub's limit
    rest = [a for a in annotations if a and a[3] == "sikt validera"]
    assert len(rest) == 1 and rest[0][1] == "warning"
    assert rest[0][4].startswith("6 varningar till visas inte som markeringar")
    plain = [ln for ln in lines if ln.startswith("- ")]
    assert len(plain) == 6 and all(": SIKT209 varning: " in ln for ln in plain)
    assert lines[-1] == "1 fel och 15 varningar i 18 filer."

    text = summary_file.read_text(encoding="utf-8")
    assert text.startswith("# Tidigare steg\n## sikt validera\n")  # appended, not replaced
    rows = [ln for ln in text.splitlines() if ln.startswith("| ") and not ln.startswith("| Fil ")]
    assert len(rows) == 16
    assert rows[0].startswith("| protokoll/2020-04-30.md | 23 | SIKT402 | fel |")
    changed = text.index("### Filer som ändrats i den här ändringen")
    assert changed < text.index("SIKT402") < text.index("### Övriga filer") < text.index("SIKT209")


def test_without_bas_the_order_is_by_path_and_no_summary_without_the_variable(
    pull_request: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    lines = run("validera", "--rot", str(pull_request), "--format", "github").stdout.splitlines()
    first = GH_ANNOTATION.fullmatch(lines[0])
    assert first is not None and first[2] == "protokoll/2020-01-03.md"  # by path
    result = run("validera", "--rot", str(pull_request), "--format", "gitlab", "--bas", "main")
    issues = json.loads(result.stdout)
    assert issues[0]["location"]["path"] == "protokoll/2020-04-30.md"


def test_bas_counts_uncommitted_and_new_files_as_changed(
    pull_request: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding in a file changed but not committed, and in a file git does not know yet,
    comes before the committed older ones; the gitlab report keeps the same order."""
    from helpers import git

    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    git(pull_request, "checkout", "-q", "main")
    (pull_request / "protokoll/2020-05-23.md").write_text(
        warned("2020-05-23").replace("Text.", "Ändrad text."), encoding="utf-8"
    )
    (pull_request / "protokoll/2020-12-01.md").write_text(warned("2020-12-01"), encoding="utf-8")
    result = run("validera", "--rot", str(pull_request), "--format", "gitlab", "--bas", "main")
    paths = [i["location"]["path"] for i in json.loads(result.stdout)]
    # 2020-12-01 is after its 'kommande' date too (SIKT407): two findings
    assert paths[:3] == ["protokoll/2020-05-23.md", *["protokoll/2020-12-01.md"] * 2]
    assert len(paths) == 17 and sorted(paths[3:]) == paths[3:]


def test_step_summary_escapes_markdown_and_caps_per_file() -> None:
    from sikt_cli.render.diagnostic_formats import PER_FILE_LIMIT, step_summary

    hostile = Diagnostic(
        "protokoll/<b>x|y</b>.md",
        1,
        1,
        "SIKT109",
        "Okänd nyckel '@alla [a](http://x) |'.",
        Severity.ERROR,
        "",
    )
    many = tuple(
        Diagnostic("protokoll/2020-01-01.md", i, 1, "SIKT209", "Dubblett.", Severity.WARNING, "")
        for i in range(1, PER_FILE_LIMIT + 8)
    )
    text = step_summary(Result(Path(), (hostile, *many), 2))
    (row,) = [ln for ln in text.splitlines() if "SIKT109" in ln]
    assert row == (
        "| protokoll/\\<b\\>x\\|y\\</b\\>.md | 1 | SIKT109 | fel | Okänd nyckel "
        "'\\@alla \\[a\\]\\(http://x\\) \\|'. |"
    )
    assert text.count("| SIKT209 |") == PER_FILE_LIMIT
    assert "… och 7 varningar till i protokoll/2020-01-01.md visas inte här. " in text


def test_step_summary_stays_within_githubs_limit() -> None:
    from sikt_cli.render.diagnostic_formats import STEP_SUMMARY_BYTES, step_summary

    message = "Ett långt meddelande " * 20
    diags = tuple(
        Diagnostic(f"protokoll/fil-{f:04d}.md", i, 1, "SIKT209", message, Severity.WARNING, "")
        for f in range(700)
        for i in range(1, 11)
    )
    text = step_summary(Result(Path(), diags, 700))
    size = len(text.encode())
    assert STEP_SUMMARY_BYTES - 2000 < size <= STEP_SUMMARY_BYTES
    assert re.search(r"\n… och \d+ rader till får inte plats \(GitHub tillåter 1 MiB\)\.\n$", text)
    small = step_summary(Result(Path(), diags, 700), budget=5000)
    assert len(small.encode()) <= 5000
