"""JSON Schemas (draft 2020-12) for the three file formats, from the validator's own specs.

One source of truth: `schema.py` defines the formats, the validator converts by them, and
these schemas are generated from them for editors (VS Code's YAML extension reads the
`# yaml-language-server: $schema=…` line) and for other tools.
"""

from __future__ import annotations

import json
import re
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
    TimeZone,
    Url,
)
from sikt_cli.archive.value_forms import (
    DATE,
    EMAIL_SHAPE,
    INTEGER,
    TIME,
    TIME_ZONE,
    WEB_ADDRESS,
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
    as in the drafts `sikt protokoll ny` writes; sikt reads that as "not given".

    Union types are written as `anyOf` of single types, so that ajv's strict mode accepts
    them; the patterns are the validator's own (`spec.py`)."""
    out = _value(spec)
    if nullable:
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
        else:
            out["type"] = [out["type"], "null"]
    text = description or spec.description
    if text:
        out["description"] = text
    return out


def _value(spec: Spec) -> dict[str, Any]:
    if isinstance(spec, Obj):
        out: dict[str, Any] = {
            "type": "object",
            "properties": {
                f.name: _spec(f.spec, f.description, nullable=not f.required) for f in spec.fields
            },
            "additionalProperties": False,
        }
        required = [f.name for f in spec.fields if f.required]
        if required:
            out["required"] = required
        return out
    if isinstance(spec, ListOf):
        return {"type": "array", "items": _spec(spec.item)}
    if isinstance(spec, Integer):
        # `nr: 2` and `nr: "2"` alike: sikt reads the digits either way
        return {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 999999},
                {"type": "string", "pattern": INTEGER.pattern},
            ]
        }
    if isinstance(spec, Date):
        return {"type": "string", "format": "date", "pattern": DATE.pattern}
    if isinstance(spec, Slug):
        return _slug(spec.pattern)
    if isinstance(spec, Choice):
        return {"enum": list(spec.values)}
    if isinstance(spec, (Ref, Text)):
        # a plain YAML scalar such as 123, 2020 or true is read as text by sikt
        return {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
    patterns = {Time: TIME, Email: EMAIL_SHAPE, TimeZone: TIME_ZONE, Url: WEB_ADDRESS}
    if type(spec) in patterns:
        return {"type": "string", "pattern": patterns[type(spec)].pattern}
    raise TypeError(spec)  # pragma: no cover - every Spec subclass is handled above


def _slug(pattern: str) -> dict[str, Any]:
    """An id: sikt reads `id: 2020` or `id: true` as the text, an editor as a number or a
    boolean; both are accepted where the text would be."""
    branches: list[dict[str, Any]] = [{"type": "string", "pattern": pattern}]
    if re.fullmatch(pattern, "0"):
        branches.append({"type": "integer", "minimum": 0})
    if re.fullmatch(pattern, "true") and re.fullmatch(pattern, "false"):
        branches.append({"type": "boolean"})
    return {"anyOf": branches} if len(branches) > 1 else branches[0]


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
        if node.text.isascii() and node.text.isdigit():
            return int(node.text)
    return node.text
