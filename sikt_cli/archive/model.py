"""The one model every view reads: members, goals, minutes, agenda, decisions.

Frozen dataclasses built from schema-checked documents. Values that failed their check
are simply absent here (the diagnostic was already reported), so rules and queries never
see half-valid data. Every referenced value keeps its file position for diagnostics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sikt_cli.archive.body import Body
from sikt_cli.archive.spec import Document
from sikt_cli.archive.yaml_tree import Pos
from sikt_cli.cache import reduce_by_fields
from sikt_cli.errors import Refused, SiktError
from sikt_cli.text import MemberNames


@dataclass(frozen=True, slots=True)
class Ref:
    """A value that names something defined elsewhere, with where it stood."""

    value: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    namn: str
    kommun: str
    pos: Pos
    organisation: str | None = None
    epost: str | None = None
    roller: tuple[str, ...] = ()
    nyckel: str | None = None  # public SSH signing key line
    fran: dt.date | None = None
    till: dt.date | None = None
    tidigare: tuple[Earlier, ...] = ()  # sorted by `till`

    def active_on(self, day: dt.date) -> bool:
        return (self.fran is None or self.fran <= day) and (self.till is None or day <= self.till)

    def as_of(self, day: dt.date) -> tuple[str, str]:
        """Name and municipality as they were on `day` (`tidigare` in medlemmar.yaml)."""
        for e in self.tidigare:
            if day <= e.till:
                return e.values.get("namn", self.namn), e.values.get("kommun", self.kommun)
        return self.namn, self.kommun


@dataclass(frozen=True, slots=True)
class Earlier:
    """Values that held until `till` (inclusive)."""

    till: dt.date
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    namn: str
    members: tuple[Ref, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Accessibility:
    """`natverk.tillganglighet`: what the web archive's accessibility statement needs."""

    kontakt: str | None = None
    forenlighet: str | None = None  # helt, delvis, inte
    granskad: dt.date | None = None
    metod: str | None = None
    brister: tuple[str, ...] = ()
    uppdaterad: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Network:
    namn: str = "Nätverket"
    fullt_namn: str | None = None
    huvudman: str | None = None
    rapport_till: tuple[str, ...] = ()
    plats: str | None = None
    tid: str | None = None
    tidszon: str = "Europe/Stockholm"
    lank: str | None = None
    tillganglighet: Accessibility = Accessibility()


