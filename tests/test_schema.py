"""`sikt schema`: JSON Schemas (draft 2020-12) generated from the validator's own specs.

The schemas must accept what `sikt validera` accepts (this repo's files, the fixture archive,
the drafts sikt itself writes) and reject what it rejects (unknown keys, bad dates, wrong
status, missing keys, wrong types). The copies committed in schemas/ must equal what the
code generates now, and every key must carry its Swedish description for the editor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import GOALS, MEMBERS, REPO, protokoll
from jsonschema import Draft202012Validator, FormatChecker

from sikt_cli.archive.formats import MAL, MEDLEMMAR, PROTOKOLL
from sikt_cli.archive.source import decode, split_frontmatter
from sikt_cli.archive.spec import ListOf, Obj, Spec
from sikt_cli.render.json_schemas import DRAFT, FILES, dumps, schemas, yaml_as_json

Run = Callable[..., Any]

SPECS = {
    "medlemmar.schema.json": MEDLEMMAR,
    "mal.schema.json": MAL,
    "protokoll.schema.json": PROTOKOLL,
}


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The three schemas as `sikt schema --ut s/` writes them."""
    from typer.testing import CliRunner

    from sikt_cli.cli.app import app

    out = tmp_path_factory.mktemp("schema") / "s"
    result = CliRunner().invoke(app, ["schema", "--ut", f"{out}/"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    return {name: json.loads((out / name).read_text(encoding="utf-8")) for name in FILES}


def frontmatter(text: str) -> Any:
    """A protokoll's frontmatter as JSON data, read the way an editor reads YAML 1.2."""
    src, diags = decode(text.encode("utf-8"), "p.md")
    assert src is not None and not diags
    fm, diags = split_frontmatter(src)
    assert fm is not None and not diags
    return yaml_as_json(fm.yaml_text)


def data_of(file: str, text: str) -> Any:
    return frontmatter(text) if file.endswith(".md") else yaml_as_json(text)


def schema_for(file: str) -> str:
    if file.startswith("protokoll/"):
        return "protokoll.schema.json"
    return file.replace(".yaml", ".schema.json")


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def codes(run: Run, root: Path) -> set[str]:
    result = run("validera", "--format", "json", "--rot", str(root))
    return {d["code"] for d in json.loads(result.stdout)}


# --- the generated documents --------------------------------------------------------------


def test_schemas_are_valid_draft_2020_12(generated: dict[str, dict[str, Any]]) -> None:
    for name, schema in generated.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith("/" + name)
        assert schema["title"]
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False


def test_stdout_without_ut(run: Run, generated: dict[str, dict[str, Any]]) -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == generated == schemas()


def test_committed_schemas_are_current() -> None:
    """schemas/ in the repo is what the code generates; VS Code reads these files."""
    folder = REPO / "schemas"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    for name, doc in schemas().items():
        committed = (folder / name).read_text(encoding="utf-8")
        assert committed == dumps(doc), (
            f"schemas/{name} is out of date with sikt_cli/schema.py: delete schemas/*.json and "
            "run `sikt schema --ut schemas/`, then commit the result"
        )


@pytest.mark.parametrize("data_file", ["medlemmar.yaml", "mal.yaml"])
def test_data_files_point_at_their_schema(data_file: str) -> None:
    first = (REPO / data_file).read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, f"{data_file} should start with '# yaml-language-server: $schema=schemas/…'"
    assert (REPO / m.group(1)).is_file()  # relative to the data file, which is at the root
    assert m.group(1) == f"schemas/{schema_for(data_file)}"


def _fields(spec: Obj, schema: dict[str, Any], path: str) -> Iterator[tuple[str, str, str]]:
    """(key path, description in schema.py, description in the schema) for every Field."""
    assert set(schema["properties"]) == {f.name for f in spec.fields}, path
    assert schema.get("required", []) == [f.name for f in spec.fields if f.required], path
    for f in spec.fields:
        prop = schema["properties"][f.name]
        yield f"{path}{f.name}", f.description, prop.get("description", "")
        inner: Spec = f.spec
        if isinstance(inner, Obj):
            yield from _fields(inner, prop, f"{path}{f.name}.")
        elif isinstance(inner, ListOf) and isinstance(inner.item, Obj):
            yield from _fields(inner.item, prop["items"], f"{path}{f.name}[].")


ENGLISH = re.compile(r"\b(the|and|of|is|must|optional|list|date|member|meeting)\b", re.I)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_field_has_a_swedish_description(
    name: str, generated: dict[str, dict[str, Any]]
) -> None:
    found = list(_fields(SPECS[name], generated[name], ""))
    assert len(found) >= 5
    for path, in_spec, in_schema in found:
        assert in_spec.strip(), f"{name}: {path} has no description in schema.py"
        assert in_schema == in_spec, path
        assert not ENGLISH.search(in_schema), f"{name}: {path}: {in_schema!r} is not Swedish"
    assert any(re.search("[åäö]", d) for _, d, _ in found)


# --- files the schemas accept --------------------------------------------------------------


def _repo_files() -> list[str]:
    minutes = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "protokoll").glob("*.md"))
    return ["medlemmar.yaml", "mal.yaml", *minutes]


