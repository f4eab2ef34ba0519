"""records/: uppdrag and their follow-ups, selection, meetings and overviews, called directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import protokoll

from sikt_cli.archive.load import Archive, load_archive
from sikt_cli.records import meetings, overview
from sikt_cli.records.action_items import (
    ActionItem,
    Selection,
    Tracker,
    assignee_names,
    select,
    shown_text,
    track,
)

Make = Callable[..., Path]

P1, P2, P3 = "protokoll/2020-06-05.md", "protokoll/2020-09-04.md", "protokoll/2020-10-02.md"

BODY_1 = """\
## 1. Inledning

Text.

## 2. Temadag

- [ ] @bo-ek Boka lokal senast 2020-08-01
- [ ] @anna-ek @cia-ek Skriv inbjudan
- [ ] @arbetsgrupp Planera programmet senast 2020-07-01
- [ ] @alla Tipsa om föreläsare
- [ ] Ingen ansvarig här
- [ ] @cia-ek Gammal sak senast 2020-05-01
"""

FOLLOW_UP_ARENDEN = """\
arenden:
  - nr: 1
    rubrik: Inledning
  - nr: 2
    rubrik: Uppföljning av uppdrag
"""

BODY_2 = """\
## 1. Inledning

- [ ] @bo-ek Ny sak

## 2. Uppföljning av uppdrag

- [ ] 2020-06-05#1 Inte bokad än.
- [x] 2020-06-05#4 Klart: tre förslag.
- [x] 2020-06-05#9 Finns inte.
- [x] 2020-09-04#1 Samma möte.
- [x] 2020-13-45#1 Fel datum.
"""

BODY_3 = """\
## 1. Inledning

Text.

## 2. Uppföljning av uppdrag

- [x] 2020-06-05#1 Klart: bokad.
- [x] 2020-06-05#4 Igen.
"""

DEFAULT_KOMMANDE = "kommande:\n  - datum: 2020-09-04\n"


def meeting(datum: str, body: str, *, nasta: str | None, arenden: str | None = None) -> str:
    """A protokoll dated `datum` whose next meeting is `nasta` (None: no `kommande`)."""
    text = protokoll(datum, body=body, arenden=arenden)
    assert DEFAULT_KOMMANDE in text
    new = f"kommande:\n  - datum: {nasta}\n" if nasta else ""
    return text.replace(DEFAULT_KOMMANDE, new)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line holding `needle`; exactly one line must hold it."""
    found = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


@pytest.fixture
def three(archive: Make) -> Archive:
    """Three meetings: uppdrag given, followed up (open, closed) and wrongly followed up."""
    root = archive(
        {
            P1: meeting("2020-06-05", BODY_1, nasta="2020-09-04"),
            P2: meeting("2020-09-04", BODY_2, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN),
            P3: meeting("2020-10-02", BODY_3, nasta="2020-11-06", arenden=FOLLOW_UP_ARENDEN),
        }
    )
    loaded = load_archive(root)
    assert loaded.diagnostics == []
    return loaded


def tracked(a: Archive) -> Tracker:
    return track(a.minutes, a.roster)


def ids(items: list[ActionItem]) -> list[str]:
    return [a.id for a in items]


# --- track: IDs, due dates, texts ------------------------------------------------------------


def test_ids_are_numbered_per_protokoll_in_document_order(three: Archive) -> None:
    t = tracked(three)
    assert ids(t.items) == [
        "2020-06-05#1",
        "2020-06-05#2",
        "2020-06-05#3",
        "2020-06-05#4",
        "2020-06-05#5",  # the task without an assignee is no uppdrag and takes no number
        "2020-09-04#1",
    ]
    assert [a.number for a in t.items] == [1, 2, 3, 4, 5, 1]
    assert t.get("2020-06-05#5") is t.items[4]
    assert t.get("2020-06-05#6") is None


def test_due_dates_from_senast_or_the_first_kommande(three: Archive) -> None:
    t = tracked(three)
    due = {a.id: a.due for a in t.items}
    assert due == {
        "2020-06-05#1": dt.date(2020, 8, 1),
        "2020-06-05#2": dt.date(2020, 9, 4),  # no senast: the protokoll's first kommande
        "2020-06-05#3": dt.date(2020, 7, 1),
        "2020-06-05#4": dt.date(2020, 9, 4),
        "2020-06-05#5": dt.date(2020, 5, 1),
        "2020-09-04#1": dt.date(2020, 10, 2),  # that protokoll's own kommande
    }


