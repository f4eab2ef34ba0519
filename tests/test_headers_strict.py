"""Headers as a strict RFC 2047 reader reads them (mail/headers.py's `_Policy`).

Python's own parser forgives what CPython's folder gets wrong; the npm `mailparser` that
many mail apps use does not: "Johansson \\n =?utf-8?q?=C3=96gren?=" showed as
"Johansson  Ögren". The decoder here is strict: unfold per RFC 5322 §2.2.3 (remove only
the line break before whitespace), then decode encoded words per RFC 2047 §6.2 (whitespace
between two adjacent encoded words is dropped, all other whitespace kept as it is).
"""

from __future__ import annotations

import base64
import quopri
import random
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from helpers import examples

from sikt_cli.mail.headers import POLICY, address, header_text

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")


def unfold(header: str) -> str:
    """RFC 5322 §2.2.3: unfolding removes every CRLF that is followed by WSP, nothing else."""
    return re.sub(r"\r?\n(?=[ \t])", "", header)


def _decode_word(m: re.Match[str]) -> str:
    charset, encoding, text = m[1].split("*")[0], m[2].upper(), m[3]
    if encoding == "B":
        return base64.b64decode(text, validate=True).decode(charset)
    return quopri.decodestring(text.encode("ascii"), header=True).decode(charset)


def decode_words(text: str) -> str:
    """RFC 2047 §6.2: whitespace between adjacent encoded words is ignored; any other
    text, whitespace included, is kept verbatim."""
    out, pos, after_word = [], 0, False
    for m in _ENCODED_WORD.finditer(text):
        gap = text[pos : m.start()]
        if not (after_word and gap.strip(" \t") == ""):
            out.append(gap)
        out.append(_decode_word(m))
        pos, after_word = m.end(), True
    out.append(text[pos:])
    return "".join(out)


def _split_addresses(value: str) -> list[str]:
    parts, current, quoted, angle = [], "", False, False
    escaped = False
    for ch in value:
        if escaped:
            current, escaped = current + ch, False
            continue
        if ch == "\\" and quoted:
            current, escaped = current + ch, True
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        elif ch == "," and not quoted and not angle:
            parts.append(current)
            current = ""
            continue
        current += ch
    return [*parts, current]


def strict_addresses(value: str) -> list[tuple[str, str]]:
    """(display name, address) per mailbox of an unfolded address-list header value."""
    out = []
    for part in _split_addresses(value):
        if "<" not in part:
            out.append(("", part.strip(" \t")))
            continue
        name, addr = part.rsplit("<", 1)
        name = name.strip(" \t")
        if name.startswith('"') and name.endswith('"'):
            name = re.sub(r"\\(.)", r"\1", name[1:-1])
        else:
            name = decode_words(name)
        out.append((name, addr.split(">", 1)[0]))
    return out


def header_lines(raw: bytes) -> dict[str, str]:
    """The message's headers as written, unfolded: {name: value}."""
    head = raw.decode("ascii").replace("\r\n", "\n").split("\n\n", 1)[0]
    out = {}
    for line in unfold(head).split("\n"):
        name, value = line.split(":", 1)
        out[name] = value.removeprefix(" ")
    return out


# --- the decoder itself ---------------------------------------------------------------------


