"""The shortcuts taken for speed give exactly what the slow, general path gives."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import examples, loads_in_both, protokoll
from hypothesis import given, settings
from hypothesis import strategies as st

from sikt_cli.archive import body, value_forms
from sikt_cli.records import personal_data


class _Never:
    """An _INLINE_MARKUP that every text meets: the inline parser always runs."""

    def isdisjoint(self, other: Any) -> bool:
        return False


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[body.Body, body.Body]:
    fast = body.parse_body(text, 10)
    with monkeypatch.context() as m:
        m.setattr(body, "_INLINE_MARKUP", _Never())
        slow = body.parse_body(text, 10)
    return fast, slow


TASKS = [
    "- [ ] @anna-ek Skicka underlaget till @bo senast 2020-09-04",
    "- [x] 2020-06-05#3 Klart: temadagen körs i Teams.",
    "- [ ] @anna-ek skriver\n  på två rader @bo-ek  \n  och tre",
    "- [ ] e-post till anna@example.se och @bo.",
    "- [ ] @anna-ek @bo-ek@ @-x @a",
    "- [ ] `@kod` och @anna-ek",
    "- [ ] [länk](@bo) @anna-ek",
    "- [ ] @anna-ek *viktigt* &amp; \\@bo",
    "- [X]   @anna-ek\ttabb 📅 2020-01-01",
]


@pytest.mark.parametrize("task", TASKS)
def test_task_text_and_mentions_as_the_inline_parser_gives_them(
    task: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = _both(f"## 1. Rubrik\n\n{task}\n", monkeypatch)
    assert fast == slow
    assert len(fast.tasks) == 1


_TEXT = st.text(alphabet="ab @-.x\n _*`[]()&\\!<>é0", max_size=40)


@settings(max_examples=examples(300), deadline=None)
@given(_TEXT)
def test_any_task_text_parses_alike(rest: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = _both(f"## 1. R\n\n- [ ] {rest}\n", monkeypatch)
    assert fast == slow


_EXACT = (personal_data._WORTH_A_LOOK, personal_data._PHONE_LIKE)


def _exact(text: str) -> bool:
    return any(p.search(text) for p in _EXACT)


@pytest.mark.parametrize(
    "text",
    [
        "070-123 45 67",
        "+46 70 123 45 67",
        "ring 0 (1) 2 3 4 5",
        "x a@b.se",
        "٣٤٥٦٧٨",
        "19900101",
        "x 1２３４５６",
    ],
)
def test_the_precheck_lets_through_what_the_detector_looks_at(text: str) -> None:
    assert _exact(text)
    assert personal_data._could_hold(text)
    assert personal_data.worth_scanning(text)


def test_the_precheck_skips_a_plain_protokoll() -> None:
    text = "datum: 2020-06-05\ntid: 09:00-11:15\n\n- [ ] @anna-ek Möte 2020-09-04, rum 12.\n"
    assert not personal_data._could_hold(text)
    assert not personal_data.worth_scanning(text)


@settings(max_examples=examples(500), deadline=None)
@given(st.text(alphabet="0123456789 +-()/\n\t@a_.åé٣", max_size=30))
def test_the_precheck_never_hides_a_candidate(text: str) -> None:
    assert personal_data.worth_scanning(text) == _exact(text)
    if _exact(text):
        assert personal_data._could_hold(text)


def test_the_digit_lead_bytes_are_all_of_unicode() -> None:
    digit = re.compile(r"\d")
    leads = {
        chr(c).encode("utf-8", "surrogatepass")[0]
        for c in range(0x80, 0x110000)
        if digit.match(chr(c))
    }
    assert leads == set(personal_data._DIGIT_LEADS)


def _validated(root: Path, monkeypatch: pytest.MonkeyPatch, threshold: int) -> Any:
    from sikt_cli.archive import load
    from sikt_cli.services.validate import validate

    monkeypatch.setattr(load, "PARALLEL_FROM", threshold)
    archive = load.load_archive(root, note=personal_data.worth_scanning)
    return archive, validate(root, cache=False)


def test_worker_pool_loads_what_one_process_loads(
    archive: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The pool (fork where there is one, else spawn) sends back the same model, findings
    and notes as loading in this process; the notes skip re-reading only clean files."""
    files = {
        f"protokoll/2020-0{m}-05.md": protokoll(f"2020-0{m}-05", status="justerat")
        for m in range(1, 7)
    }
    files["protokoll/2020-07-05.md"] = protokoll(
        "2020-07-05", body="## 1. Inledning\n\nRing 070-521 72 30 eller 19811218-9876.\n"
    )
    files["protokoll/2020-08-05.md"] = "---\ndatum: [\n---\n"
    root = archive(files)
    one, one_result = _validated(root, monkeypatch, 10**9)
    loaders = loads_in_both(monkeypatch, tmp_path / "pids")
    pool, pool_result = _validated(root, monkeypatch, 2)
    assert loaders(), "this process and a worker should each have loaded some protokoll"
    assert pool.minutes == one.minutes
    assert pool.diagnostics == one.diagnostics
    # validate's load: the workers ran the per-protokoll rules (one process leaves every
    # rule for afterwards); tests/test_rule_scope.py compares the findings on more archives
    from sikt_cli.archive import load
    from sikt_cli.rules import check_archive, check_each, run_rules

    checked = load.load_archive(root, note=personal_data.worth_scanning, check=check_each)
    assert one.checked is None
    assert checked.checked is not None
    assert sorted(check_archive(checked)) == sorted(run_rules(one))
    assert pool_result.diagnostics == one_result.diagnostics
    assert one.notes == pool.notes
    assert {rel for rel, worth in one.notes.items() if worth} == {"protokoll/2020-07-05.md"}
    assert len(one.notes) == 8
    codes = {(d.file, d.code) for d in one_result.diagnostics}
    assert ("protokoll/2020-07-05.md", "SIKT601") in codes
    assert ("protokoll/2020-07-05.md", "SIKT603") in codes


