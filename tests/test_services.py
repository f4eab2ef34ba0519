"""services/: every use case called as a library function, with its data and its errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import protokoll

from sikt_cli.archive.load import load_archive
from sikt_cli.diagnostics import Blocked
from sikt_cli.errors import EXIT_FOUND, EXIT_USAGE, Refused, SiktError, UsageError
from sikt_cli.files import FileExists
from sikt_cli.records.meetings import FIRST, LAST
from sikt_cli.services import cycle, lists, minutes_mail, minutes_view, notice, schemas, uppdrag
from sikt_cli.services.validate import validate

Make = Callable[..., Path]

D = dt.date(2020, 9, 4)
P1, P2, P3 = "protokoll/2020-06-05.md", "protokoll/2020-09-04.md", "protokoll/2020-10-02.md"
DEFAULT_KOMMANDE = "kommande:\n  - datum: 2020-09-04\n"

BODY_1 = """\
## 1. Inledning

Text.

## 2. Temadag

- [ ] @bo-ek Boka lokal senast 2020-08-01
- [ ] @cia-ek Skriv inbjudan
- [ ] Ingen ansvarig
"""

FOLLOW_UP_ARENDEN = """\
arenden:
  - nr: 1
    rubrik: Inledning
  - nr: 2
    rubrik: Uppföljning av uppdrag
"""

BODY_2 = """\
## 1. Inledningen

Text.

## 2. Uppföljning av uppdrag

- [x] 2020-06-05#1 Klart: lokalen bokad.
- [x] 2020-06-05#7 Finns inte.
- [ ] @anna-ek Ny sak senast 2020-09-20
"""

BODY_D = "## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [ ] @bo-ek Boka lokal senast 2020-10-01\n"


def meeting(datum: str, body: str, *, nasta: str, arenden: str | None = None) -> str:
    text = protokoll(datum, body=body, arenden=arenden)
    assert DEFAULT_KOMMANDE in text
    return text.replace(DEFAULT_KOMMANDE, f"kommande:\n  - datum: {nasta}\n")


def two_meetings(archive: Make) -> Path:
    """Errors: SIKT401 in the first protokoll, SIKT404 in the second; one SIKT304 warning."""
    return archive(
        {
            P1: meeting("2020-06-05", BODY_1, nasta="2020-09-04"),
            P2: meeting("2020-09-04", BODY_2, nasta="2020-10-02", arenden=FOLLOW_UP_ARENDEN),
        }
    )


def justerat(datum: str = "2020-06-05", extra: str = "") -> str:
    return protokoll(datum, status="justerat", extra_frontmatter=f"justerad: 2020-06-10\n{extra}")


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every call computes from the files; nobody is the user unless a test says so."""
    monkeypatch.setenv("SIKT_CACHE", "av")
    monkeypatch.delenv("SIKT_JAG", raising=False)


# --- validate --------------------------------------------------------------------------------


def test_validate_counts_the_whole_archive(archive: Make) -> None:
    root = two_meetings(archive)
    result = validate(root)
    assert (result.errors, result.warnings, result.files_checked) == (2, 1, 4)
    assert [(d.file, d.code) for d in result.diagnostics] == [
        (P1, "SIKT401"),
        (P2, "SIKT304"),
        (P2, "SIKT404"),
    ]
    assert result.exit_code() == 1
    assert sorted(result.sources) == [P1, P2]


def test_validate_a_clean_archive(archive: Make) -> None:
    result = validate(archive())
    assert (result.errors, result.warnings, result.files_checked) == (0, 0, 3)
    assert result.diagnostics == ()
    assert result.exit_code(strict=True) == 0


