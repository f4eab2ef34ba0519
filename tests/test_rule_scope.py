"""Rules marked @per_protokoll really look at one protokoll at a time, and checking a large
archive in the loader's workers (per-protokoll rules there, the rest afterwards) finds
exactly what running every rule over the whole archive finds."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MEMBERS, REPO, loads_in_both, protokoll

from sikt_cli.archive import load
from sikt_cli.archive.load import Archive, load_archive
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.rules import (
    LEFT_OUT,
    PER_PROTOKOLL,
    RULES,
    WHOLE_ARCHIVE,
    LeftOut,
    check_archive,
    check_each,
    slim,
)
from sikt_cli.rules.context import Rule, RuleContext, is_per_protokoll
from sikt_cli.rules.personal_data import text_note

# medlemmar.yaml with a finding for every data rule: a duplicate id, a municipality twice,
# a member of no municipality, a group with an unknown member, a period that ends before it
# starts, a blank name, an SSH key that is not one, and a personnummer (under a key
# medlemmar.yaml does not have: it is scanned all the same).
BROKEN_MEMBERS = (
    MEMBERS.replace("kommuner: [Hjo, Skara, Vara]", "kommuner: [Hjo, Skara, Vara, Hjo]").replace(
        "medlemmar: [anna-ek, bo-ek]", "medlemmar: [anna-ek, bo-ek, okand]"
    )
    + """\
  - id: cia-ek
    namn: Cia Ek
    kommun: Vara
  - id: dan-ek
    namn: Dan Ek
    kommun: Tibro
    fran: 2021-01-01
    till: 2020-01-01
    nyckel: inte en nyckel
  - id: eva-ek
    namn: " "
    kommun: Hjo
    anteckning: "19811218-9876"
"""
)

FILL_IN_BODY = """\
## 1. Inledning

FYLL I

## 3. Temadag

- [ ] @okand Boka lokal senast 2020-08-01
- [x] 2019-01-01#1 Klart.
- [x] 2020-05-05#1 Klart i förväg.

## 4. Utanför dagordningen

