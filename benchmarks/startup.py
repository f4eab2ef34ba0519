"""Start-up of sikt against an earlier commit and the bare Typer app, in one run.

    python benchmarks/startup.py --fore main~1 --rot . --korningar 15
    python benchmarks/startup.py --fore main --storlek 10000 --korningar 15   # warm sikt sok

With `--storlek N` the cases run on a generated archive of N protokoll instead, one copy
per variant (each keeps its own search index, so neither rebuilds the other's), with
`sikt sok` warm as JSON and as a table.

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

from generate import generate  # noqa: E402
from run import SEARCH_WORD, bare_app_source, measured_environment  # noqa: E402

# runs sikt_cli from the folder in argv[1], not from the installed (editable) copy
RUNNER = """
import runpy, sys
root = sys.argv.pop(1)
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, root)
runpy.run_module("sikt_cli", run_name="__main__", alter_sys=True)
"""


def cases(root: str, search_only: bool = False) -> dict[str, tuple[list[str], list[str]]]:
    """Each case: sikt's arguments, and the bare app's for the same command."""
    if search_only:
        return {
            "sikt --help": (["--help"], ["--help"]),
            "sikt sok, json": (["sok", SEARCH_WORD, "--rot", root, "-f", "json"], ["sok"]),
            "sikt sok, tabell": (["sok", SEARCH_WORD, "--rot", root], ["sok"]),
        }
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
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:  # a crash would look fast
        raise SystemExit(f"{' '.join(cmd)}: slutkod {os.waitstatus_to_exitcode(status)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fore", default="main", help="the commit to compare with")
    parser.add_argument("--rot", default=str(REPO), help="the archive the commands run on")
    parser.add_argument("--korningar", type=int, default=15)
    parser.add_argument("--storlek", type=int, default=0, help="a generated archive of N")
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
        roots = {name: args.rot for name in variants}
        if args.storlek:
            for name in variants:
                roots[name] = str(Path(tmp, f"arkiv-{name}"))
                generate(Path(roots[name]), args.storlek)
                warm = [py, str(runner), variants[name], "sok", SEARCH_WORD, "--rot", roots[name]]
                subprocess.run(warm, stdout=subprocess.DEVNULL, check=True)  # builds the index
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.korningar):
            for case, (_, bare_args) in cases(args.rot, bool(args.storlek)).items():
                times.setdefault((case, "tom app"), []).append(timed([py, str(bare), *bare_args]))
                for name, path in variants.items():
                    sikt_args = cases(roots[name], bool(args.storlek))[case][0]
                    cmd = [py, str(runner), path, *sikt_args]
                    times.setdefault((case, name), []).append(timed(cmd))
    print(f"| fall | mått | tom app | {args.fore} | nu |\n|---|---|---|---|---|")
    print(f"belastning (1 min) efter körningen: {os.getloadavg()[0]:.1f}")
    for case in cases(args.rot, bool(args.storlek)):
        for i, kind in enumerate(("vägg", "cpu")):
            base = statistics.median(t[i] for t in times[(case, "tom app")])
            cells = [f"{base * 1000:.0f} ms"]
            for name in variants:
                m = statistics.median(t[i] for t in times[(case, name)])
                cells.append(f"{m * 1000:.0f} ms ({m / base:.2f}×)")
            print(f"| `{case}` | {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