def test_validate_reports_only_on_the_selected_paths(archive: Make) -> None:
    root = two_meetings(archive)
    one = validate(root, [root / P2])
    assert [d.code for d in one.diagnostics] == ["SIKT304", "SIKT404"]
    assert (one.errors, one.warnings, one.files_checked) == (1, 1, 3)
    assert one.exit_code() == 1
    first = validate(root, [root / P1])
    assert [d.code for d in first.diagnostics] == ["SIKT401"]
    folder = validate(root, [root / "protokoll"])
    assert (folder.errors, folder.warnings, folder.files_checked) == (2, 1, 4)


def test_validate_an_unknown_path_is_a_usage_error(archive: Make) -> None:
    root = archive()
    with pytest.raises(SiktError) as exc:
        validate(root, [root / "protokoll/2021-01-01.md"])
    assert type(exc.value) is SiktError
    assert exc.value.exit_code == EXIT_USAGE
    assert "2021-01-01.md' finns inte" in exc.value.message


# --- uppdrag ---------------------------------------------------------------------------------


def test_tracked_with_and_without_the_closed(archive: Make) -> None:
    root = two_meetings(archive)
    roster, tracker, errors = uppdrag.tracked(root, cache=False)
    assert [a.id for a in tracker.items] == ["2020-06-05#1", "2020-06-05#2", "2020-09-04#1"]
    assert errors == 2
    assert [d.code for d in tracker.diagnostics] == ["SIKT401", "SIKT404"]
    assert roster.member("bo-ek") is not None
    _, open_only, _ = uppdrag.tracked(root, include_closed=False, cache=False)
    assert [a.id for a in open_only.items] == ["2020-06-05#2", "2020-09-04#1"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (uppdrag.Query(), ["2020-06-05#2", "2020-09-04#1"]),
        (uppdrag.Query(alla=True), ["2020-06-05#1", "2020-06-05#2", "2020-09-04#1"]),
        (uppdrag.Query(medlem="bo-ek"), []),
        (uppdrag.Query(medlem="bo-ek", alla=True), ["2020-06-05#1"]),
        (uppdrag.Query(mina=True, jag="anna-ek"), ["2020-09-04#1"]),
        (uppdrag.Query(kommun="Vara"), ["2020-06-05#2"]),
        (uppdrag.Query(forsenade=True, per=dt.date(2020, 9, 10)), ["2020-06-05#2"]),
        (uppdrag.Query(forsenade=True, per=dt.date(2020, 9, 4)), []),
        (uppdrag.Query(forsenade=True, per=dt.date(2020, 9, 21)), ["2020-06-05#2", "2020-09-04#1"]),
    ],
)
def test_list_items_options(archive: Make, query: uppdrag.Query, expected: list[str]) -> None:
    listing = uppdrag.list_items(two_meetings(archive), query)
    assert [a.id for a in listing.items] == expected
    assert listing.archive_errors == 2
    if query.per is not None:
        assert listing.today == query.per