Ring 19811218-9876.
"""

BROKEN = {
    # justerat: unknown members, twice present, numbering, an unknown goal, FYLL I, an
    # unknown assignee, follow-ups of an uppdrag that does not exist and of one from a
    # later meeting, a heading not on the agenda, a personnummer
    "protokoll/2020-02-05.md": protokoll(
        "2020-02-05",
        status="justerat",
        arenden="arenden:\n  - nr: 1\n    rubrik: Inledning\n  - nr: 3\n    rubrik: Temadag\n"
        "    mal: [mal-9]\n",
        extra_frontmatter="justerare: [okand, cia-ek]\nfranvarande: [Tibro, anna-ek]\n"
        "beslut:\n  - arende: 7\n    text: Något.\n    ersatter: 2019-01-01#b1\n"
        "publiceras: nej\n"
        "maskeringar:\n  - datum: 2020-02-06\n    av: okand\n    rad: 3\n"
        "    typ: text\n    skal: Skyddat\n",
        body=FILL_IN_BODY,
    ).replace("narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: [bo-ek, bo-ek, okand]"),
    # a draft without kommande, superseding a decision from a later meeting
    "protokoll/2020-03-05.md": protokoll(
        "2020-03-05",
        extra_frontmatter="beslut:\n  - arende: 1\n    text: Ja.\n    ersatter: 2020-05-05#b1\n",
    ).replace("kommande:\n  - datum: 2020-09-04\n", ""),
    # the same datum as the one before, in a file named for another day
    "protokoll/2020-04-05.md": protokoll("2020-04-05").replace(
        "datum: 2020-04-05", "datum: 2020-03-05"
    ),
    # justerat without sekreterare; a decision the first one supersedes; a follow-up of an
    # uppdrag in another protokoll (no finding, but one in this protokoll alone)
    "protokoll/2020-05-05.md": protokoll(
        "2020-05-05",
        status="justerat",
        extra_frontmatter="beslut:\n  - arende: 1\n    text: Nej.\n",
        body="## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [x] 2020-02-05#1 Lokalen är bokad.\n",
    ).replace("sekreterare: bo-ek\n", ""),
    "protokoll/2020-06-05.md": "---\ndatum: [\n---\n",
}


def _loaded(root: Path, monkeypatch: pytest.MonkeyPatch, threshold: int) -> Archive:
    monkeypatch.setattr(load, "PARALLEL_FROM", threshold)
    return load_archive(root, note=text_note, check=check_each)


def _alone(archive: Archive, i: int) -> Archive:
    """The archive with only its i-th protokoll, as a worker checks it."""
    m = archive.minutes[i]
    notes = {m.rel: archive.notes[m.rel]} if m.rel in archive.notes else {}
    return dataclasses.replace(
        archive, minutes=[m], diagnostics=[], sources={}, notes=notes, checked=None
    )


def _findings(rule: Rule, archive: Archive) -> list[Diagnostic]:
    return list(rule(RuleContext(archive)))


def _each(rule: Rule, archive: Archive) -> list[Diagnostic]:
    return [d for i in range(len(archive.minutes)) for d in _findings(rule, _alone(archive, i))]


@pytest.fixture
def broken(archive: Callable[..., Path]) -> Path:
    return archive(BROKEN, members=BROKEN_MEMBERS)


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    root = tmp_path / "genererat"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), "40"], check=True
    )
    return root


@pytest.fixture
def repo_archive(real_archive: Path) -> Path:
    """This repo's archive, with its protokoll also as the next meeting's."""
    text = (real_archive / "protokoll" / "2020-06-05.md").read_text(encoding="utf-8")
    later = text.replace("2020-06-05", "2020-09-04")
    (real_archive / "protokoll" / "2020-09-04.md").write_text(later, encoding="utf-8")
    return real_archive


@pytest.fixture(params=["broken", "repo_archive", "generated"])
def any_archive(request: pytest.FixtureRequest) -> Path:
    root: Path = request.getfixturevalue(request.param)
    return root


def test_every_rule_is_marked_one_way_or_the_other() -> None:
    assert set(PER_PROTOKOLL) | set(WHOLE_ARCHIVE) == set(RULES)
    assert not set(PER_PROTOKOLL) & set(WHOLE_ARCHIVE)
    assert [r.__name__ for r in WHOLE_ARCHIVE] == [
        "unique_member_ids",
        "unique_municipalities",
        "member_municipality",
        "member_names",
        "group_members",
        "sane_periods",
        "supersedes",
        "follow_ups",
        "unique_dates",
        "data_identity_numbers",
        "key_format",
    ]


@pytest.mark.parametrize("rule", PER_PROTOKOLL, ids=lambda r: r.__name__)
def test_a_per_protokoll_rule_finds_on_the_archive_what_it_finds_on_each_alone(
    rule: Rule, any_archive: Path
) -> None:
    whole = load_archive(any_archive, note=text_note)
    assert len(whole.minutes) >= 2
    assert _findings(rule, whole) == _each(rule, whole)
    assert _findings(rule, dataclasses.replace(whole, minutes=[])) == []


@pytest.mark.parametrize("rule", PER_PROTOKOLL, ids=lambda r: r.__name__)
def test_the_broken_archive_has_a_finding_for_every_per_protokoll_rule(
    rule: Rule, broken: Path
) -> None:
    assert _findings(rule, load_archive(broken, note=text_note))


@pytest.mark.parametrize("rule", WHOLE_ARCHIVE, ids=lambda r: r.__name__)
def test_a_whole_archive_rule_reads_the_data_files_or_compares_protokoll(
    rule: Rule, broken: Path
) -> None:
    """Each unmarked rule has its reason: it finds something without any protokoll (the
    data files), or what it finds on the archive is not what it finds on each alone."""
    whole = load_archive(broken, note=text_note)
    found = _findings(rule, whole)
    assert found
    alone = _findings(rule, dataclasses.replace(whole, minutes=[]))
    assert alone == found or found != _each(rule, whole)


def test_a_rule_comparing_protokoll_cannot_pass_as_per_protokoll(broken: Path) -> None:
    """The check above can fail: unique_dates on its own finds nothing in either copy."""
    from sikt_cli.rules.lifecycle import unique_dates

    whole = load_archive(broken, note=text_note)
    assert not is_per_protokoll(unique_dates)
    assert [d.code for d in _findings(unique_dates, whole)] == ["SIKT508", "SIKT508"]
    assert _each(unique_dates, whole) == []


def test_the_pool_checks_each_protokoll_and_finds_what_one_process_finds(
    any_archive: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    one = _loaded(any_archive, monkeypatch, 10**9)
    loaders = loads_in_both(monkeypatch, tmp_path / "pids")
    pool = _loaded(any_archive, monkeypatch, 2)
    assert loaders(), "this process and a worker should each have loaded some protokoll"
    assert one.checked is None  # one process: every rule runs afterwards, as before
    assert pool.checked is not None
    assert one.minutes == load_archive(any_archive).minutes  # kept whole
    assert len(pool.minutes) == len(one.minutes)
    for sent, whole in zip(pool.minutes, one.minutes, strict=True):
        for f in dataclasses.fields(whole):
            if f.name in LEFT_OUT and getattr(whole, f.name) is not None:
                assert isinstance(getattr(sent, f.name), LeftOut)
            else:  # kept, or None (no body, say) as in the whole protokoll
                assert getattr(sent, f.name) == getattr(whole, f.name)
    assert set(pool.made) == {m.rel for m in pool.minutes} and one.made == {}
    # what the whole-archive rules fold from what each process made is what they fold
    # from the whole protokoll
    assert RuleContext(pool).tracker == RuleContext(one).tracker
    assert RuleContext(one).tracker.items
    assert RuleContext(pool).decisions() == RuleContext(one).decisions()
    expected = one.diagnostics + check_archive(one)
    assert check_archive(one) == [d for r in RULES for d in _findings(r, one)]
    assert sorted(pool.diagnostics + check_archive(pool)) == sorted(expected)


def test_sikt_uppdrag_tracks_with_the_pool_what_it_tracks_in_one_process(
    any_archive: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`sikt uppdrag` loads as `validera` does: the uppdrag and the error count it shows
    from an archive the pool checked are those one process finds."""
    from sikt_cli.services.uppdrag import tracked

    monkeypatch.setattr(load, "PARALLEL_FROM", 10**9)
    one = tracked(any_archive, cache=False)
    loaders = loads_in_both(monkeypatch, tmp_path / "pids")
    monkeypatch.setattr(load, "PARALLEL_FROM", 2)
    pool = tracked(any_archive, cache=False)
    assert loaders()
    assert one[1].items and pool == one


