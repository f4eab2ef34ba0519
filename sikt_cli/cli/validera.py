"""`sikt validera`: check the archive and report every finding in the chosen format."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sikt_cli.cli.common import RotOption
from sikt_cli.cli.output import (
    OutputForm,
    color_on_stdout,
    console,
    print_error,
    terminal_width,
    write_stdout,
)
from sikt_cli.os_errors import reason

if TYPE_CHECKING:
    from sikt_cli.diagnostics import Result


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


GodkannOption = Annotated[
    str | None,
    typer.Option(
        "--godkann",
        metavar="KOD",
        help="Godkänn varningen KOD i de angivna justerade protokollen (skrivs i "
        "godkanda-fynd.yaml); kräver --motivering.",
    ),
]
MotiveringOption = Annotated[
    str | None,
    typer.Option("--motivering", metavar="TEXT", help="Varför fyndet inte kan rättas."),
]
BasOption = Annotated[
    str | None,
    typer.Option(
        "--bas",
        metavar="REF",
        help="Jämför med en git-referens: ändringar i protokoll som var justerade där är fel.",
    ),
]


def validera(
    sokvagar: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="SÖKVÄG",
            show_default=False,
            help="Protokoll eller kataloger att kontrollera. Standard: hela arkivet.",
        ),
    ] = None,
    format: Annotated[
        Format,
        typer.Option("--format", "-f", help="Utdataformat: text, json, github eller gitlab."),
    ] = Format.text,
    strikt: Annotated[bool, typer.Option("--strikt", help="Misslyckas även på varningar.")] = False,
    bas: BasOption = None,
    signaturer: Annotated[
        bool,
        typer.Option(
            "--signaturer",
            help="Kräv en giltig signatur på varje justerat protokoll (när nycklar finns).",
        ),
    ] = False,
    godkann: GodkannOption = None,
    motivering: MotiveringOption = None,
    rot: RotOption = None,
) -> None:
    """Kontrollera protokollen mot medlemmar.yaml och mal.yaml.

    Rapporterar alla problem i alla filer i en körning, med fil:rad:kolumn, kod och tips.
    Avslutar med 0 utan fel (varningar tillåts), 1 vid fel, 2 vid felaktig användning.
    Med --bas skyddas justerade protokoll: så låser CI godkända protokoll. En varning som
    inte kan rättas eftersom protokollet är justerat godkänns med --godkann och --motivering;
    den räknas sedan i sammanfattningen i stället för att visas.

    [bold]Exempel:[/bold] sikt validera · sikt validera protokoll/2020-06-05.md --format json ·
    sikt validera --bas origin/main --signaturer ·
    sikt validera protokoll/2020-06-05.md --godkann SIKT208 --motivering "…"
    """
    from sikt_cli.archive.layout import find_root
    from sikt_cli.cli.reporters import REPORTERS
    from sikt_cli.services.validate import validate

    root = find_root(explicit=rot)
    if godkann is not None or motivering is not None:
        _accept(root, sokvagar or [], godkann, motivering)
        return
    if sys.stderr.isatty() and format is Format.text:
        with console(stderr=True).status("Kontrollerar protokollen …"):
            result = validate(root, sokvagar, bas=bas, signaturer=signaturer)
    else:
        result = validate(root, sokvagar, bas=bas, signaturer=signaturer)
    changed = changed_since(root, bas) if bas else frozenset()
    width = terminal_width()
    out = REPORTERS[format.value](result, color=color_on_stdout(), changed=changed, width=width)
    write_stdout(out, form=_FORMS[format])
    if format is Format.github:
        _append_step_summary(result, changed)
    raise typer.Exit(result.exit_code(strict=strikt))


def _accept(root: Path, paths: list[Path], code: str | None, reason: str | None) -> None:
    from sikt_cli.archive.layout import rel_path
    from sikt_cli.cli.output import echo
    from sikt_cli.errors import UsageError
    from sikt_cli.services.accepted import accept

    if code is None:
        raise UsageError(
            "--motivering hör till --godkann.",
            'Ange koden som ska godkännas: --godkann SIKT208 --motivering "…"',
        )
    done = accept(root, paths, code, reason or "")
    n = len(done.findings)
    echo(
        f"{'Skapade' if done.created else 'Uppdaterade'} {rel_path(root, done.path)}: "
        f"{n} {'fynd godkänt' if n == 1 else 'fynd godkända'} "
        f"(rad {done.first_line}–{done.last_line}):"
    )
    for d in done.findings:
        echo(f"  {d.file}:{d.line}:{d.column}: {d.code} {d.message}")
    echo(
        "Granska posten och checka in filen i samma pull request som andra ändringar. "
        f"Ångra: ta bort rad {done.first_line}–{done.last_line} ur filen"
        + (" (eller hela filen)." if done.created else ".")
    )


# how each report is written: the text report is already escaped (and may be coloured),
# json and gitlab are JSON, github is escaped workflow commands
_FORMS: dict[Format, OutputForm] = {
    Format.text: "rendered",
    Format.json: "json",
    Format.gitlab: "json",
    Format.github: "text",
}


def changed_since(root: Path, base: str) -> frozenset[str]:
    """Archive-relative paths changed since `base`: committed on this branch (git diff
    BASE...HEAD), staged or not yet committed, and new files git does not ignore."""
    from sikt_cli import git
    from sikt_cli.errors import SiktError

    def names(*args: str) -> set[str]:
        out = git.run(root, *args)
        return {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}

    diff = ("diff", "--relative", "--name-only", "--no-renames", "-z")
    try:
        try:
            committed = names(*diff, f"{base}...HEAD", "--")
        except git.GitFailed:  # no merge base (a shallow clone): compare with the base itself
            committed = names(*diff, base, "--")
        uncommitted = names(*diff, "HEAD", "--")
        untracked = names("ls-files", "--others", "--exclude-standard", "-z")
    except SiktError:  # the order is a courtesy: without it every finding is still reported
        return frozenset()
    return frozenset(committed | uncommitted | untracked)


def _append_step_summary(result: Result, changed: frozenset[str]) -> None:
    """Every finding as a Markdown table in GitHub's step summary, when there is one."""
    import os

    from sikt_cli.render.diagnostic_formats import STEP_SUMMARY_BYTES, step_summary

    name = os.environ.get("GITHUB_STEP_SUMMARY")
    if not name:
        return
    path = Path(name)
    if path.exists() and not path.is_file():  # a FIFO would block, a device never fill
        print_error(f"Stegsammanfattningen '{name}' är ingen vanlig fil; den skrevs inte.")
        return
    try:
        used = path.stat().st_size if path.is_file() else 0
        budget = STEP_SUMMARY_BYTES - used
        if budget > 0:
            text = step_summary(result, changed=changed, budget=budget)
            with path.open("a", encoding="utf-8", errors="backslashreplace", newline="\n") as f:
                f.write(text)
    except OSError as exc:
        print_error(
            f"Stegsammanfattningen '{name}' kunde inte skrivas: {reason(exc)}.",
            "Kontrollen är ändå gjord; fynden står i loggen. Kontrollera GITHUB_STEP_SUMMARY.",
        )
