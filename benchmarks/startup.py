"""Start-up of sikt against an earlier commit and the bare Typer app, in one run.

    python benchmarks/startup.py --fore main~1 --rot . --korningar 15

Each case runs as a fresh process, the three variants interleaved so that a loaded machine
slows them alike: the bare Typer app of `run.py` (sikt's tree, no work), sikt at `--fore`
(a `git archive` of it in a temporary folder) and sikt in this checkout. Prints medians of wall
and CPU time and their ratio to the bare app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from run import bare_app_source, measured_environment  # noqa: E402

# runs sikt_cli from the folder in argv[1], not from the installed (editable) copy
RUNNER = """
import runpy, sys
root = sys.argv.pop(1)
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, root)
runpy.run_module("sikt_cli", run_name="__main__", alter_sys=True)
"""


def cases(root: str) -> dict[str, tuple[list[str], list[str]]]:
    """Each case: sikt's arguments, and the bare app's for the same command."""
    return {
        "sikt --help": (["--help"], ["--help"]),
        "sikt validera": (["validera", "--rot", root], ["validera", "--rot", root]),
        "sikt sok Mediapoolen": (["sok", "Mediapoolen", "--rot", root], ["sok", "--rot", root]),
    }


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process: on a loaded machine the
    CPU time says more, as waiting for a core is not counted."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=measured_environment()
    )
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fore", default="main", help="the commit to compare with")
    parser.add_argument("--rot", default=str(REPO), help="the archive the commands run on")
    parser.add_argument("--korningar", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp, "fore")
        before.mkdir()
        tar = subprocess.run(
            ["git", "-C", str(REPO), "archive", args.fore, "sikt_cli"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=tar, check=True)
        bare, runner = Path(tmp, "bare.py"), Path(tmp, "runner.py")
        bare.write_text(bare_app_source(), encoding="utf-8")
        runner.write_text(RUNNER, encoding="utf-8")
        variants = {"före": str(before), "efter": str(REPO)}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.korningar):
            for case, (sikt_args, bare_args) in cases(args.rot).items():
                times.setdefault((case, "tom app"), []).append(timed([py, str(bare), *bare_args]))
                for name, path in variants.items():
                    cmd = [py, str(runner), path, *sikt_args]
                    times.setdefault((case, name), []).append(timed(cmd))
    print(f"| fall | mått | tom app | {args.fore} | nu |\n|---|---|---|---|---|")
    for case in cases(args.rot):
        for i, kind in enumerate(("vägg", "cpu")):
            base = statistics.median(t[i] for t in times[(case, "tom app")])
            cells = [f"{base * 1000:.0f} ms"]
            for name in variants:
                m = statistics.median(t[i] for t in times[(case, name)])
                cells.append(f"{m * 1000:.0f} ms ({m / base:.2f}×)")
            print(f"| `{case}` | {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
