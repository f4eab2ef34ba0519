"""`sikt validera` as a library call: load the archive, run every rule, select, sort."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sikt_cli.archive.layout import (
    ACCEPTED_FILE,
    GOALS_FILE,
    MEMBERS_FILE,
    archive_files,
    minutes_files,
    rel_path,
)
from sikt_cli.cache import READ, cached
from sikt_cli.diagnostics import Accepted, Diagnostic, Result, sort_diagnostics
from sikt_cli.errors import SiktError


def _selected(root: Path, paths: list[Path]) -> tuple[set[str], list[Path]]:
    """Relative names of the files to report on, and files outside protokoll/ to load too."""
    chosen: set[str] = set()
    extra: list[Path] = []
    if not paths:
        return chosen, extra
    in_archive = {p.resolve() for p in minutes_files(root)}
    for p in paths:
        if not p.exists():
            raise SiktError(
                f"Sökvägen '{p}' finns inte.",
                "Ange protokollfiler eller kataloger som finns, eller inga sökvägar "
                "alls för hela arkivet.",
            )
        if p.is_dir():
            files = sorted(p.rglob("*.md"))
            if p.resolve() == root:
                files = [*minutes_files(root), root / MEMBERS_FILE, root / GOALS_FILE]
        else:
            files = [p]
        for f in files:
            if f.suffix == ".md" and f.resolve() not in in_archive:
                extra.append(f)
            chosen.add(rel_path(root, f))
    return chosen, extra


def validate(
    root: Path,
    paths: list[Path] | None = None,
    *,
    bas: str | None = None,
    cache: bool = True,
    signaturer: bool = False,
) -> Result:
    """Validate the archive at `root`; with `paths`, report only on those files.

    medlemmar.yaml and mal.yaml are always checked: every protokoll depends on them.
    With `cache`, an unchanged archive is answered from `.sikt-cache/` without parsing.
    """
    root = root.resolve()
    chosen, extra = _selected(root, paths or [])

    from sikt_cli.archive.attachment_files import check_attachments

    diags, present, n_minutes, statuses, files = cached(
        root,
        archive_files(root, extra),
        "validering",
        lambda: _computed(root, extra),
        enabled=cache,
        reads=True,
    )
    diags = list(diags) + check_attachments(root, files)
    if bas:
        from sikt_cli.rules.locked import check_locked

        diags += check_locked(root, bas)
    if signaturer:
        diags += signature_findings(root, bas)
    diags, accepted = _accepted(root, diags, statuses, chosen)
    baseline = int((root / ACCEPTED_FILE).exists())
    if chosen:
        chosen |= {MEMBERS_FILE, GOALS_FILE, ACCEPTED_FILE}
        diags = [d for d in diags if d.file in chosen]
        checked = len(chosen & ({MEMBERS_FILE, GOALS_FILE} | set(present))) + baseline
    else:
        checked = n_minutes + 1 + int((root / GOALS_FILE).exists()) + baseline
    return Result(
        root=root,
        diagnostics=sort_diagnostics(diags),
        files_checked=checked,
        sources=source_lines(root, diags),
        accepted=tuple(sorted(accepted, key=lambda a: a.diagnostic)),
    )


def _computed(root: Path, extra: list[Path]) -> dict[str, Any]:
    """Every finding on the archive, and what the cache and `validate` need besides."""
    # the loader, the model and the rules are imported only when there is work
    from sikt_cli.archive.attachment_files import attachment_refs
    from sikt_cli.rules import load_checked

    archive, _, found = load_checked(root, extra_files=extra, stamp=True)
    present = sorted({*archive.sources, *(m.rel for m in archive.minutes)})
    statuses = {m.rel: m.status for m in archive.minutes}
    files = attachment_refs(archive.minutes)
    entry = (found, present, len(archive.minutes), statuses, files)
    return {"validering": entry, READ: archive.read}  # READ: what the fingerprint needs


def _accepted(
    root: Path, diags: list[Diagnostic], statuses: dict[str, str | None], chosen: set[str]
) -> tuple[list[Diagnostic], list[Accepted]]:
    """godkanda-fynd.yaml applied: the findings to report and the accepted ones."""
    from sikt_cli.archive.accepted import load_acceptances

    entries, problems = load_acceptances(root)
    if not entries:
        return diags + problems, []
    from sikt_cli.rules.accepted import apply

    named = {e.fil for e in entries}
    sources = source_lines(root, [d for d in diags if d.file in named])
    kept, accepted = apply(diags, entries, sources=sources, statuses=statuses, scope=chosen or None)
    return kept + problems, accepted


def signature_findings(root: Path, bas: str | None) -> list[Diagnostic]:
    """`--signaturer`: every justerat protokoll signed over its content (rules/signatures)."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.rules.signatures import check_signatures, require_git

    require_git(root)
    archive = load_archive(root)
    return check_signatures(root, list(archive.minutes), archive.roster, bas)


def source_lines(root: Path, diags: Iterable[Diagnostic]) -> dict[str, list[str]]:
    """The lines of the files that have diagnostics, for reporters that show them."""
    out: dict[str, list[str]] = {}
    files = {d.file for d in diags}
    if not files:
        return out
    from sikt_cli.archive.source import read_source

    for rel in files:
        src, _ = read_source(root / rel, rel)
        if src is not None:
            out[rel] = src.lines
    return out