def test_the_broken_archive_has_a_finding_of_every_family(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = _loaded(broken, monkeypatch, 2)
    codes = sorted({d.code for d in pool.diagnostics + check_archive(pool)})
    assert codes == [
        "SIKT106",
        "SIKT109",
        "SIKT112",
        "SIKT113",
        "SIKT201",
        "SIKT202",
        "SIKT203",
        "SIKT204",
        "SIKT206",
        "SIKT208",
        "SIKT209",
        "SIKT210",
        "SIKT211",
        "SIKT301",
        "SIKT306",
        "SIKT308",
        "SIKT309",
        "SIKT310",
        "SIKT311",
        "SIKT402",
        "SIKT404",
        "SIKT405",
        "SIKT502",
        "SIKT503",
        "SIKT508",
        "SIKT510",
        "SIKT601",
        "SIKT605",
        "SIKT606",
    ]


def test_a_field_left_out_fails_loudly_where_it_is_read(broken: Path) -> None:
    """A whole-archive rule that starts reading the attendance cannot quietly find less in
    a large archive: every use of a left-out field raises."""
    m = slim(load_archive(broken).minutes[0])
    message = (
        "Minutes.narvarande is left out of a protokoll checked in a worker (rules.LEFT_OUT): "
        "a whole-archive rule that reads it must not run on it"
    )
    uses: list[Callable[[], object]] = [
        lambda: list(m.narvarande),
        lambda: len(m.narvarande),
        lambda: bool(m.narvarande),
        lambda: "bo-ek" in m.narvarande,
        lambda: m.narvarande[0],
        lambda: m.narvarande == (),
    ]
    for use in uses:
        with pytest.raises(TypeError) as raised:
            use()
        assert str(raised.value) == message
    with pytest.raises(TypeError, match=r"Minutes\.ordforande is left out"):
        _ = m.ordforande.value  # type: ignore[union-attr]
    assert set(LEFT_OUT) <= {f.name for f in dataclasses.fields(m)}
