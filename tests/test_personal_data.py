"""Personal data: detection, SIKT601–606 on their line, senders that refuse, the recorded
masking and the lock's check of it, and what is sent to rapport_till (`publiceras: nej`)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBERS, examples, git, protokoll
from hypothesis import given, settings
from hypothesis import strategies as st
from test_rules import expect, validera

from sikt_cli.diagnostics import Severity
from sikt_cli.records import personal_data as pd
from sikt_cli.records.masking import masking_explains, masking_mismatch, replaced_by_mask

Run = Callable[..., Any]
Make = Callable[..., Path]
P = "protokoll/2020-06-05.md"
TODAY = dt.date.today().isoformat()

pytestmark = pytest.mark.usefixtures("no_smtp_settings", "isolated_git")


def body(text: str) -> str:
    task = "- [ ] @bo-ek Boka lokal senast 2020-08-01"
    return f"## 1. Inledning\n\n{text}\n\n## 2. Temadag\n\n{task}\n"


def flat(text: str) -> str:
    return " ".join(text.split())


def parse(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def plain(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


# --- detection ---------------------------------------------------------------------------


def kinds(text: str, **kw: Any) -> list[tuple[int, int, str, str]]:
    return [(f.column, f.end, f.kind, f.severity.value) for f in pd.scan_line(text, **kw)]


def test_a_personnummer_with_separator_is_an_error_at_its_column() -> None:
    assert kinds("Anna 19121212-1212 här") == [(6, 19, "personnummer", "error")]
    assert kinds("121212-1212 och 121212+1212") == [
        (1, 12, "personnummer", "error"),
        (17, 28, "personnummer", "error"),
    ]


def test_wrong_check_digit_is_not_flagged() -> None:
    assert kinds("19121212-1213") == []
    assert kinds("121212-1213") == []


def test_a_bare_number_that_passes_is_at_most_a_warning() -> None:
    assert kinds("0705217230") == [(1, 11, "personnummer", "warning")]
    assert kinds("191212121212") == [(1, 13, "personnummer", "warning")]
    assert kinds("0705217231") == [] or all(k[3] == "warning" for k in kinds("0705217231"))


def test_samordningsnummer_is_day_plus_60() -> None:
    assert kinds("19121272-1219") == [(1, 14, "samordningsnummer", "error")]
    assert kinds("121272-1219") == [(1, 12, "samordningsnummer", "error")]
    assert pd.identity_number_kind("19121292-1210") is None  # day 32: no such date


def test_a_date_that_cannot_be_a_birth_date_is_not_flagged() -> None:
    assert pd.identity_number_kind("20170102-2384") == "personnummer"
    assert pd.identity_number_kind("20170102-2384", dt.date(2016, 1, 1)) is None
    assert pd.identity_number_kind("19121312-1212") is None  # month 13


def test_a_dash_from_word_is_a_separator() -> None:
    assert kinds("19121212\u20131212") == [(1, 14, "personnummer", "error")]


def test_numbers_inside_words_dates_and_times_are_not_flagged() -> None:
    assert kinds("kontroll: a1912121212b") == []
    assert kinds("2020-06-05 09:00-11:15, 2021-01-01–2021-12-31") == []
    assert kinds("- [ ] @bo-ek Boka lokal") == []


def test_phone_numbers_and_addresses_are_warnings_with_exemptions() -> None:
    assert kinds("Ring 070-521 72 30") == [(6, 19, "telefonnummer", "warning")]
    assert kinds("x@y.se och Rapport@Example.se", exempt=["rapport@example.se"]) == [
        (1, 7, "epost", "warning")
    ]
    assert kinds("Ring 070-521 72 30, x@y.se", contact=False) == []


def test_scan_counts_lines_from_first_line() -> None:
    found = pd.scan("a\nb 19121212-1212", first_line=10)
    assert [(f.line, f.column) for f in found] == [(11, 3)]
    assert found[0].severity is Severity.ERROR


# --- rules -------------------------------------------------------------------------------


def test_sikt601_in_body_and_frontmatter_and_medlemmar(archive: Make, run: Run) -> None:
    text = protokoll(
        extra_frontmatter='gaster: ["Dan Ek 121212-1212"]\n',
        body=body("Anmälan från Anna Ek, 19121212-1212. Fel siffra: 19121212-1213."),
    )
    members = MEMBERS.replace("    kommun: Vara\n", "    kommun: Vara\n    # 19121212-1212\n")
    code, found = validera(run, archive({P: text}, members=members))
    assert code == 1
    d = expect(found, "SIKT601", P, 20, 23)
    assert d["message"] == ("Här står ett personnummer. Det får aldrig mejlas eller publiceras.")
    assert d["hint"] == (
        "Ta bort det ur texten, eller maskera det: sikt protokoll maskera 2020-06-05 20 "
        '--skal "…" (så görs det i ett justerat protokoll).'
    )
    expect(found, "SIKT601", P, 15, 18)
    m = expect(found, "SIKT601", "medlemmar.yaml", 23, 7)
    assert m["hint"] == "Ta bort det ur filen: personnummer hör inte hemma i arkivet."
    assert [d["code"] for d in found] == ["SIKT601"] * 3


def test_sikt602_603_604(archive: Make, run: Run) -> None:
    text = protokoll(
        body=body(
            "Bo 0705217230, växel 0500-49 80 00, bo@privat.se, anna.ek@example.se, "
            "rapport@example.se."
        )
    )
    code, found = validera(run, archive({P: text}))
    assert code == 0
    expect(found, "SIKT602", P, 19, 4)
    expect(found, "SIKT603", P, 19, 22)
    expect(found, "SIKT604", P, 19, 37)
    assert [d["code"] for d in found] == ["SIKT602", "SIKT603", "SIKT604"]


def test_contact_data_in_a_withheld_item_is_not_warned_but_numbers_are(
    archive: Make, run: Run
) -> None:
    arenden = (
        "arenden:\n  - nr: 1\n    rubrik: Inledning\n    publiceras: nej\n"
        '    skal: "Sekretess"\n  - nr: 2\n    rubrik: Temadag\n'
    )
    text = protokoll(arenden=arenden, body=body("Ring 070-521 72 30, 19121212-1212."))
    code, found = validera(run, archive({P: text}))
    assert code == 1
    assert [(d["code"], d["line"]) for d in found] == [("SIKT601", 20)]


def test_sikt605_on_an_item_and_on_the_protokoll(archive: Make, run: Run) -> None:
    arenden = "arenden:\n  - nr: 1\n    rubrik: Inledning\n    publiceras: nej\n"
    arenden += "  - nr: 2\n    rubrik: Temadag\n"
    text = protokoll(arenden=arenden, extra_frontmatter="publiceras: nej\nskal: ' '\n")
    code, found = validera(run, archive({P: text}))
    assert code == 1
    d = expect(found, "SIKT605", P, 10, 17)
    assert d["message"] == "Ärende 1 har 'publiceras: nej' men inget skäl ('skal')."
    assert d["hint"] == (
        'Skriv varför ärendet inte publiceras, t.ex. skal: "Sekretess enligt 23 kap. 1 § OSL".'
    )
    top = expect(found, "SIKT605", P, 15, 13)
    assert top["message"] == "Protokollet har 'publiceras: nej' men inget skäl ('skal')."


def test_publiceras_takes_ja_or_nej(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter="publiceras: no\n")
    _, found = validera(run, archive({P: text}))
    d = expect(found, "SIKT112", P, 15, 13)
    assert "Tillåtna värden: ja, nej." in d["hint"]


MASKED = (
    "maskeringar:\n  - datum: 2020-06-20\n    av: {av}\n    rad: 19\n"
    '    typ: personnummer\n    skal: "Personnummer"\n'
)


def test_sikt606_unknown_member_in_masking(archive: Make, run: Run) -> None:
    text = protokoll(extra_frontmatter=MASKED.format(av="anna-eek"), body=body("[maskerat]"))
    code, found = validera(run, archive({P: text}))
    assert code == 1
    d = expect(found, "SIKT606", P, 17, 9)
    assert d["message"] == "'anna-eek' i maskeringar är inte en medlem i medlemmar.yaml."
    assert d["hint"] == "Menade du 'anna-ek'? Medlemmar anges med sitt id från medlemmar.yaml."


# --- masking -----------------------------------------------------------------------------

JUSTERAT = protokoll(status="justerat", body=body("Anmälan från Anna Ek, 19121212-1212."))
JUSTERAT = JUSTERAT.replace("status: justerat\n", "status: justerat\njusterad: 2020-06-12\n")


def masked_archive(archive: Make, text: str = JUSTERAT) -> Path:
    root = archive({P: text})
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "Anna.Ek@example.se")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "justerat")
    return root


def test_maskera_replaces_the_number_and_records_it(archive: Make, run: Run) -> None:
    root = masked_archive(archive)
    old = (root / P).read_bytes()
    _, found = validera(run, root)
    line = expect(found, "SIKT601", P, 20, 23)["line"]
    result = run("protokoll", "maskera", "2020-06-05", str(line), "--skal", "Personnummer",
                 "--rot", str(root))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Maskerade personnumret på rad 20: {P}\n"
        "Antecknat under 'maskeringar'. Granska ändringen (git diff) och checka in den; "
        "originalet finns kvar i git-historiken.\n"
    )
    new = (root / P).read_bytes()
    expected = old.replace(b"19121212-1212", b"[maskerat]").replace(
        b"  - datum: 2020-09-04\n---\n",
        b"  - datum: 2020-09-04\nmaskeringar:\n"
        + f"  - datum: {TODAY}\n    av: anna-ek\n    rad: 20\n    typ: personnummer\n".encode()
        + b'    skal: "Personnummer"\n---\n',
    )
    assert new == expected
    assert masking_mismatch(old, new) is None and masking_explains(old, new)
    assert validera(run, root) == (0, [])


def test_after_masking_the_mail_goes(archive: Make, run: Run, tmp_path: Path) -> None:
    root = masked_archive(archive)
    out = tmp_path / "p.eml"
    refused = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(root))
    assert refused.exit_code == 1
    assert f"{P}:20:23: SIKT601 fel" in refused.stdout
    assert flat(refused.stderr) == flat(
        f"Fel: Protokollet skickas inte: ett personnummer eller samordningsnummer står på "
        f'{P}:20. tips: Maskera numret: sikt protokoll maskera 2020-06-05 20 --skal "…". '
        "I ett utkast kan du också ta bort det. Det går inte att skicka ändå."
    )
    assert not out.exists()
    assert run("protokoll", "maskera", "2020-06-05", "20", "--skal", "Personnummer",
               "--rot", str(root)).exit_code == 0  # fmt: skip
    sent = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(root))
    assert sent.exit_code == 0, sent.output
    text = plain(parse(out))
    assert "[maskerat]" in text and "19121212" not in text


def test_a_second_masking_appends_to_the_block(archive: Make, run: Run) -> None:
    text = JUSTERAT.replace("Anna Ek, 19121212-1212.", "Anna Ek, 19121212-1212.\n\nBo 0705217230.")
    root = masked_archive(archive, text)
    base = (root / P).read_bytes()
    assert run("protokoll", "maskera", "2020-06-05", "20", "--skal", "A", "--rot", str(root),
               ).exit_code == 0  # fmt: skip
    second = run("protokoll", "maskera", "2020-06-05", "28", "--skal", "B", "--av", "bo-ek",
                 "--rot", str(root))  # fmt: skip
    assert second.exit_code == 0, second.output
    now = (root / P).read_text("utf-8")
    assert now.count("  - datum: ") == 3  # kommande and two maskeringar
    assert '    av: bo-ek\n    rad: 28\n    typ: personnummer\n    skal: "B"\n---\n' in now
    assert "Bo [maskerat]." in now
    assert masking_explains(base, (root / P).read_bytes())
    third = run("protokoll", "maskera", "2020-06-05", "31", "--text", "Anna Ek", "--skal", "Namn",
                "--rot", str(root))  # fmt: skip
    assert third.exit_code == 0, third.output
    assert "Anmälan från [maskerat], [maskerat]." in (root / P).read_text("utf-8")
    assert masking_explains(base, (root / P).read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["19"], "Fel: Rad 19 har inget personnummer eller samordningsnummer."),
        (["99"], "Fel: 2020-06-05.md har ingen rad 99 att maskera."),
        (["20", "--text", "Bo"], "Fel: Texten 'Bo' står inte på rad 20."),
        (["20", "--av", "dan"], "Fel: --av: 'dan' är inte en medlem i medlemmar.yaml."),
    ],
)
def test_maskera_refuses_and_writes_nothing(
    archive: Make, run: Run, args: list[str], message: str
) -> None:
    root = masked_archive(archive)
    before = (root / P).read_bytes()
    result = run("protokoll", "maskera", "2020-06-05", *args, "--skal", "x", "--rot", str(root))
    assert result.exit_code in (1, 2)
    assert result.stderr.splitlines()[0] == message
    assert (root / P).read_bytes() == before


def test_maskera_refuses_a_reason_with_a_personnummer_and_an_empty_one(
    archive: Make, run: Run
) -> None:
    root = masked_archive(archive)
    for skal, message in (("19121212-1212", "--skal innehåller"), (" ", "--skal får inte")):
        result = run("protokoll", "maskera", "2020-06-05", "20", "--skal", skal, "--rot", str(root))
        assert result.exit_code == 2 and message in result.stderr


def test_maskera_refuses_a_flow_style_block(archive: Make, run: Run) -> None:
    text = JUSTERAT.replace("  - datum: 2020-09-04\n", "  - datum: 2020-09-04\nmaskeringar: []\n")
    root = masked_archive(archive, text)
    result = run("protokoll", "maskera", "2020-06-05", "21", "--skal", "x", "--rot", str(root))
    assert result.exit_code == 1
    assert flat(result.stderr).startswith(
        "Fel: 2020-06-05.md: 'maskeringar' står inte som en lista med en '- ' per rad; "
        "inget ändrades."
    )


def test_maskera_needs_to_know_who(archive: Make, run: Run) -> None:
    root = masked_archive(archive)
    git(root, "config", "user.email", "nobody@example.se")
    result = run("protokoll", "maskera", "2020-06-05", "20", "--skal", "x", "--rot", str(root))
    assert result.exit_code == 2
    assert flat(result.stderr).startswith(
        "Fel: Ingen medlem i medlemmar.yaml har e-postadressen 'nobody@example.se'"
    )


def test_maskera_keeps_crlf(archive: Make, run: Run) -> None:
    root = masked_archive(archive, JUSTERAT.replace("\n", "\r\n"))
    old = (root / P).read_bytes()
    assert run("protokoll", "maskera", "2020-06-05", "20", "--skal", "x", "--rot", str(root),
               ).exit_code == 0  # fmt: skip
    new = (root / P).read_bytes()
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert masking_explains(old, new)


# --- the lock's check --------------------------------------------------------------------


def masked_pair(archive: Make, run: Run) -> tuple[bytes, bytes]:
    root = masked_archive(archive)
    old = (root / P).read_bytes()
    run("protokoll", "maskera", "2020-06-05", "20", "--skal", "x", "--rot", str(root))
    return old, (root / P).read_bytes()


def test_masking_mismatch_says_what_is_not_explained(archive: Make, run: Run) -> None:
    old, new = masked_pair(archive, run)
    cases = {
        new.replace(b"- [ ]", b"- [x]"): "rad 24 har ändrats utan en maskering",
        new.replace(b"rad: 20", b"rad: 21"): "ingen ändrad rad svarar mot maskeringen av rad 21",
        new.replace(b"Anna Ek, [maskerat]", b"[maskerat], [maskerat]"): (
            "rad 20 har ändrats mer än att personnummer ersatts med [maskerat]"
        ),
        old.replace(b"Anna Ek, 19121212-1212", b"Anna Ek, [maskerat]"): (
            "inga nya poster har lagts till sist i 'maskeringar', eller en gammal har ändrats"
        ),
        new.replace(b"\n", b"\r\n"): "radslut eller BOM har ändrats",
        new + b"\nMer text.\n": "rader har lagts till eller tagits bort utanför 'maskeringar'",
    }
    for changed, why in cases.items():
        assert masking_mismatch(old, changed) == why
        assert not masking_explains(old, changed)
    assert masking_mismatch(new, old) is not None
    assert masking_mismatch(old, old) is not None
    assert masking_mismatch(b"\xff", new) == "filen kan inte läsas som ett protokoll"


def test_replaced_by_mask() -> None:
    assert replaced_by_mask("Anna Ek ringde Anna", "[maskerat] ringde [maskerat]")
    assert replaced_by_mask("[maskerat] och Bo", "[maskerat] och [maskerat]")
    assert not replaced_by_mask("Anna Ek", "Anna Ek")
    assert not replaced_by_mask("Anna Ek", "[maskerat] Ek!")


# --- senders -----------------------------------------------------------------------------


def test_kallelse_refuses_and_writes_nothing(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: protokoll(body=body("19121212-1212"))})
    out = tmp_path / "ut"
    result = run("kallelse", "2020-09-04", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 1
    assert f"{P}:19:1: SIKT601 fel" in result.stdout
    assert flat(result.stderr).startswith(
        f"Fel: Kallelsen skickas inte: ett personnummer eller samordningsnummer står på {P}:19."
    )
    assert not out.exists() and not (root / "protokoll/2020-09-04.md").exists()


@pytest.mark.parametrize(("command", "what"), [("medlemmar", "Förteckningen"),
                                               ("moten", "Listan med mötesdatum")])  # fmt: skip
def test_lists_refuse(archive: Make, run: Run, tmp_path: Path, command: str, what: str) -> None:
    extra = "    kommun: Vara\n    organisation: 121212-1212\n"
    members = MEMBERS.replace("    kommun: Vara\n", extra)
    root = archive(members=members)
    out = tmp_path / "l.eml"
    result = run(command, "--mejl", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 1
    assert "medlemmar.yaml:23:19: SIKT601 fel" in result.stdout
    assert flat(result.stderr).endswith(
        "tips: Ta bort numret ur medlemmar.yaml. Det går inte att skicka ändå."
    )
    assert flat(result.stderr).startswith(f"Fel: {what} skickas inte:")
    assert not out.exists()


def test_a_template_that_adds_a_number_is_caught(archive: Make, run: Run, tmp_path: Path) -> None:
    text = protokoll(status="justerat")
    text = text.replace("status: justerat\n", "status: justerat\njusterad: 2020-06-12\n")
    page = "<p>Hej 19121212-1212</p>\n{% for del in delar %}{{ del }}{% endfor %}\n"
    root = archive({P: text, "mallar/mejl.html.j2": page})
    out = tmp_path / "p.eml"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 1
    assert "protokoll-2020-06-05.eml (HTML):1:33: SIKT601 fel" in result.stdout
    assert "troligen från en mall i mallar/" in flat(result.stderr)
    assert not out.exists()


# --- publiceras: nej -----------------------------------------------------------------------

SECRET = protokoll(
    status="justerat",
    arenden=(
        "arenden:\n  - nr: 1\n    rubrik: Inledning\n  - nr: 2\n    rubrik: Anställning\n"
        '    publiceras: nej\n    skal: "Sekretess enligt 39 kap. 3 § OSL"\n'
    ),
    extra_frontmatter="beslut:\n  - arende: 2\n    text: Hemligt beslut.\n",
    body="## 1. Inledning\n\nText.\n\n## 2. Anställning\n\nHemlig text.\n\n"
    "- [ ] @bo-ek Hemligt uppdrag senast 2020-08-01\n",
).replace("status: justerat\n", "status: justerat\njusterad: 2020-06-12\n")


def test_withheld_item_is_left_out_for_rapport_till(
    archive: Make, run: Run, tmp_path: Path
) -> None:
    root = archive({P: SECRET})
    out = tmp_path / "ut"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", f"{out}/", "--rot", str(root))
    assert result.exit_code == 0, result.output
    members = parse(out / "protokoll-2020-06-05.eml")
    report = parse(out / "protokoll-2020-06-05-rapport.eml")
    assert str(members["To"]) == "Anna Ek <anna.ek@example.se>" and "Cc" not in members
    assert str(report["To"]) == "rapport@example.se" and "Cc" not in report
    full = plain(members)
    assert "Hemlig text." in full and "Hemligt beslut." in full
    shown = plain(report)
    html = report.get_body(("html",))
    assert html is not None
    for secret in ("Hemlig", "Anställning"):
        assert secret not in shown and secret not in str(html.get_content())
    assert shown.count("Ärende 2 publiceras inte: Sekretess enligt 39 kap. 3 § OSL") == 2
    # the rapport mail carries the published PDF; the protokoll file (.md) never
    assert [p.get_filename() for p in report.iter_attachments()] == ["protokoll-2020-06-05.pdf"]
    assert [p.get_filename() for p in members.iter_attachments()] == ["protokoll-2020-06-05.pdf"]
    from pypdf import PdfReader

    (attached,) = report.iter_attachments()
    pdf_text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(attached.get_content())).pages
    )
    assert "Ärende 2 publiceras inte: Sekretess enligt 39 kap. 3 § OSL" in pdf_text
    assert "Hemlig" not in pdf_text and "Anställning" not in pdf_text


def test_a_whole_protokoll_withheld(archive: Make, run: Run, tmp_path: Path) -> None:
    text = protokoll(status="justerat", extra_frontmatter='publiceras: nej\nskal: "OSL"\n')
    text = text.replace("status: justerat\n", "status: justerat\njusterad: 2020-06-12\n")
    root = archive({P: text})
    out = tmp_path / "p.eml"
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(out), "--rot", str(root))
    assert result.exit_code == 0, result.output
    shown = plain(parse(tmp_path / "p-rapport.eml"))
    assert "Protokollet publiceras inte: OSL" in shown
    assert "Boka lokal" not in shown and "Temadag" not in shown
    assert "Boka lokal" in plain(parse(out))


def test_two_drafts_are_written_all_or_nothing(archive: Make, run: Run, tmp_path: Path) -> None:
    root = archive({P: SECRET})
    (tmp_path / "p-rapport.eml").write_text("mine")
    result = run("protokoll", "mejl", "2020-06-05", "--ut", str(tmp_path / "p.eml"),
                 "--rot", str(root))  # fmt: skip
    assert result.exit_code == 2
    assert "p-rapport.eml finns redan och skrivs inte över; inget skrevs." in flat(result.stderr)
    assert not (tmp_path / "p.eml").exists()
    assert (tmp_path / "p-rapport.eml").read_text() == "mine"


def test_json_output_never_holds_the_value(archive: Make, run: Run) -> None:
    root = archive({P: protokoll(body=body("19121212-1212 och 0705217230"))})
    result = run("validera", "--rot", str(root), "--format", "json")
    assert "1212" not in json.dumps(json.loads(result.stdout))


def test_maskera_in_frontmatter_keeps_the_yaml_meaning(archive: Make, run: Run) -> None:
    quoted = JUSTERAT.replace("narvarande:", 'gaster: ["Dan Ek, 121212-1212"]\nnarvarande:')
    root = masked_archive(archive, quoted)
    result = run("protokoll", "maskera", "2020-06-05", "7", "--skal", "x", "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert 'gaster: ["Dan Ek, [maskerat]"]\n' in (root / P).read_text("utf-8")
    _, found = validera(run, root)
    assert [(d["code"], d["line"]) for d in found] == [("SIKT601", 27)]  # the one in the text


def test_maskera_refuses_what_would_turn_a_text_into_a_list(archive: Make, run: Run) -> None:
    plain_value = JUSTERAT.replace("narvarande:", "gaster:\n  - 121212-1212 Dan Ek\nnarvarande:")
    root = masked_archive(archive, plain_value)
    before = (root / P).read_bytes()
    result = run("protokoll", "maskera", "2020-06-05", "8", "--skal", "x", "--rot", str(root))
    assert result.exit_code == 1
    assert flat(result.stderr).startswith(
        "Fel: 2020-06-05.md: med [maskerat] på rad 8 blir frontmatter fel (SIKT106: "
    )
    assert (root / P).read_bytes() == before


def test_the_lock_accepts_exactly_the_recorded_masking(archive: Make, run: Run) -> None:
    root = masked_archive(archive)
    assert run("protokoll", "maskera", "2020-06-05", "20", "--skal", "x",
               "--rot", str(root)).exit_code == 0  # fmt: skip
    assert validera(run, root, "--bas", "main") == (0, [])
    # one more word changed beside the masking is not recorded: locked again
    path = root / P
    path.write_bytes(path.read_bytes().replace(b"[maskerat]", b"[maskerat] och mer", 1))
    code, diags = validera(run, root, "--bas", "main")
    assert code == 1 and diags and {d["code"] for d in diags} == {"SIKT504"}


def test_other_digits_are_not_swedish_numbers() -> None:
    assert kinds("١٩١٢١٢١٢-١٢١٢") == []


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789-+ –@.ab\n١"), max_size=60))
def test_scan_never_raises_and_spans_stay_on_the_line(text: str) -> None:
    lines = text.split("\n")
    for f in pd.scan(text):
        line = lines[f.line - 1]
        assert 1 <= f.column < f.end <= len(line) + 1


def test_published_body_replaces_withheld_sections() -> None:
    from sikt_cli.archive.body import parse_body
    from sikt_cli.archive.model import AgendaItem, Minutes
    from sikt_cli.archive.spec import Document
    from sikt_cli.archive.yaml_tree import Pos
    from sikt_cli.records import publication

    text = "Före.\n\n## 1. Öppen\n\nA\n\n## 2. Stängd\n\nB\n### Under\nC\n"
    item = AgendaItem(2, "Stängd", Pos(1), publiceras=False, skal="OSL")
    m = Minutes("p", Path("p.md"), Document("p", {}), parse_body(text, 5),
                arenden=(AgendaItem(1, "Öppen", Pos(1)), item))  # fmt: skip
    shown = publication.published_body(m, text, 5)
    assert shown == "Före.\n\n## 1. Öppen\n\nA\n\n## 2.\n\nÄrende 2 publiceras inte: OSL\n\n\n"
    assert shown.count("\n") == text.count("\n")  # later lines keep their file lines
    assert publication.withheld_lines(m, 5, 16) == set(range(11, 17))
    assert [a.nr for a in publication.publishable_items(m)] == [1]