@dataclass(frozen=True, slots=True)
class Roster:
    """medlemmar.yaml: the network, its municipalities, groups and members."""

    network: Network
    kommuner: tuple[str, ...]
    members: tuple[Member, ...]
    groups: tuple[Group, ...]
    doc: Document
    by_id: dict[str, Member] = field(default_factory=dict, compare=False)
    names: MemberNames = field(default_factory=lambda: MemberNames.build(()), compare=False)

    def member(self, member_id: str) -> Member | None:
        return self.by_id.get(member_id)

    def name_of(self, member_id: str | None) -> str:
        """The member's name as people read it; an unknown id is shown as written."""
        if not member_id:
            return ""
        m = self.by_id.get(member_id)
        return m.namn if m else member_id

    def name_on(self, member_id: str | None, day: dt.date) -> str:
        """The member's name as it was on `day`; an unknown id as written."""
        m = self.by_id.get(member_id or "")
        return m.as_of(day)[0] if m else (member_id or "")

    def suggest(self, value: str) -> str | None:
        """The member id closest to `value`: an id, a name or a unique first name."""
        return self.names.suggest(value)

    def hint_for(self, value: str) -> str:
        """The hint for an unknown member reference in a file: 'Menade du …?' on ids,
        names and first names, else how to add the person."""
        guess = self.names.suggest(value)
        if guess:
            return f"Menade du '{guess}'? Medlemmar anges med sitt id från medlemmar.yaml."
        if shared := self.names.sharing(value):
            return f"Menade du {_either(shared)}? Medlemmar anges med sitt id från medlemmar.yaml."
        return "Lägg till personen i medlemmar.yaml eller skriv hen under 'gaster'."

    def require(
        self, member_id: str, role: str = "", *, error: type[SiktError] = Refused
    ) -> Member:
        """The member with that id, or `error` (naming the role, e.g. "Justeraren") with
        the closest id as its hint: Refused for a file's value, UsageError for a flag's."""
        m = self.by_id.get(member_id)
        if m is None:
            guess = self.names.suggest(member_id)
            shared = () if guess else self.names.sharing(member_id)
            raise error(
                f"{role + ' ' if role else ''}'{member_id}' är inte en medlem i medlemmar.yaml.",
                f"Menade du '{guess}'?"
                if guess
                else f"Menade du {_either(shared)}?"
                if shared
                else "Se medlemmarnas id i medlemmar.yaml.",
            )
        return m

    def with_role(self, role: str) -> list[Member]:
        return [m for m in self.members if role in m.roller]


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal (`mal-1`) or one of its sub-assignments (`mal-1.1`)."""

    id: str
    namn: str
    pos: Pos
    parent: str | None = None
    effektmal: tuple[str, ...] = ()
    fran: dt.date | None = None
    till: dt.date | None = None
    tidigare: tuple[Earlier, ...] = ()

    def name_on(self, day: dt.date) -> str:
        """The goal's name (a sub-goal's text) as it was on `day`."""
        for e in self.tidigare:
            if day <= e.till:
                return e.values.get("text", e.values.get("namn", self.namn))
        return self.namn

    def active_on(self, day: dt.date) -> bool:
        return (self.fran is None or self.fran <= day) and (self.till is None or day <= self.till)


@dataclass(frozen=True, slots=True)
class Goals:
    goals: tuple[Goal, ...]
    doc: Document | None
    by_id: dict[str, Goal] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    nr: int
    rubrik: str
    pos: Pos
    nr_pos: Pos | None = None
    mal: tuple[Ref, ...] = ()
    ansvarig: Ref | None = None
    publiceras: bool = True  # `publiceras: nej` withholds the item from publication
    skal: str | None = None  # why not (required with `publiceras: nej`)
    publiceras_pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class Masking:
    """One recorded redaction (`maskeringar`): what kind of value, never the value."""

    datum: dt.date
    av: Ref
    rad: int
    typ: str
    skal: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Decision:
    arende: int
    text: str
    pos: Pos
    ersatter: Ref | None = None  # the id of an earlier decision this one supersedes
    giltig_till: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Upcoming:
    datum: dt.date
    pos: Pos
    tid: str | None = None
    plats: str | None = None
    ansvarig: Ref | None = None
    not_: str | None = None


@dataclass(frozen=True, slots=True)
class Rattelse:
    """A recorded correction of the justerat protokoll (records/corrections.py)."""

    datum: dt.date
    av: str
    skal: str
    rader: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Minutes:
    """One protokoll: its frontmatter record and its parsed body."""

    rel: str
    path: Path
    doc: Document
    body: Body | None
    datum: dt.date | None = None
    status: str | None = None
    tid: str | None = None
    plats: str | None = None
    ordforande: Ref | None = None
    sekreterare: Ref | None = None
    justerare: tuple[Ref, ...] = ()
    justerad: dt.date | None = None
    narvarande: tuple[Ref, ...] = ()
    franvarande: tuple[Ref, ...] = ()
    gaster: tuple[str, ...] = ()
    arenden: tuple[AgendaItem, ...] = ()
    beslut: tuple[Decision, ...] = ()
    kommande: tuple[Upcoming, ...] = ()
    ej_inplanerat: tuple[str, ...] = ()
    rattelser: tuple[Rattelse, ...] = ()
    lank: str | None = None
    bilagor: tuple[str, ...] = ()
    bilagor_nr: tuple[int, ...] = ()  # each bilaga's index in the file's list (gaps: nulls)
    publiceras: bool = True
    skal: str | None = None
    maskeringar: tuple[Masking, ...] = ()

    @property
    def file_date(self) -> str:
        return self.path.stem


Ref.__reduce__ = reduce_by_fields  # type: ignore[method-assign]


for _cls in (Ref, AgendaItem, Masking, Decision, Upcoming, Minutes):
    _cls.__reduce__ = reduce_by_fields  # type: ignore[method-assign]


def _either(ids: tuple[str, ...]) -> str:
    """'a' eller 'b'; 'a', 'b' eller 'c'."""
    quoted = [f"'{i}'" for i in ids]
    return ", ".join(quoted[:-1]) + " eller " + quoted[-1]
