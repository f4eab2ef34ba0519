"""One truth for editors and the validator: the JSON Schemas and `sikt validera` agree.

A corpus of valid and invalid values per key goes through both: `sikt validera --format json`
on a small archive, and the generated schema (jsonschema, draft 2020-12, with format checks)
on the same file read as an editor reads YAML 1.2. Their verdicts must be equal, except for
the differences listed in docs/filformat.md ("Skillnader mellan schemat och sikt validera"),
which are the explicit allow-list `STRICTER` here: each must really differ, so the list
cannot rot. The schemas must also compile under ajv's strict mode (node + npm).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import GOALS, MEMBERS, REPO, protokoll, write_tree
from jsonschema import Draft202012Validator, FormatChecker

from sikt_cli.archive.source import decode, split_frontmatter
from sikt_cli.render.json_schemas import schemas, yaml_as_json

Run = Callable[..., Any]
Build = Callable[[str], dict[str, str]]

P = "protokoll/2020-06-05.md"
# the codes a schema can express: unknown key, type, missing key, value, time zone, status
SCHEMA_CODES = {"SIKT109", "SIKT110", "SIKT111", "SIKT112", "SIKT117", "SIKT501"}
NETWORK_LINE = '  tid: "09:00-11:15"\n'
CIA = "  - id: cia-ek\n    namn: Cia Ek\n    kommun: Vara\n"


def _members(text: str) -> dict[str, str]:
    return {"medlemmar.yaml": text, P: protokoll()}


def _network(key: str) -> Build:
    def build(value: str) -> dict[str, str]:
        line = f"  {key}: {value}\n"
        if key in ("tid", "rapport_till"):
            old = {"tid": NETWORK_LINE, "rapport_till": "  rapport_till: [rapport@example.se]\n"}
            return _members(MEMBERS.replace(old[key], line))
        return _members(MEMBERS.replace(NETWORK_LINE, NETWORK_LINE + line))

    return build


def _member(key: str) -> Build:
    def build(value: str) -> dict[str, str]:
        if key == "id":
            return _members(MEMBERS.replace("  - id: cia-ek\n", f"  - id: {value}\n"))
        return _members(MEMBERS.replace(CIA, CIA + f"    {key}: {value}\n"))

    return build


def _frontmatter(key: str) -> Build:
    def build(value: str) -> dict[str, str]:
        if key == "status":
            return {P: protokoll(status=value)}
        if key == "nr":
            items = f"arenden:\n  - nr: {value}\n    rubrik: Inledning\n"
            return {P: protokoll(arenden=items, body="## 1. Inledning\n\nText.\n")}
        if key == "kommande.datum":
            text = protokoll().replace("  - datum: 2020-09-04\n", f"  - datum: {value}\n")
            return {P: text}
        extra = f"{key}: {value}\n"
        if key == "publiceras":
            extra += 'skal: "Sekretess enligt 23 kap. 1 § OSL"\n'
        return {P: protokoll(extra_frontmatter=extra)}

    return build


# key → (how to write it into a file, values both must accept, values both must reject)
CORPUS: dict[str, tuple[Build, list[str], list[str]]] = {
    "nr": (
        _frontmatter("nr"),
        ["1", '"1"', "'1'", "01"],
        ["två", '" 1"', "-1", "1.0", "1000000", "0x1", "[1]", "{a: 1}", "１", "true", "''"],
    ),
    "datum": (
        _frontmatter("kommande.datum"),
        ["2020-09-04", '"2020-09-04"', "2024-02-29"],
        [
            "2020-9-4",
            "2020-02-30",
            "2023-02-29",
            "20200904",
            "2020-09-04T10:00",
            "2020-13-01",
            "٢٠٢٠-٠٩-٠٤",
            "[2020-09-04]",
            "''",
        ],
    ),
    "tid": (
        _frontmatter("tid"),
        ['"09:00-11:15"', "09:00", "23:59", "00:00-23:59"],
        ["9:00", "24:00", "09:60", "09:00-", '"09:00 - 11:15"', "0900", "930", "[09:00]"],
    ),
    "status": (
        _frontmatter("status"),
        ["utkast", "planerat", '"utkast"'],
        ["Utkast", "klar", "''", "1", "[utkast]", "true"],
    ),
    "epost": (
        _member("epost"),
        [
            "cia.ek@example.se",
            "cia@hjö.se",
            "o'neil@example.se",
            "cia+sikt@example.se",
            "ÅSA@example.se",
            '"cia@example.se"',
        ],
        [
            "Cia Ek <cia@example.se>",
            "cia@example",
            "cia.example.se",
            '"cia ek@example.se"',
            '"a@example.se;b@example.se"',
            "cia@@example.se",
            "cia@.se",
            "[cia@example.se]",
            "1",
        ],
    ),
    "rapport_till": (
        _network("rapport_till"),
        ["[rapport@example.se]", "[rapport@hjö.se, b@example.se]", "[]"],
        ["rapport@example.se", "[rapport.example.se]", "[<rapport@example.se>]"],
    ),
    "id": (
        _member("id"),
        ["cia-ek", "c3", "123", "cia-ek-2"],
        ["Cia-Ek", '"cia ek"', "cia_ek", "-cia", "cia--ek", "åsa", "[cia]", "''"],
    ),
    "tidszon": (
        _network("tidszon"),
        ["Europe/Stockholm", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+1"],
        ['"Europe Stockholm"', "../etc/passwd", "/etc/localtime", "123", "[UTC]", "Europe/"],
    ),
    "roller": (
        _member("roller"),
        ["[ordforande]", "[]", "[ordforande, sekreterare]", "[skolchef]"],
        ["[Ordförande]", "ordforande", "[[ordforande]]", "[ordforande, ~]", "{a: b}"],
    ),
    "fran": (
        _member("fran"),
        ["2020-01-01", "~"],
        ["2020-1-1", "2020-01-32", "januari", "[2020-01-01]"],
    ),
    "till": (
        _member("till"),
        ["2030-12-31", '"2030-12-31"', "2030-12-31 "],  # YAML drops a plain value's end space
        ['"2030-12-31 "', "31/12/2030", "2030"],
    ),
    "publiceras": (
        _frontmatter("publiceras"),
        ["ja", "nej", '"nej"', "~"],
        ["Nej", "true", "yes", "1", "[nej]"],
    ),
}

# The documented differences (docs/filformat.md): values the schema accepts and only
# `sikt validera` rejects, because a schema cannot express the rule. (key, value) → why.
STRICTER: dict[tuple[str, str], str] = {
    ("epost", ".cia@example.se"): "email-validator: no leading dot",
    ("epost", "cia..ek@example.se"): "email-validator: no two dots in a row",
    ("epost", "cia@example.local"): "email-validator: reserved domain",
    ("epost", "cia@x.localhost"): "email-validator: reserved domain",
    ("epost", "cia@123.456"): "email-validator: numeric top-level domain",
    ("epost", "cia@-hjo.se"): "email-validator: hyphen after @",
    ("rapport_till", "[rapport@example.invalid]"): "email-validator: reserved domain",
    ("tidszon", "Europe/Stokholm"): "time-zone database (SIKT117)",
    ("tidszon", "Stockholm"): "time-zone database (SIKT117)",
    ("tidszon", "Mars/Olympus"): "time-zone database (SIKT117)",
    ("tid", '"10:00-09:00"'): "the meeting ends before it starts",
    ("tid", '"10:00-10:00"'): "the meeting ends when it starts",
}

CASES = [
    (key, value, verdict)
    for key, (_, good, bad) in CORPUS.items()
    for values, verdict in ((good, True), (bad, False))
    for value in values
]


def _editor_data(rel: str, text: str) -> Any:
    """The file's data as an editor reads it (YAML 1.2 core), for the schema."""
    if not rel.endswith(".md"):
        return yaml_as_json(text)
    src, _ = decode(text.encode("utf-8"), rel)
    assert src is not None
    fm, _ = split_frontmatter(src)
    assert fm is not None
    return yaml_as_json(fm.yaml_text)


