"""Where a sikt command spends its time: a profile anyone can rerun.

    python benchmarks/profiler.py validera --storlek 10000 --kall
    python benchmarks/profiler.py "uppdrag --mina --jag anna-andersson-0" --storlek 120
    python benchmarks/profiler.py "sok skolplattformen" --storlek 10000
    python benchmarks/profiler.py --importtid            # python -X importtime -m sikt_cli --help
    python benchmarks/profiler.py --pool 60 120 240 480  # one core or the pool, per size
    python benchmarks/profiler.py --steg --storlek 2000  # CPU per protokoll and step, per rule

`--steg` gives CPU time (a shared machine inflates wall time) per step of loading one
protokoll, for pickling it to and from a worker, and per rule.

Generates (once, kept in --katalog) an archive with benchmarks/generate.py, runs the command
in this process under cProfile (workers are not profiled: use --en-karna to load in one
process and see the per-file cost) and prints the functions with the most time. `--kall`
removes `.sikt-cache/` first; without it the command runs once before the profiled run, so
the profile is of the warm path.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def archive(folder: Path, size: int) -> Path:
    root = folder / f"arkiv{size}"
    if not (root / "protokoll").is_dir() or len(list((root / "protokoll").iterdir())) != size:
        shutil.rmtree(root, ignore_errors=True)
        generate(root, size)
    return root


def run_sikt(args: list[str]) -> None:
    from sikt_cli.cli.app import app

    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        app(args, prog_name="sikt")


def import_times(limit: int) -> None:
    """The slowest imports of `sikt --help`, cumulative, as Python's -X importtime says."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sikt_cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    print("kumulativ µs  modul")
    for micros, name in rows[:limit]:
        print(f"{micros:12d}  {name}")


def pool_or_not(folder: Path, sizes: list[int], runs: int) -> None:
    """Time of a cold `validera`'s load and rules for each archive size, in one process and
    with the worker pool (which also runs the per-protokoll rules), alternating (median of
    `runs`): where the pool starts to pay off is archive/load.py's PARALLEL_FROM."""
    import statistics
    import time

    from sikt_cli.archive import load
    from sikt_cli.rules import check_archive, check_each
    from sikt_cli.rules.personal_data import text_note

    print("protokoll  en process  processpool  pool/en")
    for size in sizes:
        root = archive(folder, size)
        times: dict[int, list[float]] = {sys.maxsize: [], 0: []}
        for _ in range(runs):
            for threshold in times:
                load.PARALLEL_FROM = threshold
                start = time.perf_counter()
                with load.paused_gc():  # as services/validate does
                    checked = load.load_archive(root, note=text_note, check=check_each)
                    check_archive(checked)
                times[threshold].append(time.perf_counter() - start)
        one, pool = (statistics.median(times[t]) for t in (sys.maxsize, 0))
        print(f"{size:9d}  {one:9.3f} s  {pool:10.3f} s  {pool / one:6.2f}×")


def _cpu_ms(fn: Any, *args: Any) -> tuple[Any, float]:
    import time

    start = time.process_time()
    out = fn(*args)
    return out, (time.process_time() - start) * 1000


