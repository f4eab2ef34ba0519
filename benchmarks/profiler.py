"""Where a sikt command spends its time: a profile anyone can rerun.

    python benchmarks/profiler.py validera --storlek 10000 --kall
    python benchmarks/profiler.py "uppdrag --mina --jag anna-andersson-0" --storlek 120
    python benchmarks/profiler.py "sok skolplattformen" --storlek 10000
    python benchmarks/profiler.py --importtid            # python -X importtime -m sikt_cli --help
    python benchmarks/profiler.py --pool 60 120 240 480  # one core or the pool, per size

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
    """Load time of each archive size in one process and with the worker pool, alternating
    (median of `runs`): where the pool starts to pay off is archive/load.py's PARALLEL_FROM."""
    import statistics
    import time

    from sikt_cli.archive import load

    print("protokoll  en process  processpool  pool/en")
    for size in sizes:
        root = archive(folder, size)
        times: dict[int, list[float]] = {sys.maxsize: [], 0: []}
        for _ in range(runs):
            for threshold in times:
                load.PARALLEL_FROM = threshold
                start = time.perf_counter()
                load.load_archive(root)
                times[threshold].append(time.perf_counter() - start)
        one, pool = (statistics.median(times[t]) for t in (sys.maxsize, 0))
        print(f"{size:9d}  {one:9.3f} s  {pool:10.3f} s  {pool / one:6.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kommando", nargs="?", default="validera", help="sikt-argument")
    parser.add_argument("--storlek", type=int, default=1000)
    parser.add_argument("--kall", action="store_true", help="utan .sikt-cache/")
    parser.add_argument("--en-karna", action="store_true", help="ingen processpool")
    parser.add_argument("--importtid", action="store_true")
    parser.add_argument("--pool", type=int, nargs="+", metavar="ANTAL", help="storlekar")
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
