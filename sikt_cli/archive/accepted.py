"""godkanda-fynd.yaml: findings accepted with a written reason, read only.

A justerat protokoll is locked, so a warning in it (a municipality the source never
mentions) can never be fixed. Like a linter's baseline (detekt's `baseline.xml`, SARIF's
external suppressions with a justification), the archive lists such findings in a file
that is reviewed in the pull request like any other. An entry names the code, the file
and a fingerprint of the finding's content (code, message and the text of its line, not
the line number), so it stops matching as soon as the finding changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sikt_cli.archive.documents import load_yaml_file, yaml_read
from sikt_cli.archive.layout import ACCEPTED_FILE
from sikt_cli.archive.spec import Converter, Field, ListOf, Obj, Text
from sikt_cli.codes import CODES, diag
from sikt_cli.diagnostics import Diagnostic
from sikt_cli.text import did_you_mean

GODKANDA_FYND = Obj(
    description="Fynd i justerade protokoll som godkänts med en motivering.",
    fields=(
        Field(
            "godkanda",
            ListOf(
                item=Obj(
                    fields=(
                        Field("kod", Text(), True, "Fyndets kod.", "SIKT208"),
                        Field("fil", Text(), True, "Protokollet.", "protokoll/2020-06-05.md"),
                        Field(
                            "fingeravtryck",
                            Text(),
                            True,
                            "Kontrollsumma över fyndets kod, meddelande och rad.",
                            "5d41402abc4b2a76",
                        ),
                        Field("meddelande", Text(), False, "Fyndets meddelande.", "…"),
                        Field("motivering", Text(), True, "Varför fyndet inte kan rättas.", "…"),
                    )
                )
            ),
            True,
            "De godkända fynden.",
            "[{kod: SIKT208, fil: …, fingeravtryck: …, motivering: …}]",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """One entry of godkanda-fynd.yaml, with the line where it starts."""

    kod: str
    fil: str
    fingeravtryck: str
    motivering: str
    line: int
    column: int

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kod, self.fil, self.fingeravtryck


def fingerprint(code: str, message: str, line_text: str) -> str:
    """The finding's content, not its place: the same finding on a moved line still
    matches, a changed message or line does not. Whitespace runs count as one space."""
    content = "\n".join((code, message, " ".join(line_text.split())))
    return hashlib.sha256(content.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def load_acceptances(root: Path) -> tuple[list[Acceptance], list[Diagnostic]]:
    """The entries of godkanda-fynd.yaml and what is wrong with the file; none if absent."""
    path = root / ACCEPTED_FILE
    if not path.exists() and not path.is_symlink():
        return [], []
    loaded = load_yaml_file(path, ACCEPTED_FILE)
    diags = list(loaded.diagnostics)
    conv = Converter(ACCEPTED_FILE)
    doc = conv.document(loaded.node, GODKANDA_FYND, ACCEPTED_FILE)
    if not yaml_read(loaded):
        return [], diags
    diags += conv.diagnostics
    out: list[Acceptance] = []
    for i, entry in enumerate(doc.data.get("godkanda") or []):
        if not isinstance(entry, dict):
            continue
        pos = doc.pos("godkanda", i)
        if not all(k in entry for k in ("kod", "fil", "fingeravtryck", "motivering")):
            continue  # the converter said which key is missing
        code = entry["kod"]
        if code not in CODES:
            at = doc.pos("godkanda", i, "kod")
            guess = did_you_mean(code, list(CODES))
            diags.append(
                diag(
                    "SIKT112",
                    ACCEPTED_FILE,
                    at.line,
                    at.column,
                    f"'godkanda[{i + 1}].kod' är ingen känd kod: '{code}'.",
                    (f"Menade du '{guess}'? " if guess else "")
                    + "Koderna står i docs/diagnostik.md.",
                )
            )
            continue
        if not entry["motivering"].strip():
            at = doc.pos("godkanda", i, "motivering")
            diags.append(
                diag(
                    "SIKT111",
                    ACCEPTED_FILE,
                    at.line,
                    at.column,
                    f"'godkanda[{i + 1}].motivering' är tom.",
                    "Skriv varför fyndet inte kan rättas, t.ex. vad källan säger.",
                )
            )
            continue
        out.append(
            Acceptance(
                code,
                entry["fil"],
                entry["fingeravtryck"],
                entry["motivering"],
                pos.line,
                pos.column,
            )
        )
    return out, diags
