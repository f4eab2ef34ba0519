"""Hints that sent a newcomer the wrong way (issue 16), each replaced by the right one.

Every test states the exact message: indentation instead of "a colon in the wrong place",
"Menade du" on names and first names, the real problem of a `tid`, one finding for a
misspelt key, and no accusation of a municipality for a misspelt member."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, protokoll

Run = Callable[..., Any]
Make = Callable[..., Path]
P = "protokoll/2020-06-05.md"
SEPT = "protokoll/2020-09-04.md"


def found(run: Run, root: Path, *paths: str) -> list[tuple[str, int, int, str, str, str]]:
    result = run("validera", "--rot", str(root), "-f", "json", *(str(root / p) for p in paths))
    assert "Traceback" not in result.output
    return [
        (d["file"], d["line"], d["column"], d["code"], d["message"], d["hint"])
        for d in json.loads(result.stdout)
    ]


# --- indentation ------------------------------------------------------------------------------

DECISION = "beslut:\n  - arende: 1\n{indent}text: {value}\n"


@pytest.mark.parametrize("indent", [3, 5, 6])
@pytest.mark.parametrize("value", ['"Avtalet förlängs."', "Avtalet förlängs."])
def test_a_wrongly_indented_key_is_an_indentation_error(
    archive: Make, run: Run, indent: int, value: str
) -> None:
    text = protokoll(extra_frontmatter=DECISION.format(indent=" " * indent, value=value))
    diags = found(run, archive({P: text}))
    assert diags == [
        (
            P,
            17,
            indent + 1,
            "SIKT106",
            f"YAML-syntaxfel: raden har fel indrag: 'text' börjar i kolumn {indent + 1}, men "
            "nycklarna på den här nivån börjar i kolumn 5.",
            "Flytta 'text:' till kolumn 5, rakt under 'arende' på rad 16. Indraget görs med "
            "mellanslag, lika många på varje rad i samma nivå.",
        )
    ]


def test_a_colon_in_a_value_still_asks_for_quotes(archive: Make, run: Run) -> None:
    text = protokoll().replace("rubrik: Temadag", "rubrik: Temadag: Teams")
    assert found(run, archive({P: text})) == [
        (
            P,
            11,
            20,
            "SIKT106",
            "YAML-syntaxfel: ett kolon står på fel ställe.",
            "Sätt citattecken runt värden som innehåller ': ', t.ex. rubrik: \"Mål: digital "
            'kompetens".',
        )
    ]


# --- members: ids, names and first names -------------------------------------------------------

SEPTEMBER = """\
---
datum: 2020-09-04
tid: "09:00-11:15"
plats: Teamsmöte
status: utkast
ordforande: mattias-gustafsson
sekreterare: sara-von-seth
narvarande: [mattias-gustafsson, sara-von-seth, eva-karlsson, {present}]
franvarande: [Essunga, Falköping, Grästorp, Gullspång, Götene, Hjo, Karlsborg, Lidköping,
  Mariestad, Skara, Skövde, Töreboda, Vara]
arenden:
  - nr: 1
    rubrik: Inledning
kommande:
  - datum: 2020-10-02
---

## 1. Inledning

- [ ] {task} boka lokal
"""
EVA = "Menade du 'eva-karlsson'? Medlemmar anges med sitt id från medlemmar.yaml."


@pytest.mark.parametrize(
    ("task", "name", "message"),
    [
        ("@Eva Karlsson ska", "@Eva", "Okänd ansvarig '@Eva' i uppdraget."),
        ("@eva", "@eva", "Okänd ansvarig '@eva' i uppdraget."),
        (
            "@eva_karlsson",
            "@eva_karlsson",
            "Okänd ansvarig '@eva_karlsson' i uppdraget: ett id skrivs med a–z, siffror och "
            "bindestreck.",
        ),
    ],
)
def test_an_assignee_written_as_a_name_gets_the_id(
    real_archive: Path, run: Run, task: str, name: str, message: str
) -> None:
    text = SEPTEMBER.format(present="ulf-andersson", task=task)
    (real_archive / SEPT).write_text(text, encoding="utf-8")
    hint = EVA + ("" if "_" in name else " Hela nätverket skrivs @alla.")
    assert found(run, real_archive, SEPT) == [(SEPT, 20, 7, "SIKT402", message, hint)]


def test_a_present_member_written_by_first_name_gets_the_id(real_archive: Path, run: Run) -> None:
    """`Ulf` is the only Ulf: Ulf Andersson, from Gullspång, which was there (no SIKT208)."""
    text = SEPTEMBER.format(present="Ulf", task="@eva-karlsson").replace("Gullspång, ", "")
    (real_archive / SEPT).write_text(text, encoding="utf-8")
    assert found(run, real_archive, SEPT) == [
        (
            SEPT,
            8,
            63,
            "SIKT204",
            "Okänd medlem 'Ulf' i 'narvarande'.",
            "Menade du 'ulf-andersson'? Medlemmar anges med sitt id från medlemmar.yaml.",
        )
    ]


def test_a_misspelt_member_does_not_accuse_the_municipality(archive: Make, run: Run) -> None:
    """cia-ek is Vara's only member: her typo is one error, not also "Vara is missing"."""
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, bo-ek, cia-eek]")
    assert found(run, archive({P: text})) == [
        (
            P,
            6,
            30,
            "SIKT204",
            "Okänd medlem 'cia-eek' i 'narvarande'.",
            "Menade du 'cia-ek'? Medlemmar anges med sitt id från medlemmar.yaml.",
        )
    ]


