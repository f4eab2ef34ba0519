"""The frontmatter editor: an edit changes exactly one key's value, in every YAML style, or
refuses. The property test draws frontmatters in many styles (block and flow mappings,
quoted, next-line and block-scalar values, explicit keys, comments, CRLF, BOM) and checks
each edit with the loader and byte for byte; SIKT_HYPOTHESIS_SCALE raises the count."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml
from helpers import examples
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sikt_cli.archive.documents import parse_markdown
from sikt_cli.archive.edit import EditRefused, add_keys, set_key

EXAMPLES = examples(500)
BODY = "\n## 1. Inledning\n\nText med # och: kolon.\n"

# (key, value) of the base protokoll; each is written in a style drawn below
BASE: list[tuple[str, Any]] = [
    ("datum", "2020-09-04"),
    ("status", "utkast"),
    ("ordforande", "anna-ek"),
    ("sekreterare", "bo-ek"),
    ("narvarande", ["anna-ek", "bo-ek"]),
    ("tid", "09:00-11:15"),
]
EDITS: list[tuple[str, Any, Any]] = [  # key, value given to the editor, value read back
    ("status", "justerat", "justerat"),
    ("justerad", "2026-12-01", dt.date(2026, 12, 1)),
    ("justerare", ["anna-ek", "bo-ek"], ["anna-ek", "bo-ek"]),
    ("kallelse", {"sekvens": 1, "kontroll": "abc123"}, {"sekvens": 1, "kontroll": "abc123"}),
    ("tid", "10:00-12:00", "10:00-12:00"),
]


def _scalar_styles(text: str) -> list[str]:
    return [
        f" {text}",
        f' "{text}"',
        f" '{text}'",
        f"\n  {text}",
        f" |-\n  {text}\n",
        f" >-\n  {text}\n",
        f" {text}   # kommentar",
    ]


def _entry(key: str, value: Any, style: int, explicit: bool) -> str:
    if isinstance(value, list):
        forms = [
            f" [{', '.join(value)}]",
            "\n" + "".join(f"  - {v}\n" for v in value),
            "\n" + "".join(f"  - {v}   # k\n# - bortkommenterad\n" for v in value),
        ]
    else:
        forms = _scalar_styles(value)
    text = forms[style % len(forms)]
    if explicit and not text.startswith("\n"):
        return f"? {key}\n:{text}".rstrip("\n") + "\n"
    return f"{key}:{text}".rstrip("\n") + "\n"


@st.composite
def frontmatters(draw: st.DrawFn) -> bytes:
    present = draw(st.sets(st.sampled_from(["justerare", "justerad", "kallelse"])))
    entries = []
    for key, value in BASE:
        entries.append(_entry(key, value, draw(st.integers(0, 8)), draw(st.integers(0, 5)) == 0))
        if draw(st.integers(0, 4)) == 0:
            entries.append("# en kommentarsrad: med kolon\n")
    for key in sorted(present):
        entries.append(
            {
                "justerare": "justerare:   # väljs på mötet\n",
                "justerad": "justerad:\n",
                "kallelse": "kallelse: {sekvens: 0, kontroll: x}\n",
            }[key]
        )
    if draw(st.booleans()):  # the whole frontmatter as one flow mapping
        pairs = [f"{k}: {_flow(v)}" for k, v in BASE]
        sep = draw(st.sampled_from([", ", ",\n  "]))
        yaml_text = "{" + sep.join(pairs) + "}\n"
    else:
        yaml_text = "".join(entries)
    text = "---\n" + yaml_text + "---\n" + BODY
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode("utf-8")


def _flow(value: Any) -> str:
    return "[" + ", ".join(value) + "]" if isinstance(value, list) else f'"{value}"'


def _lines(data: bytes) -> list[bytes]:
    return re.findall(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", data)


def _key_lines(data: bytes, key: str) -> set[int]:
    """0-based lines of the original that hold `key` or its value (from PyYAML's marks)."""
    text = data.decode("utf-8-sig")
    yaml_text = text.split("---", 2)[1].lstrip("\r\n")
    root = yaml.compose(yaml_text.replace("\r\n", "\n"), Loader=yaml.SafeLoader)
    for k, v in root.value:
        if k.value == key:
            last = v.end_mark.line - (1 if v.end_mark.column == 0 else 0)
            return set(range(k.start_mark.line + 1, max(last, k.start_mark.line) + 2))
    if root.flow_style:  # a new key goes in before the closing brace, on its line
        return {root.end_mark.line + 1}
    return set()


def _check(data: bytes, key: str, given_value: Any, read_back: Any) -> bool:
    """True when edited exactly; False when refused. Fails the test on anything else."""
    before = parse_markdown(data, "x.md")
    try:
        new = set_key(data, "x.md", key, given_value)
    except EditRefused:
        return False
    after = parse_markdown(new, "x.md")
    assert after.yaml_problems == [], after.yaml_problems
    assert after.doc is not None and before.doc is not None
    assert after.doc.data.get(key) == read_back
    assert {k: v for k, v in after.doc.data.items() if k != key} == {
        k: v for k, v in before.doc.data.items() if k != key
    }
    assert new.endswith(data[data.rindex(b"---") :])  # the body, byte for byte
    assert new.startswith(data[:3]) if data.startswith(b"\xef\xbb\xbf") else True
    kept = [ln for i, ln in enumerate(_lines(data)) if i not in _key_lines(data, key)]
    out = iter(_lines(new))
    assert all(any(ln == o for o in out) for ln in kept), "a line outside the key changed"
    return True


@seed(20261201)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=frontmatters(), edit=st.sampled_from(EDITS))
def test_an_edit_changes_only_its_key_in_every_style(data: bytes, edit: tuple[str, Any, Any]):
    _check(data, *edit)