def test_text_assignees_position_and_section(three: Archive) -> None:
    t = tracked(three)
    one, two, three_ = t.items[0], t.items[1], t.items[2]
    assert (one.text, one.assignees) == ("Boka lokal", ("bo-ek",))
    assert (two.text, two.assignees) == ("Skriv inbjudan", ("anna-ek", "cia-ek"))
    assert (three_.text, three_.assignees) == ("Planera programmet", ("arbetsgrupp",))
    path = three.root / P1
    assert (one.file, one.line, one.column) == (P1, line_of(path, "Boka lokal"), 1)
    assert (one.section, one.section_title) == (2, "Temadag")
    new = t.get("2020-09-04#1")
    assert new is not None
    assert (new.meeting, new.section, new.section_title) == (dt.date(2020, 9, 4), 1, "Inledning")


def test_no_kommande_and_no_senast_means_no_due_date(archive: Make) -> None:
    body = "## 1. Inledning\n\n## 2. Temadag\n\n- [ ] @bo-ek Boka lokal\n"
    a = load_archive(archive({P1: meeting("2020-06-05", body, nasta=None)}))
    [item] = tracked(a).items
    assert item.due is None
    assert not item.overdue(dt.date(2030, 1, 1))


# --- track: follow-ups ---------------------------------------------------------------------


def test_follow_ups_fold_open_then_closed(three: Archive) -> None:
    t = tracked(three)
    one = t.get("2020-06-05#1")
    assert one is not None
    assert [(f.meeting, f.done, f.comment) for f in one.follow_ups] == [
        (dt.date(2020, 9, 4), False, "Inte bokad än."),
        (dt.date(2020, 10, 2), True, "Klart: bokad."),
    ]
    assert one.follow_ups[0].file == P2
    assert one.follow_ups[0].line == line_of(three.root / P2, "Inte bokad")
    assert not one.is_open
    assert one.closed_on == dt.date(2020, 10, 2)
    four = t.get("2020-06-05#4")
    assert four is not None and four.closed_on == dt.date(2020, 9, 4)
    two = t.get("2020-06-05#2")
    assert two is not None
    assert (two.follow_ups, two.is_open, two.closed_on) == ((), True, None)


def test_an_open_follow_up_keeps_the_uppdrag_open(archive: Make) -> None:
    body_1 = "## 1. Inledning\n\n## 2. Temadag\n\n- [ ] @bo-ek Boka lokal\n"
    body_2 = "## 1. Inledning\n\n## 2. Uppföljning av uppdrag\n\n- [ ] 2020-06-05#1 Snart.\n"
    root = archive(
        {
            P1: meeting("2020-06-05", body_1, nasta="2020-09-04"),
            P2: meeting("2020-09-04", body_2, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN),
        }
    )
    [item] = tracked(load_archive(root)).items
    assert [f.done for f in item.follow_ups] == [False]
    assert item.is_open and item.closed_on is None


def test_diagnostics_codes_on_their_lines(three: Archive) -> None:
    t = tracked(three)
    p1, p2, p3 = (three.root / p for p in (P1, P2, P3))
    found = [(d.code, d.file, d.line, d.column) for d in t.diagnostics]
    assert found == [
        ("SIKT401", P1, line_of(p1, "Ingen ansvarig"), 1),
        ("SIKT407", P1, line_of(p1, "Gammal sak"), 1),
        ("SIKT404", P2, line_of(p2, "Finns inte"), 1),
        ("SIKT405", P2, line_of(p2, "Samma möte"), 1),
        ("SIKT404", P2, line_of(p2, "Fel datum"), 1),
        ("SIKT406", P3, line_of(p3, "Igen."), 1),
    ]
    assert all(d.is_error for d in t.diagnostics)


def test_diagnostic_messages_name_the_ids(three: Archive) -> None:
    by_line = {(d.file, d.line): d for d in tracked(three).diagnostics}
    p2, p3 = three.root / P2, three.root / P3
    unknown = by_line[(P2, line_of(p2, "Finns inte"))]
    assert unknown.message == "Uppföljningen avser 2020-06-05#9, men inget uppdrag har det ID:t."
    assert unknown.hint == (
        "Uppdrag från det mötet: 2020-06-05#1, 2020-06-05#2, 2020-06-05#3, "
        "2020-06-05#4, 2020-06-05#5."
    )
    bad_day = by_line[(P2, line_of(p2, "Fel datum"))]
    assert "2020-13-45 är inget giltigt datum" in bad_day.message
    twice = by_line[(P3, line_of(p3, "Igen."))]
    assert twice.message == (
        f"Uppdraget 2020-06-05#4 avslutades redan 2020-09-04 ({P2}:{line_of(p2, 'tre förslag')})."
    )
    early = by_line[(P1, line_of(three.root / P1, "Gammal sak"))]
    assert early.message == "Sista datum 2020-05-01 ligger före mötet (2020-06-05)."