def test_the_strict_decoder_keeps_what_rfc_2047_keeps() -> None:
    assert decode_words("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab"
    assert decode_words("=?utf-8?q?a?=\t \t=?utf-8?b?Yg==?=") == "ab"
    assert decode_words("Johansson  =?utf-8?q?=C3=96gren?=") == "Johansson  Ögren"
    assert decode_words("=?utf-8?q?=C3=85sa_?= Ek") == "Åsa  Ek"
    assert unfold("To: a,\r\n b") == "To: a, b"
    assert strict_addresses('"Ek, Anna" <a@x.se>, =?utf-8?q?=C3=85sa?= <b@x.se>') == [
        ("Ek, Anna", "a@x.se"),
        ("Åsa", "b@x.se"),
    ]


def test_the_fold_the_issue_reported_reads_with_two_spaces() -> None:
    """What CPython's folder wrote, read strictly: the bug this file guards against."""
    folded = "To: Per-Anders Johansson \r\n =?utf-8?q?=C3=96gren?= <p@x.se>"
    assert strict_addresses(unfold(folded).split(":", 1)[1]) == [
        ("Per-Anders Johansson  Ögren", "p@x.se")
    ]


# --- generated recipient sets ---------------------------------------------------------------

FIRST = (
    "Per-Anders", "Åsa", "Örjan", "Ärla", "Anna-Karin", "Svetlana", "Mattias", "Bo", "Eva",
    "Karl-Åke", "Märta", "Göran", "Lisa", "Hannes", "Ingrid-Maria", "Li", "Björn",
)  # fmt: skip
LAST = (
    "Johansson Ögren", "Söderlund", "Öberg", "Gustafsson", "Ek", "Åkesson", "von Seth",
    "Bäckström-Lindqvist", "Ängsgård", "Lööf", "Nyström", "Wästfelt Östergren", "Ahl",
    "Sandström Åberg af Ekenstam", "O'Neill", "Lind, Skövde",
)  # fmt: skip
DOMAINS = ("x.se", "skovde.se", "lidkoping.se", "utbildning.skaraborg.se")


def recipient_sets(seed: int, count: int) -> list[list[tuple[str, str]]]:
    """`count` lists of (name, address): 1–14 members, names and addresses of varied
    lengths, so that folds land before, inside and after every kind of word."""
    rng = random.Random(seed)
    sets = []
    for _ in range(count):
        people = []
        for i in range(rng.randint(1, 14)):
            name = " ".join([rng.choice(FIRST), *rng.sample(LAST, rng.choice((1, 1, 2)))])
            local = "m" * rng.randint(1, 30) + str(i)
            people.append((name, f"{local}@{rng.choice(DOMAINS)}"))
        sets.append(people)
    return sets


def _message(to: list[tuple[str, str]], cc: list[tuple[str, str]], subject: str) -> EmailMessage:
    """As mail/messages.py builds every mail: headers through headers.py's POLICY."""
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = header_text(subject)
    msg["To"] = [address(n, a) for n, a in to]
    if cc:
        msg["Cc"] = [address(n, a) for n, a in cc]
    msg.set_content("Hej")
    return msg


SETS = recipient_sets(2026, examples(60))


@pytest.mark.parametrize("index", range(len(SETS)))
def test_a_strict_reader_gets_every_name_with_single_spaces(index: int) -> None:
    """≥ 50 generated recipient sets, written as a draft (LF) and for SMTP (CRLF): a strict
    RFC 2047 reader and Python's parser read back exactly the names and addresses given."""
    people = SETS[index]
    half = len(people) // 2
    to, cc = people[half:], people[:half]
    subject = f"Kallelse SIKT-nätverket fredag {index} september: {' och '.join(n for n, _ in to)}"
    msg = _message(to, cc, subject)
    for raw in (msg.as_bytes(), msg.as_bytes(policy=POLICY.clone(linesep="\r\n"))):
        assert all(len(line) <= 998 for line in raw.split(b"\n"))
        headers = header_lines(raw)
        assert strict_addresses(headers["To"]) == to
        assert strict_addresses(headers.get("Cc", "")) == cc if cc else "Cc" not in headers
        assert decode_words(headers["Subject"]) == subject
        assert "  " not in decode_words(headers["Subject"])
        back = BytesParser(policy=policy.default).parsebytes(raw)
        assert [(a.display_name, a.addr_spec) for a in back["To"].addresses] == to
        assert str(back["Subject"]) == subject


def test_six_recipients_as_in_the_issue() -> None:
    names = [
        "Per-Anders Johansson Ögren",
        "Svetlana Söderlund",
        "Anna-Karin Gustavsson",
        "Mattias Gustafsson",
        "Karina Bronell",
        "Eva Karlsson",
    ]
    to = [(n, f"{n.split()[0].lower().replace('å', 'a')}@lidkoping.se") for n in names]
    raw = _message(to, [], "Kallelse").as_bytes()
    assert strict_addresses(header_lines(raw)["To"]) == to