STYLES = {
    "flow mapping": "---\n{datum: 2020-09-04, status: utkast, ordforande: anna-ek}\n---\n",
    "flow on lines": "---\n{datum: 2020-09-04,\n  status: utkast,\n  ordforande: anna-ek}\n---\n",
    "folded": "---\ndatum: 2020-09-04\nstatus: >-\n  utkast\nordforande: anna-ek\n---\n",
    "literal": "---\ndatum: 2020-09-04\nstatus: |-\n  utkast\n\nordforande: anna-ek\n---\n",
    "next line": "---\ndatum: 2020-09-04\nstatus:\n  utkast\nordforande: anna-ek\n---\n",
    "explicit key": "---\ndatum: 2020-09-04\n? status\n: utkast\nordforande: anna-ek\n---\n",
    "comment": "---\ndatum: 2020-09-04\nstatus: utkast   # ändras\nordforande: anna-ek\n---\n",
    "crlf": "---\r\ndatum: 2020-09-04\r\nstatus: utkast\r\nordforande: anna-ek\r\n---\r\n",
}


@pytest.mark.parametrize("name", STYLES)
@pytest.mark.parametrize(("key", "given_value", "read_back"), EDITS)
def test_the_styles_that_broke_justera_are_edited_exactly(
    name: str, key: str, given_value: Any, read_back: Any
) -> None:
    """The 48 of 120 combinations that lost data before: each is now edited, not refused."""
    assert _check((STYLES[name] + BODY).encode(), key, given_value, read_back)


def test_justera_in_flow_style_keeps_every_other_key() -> None:
    data = (STYLES["flow mapping"] + BODY).encode()
    new = set_key(data, "x.md", "status", "justerat")
    new = set_key(new, "x.md", "justerad", "2026-12-01")
    assert (
        new
        == (
            "---\n{datum: 2020-09-04, status: justerat, ordforande: anna-ek, justerad: 2026-12-01}"
            "\n---\n" + BODY
        ).encode()
    )


@pytest.mark.parametrize(
    "yaml_text",
    [
        "datum: 2020-09-04\nstatus: &s utkast\nx: *s\n",  # anchors
        "datum: 2020-09-04\nstatus: utkast\nstatus: utkast\n",  # duplicate key
        "- inte en mappning\n",
        "datum: [oavslutad\n",
    ],
)
def test_what_cannot_be_edited_exactly_is_refused(yaml_text: str) -> None:
    with pytest.raises(EditRefused, match=r"ändras inte|ändrar den inte"):
        set_key(("---\n" + yaml_text + "---\n").encode(), "x.md", "status", "justerat")


def test_add_keys_refuses_a_flow_mapping_and_keeps_existing_keys() -> None:
    with pytest.raises(EditRefused, match="flödesstil"):
        add_keys((STYLES["flow mapping"] + BODY).encode(), "x.md", "gaster: []\n")
    data = b"---\ndatum: 2020-09-04\ngaster: [a]\n---\n"
    # comment lines belong to the key above them (the utkast template's style)
    block = "gaster: []\n# - bortkommenterad gäst\nbeslut: []   # beslut\n# - arende: 1\n"
    assert add_keys(data, "x.md", block) == (
        b"---\ndatum: 2020-09-04\ngaster: [a]\nbeslut: []   # beslut\n# - arende: 1\n---\n"
    )