# --- select, Selection, assignee_names -------------------------------------------------------


@pytest.mark.parametrize(
    ("sel", "expected"),
    [
        (Selection(), ["2020-06-05#5", "2020-06-05#3", "2020-06-05#2", "2020-09-04#1"]),
        (
            Selection(include_closed=True),
            [
                "2020-06-05#5",
                "2020-06-05#3",
                "2020-06-05#1",
                "2020-06-05#2",  # same due date as #4: meeting, then number
                "2020-06-05#4",
                "2020-09-04#1",
            ],
        ),
        # bo-ek by name, in arbetsgrupp (#3) and in @alla (#4)
        (
            Selection(member="bo-ek", include_closed=True),
            ["2020-06-05#3", "2020-06-05#1", "2020-06-05#4", "2020-09-04#1"],
        ),
        (Selection(member="bo-ek"), ["2020-06-05#3", "2020-09-04#1"]),
        (
            Selection(member="cia-ek", include_closed=True),
            ["2020-06-05#5", "2020-06-05#2", "2020-06-05#4"],
        ),
        (Selection(kommun="Vara"), ["2020-06-05#5", "2020-06-05#2"]),
        (
            Selection(kommun="Hjo", include_closed=True),
            ["2020-06-05#3", "2020-06-05#2", "2020-06-05#4"],
        ),
        (Selection(overdue_on=dt.date(2020, 8, 15)), ["2020-06-05#5", "2020-06-05#3"]),
        (Selection(overdue_on=dt.date(2020, 7, 1)), ["2020-06-05#5"]),  # due that day: not late
        (
            Selection(member="cia-ek", overdue_on=dt.date(2020, 9, 5)),
            ["2020-06-05#5", "2020-06-05#2"],
        ),
    ],
)
def test_select(three: Archive, sel: Selection, expected: list[str]) -> None:
    assert ids(select(tracked(three).items, three.roster, sel)) == expected


def test_select_puts_uppdrag_without_due_date_last(archive: Make) -> None:
    body = (
        "## 1. Inledning\n\n## 2. Temadag\n\n"
        "- [ ] @bo-ek Utan datum\n- [ ] @bo-ek Med senast 2020-07-01\n"
    )
    a = load_archive(archive({P1: meeting("2020-06-05", body, nasta=None)}))
    assert ids(select(tracked(a).items, a.roster, Selection())) == ["2020-06-05#2", "2020-06-05#1"]


def test_assignee_names(three: Archive) -> None:
    names = [assignee_names(a, three.roster) for a in tracked(three).items]
    assert names == ["Bo Ek", "Anna Ek, Cia Ek", "Arbetsgruppen", "Alla", "Cia Ek", "Bo Ek"]


def test_shown_text_names_the_assignee_once_and_keeps_every_other_word(
    archive: Make,
) -> None:
    """Why: 'Mattias Gustafsson: 4 september – Mattias skickar inbjudan' read the name twice."""
    body = (
        "## 1. Inledning\n\n"
        "- [ ] @bo-ek Bo Ek bokar lokal\n"
        "- [ ] @bo-ek 4 september – Bo skickar inbjudan\n"
        "- [ ] @anna-ek Anna och Bo tar fram ett förslag\n"
        "- [ ] @cia-ek Ring Bo om lokalen\n"
        "- [ ] @cia-ek Cia Ek\n"
        "- [ ] @alla Alla läser förslaget\n"
    )
    a = load_archive(archive({P1: meeting("2020-06-05", body, nasta=None)}))
    assert [shown_text(i, a.roster) for i in tracked(a).items] == [
        "bokar lokal",
        "4 september – skickar inbjudan",
        "Anna och Bo tar fram ett förslag",
        "Ring Bo om lokalen",
        "Cia Ek",
        "Alla läser förslaget",
    ]


# --- meetings ------------------------------------------------------------------------------


def test_next_meeting_skips_planned_files(archive: Make) -> None:
    planned = protokoll("2020-09-04", status="planerat").replace(
        DEFAULT_KOMMANDE, "kommande:\n  - datum: 2020-10-02\n"
    )
    a = load_archive(archive({P1: protokoll(status="justerat"), P2: planned}))
    # the planerat file is not held: the next meeting is still the justerat one's kommande
    assert meetings.next_meeting(a, dt.date(2030, 1, 1)) == dt.date(2020, 9, 4)