YAML_TEXTS = [
    "datum: 2020-06-05\nnarvarande: [anna-ek, bo-ek]\narenden:\n  - nr: 1\n    rubrik: A\n",
    "a: 1\nb: [x, {c: d, c: e}]\na: 2\n",  # duplicates, also nested
    "? [sammansatt, nyckel]\n: värde\n'': \"\"\n~: null\n",
    "lista:\n- - djup\n  - - djupare\n- {}\n- []\n",
    "[" * 70 + "]" * 70 + "\n",  # past MAX_DEPTH
    "text: |\n  rad ett\n  rad två\nannan: >\n  vikt\n",
]


@pytest.mark.parametrize("text", YAML_TEXTS)
def test_yaml_tree_fast_conversion_matches_the_general_one(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikt_cli.archive import yaml_tree

    fast = yaml_tree.parse_yaml(text, "x.yaml", 3)
    with monkeypatch.context() as m:  # the general path, with line starts PyYAML agrees with
        m.setattr(
            yaml_tree, "_lf_starts", lambda t: [0, *(i + 1 for i, c in enumerate(t) if c == "\n")]
        )
        slow = yaml_tree.parse_yaml(text, "x.yaml", 3)
    assert fast == slow
    assert fast[0] is not None or fast[1]


# The look-behind-first forms the mention patterns had: the `@`-first ones must find the same.
_LEADING_LOOK_BEHIND = {
    "mention": re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w@])", re.I),
    "odd": re.compile(r"(?<![\w@.])@([^\s@,;:()\[\]<>\"'`*]+)"),
}


@settings(max_examples=500, deadline=None)
# the characters @, a, -, Z, ., 9, _, é, space, comma, (, x, the Kelvin sign and long s
@given(st.text(alphabet="@a-Z.9_é ,(x\u212a\u017f", max_size=24))
def test_mention_patterns_match_as_with_a_leading_look_behind(text: str) -> None:
    for name, now in (("mention", body._MENTION), ("odd", body._ODD_MENTION)):
        before = _LEADING_LOOK_BEHIND[name]
        assert [m.span(1) for m in now.finditer(text)] == [m.span(1) for m in before.finditer(text)]


_ALNUM = st.text("abcXYZ0189", min_size=1, max_size=6)


def _joined(parts: st.SearchStrategy[str], seps: str, most: int) -> st.SearchStrategy[str]:
    """One to `most` parts, each pair joined by one of `seps`."""
    return st.lists(st.tuples(st.sampled_from(seps), parts), min_size=0, max_size=most - 1).flatmap(
        lambda rest: parts.map(lambda first: first + "".join(a + b for a, b in rest))
    )


