"""Converted documents → the model: the roster, the goals and each protokoll.

Values that failed their check are simply absent here (the diagnostic was already
reported), so rules and queries never see half-valid data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sikt_cli.archive.body import Body
from sikt_cli.archive.model import (
    Accessibility,
    AgendaItem,
    Decision,
    Earlier,
    Goal,
    Goals,
    Group,
    Masking,
    Member,
    Minutes,
    Network,
    Rattelse,
    Ref,
    Roster,
    Upcoming,
)
from sikt_cli.archive.spec import Document
from sikt_cli.text import MemberNames


def _earlier(entries: Any) -> tuple[Earlier, ...]:
    found = [
        Earlier(e["till"], {k: v for k, v in e.items() if k != "till" and isinstance(v, str)})
        for e in entries or []
        if isinstance(e, dict) and isinstance(e.get("till"), dt.date)
    ]
    return tuple(sorted(found, key=lambda e: e.till))


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
        lank=net.get("lank"),
        tillganglighet=_accessibility(net.get("tillganglighet")),
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
                nyckel=m.get("nyckel"),
                fran=m.get("fran"),
                till=m.get("till"),
                tidigare=_earlier(m.get("tidigare")),
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
        names=MemberNames.build((m.id, m.namn) for m in by_id.values()),
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
                    tidigare=_earlier(g.get("tidigare")),
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
                            tidigare=_earlier(u.get("tidigare")),
                        )
                    )
    by_id: dict[str, Goal] = {}
    for goal in goals:
        by_id.setdefault(goal.id, goal)
    return Goals(tuple(goals), doc, by_id)


def _agenda(doc: Document) -> tuple[AgendaItem, ...]:
    return tuple(
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


def build_minutes(rel: str, path: Path, doc: Document, body: Body | None) -> Minutes:
    d = doc.data
    arenden = _agenda(doc)
    beslut = tuple(
        Decision(
            arende=b["arende"],
            text=b["text"],
            pos=doc.pos("beslut", i, "arende"),
            ersatter=_ref(doc, "beslut", i, "ersatter"),
            giltig_till=b.get("giltig_till"),
        )
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
        rattelser=_corrections(d.get("rattelser")),
        lank=d.get("lank"),
        bilagor=tuple(b for b in d.get("bilagor", []) if b is not None),
        bilagor_nr=tuple(i for i, b in enumerate(d.get("bilagor", [])) if b is not None),
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


def _corrections(entries: Any) -> tuple[Rattelse, ...]:
    return tuple(
        Rattelse(
            r["datum"],
            r["av"],
            r["skal"],
            tuple(x["rad"] for x in r["rader"] if isinstance(x, dict) and "rad" in x),
        )
        for r in entries or []
        if isinstance(r, dict) and all(k in r for k in ("datum", "av", "skal", "rader"))
    )


def _accessibility(value: Any) -> Accessibility:
    if not isinstance(value, dict):
        return Accessibility()
    return Accessibility(
        kontakt=value.get("kontakt"),
        forenlighet=value.get("forenlighet"),
        granskad=value.get("granskad"),
        metod=value.get("metod"),
        brister=tuple(b for b in value.get("brister", []) if b),
        uppdaterad=value.get("uppdaterad"),
    )
