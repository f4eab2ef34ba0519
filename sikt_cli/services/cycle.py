"""The meeting cycle: plan (planerat) → write (utkast) → approve (justerat).

One file per meeting carries the whole cycle. Each step creates a protokoll file or
changes only the lines it means to change, through `archive/edit.py` and an atomic write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sikt_cli.archive.body import FILL_IN, parse_body
from sikt_cli.archive.documents import minutes_bytes, minutes_document
from sikt_cli.archive.edit import add_keys, set_key
from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE, MINUTES_DIR, minutes_path
from sikt_cli.archive.load import load_archive
from sikt_cli.diagnostics import Blocked, Result
from sikt_cli.errors import Refused
from sikt_cli.files import LineEdit, create, replace_atomically
from sikt_cli.render import contexts
from sikt_cli.render.templates import render


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path
    action: str  # "skapad", "utkast", "justerat"
    follow_ups: int = 0  # open uppdrag the new utkast has a follow-up line for


def plan(root: Path, day: dt.date) -> Outcome | None:
    """Create protokoll/D.md as planerat with the proposed dagordning; None if it exists."""
    path = minutes_path(root, day)
    if path.exists():
        return None
    archive = load_archive(root)
    text = render("protokoll.md.j2", contexts.meeting(archive, day, status="planerat"), root)
    create(path, text)
    return Outcome(path, "skapad")


def start_draft(root: Path, day: dt.date, sekreterare: str | None) -> Outcome:
    """Create protokoll/D.md as utkast, or turn a planerat one into the utkast."""
    archive = load_archive(root)
    if sekreterare:
        archive.roster.require(sekreterare)
    path = minutes_path(root, day)
    ctx = contexts.meeting(archive, day, status="utkast", sekreterare=sekreterare)
    follow_ups = len(ctx["open_actions"])
    if not path.exists():
        create(path, render("protokoll.md.j2", ctx, root))
        return Outcome(path, "skapad", follow_ups)
    data = minutes_bytes(path)
    loaded, fm = minutes_document(data, path)
    status = fm.data.get("status")
    if status == "justerat":
        from sikt_cli.services.notice import approved_refusal

        raise approved_refusal(path, day, "Ett nytt utkast skrivs inte över det")
    if status != "planerat":
        raise Refused(
            f"{path} finns redan (status: {status or 'okänd'}) och skrivs inte över.",
            "Bara ett planerat protokoll (från 'sikt kallelse') görs om till utkast. Öppna "
            "filen och fortsätt skriva i den; 'sikt validera' visar vad som återstår.",
        )
    assert loaded.frontmatter is not None
    new = set_key(data, path.name, "status", "utkast")
    new = add_keys(new, path.name, render("protokoll-utkast.yaml.j2", ctx, root))
    body = parse_body(loaded.frontmatter.body, loaded.frontmatter.body_first_line)
    in_body = {h.nr for h in body.headings if h.nr is not None}
    edit = LineEdit(new)
    for a in fm.data.get("arenden", []) or []:
        if isinstance(a, dict) and a.get("nr") not in in_body and "rubrik" in a:
            edit.append += ["", f"## {a['nr']}. {a['rubrik']}", "", f"{FILL_IN}."]
    replace_atomically(path, edit.apply(), expected=data)
    return Outcome(path, "utkast", follow_ups)


def _check_approver(member_id: str, data: dict[str, object], day: dt.date) -> None:
    """`--justerare`: as SIKT211/SIKT212 for the frontmatter, before it is written there."""
    present = data.get("narvarande")
    if isinstance(present, list) and present and member_id not in present:
        raise Refused(
            f"Justeraren '{member_id}' var inte närvarande vid mötet {day.isoformat()}.",
            "Välj en justerare bland dem under 'narvarande', eller lägg till hen där om hen "
            "var med. Justerare är valfria: ordföranden och sekreteraren skriver under.",
        )
    for key, role in (("ordforande", "ordförande"), ("sekreterare", "sekreterare")):
        if data.get(key) == member_id:
            raise Refused(
                f"Justeraren '{member_id}' är mötets {role} och skriver redan under protokollet.",
                "Välj en annan av de närvarande som justerare, eller justera utan --justerare "
                "(justerare är valfria).",
            )


def approve(root: Path, day: dt.date, justerare: list[str], today: dt.date) -> Outcome:
    """Strictly validate protokoll/D.md; if clean, set status justerat and justerad in place.

    Raises Blocked (with the findings) when the protokoll has any error or warning.
    """
    from sikt_cli.services.validate import validate

    path = minutes_path(root, day)
    if not path.exists():
        raise Refused(f"{path} finns inte.", "Ange datumet för ett befintligt protokoll.")
    data = minutes_bytes(path)
    _, fm = minutes_document(data, path)
    status = fm.data.get("status")
    if status == "justerat":
        raise Refused(f"{path.name} är redan justerat.", "Ett justerat protokoll ändras inte.")
    if status != "utkast":
        raise Refused(
            f"{path.name} har status '{status}'; bara ett utkast kan justeras.",
            "Skriv protokollet först: 'sikt protokoll ny'.",
        )
    result = validate(root, [path])
    roster = load_archive(root).roster
    for j in justerare:
        roster.require(j, "Justeraren")
        _check_approver(j, fm.data, day)
    mine = tuple(d for d in result.diagnostics if d.file == f"{MINUTES_DIR}/{path.name}")
    if mine:
        raise Blocked(
            "Protokollet justerades inte: rätta felen och varningarna ovan först.",
            result=Result(root, mine, 1, result.sources),
        )
    # the checks of names and goals are only as good as the data files they read
    data_errors = tuple(
        d for d in result.diagnostics if d.file in (MEMBERS_FILE, GOALS_FILE) and d.is_error
    )
    if data_errors:
        raise Blocked(
            f"Protokollet justerades inte: {MEMBERS_FILE} eller {GOALS_FILE} har fel, så "
            "protokollet kan inte kontrolleras fullt ut.",
            "Rätta felen ovan först; ett protokoll justeras bara när allt det bygger på går "
            "att kontrollera.",
            result=Result(root, data_errors, 2, result.sources),
        )
    new = set_key(data, path.name, "status", "justerat")
    if justerare:  # inserted after status, then justerad after status above it
        new = set_key(new, path.name, "justerare", list(justerare))
    new = set_key(new, path.name, "justerad", today.isoformat())
    replace_atomically(path, new, expected=data)
    return Outcome(path, "justerat")