_PLAIN = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    _joined(_ALNUM, "._+-", 3),
    st.lists(_joined(_ALNUM, "-", 3), min_size=1, max_size=3),
    st.sampled_from(["se", "nu", "eu", "com", "org", "net"]),
)


@settings(max_examples=1000, deadline=None)
@given(_PLAIN)
def test_every_plain_address_is_one_email_validator_accepts(address: str) -> None:
    assert value_forms._PLAIN_ADDRESS.fullmatch(address), address  # the generator's shape
    if len(address) <= value_forms._PLAIN_MAX:  # longer ones are not taken as plain
        assert value_forms.email_ok(address)
        assert value_forms.email_validator_ok(address), address


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab9.-_+@åK\u212a", max_size=20).map(lambda t: t + ".se"))
def test_email_ok_agrees_with_email_validator(text: str) -> None:
    assert value_forms.email_ok(text) == value_forms.email_validator_ok(text), text


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("anna.ek@skovde.se", True),
        ("anna..ek@skovde.se", False),  # not plain: the library says no
        ("anna@localhost", False),
        ("anna@skovde.test", False),
        ("ab--c@skovde.se", True),  # not plain, but valid: the library says yes
        ("anna@ab--c.se", False),
        ("anna@hjö.se", True),
        ("\u212aalle@skovde.se", True),  # the Kelvin sign is no K: the library decides
        ("a" * 60 + "@b.se", True),  # past _PLAIN_MAX: the library decides
    ],
)
def test_email_ok_on_the_edges(address: str, ok: bool) -> None:
    assert value_forms.email_ok(address) is ok
    assert value_forms.email_validator_ok(address) is ok


def test_a_plain_address_is_checked_without_importing_email_validator() -> None:
    code = (
        "import sys\n"
        "from sikt_cli.archive.value_forms import email_ok\n"
        "assert email_ok('anna.ek@skovde.se')\n"
        "assert 'email_validator' not in sys.modules\n"
        "assert not email_ok('anna..ek@skovde.se')\n"
        "assert 'email_validator' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_tasks_inside_and_after_block_quotes() -> None:
    """The walk counts open block quotes: a task in a quote, in a list in a quote or in a
    quote in a list is none; one after the quotes have closed is one."""
    text = (
        "## 1. Ett\n\n"
        "> - [ ] @anna-ek i ett citat\n\n"
        "- punkt\n\n  > - [ ] @anna-ek i ett citat i en lista\n\n"
        "> > - [ ] @anna-ek i ett citat i ett citat\n\n"
        "Text.\n\n"
        "- [ ] @bo-ek efter citaten\n"
        "- punkt\n  - [x] @cia-ek i en lista i en lista\n"
    )
    parsed = body.parse_body(text, 10)
    assert [(t.text, t.line, t.section) for t in parsed.tasks] == [
        ("@bo-ek efter citaten", 22, 1),
        ("@cia-ek i en lista i en lista", 24, 1),
    ]
    assert parsed.fill_in == ()


def test_the_due_date_precheck_lets_through_every_case_of_senast() -> None:
    """_may_have_due skips _DUE's search only where it cannot match: every character that
    its IGNORECASE takes for a letter of `senast` (`S`, `ſ` for s) case-folds to it."""
    from sikt_cli.records import action_items

    for letter in "senat":
        same = re.compile(letter, re.IGNORECASE)
        cased = [chr(c) for c in range(0x110000) if same.fullmatch(chr(c))]
        assert len(cased) >= 2
        assert all(c.casefold() == letter for c in cased), letter
    for text in ("SENAST 2020-09-04", "ſenaſt 2020-09-04", "📅 2020-09-04", "Senast 2020-9-4"):
        assert action_items._DUE.search(text)
        assert action_items._may_have_due(text)
    assert not action_items._may_have_due("Skicka underlaget till Åsa, sen i augusti.")


@settings(max_examples=examples(2000))
@given(st.text(alphabet=st.sampled_from("sSenaNtT ſ📅0123456789-åÅ"), max_size=30))
def test_the_due_date_precheck_never_hides_a_date(text: str) -> None:
    from sikt_cli.records import action_items

    assert action_items._may_have_due(text) or not action_items._DUE.search(text)