def steps(folder: Path, size: int) -> None:
    """CPU time (not wall: the machine may be shared) of a cold `validera`, per step: the
    imports, each step of loading one protokoll (in one process, as a worker does it), the
    pickling of its result to and from a worker (whole, and as validera's workers send it),
    and each rule (in one process; with the process a large archive runs it in)."""
    import gc
    import pickle

    root = archive(folder, size).resolve()
    _, imports = _cpu_ms(__import__, "sikt_cli.services.validate")
    from sikt_cli.archive import load
    from sikt_cli.archive.body import parse_body
    from sikt_cli.archive.build import build_goals, build_minutes, build_roster
    from sikt_cli.archive.formats import PROTOKOLL
    from sikt_cli.archive.source import read_source, split_frontmatter
    from sikt_cli.archive.spec import Converter, Document
    from sikt_cli.archive.yaml_tree import parse_yaml
    from sikt_cli.rules import RULES, slim
    from sikt_cli.rules.context import RuleContext, is_per_protokoll
    from sikt_cli.rules.personal_data import text_note

    paths = sorted((root / "protokoll").glob("*.md"))
    # _load_one reads neither the roster nor the goals: empty ones stand in
    roster, goals = build_roster(Document("medlemmar.yaml", {})), build_goals(None)
    plain = load._Shared(root, roster, goals, set(), None, None, stamp=False)
    _, lazy = _cpu_ms(load._load_one, plain, paths[0])  # markdown-it, PyYAML, ...
    print(f"importer: {imports:.0f} ms, sedan vid första protokollet {lazy:.0f} ms")
    gc.disable()  # as load_archive does (paused_gc)
    total = dict.fromkeys(("läs", "dela", "yaml", "värden", "brödtext", "modell"), 0.0)
    for p in paths:
        src, t1 = _cpu_ms(read_source, p, p.name)
        fm, t2 = _cpu_ms(split_frontmatter, src[0])
        node, t3 = _cpu_ms(parse_yaml, fm[0].yaml_text, p.name, fm[0].yaml_first_line)
        doc, t4 = _cpu_ms(Converter(p.name).document, node[0], PROTOKOLL, "Frontmatter")
        body, t5 = _cpu_ms(parse_body, fm[0].body, fm[0].body_first_line)
        _, t6 = _cpu_ms(build_minutes, p.name, p, doc, body)
        for key, t in zip(total, (t1, t2, t3, t4, t5, t6), strict=True):
            total[key] += t
    for key, t in total.items():
        print(f"{key:9s} {t / len(paths):7.3f} ms per protokoll")
    noted = load._Shared(root, roster, goals, set(), text_note, None, stamp=True)
    results = [load._load_one(noted, p) for p in paths]
    # validera's workers send each protokoll back without rules.LEFT_OUT (and findings)
    sent = {"hela": results, "validera": [(slim(m), d, s, r, []) for m, d, s, r in results]}
    n = len(paths)
    for what, objs in sent.items():
        blobs, dumps = _cpu_ms(lambda objs=objs: [pickle.dumps(r) for r in objs])
        _, loads = _cpu_ms(lambda blobs=blobs: [pickle.loads(b) for b in blobs])
        print(
            f"pickle    {dumps / n:7.3f} ms per protokoll (arbetsprocessen), {loads / n:.3f} ms "
            f"åter ({what}, {sum(map(len, blobs)) / n:.0f} byte)"
        )
    arch = load.load_archive(root, note=text_note)
    ctx = RuleContext(arch)
    for rule in RULES:
        _, t = _cpu_ms(lambda rule=rule: list(rule(ctx)))
        where = "arbetsprocess" if is_per_protokoll(rule) else "huvudprocess"
        print(f"regel {rule.__module__.rsplit('.', 1)[-1]}.{rule.__name__}: {t:.1f} ms ({where})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kommando", nargs="?", default="validera", help="sikt-argument")
    parser.add_argument("--storlek", type=int, default=1000)
    parser.add_argument("--kall", action="store_true", help="utan .sikt-cache/")
    parser.add_argument("--en-karna", action="store_true", help="ingen processpool")
    parser.add_argument("--importtid", action="store_true")
    parser.add_argument("--pool", type=int, nargs="+", metavar="ANTAL", help="storlekar")
    parser.add_argument("--steg", action="store_true", help="CPU-tid per steg och regel")
    parser.add_argument("--korningar", type=int, default=5)
    parser.add_argument("--rader", type=int, default=30)
    parser.add_argument("--katalog", type=Path, default=Path(tempfile.gettempdir(), "sikt-prof"))
    args = parser.parse_args()
    if args.importtid:
        import_times(args.rader)
        return
    if args.pool:
        pool_or_not(args.katalog, args.pool, args.korningar)
        return
    if args.steg:
        steps(args.katalog, args.storlek)
        return
    root = archive(args.katalog, args.storlek)
    argv = [*shlex.split(args.kommando), "--rot", str(root)]
    if args.en_karna:
        from sikt_cli.archive import load
        from sikt_cli.records import search_store

        load.PARALLEL_FROM = search_store.PARALLEL_FROM = sys.maxsize
    if args.kall:
        shutil.rmtree(root / ".sikt-cache", ignore_errors=True)
    else:
        run_sikt(argv)
    profile = cProfile.Profile()
    profile.runcall(run_sikt, argv)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.rader)
    stats.sort_stats("tottime").print_stats(args.rader)


if __name__ == "__main__":
    main()
