"""How long `sikt webb` takes for a large archive, against a warm `sikt validera`.

    python benchmarks/webb.py [--storlek 1000] [--korningar 3] [--ut benchmarks/WEBB.md]

The archive is benchmarks/generate.py's (every protokoll justerat). The baseline is a
warm `sikt validera` of the same archive (the cache filled first); `sikt webb` builds
into a new folder each run (every page, the Pagefind index, the files written). The goal
of the issue is ≤ 10×. Each figure is the median of fresh processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import measure  # noqa: E402

GOAL = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storlek", type=int, default=1000)
    parser.add_argument("--korningar", type=int, default=3)
    parser.add_argument("--ut", type=Path, help="skriv resultatet (Markdown) till filen")
    args = parser.parse_args()
    sikt = shutil.which("sikt") or sys.exit("sikt är inte installerat (pip install -e .)")
    n = args.storlek
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "arkiv")
        generate(root, n)
        validera = [sikt, "validera", "--rot", str(root)]
        measure(validera, runs=1)  # fill the cache
        warm_t, _ = measure(validera, runs=args.korningar)
        out = Path(tmp, "site")

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)

        def rebuild() -> None:  # the site itself not cached: every page and the index anew
            fresh()
            (root / ".sikt-cache" / "webb-sajt.bin").unlink(missing_ok=True)

        webb = [sikt, "webb", "--ut", str(out), "--rot", str(root), "--url", "https://e.se/"]
        cold_t, cold_mem = measure(webb, runs=args.korningar, before=rebuild)
        web_t, web_mem = measure(webb, runs=args.korningar, before=fresh)
        pages = sum(1 for _ in out.rglob("*.html"))
        files = sum(1 for p in out.rglob("*") if p.is_file())
    ratio = web_t / warm_t
    cold = cold_t / warm_t
    text = "\n".join(
        [
            "# `sikt webb` för ett stort arkiv",
            "",
            f"Mätt {dt.date.today()} på {platform.machine()}, {os.cpu_count()} kärnor, Python "
            f"{platform.python_version()}. Kommando: `python benchmarks/webb.py --storlek {n}`.",
            "",
            "| mätning | tid | baslinje | kvot | mål | uppfyllt |",
            "|---|---|---|---|---|---|",
            f"| `sikt webb`, {n} protokoll ({pages} sidor, {files} filer, {web_mem} MB), mot "
            f"varm `sikt validera` | {web_t:.3f} s | {warm_t:.3f} s | {ratio:.1f}× | "
            f"≤ {GOAL:g}× | {'ja' if ratio <= GOAL else 'NEJ'} |",
            f"| `sikt webb`, {n} protokoll, webbplatsen byggd på nytt (alla sidor och sökindexet, "
            f"{cold_mem} MB), mot varm `sikt validera` | {cold_t:.3f} s | {warm_t:.3f} s | "
            f"{cold:.1f}× | | |",
            "",
            "Den första raden är ett oförändrat arkiv (som den varma valideringen): sidorna och",
            "sökindexet kommer ur den signerade cachen, och personnummerspärren, kontrollen av",
            "utkatalogen och skrivningen av alla filer görs som vanligt. Den andra raden är ett",
            "bygge efter en ändring: modellen ur cachen, men varje sida renderas och Pagefind",
            "indexerar alla sidor; den når inte 10× en varm validering.",
            "",
        ]
    )
    print(text)
    if args.ut:
        args.ut.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
