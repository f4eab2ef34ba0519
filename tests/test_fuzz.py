"""Property tests: whatever the files contain, `sikt validera` reports and exits 0 or 1.

Each example builds a fresh archive in a temporary folder (no function-scoped fixtures, so
Hypothesis can run many examples per test) and runs the CLI with SIKT_DEBUG=1, so that an
internal error surfaces as an exception instead of exit code 70.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from helpers import GOALS, MEMBERS, examples, protokoll, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sikt_cli.cli.app import app

P = "protokoll/2020-06-05.md"

FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def validera(files: dict[str, str | bytes], fmt: str, *, members: str | bytes = MEMBERS) -> None:
    """Run `sikt validera` on an archive of `files`; it must report, never crash."""
    with tempfile.TemporaryDirectory() as tmp:
        tree: dict[str, str | bytes] = {"medlemmar.yaml": members, "mal.yaml": GOALS}
        tree.update(files)
        root = write_tree(Path(tmp), tree)
        result = CliRunner().invoke(
            app,
            ["validera", "--rot", str(root), "--format", fmt],
            env={"SIKT_DEBUG": "1", "NO_COLOR": "1"},
            catch_exceptions=False,
        )
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        if fmt == "json":
            diags = json.loads(result.stdout)
            assert all(d["code"].startswith("SIKT") for d in diags)
            assert result.exit_code == int(any(d["severity"] == "error" for d in diags))


formats = st.sampled_from(["json", "json", "text", "github"])


# --- strategies -----------------------------------------------------------------------------------

TRICKY = [
    "",
    "~",
    "null",
    "NO",
    "yes",
    "10:30",
    "09:00-11:15",
    "0o17",
    "1e3",
    "2020-06-05",
    "2020-13-01",
    "anna-ek",
    "bo-ek",
    "Hjo",
    "Vara",
    "@bo-ek",
    "*a",
    "&a",
    "[",
    "{",
    ": ",
    "#",
    "\t",
    "\ufeff",
    "---",
    "...",
]
KEYS = [
    "natverk",
    "namn",
    "kommuner",
    "medlemmar",
    "grupper",
    "id",
    "kommun",
    "epost",
    "roller",
    "fran",
    "till",
    "rapport_till",
    "tid",
    "plats",
    "datum",
    "status",
    "narvarande",
    "arenden",
    "nr",
    "rubrik",
    "mal",
]

scalars = st.one_of(st.sampled_from(TRICKY), st.text(max_size=15), st.integers(), st.booleans())
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=25,
)
dumped = trees.map(lambda t: yaml.safe_dump(t, allow_unicode=True, sort_keys=False))


def spliced(base: str) -> st.SearchStrategy[str]:
    """`base` with a little text inserted or cut somewhere: nearly valid input."""
    return st.tuples(
        st.integers(0, len(base)),
        st.integers(0, 20),
        st.one_of(st.sampled_from(TRICKY), st.text(max_size=10)),
    ).map(lambda t: base[: t[0]] + t[2] + base[t[0] + t[1] :])


yaml_ish = st.one_of(dumped, st.text(max_size=300), spliced(MEMBERS))

MARKDOWN = [
    "## 1. Inledning",
    "## 2. Temadag",
    "### 2. Temadag",
    "# 3. Extra",
    "## 99999999999999999999. Stort",
    "- [ ] @bo-ek Boka senast 2020-08-01",
    "- [ ] @okand Göra 📅 2020-02-30",
    "- [x] 2020-06-05#1 Klart",
    "- [ ] 2019-01-01#7 Öppet",
    "- [ ] utan ansvarig",
    "* [X] @alla @arbetsgrupp",
    "1. [ ] @anna-ek numrerad",
    "  - [ ] @cia-ek indragen",
    "> - [ ] @citat",
    "```",
    "~~~",
    "<div>",
    "</div>",
    "<!--",
    "    - [ ] kod",
    "[länk](@bo-ek)",
    "`@bo-ek`",
    "senast 2020-13-01",
    "---",
    "",
]
markdown = st.lists(st.one_of(st.sampled_from(MARKDOWN), st.text(max_size=40)), max_size=30).map(
    "\n".join
)


# --- properties -----------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=2000), fmt=formats)
def test_arbitrary_bytes_as_protokoll(data: bytes, fmt: str) -> None:
    validera({P: data}, fmt)


@FUZZ
@given(
    data=spliced(protokoll()).map(str.encode)
    | st.binary(max_size=300).map(lambda b: protokoll().encode()[:200] + b),
    fmt=formats,
)
def test_damaged_protokoll(data: bytes, fmt: str) -> None:
    validera({P: data}, fmt)


@FUZZ
@given(text=yaml_ish, fmt=formats)
def test_yaml_ish_members_file(text: str, fmt: str) -> None:
    validera({P: protokoll()}, fmt, members=text)


@FUZZ
@given(text=st.one_of(dumped, st.text(max_size=300)), fmt=formats)
def test_yaml_ish_frontmatter(text: str, fmt: str) -> None:
    validera({P: "---\n" + text + "\n---\n\n## 1. Inledning\n"}, fmt)


@FUZZ
@given(body=markdown, fmt=formats)
def test_arbitrary_markdown_body(body: str, fmt: str) -> None:
    second = protokoll("2020-09-04", body=body)
    validera({P: protokoll(body=body), "protokoll/2020-09-04.md": second}, fmt)