def test_next_meeting_without_kommande_is_today(archive: Make) -> None:
    body = "## 1. Inledning\n\nText.\n"
    a = load_archive(archive({P1: meeting("2020-06-05", body, nasta=None)}))
    assert meetings.next_meeting(a, dt.date(2021, 3, 4)) == dt.date(2021, 3, 4)


def test_next_meeting_after_the_latest_held(three: Archive) -> None:
    assert meetings.next_meeting(three, dt.date(2030, 1, 1)) == dt.date(2020, 11, 6)


def test_previous_and_open_actions(three: Archive) -> None:
    prev = meetings.previous(three, dt.date(2020, 10, 2))
    assert prev is not None and prev.rel == P2
    first = meetings.previous(three, dt.date(2020, 9, 4))
    assert first is not None and first.rel == P1
    assert meetings.previous(three, dt.date(2020, 6, 5)) is None
    # before 2020-09-04 nothing was followed up yet
    assert ids(meetings.open_actions(three, dt.date(2020, 9, 4))) == [
        f"2020-06-05#{n}" for n in (1, 2, 3, 4, 5)
    ]
    # #4 closed on 2020-09-04; #1 is still open before 2020-10-02
    assert ids(meetings.open_actions(three, dt.date(2020, 10, 2))) == [
        "2020-06-05#1",
        "2020-06-05#2",
        "2020-06-05#3",
        "2020-06-05#5",
        "2020-09-04#1",
    ]
    assert "2020-06-05#1" not in ids(meetings.open_actions(three, dt.date(2020, 11, 6)))


def test_proposed_agenda_carries_ej_inplanerat_with_their_goals(archive: Make) -> None:
    prev = protokoll(status="justerat", extra_frontmatter="ej_inplanerat: [Temadag, Budget]\n")
    a = load_archive(archive({P1: prev}))
    agenda = meetings.proposed_agenda(a, dt.date(2020, 9, 4))
    assert [(p.nr, p.rubrik, p.mal) for p in agenda] == [
        (1, "Utse sekreterare", ()),
        (2, "Föregående protokoll", ()),
        (3, "Uppföljning av uppdrag", ()),
        (4, "Temadag", ("mal-1.1",)),  # as it stood on the previous dagordning
        (5, "Budget", ()),
        (6, "Övrigt", ()),
        (7, "Kommande träffar och innehåll", ()),
    ]
    # without a previous protokoll: only the standing items
    first = meetings.proposed_agenda(a, dt.date(2020, 1, 1))
    assert [p.rubrik for p in first] == [*meetings.FIRST, *meetings.LAST]


# --- overview ------------------------------------------------------------------------------


def test_member_list(three: Archive) -> None:
    assert overview.member_list(three) == (
        "Medlemmar i Testnätverket",
        ["Namn", "Kommun", "Organisation", "Roller"],
        [
            ["Anna Ek", "Hjo", "", "ordförande"],
            ["Bo Ek", "Skara", "", ""],
            ["Cia Ek", "Vara", "", ""],
        ],
    )


def test_meeting_list(archive: Make) -> None:
    justerat = protokoll(status="justerat", extra_frontmatter="justerad: 2020-06-10\n")
    planned = protokoll("2020-09-04", status="planerat").replace(
        DEFAULT_KOMMANDE, "kommande:\n  - datum: 2020-10-02\n"
    )
    a = load_archive(archive({P1: justerat, P2: planned}))
    title, headers, rows = overview.meeting_list(a)
    assert (title, headers) == ("Mötesdatum för Testnätverket", ["Datum", "Dag", "Status"])
    assert rows == [
        ["2020-06-05", "fredag 5 juni 2020", "hållet, justerat"],
        ["2020-09-04", "fredag 4 september 2020", "planerat"],  # not overwritten by kommande
        ["2020-10-02", "fredag 2 oktober 2020", "kommande"],
    ]


def test_minutes_overview_counts(three: Archive) -> None:
    rows = overview.minutes_overview(three, tracked(three))
    assert [(r.datum, r.status, r.present, r.decisions, r.given, r.still_open) for r in rows] == [
        ("2020-06-05", "utkast", 3, 0, 5, 3),
        ("2020-09-04", "utkast", 3, 0, 1, 1),
        ("2020-10-02", "utkast", 3, 0, 0, 0),
    ]


def test_minutes_overview_counts_decisions(archive: Make) -> None:
    beslut = 'beslut:\n  - arende: 2\n    text: "Ja."\n  - arende: 2\n    text: "Nej."\n'
    a = load_archive(archive({P1: protokoll(extra_frontmatter=beslut)}))
    [row] = overview.minutes_overview(a, tracked(a))
    assert (row.decisions, row.given, row.still_open) == (2, 1, 1)