def schema_accepts(rel: str, text: str, *, formats: bool = True) -> bool:
    name = "protokoll.schema.json" if rel.startswith("protokoll/") else rel[:-5] + ".schema.json"
    checker = FormatChecker() if formats else None
    validator = Draft202012Validator(schemas()[name], format_checker=checker)
    return not list(validator.iter_errors(_editor_data(rel, text)))


def validator_findings(run: Run, root: Path, rel: str) -> list[dict[str, Any]]:
    result = run("validera", "--format", "json", "--rot", str(root))
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return [d for d in found if d["file"] == rel and d["code"] in SCHEMA_CODES]


def _verdicts(key: str, value: str, tmp_path: Path, run: Run) -> tuple[bool, bool, list[Any]]:
    build = CORPUS[key][0]
    files = build(value)
    rel = "medlemmar.yaml" if "medlemmar.yaml" in files else P
    tree = {"medlemmar.yaml": MEMBERS, "mal.yaml": GOALS, **files}
    root = write_tree(tmp_path / "arkiv", tree)
    findings = validator_findings(run, root, rel)
    return not findings, schema_accepts(rel, tree[rel]), findings


@pytest.mark.parametrize(("key", "value", "valid"), CASES, ids=[f"{k}={v}" for k, v, _ in CASES])
def test_validator_and_schema_agree(
    key: str, value: str, valid: bool, tmp_path: Path, run: Run
) -> None:
    by_validator, by_schema, findings = _verdicts(key, value, tmp_path, run)
    assert by_validator is valid, f"sikt validera: {findings}"
    assert by_schema is valid, "the schema disagrees with sikt validera"