# --- tid -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem", "hint"),
    [
        ("9:00-11:15", "timmen skrivs med två siffror", 'Skriv tid: "09:00-11:15".'),
        ('"9:00-11:15"', "timmen skrivs med två siffror", 'Skriv tid: "09:00-11:15".'),
        (
            "09.00-11.15",
            "skriv kolon mellan timmar och minuter, inte punkt",
            'Skriv tid: "09:00-11:15".',
        ),
        (
            '"09.00-11.15"',
            "skriv kolon mellan timmar och minuter, inte punkt",
            'Skriv tid: "09:00-11:15".',
        ),
        (
            '"10:00-09:00"',
            "sluttiden 09:00 är före starttiden 10:00",
            'Skriv starttiden först: tid: "09:00-10:00".',
        ),
        (
            "10:00-09:00",
            "sluttiden 09:00 är före starttiden 10:00",
            'Skriv starttiden först: tid: "09:00-10:00".',
        ),
        (
            '"09:00–11:15"',
            "skriv ett vanligt bindestreck (-) mellan tiderna",
            'Skriv tid: "09:00-11:15".',
        ),
        (
            '"25:00-26:00"',
            "timmarna går från 00 till 23 och minuterna från 00 till 59",
            'Skriv t.ex. tid: "09:00-11:15".',
        ),
    ],
)
def test_tid_names_the_one_real_problem(
    archive: Make, run: Run, value: str, problem: str, hint: str
) -> None:
    text = protokoll(extra_frontmatter=f"tid: {value}\n")
    shown = value.strip('"')
    assert found(run, archive({P: text})) == [
        (
            P,
            15,
            6,
            "SIKT112",
            f"'tid' ska vara en tid som '09:00-11:15', men är '{shown}': {problem}.",
            hint,
        )
    ]


# --- a misspelt key -----------------------------------------------------------------------------


def test_a_misspelt_key_is_one_finding(archive: Make, run: Run) -> None:
    """`närvarande` for `narvarande`: SIKT109, not also SIKT503 'närvarolista saknas'."""
    text = protokoll().replace("narvarande:", "närvarande:")
    assert found(run, archive({P: text})) == [
        (
            P,
            6,
            1,
            "SIKT109",
            "Okänd nyckel 'närvarande'.",
            "Menade du 'narvarande'? Nycklar skrivs utan å, ä och ö.",
        )
    ]


def test_a_misspelt_required_key_is_one_finding(archive: Make, run: Run) -> None:
    """`statsu` for `status`: SIKT109, not also SIKT111 'status saknas'."""
    text = protokoll().replace("status:", "statsu:")
    assert [d[3] for d in found(run, archive({P: text}))] == ["SIKT109"]


# --- justerare -------------------------------------------------------------------------------


def _justera(run: Run, root: Path, day: str, *justerare: str) -> Any:
    args = [x for j in justerare for x in ("--justerare", j)]
    return run("protokoll", "justera", day, *args, "--rot", str(root))


def test_justera_refuses_a_justerare_who_was_absent(archive: Make, run: Run) -> None:
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, bo-ek]\nfranvarande: [Vara]")
    root = archive({P: text})
    result = _justera(run, root, "2020-06-05", "cia-ek")
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Justeraren 'cia-ek' var inte närvarande vid mötet 2020-06-05.\n"
        "tips: Välj en justerare bland dem under 'narvarande', eller lägg till hen där om hen "
        "var med. Justerare är valfria: ordföranden och sekreteraren skriver under.\n"
    )
    assert (root / P).read_text(encoding="utf-8") == text


def test_justera_refuses_the_chair_as_justerare(archive: Make, run: Run) -> None:
    root = archive()
    result = _justera(run, root, "2020-06-05", "anna-ek")
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Justeraren 'anna-ek' är mötets ordförande och skriver redan under protokollet.\n"
        "tips: Välj en annan av de närvarande som justerare, eller justera utan --justerare "
        "(justerare är valfria).\n"
    )
    assert _justera(run, root, "2020-06-05", "cia-ek").exit_code == 0