def test_list_items_mina_reads_sikt_jag(archive: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIKT_JAG", "cia-ek")
    listing = uppdrag.list_items(two_meetings(archive), uppdrag.Query(mina=True))
    assert [a.id for a in listing.items] == ["2020-06-05#2"]


@pytest.mark.parametrize(
    ("query", "message", "hint"),
    [
        (uppdrag.Query(medlem="bo-k"), "'bo-k' är inte en medlem", "Menade du 'bo-ek'?"),
        (uppdrag.Query(mina=True, medlem="bo-ek"), "inte användas tillsammans", "--mina"),
        (uppdrag.Query(kommun="skara"), "'skara' finns inte", "Menade du 'Skara'?"),
        (uppdrag.Query(kommun="Lund"), "'Lund' finns inte", "Kommuner: Hjo, Skara, Vara"),
    ],
)
def test_list_items_usage_errors(
    archive: Make, query: uppdrag.Query, message: str, hint: str
) -> None:
    with pytest.raises(UsageError) as exc:
        uppdrag.list_items(two_meetings(archive), query)
    assert exc.value.exit_code == EXIT_USAGE
    assert message in exc.value.message
    assert hint in exc.value.hint


def test_find_item_and_the_closest_id(archive: Make) -> None:
    root = two_meetings(archive)
    item, roster = uppdrag.find_item(root, "2020-06-05#1")
    assert (item.text, item.closed_on) == ("Boka lokal", dt.date(2020, 9, 4))
    assert [f.comment for f in item.follow_ups] == ["Klart: lokalen bokad."]
    assert roster.name_of(item.assignees[0]) == "Bo Ek"
    with pytest.raises(Refused) as exc:
        uppdrag.find_item(root, "2020-06-06#2")
    assert exc.value.exit_code == EXIT_FOUND
    assert exc.value.message == "Inget uppdrag har ID '2020-06-06#2'."
    assert exc.value.hint.startswith("Menade du '2020-06-05#2'? ")


# --- the meeting cycle -----------------------------------------------------------------------


def test_plan_creates_the_planned_protokoll_once(archive: Make) -> None:
    root = archive({P1: justerat(extra="ej_inplanerat: [Budget]\n")})
    outcome = cycle.plan(root, D)
    assert outcome is not None
    assert (outcome.path, outcome.action) == (root / P2, "skapad")
    text = outcome.path.read_text(encoding="utf-8")
    assert "\nstatus: planerat\n" in text and "\nordforande: anna-ek\n" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    titles = [*FIRST, "Budget", *LAST]
    assert headings == [f"## {n}. {t}" for n, t in enumerate(titles, 1)]
    assert "- [ ] 2020-06-05#1 FYLL I: vad hände?\n" in text
    assert cycle.plan(root, D) is None
    assert outcome.path.read_text(encoding="utf-8") == text


def test_start_draft_turns_the_planned_file_into_the_utkast(archive: Make) -> None:
    root = archive({P1: justerat()})
    planned = cycle.plan(root, D)
    assert planned is not None
    before = planned.path.read_text(encoding="utf-8")
    outcome = cycle.start_draft(root, D, "cia-ek")
    assert (outcome.path, outcome.action) == (root / P2, "utkast")
    after = outcome.path.read_text(encoding="utf-8")
    assert after.count("status: ") == 1 and "\nstatus: utkast\n" in after
    assert "\nsekreterare: cia-ek\n" in after
    assert "# - bo-ek   # Bo Ek, Skara" in after
    # every planned line is kept, in order; only the status line changed
    kept = iter(after.splitlines())
    for line in before.replace("status: planerat", "status: utkast").splitlines():
        assert line in kept, line
    with pytest.raises(Refused) as exc:
        cycle.start_draft(root, D, None)
    assert exc.value.exit_code == EXIT_FOUND
    assert "status: utkast" in exc.value.message and "skrivs inte över" in exc.value.message
    assert outcome.path.read_text(encoding="utf-8") == after


def test_start_draft_refuses_an_unknown_sekreterare(archive: Make) -> None:
    root = archive({P1: justerat()})
    with pytest.raises(Refused) as exc:
        cycle.start_draft(root, D, "bo-k")
    assert exc.value.hint == "Menade du 'bo-ek'?"
    assert not (root / P2).exists()


def test_approve_sets_justerat_justerad_and_justerare(archive: Make) -> None:
    text = protokoll("2020-09-04", body=BODY_D)
    root = archive({P1: justerat(), P2: text})
    outcome = cycle.approve(root, D, ["cia-ek"], dt.date(2020, 9, 10))
    assert (outcome.path, outcome.action) == (root / P2, "justerat")
    assert outcome.path.read_text(encoding="utf-8") == text.replace(
        "status: utkast\n", "status: justerat\njusterad: 2020-09-10\njusterare: [cia-ek]\n"
    )
    with pytest.raises(Refused) as exc:
        cycle.approve(root, D, [], dt.date(2020, 9, 11))
    assert type(exc.value) is Refused and exc.value.exit_code == EXIT_FOUND
    assert exc.value.message == "2020-09-04.md är redan justerat."


def test_approve_is_blocked_by_a_warning_in_the_file(archive: Make) -> None:
    text = protokoll("2020-09-04", body=BODY_D.replace("## 2. Temadag", "## 2. Temadagen"))
    root = archive({P1: justerat(), P2: text})
    with pytest.raises(Blocked) as exc:
        cycle.approve(root, D, [], dt.date(2020, 9, 10))
    assert exc.value.exit_code == EXIT_FOUND
    found = exc.value.result.diagnostics
    assert [(d.file, d.code, d.is_error) for d in found] == [(P2, "SIKT304", False)]
    assert exc.value.result.files_checked == 1
    assert (root / P2).read_text(encoding="utf-8") == text


def test_approve_a_missing_file_or_unknown_justerare(archive: Make) -> None:
    root = archive({P2: protokoll("2020-09-04", body=BODY_D)})
    with pytest.raises(Refused) as exc:
        cycle.approve(root, dt.date(2021, 1, 1), [], dt.date(2021, 1, 2))
    assert "finns inte" in exc.value.message
    with pytest.raises(Refused) as exc:
        cycle.approve(root, D, ["okand"], dt.date(2020, 9, 10))
    assert exc.value.message == "Justeraren 'okand' är inte en medlem i medlemmar.yaml."
    assert "status: utkast" in (root / P2).read_text(encoding="utf-8")


# --- kallelse --------------------------------------------------------------------------------


def test_kallelse_plans_once_and_builds_the_notice(archive: Make, no_smtp_settings: None) -> None:
    root = archive({P1: justerat(extra="ej_inplanerat: [Budget]\n")})
    first = notice.kallelse(root, None, sending=False)  # default: the next kommande
    assert first.created == root / P2
    assert first.mail is None
    n = first.notice
    assert (n.day, n.sequence) == (D, 0)
    agenda = "\n".join(f"{i}. {t}" for i, t in enumerate([*FIRST, "Budget", *LAST], 1))
    assert f"## Dagordning\n\n{agenda}\n" in n.markdown
    assert "- **2020-06-05#1** Bo Ek: Boka lokal (senast 2020-08-01)" in n.markdown
    assert b"DTSTART;TZID=Europe/Stockholm:20200904T090000" in n.ics
    planned = (root / P2).read_bytes()
    again = notice.kallelse(root, D, sending=False)
    assert again.created is None
    assert again.notice.markdown == n.markdown
    assert (root / P2).read_bytes() == planned  # not sending: no SEQUENCE written


# --- protokoll mejl --------------------------------------------------------------------------


def test_minutes_mail_refuses_an_utkast_unless_asked(archive: Make, no_smtp_settings: None) -> None:
    root = archive()
    day = dt.date(2020, 6, 5)
    with pytest.raises(Refused) as exc:
        minutes_mail.minutes_mail(root, day, utkast=False)
    assert type(exc.value) is Refused and exc.value.exit_code == EXIT_FOUND
    assert exc.value.message == "Protokollet har status 'utkast' och är inte justerat."
    mail, name = minutes_mail.minutes_mail(root, day, utkast=True)
    assert name == "protokoll-2020-06-05.eml"
    assert mail.message["Subject"] == "UTKAST: Protokoll Testnätverket 2020-06-05"
    assert mail.recipients == ["anna.ek@example.se", "rapport@example.se"]
    assert [m.id for m in mail.unreached] == ["bo-ek", "cia-ek"]


def test_minutes_mail_of_the_real_justerat_protokoll(
    real_archive: Path, no_smtp_settings: None
) -> None:
    mail, name = minutes_mail.minutes_mail(real_archive, dt.date(2020, 6, 5), utkast=False)
    assert name == "protokoll-2020-06-05.eml"
    assert mail.message["Subject"] == "Protokoll SIKT-nätverket 2020-06-05"
    roster = load_archive(real_archive).roster
    assert mail.to == []  # nobody in medlemmar.yaml has an address
    assert mail.recipients == list(roster.network.rapport_till) == ["utbildning@skaraborg.se"]
    assert [m.id for m in mail.unreached] == [m.id for m in roster.members]


def test_minutes_mail_refuses_errors_and_a_missing_protokoll(
    archive: Make, no_smtp_settings: None
) -> None:
    broken = protokoll().replace("narvarande: [anna-ek, bo-ek, cia-ek]", "narvarande: [okand]")
    root = archive({P1: broken})
    with pytest.raises(Blocked) as exc:
        minutes_mail.minutes_mail(root, dt.date(2020, 6, 5), utkast=True)
    assert exc.value.message.endswith("fel och skickas inte.")
    assert {d.file for d in exc.value.result.diagnostics if d.is_error} == {P1}
    with pytest.raises(Refused) as missing:
        minutes_mail.minutes_mail(root, dt.date(2021, 1, 1), utkast=True)
    assert missing.value.message == "Det finns inget protokoll för 2021-01-01."


# --- protokoll visa / lista, lists, schemas --------------------------------------------------


def test_show_splits_frontmatter_and_body(archive: Make) -> None:
    text = protokoll()
    root = archive({P1: text})
    shown = minutes_view.show(root, dt.date(2020, 6, 5))
    head, body = text.split("\n---\n", 1)
    assert shown.frontmatter == head + "\n---"
    assert shown.body == body
    with pytest.raises(Refused) as exc:
        minutes_view.show(root, dt.date(2019, 1, 1))
    assert exc.value.exit_code == EXIT_FOUND
    assert exc.value.message == "Det finns inget protokoll för 2019-01-01."


def test_minutes_overview_rows(archive: Make) -> None:
    rows = minutes_view.overview(two_meetings(archive))
    assert [(r.datum, r.status, r.present, r.decisions, r.given, r.still_open) for r in rows] == [
        ("2020-06-05", "utkast", 3, 0, 2, 1),
        ("2020-09-04", "utkast", 3, 0, 1, 1),
    ]


def test_list_tables(archive: Make) -> None:
    root = archive({P1: justerat()})
    members = lists.table(root, "member_list")
    assert members == lists.Table(
        "Medlemmar i Testnätverket",
        ["Namn", "Kommun", "Organisation", "Roller"],
        [
            ["Anna Ek", "Hjo", "", "ordförande"],
            ["Bo Ek", "Skara", "", ""],
            ["Cia Ek", "Vara", "", ""],
        ],
    )
    dates = lists.table(root, "meeting_list")
    assert dates.rows == [
        ["2020-06-05", "fredag 5 juni 2020", "hållet, justerat"],
        ["2020-09-04", "fredag 4 september 2020", "kommande"],
    ]


SCHEMA_FILES = ["mal.schema.json", "medlemmar.schema.json", "protokoll.schema.json"]


def test_write_schemas(tmp_path: Path) -> None:
    written = schemas.write_schemas(tmp_path)
    assert sorted(p.name for p in written) == SCHEMA_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == SCHEMA_FILES
    assert all(p.read_text(encoding="utf-8").startswith("{") for p in written)


def test_write_schemas_is_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "mal.schema.json").write_text("mitt eget", encoding="utf-8")
    with pytest.raises(FileExists) as exc:  # as any --ut onto a file: exit 2, a free name
        schemas.write_schemas(tmp_path)
    assert exc.value.exit_code == 2
    assert exc.value.message == (
        f"{tmp_path / 'mal.schema.json'} finns redan och skrivs inte över; inget skrevs."
    )
    assert exc.value.hint == (
        f"Ange ett ledigt namn, t.ex. --ut {tmp_path.as_posix()}-2, eller ta bort den gamla "
        "filen först."
    )
    assert [p.name for p in tmp_path.iterdir()] == ["mal.schema.json"]
    assert (tmp_path / "mal.schema.json").read_text(encoding="utf-8") == "mitt eget"
