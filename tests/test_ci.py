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
    validate = [r for r in runs if "sikt validera" in r]
    assert len(validate) == 1
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
