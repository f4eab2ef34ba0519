"""Cold `sikt validera` at an earlier commit and now, against run.py's baselines, in one run.

    python benchmarks/cold.py --fore main --ci 120 --storlek 10000 --korningar 5

Each run is a fresh process with no `.sikt-cache/` (a new CI runner), and the variants are
interleaved so that a loaded machine slows them alike: the CI case (`--ci` protokoll plus
one added) against the bare Typer app's `--help` (run.py's baseline (a)), and `--storlek`
protokoll against the plain parse loop on one core (baseline (b)). Prints medians of wall
time and of CPU time (user + system, the worker processes included) with the ratio to the
baseline, and the load average before and after: on a shared machine the CPU times say
more than the wall times. Like run.py it runs them with bytecode caching on (without
PYTHONDONTWRITEBYTECODE): the earlier commit's copy is otherwise compiled on every run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import BASELINE_LOOP, bare_app_source, measured_environment  # noqa: E402
from startup import RUNNER  # noqa: E402


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU time (user + system, children included) of one fresh process, which
    must end with 0 or 1 (findings): a crashed baseline would look fast."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=measured_environment()
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} misslyckades:\n{err.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def checkout(commit: str, folder: Path) -> Path:
    """`sikt_cli` at `commit`, from git archive, in `folder`."""
    folder.mkdir()
    tar = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, "sikt_cli"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=tar, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fore", default="main", help="the commit to compare with")
    parser.add_argument("--ci", type=int, default=120, help="CI-fallets storlek (0: inget)")
    parser.add_argument("--storlek", type=int, default=0, help="stort arkiv (0: inget)")
    parser.add_argument("--korningar", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        variants = {args.fore: str(checkout(args.fore, Path(tmp, "fore"))), "nu": str(REPO)}
        runner, bare, loop = Path(tmp, "runner.py"), Path(tmp, "bare.py"), Path(tmp, "loop.py")
        runner.write_text(RUNNER, encoding="utf-8")
        bare.write_text(bare_app_source(), encoding="utf-8")
        loop.write_text(BASELINE_LOOP, encoding="utf-8")
        cases: dict[str, tuple[Path, list[str]]] = {}
        if args.ci:
            generate(Path(tmp, "ci"), args.ci + 1)
            cases[f"CI, {args.ci} + 1 protokoll"] = (Path(tmp, "ci"), [py, str(bare), "--help"])
        if args.storlek:
            generate(Path(tmp, "stor"), args.storlek)
            big = Path(tmp, "stor")
            cases[f"{args.storlek} protokoll"] = (big, [py, str(loop), str(big)])
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.korningar):
            for case, (root, baseline) in cases.items():
                times.setdefault((case, "baslinje"), []).append(timed(baseline))
                for name, path in variants.items():
                    shutil.rmtree(root / ".sikt-cache", ignore_errors=True)
                    cmd = [py, str(runner), path, "validera", "--rot", str(root)]
                    times.setdefault((case, name), []).append(timed(cmd))
    load_after = os.getloadavg()
    print(
        f"Belastning (1 min) före {load_before[0]:.1f}, efter {load_after[0]:.1f}; "
        f"medianer av {args.korningar} körningar.\n"
    )
    print(f"| kall `sikt validera` | mått | baslinje | {args.fore} | nu |\n|---|---|---|---|---|")
    for case in cases:
        for i, kind in enumerate(("vägg", "cpu")):
            base = statistics.median(t[i] for t in times[(case, "baslinje")])
            cells = [f"{base:.3f} s"]
            for name in variants:
                m = statistics.median(t[i] for t in times[(case, name)])
                cells.append(f"{m:.3f} s ({m / base:.2f}×)")
            print(f"| {case} | {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