@pytest.mark.parametrize("file", _repo_files())
def test_accepts_this_repos_files(file: str, generated: dict[str, dict[str, Any]]) -> None:
    text = (REPO / file).read_text(encoding="utf-8")
    assert errors(generated[schema_for(file)], data_of(file, text)) == []


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("medlemmar.yaml", MEMBERS),
        ("mal.yaml", GOALS),
        ("protokoll/2020-06-05.md", protokoll()),
        (
            "protokoll/2020-06-05.md",
            protokoll(status="justerat", extra_frontmatter="justerad: 2020-06-12\n"),
        ),
    ],
)
def test_accepts_the_fixture_archive(
    file: str, text: str, generated: dict[str, dict[str, Any]]
) -> None:
    assert errors(generated[schema_for(file)], data_of(file, text)) == []


def test_accepts_what_sikt_writes(
    archive: Callable[..., Path], run: Run, tmp_path: Path, generated: dict[str, dict[str, Any]]
) -> None:
    """A planned meeting from `sikt kallelse`, a draft from `sikt protokoll ny` (with empty
    `sekreterare:` and `narvarande:` to fill in) and a protokoll after `sikt protokoll justera`:
    an editor must not mark as wrong what sikt itself wrote and `sikt validera` accepts."""
    root = archive()
    schema = generated["protokoll.schema.json"]
    assert (
        run("kallelse", "2020-10-02", "--ut", str(tmp_path / "ut"), "--rot", str(root)).exit_code
        == 0
    )
    assert run("protokoll", "ny", "--datum", "2020-09-04", "--rot", str(root)).exit_code == 0
    assert run("protokoll", "justera", "2020-06-05", "--rot", str(root)).exit_code == 0
    assert run("validera", "--rot", str(root)).exit_code == 0
    for day, status in [
        ("2020-10-02", "planerat"),
        ("2020-09-04", "utkast"),
        ("2020-06-05", "justerat"),
    ]:
        data = frontmatter((root / f"protokoll/{day}.md").read_text(encoding="utf-8"))
        assert data["status"] == status
        assert errors(schema, data) == [], day
    draft = frontmatter((root / "protokoll/2020-09-04.md").read_text(encoding="utf-8"))
    assert draft["narvarande"] is None  # the case the schema must allow
    planned = frontmatter((root / "protokoll/2020-10-02.md").read_text(encoding="utf-8"))
    assert set(planned["kallelse"]) == {"sekvens", "kontroll"}


def test_accepts_a_new_archive(
    tmp_path: Path, run: Run, generated: dict[str, dict[str, Any]]
) -> None:
    root = tmp_path / "nytt"
    assert run("init", str(root), "--namn", "Testnätverket").exit_code == 0
    for file in ("medlemmar.yaml", "mal.yaml"):
        text = (root / file).read_text(encoding="utf-8")
        assert errors(generated[schema_for(file)], data_of(file, text)) == []
        target = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", text.splitlines()[0])
        assert target and (root / target.group(1)).is_file()
        assert (
            json.loads((root / target.group(1)).read_text(encoding="utf-8"))
            == generated[schema_for(file)]
        )


# --- files the schemas reject, and so does sikt validera ------------------------------------

GOOD = protokoll()

