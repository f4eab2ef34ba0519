"""Reproducible benchmarks for sikt, as ratios against baselines measured in the same run.

    python benchmarks/run.py [--storlekar 10000] [--ci 120] [--oppna 10000] [--ut FIL]

Baselines: (a) a bare Typer app with sikt's command tree, for start-up; (b) a plain loop
that reads every protokoll and parses its frontmatter with python-frontmatter and its
body with markdown-it-py, for whole-archive work. Each figure is the median of several
runs of a fresh process; peak memory is the child's maximum resident set size.

Cases: start-up (`sikt --help`); the CI case (an archive of `--ci` protokoll, ten years of
monthly meetings, with one protokoll added by a pull request and checked cold on a fresh
runner, and `sikt uppdrag --mina` on it), against the bare app; each `--storlekar` size cold
and warm against the loop, and `sikt sok` warm against the bare app running a command; and
`sikt uppdrag --alla` / `--mina` printing to a pipe on an archive where nothing was ever
closed (`--oppna` protokoll, three open uppdrag each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, members  # noqa: E402

BASELINE_LOOP = """
import sys
from pathlib import Path
import frontmatter
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark")
for p in sorted(Path(sys.argv[1], "protokoll").glob("*.md")):
    post = frontmatter.loads(p.read_text(encoding="utf-8"))
    md.parse(post.content)
"""


def bare_app_source() -> str:
    """A Typer app with sikt's commands and options but no work, built from sikt's tree."""
    import typer.main

    from sikt_cli.cli.app import app

    lines = ["import typer", "app = typer.Typer(add_completion=False)"]
    counter = 0

    def emit(group: object, var: str) -> None:
        nonlocal counter
        for name, cmd in sorted(getattr(group, "commands", {}).items()):
            if hasattr(cmd, "commands"):
                counter += 1
                sub = f"g{counter}"
                lines.append(f"{sub} = typer.Typer()")
                lines.append(f"{var}.add_typer({sub}, name={name!r})")
                emit(cmd, sub)
                continue
            counter += 1
            params = []
            for p in cmd.params:
                opt = next((o for o in p.opts if o.startswith("--")), None)
                if opt and p.name:
                    params.append(f"{p.name}: str = typer.Option(None, {opt!r}, help='x')")
            lines.append(f"@{var}.command({name!r})")
            lines.append(f"def c{counter}({', '.join(params)}) -> None:")
            lines.append("    'Hjälptext.'")

    emit(typer.main.get_command(app), "app")
    lines.append("app()")
    return "\n".join(lines) + "\n"


def measure(
    cmd: list[str],
    *,
    runs: int,
    env: dict[str, str] | None = None,
    before: object = None,
    pipe: bool = False,
) -> tuple[float, int]:
    """Median wall time (s) and peak RSS (MB) of `cmd` over `runs` fresh processes; with
    `pipe`, stdout is a pipe read to the end (as `| less` or `| grep` would)."""
    times, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE if pipe else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**measured_environment(), **(env or {})},
        )
        if proc.stdout is not None:
            while proc.stdout.read(1 << 16):
                pass
            proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss // 1024)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} avslutades med {proc.returncode}")
    return statistics.median(times), max(peaks)


def measured_environment() -> dict[str, str]:
    """The environment of a measured run: as the shell's, but with bytecode caching on.

    pip compiles an installed sikt's modules, and Typer's, at install; a session with
    PYTHONDONTWRITEBYTECODE=1 (common in containers and CI) would measure sikt compiling
    its ~50 modules from source on every run against a bare app whose Typer is compiled."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


SEARCH_WORD = "skolplattformen"  # a rubrik in some protokoll, as a real question would be


