"""What `sikt sok` searches: the archive's files cut into documents, each with its place.

One protokoll gives one document per agenda item (its rubrik and its prose), one per
decision and one per uppdrag or follow-up; medlemmar.yaml one per member; mal.yaml one per
goal. Each document is built from one file only, so the index can be rebuilt file by file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sikt_cli.archive.body import Body, Task
from sikt_cli.archive.build import build_goals, build_minutes, build_roster
from sikt_cli.archive.documents import Loaded, load_yaml_file, parse_markdown
from sikt_cli.archive.formats import MAL, MEDLEMMAR
from sikt_cli.archive.model import Minutes
from sikt_cli.archive.spec import Converter, Document, Obj
from sikt_cli.archive.yaml_tree import YMap
from sikt_cli.records.search_query import SearchDoc

_FOLLOW_UP = re.compile(r"^(\d{4}-\d{2}-\d{2}#\d+)\b")  # as in records/action_items


def minutes_documents(rel: str, data: bytes) -> list[SearchDoc]:
    """The documents of one protokoll file; an unreadable file gives none."""
    from sikt_cli.archive.body import parse_body

    loaded = parse_markdown(data, rel)
    if loaded.doc is None or loaded.frontmatter is None or loaded.source is None:
        return []
    fm = loaded.frontmatter
    body = parse_body(fm.body, fm.body_first_line)
    m = build_minutes(rel, Path(rel), loaded.doc, body)
    lines = loaded.source.lines
    return [*_sections(m, body, lines), *_decisions(m), *_tasks(m, body)]


def _day(m: Minutes) -> str:
    return m.datum.isoformat() if m.datum else m.file_date


def _items(m: Minutes, body: Body) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Agenda number → (rubrik, goals); a heading missing from the agenda keeps its text."""
    found: dict[int, tuple[str, tuple[str, ...]]] = {
        h.nr: (h.title, ()) for h in body.headings if h.nr is not None and h.level <= 2
    }
    found.update({a.nr: (a.rubrik, tuple(g.value for g in a.mal)) for a in m.arenden})
    return found


def _sections(m: Minutes, body: Body, lines: list[str]) -> Iterator[SearchDoc]:
    """One document per agenda item: its rubrik and its prose without the task items."""
    items = _items(m, body)
    tops = [h for h in body.headings if h.level <= 2]
    task_lines = {n for t in body.tasks for n in range(t.line, t.end_line + 1)}
    seen: set[int] = set()
    for i, h in enumerate(tops):
        end = tops[i + 1].line if i + 1 < len(tops) else len(lines) + 1
        prose = [
            lines[n - 1] if n not in task_lines else "" for n in range(h.line + 1, end)
        ]  # blank lines keep the line numbers right
        if h.nr is None:
            continue
        seen.add(h.nr)
        rubrik, goals = items.get(h.nr, (h.title, ()))
        yield SearchDoc(
            m.rel,
            "text",
            h.line,
            rubrik=rubrik,
            body="\n".join(prose),
            first_line=h.line + 1,
            datum=_day(m),
            nr=h.nr,
            item_rubrik=rubrik,
            goals=goals,
        )
    for a in m.arenden:  # an agenda item with no section in the text yet
        if a.nr not in seen:
            yield SearchDoc(
                m.rel,
                "text",
                a.pos.line,
                rubrik=a.rubrik,
                first_line=a.pos.line,
                datum=_day(m),
                nr=a.nr,
                item_rubrik=a.rubrik,
                goals=tuple(g.value for g in a.mal),
            )


def _decisions(m: Minutes) -> Iterator[SearchDoc]:
    rubriker = {a.nr: (a.rubrik, tuple(g.value for g in a.mal)) for a in m.arenden}
    for n, b in enumerate(m.beslut, 1):
        rubrik, goals = rubriker.get(b.arende, ("", ()))
        yield SearchDoc(
            m.rel,
            "beslut",
            b.pos.line,
            beslut=b.text,
            first_line=b.pos.line,
            datum=_day(m),
            nr=b.arende,
            item_rubrik=rubrik,
            ref=f"{m.file_date}#b{n}",
            goals=goals,
        )


def _tasks(m: Minutes, body: Body) -> Iterator[SearchDoc]:
    items = _items(m, body)
    n = 0
    for task in body.tasks:
        ref = _task_ref(m, task, n)
        if ref is None:
            continue
        if not _FOLLOW_UP.match(task.text):
            n += 1
        rubrik, goals = items.get(task.section, ("", ())) if task.section else ("", ())
        yield SearchDoc(
            m.rel,
            "uppdrag",
            task.line,
            body=task.text,
            first_line=task.line,
            datum=_day(m),
            nr=task.section,
            item_rubrik=rubrik,
            ref=ref,
            goals=goals,
        )


def _task_ref(m: Minutes, task: Task, n: int) -> str | None:
    """The uppdrag's id as `sikt uppdrag` numbers it, or the id a follow-up names."""
    follow = _FOLLOW_UP.match(task.text)
    if follow:
        return follow.group(1)
    return f"{m.file_date}#{n + 1}" if task.mentions else None


def _yaml_document(path: str, rel: str, spec: Obj) -> Document | None:
    loaded: Loaded = load_yaml_file(Path(path), rel)
    if not isinstance(loaded.node, YMap):
        return None
    return Converter(rel).document(loaded.node, spec, rel)


def member_documents(rel: str, path: str) -> list[SearchDoc]:
    """One document per member of medlemmar.yaml: name, id, kommun, organisation."""
    doc = _yaml_document(path, rel, MEDLEMMAR)
    if doc is None:
        return []
    roster = build_roster(doc)
    return [
        SearchDoc(
            rel,
            "medlem",
            m.pos.line,
            rubrik=m.namn,
            body=" ".join(x for x in (m.id, m.kommun, m.organisation or "") if x),
            first_line=m.pos.line,
            ref=m.id,
        )
        for m in roster.members
    ]


def goal_documents(rel: str, path: str) -> list[SearchDoc]:
    """One document per goal and sub-goal of mal.yaml; its text weighs as body text (a
    goal that names a subject should not outrank the meetings that dealt with it)."""
    doc = _yaml_document(path, rel, MAL)
    if doc is None:
        return []
    return [
        SearchDoc(
            rel,
            "mal",
            g.pos.line,
            rubrik=g.id,
            body="\n".join((g.namn, *g.effektmal)),
            first_line=g.pos.line,
            ref=g.id,
            goals=(g.id,),
        )
        for g in build_goals(doc).goals
    ]