def test_justera_suggests_the_id_for_a_first_name(real_archive: Path, run: Run) -> None:
    text = SEPTEMBER.format(present="ulf-andersson", task="@eva-karlsson")
    (real_archive / SEPT).write_text(text, encoding="utf-8")
    result = _justera(run, real_archive, "2020-09-04", "eva")
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Justeraren 'eva' är inte en medlem i medlemmar.yaml.\n"
        "tips: Menade du 'eva-karlsson'?\n"
    )
    assert _justera(run, real_archive, "2020-09-04", "eva-karlsson").exit_code == 0


# --- a first name two members share -------------------------------------------------------

TWO_ANNAS = MEMBERS.replace(
    "  - id: bo-ek\n", "  - id: anna-berg\n    namn: Anna Berg\n    kommun: Vara\n  - id: bo-ek\n"
)
TWO_CIAS = MEMBERS + "  - id: cia-berg\n    namn: Cia Berg\n    kommun: Vara\n"
BOTH = "Menade du 'anna-ek' eller 'anna-berg'? Medlemmar anges med sitt id från medlemmar.yaml."


def test_a_first_name_two_members_share_proposes_both(archive: Make, run: Run) -> None:
    """`Cia` could be Cia Ek or Cia Berg: both are proposed, in roster order, not the one
    closest in spelling; both are from Vara, so Vara counts as represented (no SIKT208)."""
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, bo-ek, Cia]")
    root = archive({P: text}, members=TWO_CIAS)
    assert found(run, root, P) == [
        (
            P,
            6,
            30,
            "SIKT204",
            "Okänd medlem 'Cia' i 'narvarande'.",
            "Menade du 'cia-ek' eller 'cia-berg'? Medlemmar anges med sitt id från medlemmar.yaml.",
        )
    ]


def test_a_shared_first_name_across_municipalities_represents_neither(
    archive: Make, run: Run
) -> None:
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, bo-ek, Anna]")
    root = archive({P: text}, members=TWO_ANNAS)
    codes = [(f[3], f[5]) for f in found(run, root, P)]
    assert ("SIKT204", BOTH) in codes
    assert [c for c, _ in codes].count("SIKT208") == 1  # Vara: Anna Berg or Anna Ek?


def test_an_uppdrag_for_a_shared_first_name_proposes_both(archive: Make, run: Run) -> None:
    text = protokoll().replace("@bo-ek Boka lokal", "@Anna boka lokal")
    root = archive({P: text}, members=TWO_ANNAS)
    got = [f for f in found(run, root, P) if f[3] == "SIKT402"]
    assert [(f[4], f[5]) for f in got] == [
        (
            "Okänd ansvarig '@Anna' i uppdraget.",
            BOTH + " Hela nätverket skrivs @alla.",
        )
    ]


def test_a_full_name_still_gets_its_one_member(archive: Make, run: Run) -> None:
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[Anna Berg, bo-ek, cia-ek]")
    root = archive({P: text}, members=TWO_ANNAS)
    assert [(f[3], f[5]) for f in found(run, root, P) if f[3] == "SIKT204"] == [
        ("SIKT204", "Menade du 'anna-berg'? Medlemmar anges med sitt id från medlemmar.yaml.")
    ]


def test_justera_proposes_both_for_a_shared_first_name(archive: Make, run: Run) -> None:
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, anna-berg, bo-ek, cia-ek]")
    root = archive({P: text}, members=TWO_ANNAS)
    result = _justera(run, root, "2020-06-05", "anna")
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: Justeraren 'anna' är inte en medlem i medlemmar.yaml.\n"
        "tips: Menade du 'anna-ek' eller 'anna-berg'?\n"
    )


def test_first_names_that_fold_alike_are_shared(archive: Make, run: Run) -> None:
    """`Åsa` and `Asa` are the same name when looked up (slugs fold å to a): both proposed."""
    members = MEMBERS + (
        "  - id: asa-ek\n    namn: Åsa Ek\n    kommun: Hjo\n"
        "  - id: asa-berg\n    namn: Asa Berg\n    kommun: Vara\n"
    )
    text = protokoll().replace("[anna-ek, bo-ek, cia-ek]", "[anna-ek, bo-ek, cia-ek, Åsa]")
    root = archive({P: text}, members=members)
    assert [(f[3], f[5]) for f in found(run, root, P)] == [
        (
            "SIKT204",
            "Menade du 'asa-ek' eller 'asa-berg'? Medlemmar anges med sitt id från medlemmar.yaml.",
        )
    ]


def test_a_blank_member_name_is_an_error_and_documents_do_not_crash(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    members = MEMBERS.replace("    namn: Bo Ek\n", '    namn: " "\n')
    root = archive({P: protokoll()}, members=members)
    got = [f for f in found(run, root) if f[0] == "medlemmar.yaml"]
    assert got == [
        (
            "medlemmar.yaml",
            18,
            11,
            "SIKT112",
            "'medlemmar[2].namn' är tomt.",
            "Skriv medlemmens för- och efternamn, t.ex. 'namn: Sara von Seth'.",
        )
    ]
    out = tmp_path / "p.pdf"
    result = run("protokoll", "pdf", "2020-06-05", "--utkast", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
