"""The value specs of the file formats: what a value must be (text, date, id, list,
mapping …) and its Swedish type name. `spec.Converter` checks values against them;
`render/json_schemas` turns them into JSON Schemas; `formats` declares the files with them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Spec:
    description: str = ""

    @property
    def type_name(self) -> str:
        return "text"


@dataclass(frozen=True, slots=True)
class Text(Spec):
    pass


@dataclass(frozen=True, slots=True)
class Integer(Spec):
    @property
    def type_name(self) -> str:
        return "heltal"


@dataclass(frozen=True, slots=True)
class Date(Spec):
    @property
    def type_name(self) -> str:
        return "datum (ÅÅÅÅ-MM-DD)"


@dataclass(frozen=True, slots=True)
class Time(Spec):
    @property
    def type_name(self) -> str:
        return "tid (TT:MM eller TT:MM-TT:MM)"


@dataclass(frozen=True, slots=True)
class Email(Spec):
    @property
    def type_name(self) -> str:
        return "e-postadress"


@dataclass(frozen=True, slots=True)
class Url(Spec):
    """An http(s) address, such as a meeting's Teams link."""

    @property
    def type_name(self) -> str:
        return "webbadress"


@dataclass(frozen=True, slots=True)
class TimeZone(Spec):
    """An IANA time zone such as `Europe/Stockholm`, checked against the time-zone database."""

    @property
    def type_name(self) -> str:
        return "tidszon"


@dataclass(frozen=True, slots=True)
class Slug(Spec):
    """A lowercase ASCII id such as `sara-von-seth` or `mal-1.2`."""

    pattern: str = SLUG.pattern

    @property
    def type_name(self) -> str:
        return "id"


@dataclass(frozen=True, slots=True)
class Ref(Spec):
    """A reference to an id defined elsewhere; checked by the rules, with did-you-mean."""

    @property
    def type_name(self) -> str:
        return "id"


@dataclass(frozen=True, slots=True)
class Choice(Spec):
    values: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        return "ett av " + ", ".join(self.values)


@dataclass(frozen=True, slots=True)
class ListOf(Spec):
    item: Spec = field(default_factory=Text)

    @property
    def type_name(self) -> str:
        return "lista"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    spec: Spec
    required: bool = False
    description: str = ""
    example: str = ""


@dataclass(frozen=True, slots=True)
class Obj(Spec):
    fields: tuple[Field, ...] = ()

    @property
    def type_name(self) -> str:
        return "mappning (nyckel: värde)"

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None
