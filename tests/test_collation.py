"""Swedish alphabetical order (sikt_cli/collation.py) against CLDR's sv tailoring."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sikt_cli.collation import SV_RULES, parse_rules, sort_key

Make = Callable[..., Path]


def _level(a: str, b: str) -> int:
    """The level (1 primary, 2 secondary, 3 tertiary) at which a's key first differs from
    b's, counting the zeros that separate the levels in a UCA sort key; 0 when equal."""
    ka, kb = sort_key(a), sort_key(b)
    level = 1
    for x, y in zip(ka, kb, strict=False):
        if x != y:
            return level
        if x == 0:
            level += 1
    return 0 if len(ka) == len(kb) else level


def _pairs() -> list[tuple[str, str, int]]:
    """Every relation CLDR's rule text states: (before, after, strength)."""
    out = []
    for _before, reset, steps in parse_rules(SV_RULES):
        previous = reset
        for strength, text in steps:
            out.append((previous, text, strength))
            previous = text
    return out


@pytest.mark.parametrize(("first", "second", "strength"), _pairs())
def test_every_relation_of_the_cldr_sv_rules_holds(first: str, second: str, strength: int) -> None:
    """`a<b`, `a<<b`, `a<<<b` in CLDR's rules: b sorts after a, first differing at that level
    (the reset `ǀ` of "[before 1]" is the one exception: å sorts before it)."""
    if first == "ǀ":
        assert sort_key("å") < sort_key("ǀ") and _level("å", "ǀ") == 1
        return
    assert sort_key(first) < sort_key(second)
    assert _level(first, second) == strength


def test_alphabet_ends_z_a_ring_a_umlaut_o_umlaut() -> None:
    letters = list("öäåzyxwvutsrqponmlkjihgfedcba")
    assert "".join(sorted(letters, key=sort_key)) == "abcdefghijklmnopqrstuvwxyzåäö"


def test_variants_sort_with_their_swedish_letter() -> None:
    """Æ as Ä, Ø as Ö, Ü as Y (primary equal, secondary after), Đ/Ð as D."""
    for variant, letter in (("æ", "ä"), ("ø", "ö"), ("ü", "y"), ("đ", "d"), ("ð", "d")):
        assert _level(letter, variant) == 2, (letter, variant)
    assert sorted(["Øberg", "Ödman", "Ösel"], key=sort_key) == ["Øberg", "Ödman", "Ösel"]
    assert sorted(["Ærlig", "Äng", "Ärt"], key=sort_key) == ["Äng", "Ærlig", "Ärt"]
    assert sorted(["Zeta", "Yxe", "Üxa"], key=sort_key) == ["Üxa", "Yxe", "Zeta"]


def test_case_and_accents_only_break_ties() -> None:
    assert _level("åsa", "Åsa") == 3
    assert _level("Ek", "ek") == 3
    assert _level("Hélène", "Helene") == 2
    assert sorted(["Eva", "éva", "Ewa", "eva"], key=sort_key) == ["eva", "Eva", "éva", "Ewa"]
    assert sorted(["Berit", "anna", "Anna", "bo"], key=sort_key) == ["anna", "Anna", "Berit", "bo"]


def test_decomposed_letters_sort_as_composed() -> None:
    """A name typed with a combining ring (a + U+030A) is the same letter å."""
    assert sort_key("A\u030asa") == sort_key("Åsa")
    assert sort_key("O\u0308berg") == sort_key("Öberg")


def test_skaraborg_municipalities_in_swedish_order() -> None:
    towns = ["Töreboda", "Götene", "Gullspång", "Grästorp", "Tidaholm", "Tibro", "Skövde"]
    assert sorted(towns, key=sort_key) == [
        "Grästorp",
        "Gullspång",
        "Götene",
        "Skövde",
        "Tibro",
        "Tidaholm",
        "Töreboda",
    ]


def test_tailored_primaries_fall_between_the_letters_around_them() -> None:
    """å, ä, ö get primaries between the last letter before ǀ and ǀ itself in pyuca's own
    table (fractions, so no weight of the table is shared)."""
    import pyuca

    table = Path(pyuca.__file__).parent / f"allkeys-{pyuca.Collator.UCA_VERSION}.txt"
    text = table.read_text(encoding="utf-8")
    click = int(re.search(r"^01C0\s*;\s*\[[.*]([0-9A-F]{4})", text, re.M)[1], 16)  # type: ignore[index]
    for letter in "åäö":
        assert click - 1 < sort_key(letter)[0] < click


def test_member_list_sorts_municipalities_and_names_in_swedish_order(
    archive: Make, run: Callable[..., object]
) -> None:
    """The member list sorted by code point put Ä before Å; Swedish order is …Z, Å, Ä, Ö."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.records.overview import member_list

    members = """\
natverk: {namn: Nät}
kommuner: [Åmål, Älmhult, Örebro, Ystad]
medlemmar:
  - {id: a1, namn: Örjan Ek, kommun: Älmhult}
  - {id: a2, namn: Åsa Ek, kommun: Älmhult}
  - {id: a3, namn: Ärla Ek, kommun: Älmhult}
  - {id: a4, namn: Zack Ek, kommun: Örebro}
  - {id: a5, namn: Bo Ek, kommun: Åmål}
  - {id: a6, namn: Yvonne Ek, kommun: Ystad}
"""
    _, _, rows = member_list(load_archive(archive(members=members, goals=None, files={})))
    assert [(r[1], r[0]) for r in rows] == [
        ("Ystad", "Yvonne Ek"),
        ("Åmål", "Bo Ek"),
        ("Älmhult", "Åsa Ek"),
        ("Älmhult", "Ärla Ek"),
        ("Älmhult", "Örjan Ek"),
        ("Örebro", "Zack Ek"),
    ]


def test_importing_collation_does_not_load_pyuca() -> None:
    code = "import sys, sikt_cli.collation; print('pyuca' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