def search_case(
    sikt: str, py: str, bare: Path, root: Path, n: int, runs: int, base_t: float, help_t: float
) -> list[str]:
    """`sikt sok`: the first search builds the index, a repeat search against the bare Typer
    app running a command, and one changed protokoll reindexed alone."""
    index = root / ".sikt-cache" / "sok.sqlite3"
    cmd = [sikt, "sok", SEARCH_WORD, "--rot", str(root), "--format", "json"]
    cold_t, cold_mem = measure(cmd, runs=1, before=lambda: index.unlink(missing_ok=True))
    warm_t, _ = measure(cmd, runs=runs)
    bare_t, _ = measure([py, str(bare), "sok", "--rot", str(root)], runs=runs)
    from sikt_cli.services.sok import SearchQuery, search

    changed = sorted((root / "protokoll").glob("*.md"))[n // 2]
    with changed.open("a", encoding="utf-8") as f:
        f.write("\nTillägg om skolplattformen.\n")
    start = time.perf_counter()
    result = search(root, SearchQuery(SEARCH_WORD))
    changed_t = time.perf_counter() - start
    print(f"{n} protokoll: en ändrad fil gav {result.reindexed} omindexerade", file=sys.stderr)
    extra = warm_t - help_t  # the search itself, above sikt's own start-up
    return [
        row(f"`sikt sok`, första (bygger index, {cold_mem} MB), {n} protokoll, mot loop (b)",
            cold_t, base_t, None),
        row(f"`sikt sok`, varm, {n} protokoll, mot tom Typer-app med kommando (a)",
            warm_t, bare_t, (bare_t + 0.1) / bare_t),
        row(f"`sikt sok` efter en ändrad fil ({result.reindexed} omindexerad), {n} protokoll, "
            "i processen, mot loop (b)", changed_t, base_t, None),
        f"| `sikt sok`, varm, {n} protokoll, minus `sikt --help` | {extra:.3f} s | | | "
        f"≤ 0.1 s | {'ja' if extra <= 0.1 else 'NEJ'} |",
    ]  # fmt: skip


def ci_case(sikt: str, py: str, bare: Path, tmp: str, n: int, runs: int) -> list[str]:
    """A pull request adds one protokoll to an archive of `n`; CI checks it cold (a fresh
    runner has no .sikt-cache/), and a member lists their uppdrag on a laptop."""
    root = Path(tmp, f"ci{n}")
    generate(root, n + 1)
    added = sorted((root / "protokoll").glob("*.md"))[-1]
    held = added.read_bytes()
    added.unlink()
    measure([sikt, "validera", "--rot", str(root)], runs=1)  # the base branch, once
    added.write_bytes(held)  # the pull request

    def clear(root: Path = root) -> None:
        shutil.rmtree(root / ".sikt-cache", ignore_errors=True)

    help_bare, _ = measure([py, str(bare), "--help"], runs=runs * 3)
    cold_t, _ = measure([sikt, "validera", "--rot", str(root)], runs=runs * 2, before=clear)
    me = members()[0][0]
    mina = [sikt, "uppdrag", "--mina", "--jag", me, "--rot", str(root)]
    mina_cold, _ = measure(mina, runs=runs * 2, before=clear)
    mina_warm, _ = measure(mina, runs=runs * 2)
    cmd_bare, _ = measure([py, str(bare), "validera", "--rot", str(root)], runs=runs * 3)
    return [
        row(f"`sikt validera`, kall, {n} + 1 protokoll (CI), mot tom Typer-app `--help` (a)",
            cold_t, help_bare, 2.5),
        row(f"`sikt uppdrag --mina`, kall, {n} + 1 protokoll, mot tom Typer-app (a)",
            mina_cold, cmd_bare, None),
        row(f"`sikt uppdrag --mina`, varm, {n} + 1 protokoll, mot tom Typer-app (a)",
            mina_warm, cmd_bare, None),
    ]  # fmt: skip


def open_case(sikt: str, tmp: str, n: int, runs: int) -> list[str]:
    """`sikt uppdrag --alla` and `--mina` to a pipe when nothing was ever closed."""
    root = Path(tmp, f"oppna{n}")
    generate(root, n, closing=0.0)
    me = members()[0][0]
    base = [sikt, "uppdrag", "--rot", str(root)]
    measure([*base, "--alla"], runs=1)  # fill the cache: the everyday case is warm
    out = []
    for name, extra in (("--alla", ["--alla"]), ("--mina", ["--mina", "--jag", me])):
        t, _ = measure([*base, *extra], runs=runs, pipe=True)
        out.append(
            f"| `sikt uppdrag {name}`, {3 * n} öppna uppdrag ({n} protokoll), till en pipe "
            f"| {t:.3f} s | | | ≤ 2 s | {'ja' if t <= 2 else 'NEJ'} |"
        )
    t, _ = measure([*base, "--alla", "--format", "csv"], runs=runs, pipe=True)
    out.append(
        f"| `sikt uppdrag --alla --format csv`, {3 * n} öppna uppdrag, till en pipe "
        f"| {t:.3f} s | | | | |"
    )
    return out


def row(name: str, value: float, base: float, target: float | None, unit: str = "s") -> str:
    ratio = value / base if base else float("nan")
    goal = f"≤ {target:g}×" if target is not None else ""
    ok = "" if target is None else ("ja" if ratio <= target else "NEJ")
    return f"| {name} | {value:.3f} {unit} | {base:.3f} {unit} | {ratio:.3f}× | {goal} | {ok} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storlekar", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--ci", type=int, default=120, help="CI-fallets storlek (0: inget)")
    parser.add_argument("--oppna", type=int, default=10000, help="protokoll utan avslut (0: inget)")
    parser.add_argument("--korningar", type=int, default=3)
    parser.add_argument("--ut", type=Path, help="skriv resultatet (Markdown) till filen")
    args = parser.parse_args()
    sikt = shutil.which("sikt") or sys.exit("sikt är inte installerat (pip install -e .)")
    py = sys.executable
    out = [
        f"Mätt {dt.date.today()} på {platform.machine()}, {os.cpu_count()} kärnor, "
        f"Python {platform.python_version()}. Kommando: `python benchmarks/run.py "
        f"--storlekar {' '.join(map(str, args.storlekar))} --ci {args.ci} --oppna {args.oppna} "
        f"--korningar {args.korningar}`. Belastning före: {os.getloadavg()[0]:.1f}.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp, "bare.py")
        bare.write_text(bare_app_source(), encoding="utf-8")
        help_t, _ = measure([sikt, "--help"], runs=args.korningar * 3)
        bare_t, _ = measure([py, str(bare), "--help"], runs=args.korningar * 3)
        out += [
            "| mätning | sikt | baslinje | kvot | mål | uppfyllt |",
            "|---|---|---|---|---|---|",
            row("`sikt --help` mot tom Typer-app (a)", help_t, bare_t, 1.2),
        ]
        if args.ci:
            out += ci_case(sikt, py, bare, tmp, args.ci, args.korningar)
            print(f"CI-fallet ({args.ci} protokoll) klart", file=sys.stderr)
        per_file: dict[int, float] = {}
        memory: dict[int, int] = {}
        base_memory: dict[int, int] = {}
        me = members()[0][0]
        for n in args.storlekar:
            root = Path(tmp, f"arkiv{n}")
            generate(root, n)
            loop = Path(tmp, "loop.py")
            loop.write_text(BASELINE_LOOP, encoding="utf-8")
            base_t, base_mem = measure([py, str(loop), str(root)], runs=args.korningar)

            def clear(root: Path = root) -> None:
                shutil.rmtree(root / ".sikt-cache", ignore_errors=True)

            cold_t, cold_mem = measure(
                [sikt, "validera", "--rot", str(root)], runs=args.korningar, before=clear
            )
            measure([sikt, "validera", "--rot", str(root)], runs=1)  # fill the cache
            warm_t, warm_mem = measure([sikt, "validera", "--rot", str(root)], runs=args.korningar)
            mina_t, _ = measure(
                [sikt, "uppdrag", "--mina", "--jag", me, "--rot", str(root)], runs=args.korningar
            )
            per_file[n] = cold_t / n
            memory[n] = max(cold_mem, warm_mem)
            base_memory[n] = base_mem
            out += [
                row(f"`sikt validera`, kall, {n} protokoll, mot loop (b)", cold_t, base_t, 0.7),
                row(f"`sikt validera`, varm, {n} protokoll, mot loop (b)", warm_t, base_t, 0.05),
                row(
                    f"`sikt uppdrag --mina`, varm, {n} protokoll, mot loop (b)",
                    mina_t,
                    base_t,
                    0.05,
                ),
            ]
            out += search_case(sikt, py, bare, root, n, args.korningar, base_t, help_t)
            print(f"{n} protokoll klara", file=sys.stderr)
        if args.oppna:
            out += open_case(sikt, tmp, args.oppna, args.korningar)
        out += [
            "",
            "| storlek | tid per protokoll (kall) | högsta minne | minne loop (b) | mål |",
            "|---|---|---|---|---|",
        ]
        for n in args.storlekar:
            out.append(
                f"| {n} | {per_file[n] * 1000:.2f} ms | {memory[n]} MB | "
                f"{base_memory[n]} MB | ≤ 300 MB |"
            )
        if len(args.storlekar) >= 2:
            small, large = min(args.storlekar), max(args.storlekar)
            ratio = per_file[large] / per_file[small]
            out += [
                "",
                f"Tid per protokoll vid {large} / vid {small}: {ratio:.2f}× "
                f"(mål ≤ 1,3×: {'ja' if ratio <= 1.3 else 'NEJ'}).",
            ]
    text = "\n".join(out) + "\n"
    print(text)
    if args.ut:
        args.ut.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
