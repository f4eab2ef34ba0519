"""The one model every view reads: members, goals, minutes, agenda, decisions.

Frozen dataclasses built from schema-checked documents. Values that failed their check
are simply absent here (the diagnostic was already reported), so rules and queries never
see half-valid data. Every referenced value keeps its file position for diagnostics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sikt_cli.archive.body import Body
from sikt_cli.archive.spec import Document
from sikt_cli.archive.yaml_tree import Pos
from sikt_cli.cache import reduce_by_fields
from sikt_cli.errors import Refused, SiktError
from sikt_cli.text import member_hint, suggest_member


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
    fran: dt.date | None = None
    till: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.fran is None or self.fran <= day) and (self.till is None or day <= self.till)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    namn: str
    members: tuple[Ref, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Network:
    namn: str = "Nätverket"
    fullt_namn: str | None = None
    huvudman: str | None = None
    rapport_till: tuple[str, ...] = ()
    plats: str | None = None
    tid: str | None = None
    tidszon: str = "Europe/Stockholm"


@dataclass(frozen=True, slots=True)
class Roster:
    """medlemmar.yaml: the network, its municipalities, groups and members."""

    network: Network
    kommuner: tuple[str, ...]
    members: tuple[Member, ...]
    groups: tuple[Group, ...]
    doc: Document
    by_id: dict[str, Member] = field(default_factory=dict, compare=False)

    def member(self, member_id: str) -> Member | None:
        return self.by_id.get(member_id)

    def name_of(self, member_id: str | None) -> str:
        """The member's name as people read it; an unknown id is shown as written."""
        if not member_id:
            return ""
        m = self.by_id.get(member_id)
        return m.namn if m else member_id

    def hint_for(self, value: str) -> str:
        """'Menade du …?' on ids, names and slugs, else how to add the person."""
        return member_hint(value, list(self.by_id), {m.namn: m.id for m in self.members})

    def require(
        self, member_id: str, role: str = "", *, error: type[SiktError] = Refused
    ) -> Member:
        """The member with that id, or `error` (naming the role, e.g. "Justeraren") with
        the closest id as its hint: Refused for a file's value, UsageError for a flag's."""
        m = self.by_id.get(member_id)
        if m is None:
            names = {x.namn: x.id for x in self.members}
            guess = suggest_member(member_id, list(self.by_id), names)
            raise error(
                f"{role + ' ' if role else ''}'{member_id}' är inte en medlem i medlemmar.yaml.",
                f"Menade du '{guess}'?" if guess else "Se medlemmarnas id i medlemmar.yaml.",
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


@dataclass(frozen=True, slots=True)
class Upcoming:
    datum: dt.date
    pos: Pos
    tid: str | None = None
    plats: str | None = None
    ansvarig: Ref | None = None
    not_: str | None = None


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
    publiceras: bool = True
    skal: str | None = None
    maskeringar: tuple[Masking, ...] = ()

    @property
    def file_date(self) -> str:
        return self.path.stem


def _refs(doc: Document, *path: str | int) -> tuple[Ref, ...]:
    values = _get(doc.data, path)
    if not isinstance(values, list):
        return ()
    return tuple(Ref(v, doc.pos(*path, i)) for i, v in enumerate(values) if isinstance(v, str))


def _ref(doc: Document, *path: str | int) -> Ref | None:
    v = _get(doc.data, path)
    return Ref(v, doc.pos(*path)) if isinstance(v, str) else None


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for p in path:
        if isinstance(p, int):
            if not isinstance(data, list) or p >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[p] if isinstance(p, int) else data.get(p)
    return data


def _items(doc: Document, key: str) -> list[tuple[int, dict[str, Any]]]:
    values = doc.data.get(key)
    if not isinstance(values, list):
        return []
    return [(i, v) for i, v in enumerate(values) if isinstance(v, dict)]


def build_roster(doc: Document) -> Roster:
    net = doc.data.get("natverk") or {}
    network = Network(
        namn=net.get("namn", "Nätverket"),
        fullt_namn=net.get("fullt_namn"),
        huvudman=net.get("huvudman"),
        rapport_till=tuple(a for a in net.get("rapport_till", []) if a),
        plats=net.get("plats"),
        tid=net.get("tid"),
        tidszon=net.get("tidszon", "Europe/Stockholm"),
    )
    members: list[Member] = []
    for i, m in _items(doc, "medlemmar"):
        if not all(k in m for k in ("id", "namn", "kommun")):
            continue
        members.append(
            Member(
                id=m["id"],
                namn=m["namn"],
                kommun=m["kommun"],
                pos=doc.pos("medlemmar", i),
                organisation=m.get("organisation"),
                epost=m.get("epost"),
                roller=tuple(r for r in m.get("roller", []) if r),
                fran=m.get("fran"),
                till=m.get("till"),
            )
        )
    groups = [
        Group(
            id=g["id"],
            namn=g.get("namn", g["id"]),
            members=_refs(doc, "grupper", i, "medlemmar"),
            pos=doc.pos("grupper", i),
        )
        for i, g in _items(doc, "grupper")
        if "id" in g
    ]
    by_id: dict[str, Member] = {}
    for member in members:
        by_id.setdefault(member.id, member)
    return Roster(
        network=network,
        kommuner=tuple(k for k in doc.data.get("kommuner", []) if k),
        members=tuple(members),
        groups=tuple(groups),
        doc=doc,
        by_id=by_id,
    )


def build_goals(doc: Document | None) -> Goals:
    goals: list[Goal] = []
    if doc is not None:
        for i, g in _items(doc, "mal"):
            if "id" not in g:
                continue
            goals.append(
                Goal(
                    id=g["id"],
                    namn=g.get("namn", ""),
                    pos=doc.pos("mal", i),
                    effektmal=tuple(e for e in g.get("effektmal", []) if e),
                    fran=g.get("fran"),
                    till=g.get("till"),
                )
            )
            for j, u in enumerate(g.get("uppdrag", [])):
                if isinstance(u, dict) and "id" in u:
                    goals.append(
                        Goal(
                            id=u["id"],
                            namn=u.get("text", ""),
                            pos=doc.pos("mal", i, "uppdrag", j),
                            parent=g["id"],
                            fran=u.get("fran", g.get("fran")),
                            till=u.get("till", g.get("till")),
                        )
                    )
    by_id: dict[str, Goal] = {}
    for goal in goals:
        by_id.setdefault(goal.id, goal)
    return Goals(tuple(goals), doc, by_id)


def build_minutes(rel: str, path: Path, doc: Document, body: Body | None) -> Minutes:
    d = doc.data
    arenden = tuple(
        AgendaItem(
            nr=a["nr"],
            rubrik=a["rubrik"],
            pos=doc.pos("arenden", i),
            nr_pos=doc.pos("arenden", i, "nr"),
            mal=_refs(doc, "arenden", i, "mal"),
            ansvarig=_ref(doc, "arenden", i, "ansvarig"),
            publiceras=a.get("publiceras") != "nej",
            skal=a.get("skal"),
            publiceras_pos=doc.pos("arenden", i, "publiceras") if "publiceras" in a else None,
        )
        for i, a in _items(doc, "arenden")
        if "nr" in a and "rubrik" in a
    )
    beslut = tuple(
        Decision(arende=b["arende"], text=b["text"], pos=doc.pos("beslut", i, "arende"))
        for i, b in _items(doc, "beslut")
        if "arende" in b and "text" in b
    )
    kommande = tuple(
        Upcoming(
            datum=k["datum"],
            pos=doc.pos("kommande", i),
            tid=k.get("tid"),
            plats=k.get("plats"),
            ansvarig=_ref(doc, "kommande", i, "ansvarig"),
            not_=k.get("not"),
        )
        for i, k in _items(doc, "kommande")
        if "datum" in k
    )
    return Minutes(
        rel=rel,
        path=path,
        doc=doc,
        body=body,
        datum=d.get("datum"),
        status=d.get("status"),
        tid=d.get("tid"),
        plats=d.get("plats"),
        ordforande=_ref(doc, "ordforande"),
        sekreterare=_ref(doc, "sekreterare"),
        justerare=_refs(doc, "justerare"),
        justerad=d.get("justerad"),
        narvarande=_refs(doc, "narvarande"),
        franvarande=_refs(doc, "franvarande"),
        gaster=tuple(g for g in d.get("gaster", []) if g),
        arenden=arenden,
        beslut=beslut,
        kommande=kommande,
        ej_inplanerat=tuple(e for e in d.get("ej_inplanerat", []) if e),
        publiceras=d.get("publiceras") != "nej",
        skal=d.get("skal"),
        maskeringar=_maskings(doc),
    )


def _maskings(doc: Document) -> tuple[Masking, ...]:
    keys = ("datum", "av", "rad", "typ", "skal")
    return tuple(
        Masking(
            datum=k["datum"],
            av=Ref(k["av"], doc.pos("maskeringar", i, "av")),
            rad=k["rad"],
            typ=k["typ"],
            skal=k["skal"],
            pos=doc.pos("maskeringar", i),
        )
        for i, k in _items(doc, "maskeringar")
        if all(key in k for key in keys)
    )


for _cls in (Ref, AgendaItem, Masking, Decision, Upcoming, Minutes):
    _cls.__reduce__ = reduce_by_fields  # type: ignore[method-assign]
