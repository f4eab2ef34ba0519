"""How long `sikt webb` takes for a large archive, against a warm `sikt validera`.

    python benchmarks/webb.py [--storlek 1000] [--korningar 5] [--jamfor KATALOG] [--ut FIL]

The archive is benchmarks/generate.py's (every protokoll justerat). The baseline is a
warm `sikt validera` of the same archive (the cache filled first), measured in the same
run, alternating with the builds in fresh processes. Three builds, each into a new folder:
from scratch (the site's own cache entries removed: every page rendered and Pagefind
indexing every page; the model and the goal charts from the cache), after one
protokoll's body text changed (the monthly case: that page and the pages that show it
rendered, the rest taken from the last build, Pagefind over every page) and of an
unchanged archive (the whole site from the cache); the last two once more into the folder
of the last build, as a network rebuilds its site (only changed files written, Pagefind on
a temporary copy of the pages). Each figure is the median of the
runs: wall-clock time and CPU time (the process and its workers and Pagefind, from
wait4), with the load average beside it. `--jamfor KATALOG` measures a checkout of an
earlier sikt (e.g. a `git worktree` of main) the same way, in the same alternation
(PYTHONPATH=KATALOG, its own copy of the archive, since each version has its own cache).
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
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

GOAL = 10.0
CHANGED, SAME, OVER = "webb ett protokoll ändrat", "webb oförändrat", ", över förra bygget"
CASES = ("validera", "webb från början", CHANGED, SAME, CHANGED + OVER, SAME + OVER)
FROM_SCRATCH = ("webb-sajt.bin", "webb-sidor.bin", "webb-sok.bin")  # the site's own entries


@dataclass
class Variant:
    name: str
    root: Path
    env: dict[str, str]
    wall: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in CASES})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in CASES})
    edits: int = 0


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time (user + system, with the waited-for descendants) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env}
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} misslyckades: {err.decode(errors='replace')[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def measure_once(v: Variant, case: str, out: Path) -> None:
    base = [sys.executable, "-m", "sikt_cli"]
    if case.endswith(OVER):  # the same folder as the last build: only changed files written
        out = out.with_name(out.name + "-kvar")
    else:
        shutil.rmtree(out, ignore_errors=True)
    if case == "validera":
        cmd = [*base, "validera", "--rot", str(v.root)]
    else:
        if case == "webb från början":
            for name in FROM_SCRATCH:
                (v.root / ".sikt-cache" / name).unlink(missing_ok=True)
        elif case.startswith(CHANGED):
            edit_one(v)
        cmd = [*base, "webb", "--ut", str(out), "--rot", str(v.root), "--url", "https://e.se/"]
    wall, cpu = run(cmd, v.env)
    v.wall[case].append(wall)
    v.cpu[case].append(cpu)


def edit_one(v: Variant) -> None:
    """One protokoll's body text changed, as when a protokoll is corrected: the one in the
    middle of the archive gets (another) sentence at the end of its last agenda item."""
    files = sorted((v.root / "protokoll").glob("*.md"))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    v.edits += 1
    mark = "\nRättelse nr "
    if mark in text:
        text = text[: text.index(mark)] + "\n"
    target.write_text(text.rstrip("\n") + f"{mark}{v.edits}.\n", encoding="utf-8")


def rows(v: Variant, n: int) -> list[str]:
    w = {c: statistics.median(v.wall[c]) for c in CASES}
    c = {k: statistics.median(v.cpu[k]) for k in CASES}
    out = []
    for case in CASES[1:]:
        ratio = w[case] / w["validera"]
        ok = "ja" if ratio <= GOAL else "NEJ"
        out.append(
            f"| {v.name} | `sikt webb`, {n} protokoll, {case} | {w[case]:.3f} s | "
            f"{w['validera']:.3f} s | {ratio:.1f}× | {ok} | {c[case]:.3f} s | "
            f"{c['validera']:.3f} s | {c[case] / c['validera']:.1f}× |"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storlek", type=int, default=1000)
    parser.add_argument("--korningar", type=int, default=5)
    parser.add_argument("--jamfor", type=Path, help="en annan checkout av sikt att jämföra med")
    parser.add_argument("--ut", type=Path, help="skriv resultatet (Markdown) till filen")
    args = parser.parse_args()
    n = args.storlek
    with tempfile.TemporaryDirectory() as tmp:
        variants = [Variant("denna", Path(tmp, "arkiv"), {})]
        if args.jamfor:
            env = {"PYTHONPATH": str(args.jamfor.resolve())}
            variants.append(Variant(args.jamfor.name, Path(tmp, "arkiv-jamfor"), env))
        for v in variants:
            generate(v.root, n)
            measure_once(v, "validera", Path(tmp, "site"))  # fill the cache
            measure_once(v, SAME, Path(tmp, "site"))  # and the model's entry
            measure_once(v, SAME + OVER, Path(tmp, "site"))  # the folder built over
            v.wall = {c: [] for c in CASES}
            v.cpu = {c: [] for c in CASES}
        load_before = os.getloadavg()
        for _ in range(args.korningar):
            for case in CASES:
                for v in variants:
                    measure_once(v, case, Path(tmp, "site"))
        load_after = os.getloadavg()
        out = Path(tmp, "site")
        pages = sum(1 for _ in out.rglob("*.html"))
        files = sum(1 for p in out.rglob("*") if p.is_file())
        table = [line for v in variants for line in rows(v, n)]
    text = "\n".join(
        [
            "# `sikt webb` för ett stort arkiv",
            "",
            f"Mätt {dt.date.today()} på {platform.machine()}, {os.cpu_count()} kärnor, Python "
            f"{platform.python_version()}; {pages} sidor, {files} filer. Belastning (1, 5 min) "
            f"före {load_before[0]:.2f} {load_before[1]:.2f}, efter {load_after[0]:.2f} "
            f"{load_after[1]:.2f}. Median av {args.korningar} körningar, varvade.",
            "",
            "| version | mätning | väggtid | varm `sikt validera` | kvot | ≤ 10× | CPU-tid | "
            "CPU-tid `sikt validera` | kvot CPU |",
            "|---|---|---|---|---|---|---|---|---|",
            *table,
            "",
        ]
    )
    print(text)
    if args.ut:
        args.ut.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