@pytest.mark.parametrize(("key", "value"), sorted(STRICTER), ids=lambda x: str(x))
def test_documented_difference_is_real(key: str, value: str, tmp_path: Path, run: Run) -> None:
    by_validator, by_schema, findings = _verdicts(key, value, tmp_path, run)
    assert by_schema, f"the schema rejects {value!r} too: remove it from STRICTER"
    assert not by_validator, f"sikt validera accepts {value!r}: remove it from STRICTER"
    assert {d["code"] for d in findings} <= {"SIKT112", "SIKT117"}


def test_every_difference_is_listed_in_the_docs() -> None:
    text = (REPO / "docs" / "filformat.md").read_text(encoding="utf-8")
    section = text.split("### Skillnader mellan schemat och sikt validera", 1)[1]
    section = section.split("\n## ", 1)[0]
    for needle in ("email-validator", "tidszonsdatabasen", "SIKT117", "`format: date`",
                   "Hänvisningar mellan filer", "`nr: \"2\"`", "10:00-09:00"):  # fmt: skip
        assert needle in section, needle


def test_an_impossible_day_passes_a_schema_without_format_checks() -> None:
    """The date row of the list: an editor that ignores `format` sees only the pattern."""
    text = protokoll().replace("  - datum: 2020-09-04\n", "  - datum: 2020-02-30\n")
    assert schema_accepts(P, text, formats=False)
    assert not schema_accepts(P, text)


def test_time_zone_typo_gets_did_you_mean(archive: Callable[..., Path], run: Run) -> None:
    members = MEMBERS.replace(NETWORK_LINE, NETWORK_LINE + "  tidszon: Europe/Stokholm\n")
    result = run("validera", "--format", "json", "--rot", str(archive(members=members)))
    assert result.exit_code == 1
    [d] = json.loads(result.stdout)
    assert (d["file"], d["line"], d["column"], d["code"]) == ("medlemmar.yaml", 6, 12, "SIKT117")
    assert d["message"] == "'natverk.tidszon' är inte en känd tidszon: 'Europe/Stokholm'."
    assert d["hint"] == (
        "Menade du 'Europe/Stockholm'? Skriv en tidszon ur tidszonsdatabasen, "
        "t.ex. 'tidszon: Europe/Stockholm'."
    )


def test_unknown_time_zone_without_a_near_name(archive: Callable[..., Path], run: Run) -> None:
    members = MEMBERS.replace(NETWORK_LINE, NETWORK_LINE + "  tidszon: Qqqq/Zzzz\n")
    result = run("validera", "--format", "json", "--rot", str(archive(members=members)))
    [d] = json.loads(result.stdout)
    assert d["code"] == "SIKT117"
    assert d["hint"] == "Skriv en tidszon ur tidszonsdatabasen, t.ex. 'tidszon: Europe/Stockholm'."


def test_international_domain_reaches_the_model(archive: Callable[..., Path], run: Run) -> None:
    members = MEMBERS.replace("epost: anna.ek@example.se", "epost: anna@hjö.se")
    result = run("validera", "--format", "json", "--rot", str(archive(members=members)))
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == []


AJV_CHECK = """\
const Ajv = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats");
const fs = require("fs");
let bad = 0;
for (const f of process.argv.slice(2)) {
  const ajv = new Ajv({strict: true});
  addFormats(ajv);
  try { ajv.compile(JSON.parse(fs.readFileSync(f, "utf8"))); console.log("ok " + f); }
  catch (e) { bad = 1; console.log("FAIL " + f + ": " + e.message); }
}
process.exit(bad);
"""


@pytest.mark.slow
def test_schemas_compile_in_ajv_strict_mode(tmp_path_factory: pytest.TempPathFactory) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node eller npm saknas: ajv (strikt läge) kan inte köras")
    work = tmp_path_factory.mktemp("ajv")
    install = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "ajv@8", "ajv-formats@3"],
        cwd=work, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if install.returncode != 0:
        pytest.skip(f"npm install ajv misslyckades (inget nät?): {install.stderr[-300:]}")
    (work / "check.js").write_text(AJV_CHECK, encoding="utf-8")
    files = sorted(str(p) for p in (REPO / "schemas").glob("*.schema.json"))
    assert len(files) == 3
    done = subprocess.run(
        [node, "check.js", *files], cwd=work, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok ") == 3
