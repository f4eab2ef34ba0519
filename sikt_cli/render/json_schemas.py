"""JSON Schemas (draft 2020-12) for the three file formats, from the validator's own specs.

One source of truth: `schema.py` defines the formats, the validator converts by them, and
these schemas are generated from them for editors (VS Code's YAML extension reads the
`# yaml-language-server: $schema=…` line) and for other tools.
"""

from __future__ import annotations

import json
from typing import Any

from sikt_cli.archive.formats import MAL, MEDLEMMAR, PROTOKOLL
from sikt_cli.archive.spec import (
    Choice,
    Date,
    Email,
    Integer,
    ListOf,
    Obj,
    Ref,
    Slug,
    Spec,
    Text,
    Time,
)
from sikt_cli.archive.yaml_tree import YMap, YNode, YScalar, YSeq, parse_yaml

DRAFT = "https://json-schema.org/draft/2020-12/schema"
FILES = {
    "medlemmar.schema.json": (MEDLEMMAR, "medlemmar.yaml"),
    "mal.schema.json": (MAL, "mal.yaml"),
    "protokoll.schema.json": (PROTOKOLL, "Frontmatter i protokoll/ÅÅÅÅ-MM-DD.md"),
}


def _spec(spec: Spec, description: str = "", *, nullable: bool = False) -> dict[str, Any]:
    """The schema of one value. `nullable`: an optional key may be left empty (`sekreterare:`),
    as in the drafts `sikt protokoll ny` writes; sikt reads that as "not given"."""
    out: dict[str, Any]
    if isinstance(spec, Obj):
        out = {
            "type": "object",
            "properties": {
                f.name: _spec(f.spec, f.description, nullable=not f.required) for f in spec.fields
            },
            "additionalProperties": False,
        }
        required = [f.name for f in spec.fields if f.required]
        if required:
            out["required"] = required
    elif isinstance(spec, ListOf):
        out = {"type": "array", "items": _spec(spec.item)}
    elif isinstance(spec, Integer):
        out = {"type": "integer", "minimum": 0}
    elif isinstance(spec, Date):
        out = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif isinstance(spec, Time):
        out = {"type": "string", "pattern": r"^\d{2}:\d{2}(-\d{2}:\d{2})?$"}
    elif isinstance(spec, Email):
        out = {"type": "string", "format": "email"}
    elif isinstance(spec, Slug):
        out = {"type": "string", "pattern": spec.pattern}
    elif isinstance(spec, Choice):
        out = {"enum": list(spec.values)}
    elif isinstance(spec, (Ref, Text)):
        # a plain YAML scalar such as 123 or 2020 is read as text by sikt
        out = (
            {"type": ["string", "number", "boolean"]}
            if isinstance(spec, Text)
            else {"type": "string"}
        )
    else:  # pragma: no cover - every Spec subclass is handled above
        raise TypeError(spec)
    if nullable:
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        else:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
    text = description or spec.description
    if text:
        out["description"] = text
    return out


def schemas() -> dict[str, dict[str, Any]]:
    """File name → schema document."""
    out = {}
    for name, (spec, title) in FILES.items():
        doc = {"$schema": DRAFT, "$id": f"https://sikt.invalid/schemas/{name}", "title": title}
        doc.update(_spec(spec))
        out[name] = doc
    return out


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def yaml_as_json(text: str) -> Any:
    """YAML read the way YAML 1.2 editors read it (no dates, no sexagesimals), for checking
    files against the schemas: plain integers and booleans typed, everything else text."""
    node, diags = parse_yaml(text, "x", 1)
    if diags:
        raise ValueError(diags[0].message)
    return _plain(node) if node is not None else None


def _plain(node: YNode) -> Any:
    if isinstance(node, YMap):
        return {_plain(k): _plain(v) for k, v in node.pairs}
    if isinstance(node, YSeq):
        return [_plain(i) for i in node.items]
    assert isinstance(node, YScalar)
    if node.plain:
        if node.is_null:
            return None
        if node.text in ("true", "false"):
            return node.text == "true"
        if node.text.isdigit():
            return int(node.text)
    return node.text