INVALID: list[tuple[str, str, str, str, str]] = [
    # (id, file, text, what the schema says, the code sikt validera reports)
    (
        "unknown key",
        "protokoll/2020-06-05.md",
        GOOD.replace("status: utkast\n", "status: utkast\nnärvarande: [anna-ek]\n"),
        "Additional properties are not allowed ('närvarande' was unexpected)",
        "SIKT109",
    ),
    (
        "unknown key in ärende",
        "protokoll/2020-06-05.md",
        GOOD.replace("    rubrik: Inledning\n", "    rubrik: Inledning\n    titel: x\n"),
        "arenden/0: Additional properties",
        "SIKT109",
    ),
    (
        "bad date pattern",
        "protokoll/2020-06-05.md",
        GOOD.replace("datum: 2020-06-05", "datum: 2020-6-5"),
        "datum: '2020-6-5' does not match",
        "SIKT112",
    ),
    (
        "impossible date",
        "protokoll/2020-06-05.md",
        GOOD.replace("  - datum: 2020-09-04", "  - datum: 2020-09-31"),
        "kommande/0/datum: '2020-09-31' is not a 'date'",
        "SIKT112",
    ),
    (
        "wrong status",
        "protokoll/2020-06-05.md",
        GOOD.replace("status: utkast", "status: klart"),
        "status: 'klart' is not one of ['planerat', 'utkast', 'justerat']",
        "SIKT501",
    ),
    (
        "missing status",
        "protokoll/2020-06-05.md",
        GOOD.replace("status: utkast\n", ""),
        ": 'status' is a required property",
        "SIKT111",
    ),
    (
        "list as text",
        "protokoll/2020-06-05.md",
        GOOD.replace("narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: anna-ek, bo-ek"),
        "narvarande: 'anna-ek, bo-ek' is not of type 'array'",
        "SIKT110",
    ),
    (
        "number as text",
        "protokoll/2020-06-05.md",
        GOOD.replace("  - nr: 2\n", "  - nr: två\n"),
        "arenden/1/nr: 'två' is not valid under any of the given schemas",
        "SIKT112",
    ),
    (
        "bad time",
        "protokoll/2020-06-05.md",
        GOOD.replace("status: utkast\n", 'status: utkast\ntid: "9-11"\n'),
        "tid: '9-11' does not match",
        "SIKT112",
    ),
    (
        "missing kommuner",
        "medlemmar.yaml",
        MEMBERS.replace("kommuner: [Hjo, Skara, Vara]\n", ""),
        ": 'kommuner' is a required property",
        "SIKT111",
    ),
    (
        "bad e-mail",
        "medlemmar.yaml",
        MEMBERS.replace("rapport_till: [rapport@example.se]", "rapport_till: [rapport.example.se]"),
        "natverk/rapport_till/0: 'rapport.example.se' does not match",
        "SIKT112",
    ),
    (
        "id not a slug",
        "medlemmar.yaml",
        MEMBERS.replace("  - id: cia-ek", "  - id: Cia Ek"),
        "medlemmar/2/id: 'Cia Ek' is not valid under any of the given schemas",
        "SIKT112",
    ),
    (
        "unknown role",
        "medlemmar.yaml",
        MEMBERS.replace("roller: [ordforande]", "roller: [ordförande]"),
        "medlemmar/0/roller/0: 'ordförande' is not one of",
        "SIKT112",
    ),
    (
        "members as mapping",
        "medlemmar.yaml",
        MEMBERS.split("medlemmar:\n")[0] + "medlemmar:\n  anna-ek: Anna Ek\n",
        "medlemmar: {'anna-ek': 'Anna Ek'} is not of type 'array'",
        "SIKT110",
    ),
    (
        "goal id",
        "mal.yaml",
        GOALS.replace("  - id: mal-1\n", "  - id: mal1\n"),
        "mal/0/id: 'mal1' does not match",
        "SIKT112",
    ),
    (
        "goal without name",
        "mal.yaml",
        GOALS.replace("    namn: Mål ett\n", ""),
        "mal/0: 'namn' is a required property",
        "SIKT111",
    ),
]


@pytest.mark.parametrize(
    ("file", "text", "message", "code"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_rejects_invalid(
    file: str,
    text: str,
    message: str,
    code: str,
    archive: Callable[..., Path],
    run: Run,
    generated: dict[str, dict[str, Any]],
) -> None:
    found = errors(generated[schema_for(file)], data_of(file, text))
    assert found, "the schema accepted it"
    assert any(message in e for e in found), found
    if file == "medlemmar.yaml":
        root = archive(members=text)
    elif file == "mal.yaml":
        root = archive(goals=text)
    else:
        root = archive({file: text})
    assert code in codes(run, root), "sikt validera should reject it too"


# --- --ut never overwrites ----------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_ut_refuses_existing_files(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "s"
    first = run("schema", "--ut", f"{out}/")
    assert first.exit_code == 0
    assert first.stdout.count("Skrev ") == 3
    before = _snapshot(out)
    again = run("schema", "--ut", f"{out}/")
    assert again.exit_code == 2  # as every --ut onto a file
    assert "finns redan" in again.output
    assert _snapshot(out) == before


def test_ut_writes_nothing_when_one_file_exists(tmp_path: Path, run: Run) -> None:
    """All three or none: a half-written set of schemas is worse than none."""
    out = tmp_path / "s"
    out.mkdir()
    (out / "protokoll.schema.json").write_text("{}\n", encoding="utf-8")
    before = _snapshot(out)
    result = run("schema", "--ut", str(out))
    assert result.exit_code == 2
    assert "protokoll.schema.json" in result.output
    assert _snapshot(out) == before


def test_ut_creates_the_folder(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "a" / "b"
    assert run("schema", "--ut", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def test_ut_that_is_a_file_is_refused_in_swedish(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "s"
    out.write_text("en fil\n", encoding="utf-8")
    for target in (out, out / "under"):
        result = run("schema", "--ut", str(target))
        assert result.exit_code == 1, result.output
        assert "Internt fel" not in result.output
        assert "inte en katalog" in result.output
    assert out.read_text(encoding="utf-8") == "en fil\n"
